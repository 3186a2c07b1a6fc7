"""The WSPL logo kit (/siec/logo/): the logo's files, the rules, and the "Członek WSPL" badge's snippet, which
links to the partnership chosen (?partnerstwo=slug) or to the network."""

import html as html_lib
import re
from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation
from PIL import Image

from directory import logo
from tests import factories
from tests.network.conftest import WHO
from tests.utils import MAX_PUBLIC_QUERIES, count_queries

pytestmark = pytest.mark.django_db

BADGE_PNG = "http://testserver/static/img/logo/wspl-member-badge.png"


def url(language="pl", query=""):
    with translation.override(language):
        return reverse("logo") + query


def html(response):
    return response.content.decode()


def snippet_of(response):
    """The badge's HTML as a visitor copies it: the text of the <pre><code> block."""
    match = re.search(r'<pre class="snippet"><code>(.*?)</code></pre>', html(response), flags=re.S)
    return html_lib.unescape(match.group(1))


def error_summary(response):
    match = re.search(r"<div[^>]*data-error-summary.*?</div>", html(response), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(0)).split()) if match else ""


@pytest.mark.parametrize(("file", "name", "background", "width", "height"), logo.VARIANTS)
def test_every_variant_exists_as_svg_and_as_a_png_of_the_size_the_page_names(file, name, background, width, height):
    svg = finders.find(f"img/logo/{file}.svg")
    png = finders.find(f"img/logo/{file}.png")

    root = ElementTree.parse(svg).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.find("{http://www.w3.org/2000/svg}title") is not None  # named for screen readers
    with Image.open(png) as image:
        assert image.format == "PNG" and image.size == (width, height)
        assert image.mode == "RGBA" and image.getpixel((0, 0))[3] == 0  # a transparent corner: no background


def test_the_page_offers_each_file_for_download_with_the_rules(client):
    response = client.get(url())

    assert response.status_code == 200
    page = html(response)
    for file, _name, _background, width, height in logo.VARIANTS:
        assert f'href="/static/img/logo/{file}.svg" download' in page
        assert f'href="/static/img/logo/{file}.png" download' in page
        assert f"Pobierz PNG ({width} × {height} px)" in page
    assert page.count('class="logo-preview logo-preview-dark"') == 2
    assert "Nie zmieniaj kolorów, proporcji ani układu znaku i napisu" in page
    assert len(re.findall(r"<h1[\s>]", page)) == 1


def test_the_badge_links_to_the_network_until_a_partnership_is_chosen(client):
    factories.partnership(name="Nasze Stegny", slug="nasze-stegny")

    snippet = snippet_of(client.get(url()))

    assert snippet == (
        '<a href="http://testserver/"><img src="http://testserver/static/img/logo/wspl-member-badge.png" '
        'alt="Członek Warszawskiej Sieci Partnerstw Lokalnych" width="200" height="64"></a>'
    )
    assert "<script" not in snippet


def test_choosing_a_partnership_rewrites_the_snippet_on_the_server(client):
    partnership = factories.partnership(name="Nasze Stegny", slug="nasze-stegny")

    response = client.get(url(query="?partnerstwo=nasze-stegny"))

    assert response.status_code == 200
    assert f'<a href="http://testserver{partnership.get_absolute_url()}">' in snippet_of(response)
    assert "Kod znaczka dla partnerstwa „Nasze Stegny”" in html(response)
    assert '<option value="nasze-stegny" selected>Nasze Stegny</option>' in html(response)


def test_the_snippet_is_shown_as_text_not_as_markup(client):
    page = html(client.get(url()))

    assert '<pre class="snippet"><code>&lt;a href=&quot;http://testserver/&quot;&gt;&lt;img src=' in page


def test_the_badge_image_is_served_at_the_address_the_snippet_gives(client):
    response = client.get(BADGE_PNG.removeprefix("http://testserver"))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    "value",
    ["nie-ma-takiego", "szkic", "<script>alert(1)</script>", "a" * 5000, "Żoliborz ✓", "x\r\ny"],
    ids=["unknown", "unpublished", "markup", "huge", "unicode", "crlf"],
)
def test_a_wrong_partnership_gets_a_polish_message_and_the_networks_snippet(client, value):
    factories.partnership(name="Szkic", slug="szkic", is_published=False)

    response = client.get(url(), {"partnerstwo": value})

    assert response.status_code == 200
    assert "Nie ma takiego partnerstwa – wybierz je z listy." in error_summary(response)
    assert snippet_of(response).startswith('<a href="http://testserver/">')
    assert "<script>alert(1)</script>" not in html(response)


def test_a_nul_in_the_partnership_gets_a_message_not_an_error(client):
    response = client.get(url(), {"partnerstwo": "nasze\x00stegny"})

    assert response.status_code == 200
    assert error_summary(response)
    assert snippet_of(response).startswith('<a href="http://testserver/">')


def test_the_page_costs_the_same_queries_with_few_and_many_partnerships(client):
    partnerships = factories.network(2)
    response, small = count_queries(client, url(query=f"?partnerstwo={partnerships[0].slug}"))
    assert response.status_code == 200
    factories.network(10)
    response, large = count_queries(client, url(query=f"?partnerstwo={partnerships[0].slug}"))

    assert response.status_code == 200
    assert len(large) == len(small) <= MAX_PUBLIC_QUERIES, (small, large)
    for sql in large:
        assert "django_session" not in sql and "auth_user" not in sql, sql


@pytest.mark.parametrize("who", WHO)
def test_everyone_gets_the_logo_kit(who, client_as):
    partnership = factories.partnership(name="Nasze Stegny", slug="nasze-stegny")
    client = client_as(who, partnership)

    response = client.get(url(query="?partnerstwo=nasze-stegny"))

    assert response.status_code == 200
    assert f'href="http://testserver{partnership.get_absolute_url()}"' in snippet_of(response)


def test_the_logo_kit_in_english(client):
    factories.partnership(name="Nasze Stegny", slug="nasze-stegny")

    response = client.get(url("en", "?partnerstwo=nasze-stegny"))

    assert response.status_code == 200
    assert '<html lang="en">' in html(response)
    with translation.override("en"):
        partnership_url = reverse("partnerships:detail", kwargs={"slug": "nasze-stegny"})
    assert partnership_url.startswith("/en/")
    assert f'<a href="http://testserver{partnership_url}">' in snippet_of(response)  # the page's language
