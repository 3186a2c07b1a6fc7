"""Attack files (corpora.attack_files, made in the test) in every image field of the coordinator's forms.

Expected: refused with a Polish message and nothing stored, or stored as a clean re-encoded JPEG, PNG or WebP with
no trace of the file's script. The image fields are found on the pages (file inputs of each form).
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from . import totals
from .corpora import attack_files
from .forms import edit_form
from .test_forms import add_form_extras, form_pages, snapshot

pytestmark = pytest.mark.django_db

POLISH_REFUSALS = ("Plik jest", "Ten plik nie jest obrazem", "Obsługujemy tylko", "za dużo pikseli", "uszkodzony")


def stored_files():
    root = Path(settings.MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def clean_image_problems(path):
    content = path.read_bytes()
    problems = [f"{path.name} keeps the file's script"] if b"wsplxss" in content or b"<script" in content else []
    with Image.open(path) as image:
        if image.format not in ("JPEG", "PNG", "WEBP"):
            problems.append(f"{path.name} is stored as {image.format}")
        if image.getexif():
            problems.append(f"{path.name} keeps its EXIF")
    return problems


def test_every_image_field_refuses_attack_files_or_stores_them_re_encoded(clean_site, coordinator_of_clean):
    s, client, problems, fields = clean_site, coordinator_of_clean, [], 0
    extras = add_form_extras(s)
    for name, url, who in form_pages(s):
        if who != "coordinator":
            continue
        page = client.get(url)
        form = edit_form(page.content.decode()) if page.status_code == 200 else None
        if form is None or not form.files:
            continue
        fields += len(form.files)
        baseline = {**form.data, **extras.get(name, {})}
        baseline.update({field: "Opis obrazu" for field in form.typed if field.endswith("alt")})
        if "publication" in form.buttons:
            baseline["publication"] = "publish"
        for file_name, content, what in attack_files():
            uploads = {field: SimpleUploadedFile(file_name, content) for field in form.files}
            before_files = stored_files()
            with transaction.atomic():
                before = snapshot()
                response = client.post(url, {**baseline, **uploads})
                text = response.content.decode(errors="replace")
                new_files = stored_files() - before_files
                if response.status_code == 302:
                    found = [problem for path in new_files for problem in clean_image_problems(path)]
                    if not new_files:
                        found.append("saved, but no image was stored")
                    outcome = "inert"
                elif response.status_code == 200 and any(message in text for message in POLISH_REFUSALS):
                    found = ["refused, but rows were added or changed"] if snapshot() != before else []
                    outcome = "refused"
                else:
                    found = [f"answered {response.status_code} without the pipeline's message"]
                    outcome = "problems"
                transaction.set_rollback(True)
            for path in new_files:
                path.unlink()
            if found:
                problems.extend(f"{url} {what}: {problem}" for problem in found)
                outcome = "problems"
            totals.count("uploads", outcome)

    assert fields >= 7
    assert not problems, "\n".join(problems)
