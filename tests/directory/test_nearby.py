"""„Co jest blisko mnie?” – a resident's area by district or by shared location."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.utils import assert_flat_query_count

pytestmark = pytest.mark.django_db

# A point on Żoliborz (plac Wilsona) and places at growing distances from it.
WILSONA = {"lat": "52.269", "lon": "20.985"}


def text(response):
    return response.content.decode()


def section(response, section_id):
    found = re.search(rf'<section aria-labelledby="{section_id}".*?</section>', text(response), re.S)
    return found.group(0) if found else ""


def card_titles(html):
    return re.findall(r'class="card-title h5"><a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def area():
    near = factories.place(
        name="Dom przy Wilsona", district_slug="zoliborz", latitude="52.270000", longitude="20.986000"
    )
    middle = factories.place(
        name="Klub na Sadach", district_slug="zoliborz", latitude="52.262000", longitude="20.975000"
    )
    far = factories.place(
        name="Sala na Mokotowie", district_slug="mokotow", latitude="52.190000", longitude="21.020000"
    )
    close_partnership = factories.partnership(name="Blisko Wilsona", districts=["zoliborz"])
    close_partnership.places.add(near)
    middle_partnership = factories.partnership(name="Sady Razem", districts=["zoliborz"])
    middle_partnership.places.add(middle)
    factories.partnership(name="Ukryte Żoliborskie", districts=["zoliborz"], is_published=False)
    factories.partnership(name="Mokotów Razem", districts=["mokotow"]).places.add(far)
    factories.event(title="Piknik przy Wilsona", place=near, start=timezone.now() + timedelta(days=9))
    factories.event(title="Warsztaty na Sadach", place=middle, start=timezone.now() + timedelta(days=2))
    factories.event(title="Dawny piknik", place=near, start=timezone.now() - timedelta(days=9))
    factories.event(title="Festyn na Mokotowie", place=far)
    return close_partnership


def nearby(client, **params):
    return client.get(reverse("nearby"), params)


def test_empty_page_offers_a_district_choice_and_hides_the_location_button(client, area):
    response = nearby(client)
    page = text(response)

    assert response.status_code == 200
    assert page.count("<h1") == 1
    assert '<label for="id_dzielnica" class="form-label fw-bold">Twoja dzielnica</label>' in page
    assert '<option value="zoliborz">Żoliborz</option>' in page
    assert re.search(r'<div class="mt-3 js-geolocation" hidden', page)
    assert "Partnerstwa" not in section(response, "blisko-partnerstwa")


def test_district_shows_its_partnerships_places_and_upcoming_events(client, area):
    response = nearby(client, dzielnica="zoliborz")

    assert card_titles(section(response, "blisko-partnerstwa")) == ["Blisko Wilsona", "Sady Razem"]
    places = section(response, "blisko-miejsca")
    assert "Dom przy Wilsona" in places and "Klub na Sadach" in places
    assert "Sala na Mokotowie" not in places
    events = card_titles(section(response, "blisko-wydarzenia"))
    assert events == ["Warsztaty na Sadach", "Piknik przy Wilsona"]
    assert "Ukryte Żoliborskie" not in text(response)
    assert "Dawny piknik" not in text(response)
    assert "Festyn na Mokotowie" not in text(response)
    assert '<option value="zoliborz" selected>Żoliborz</option>' in text(response)


def test_shared_location_orders_everything_nearest_first(client, area):
    response = nearby(client, **WILSONA)

    assert card_titles(section(response, "blisko-partnerstwa"))[:2] == ["Blisko Wilsona", "Sady Razem"]
    distances = re.findall(r"<li><a href=\"[^\"]+\">([^<]+)</a> – ok\. ([\d,]+) (k?m) od Ciebie</li>", text(response))
    assert [name for name, _value, _unit in distances] == ["Dom przy Wilsona", "Klub na Sadach", "Sala na Mokotowie"]
    assert distances[0][2] == "m" and distances[2][2] == "km"
    assert card_titles(section(response, "blisko-wydarzenia"))[:2] == ["Piknik przy Wilsona", "Warsztaty na Sadach"]
    assert "Twoja dzielnica to prawdopodobnie Żoliborz" in text(response)


def test_location_results_have_a_map_with_a_text_list(client, area):
    page = text(nearby(client, **WILSONA))

    assert 'id="mapa-dane" type="application/json"' in page
    assert '<div id="mapa-lista" class="map-text">' in page
    assert "js/nearby.js" in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"dzielnica": "atlantyda"}, "Nie znamy takiej dzielnicy – wybierz ją z listy."),
        ({"lat": "50.06", "lon": "19.94"}, "To miejsce leży poza Warszawą."),
        ({"lat": "52.23"}, "Lokalizacja jest niepełna – wybierz dzielnicę z listy."),
        ({"lat": "abc", "lon": "<script>"}, "Nie udało się odczytać lokalizacji – wybierz dzielnicę z listy."),
        ({"lat": "nan", "lon": "inf"}, "Nie udało się odczytać lokalizacji – wybierz dzielnicę z listy."),
    ],
)
def test_bad_input_gives_a_polish_message_and_no_results(client, area, params, message):
    response = nearby(client, **params)

    assert response.status_code == 200
    assert message in text(response)
    assert "Blisko Wilsona" not in text(response)
    assert "<script>" not in section(response, "blisko-partnerstwa")


def test_nul_bytes_and_long_values_give_a_normal_page(client, area):
    response = nearby(client, dzielnica="zoli\x00borz" + "x" * 10_000)

    assert response.status_code == 200
    assert "Nie znamy takiej dzielnicy" in text(response)


def test_district_without_partnerships_says_how_to_start_one(client, area):
    response = nearby(client, dzielnica="wesola")

    assert "W tej okolicy nie ma jeszcze partnerstwa w sieci." in text(response)
    assert "W tej okolicy nie ma zapowiedzianych wydarzeń." in text(response)


def test_page_is_linked_from_the_footer(client):
    assert f'<a href="{reverse("nearby")}">Co jest blisko mnie?</a>' in text(client.get(reverse("home")))


def test_district_query_count_is_flat(client):
    assert_flat_query_count(client, lambda partnerships: reverse("nearby") + "?dzielnica=zoliborz")


def test_location_query_count_is_flat(client):
    assert_flat_query_count(client, lambda partnerships: reverse("nearby") + "?lat=52.27&lon=20.98")
