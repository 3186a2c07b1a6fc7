"""The release of the code: a short digest of the files the site is made of (settings.RELEASE_ID's default).

Cached pages and fragments carry it in their keys, so two releases serving side by side
during a deploy never read each other's pickles or pages. Given the same files, every
machine computes the same digest, so the processes of one release share their caches. It
is computed once per process, when the settings load (10–20 ms here); WSPL_RELEASE (a commit
id, a version) spares even that. Plain Python: the settings import it before Django is set up.
"""

import hashlib
import os

# What the pages are made of: code, templates, compiled translations, the pinned requirements.
CODE_SUFFIXES = (".py", ".html", ".txt", ".xml", ".mo")
# Everything under these folders counts, whatever its kind (styles, scripts and images the pages link to).
ASSET_FOLDERS = ("static",)
# Not part of what is served: tests, benchmarks, tools, collected or uploaded files, caches.
SKIPPED_FOLDERS = {"tests", "bench", "node_modules", "staticfiles", "media", "test-artifacts", "__pycache__"}


def code_digest(base_dir):
    """A 16-digit hexadecimal digest of the site's files under `base_dir`: their paths and their contents."""
    base = os.fspath(base_dir)
    digest = hashlib.sha256()  # the fastest here: processors compute it in hardware
    for root, folders, files in os.walk(base):
        folders[:] = sorted(name for name in folders if not name.startswith(".") and name not in SKIPPED_FOLDERS)
        relative = os.path.relpath(root, base).replace(os.sep, "/")
        every_file = relative.split("/", 1)[0] in ASSET_FOLDERS
        for name in sorted(files):
            if every_file or name.endswith(CODE_SUFFIXES):
                with open(os.path.join(root, name), "rb") as file:
                    content = file.read()
                digest.update(f"{relative}/{name}\0{len(content)}\0".encode())
                digest.update(content)
    return digest.hexdigest()[:16]
