"""Polish at /, English under /en/ with translated address words; a switcher that keeps the page.

Dates and numbers follow the page's language; what people typed in (names, descriptions) stays as written.
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")

ENGLISH_ADDRESSES = {
    "partnerships:list": "/en/partnerships/",
    "partnerships:district_list": "/en/districts/",
    "partnerships:place_list": "/en/places/",
    "partnerships:working_group_list": "/en/network/working-groups/",
    "partnerships:position_list": "/en/network/positions/",
    "members:organisation_list": "/en/organisations/",
    "events:list": "/en/events/",
    "events:archive": "/en/events/archive/",
    "events:month_current": "/en/events/calendar/",
    "events:subscribe_help": "/en/events/how-to-subscribe/",
    "about": "/en/network/",
    "easy_read": "/en/network/easy-to-read/",
    "join": "/en/network/how-to-join/",
    "accessibility": "/en/accessibility-statement/",
    "privacy": "/en/privacy/",
    "search": "/en/search/",
    "nearby": "/en/near-me/",
    "open_data": "/en/open-data/",
    "account:login": "/en/account/login/",
    "coordinator:dashboard": "/en/my/",
}


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def h1(page):
    return re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1).strip()


def switcher(page):
    """The language switcher's links in the header: [(href, hreflang, text)]."""
    block = re.search(r'<p class="lang-switch[^"]*">(.*?)</p>', page, re.S).group(1)
    return re.findall(r'<a href="([^"]+)" hreflang="(\w+)" lang="\w+">([^<]+)</a>', block)


def test_english_pages_have_english_words_in_their_addresses():
    with translation.override("en"):
        found = {name: reverse(name) for name in ENGLISH_ADDRESSES}
    with translation.override("pl"):
        polish = reverse("partnerships:list")

    assert found == ENGLISH_ADDRESSES
    assert polish == "/partnerstwa/"


def test_english_page_is_in_english_and_polish_words_do_not_work_under_en(client):
    factories.partnership(name="Sady Żoliborskie", districts=["zoliborz"])

    english = html(client.get("/en/partnerships/"))

    assert '<html lang="en">' in english
    assert h1(english) == "Local partnerships"
    assert "Narrow down the results" in english and "Zawęź wyniki" not in english
    assert client.get("/en/partnerstwa/").status_code == 404
    assert client.get("/partnerships/").status_code == 404


def test_switcher_links_to_the_same_page_in_the_other_language_and_back(client):
    partnership = factories.partnership(name="Sady Żoliborskie", districts=["zoliborz"])
    polish_path = f"/partnerstwa/{partnership.slug}/"

    polish = html(client.get(polish_path))
    [(english_path, code, label)] = switcher(polish)
    english = html(client.get(english_path))
    [(back_path, back_code, back_label)] = switcher(english)

    assert (english_path, code, label) == (f"/en/partnerships/{partnership.slug}/", "en", "English")
    assert h1(english) == "Sady Żoliborskie"
    assert "About the partnership in brief" in english
    assert (back_path, back_code, back_label) == (polish_path, "pl", "Polski")


def test_switcher_keeps_the_chosen_filters(client):
    factories.partnership(districts=["zoliborz"])

    polish = html(client.get("/partnerstwa/", {"dzielnica": "zoliborz", "rodzaj": "local"}))

    [(href, _code, _label)] = switcher(polish)
    assert href == "/en/partnerships/?dzielnica=zoliborz&amp;rodzaj=local"
    english = html(client.get("/en/partnerships/", {"dzielnica": "zoliborz", "rodzaj": "local"}))
    assert "Found 1 partnership" in english


def test_unknown_address_offers_the_home_page_of_the_other_language(client):
    response = client.get("/en/no-such-page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert switcher(page) == [("/", "pl", "Polski")]
    assert "Page not found" in page


def test_event_dates_read_naturally_in_each_language(client):
    event = factories.event(title="Spotkanie sąsiadów", start=datetime(2026, 4, 14, 18, 0, tzinfo=WARSAW), hours=2)

    polish = html(client.get(f"/wydarzenia/{event.slug}/"))
    english = html(client.get(f"/en/events/{event.slug}/"))

    assert "wtorek, 14 kwietnia 2026, 18:00–20:00" in polish
    assert "Tuesday, 14 April 2026, 18:00–20:00" in english


def test_numbers_use_the_separators_of_each_language(client):
    district = factories.district("mokotow")
    district.population = 1234567
    district.area_km2 = "35.42"
    district.save()

    polish = html(client.get("/dzielnice/mokotow/"))
    english = html(client.get("/en/districts/mokotow/"))

    assert re.search(r"Mieszkańców: 1\s234\s567\.", polish)
    assert "Powierzchnia: 35,42 km²." in polish
    assert "Population: 1,234,567." in english
    assert "Area: 35.42 km²." in english


def test_what_people_wrote_stays_as_written_on_english_pages(client):
    partnership = factories.partnership(
        name="Partnerstwo „Nasze Stegny”",
        summary="Sąsiedzi ze Stegien spotykają się co miesiąc.",
        description="Robimy **pikniki** i warsztaty dla seniorów.",
        districts=["mokotow"],
    )

    english = html(client.get(f"/en/partnerships/{partnership.slug}/"))

    assert "Partnerstwo „Nasze Stegny”" in english
    assert "Sąsiedzi ze Stegien spotykają się co miesiąc." in english
    assert "Robimy <strong>pikniki</strong> i warsztaty dla seniorów." in english
    assert "About the partnership" in english
