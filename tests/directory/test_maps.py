"""Maps of areas and places: the map data, its text alternative, vendored Leaflet, area validation.

No test loads map tiles: pages are fetched with Django's test client, which runs no JavaScript.
"""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from common.geo import validate_area_geojson
from tests import factories

pytestmark = pytest.mark.django_db

TILES = "https://tiles.example.org/{z}/{x}/{y}.png"
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[20.98, 52.26], [20.99, 52.26], [20.99, 52.27], [20.98, 52.27], [20.98, 52.26]]],
}


@pytest.fixture(autouse=True)
def _tiles(settings):
    settings.MAP_TILE_URL = TILES
    settings.MAP_ATTRIBUTION = '&copy; <a href="https://example.org/">Mapy Testowe</a>'


def text(response):
    return response.content.decode()


def map_data(response, map_id="mapa"):
    found = re.search(rf'<script id="{map_id}-dane" type="application/json">(.*?)</script>', text(response), re.S)
    return json.loads(found.group(1)) if found else None


def place_list(response, map_id="mapa"):
    found = re.search(rf'<div id="{map_id}-lista" class="map-text">(.*?)</div>', text(response), re.S)
    return found.group(1) if found else ""


def has_leaflet(response):
    page = text(response)
    return "vendor/leaflet/leaflet.js" in page and "js/map.js" in page and "vendor/leaflet/leaflet.css" in page


# --- partnership ------------------------------------------------------------------------------------------------


def test_partnership_map_shows_its_area_and_places_with_a_text_list(client):
    partnership = factories.partnership(name="Nasze Sady", area_geojson=SQUARE)
    place = factories.place(
        name="Klub Sąsiedzki",
        street_address="ul. Krasińskiego 1",
        postal_code="01-755",
        latitude="52.265",
        longitude="20.985",
    )
    partnership.places.add(place)

    response = client.get(partnership.get_absolute_url())
    data = map_data(response)

    assert data["areas"] == [{"name": "Nasze Sady", "url": partnership.get_absolute_url(), "geometry": SQUARE}]
    assert data["points"][0]["name"] == "Klub Sąsiedzki"
    assert (data["points"][0]["lat"], data["points"][0]["lon"]) == (52.265, 20.985)
    listed = place_list(response)
    assert place.get_absolute_url() in listed
    assert "ul. Krasińskiego 1, 01-755 Warszawa" in listed
    assert "dzielnica Żoliborz" in listed
    assert "Na mapie zaznaczono obszar działania:" in listed
    assert has_leaflet(response)


def test_map_takes_tiles_and_attribution_from_settings(client):
    partnership = factories.partnership(area_geojson=SQUARE)

    page = text(client.get(partnership.get_absolute_url()))

    assert f'data-tiles="{TILES}"' in page
    assert 'data-attribution="&amp;copy; &lt;a href=&quot;https://example.org/&quot;&gt;Mapy Testowe&lt;/a&gt;"' in page
    assert "tile.openstreetmap.org" not in page


def test_openstreetmaps_credit_is_in_the_pages_language_unless_one_is_set(client, settings):
    settings.MAP_ATTRIBUTION = ""
    partnership = factories.partnership(area_geojson=SQUARE)

    polish = text(client.get(partnership.get_absolute_url()))
    with translation.override("en"):
        english = text(client.get(partnership.get_absolute_url()))

    link = "&amp;copy; &lt;a href=&quot;https://www.openstreetmap.org/copyright&quot;&gt;"
    assert f'data-attribution="{link}współtwórcy OpenStreetMap&lt;/a&gt;"' in polish
    assert f'data-attribution="{link}OpenStreetMap contributors&lt;/a&gt;"' in english


def test_partnership_without_places_or_area_has_no_map_and_no_leaflet(client):
    partnership = factories.partnership()

    response = client.get(partnership.get_absolute_url())

    assert map_data(response) is None
    assert not has_leaflet(response)
    assert "Brak informacji o miejscach spotkań." in text(response)


def test_partnership_with_only_an_area_draws_it(client):
    partnership = factories.partnership(area_geojson=SQUARE)

    response = client.get(partnership.get_absolute_url())

    assert map_data(response) == {"points": [], "areas": [map_data(response)["areas"][0]]}
    assert has_leaflet(response)


def test_place_without_coordinates_is_listed_but_not_on_the_map(client):
    partnership = factories.partnership()
    partnership.places.add(factories.place(name="Sala bez punktu", latitude=None, longitude=None))
    partnership.places.add(factories.place(name="Sala z punktem"))

    response = client.get(partnership.get_absolute_url())

    assert [point["name"] for point in map_data(response)["points"]] == ["Sala z punktem"]
    assert "Sala bez punktu" in place_list(response)
    assert "brak na mapie – nie podano współrzędnych" in place_list(response)


