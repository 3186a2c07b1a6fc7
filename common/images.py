"""The image pipeline every upload goes through (logos, cover photos, people's photos, event images).

1. `check_image(upload)` decides what the file is by decoding it with Pillow, never by its
   name: only JPEG, PNG and WebP pass. The byte size (10 MB) and the pixel count
   (25 megapixels) are checked from the header BEFORE the pixels are decoded, so a
   decompression bomb is refused without eating memory.
2. `store_image(upload, directory)` re-encodes it: the EXIF orientation is applied to the
   pixels, then every piece of metadata (EXIF with GPS, XMP, comments) is left behind.
   Next to the original go resized copies of `WIDTHS` pixels wide, with names derived from
   the original's (`abc.jpg` -> `abc.w160.jpg`, `abc.w1200.jpg`); a copy is made only when
   the original is wider.
3. `delete_image(name)` removes the original and its copies together; `delete_files_with_rows(*models)` has
   every stored file of a deleted row removed once the deletion is committed (images with their copies, PDFs too).

Which copies exist is known from the database, never asked of the storage: every image field
`x` has a field `x_width` beside it with the original's width, and a copy is made exactly when
the original is wider (`copy_widths`). So a page is rendered without a single call to the
storage (on object storage each would be a request), and `url()` only builds a string.
Changing WIDTHS therefore needs the copies of the images already stored to be made anew.
"""

import io
import posixpath
import secrets
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import FileField, ImageField
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 25_000_000
WIDTHS = (160, 1200)
# Pillow's format name -> the file extension we store it under.
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
ACCEPT = "image/jpeg,image/png,image/webp"

MESSAGES = {
    "too_big": _("Plik jest za duży: można wgrać najwyżej 10 MB."),
    "empty": _("Plik jest pusty."),
    "not_image": _("Ten plik nie jest obrazem JPEG, PNG ani WebP. Zapisz zdjęcie w jednym z tych formatów."),
    "format": _("Obsługujemy tylko obrazy JPEG, PNG i WebP (ten plik to %(format)s)."),
    "too_many_pixels": _(
        "Obraz ma za dużo pikseli: najwyżej 25 megapikseli (np. 6000 × 4000). Zmniejsz go przed wgraniem."
    ),
    "broken": _("Obraz jest uszkodzony albo niepełny. Zapisz go jeszcze raz i wgraj ponownie."),
}


@dataclass(frozen=True)
class ImageInfo:
    format: str
    width: int
    height: int


@dataclass(frozen=True)
class StoredImage:
    name: str
    width: int  # of the original as stored (upright); it tells which copies were made


def _rewind(upload):
    if hasattr(upload, "seek"):
        upload.seek(0)


def check_image(upload):
    """What the upload really is, or a ValidationError with a Polish message."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(MESSAGES["too_big"], code="too_big")
    if size == 0:
        raise ValidationError(MESSAGES["empty"], code="empty")
    _rewind(upload)
    try:
        with warnings.catch_warnings():
            # A DecompressionBombWarning (over Pillow's own soft limit) is an error here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format, (width, height) = image.format, image.size
                if image_format not in FORMATS:
                    raise ValidationError(MESSAGES["format"], code="format", params={"format": image_format})
                # The header is read; nothing is decoded yet. Refuse big images before decoding.
                if width * height > MAX_PIXELS:
                    raise ValidationError(MESSAGES["too_many_pixels"], code="too_many_pixels")
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(MESSAGES["too_many_pixels"], code="too_many_pixels") from None
    except UnidentifiedImageError:
        raise ValidationError(MESSAGES["not_image"], code="not_image") from None
    except ValidationError:
        raise
    except (OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(MESSAGES["broken"], code="broken") from None
    finally:
        _rewind(upload)
    return ImageInfo(image_format, width, height)


def _clean_copy(image):
    """The pixels turned upright, without any metadata but colour profile and transparency."""
    upright = ImageOps.exif_transpose(image)
    keep = {key: upright.info[key] for key in ("transparency", "icc_profile") if key in upright.info}
    upright.info = keep
    return upright


def _encode(image, image_format):
    options = {}
    if image_format == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        options = {"quality": 85, "optimize": True, "progressive": True}
    elif image_format == "WEBP":
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.mode or "transparency" in image.info else "RGB")
        options = {"quality": 85}
    else:
        options = {"optimize": True}
        if "transparency" in image.info:
            options["transparency"] = image.info["transparency"]
    if "icc_profile" in image.info:
        options["icc_profile"] = image.info["icc_profile"]
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def variant_name(name, width):
    """The stored name of the copy `width` pixels wide: 'logos/abc.jpg' -> 'logos/abc.w160.jpg'."""
    # Storage names always use "/", whatever the storage (local disk or object storage).
    stem, ext = posixpath.splitext(name)
    return f"{stem}.w{width}{ext}"


def copy_widths(width):
    """The widths of the resized copies stored for an original `width` pixels wide (none when unknown)."""
    return tuple(copy for copy in WIDTHS if width and width > copy)


def width_field(field_name):
    """The model field that keeps the original's width of the image field `field_name`: logo -> logo_width."""
    return f"{field_name}_width"


