"""The partnership filter of the agenda and the organisations directory, in a small and in a large network.

A small network gets a list to pick from; a large one (more than PARTNERSHIP_SELECT_LIMIT
published partnerships) a text box where the name, or a part of it, is typed: a list of
thousands of options would weigh hundreds of kilobytes on every page.
"""

import re
from html import unescape

import pytest
from django.urls import reverse

from partnerships import filters
from tests import factories

AGENDA = reverse("events:list")
ORGANISATIONS = reverse("members:organisation_list")

pytestmark = pytest.mark.django_db


def errors(response):
    html = response.content.decode()
    return [unescape(text).strip() for text in re.findall(r'id="id_partnerstwo_error">\s*<li>([^<]+)</li>', html)]


@pytest.fixture
def network():
    stegny = factories.partnership(name="Nasze Stegny", slug="nasze-stegny")
    zoliborz = factories.partnership(name="Sady Żoliborskie", slug="sady-zoliborskie")
    factories.partnership(name="Żoliborz Artystyczny", slug="zoliborz-artystyczny")
    factories.partnership(name="Ukryte Partnerstwo", slug="ukryte-partnerstwo", is_published=False)
    factories.event(title="Spotkanie na Stegnach", organisers=[stegny])
    factories.event(title="Sąsiedzki piknik w Sadach", organisers=[zoliborz])
    factories.membership(organisation_obj=factories.organisation(name="Fundacja Stegienna"), partnership_obj=stegny)
    factories.membership(organisation_obj=factories.organisation(name="Klub Sadów"), partnership_obj=zoliborz)
    return {"stegny": stegny, "zoliborz": zoliborz}


@pytest.fixture
def large(monkeypatch, network):
    """The same network treated as large: the limit below its three published partnerships."""
    monkeypatch.setattr(filters, "PARTNERSHIP_SELECT_LIMIT", 2)
    return network


def test_a_small_network_lists_the_published_partnerships_to_pick_from(client, network):
    html = client.get(AGENDA).content.decode()
    assert '<select name="partnerstwo"' in html
    assert re.search(r'<option value="nasze-stegny">Nasze Stegny \([0-9]+\)</option>', html)
    assert "ukryte-partnerstwo" not in html


@pytest.mark.parametrize("url", [AGENDA, ORGANISATIONS])
def test_a_large_network_gets_a_text_box_with_a_hint_instead_of_a_list(client, large, url):
    html = client.get(url).content.decode()
    assert '<select name="partnerstwo"' not in html
    assert re.search(r'<input type="text" name="partnerstwo"[^>]*aria-describedby="id_partnerstwo_helptext"', html)
    assert "Wpisz nazwę partnerstwa albo jej część" in html
    assert '<option value="nasze-stegny"' not in html


@pytest.mark.parametrize(
    ("typed", "shown", "hidden"),
    [
        ("nasze-stegny", "Spotkanie na Stegnach", "Sąsiedzki piknik w Sadach"),  # a link's slug
        ("Nasze Stegny", "Spotkanie na Stegnach", "Sąsiedzki piknik w Sadach"),  # the full name
        ("stegny", "Spotkanie na Stegnach", "Sąsiedzki piknik w Sadach"),  # a part of it
        ("SADY ŻOLIBORSKIE", "Sąsiedzki piknik w Sadach", "Spotkanie na Stegnach"),  # case and diacritics
        ("sady zoliborskie", "Sąsiedzki piknik w Sadach", "Spotkanie na Stegnach"),
    ],
)
def test_a_typed_name_filters_the_agenda(client, large, typed, shown, hidden):
    response = client.get(AGENDA, {"partnerstwo": typed})
    html = unescape(response.content.decode())
    assert errors(response) == []
    assert shown in html
    assert hidden not in html


def test_a_typed_name_filters_the_organisations_directory(client, large):
    response = client.get(ORGANISATIONS, {"partnerstwo": "stegny"})
    html = response.content.decode()
    assert "Fundacja Stegienna" in html
    assert "Klub Sadów" not in html


def test_a_name_that_fits_several_partnerships_names_them(client, large):
    response = client.get(AGENDA, {"partnerstwo": "zolibor"})
    assert errors(response) == [
        "Pasuje kilka partnerstw: „Sady Żoliborskie”, „Żoliborz Artystyczny”. Wpisz pełniejszą nazwę."
    ]
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "Praga Północ",
            "Nie znamy partnerstwa o nazwie „Praga Północ” – sprawdź pisownię albo wpisz krótszy fragment.",
        ),
        ("ukryte", "Nie znamy partnerstwa o nazwie „ukryte” – sprawdź pisownię albo wpisz krótszy fragment."),
        ("stegny\x00", "Znaki null są niedozwolone."),
        ("x" * 5000, "Nie znamy takiego partnerstwa – wpisz jego nazwę albo jej część."),
        ("!!!", "Nie znamy takiego partnerstwa – wpisz jego nazwę albo jej część."),
    ],
)
@pytest.mark.parametrize("url", [AGENDA, ORGANISATIONS])
def test_an_unknown_or_hostile_name_gets_a_polish_message(client, large, url, typed, message):
    response = client.get(url, {"partnerstwo": typed})
    assert response.status_code == 200
    assert errors(response) == [message]


def test_an_unknown_slug_in_a_small_network_asks_to_pick_from_the_list(client, network):
    response = client.get(AGENDA, {"partnerstwo": "nie-ma-takiego"})
    assert errors(response) == ["Nie znamy takiego partnerstwa – wybierz je z listy."]


# --- the text box (q): the site's one word rule -------------------------------------------------------------------


def listed_partnerships(response):
    return re.findall(r'<h3 class="card-title h5"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def test_partnership_list_q_reads_words_as_the_site_search_does(client, network):
    url = reverse("partnerships:list")
    search_page = client.get(reverse("search"), {"q": "sady xy"}).content.decode()

    # A prefix of a word, without Polish letters, finds it; a word shorter than three characters is left
    # out ("xy" is in no name), as on the search page, which says so.
    assert listed_partnerships(client.get(url, {"q": "zolib"})) == ["Sady Żoliborskie", "Żoliborz Artystyczny"]
    assert listed_partnerships(client.get(url, {"q": "sady xy"})) == ["Sady Żoliborskie"]
    assert listed_partnerships(client.get(url, {"q": "sady artyst"})) == []
    assert "Pominęliśmy słowa krótsze niż 3 znaki: xy." in search_page
    assert "<mark>Sady</mark> Żoliborskie" in search_page
