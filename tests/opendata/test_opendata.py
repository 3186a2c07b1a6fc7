"""Open data: JSON, CSV and GeoJSON exports and the "Dane otwarte" page."""

import csv
import io
import json
import re
from datetime import date

import pytest
from django.urls import reverse

from members.models import PartnershipRole
from opendata import views as opendata
from tests import factories
from tests.utils import assert_flat_query_count

pytestmark = pytest.mark.django_db

EXPORTS = [(dataset.key, fmt) for dataset in opendata.DATASETS for fmt in dataset.formats]
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[20.98, 52.26], [20.99, 52.26], [20.99, 52.27], [20.98, 52.27], [20.98, 52.26]]],
}


def url(key, fmt):
    return reverse(f"opendata:{key}-{fmt}")


def read_csv(response):
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


def everything(client):
    """Every export's body as text, for "is it anywhere?" checks."""
    return "\n".join(client.get(url(key, fmt)).content.decode() for key, fmt in EXPORTS)


@pytest.fixture
def network():
    """Public objects next to unpublished and non-consented ones."""
    public = factories.partnership(
        name="Jawne Partnerstwo", districts=["wola"], contact_email="kontakt@example.org", area_geojson=SQUARE
    )
    hidden = factories.partnership(
        name="Ukryte Partnerstwo", districts=["wola"], is_published=False, area_geojson=SQUARE
    )
    place = factories.place(name="Klub na Woli", district_slug="wola", latitude="52.235000", longitude="20.970000")
    public.places.add(place)
    hidden.places.add(place)
    factories.place(name="Miejsce bez współrzędnych", latitude=None, longitude=None)

    member = factories.organisation(name="Fundacja Jawna", district_slug="wola", email="fundacja@example.org")
    factories.membership(organisation_obj=member, partnership_obj=public, since=date(2015, 1, 1))
    factories.membership(organisation_obj=member, partnership_obj=hidden)
    factories.organisation(name="Fundacja Ukryta", is_published=False)

    agreed = factories.person(
        first_name="Olga", last_name="Jawna", email="olga@example.org", phone="600 100 200", public_contact=True
    )
    refused = factories.person(first_name="Piotr", last_name="Prywatny", email="piotr@example.org", phone="600 999 999")
    factories.team_role(person_obj=agreed, partnership_obj=public, role=PartnershipRole.Role.CONTACT)
    factories.team_role(person_obj=refused, partnership_obj=public)

    factories.event(title="Jawne spotkanie", organisers=[public, hidden], place=place)
    factories.event(title="Ukryte spotkanie", is_published=False)
    factories.practice(title="Jawna praktyka", partnership_obj=public, topics=["seniorzy"], contact_person=agreed)
    factories.practice(title="Praktyka ukrytego partnerstwa", partnership_obj=hidden)
    factories.practice(title="Szkic praktyki", partnership_obj=public, published=False, contact_person=refused)
    return public


# --- formats and fields --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "fmt"), EXPORTS)
def test_every_export_is_valid_and_has_exactly_the_documented_fields(client, network, key, fmt):
    dataset = opendata.DATASETS_BY_KEY[key]
    response = client.get(url(key, fmt))

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    if fmt == "json":
        assert response["Content-Type"] == "application/json"
        body = json.loads(response.content)
        assert body["licence"]["name"] == "CC BY 4.0"
        assert body["count"] == len(body["results"]) > 0
        for row in body["results"]:
            assert list(row) == dataset.field_names()
    elif fmt == "csv":
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        rows = read_csv(response)
        assert rows
        assert list(rows[0]) == dataset.field_names()
    else:
        assert response["Content-Type"] == "application/geo+json"
        body = json.loads(response.content)
        assert body["type"] == "FeatureCollection"
        assert body["features"]
        for feature in body["features"]:
            assert feature["type"] == "Feature"
            assert feature["geometry"]["type"] in ("Point", "Polygon", "MultiPolygon")
            assert list(feature["properties"]) == dataset.field_names()