def store_image(upload, directory, *, storage=None):
    """Check, re-encode and store an upload with its resized copies; returns a StoredImage."""
    storage = storage or default_storage
    info = check_image(upload)
    ext = FORMATS[info.format]
    stored = []
    try:
        with Image.open(upload) as image:
            image.load()
            clean = _clean_copy(image)
        directory = str(directory).rstrip("/")
        name = storage.save(f"{directory}/{secrets.token_hex(8)}.{ext}", ContentFile(_encode(clean, info.format)))
        stored.append(name)
        for width in copy_widths(clean.width):
            height = max(1, round(clean.height * width / clean.width))
            copy = clean.resize((width, height), Image.Resampling.LANCZOS)
            copy.info = dict(clean.info)
            stored.append(storage.save(variant_name(name, width), ContentFile(_encode(copy, info.format))))
    except Exception:
        for stored_name in stored:
            storage.delete(stored_name)
        raise
    finally:
        _rewind(upload)
    return StoredImage(name, clean.width)


def read_width(name, *, storage=None):
    """The width of a stored original read from its header, or None when it is missing or unreadable.

    For data migrations only: pages take the width from the database.
    """
    storage = storage or default_storage
    try:
        with storage.open(name) as stored, Image.open(stored) as image:
            return image.width
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None


def fill_widths(model, field_names, *, storage=None):
    """For a data migration: set `<field>_width` of every row with an image whose width is not yet known."""
    for field_name in field_names:
        rows = model.objects.exclude(**{field_name: ""}).filter(**{f"{width_field(field_name)}__isnull": True})
        for pk, name in list(rows.values_list("pk", field_name)):
            width = read_width(name, storage=storage)
            if width is not None:
                # update(): neither `updated_at` nor the history changes for a fact that was always true.
                model.objects.filter(pk=pk).update(**{width_field(field_name): width})


def delete_image(name, *, storage=None):
    """Delete a stored image and its resized copies (missing files are fine)."""
    if not name:
        return
    storage = storage or default_storage
    for path in (name, *(variant_name(name, width) for width in WIDTHS)):
        storage.delete(path)


def delete_files_with_rows(*models):
    """Delete the stored files of these models' rows (images with their resized copies, PDFs) once a row's deletion
    is committed, however it went: one row, the admin's bulk action, or with the row it belonged to (a practice's
    photos, a meeting's minutes). A page with the file's address would otherwise keep serving it.

    Each app calls this from its AppConfig.ready() for its models with files. Rows never share a stored name (a
    copied event gets no photo), except that a merge hands the merged organisation's logo to the one that stays:
    a name another row of the model holds when the deletion is committed is kept.
    """
    for model in models:
        post_delete.connect(_delete_files, sender=model, dispatch_uid=f"wspl_files_of_{model._meta.label_lower}")


def _delete_files(sender, instance, using, **kwargs):
    stored = [
        (field, name)
        for field in sender._meta.concrete_fields
        if isinstance(field, FileField) and (name := getattr(instance, field.attname).name)
    ]

    def delete():
        for field, name in stored:
            # The base manager: every row counts, whatever a model's default manager would leave out.
            if sender._base_manager.using(using).filter(**{field.name: name}).exists():
                continue
            if isinstance(field, ImageField):
                delete_image(name, storage=field.storage)
            else:
                field.storage.delete(name)

    if stored:
        transaction.on_commit(delete, using=using)


def image_sources(field_file, width):
    """(src, srcset) for an image field whose original is `width` pixels wide (None: unknown).

    The copies come from `width` alone (see copy_widths), widest last; the original is the
    fallback. Only `url()` is called, which builds a string without asking the storage.
    """
    if not field_file:
        return "", ""
    storage, name = field_file.storage, field_file.name
    copies = copy_widths(width)
    if not copies:
        return storage.url(name), ""
    srcset = [f"{storage.url(variant_name(name, copy))} {copy}w" for copy in copies]
    if copies[-1] == WIDTHS[-1]:
        return storage.url(variant_name(name, copies[-1])), ", ".join(srcset)
    # The original is narrower than the widest copy would be: it is the largest size we have.
    srcset.append(f"{storage.url(name)} {width}w")
    return storage.url(name), ", ".join(srcset)


def share_image_url(field_file, width, share_width):
    """The URL of the copy `share_width` pixels wide when the original was wider, else the original's."""
    if not field_file:
        return ""
    name = field_file.name
    return field_file.storage.url(variant_name(name, share_width) if share_width in copy_widths(width) else name)


@contextmanager
def replacing_images(instance, uploads):
    """Store new uploads on image fields of `instance`; undo on failure, clean up on success.

    `uploads` maps a field name to an uploaded file (store it), False (remove the image)
    or None (leave it). New files are deleted again if anything inside the block fails;
    the replaced files (and their resized copies) are deleted once the change is committed.
    """
    created, replaced = [], []
    try:
        for field_name, upload in uploads.items():
            if upload is None:
                continue
            old_name = getattr(instance, field_name).name
            new_name, new_width = "", None
            if upload is not False:
                directory = instance._meta.get_field(field_name).upload_to
                stored = store_image(upload, directory)
                new_name, new_width = stored.name, stored.width
                created.append(new_name)
            setattr(instance, field_name, new_name)
            setattr(instance, width_field(field_name), new_width)
            if old_name:
                replaced.append(old_name)
        yield
    except BaseException:
        for name in created:
            delete_image(name)
        raise
    transaction.on_commit(lambda: [delete_image(name) for name in replaced])
