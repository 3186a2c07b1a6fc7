"""Resource limits and what a person sees when a request goes over them: images of more than 25 megapixels are
refused on the form before they are decoded; a request with too much form text or too many fields gets the
site's 400 page; a form without a valid CSRF token gets the site's 403 page. Nothing is saved in any case.
"""

import io
import os
import re
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.exceptions import DisallowedHost, RequestDataTooBig, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from common import images
from common.forms import version_of
from coordinator.errors import bad_request
from partnerships.models import CoordinatorAccess, Partnership
from tests import factories
from tests.common.test_images import png_header_only
from tests.conftest import AxesClient

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture
def partnership():
    return factories.partnership(name="Partnerstwo Sady", districts=["zoliborz"])


@pytest.fixture
def coordinator(django_user_model, partnership):
    user = django_user_model.objects.create_user(username="koordynatorka", password="haslo-testowe-123")
    CoordinatorAccess.objects.create(user=user, partnership=partnership)
    return user


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def images_url(partnership):
    return reverse("coordinator:partnership_images", kwargs={"slug": partnership.slug})


def one_bit_png(width, height):
    """A real PNG of width × height pixels, black and white: a few kilobytes even at 26 megapixels."""
    buffer = io.BytesIO()
    Image.new("1", (width, height), 1).save(buffer, "PNG")
    return buffer.getvalue()


def noise_png(width, height):
    """A PNG that does not compress: about width × height × 3 bytes."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(buffer, "PNG")
    return buffer.getvalue()


def post_logo(client, partnership, content, **extra):
    data = {
        "version": version_of(Partnership.objects.get(pk=partnership.pk)),
        "logo_file": SimpleUploadedFile("logo.png", content, "image/png"),
        "logo_alt": "Logo: zielony dom",
        "cover_alt": "",
        **extra,
    }
    return client.post(images_url(partnership), data)


def assert_nothing_saved(partnership):
    partnership.refresh_from_db()
    assert not partnership.logo and partnership.logo_alt == ""
    assert not default_storage.exists("partnerships/logos")


def page_text(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def assert_site_page(response, heading):
    """One h1 with `heading`, in the site's layout (header, menu, footer), with a title and a description."""
    page = response.content.decode()
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", page, re.S) == [heading]
    assert '<header class="site-header">' in page and "<footer" in page
    assert re.search(r"<title>(.+) · WSPL</title>", page).group(1) == heading
    assert re.search(r'<meta name="description" content="[^"]{15,}">', page)
    assert '<meta name="robots" content="noindex">' in page


# --- images: 25 megapixels at most -------------------------------------------------------------------------------


def test_image_of_26_megapixels_is_refused_on_the_form_and_nothing_is_saved(coordinator_client, partnership):
    content = one_bit_png(5200, 5000)
    assert len(content) < 100_000

    response = post_logo(coordinator_client, partnership, content)

    assert response.status_code == 200
    assert (
        "Obraz ma za dużo pikseli: najwyżej 25 megapikseli (np. 6000 × 4000). Zmniejsz go przed wgraniem."
        in page_text(response)
    )
    assert_nothing_saved(partnership)


def test_image_of_26_megapixels_is_refused_from_its_header_without_decoding():
    # A PNG whose header claims 5200 × 5000 but holds almost no pixel data: decoding it would fail as "broken".
    with pytest.raises(ValidationError) as caught:
        images.check_image(SimpleUploadedFile("duze.png", png_header_only(5200, 5000), "image/png"))

    assert caught.value.code == "too_many_pixels"


def test_image_of_25_megapixels_is_accepted(coordinator_client, partnership):
    response = post_logo(coordinator_client, partnership, one_bit_png(5000, 5000))

    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.logo.name.startswith("partnerships/logos/")


def test_an_image_larger_than_the_memory_limits_is_still_accepted(coordinator_client, partnership):
    """Uploaded files do not count against the form-text limit; above 2 MB they wait in a temporary file."""
    content = noise_png(1100, 1000)
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE < len(content) <= images.MAX_BYTES

    response = post_logo(coordinator_client, partnership, content)

    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.logo


def test_a_file_over_10_mb_gets_the_forms_own_message(coordinator_client, partnership):
    response = post_logo(coordinator_client, partnership, b"\x89PNG" + b"0" * images.MAX_BYTES)

    assert response.status_code == 200
    assert "Plik jest za duży: można wgrać najwyżej 10 MB." in page_text(response)
    assert_nothing_saved(partnership)


# --- request size: the 400 page ----------------------------------------------------------------------------------


