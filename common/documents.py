"""Uploaded documents (PDF files such as a meeting's minutes): what passes, how they are named, how big they read.

`check_pdf(upload)` accepts a file only when its name ends with .pdf AND its first bytes are the PDF signature
(`%PDF-`), and when it holds at most 10 MB: a script or an image renamed to .pdf is refused, and so is a PDF
named otherwise. Stored files get a random name that is never reused, as images do (common/images.py), so the
storage (local disk or object storage, common/storage.py) may let browsers keep them for good; the name always
ends with .pdf, so the file is served as a PDF whatever it was called when uploaded.
"""

import posixpath
import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from . import images
from .forms import CheckedUploadField

MAX_BYTES = images.MAX_BYTES  # the same 10 MB as an image, and the same words for it
PDF_SIGNATURE = b"%PDF-"
ACCEPT = ".pdf,application/pdf"

MESSAGES = {
    "too_big": images.MESSAGES["too_big"],
    "empty": images.MESSAGES["empty"],
    "extension": _("Można wgrać tylko plik PDF (z rozszerzeniem .pdf)."),
    "not_pdf": _("Ten plik nie jest dokumentem PDF, choć ma taką nazwę. Zapisz go jako PDF i wgraj ponownie."),
}


def check_pdf(upload):
    """A ValidationError with a Polish message unless `upload` is a PDF (by name and by content) of at most 10 MB."""
    name = getattr(upload, "name", "") or ""
    if posixpath.splitext(name)[1].lower() != ".pdf":
        raise ValidationError(MESSAGES["extension"], code="extension")
    size = getattr(upload, "size", None)
    if size == 0:
        raise ValidationError(MESSAGES["empty"], code="empty")
    if size is not None and size > MAX_BYTES:
        raise ValidationError(MESSAGES["too_big"], code="too_big")
    if hasattr(upload, "seek"):
        upload.seek(0)
    try:
        start = upload.read(len(PDF_SIGNATURE))
    finally:
        if hasattr(upload, "seek"):
            upload.seek(0)
    if start != PDF_SIGNATURE:
        raise ValidationError(MESSAGES["not_pdf"], code="not_pdf")


class PdfUploadField(CheckedUploadField):
    """A file that must be a PDF of at most 10 MB (check_pdf), checked when a new one is uploaded."""

    check = staticmethod(check_pdf)

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Tylko PDF, najwyżej 10 MB."))
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)


class PdfFileField(models.FileField):
    """A model's PDF file: every form built from it (the admin's included) checks uploads with check_pdf."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PdfUploadField, **kwargs})


def random_name(directory, extension):
    """A new stored name in `directory`: 'minutes/3f9c0a1b2c3d4e5f.pdf' (never the uploaded file's own name)."""
    return f"{directory.rstrip('/')}/{secrets.token_hex(8)}.{extension}"


def size_label(size):
    """A file's size as people read it beside a link: '120 kB', '2,4 MB' (in the active language's format)."""
    if size is None:
        return ""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} kB"
    return f"{number_format(round(size / (1024 * 1024), 1), 1)} MB"
