import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Membership, PartnershipRole, Person
from partnerships.models import Partnership
from tests import factories
from tests.utils import assert_flat_query_count, log_in

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"partnerships:{name}", kwargs=kwargs or None)


def text(response):
    return response.content.decode()


@pytest.fixture
def zoliborz_partnership():
    partnership = factories.partnership(
        name="Marymont-Kaskada",
        districts=["zoliborz"],
        area="Marymont i okolice ul. Kaskadowej",
        founded_year=2013,
        contact_name="OPS Żoliborz",
        contact_email="marymont@example.org",
        condition_animator=True,
        condition_animator_note="Animatorka pracuje od 2013 roku.",
    )
    place = factories.place(name="Klub Sąsiedzki Kaskada", street_address="ul. Kaskadowa 10")
    partnership.places.add(place)
    ops = factories.organisation(name="Ośrodek Pomocy Społecznej Żoliborz", sector="public")
    factories.membership(organisation_obj=ops, partnership_obj=partnership, role=Membership.Role.COORDINATOR)
    former = factories.organisation(name="Kawiarnia Dawna")
    factories.membership(
        organisation_obj=former, partnership_obj=partnership, since=date(2014, 1, 1), until=date(2016, 6, 30)
    )
    hidden_person = factories.person(first_name="Ewa", last_name="Niepubliczna", email="ewa@example.org")
    public_person = factories.person(
        first_name="Jan", last_name="Publiczny", email="jan@example.org", public_contact=True
    )
    factories.team_role(person_obj=hidden_person, partnership_obj=partnership, role=PartnershipRole.Role.ANIMATOR)
    factories.team_role(person_obj=public_person, partnership_obj=partnership, role=PartnershipRole.Role.CONTACT)
    factories.event(title="Piknik na Kaskadzie", organisers=[partnership], place=place)
    factories.event(title="Zeszłoroczne spotkanie", organisers=[partnership], start=timezone.now() - timedelta(days=30))
    return partnership


def test_partnership_detail_shows_its_data_and_links_to_related_pages(client, zoliborz_partnership):
    response = client.get(zoliborz_partnership.get_absolute_url())
    assert response.status_code == 200
    page = text(response)
    assert page.count("<h1") == 1
    for expected in [
        "Marymont-Kaskada",
        "Marymont i okolice ul. Kaskadowej",
        "2013",
        "OPS Żoliborz",
        "marymont@example.org",
        "Animatorka pracuje od 2013 roku.",
        "Ośrodek Pomocy Społecznej Żoliborz",
        "organizacja koordynująca",
        "Kawiarnia Dawna",
        "Dawni członkowie",
        "Klub Sąsiedzki Kaskada",
        "Piknik na Kaskadzie",
        "Zeszłoroczne spotkanie",
        "Ewa Niepubliczna",
        "Jan Publiczny",
        "jan@example.org",
    ]:
        assert expected in page, expected
    assert reverse("partnerships:district_detail", kwargs={"slug": "zoliborz"}) in page
    assert zoliborz_partnership.places.get().get_absolute_url() in page


def test_team_contact_data_shows_only_with_consent(client, zoliborz_partnership):
    page = text(client.get(zoliborz_partnership.get_absolute_url()))
    assert "jan@example.org" in page
    assert "ewa@example.org" not in page


def test_unpublished_partnership_is_404_for_public_and_visible_to_staff(client, staff_user):
    hidden = factories.partnership(name="Partnerstwo w przygotowaniu", is_published=False)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert "Partnerstwo w przygotowaniu" not in text(client.get(url("list")))
    log_in(client, staff_user)
    assert "Partnerstwo w przygotowaniu" in text(client.get(url("list")))
    response = client.get(hidden.get_absolute_url())
    assert response.status_code == 200
    assert "nieopublikowane" in text(response)


def test_unknown_slugs_give_404(client):
    for name in ["detail", "district_detail", "place_detail", "working_group_detail", "position_detail"]:
        assert client.get(url(name, slug="nie-ma-takiego")).status_code == 404, name


def test_partnership_list_filters_by_district_kind_and_status(client):
    factories.partnership(name="Nasze Stegny", districts=["mokotow"])
    factories.partnership(name="Sady Żoliborskie", districts=["zoliborz"], status=Partnership.Status.FORMING)
    factories.partnership(name="Forum Inicjatyw", kind=Partnership.Kind.THEMATIC, citywide=True)

    page = text(client.get(url("list"), {"dzielnica": "mokotow"}))
    assert "Nasze Stegny" in page and "Sady Żoliborskie" not in page

    page = text(client.get(url("list"), {"rodzaj": "thematic"}))
    assert "Forum Inicjatyw" in page and "Nasze Stegny" not in page

    page = text(client.get(url("list"), {"stan": "forming", "dzielnica": "zoliborz"}))
    assert "Sady Żoliborskie" in page and "Nasze Stegny" not in page and "Forum Inicjatyw" not in page

    page = text(client.get(url("list"), {"q": "stegny"}))
    assert "Nasze Stegny" in page and "Sady Żoliborskie" not in page


