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
3. `delete_image(name)` removes the original and its copies together.
"""

import contextlib
import io
import os
import secrets
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
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
    stem, ext = os.path.splitext(name)
    return f"{stem}.w{width}{ext}"


def store_image(upload, directory, *, storage=None):
    """Check, re-encode and store an upload with its resized copies; returns the stored name."""
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
        for width in WIDTHS:
            if clean.width <= width:
                continue
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
    return name


def delete_image(name, *, storage=None):
    """Delete a stored image and its resized copies (missing files are fine)."""
    if not name:
        return
    storage = storage or default_storage
    for path in (name, *(variant_name(name, width) for width in WIDTHS)):
        storage.delete(path)


def image_sources(field_file, *, storage=None):
    """(src, srcset) for an image field: the copies that exist, widest last; the original as fallback."""
    if not field_file:
        return "", ""
    storage = storage or field_file.storage
    name = field_file.name
    candidates = [(width, variant_name(name, width)) for width in WIDTHS]
    existing = [(width, path) for width, path in candidates if storage.exists(path)]
    if not existing:
        return storage.url(name), ""
    srcset = [f"{storage.url(path)} {width}w" for width, path in existing]
    if existing[-1][0] != WIDTHS[-1]:
        # The original is narrower than the widest copy would be: it is the largest size we have.
        with contextlib.suppress(OSError, ValueError, TypeError):
            srcset.append(f"{storage.url(name)} {field_file.width}w")
    return storage.url(existing[-1][1] if existing[-1][0] == WIDTHS[-1] else name), ", ".join(srcset)


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
            new_name = ""
            if upload is not False:
                directory = instance._meta.get_field(field_name).upload_to
                new_name = store_image(upload, directory)
                created.append(new_name)
            setattr(instance, field_name, new_name)
            if old_name:
                replaced.append(old_name)
        yield
    except BaseException:
        for name in created:
            delete_image(name)
        raise
    transaction.on_commit(lambda: [delete_image(name) for name in replaced])
