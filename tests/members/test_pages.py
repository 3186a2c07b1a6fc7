"""Public pages of member organisations: the directory with its filters and one organisation."""

import html
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Membership, Organisation
from tests import factories
from tests.utils import assert_flat_query_count, log_in

pytestmark = pytest.mark.django_db

LIST_URL = reverse("members:organisation_list")


def detail_url(organisation):
    return reverse("members:organisation_detail", kwargs={"slug": organisation.slug})


def listed_names(response):
    """Names of the organisations on the page, in the order shown (the cards' titles)."""
    cards = re.findall(r'<h3 class="card-title h5"><a href="[^"]+">([^<]+)</a>', response.content.decode())
    return [html.unescape(name) for name in cards]


@pytest.fixture
def directory():
    """A few organisations in two partnerships, sectors and districts."""
    stegny = factories.partnership(name="Nasze Stegny", districts=["mokotow"])
    zoliborz = factories.partnership(name="Partnerstwo Sady Żoliborskie", districts=["zoliborz"])
    hidden = factories.partnership(name="Partnerstwo w przygotowaniu", is_published=False)
    library = factories.organisation(
        name="Biblioteka na Sadach",
        sector=Organisation.Sector.PUBLIC,
        kind="biblioteka publiczna",
        district_slug="zoliborz",
    )
    foundation = factories.organisation(
        name="Fundacja Ładne Podwórko", sector=Organisation.Sector.NGO, kind="fundacja", district_slug="mokotow"
    )
    cafe = factories.organisation(name="Kawiarnia Sąsiedzka", sector=Organisation.Sector.BUSINESS)
    factories.organisation(name="Ukryta Fundacja", is_published=False)
    factories.membership(organisation_obj=library, partnership_obj=zoliborz)
    factories.membership(organisation_obj=foundation, partnership_obj=stegny)
    factories.membership(organisation_obj=cafe, partnership_obj=hidden)
    # The café left Stegny last year: a former member is not listed under the partnership.
    factories.membership(
        organisation_obj=cafe,
        partnership_obj=stegny,
        since=date(2020, 1, 1),
        until=timezone.localdate() - timedelta(days=365),
    )
    return {"stegny": stegny, "zoliborz": zoliborz, "hidden": hidden, "library": library, "cafe": cafe}


# --- the directory ---------------------------------------------------------------------------------


def test_directory_lists_published_organisations_in_polish_order(client, directory):
    factories.organisation(name="Żłobek Miejski nr 5", sector=Organisation.Sector.PUBLIC)
    factories.organisation(name="Środowiskowy Dom Samopomocy", sector=Organisation.Sector.PUBLIC)
    factories.organisation(name="Stowarzyszenie Sąsiedzi", sector=Organisation.Sector.NGO)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert listed_names(response) == [
        "Biblioteka na Sadach",
        "Fundacja Ładne Podwórko",
        "Kawiarnia Sąsiedzka",
        "Stowarzyszenie Sąsiedzi",
        "Środowiskowy Dom Samopomocy",
        "Żłobek Miejski nr 5",
    ]
    assert "Ukryta Fundacja" not in response.content.decode()


def test_directory_card_shows_name_sector_kind_and_district(client, directory):
    page = client.get(LIST_URL).content.decode()

    assert f'href="{detail_url(directory["library"])}"' in page
    assert "Biblioteka na Sadach" in page
    assert "instytucja publiczna" in page
    assert "biblioteka publiczna" in page
    assert "Żoliborz" in page


def test_directory_shows_result_count_in_polish(client, directory):
    page = client.get(LIST_URL).content.decode()
    assert 'role="status"' in page
    assert "Znaleziono 3 organizacje" in page

    one = client.get(LIST_URL, {"sektor": "business"}).content.decode()
    assert "Znaleziono 1 organizację" in one

    for _ in range(3):
        factories.organisation(sector=Organisation.Sector.NGO)
    four = client.get(LIST_URL, {"sektor": "ngo"}).content.decode()
    assert "Znaleziono 4 organizacje" in four
    factories.organisation(sector=Organisation.Sector.NGO)
    assert "Znaleziono 5 organizacji" in client.get(LIST_URL, {"sektor": "ngo"}).content.decode()


def test_staff_see_unpublished_organisations_in_directory_with_badge(staff_client, directory):
    response = staff_client.get(LIST_URL)

    assert "Ukryta Fundacja" in listed_names(response)
    assert "nieopublikowana" in response.content.decode()


def test_sector_filter_narrows_the_directory(client, directory):
    response = client.get(LIST_URL, {"sektor": "public"})

    assert listed_names(response) == ["Biblioteka na Sadach"]
    assert "Wyczyść filtry" in response.content.decode()


def test_district_filter_narrows_the_directory(client, directory):
    response = client.get(LIST_URL, {"dzielnica": "mokotow"})

    assert listed_names(response) == ["Fundacja Ładne Podwórko"]


