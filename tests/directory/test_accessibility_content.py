"""Content the accessibility law and people with intellectual disabilities need.

The accessibility statement (deklaracja dostępności) with its standard element ids and the
meta tag pointing to it, the easy-to-read page about the network (tekst łatwy do czytania),
and a partnership's own easy-to-read summary and sign-language (PJM) video link.
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from demo.loader import load_pages

from .. import factories
from ..utils import A11Y_IDS

pytestmark = pytest.mark.django_db


def statement_meta(html):
    found = re.findall(r'<meta name="deklaracja-dostępności" content="([^"]*)">', html)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("language", ["pl", "en"])
def test_every_page_points_to_the_accessibility_statement_of_its_language(client, language):
    partnership = factories.partnership(name="Partnerstwo Sadów")
    with translation.override(language):
        statement = reverse("accessibility")
        pages = [reverse("home"), reverse("partnerships:list"), partnership.get_absolute_url(), statement]
    assert statement.startswith("/en/") == (language == "en")

    for path in pages:
        html = client.get(path).content.decode()
        assert statement_meta(html) == f"http://testserver{statement}", path
        assert f'<a href="{statement}">' in html, path  # linked from the footer


def test_the_404_page_also_points_to_the_statement(client):
    response = client.get("/nie-ma-takiej-strony/")

    assert response.status_code == 404
    assert statement_meta(response.content.decode()) == "http://testserver" + reverse("accessibility")


def test_accessibility_statement_has_each_standard_id_exactly_once_and_iso_dates(client):
    load_pages()
    html = client.get(reverse("accessibility")).content.decode()

    for element_id in A11Y_IDS:
        assert html.count(f'id="{element_id}"') == 1, element_id
    for element_id in ("a11y-data-publikacja", "a11y-data-aktualizacja", "a11y-data-sporzadzenie"):
        date = re.search(rf'id="{element_id}" datetime="([^"]+)">([^<]+)<', html)
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", date[1]) and date[1] == date[2], element_id
    assert 'href="mailto:dostepnosc@example.org"' in html
    assert html.count(f'href="{reverse("easy_read")}"') == 2  # in the statement's list of aids and the footer


def test_easy_to_read_page_explains_the_network_in_short_sentences(client):
    load_pages()
    html = client.get(reverse("easy_read")).content.decode()

    assert html.count("<h1") == 1
    assert "O sieci – tekst łatwy do czytania" in html
    assert "Partnerstwo to grupa ludzi i miejsc z jednej okolicy." in html
    assert "Przyjdź na spotkanie. Każdy może przyjść." in html
    text = re.sub(r"<[^>]+>", " ", html.split('class="container easy-read"')[1].split("</main>")[0])
    sentences = [s.strip() for s in re.split(r"[.!?:]\s", text) if s.strip()]
    assert max(len(s.split()) for s in sentences) <= 15, max(sentences, key=lambda s: len(s.split()))


def test_easy_to_read_page_is_linked_from_every_footer_and_from_the_about_page(client):
    easy_read = reverse("easy_read")

    for path in (reverse("home"), reverse("about"), reverse("events:list")):
        assert f'href="{easy_read}"' in client.get(path).content.decode(), path
    assert client.get(reverse("about")).content.decode().count(f'href="{easy_read}"') == 2


def test_partnership_page_shows_its_easy_to_read_summary_and_sign_language_video(client):
    partnership = factories.partnership(
        name="Forum Inicjatyw",
        easy_read_summary="Jesteśmy forum.\nSpotykamy się w każdy wtorek.",
        sign_language_video_url="https://video.example.org/forum-pjm",
    )

    html = client.get(partnership.get_absolute_url()).content.decode()

    assert '<h2 id="latwy-tekst" class="h4">Tekst łatwy do czytania</h2>' in html
    assert "<p>Jesteśmy forum.<br>Spotykamy się w każdy wtorek.</p>" in html
    assert (
        '<a class="btn btn-outline-primary" href="https://video.example.org/forum-pjm" rel="noopener">'
        "Obejrzyj film o partnerstwie w polskim języku migowym (PJM)</a>" in html
    )
    assert "Film z tłumaczeniem na polski język migowy otworzy się w serwisie video.example.org." in html


def test_partnership_page_with_only_a_sign_language_video_labels_the_section_by_the_video(client):
    partnership = factories.partnership(sign_language_video_url="https://video.example.org/pjm")

    html = client.get(partnership.get_absolute_url()).content.decode()

    assert '<h2 id="latwy-tekst" class="h4">Film w polskim języku migowym</h2>' in html
    assert "Tekst łatwy do czytania</h2>" not in html


def test_partnership_page_without_easy_to_read_content_has_no_such_section(client):
    partnership = factories.partnership()

    html = client.get(partnership.get_absolute_url()).content.decode()

    assert 'id="latwy-tekst"' not in html
    assert "polskim języku migowym" not in html


def test_staff_edit_the_easy_to_read_text_and_the_sign_language_video_in_the_admin(staff_client):
    partnership = factories.partnership()

    page = staff_client.get(reverse("admin:partnerships_partnership_change", args=[partnership.pk])).content.decode()

    assert 'name="easy_read_summary"' in page
    assert 'name="sign_language_video_url"' in page