def test_partnership_list_is_in_polish_order_and_paginates(client, settings):
    for name in ["Żoliborz Oficerski", "Zacisze razem", "Śródmieście Południe", "Służew"]:
        factories.partnership(name=name)
    page = text(client.get(url("list")))
    assert page.index("Służew") < page.index("Śródmieście Południe") < page.index("Zacisze razem")
    assert page.index("Zacisze razem") < page.index("Żoliborz Oficerski")

    for i in range(25):
        factories.partnership(name=f"Partnerstwo {i:02d}")
    first = text(client.get(url("list")))
    second = text(client.get(url("list"), {"page": 2}))
    assert "Partnerstwo 00" in first and "Partnerstwo 00" not in second
    assert 'rel="next"' in first


@pytest.mark.parametrize(
    "params",
    [
        {"dzielnica": "atlantyda"},
        {"rodzaj": "nieznany"},
        {"stan": "<script>alert(1)</script>"},
        {"q": "x" * 10_000},
        {"q": "żoliborz\x00"},
        {"dzielnica": "wola\x00"},
        {"q": "%_\\'\""},
    ],
)
def test_bad_filter_values_give_a_normal_page_with_a_message(client, params):
    factories.partnership(name="Nasze Stegny", districts=["mokotow"])
    response = client.get(url("list"), params)
    assert response.status_code == 200
    page = text(response)
    assert "<script>alert(1)</script>" not in page
    if "q" not in params or len(params["q"]) > 200 or "\x00" in params["q"]:
        assert "Nasze Stegny" not in page
        assert 'class="invalid-feedback' in page or "is-invalid" in page


def test_bad_page_numbers_give_404_and_a_page_past_the_end_the_last_page(client):
    factories.partnership()
    assert client.get(url("list"), {"page": "abc"}).status_code == 404
    past = client.get(url("list"), {"page": "99999"})
    assert past.status_code == 302 and past["Location"] == url("list")  # one page: no page number
    assert client.get(url("list"), {"page": "1"}).status_code == 200


def test_huge_query_string_does_not_break_the_page(client):
    response = client.get(url("list") + "?" + "&".join(f"x{i}=y" for i in range(900)) + "&q=" + "a" * 4000)
    assert response.status_code == 200


def test_district_list_counts_only_public_rows(client):
    factories.partnership(name="Widoczne", districts=["wola"])
    factories.partnership(name="Ukryte", districts=["wola"], is_published=False)
    factories.organisation(district_slug="wola")
    factories.organisation(district_slug="wola", is_published=False)
    factories.place(district_slug="wola")
    response = client.get(url("district_list"))
    assert response.status_code == 200
    page = text(response)
    row = page[page.index(reverse("partnerships:district_detail", kwargs={"slug": "wola"})) :]
    row = row[: row.index("</tr>")]
    assert [cell.split("<")[0] for cell in row.split('class="text-end">')[1:]] == ["1", "1", "1"]
    table = page[page.index("<tbody>") :]
    assert table.index("Śródmieście") < table.index("Targówek")
    assert table.index("Włochy") < table.index(">Wola<") < table.index("Żoliborz")


def test_district_detail_shows_partnerships_organisations_places_and_events(client):
    partnership = factories.partnership(name="Młyn na Woli", districts=["wola"])
    factories.organisation(name="Biblioteka na Młynowie", district_slug="wola")
    place = factories.place(name="Dom Sąsiedzki Młynów", district_slug="wola")
    factories.event(title="Sąsiedzka potańcówka", place=place)
    factories.event(title="Spotkanie partnerstwa", organisers=[partnership])
    factories.partnership(name="Nasze Stegny", districts=["mokotow"])
    page = text(client.get(url("district_detail", slug="wola")))
    for expected in [
        "Wola",
        "Młyn na Woli",
        "Biblioteka na Młynowie",
        "Dom Sąsiedzki Młynów",
        "Sąsiedzka potańcówka",
        "Spotkanie partnerstwa",
    ]:
        assert expected in page, expected
    assert "Nasze Stegny" not in page


def test_place_pages(client):
    partnership = factories.partnership(name="Przepis na Muranów")
    place = factories.place(name="Biblioteka Muranów", district_slug="srodmiescie", street_address="ul. Nowolipki 1")
    partnership.places.add(place)
    factories.event(title="Czytanie na głos", place=place)
    assert "Biblioteka Muranów" in text(client.get(url("place_list")))
    page = text(client.get(place.get_absolute_url()))
    for expected in ["Biblioteka Muranów", "ul. Nowolipki 1", "Śródmieście", "Przepis na Muranów", "Czytanie na głos"]:
        assert expected in page