def test_partnership_filter_lists_its_current_members_only(client, directory):
    response = client.get(LIST_URL, {"partnerstwo": directory["stegny"].slug})

    assert listed_names(response) == ["Fundacja Ładne Podwórko"]


def test_partnership_filter_offers_only_published_partnerships(client, directory):
    response = client.get(LIST_URL, {"partnerstwo": directory["hidden"].slug})
    page = response.content.decode()

    assert response.status_code == 200
    assert listed_names(response) == []
    assert "Nie znamy takiego partnerstwa" in page
    assert f'value="{directory["stegny"].slug}"' in page
    assert f'value="{directory["hidden"].slug}"' not in page


def test_name_search_matches_every_word_case_insensitively(client, directory):
    assert listed_names(client.get(LIST_URL, {"q": "fundacja podwórko"})) == ["Fundacja Ładne Podwórko"]
    assert listed_names(client.get(LIST_URL, {"q": "BIBLIOTEKA"})) == ["Biblioteka na Sadach"]
    assert listed_names(client.get(LIST_URL, {"q": "fundacja biblioteka"})) == []


def test_filters_combine(client, directory):
    response = client.get(LIST_URL, {"sektor": "ngo", "dzielnica": "zoliborz"})
    assert listed_names(response) == []
    response = client.get(LIST_URL, {"sektor": "ngo", "dzielnica": "mokotow", "q": "podwórko"})
    assert listed_names(response) == ["Fundacja Ładne Podwórko"]


def test_filter_form_is_labelled_and_has_a_submit_button(client, directory):
    page = client.get(LIST_URL).content.decode()

    for name in ("q", "sektor", "dzielnica", "partnerstwo"):
        assert f'<label for="id_{name}"' in page
        assert f'name="{name}"' in page
    assert ">Filtruj</button>" in page
    assert "Wyczyść filtry" not in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"sektor": "xyz"}, "Nie ma takiego sektora"),
        ({"dzielnica": "nowhere"}, "Nie znamy takiej dzielnicy"),
        ({"partnerstwo": "nie-ma-takiego"}, "Nie znamy takiego partnerstwa"),
        ({"q": "x" * 10_000}, "Wpisz krócej"),
    ],
)
def test_bad_filter_value_shows_polish_message_next_to_the_field(client, directory, params, message):
    response = client.get(LIST_URL, params)
    page = response.content.decode()
    (name,) = params

    assert response.status_code == 200
    assert listed_names(response) == []
    assert message in page
    assert f'id="id_{name}_error"' in page
    assert 'aria-invalid="true"' in page
    assert f'aria-describedby="id_{name}_error"' in page
    assert "Znaleziono 0 organizacji" in page


def test_nul_byte_in_search_gives_a_normal_page(client, directory):
    response = client.get(LIST_URL + "?q=biblio%00teka")

    assert response.status_code == 200
    assert listed_names(response) == []
    assert "Znaki null są niedozwolone" in response.content.decode()


def test_html_in_search_is_shown_escaped(client, directory):
    response = client.get(LIST_URL, {"q": '<script>alert("x")</script>'})
    page = response.content.decode()

    assert response.status_code == 200
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize("page", ["abc", "0", "-1"])
def test_page_that_does_not_exist_is_404(client, directory, page):
    assert client.get(LIST_URL, {"page": page}).status_code == 404


def test_a_page_past_the_end_leads_to_the_list(client, directory):
    response = client.get(LIST_URL, {"page": "99999"})
    assert response.status_code == 302 and response["Location"] == LIST_URL


def test_directory_is_paginated(client, settings):
    for i in range(25):
        factories.organisation(name=f"Organizacja {i:02d}")

    first = client.get(LIST_URL)
    second = client.get(LIST_URL, {"page": 2})

    assert len(first.context["object_list"]) == settings.PAGE_SIZE
    assert listed_names(second) == [f"Organizacja {i:02d}" for i in range(20, 25)]
    assert "Znaleziono 25 organizacji" in first.content.decode()


def test_directory_query_count_is_flat(client):
    response = assert_flat_query_count(client, lambda partnerships: LIST_URL)
    assert len(response.context["object_list"]) == 12


def test_filtered_directory_query_count_is_flat(client):
    assert_flat_query_count(
        client,
        lambda partnerships: f"{LIST_URL}?sektor=ngo&dzielnica=zoliborz&partnerstwo={partnerships[0].slug}&q=fundacja",
    )


# --- one organisation -----------------------------------------------------------------------------