def test_map_is_hidden_until_javascript_draws_it_and_can_be_skipped(client):
    partnership = factories.partnership(area_geojson=SQUARE)

    page = text(client.get(partnership.get_absolute_url()))

    assert re.search(r'<div class="map-canvas js-map" id="mapa" hidden role="region"', page)
    assert 'aria-label="Mapa: miejsca spotkań i obszar działania partnerstwa"' in page
    assert '<a class="visually-hidden-focusable" href="#mapa-lista">Pomiń mapę i przejdź do listy miejsc</a>' in page


def test_names_in_map_data_cannot_close_the_script(client):
    partnership = factories.partnership()
    partnership.places.add(factories.place(name="</script><script>alert(1)</script>", slug="zly"))

    page = text(client.get(partnership.get_absolute_url()))

    assert "<script>alert(1)</script>" not in page
    assert "\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)" in page


def test_stored_broken_area_is_ignored_not_an_error(client):
    partnership = factories.partnership(area_geojson={"type": "Polygon", "coordinates": "zepsute"})
    partnership.places.add(factories.place())

    response = client.get(partnership.get_absolute_url())

    assert response.status_code == 200
    assert map_data(response)["areas"] == []


# --- district, event, home --------------------------------------------------------------------------------------


def test_district_map_has_its_places_events_and_partnership_areas(client):
    factories.partnership(name="Obszar Woli", districts=["wola"], area_geojson=SQUARE)
    factories.partnership(name="Ukryty Obszar", districts=["wola"], area_geojson=SQUARE, is_published=False)
    factories.partnership(name="Obszar Ochoty", districts=["ochota"], area_geojson=SQUARE)
    hall = factories.place(name="Sala na Woli", district_slug="wola")
    factories.event(title="Spotkanie na Woli", place=hall)

    response = client.get(reverse("partnerships:district_detail", kwargs={"slug": "wola"}))
    data = map_data(response)

    assert [area["name"] for area in data["areas"]] == ["Obszar Woli"]
    assert [point["name"] for point in data["points"]] == ["Sala na Woli"]
    assert data["points"][0]["links"][0]["label"].startswith("Spotkanie na Woli (")
    assert "Spotkanie na Woli" in place_list(response)
    assert has_leaflet(response)


def test_event_map_shows_its_place(client):
    hall = factories.place(name="Aula", street_address="ul. Szkolna 2", latitude="52.230000", longitude="21.010000")
    event = factories.event(title="Zebranie", place=hall)

    response = client.get(event.get_absolute_url())

    assert [(p["name"], p["lat"], p["lon"]) for p in map_data(response)["points"]] == [("Aula", 52.23, 21.01)]
    assert "ul. Szkolna 2" in place_list(response)
    assert has_leaflet(response)


def test_online_event_has_no_map(client):
    event = factories.event(title="Webinarium", online_url="https://example.org/spotkanie")

    response = client.get(event.get_absolute_url())

    assert map_data(response) is None
    assert not has_leaflet(response)


def test_home_map_shows_the_network_places_and_upcoming_events(client):
    partnership = factories.partnership(name="Jawne")
    partnership.places.add(factories.place(name="Dom Jawny"))
    factories.partnership(name="Ukryte", is_published=False).places.add(factories.place(name="Dom Ukryty"))
    factories.event(title="Festyn", place=factories.place(name="Park"))

    response = client.get(reverse("home"))
    points = {point["name"]: point for point in map_data(response)["points"]}

    assert set(points) == {"Dom Jawny", "Park"}
    assert points["Dom Jawny"]["links"] == [{"label": "Jawne", "url": partnership.get_absolute_url()}]
    assert points["Park"]["links"][0]["label"].startswith("Festyn (")
    assert "<details><summary>Lista miejsc na mapie z adresami (2)</summary>" in text(response)
    assert has_leaflet(response)


def test_pages_without_a_map_do_not_load_leaflet(client):
    for name in ("partnerships:list", "about", "search"):
        assert not has_leaflet(client.get(reverse(name))), name


# --- vendored Leaflet and the script ------------------------------------------------------------------------------


def test_leaflet_is_vendored_with_its_licence_and_pinned():
    vendor = Path(settings.BASE_DIR) / "static" / "vendor" / "leaflet"
    package = json.loads((Path(settings.BASE_DIR) / "package.json").read_text())

    licence = (vendor / "LICENSE").read_text()
    assert "BSD 2-Clause License" in licence and "Agafonkin" in licence
    for name in ("leaflet.js", "leaflet.js.map", "leaflet.css", "images/marker-icon.png", "images/marker-shadow.png"):
        assert (vendor / name).exists(), name
    assert package["devDependencies"]["leaflet"] == "1.9.4"
    assert 'version="1.9.4"' in (vendor / "leaflet.js").read_text().replace("t.version=", "version=")


def test_no_page_template_loads_anything_from_a_cdn():
    templates = Path(settings.BASE_DIR) / "templates"
    for template in templates.rglob("*.html"):
        source = template.read_text()
        for cdn in ("unpkg.com", "cdn.jsdelivr", "cdnjs", "leafletjs.com/dist"):
            assert cdn not in source, (template, cdn)