def test_partnership_json_has_its_data(client, network):
    row = client.get(url("partnerstwa", "json")).json()["results"][0]

    assert row["slug"] == network.slug
    assert row["name"] == "Jawne Partnerstwo"
    assert row["url"] == "http://testserver" + network.get_absolute_url()
    assert row["kind_label"] == "lokalne"
    assert row["districts"] == ["wola"]
    assert row["contact_email"] == "kontakt@example.org"
    assert row["member_count"] == 1
    assert row["has_area"] is True
    assert row["places"] == ["klub-na-woli"]


def test_organisation_csv_has_sector_and_memberships(client, network):
    rows = read_csv(client.get(url("organizacje", "csv")))

    assert [row["name"] for row in rows] == ["Fundacja Jawna"]
    assert rows[0]["sector"] == "ngo"
    assert rows[0]["sector_label"] == "organizacja pozarządowa"
    assert rows[0]["district"] == "wola"
    assert "partnership=jawne-partnerstwo; partnership_name=Jawne Partnerstwo; role=member" in rows[0]["memberships"]
    assert "since=2015-01-01" in rows[0]["memberships"]


def test_event_json_has_place_and_published_organisers(client, network):
    row = client.get(url("wydarzenia", "json")).json()["results"][0]

    assert row["title"] == "Jawne spotkanie"
    assert row["organisers"] == [network.slug]
    assert row["network_wide"] is False
    assert row["place"] == "klub-na-woli"
    assert row["district"] == "wola"
    assert (row["latitude"], row["longitude"]) == (52.235, 20.97)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+0[12]:00", row["start"])


def test_district_json_counts_only_public_data(client, network):
    rows = {row["slug"]: row for row in client.get(url("dzielnice", "json")).json()["results"]}

    assert len(rows) == 18
    assert rows["wola"]["partnership_count"] == 1
    assert rows["wola"]["organisation_count"] == 1
    assert rows["wola"]["place_count"] == 1
    assert rows["praga-poludnie"]["name"] == "Praga-Południe"


def test_places_geojson_has_points_in_longitude_latitude_order(client, network):
    features = client.get(url("miejsca", "geojson")).json()["features"]

    assert [feature["id"] for feature in features] == ["klub-na-woli"]  # places without coordinates are left out
    assert features[0]["geometry"] == {"type": "Point", "coordinates": [20.97, 52.235]}
    assert features[0]["properties"]["partnerships"] == [network.slug]


def test_places_csv_lists_places_without_coordinates_too(client, network):
    rows = read_csv(client.get(url("miejsca", "csv")))

    by_name = {row["name"]: row for row in rows}
    assert by_name["Miejsce bez współrzędnych"]["latitude"] == ""
    assert by_name["Klub na Woli"]["latitude"] == "52.235"


def test_area_geojson_has_only_published_valid_areas(client, network):
    factories.partnership(name="Zepsuty Obszar", area_geojson={"type": "Point", "coordinates": [21.0, 52.2]})

    features = client.get(url("obszary-partnerstw", "geojson")).json()["features"]

    assert [feature["properties"]["name"] for feature in features] == ["Jawne Partnerstwo"]
    assert features[0]["geometry"] == SQUARE


# --- only public data ---------------------------------------------------------------------------------------------


def test_exports_never_contain_unpublished_objects(client, network):
    every_export = everything(client)

    assert "Jawne Partnerstwo" in every_export
    for absent in ("Ukryte Partnerstwo", "ukryte-partnerstwo", "Fundacja Ukryta", "Ukryte spotkanie"):
        assert absent not in every_export, absent


def test_exports_never_contain_people_without_consent(client, network):
    every_export = everything(client)

    for absent in ("Piotr", "Prywatny", "piotr@example.org", "600 999 999"):
        assert absent not in every_export, absent
    team = client.get(url("partnerstwa", "json")).json()["results"][0]["team"]
    assert team == [
        {
            "name": "Olga Jawna",
            "role": "contact",
            "role_label": "osoba do kontaktu",
            "email": "olga@example.org",
            "phone": "600 100 200",
        }
    ]


# --- paging, caching --------------------------------------------------------------------------------------------


