"""Attack files (corpora.attack_files, made in the test) in every image field of the coordinator's forms, and in the
one file field that takes documents (the PDF attachments of minutes, in the admin).

Expected: refused with a Polish message and nothing stored, or stored as a clean re-encoded JPEG, PNG or WebP with
no trace of the file's script. The image fields are found on the pages (file inputs of each form). The PDF field
takes a file only when its name ends with .pdf and it starts with %PDF-, and stores it under a new .pdf name.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from PIL import Image

from . import totals
from .corpora import attack_files
from .forms import edit_form
from .inert import response_problems
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


def stored_images_problems(new_files):
    found = [problem for path in new_files for problem in clean_image_problems(path)]
    return found if new_files else [*found, "saved, but no image was stored"]


def try_upload(client, url, data, refusals, stored_problems):
    """Post `data` (with its files) in a savepoint that is rolled back, and delete what it stored: (outcome, problems).

    Saved (302): `stored_problems(new files)` says what is wrong with them. Refused: a 200 with one of `refusals`,
    and no row nor file left behind. Anything else is a problem."""
    before_files = stored_files()
    with transaction.atomic():
        before = snapshot()
        response = client.post(url, data)
        text = response.content.decode(errors="replace")
        new_files = stored_files() - before_files
        if response.status_code == 302:
            found, outcome = stored_problems(new_files), "inert"
        elif response.status_code == 200 and any(message in text for message in refusals):
            found = ["refused, but rows were added or changed"] if snapshot() != before else []
            found += ["refused, but a file was stored"] if new_files else []
            outcome = "refused"
        else:
            found, outcome = [f"answered {response.status_code} without the pipeline's message"], "problems"
        transaction.set_rollback(True)
    for path in new_files:
        path.unlink()
    return ("problems" if found else outcome), found


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
            outcome, found = try_upload(client, url, {**baseline, **uploads}, POLISH_REFUSALS, stored_images_problems)
            problems.extend(f"{url} {what}: {problem}" for problem in found)
            totals.count("uploads", outcome)

    assert fields >= 7
    assert not problems, "\n".join(problems)


PDF_REFUSALS = ("Plik jest", "nie jest dokumentem PDF", "Można wgrać tylko plik PDF")
POLYGLOT_PDF = b"%PDF-1.4\n<html><script>alert('wsplxss')</script></html>\n%%EOF\n"


def pdf_attack_files():
    """(name, bytes, what) for the PDF field: every image attack under its own name and renamed to .pdf, a PDF with a
    second extension, and a PDF/HTML polyglot (a PDF by its first bytes: stored, always under a new .pdf name)."""
    files = []
    for name, content, what in attack_files():
        files.append((name, content, what))
        files.append((f"{Path(name).stem}.pdf", content, f"{what}, renamed .pdf"))
    files.append(("protokol.pdf.html", POLYGLOT_PDF, "PDF with a second extension"))
    files.append(("protokol.pdf", POLYGLOT_PDF, "PDF/HTML polyglot"))
    return files


def test_the_minutes_pdf_field_refuses_attack_files_or_stores_them_as_pdf(clean_site, staff_client):
    """The one file field that is not an image (events.MinutesAttachment.file, in the minutes' admin): what is not a
    PDF by name and by its first bytes is refused with a Polish message and nothing stored; a PDF is stored under a
    new random .pdf name (served as a PDF), and the pages that link it stay inert."""
    s, client, problems = clean_site, staff_client, []
    minutes, attachment = s.minutes, s.minutes.attachments.get()
    url = reverse("admin:events_minutes_change", args=[minutes.pk])
    baseline = {
        "event": minutes.event_id,
        "body": minutes.body,
        "working_groups": [group.pk for group in minutes.working_groups.all()],
        "is_published": "on",
        "attachments-TOTAL_FORMS": "2",
        "attachments-INITIAL_FORMS": "1",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
        "attachments-0-id": attachment.pk,
        "attachments-0-minutes": minutes.pk,
        "attachments-0-title": attachment.title,
        "attachments-1-minutes": minutes.pk,
        "attachments-1-title": "Załącznik",
        "_save": "Zapisz",
    }
    pages = (s.general_meeting.get_absolute_url(), url)
    for file_name, content, what in pdf_attack_files():

        def stored_pdf_problems(new_files, file_name=file_name, content=content):
            found = [f"{path.name}: not a new .pdf name" for path in new_files if path.suffix != ".pdf"]
            found += [] if new_files else ["saved, but no file was stored"]
            if not content.startswith(b"%PDF-") or not file_name.endswith(".pdf"):
                found.append("a file that is not a PDF was accepted")
            return found + [f"{page}: {problem}" for page in pages for problem in response_problems(client.get(page))]

        data = {**baseline, "attachments-1-file": SimpleUploadedFile(file_name, content)}
        outcome, found = try_upload(client, url, data, PDF_REFUSALS, stored_pdf_problems)
        problems.extend(f"{what}: {problem}" for problem in found)
        totals.count("uploads (PDF)", outcome)

    assert not problems, "\n".join(problems)