def test_detail_shows_the_organisations_data(client):
    organisation = factories.organisation(
        name="Stowarzyszenie Lokalnych Inicjatyw",
        sector=Organisation.Sector.NGO,
        kind="stowarzyszenie",
        description="Prowadzimy klub sąsiedzki.\nW środy gramy w planszówki.",
        street_address="ul. Przykładowa 12",
        postal_code="01-234",
        district_slug="wola",
        website="https://lokalne.example.org/",
        email="kontakt@example.org",
        phone="22 123 45 67",
        krs="0000123456",
    )

    response = client.get(detail_url(organisation))
    page = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Stowarzyszenie Lokalnych Inicjatyw</h1>" in page
    assert "organizacja pozarządowa" in page
    assert "stowarzyszenie" in page
    assert "Prowadzimy klub sąsiedzki.<br>W środy gramy w planszówki." in page
    assert "ul. Przykładowa 12" in page
    assert "01-234" in page
    assert f'<a href="{reverse("partnerships:district_detail", kwargs={"slug": "wola"})}">Wola</a>' in page
    assert 'href="https://lokalne.example.org/"' in page
    assert 'href="mailto:kontakt@example.org"' in page
    assert 'href="tel:221234567"' in page
    assert "0000123456" in page
    assert "nieopublikowana" not in page


def test_detail_lists_current_and_former_memberships(client, directory):
    cafe = directory["cafe"]
    now_member = factories.membership(
        organisation_obj=cafe,
        partnership_obj=directory["zoliborz"],
        role=Membership.Role.SUPPORTER,
        since=date(2022, 3, 1),
    )

    response = client.get(detail_url(cafe))
    page = response.content.decode()

    assert response.context["current_memberships"][0] == now_member
    assert [m.partnership.name for m in response.context["current_memberships"]] == [
        "Partnerstwo Sady Żoliborskie",
        "Partnerstwo w przygotowaniu",
    ]
    assert [m.partnership.name for m in response.context["former_memberships"]] == ["Nasze Stegny"]
    assert f'<a href="{directory["zoliborz"].get_absolute_url()}">Partnerstwo Sady Żoliborskie</a>' in page
    assert "partner wspierający" in page
    assert "od 1 marca 2022" in page
    assert "Wcześniej należała do" in page
    assert f'<a href="{directory["stegny"].get_absolute_url()}">Nasze Stegny</a>' in page
    assert "od 1 stycznia 2020 do" in page


def test_detail_does_not_link_unpublished_partnership(client, directory):
    page = client.get(detail_url(directory["cafe"])).content.decode()

    assert directory["hidden"].get_absolute_url() not in page


def test_detail_of_organisation_without_partnerships_says_so(client):
    organisation = factories.organisation(name="Samotna Fundacja")

    page = client.get(detail_url(organisation)).content.decode()

    assert "Organizacja nie należy teraz do żadnego partnerstwa." in page


def test_detail_escapes_html_in_description(client):
    organisation = factories.organisation(description='<img src=x onerror="alert(1)">')

    page = client.get(detail_url(organisation)).content.decode()

    assert "<img src=x" not in page
    assert "&lt;img src=x" in page


def test_unknown_organisation_is_404(client):
    assert client.get(reverse("members:organisation_detail", kwargs={"slug": "nie-ma-takiej"})).status_code == 404


def test_unpublished_organisation_is_404_for_public_and_visible_to_staff(client, plain_user, staff_user):
    organisation = factories.organisation(name="Fundacja w Przygotowaniu", is_published=False)
    url = detail_url(organisation)

    assert client.get(url).status_code == 404
    client.force_login(plain_user)
    assert client.get(url).status_code == 404
    log_in(client, staff_user)
    response = client.get(url)
    assert response.status_code == 200
    assert "Fundacja w Przygotowaniu" in response.content.decode()
    assert "nieopublikowana" in response.content.decode()


def test_detail_query_count_is_flat(client):
    def url_for(partnerships):
        # The first partnership's member from the first row belongs to every partnership built later.
        return detail_url(partnerships[0].memberships.order_by("pk").last().organisation)

    response = assert_flat_query_count(client, url_for)
    assert len(response.context["current_memberships"]) == 2


def test_typing_a_district_with_a_kind_finds_organisations_there(client):
    factories.organisation(name="Biblioteka na Stegnach", district_slug="mokotow")
    factories.organisation(name="Biblioteka na Sadach", district_slug="zoliborz")
    assert listed_names(client.get(LIST_URL, {"q": "biblioteka mokotow"})) == ["Biblioteka na Stegnach"]


def test_directory_q_reads_words_as_the_site_search_does(client, directory):
    # A prefix of a word, in any case and without Polish letters, finds it; a word shorter than three
    # characters ("na", "xy") is left out, as on the search page.
    assert listed_names(client.get(LIST_URL, {"q": "BIBLIO"})) == ["Biblioteka na Sadach"]
    assert listed_names(client.get(LIST_URL, {"q": "ladne podw"})) == ["Fundacja Ładne Podwórko"]
    assert listed_names(client.get(LIST_URL, {"q": "biblioteka xy"})) == ["Biblioteka na Sadach"]
    assert listed_names(client.get(LIST_URL, {"q": "xy"})) == listed_names(client.get(LIST_URL))
    assert "<mark>Biblioteka</mark> na Sadach" in client.get(reverse("search"), {"q": "biblioteka xy"}).content.decode()