def test_json_is_paginated_with_links(client, monkeypatch):
    monkeypatch.setattr(opendata, "JSON_PAGE_SIZE", 2)
    for n in range(5):
        factories.organisation(name=f"Organizacja {n}")

    first = client.get(url("organizacje", "json")).json()
    last = client.get(url("organizacje", "json"), {"page": 3}).json()

    assert (first["count"], first["pages"], first["page"]) == (5, 3, 1)
    assert [row["name"] for row in first["results"]] == ["Organizacja 0", "Organizacja 1"]
    assert first["next"] == "http://testserver" + url("organizacje", "json") + "?page=2"
    assert first["previous"] is None
    assert [row["name"] for row in last["results"]] == ["Organizacja 4"]
    assert last["next"] is None


@pytest.mark.parametrize("page", ["abc", "0", "99", "1\x00"])
def test_page_that_does_not_exist_is_a_json_404(client, network, page):
    response = client.get(url("partnerstwa", "json"), {"page": page})

    assert response.status_code == 404
    assert response.json()["error"] == "Nie ma takiej strony danych."


@pytest.mark.parametrize(("key", "fmt"), EXPORTS)
def test_unchanged_data_answers_304(client, network, key, fmt):
    response = client.get(url(key, fmt))

    assert response["ETag"]
    assert response["Last-Modified"]
    assert client.get(url(key, fmt), HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert client.get(url(key, fmt), HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304


def test_a_change_gives_a_new_etag(client, network):
    before = client.get(url("partnerstwa", "json"))["ETag"]
    network.summary = "Nowy opis."
    network.save()

    after = client.get(url("partnerstwa", "json"), HTTP_IF_NONE_MATCH=before)

    assert after.status_code == 200
    assert after["ETag"] != before
    assert after.json()["results"][0]["summary"] == "Nowy opis."


def test_unpublishing_changes_the_etag_and_removes_the_row(client, network):
    before = client.get(url("organizacje", "json"))["ETag"]
    organisation = network.memberships.get().organisation
    organisation.is_published = False
    organisation.save()

    after = client.get(url("organizacje", "json"), HTTP_IF_NONE_MATCH=before)

    assert after.status_code == 200
    assert after.json()["results"] == []


def test_exports_are_read_only(client, network):
    assert client.post(url("partnerstwa", "json")).status_code == 405


@pytest.mark.parametrize(("key", "fmt"), EXPORTS)
def test_every_export_runs_a_bounded_flat_number_of_queries(client, key, fmt):
    assert_flat_query_count(client, lambda partnerships: url(key, fmt))


# --- CSV cells ----------------------------------------------------------------------------------------------------


def test_csv_cells_cannot_run_as_spreadsheet_formulas(client):
    factories.organisation(name='=HYPERLINK("http://example.org","x")', slug="formula", phone="+48 600 100 200")

    row = read_csv(client.get(url("organizacje", "csv")))[0]

    assert row["name"] == '\'=HYPERLINK("http://example.org","x")'
    assert row["phone"] == "+48 600 100 200"


def test_csv_cells_keep_polish_letters_and_newlines(client):
    factories.organisation(name="Świetlica „Żółw”", description="Pierwsza linia.\nDruga linia, z przecinkiem.")

    row = read_csv(client.get(url("organizacje", "csv")))[0]

    assert row["name"] == "Świetlica „Żółw”"
    assert row["description"] == "Pierwsza linia.\nDruga linia, z przecinkiem."


# --- the page ----------------------------------------------------------------------------------------------------


def test_open_data_page_documents_the_licence_every_dataset_and_field(client):
    response = client.get(reverse("open_data"))
    page = response.content.decode()

    assert response.status_code == 200
    assert page.count("<h1") == 1
    assert "CC BY 4.0" in page
    assert 'rel="license"' in page
    for dataset in opendata.DATASETS:
        assert f">{dataset.title}</h3>" in page
        for fmt in dataset.formats:
            assert f'href="{url(dataset.key, fmt)}"' in page
        for field in dataset.fields:
            assert f"<code>{field.name}</code>" in page, (dataset.key, field.name)


def test_open_data_page_is_in_the_footer(client):
    page = client.get(reverse("home")).content.decode()

    assert f'<a href="{reverse("open_data")}">Dane otwarte</a>' in page