def test_map_script_puts_data_in_the_page_as_text_and_markers_on_the_keyboard():
    script = (Path(settings.BASE_DIR) / "static" / "js" / "map.js").read_text()

    assert "innerHTML" not in script
    assert "textContent" in script
    assert "keyboard: true" in script
    assert "alt: point.name" in script


# --- area validation (admin now, coordinators later) ---------------------------------------------------------------


def test_area_validation_accepts_a_polygon_and_normalises_drawing_tool_output():
    feature = {"type": "Feature", "properties": {}, "geometry": SQUARE}
    collection = {"type": "FeatureCollection", "features": [feature, feature]}
    with_altitude = {"type": "Polygon", "coordinates": [[[*point, 100] for point in SQUARE["coordinates"][0]]]}

    assert validate_area_geojson(SQUARE) == SQUARE
    assert validate_area_geojson(feature) == SQUARE
    assert validate_area_geojson(collection) == {
        "type": "MultiPolygon",
        "coordinates": [SQUARE["coordinates"], SQUARE["coordinates"]],
    }
    assert validate_area_geojson(with_altitude) == SQUARE


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Żoliborz", "Wklej obiekt GeoJSON"),
        (
            {"type": "Point", "coordinates": [21.0, 52.2]},
            "Obszar musi być wielokątem (Polygon albo MultiPolygon), a nie „Point”.",
        ),
        ({"type": "Polygon", "coordinates": [[[21.0, 52.2], [21.01, 52.2], [21.0, 52.2]]]}, "co najmniej 4 punkty"),
        (
            {"type": "Polygon", "coordinates": [[[21.0, 52.2], [21.01, 52.2], [21.01, 52.21], [21.0, 52.21]]]},
            "kończyć się tym samym punktem",
        ),
        (
            {"type": "Polygon", "coordinates": [[[52.2, 21.0], [52.2, 21.01], [52.21, 21.01], [52.2, 21.0]]]},
            "leży poza Warszawą",
        ),
        ({"type": "Polygon", "coordinates": [[["a", "b"], [1, 2], [3, 4], ["a", "b"]]]}, "para liczb"),
        ({"type": "Polygon", "coordinates": "zepsute"}, "zły układ"),
        ({"type": "FeatureCollection", "features": []}, "nie zawiera żadnego obszaru"),
    ],
)
def test_area_validation_explains_what_is_wrong_in_polish(value, message):
    with pytest.raises(ValidationError) as error:
        validate_area_geojson(value)

    assert message in " ".join(error.value.messages)


def test_area_validation_refuses_too_detailed_shapes():
    ring = [[20.9 + i * 0.00001, 52.2] for i in range(6000)]
    ring += [[20.9, 52.21], ring[0]]

    with pytest.raises(ValidationError) as error:
        validate_area_geojson({"type": "Polygon", "coordinates": [ring]})

    assert "za dużo punktów" in error.value.messages[0]


def test_admin_stores_a_valid_area_and_rejects_one_outside_warsaw(staff_client):
    partnership = factories.partnership(name="Obszar w adminie")
    change = reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    form = staff_client.get(change).context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and not isinstance(value, list | dict) and key not in ("logo", "cover")
    }
    data.update(
        {
            "name": partnership.name,
            "slug": partnership.slug,
            "previous_names-TOTAL_FORMS": "0",
            "previous_names-INITIAL_FORMS": "0",
        }
    )
    inline_prefixes = re.findall(r'name="([\w-]+)-TOTAL_FORMS"', staff_client.get(change).content.decode())
    for prefix in inline_prefixes:
        data.setdefault(f"{prefix}-TOTAL_FORMS", "0")
        data.setdefault(f"{prefix}-INITIAL_FORMS", "0")

    outside = {"type": "Polygon", "coordinates": [[[19.9, 50.0], [19.95, 50.0], [19.95, 50.1], [19.9, 50.0]]]}
    rejected = staff_client.post(change, {**data, "area_geojson": json.dumps(outside)})
    accepted = staff_client.post(
        change, {**data, "area_geojson": json.dumps({"type": "Feature", "geometry": SQUARE, "properties": {}})}
    )

    assert rejected.status_code == 200
    assert "leży poza Warszawą" in rejected.content.decode()
    assert accepted.status_code == 302, accepted.context["adminform"].form.errors if accepted.context else ""
    partnership.refresh_from_db()
    assert partnership.area_geojson == SQUARE


def test_admin_shows_an_empty_area_box_not_null_for_a_partnership_without_area(staff_client):
    partnership = factories.partnership(name="Bez obszaru")
    page = staff_client.get(reverse("admin:partnerships_partnership_change", args=[partnership.pk])).content.decode()
    box = page[page.index('name="area_geojson"') :]
    box = box[box.index(">") + 1 : box.index("</textarea>")]
    assert box.strip() == ""
