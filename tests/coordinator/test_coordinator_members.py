"""A coordinator keeps the members and the team of the partnership current."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from common.forms import version_of
from members import services
from members.models import Membership, Organisation, PartnershipRole, Person
from partnerships.models import CoordinatorAccess
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership():
    return factories.partnership(name="Partnerstwo Stegny", districts=["mokotow"])


@pytest.fixture
def coordinator_client(client, django_user_model, partnership):
    user = django_user_model.objects.create_user(username="koordynator", password="haslo-testowe-123")
    CoordinatorAccess.objects.create(user=user, partnership=partnership)
    client.force_login(user)
    return client


def url(name, partnership, **kwargs):
    return reverse(f"coordinator:{name}", kwargs={"slug": partnership.slug, **kwargs})


def new_organisation_data(**changes):
    data = {
        "org-name": "Stowarzyszenie Sąsiedzi Stegien",
        "org-sector": Organisation.Sector.NGO,
        "org-krs": "0000654321",
        "org-email": "biuro@example.org",
        "org-website": "stegny.example.org",
        "membership-role": Membership.Role.MEMBER,
        "membership-since": "2024-03-01",
        "publication": "publish",
    }
    data.update(changes)
    return data


# --- members ------------------------------------------------------------------------------


def test_search_finds_organisations_without_polish_letters(coordinator_client, partnership):
    factories.organisation(name="Biblioteka Publiczna na Żoliborzu")
    factories.organisation(name="Fundacja Inna")

    page = coordinator_client.get(url("membership_add", partnership), {"q": "zoliborzu"}).content.decode()

    assert "Biblioteka Publiczna na Żoliborzu" in page
    assert "Fundacja Inna" not in page


def test_member_search_reads_words_by_the_sites_one_rule(coordinator_client, partnership):
    """As on the search page and the directories: a prefix finds, a word under three letters is left out."""
    factories.organisation(name="Biblioteka Publiczna na Żoliborzu")
    factories.organisation(name="Fundacja Inna")
    search = url("membership_add", partnership)

    by_prefix = coordinator_client.get(search, {"q": "bibl ŻOLI"}).content.decode()
    short_word_too = coordinator_client.get(search, {"q": "na bibl"}).content.decode()
    only_short = coordinator_client.get(search, {"q": "na"}).content.decode()

    assert "Wybierz: Biblioteka Publiczna na Żoliborzu" in by_prefix
    assert "Wybierz: Biblioteka Publiczna na Żoliborzu" in short_word_too
    assert "Fundacja Inna" not in short_word_too
    assert "Wybierz:" not in only_short  # "na" alone would match nearly every name: nothing is listed
    assert "Nie znaleziono takiej organizacji." in only_short


def test_coordinator_adds_an_organisation_from_the_directory(coordinator_client, partnership):
    library = factories.organisation(name="Biblioteka na Stegnach", sector=Organisation.Sector.PUBLIC)

    chosen = coordinator_client.get(url("membership_add", partnership), {"organizacja": library.pk}).content.decode()
    response = coordinator_client.post(
        url("membership_add", partnership),
        {"organisation": library.pk, "role": Membership.Role.SUPPORTER, "since": "2023-09-01"},
        follow=True,
    )

    assert "Wybrana organizacja: <strong>Biblioteka na Stegnach</strong>" in chosen
    assert "Dodano organizację do partnerstwa." in response.content.decode()
    membership = partnership.memberships.get()
    assert (membership.organisation, membership.role, membership.since) == (
        library,
        Membership.Role.SUPPORTER,
        date(2023, 9, 1),
    )
    public = coordinator_client.get(partnership.get_absolute_url()).content.decode()
    assert "Biblioteka na Stegnach" in public


def test_the_same_organisation_cannot_be_added_twice(coordinator_client, partnership):
    existing = factories.membership(partnership_obj=partnership, since=date(2020, 1, 1))

    response = coordinator_client.post(
        url("membership_add", partnership),
        {"organisation": existing.organisation.pk, "role": Membership.Role.MEMBER, "since": "2022-01-01"},
    )

    assert response.status_code == 200
    assert "Ta organizacja była już członkiem tego partnerstwa w tym okresie." in response.content.decode()
    assert partnership.memberships.count() == 1


def test_new_organisation_is_created_on_the_spot_with_its_membership(coordinator_client, partnership):
    response = coordinator_client.post(url("membership_add_new", partnership), new_organisation_data(), follow=True)

    assert "Dodano nową organizację do katalogu i do partnerstwa." in response.content.decode()
    organisation = Organisation.objects.get(krs="0000654321")
    assert organisation.slug == "stowarzyszenie-sasiedzi-stegien"
    assert organisation.website == "https://stegny.example.org"
    assert partnership.memberships.get().organisation == organisation


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"org-krs": "12345"}, "Numer KRS to dokładnie 10 cyfr, np. 0000123456."),
        ({"org-email": "biuro(at)example.org"}, "Podaj poprawny adres e-mail, np. kontakt@example.org."),
        ({"org-website": "http://"}, "Podaj poprawny adres strony, np. https://example.org."),
        ({"org-phone": "brak"}, "Podaj numer telefonu cyframi"),
        ({"org-name": ""}, "Podaj nazwę organizacji."),
        ({"membership-since": "1 marca"}, "Podaj datę w postaci RRRR-MM-DD, np. 2026-05-14."),
        ({"org-description": "x" * 100_000}, "Ten tekst jest za długi"),
    ],
)
def test_bad_new_organisation_is_refused_and_nothing_is_half_saved(coordinator_client, partnership, changes, message):
    response = coordinator_client.post(url("membership_add_new", partnership), new_organisation_data(**changes))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Organisation.objects.exists()
    assert not Membership.objects.exists()


def test_duplicate_krs_is_refused(coordinator_client, partnership):
    factories.organisation(name="Fundacja z tym KRS", krs="0000654321")

    response = coordinator_client.post(url("membership_add_new", partnership), new_organisation_data())

    assert "Organizacja z tym numerem KRS już jest w katalogu." in response.content.decode()
    assert not Membership.objects.exists()


def test_an_organisation_like_one_in_the_directory_is_offered_first_and_nothing_is_saved(
    coordinator_client, partnership
):
    existing = factories.organisation(name="Fundacja „Sąsiedzi Stegien”")

    response = coordinator_client.post(url("membership_add_new", partnership), new_organisation_data(**{"org-krs": ""}))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Podobna organizacja jest już w katalogu" in page
    assert f'href="{existing.get_absolute_url()}"' in page
    assert f"{url('membership_add', partnership)}?organizacja={existing.pk}" in page
    assert "dodaj istniejącą albo potwierdź, że to inna" in page
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Fundacja „Sąsiedzi Stegien”"]
    assert not Membership.objects.exists()


def test_a_coordinator_who_adds_it_anyway_says_why_and_the_reason_stays_in_its_history(coordinator_client, partnership):
    factories.organisation(name="SASIEDZI STEGIEN")
    data = new_organisation_data(**{"org-krs": "", "dup-different": "on"})

    without_reason = coordinator_client.post(url("membership_add_new", partnership), data)
    added = coordinator_client.post(
        url("membership_add_new", partnership), {**data, "dup-reason": "Inne stowarzyszenie, z Sadyby"}, follow=True
    )

    assert "Napisz krótko, czym ta organizacja różni się od tej z katalogu." in without_reason.content.decode()
    assert "Dodano nową organizację do katalogu i do partnerstwa." in added.content.decode()
    created = Organisation.objects.get(name="Stowarzyszenie Sąsiedzi Stegien")
    assert created.history.get().history_change_reason == "Inne stowarzyszenie, z Sadyby"
    assert partnership.memberships.get().organisation == created


def test_likely_duplicates_fold_case_letters_punctuation_and_legal_forms():
    same = factories.organisation(name="Fundacja Ala i Kot", krs="0000000001")
    factories.organisation(name="Ala i Pies")
    by_krs = factories.organisation(name="Zupełnie inna nazwa", krs="0000000002")

    assert Organisation.objects.likely_duplicates(name="ALA I KOT sp. z o.o.") == [same]
    assert Organisation.objects.likely_duplicates(name="Ala i Kot", krs="0000000009") == []  # two KRS: two entities
    assert Organisation.objects.likely_duplicates(name="Ala i Pies", krs="0000000009") == [
        Organisation.objects.get(name="Ala i Pies")  # the one without a KRS may still be this one
    ]
    assert Organisation.objects.likely_duplicates(name="Nowa", krs="0000000002") == [by_krs]
    assert Organisation.objects.likely_duplicates(name="Fundacja") == []


def test_a_refused_membership_leaves_no_organisation_and_no_logo_file(partnership):
    """The service saves the organisation first; when the membership is refused, both go, and the logo too."""
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), "green").save(buffer, "PNG")

    with pytest.raises(ValidationError):
        services.add_new_member(
            organisation=Organisation(name="Fundacja Próbna", sector=Organisation.Sector.NGO, logo_alt="Logo"),
            membership=Membership(role="nie-ma-takiej-roli"),
            partnership=partnership,
            logo=SimpleUploadedFile("logo.png", buffer.getvalue(), "image/png"),
            by=None,
        )

    assert not Organisation.objects.exists()
    assert not Membership.objects.exists()
    assert not default_storage.exists("organisations/logos") or default_storage.listdir("organisations/logos") == (
        [],
        [],
    )


def test_ending_a_membership_keeps_it_as_a_former_member(coordinator_client, partnership):
    membership = factories.membership(
        partnership_obj=partnership,
        organisation_obj=factories.organisation(name="Klub Seniora Stegny"),
        since=date(2018, 5, 1),
    )

    response = coordinator_client.post(url("membership_end", partnership, pk=membership.pk), {"until": "2024-12-31"})

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.until == date(2024, 12, 31)
    public = coordinator_client.get(partnership.get_absolute_url()).content.decode()
    assert "Dawni członkowie" in public and "Klub Seniora Stegny" in public


def test_membership_cannot_end_before_it_started(coordinator_client, partnership):
    membership = factories.membership(partnership_obj=partnership, since=date(2018, 5, 1))

    response = coordinator_client.post(url("membership_end", partnership, pk=membership.pk), {"until": "2017-01-01"})

    assert "Koniec nie może być przed początkiem (2018-05-01)." in response.content.decode()
    membership.refresh_from_db()
    assert membership.until is None


def test_there_is_no_way_to_delete_a_membership_from_the_coordinator_area(coordinator_client, partnership):
    membership = factories.membership(partnership_obj=partnership)

    page = coordinator_client.get(url("partnership", partnership)).content.decode()

    assert "Usuń członkostwo" not in page and "usun" not in url("membership_end", partnership, pk=membership.pk)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_coordinator_edits_a_member_organisation(coordinator_client, partnership):
    organisation = factories.membership(partnership_obj=partnership).organisation

    response = coordinator_client.post(
        url("organisation_edit", partnership, pk=organisation.pk),
        {
            "version": version_of(organisation),
            "name": organisation.name,
            "sector": Organisation.Sector.INFORMAL,
            "kind": "grupa sąsiedzka",
            "phone": "+48 600 100 200",
            "publication": "publish",
        },
    )

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.sector == Organisation.Sector.INFORMAL
    assert organisation.phone == "+48 600 100 200"


# --- team ---------------------------------------------------------------------------------


def team_data(**changes):
    data = {
        "role-role": PartnershipRole.Role.ANIMATOR,
        "role-since": "2024-01-15",
        "person-first_name": "Zofia",
        "person-last_name": "Przykładowa",
        "person-email": "zofia@example.org",
        "person-phone": "600 100 200",
    }
    data.update(changes)
    return data


def test_new_person_joins_the_team_and_contact_stays_private_without_consent(coordinator_client, partnership):
    response = coordinator_client.post(url("team_add", partnership), team_data(), follow=True)

    assert "Dodano osobę do zespołu." in response.content.decode()
    role = partnership.team_roles.get()
    assert role.person.full_name == "Zofia Przykładowa" and role.role == PartnershipRole.Role.ANIMATOR
    public = coordinator_client.get(partnership.get_absolute_url()).content.decode()
    assert "Zofia Przykładowa" in public
    assert "zofia@example.org" not in public and "600 100 200" not in public


def test_consent_makes_the_contact_public(coordinator_client, partnership):
    coordinator_client.post(url("team_add", partnership), team_data(**{"person-consent": "written"}))

    public = coordinator_client.get(partnership.get_absolute_url()).content.decode()

    assert "zofia@example.org" in public


def test_someone_already_in_the_team_gets_another_role(coordinator_client, partnership):
    role = factories.team_role(partnership_obj=partnership, role=PartnershipRole.Role.TEAM)

    coordinator_client.post(
        url("team_add", partnership),
        {"role-existing_person": role.person.pk, "role-role": PartnershipRole.Role.CONTACT},
    )

    assert Person.objects.count() == 1
    assert sorted(role.person.roles.values_list("role", flat=True)) == ["contact", "team"]


def test_the_same_open_role_twice_is_refused(coordinator_client, partnership):
    role = factories.team_role(partnership_obj=partnership, role=PartnershipRole.Role.ANIMATOR)

    response = coordinator_client.post(
        url("team_add", partnership),
        {"role-existing_person": role.person.pk, "role-role": PartnershipRole.Role.ANIMATOR},
    )

    assert "Ta osoba już pełni tę rolę w tym partnerstwie." in response.content.decode()
    assert partnership.team_roles.count() == 1


def test_new_person_without_a_name_is_refused_with_nothing_saved(coordinator_client, partnership):
    response = coordinator_client.post(url("team_add", partnership), team_data(**{"person-last_name": ""}))

    assert "Podaj nazwisko." in response.content.decode()
    assert not Person.objects.exists() and not PartnershipRole.objects.exists()


def test_ending_a_role_removes_the_person_from_the_public_team(coordinator_client, partnership):
    role = factories.team_role(
        partnership_obj=partnership, person_obj=factories.person(first_name="Marek", last_name="Były")
    )

    coordinator_client.post(url("role_end", partnership, pk=role.pk), {"until": "2024-01-31"})

    role.refresh_from_db()
    assert role.until == date(2024, 1, 31)
    assert "Marek Były" not in coordinator_client.get(partnership.get_absolute_url()).content.decode()


def test_coordinator_edits_a_person_of_the_team(coordinator_client, partnership):
    person = factories.team_role(partnership_obj=partnership).person

    response = coordinator_client.post(
        url("person_edit", partnership, pk=person.pk),
        {"version": version_of(person), "first_name": "Anna", "last_name": "Nowakowska", "email": "zly-adres"},
    )

    assert "Podaj poprawny adres e-mail" in response.content.decode()
    response = coordinator_client.post(
        url("person_edit", partnership, pk=person.pk),
        {"version": version_of(person), "first_name": "Anna", "last_name": "Nowakowska", "bio": "Animatorka."},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.full_name == "Anna Nowakowska"