def assert_request_refused_page(response):
    assert response.status_code == 400
    assert_site_page(response, "Formularz lub plik jest za duży")
    text = page_text(response)
    assert "niczego nie zapisaliśmy" in text
    # The limits the page names are the ones in force.
    assert f"Tekst wpisany w formularz: najwyżej {settings.DATA_UPLOAD_MAX_MEMORY_SIZE // MB} MB." in text
    assert f"najwyżej {images.MAX_BYTES // MB} MB i {images.MAX_PIXELS // 1_000_000} megapikseli" in text


def test_form_text_over_the_limit_gets_the_polish_400_page_and_nothing_is_saved(coordinator_client, partnership):
    response = post_logo(
        coordinator_client, partnership, one_bit_png(400, 300), logo_alt="a" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    )

    assert_request_refused_page(response)
    assert_nothing_saved(partnership)


def test_urlencoded_form_over_the_limit_gets_the_polish_400_page(coordinator_client, partnership):
    body = urlencode(
        {
            "version": version_of(partnership),
            "logo_alt": "ż" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 6 + 1),  # 6 bytes each, URL-encoded
        }
    )

    response = coordinator_client.post(images_url(partnership), body, content_type="application/x-www-form-urlencoded")

    assert_request_refused_page(response)
    assert_nothing_saved(partnership)


def test_too_many_fields_get_the_polish_400_page_and_nothing_is_saved(coordinator_client, partnership):
    extra = {f"pole{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)}

    response = post_logo(coordinator_client, partnership, one_bit_png(400, 300), **extra)

    assert_request_refused_page(response)
    assert_nothing_saved(partnership)


def test_too_many_files_get_the_polish_400_page(coordinator_client, partnership):
    files = {
        f"plik{i}": SimpleUploadedFile(f"{i}.png", b"x", "image/png")
        for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES)
    }

    response = post_logo(coordinator_client, partnership, one_bit_png(400, 300), **files)

    assert_request_refused_page(response)
    assert_nothing_saved(partnership)


def test_with_csrf_checks_on_a_body_over_the_limit_is_refused_as_too_large(coordinator, partnership):
    """The CSRF check reads the form first: the visitor learns the form was too large, not that it expired."""
    client = AxesClient(enforce_csrf_checks=True)
    client.force_login(coordinator)
    client.get(images_url(partnership))

    response = post_logo(
        client,
        partnership,
        one_bit_png(400, 300),
        csrfmiddlewaretoken=client.cookies["csrftoken"].value,
        logo_alt="a" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
    )

    assert_request_refused_page(response)
    assert_nothing_saved(partnership)


# --- CSRF: the 403 page ------------------------------------------------------------------------------------------


def test_form_without_csrf_token_gets_the_polish_403_page_in_the_layout():
    client = AxesClient(enforce_csrf_checks=True)
    login = reverse("account:login")

    response = client.post(login, {"username": "koordynatorka", "password": "haslo-testowe-123"})

    assert response.status_code == 403
    assert_site_page(response, "Formularz wygasł")
    text = page_text(response)
    assert "niczego nie zapisaliśmy" in text and "plików cookie" in text
    assert f'<a href="{login}">Otwórz formularz ponownie</a>' in response.content.decode()
    # Django's reason is for the log, not for the visitor.
    assert "CSRF" not in text and "cookie not set" not in text


def test_coordinator_form_without_csrf_token_saves_nothing(coordinator, partnership):
    client = AxesClient(enforce_csrf_checks=True)
    client.force_login(coordinator)

    response = post_logo(client, partnership, one_bit_png(400, 300))

    assert response.status_code == 403
    assert_site_page(response, "Formularz wygasł")
    assert_nothing_saved(partnership)


def test_csrf_page_is_in_english_under_en():
    with translation.override("en"):
        login = reverse("account:login")

    response = AxesClient(enforce_csrf_checks=True).post(login, {"username": "x"})

    assert response.status_code == 403
    page = response.content.decode()
    assert '<html lang="en">' in page and len(re.findall(r"<h1[ >]", page)) == 1


# --- a Host header the site does not serve -----------------------------------------------------------------------


def test_bad_request_view_renders_the_page_without_the_request_for_a_foreign_host(rf):
    request = rf.get("/", HTTP_HOST="evil.example")

    response = bad_request(request, DisallowedHost("Invalid HTTP_HOST header"))

    assert response.status_code == 400
    assert_site_page(response, "Formularz lub plik jest za duży")
    assert "evil.example" not in response.content.decode()


def test_bad_request_view_renders_the_page_with_the_request_otherwise(rf):
    request = rf.post("/", HTTP_HOST="testserver")

    response = bad_request(request, RequestDataTooBig())

    assert_request_refused_page(response)


def test_a_foreign_host_header_gets_400_not_a_server_error(client):
    response = client.get("/", HTTP_HOST="evil.example")

    assert response.status_code == 400
