"""The image pipeline: what is accepted, what is refused (with which message), what is stored."""

import io
import resource
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from PIL import ExifTags, Image

from common import images
from partnerships.models import Partnership
from tests import factories

RED, BLUE = (220, 20, 20), (20, 20, 220)


def upload(name, content, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def jpeg_with_gps_and_rotation(width=3000, height=1500):
    """Left half red, right half blue; EXIF says "rotate 90° clockwise to view" and where it was taken."""
    image = Image.new("RGB", (width, height), BLUE)
    image.paste(RED, (0, 0, width // 2, height))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Aparat Testowy"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 13.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (21.0, 0.0, 45.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=90)
    return buffer.getvalue()


def encoded(image_format, size=(400, 300), mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, (30, 120, 90, 128) if mode == "RGBA" else (30, 120, 90)).save(buffer, image_format)
    return buffer.getvalue()


def png_header_only(width, height):
    """A tiny PNG file whose header declares a huge image (a decompression bomb)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def refused(content, name="plik.jpg"):
    with pytest.raises(ValidationError) as caught:
        images.check_image(upload(name, content))
    return caught.value.messages[0]


# --- accepted -----------------------------------------------------------------------------


@pytest.mark.parametrize(("image_format", "expected"), [("JPEG", "JPEG"), ("PNG", "PNG"), ("WEBP", "WEBP")])
def test_jpeg_png_and_webp_are_accepted_by_their_content(image_format, expected):
    info = images.check_image(upload("bez-rozszerzenia", encoded(image_format)))

    assert info.format == expected
    assert (info.width, info.height) == (400, 300)


def test_stored_jpeg_is_upright_and_has_no_exif_or_gps(settings):
    original = jpeg_with_gps_and_rotation()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo), "the test file must carry GPS"

    name = images.store_image(upload("wakacje.jpg", original), "partnerships/covers").name

    with default_storage.open(name) as stored_file, Image.open(stored_file) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (1500, 3000)  # turned as EXIF said
        assert len(stored.getexif()) == 0
        assert not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert "exif" not in stored.info
        top, bottom = stored.getpixel((750, 20)), stored.getpixel((750, 2980))
    assert top[0] > 150 and top[2] < 100, top  # the red half is on top now
    assert bottom[2] > 150 and bottom[0] < 100, bottom
    assert name.startswith("partnerships/covers/") and name.endswith(".jpg")
    assert b"Aparat Testowy" not in default_storage.open(name).read()


def test_resized_copies_are_stored_next_to_the_original_and_keep_no_exif():
    name = images.store_image(upload("wakacje.jpg", jpeg_with_gps_and_rotation()), "partnerships/covers").name

    for width in images.WIDTHS:
        copy_name = images.variant_name(name, width)
        assert copy_name == name.replace(".jpg", f".w{width}.jpg")
        with default_storage.open(copy_name) as copy_file, Image.open(copy_file) as copy:
            assert copy.width == width
            assert len(copy.getexif()) == 0


def test_no_copy_wider_than_the_original_and_the_width_tells_which_copies_exist():
    stored = images.store_image(upload("logo.png", encoded("PNG", size=(600, 200))), "partnerships/logos")

    assert default_storage.exists(images.variant_name(stored.name, 160))
    assert not default_storage.exists(images.variant_name(stored.name, 1200))
    assert stored.width == 600 and images.copy_widths(stored.width) == (160,)


@pytest.mark.parametrize(
    ("width", "copies"), [(None, ()), (160, ()), (161, (160,)), (1200, (160,)), (1201, (160, 1200))]
)
def test_a_copy_exists_exactly_when_the_original_is_wider(width, copies):
    if width:
        stored = images.store_image(upload("a.png", encoded("PNG", size=(width, 50))), "partnerships/logos")
        made = tuple(w for w in images.WIDTHS if default_storage.exists(images.variant_name(stored.name, w)))
        assert made == copies
    assert images.copy_widths(width) == copies


@pytest.mark.parametrize(("image_format", "ext"), [("PNG", "png"), ("WEBP", "webp")])
def test_png_and_webp_keep_their_format_and_transparency(image_format, ext):
    name = images.store_image(upload("logo", encoded(image_format, mode="RGBA")), "partnerships/logos").name

    assert name.endswith(f".{ext}")
    with default_storage.open(name) as stored_file, Image.open(stored_file) as stored:
        assert stored.format == image_format
        assert "A" in stored.mode


def test_delete_image_removes_the_original_and_its_copies():
    name = images.store_image(upload("wakacje.jpg", jpeg_with_gps_and_rotation()), "events").name

    images.delete_image(name)

    for path in (name, *(images.variant_name(name, width) for width in images.WIDTHS)):
        assert not default_storage.exists(path)


@pytest.mark.django_db
def test_template_tag_renders_srcset_from_the_copies():
    stored = images.store_image(upload("wakacje.jpg", jpeg_with_gps_and_rotation()), "partnerships/covers")
    partnership = factories.partnership(cover=stored.name, cover_width=stored.width, cover_alt="Sąsiedzi na pikniku")
    name = stored.name

    html = render_cover(partnership)

    stem = name.rsplit(".", 1)[0]
    assert f'srcset="/media/{stem}.w160.jpg 160w, /media/{stem}.w1200.jpg 1200w"' in html
    assert f'src="/media/{stem}.w1200.jpg"' in html
    assert 'alt="Sąsiedzi na pikniku"' in html


def render_cover(partnership):
    template = '{% load wspl_content %}{% responsive_image p.cover p.cover_width alt=p.cover_alt sizes="100vw" %}'
    return Template(template).render(Context({"p": partnership}))


@pytest.mark.django_db
def test_srcset_of_an_original_narrower_than_the_widest_copy_ends_with_the_original():
    stored = images.store_image(upload("logo.png", encoded("PNG", size=(600, 200))), "partnerships/covers")
    partnership = factories.partnership(cover=stored.name, cover_width=stored.width, cover_alt="Logo")

    html = render_cover(partnership)

    stem = stored.name.rsplit(".", 1)[0]
    assert f'srcset="/media/{stem}.w160.png 160w, /media/{stored.name} 600w"' in html
    assert f'src="/media/{stored.name}"' in html


# --- refused ------------------------------------------------------------------------------


def test_text_file_named_jpg_is_refused():
    message = refused(b"To nie jest zdjecie, tylko zwykly tekst.\n" * 20, "zdjecie.jpg")

    assert message == "Ten plik nie jest obrazem JPEG, PNG ani WebP. Zapisz zdjęcie w jednym z tych formatów."


def test_html_file_is_refused():
    message = refused(b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "logo.png")

    assert "nie jest obrazem JPEG, PNG ani WebP" in message


def test_svg_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'

    assert "nie jest obrazem JPEG, PNG ani WebP" in refused(svg, "logo.svg")


def test_gif_is_refused_even_though_pillow_reads_it():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "GIF")

    assert refused(buffer.getvalue(), "obrazek.jpg") == "Obsługujemy tylko obrazy JPEG, PNG i WebP (ten plik to GIF)."


def test_truncated_jpeg_is_refused():
    whole = encoded("JPEG", size=(800, 600))

    assert refused(whole[: len(whole) // 2]) == (
        "Obraz jest uszkodzony albo niepełny. Zapisz go jeszcze raz i wgraj ponownie."
    )


def test_decompression_bomb_is_refused_without_eating_memory():
    bomb = png_header_only(20000, 20000)
    assert len(bomb) < 2000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    message = refused(bomb, "bomba.png")

    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert "za dużo pikseli" in message
    assert grown_kb < 50_000  # 20000 × 20000 RGB would need about 1.2 GB


def test_image_over_25_megapixels_is_refused_before_decoding():
    assert "najwyżej 25 megapikseli" in refused(png_header_only(9000, 5000), "duze.png")


def test_file_over_10_mb_is_refused():
    big = upload("duze.jpg", b"\xff\xd8" + b"0" * (10 * 1024 * 1024))

    with pytest.raises(ValidationError) as caught:
        images.check_image(big)

    assert caught.value.messages == ["Plik jest za duży: można wgrać najwyżej 10 MB."]


def test_empty_file_is_refused():
    with pytest.raises(ValidationError):
        images.check_image(upload("pusty.jpg", b""))


# --- the admin uses the same pipeline -------------------------------------------------------


@pytest.mark.django_db
def test_admin_upload_is_reencoded_with_copies(staff_client):
    from tests.wspl_site.test_admin import admin_url, partnership_form

    data = partnership_form(staff_client, logo_alt="Logo", logo=upload("logo.jpg", jpeg_with_gps_and_rotation()))

    response = staff_client.post(admin_url(Partnership, "add"), data)

    assert response.status_code == 302
    partnership = Partnership.objects.get()
    logo = partnership.logo
    assert partnership.logo_width == 1500  # upright: the EXIF rotation is applied
    assert default_storage.exists(images.variant_name(logo.name, 160))
    with default_storage.open(logo.name) as stored_file, Image.open(stored_file) as stored:
        assert len(stored.getexif()) == 0 and stored.size == (1500, 3000)


@pytest.mark.django_db
def test_admin_clearing_a_logo_forgets_its_width_and_deletes_its_files(
    staff_client, django_capture_on_commit_callbacks
):
    from tests.wspl_site.test_admin import admin_url, partnership_form

    data = partnership_form(staff_client, logo_alt="Logo")
    added = staff_client.post(admin_url(Partnership, "add"), {**data, "logo": upload("logo.png", encoded("PNG"))})
    assert added.status_code == 302
    partnership = Partnership.objects.get()
    assert partnership.logo_width == 400

    with django_capture_on_commit_callbacks(execute=True):
        changed = staff_client.post(admin_url(Partnership, "change", partnership.pk), {**data, "logo-clear": "on"})

    assert changed.status_code == 302
    cleared = Partnership.objects.get()
    assert not cleared.logo and cleared.logo_width is None
    assert not default_storage.exists(partnership.logo.name)
    assert not default_storage.exists(images.variant_name(partnership.logo.name, 160))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "plik graficzny"),
        ("logo.gif", b"", "Obsługujemy tylko obrazy JPEG, PNG i WebP (ten plik to GIF)."),
    ],
)
def test_admin_refuses_what_the_pipeline_refuses(staff_client, name, content, message):
    from tests.wspl_site.test_admin import admin_url, partnership_form

    if name.endswith(".gif"):
        buffer = io.BytesIO()
        Image.new("RGB", (20, 20)).save(buffer, "GIF")
        content = buffer.getvalue()
    data = partnership_form(staff_client, logo=upload(name, content, "image/svg+xml"))

    response = staff_client.post(admin_url(Partnership, "add"), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Partnership.objects.exists()