def test_working_groups_and_positions(client):
    group = factories.working_group(name="Zespół ds. komunikacji", purpose="Wspólna strona i newsletter sieci.")
    partnership = factories.partnership(name="Nasze Stegny")
    group.partnerships.add(partnership)
    position = factories.position(title="Stanowisko w sprawie domów sąsiedzkich", working_group=group)
    position.partnerships.add(partnership)
    factories.working_group(name="Zespół ukryty", is_published=False)
    factories.position(title="Szkic stanowiska", is_published=False)

    page = text(client.get(url("working_group_list")))
    assert "Zespół ds. komunikacji" in page and "Zespół ukryty" not in page
    page = text(client.get(group.get_absolute_url()))
    assert "Wspólna strona i newsletter sieci." in page and "Stanowisko w sprawie domów sąsiedzkich" in page
    page = text(client.get(url("position_list")))
    assert "Stanowisko w sprawie domów sąsiedzkich" in page and "Szkic stanowiska" not in page
    page = text(client.get(position.get_absolute_url()))
    assert "Nasze Stegny" in page and "Zespół ds. komunikacji" in page


@pytest.mark.parametrize(
    "url_for",
    [
        lambda ps: url("list"),
        lambda ps: url("list") + "?dzielnica=zoliborz&rodzaj=local",
        lambda ps: ps[0].get_absolute_url(),
        lambda ps: url("district_list"),
        lambda ps: url("district_detail", slug="zoliborz"),
        lambda ps: url("place_list"),
        lambda ps: ps[0].places.first().get_absolute_url(),
        lambda ps: url("working_group_list"),
        lambda ps: ps[0].working_groups.first().get_absolute_url(),
        lambda ps: url("position_list"),
        lambda ps: ps[0].positions.first().get_absolute_url(),
    ],
    ids=[
        "list",
        "list-filtered",
        "detail",
        "districts",
        "district",
        "places",
        "place",
        "groups",
        "group",
        "positions",
        "position",
    ],
)
def test_query_count_is_flat(client, url_for):
    assert_flat_query_count(client, url_for)


def test_person_with_two_roles_is_listed_once_with_both(client, zoliborz_partnership):
    jan = zoliborz_partnership.team_roles.get(role=PartnershipRole.Role.CONTACT).person
    factories.team_role(person_obj=jan, partnership_obj=zoliborz_partnership, role=PartnershipRole.Role.COORDINATOR)
    page = text(client.get(zoliborz_partnership.get_absolute_url()))
    assert page.count("Jan Publiczny") == 1
    assert "osoba do kontaktu" in page and "koordynator/koordynatorka" in page


@pytest.mark.parametrize(
    ("role_names", "animator", "coordinator"),
    [
        (Person.RoleNames.FEMININE, "animatorka", "koordynatorka"),
        (Person.RoleNames.MASCULINE, "animator", "koordynator"),
        (Person.RoleNames.BOTH, "animator/animatorka", "koordynator/koordynatorka"),
    ],
)
def test_role_names_follow_the_form_chosen_for_the_person(client, role_names, animator, coordinator):
    partnership = factories.partnership(name="Nasze Stegny")
    person = factories.person(first_name="Alex", last_name="Nowak", role_names=role_names)
    factories.team_role(person_obj=person, partnership_obj=partnership, role=PartnershipRole.Role.ANIMATOR)
    factories.team_role(person_obj=person, partnership_obj=partnership, role=PartnershipRole.Role.COORDINATOR)

    page = " ".join(re.sub(r"<[^>]+>", " ", text(client.get(partnership.get_absolute_url()))).split())

    assert f"Alex Nowak – {animator}; {coordinator}" in page


def test_members_are_grouped_by_sector_in_declared_order(client, zoliborz_partnership):
    factories.membership(
        organisation_obj=factories.organisation(name="Kawiarnia Pod Kaskadą", sector="business"),
        partnership_obj=zoliborz_partnership,
    )
    factories.membership(
        organisation_obj=factories.organisation(name="Fundacja Kaskada", sector="ngo"),
        partnership_obj=zoliborz_partnership,
    )
    page = text(client.get(zoliborz_partnership.get_absolute_url()))
    assert page.index("Organizacja pozarządowa") < page.index("Instytucja publiczna") < page.index(">Firma<")


def test_typing_a_district_finds_the_partnerships_working_there(client):
    factories.partnership(name="Sady Żoliborskie", districts=["zoliborz"])
    factories.partnership(name="Forum Żoliborza", districts=["zoliborz", "bielany"])
    factories.partnership(name="Nasze Stegny", districts=["mokotow"])
    page = text(client.get(url("list"), {"q": "zoliborz"}))
    assert "Sady Żoliborskie" in page and "Nasze Stegny" not in page
    assert page.count("Forum Żoliborza</a>") == 1
