"""What deploy/backup.sh and deploy/restore.sh refuse, before they touch anything.

The full round trip (a demo site backed up, restored into an empty database and over a changed one,
every table and media file compared) is the restore drill, `make restore-drill`, which .ci/run runs.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(script, *args, env):
    return subprocess.run(
        [ROOT / "deploy" / script, *args],
        env={**os.environ, "PY": sys.executable, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_backup_refuses_sqlite_and_says_what_to_copy(tmp_path):
    result = run(
        "backup.sh",
        env={
            "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
            "DJANGO_MEDIA_ROOT": str(tmp_path / "uploads"),
            "BACKUP_DIR": str(tmp_path / "backups"),
        },
    )

    assert result.returncode == 1
    assert "PostgreSQL only" in result.stderr
    assert f"copy the database file ({tmp_path / 'site.sqlite3'}) and the media folder ({tmp_path / 'uploads'})" in (
        result.stderr
    )
    assert not (tmp_path / "backups").exists()


def test_restore_refuses_an_archive_whose_checksum_does_not_match(tmp_path):
    archive = tmp_path / "wspl-20260101-020000.tar"
    archive.write_bytes(b"an archive damaged on its way off the server")
    (tmp_path / f"{archive.name}.sha256").write_text(f"{'0' * 64}  {archive.name}\n")
    media = tmp_path / "media"
    media.mkdir()
    (media / "logo.jpg").write_bytes(b"kept")

    result = run(
        "restore.sh",
        archive,
        env={
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/wspl_backup_never",
            "DJANGO_MEDIA_ROOT": str(media),
            "RESTORE_YES": "1",
        },
    )

    assert result.returncode == 1
    assert f"{archive} is damaged" in result.stderr
    assert "Nothing was changed" in result.stderr
    assert (media / "logo.jpg").read_bytes() == b"kept"


def test_restore_refuses_an_archive_without_its_checksum_file(tmp_path):
    archive = tmp_path / "wspl-20260101-020000.tar"
    archive.write_bytes(b"whatever")

    result = run("restore.sh", archive, env={"RESTORE_YES": "1"})

    assert result.returncode == 1
    assert f"no checksum file {archive}.sha256" in result.stderr
