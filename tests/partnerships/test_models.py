from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from common.text import polish_sort_key
from events.models import Event
from members.models import Membership, Organisation
from partnerships.models import District, Partnership, Place, PreviousName
from tests import factories

pytestmark = pytest.mark.django_db


def test_migration_creates_eighteen_districts_with_official_names_and_ascii_slugs():
    districts = {d.slug: d.name for d in District.objects.all()}
    assert len(districts) == 18
    assert districts["praga-poludnie"] == "Praga-Południe"
    assert districts["praga-polnoc"] == "Praga-Północ"
    assert districts["zoliborz"] == "Żoliborz"
    assert all(slug.isascii() for slug in districts)


def test_districts_sort_in_polish_alphabetical_order():
    names = list(District.objects.values_list("name", flat=True))
    assert names.index("Śródmieście") < names.index("Targówek")
    assert names.index("Włochy") < names.index("Wola")
    assert names[-1] == "Żoliborz"
    assert names == sorted(names, key=polish_sort_key)


def test_partnerships_sort_with_polish_letters_after_their_base_letters():
    for name in ["Żoliborz Oficerski", "Zacisze", "Łuk", "Lipy", "Śródmieście", "Sady", "Ołtarzew"]:
        factories.partnership(name=name)
    assert list(Partnership.objects.values_list("name", flat=True)) == [
        "Lipy",
        "Łuk",
        "Ołtarzew",
        "Sady",
        "Śródmieście",
        "Zacisze",
        "Żoliborz Oficerski",
    ]


def test_sort_key_ignores_quotes_and_treats_hyphen_as_space():
    assert polish_sort_key("„Moje Wierzbno”") == polish_sort_key("Moje Wierzbno")
    assert polish_sort_key("Praga-Południe") == polish_sort_key("Praga Południe")


def test_renamed_partnership_keeps_old_name_and_old_address_redirects(client):
    partnership = factories.partnership(name="Nasz Żoliborz IV", slug="nasz-zoliborz-iv")
    partnership = Partnership.objects.get(pk=partnership.pk)
    partnership.name = "Dla Rudawki i Zatrasia"
    partnership.slug = "dla-rudawki-i-zatrasia"
    partnership.save()

    previous = PreviousName.objects.get(partnership=partnership)
    assert (previous.name, previous.slug) == ("Nasz Żoliborz IV", "nasz-zoliborz-iv")
    response = client.get(reverse("partnerships:detail", kwargs={"slug": "nasz-zoliborz-iv"}))
    assert response.status_code == 301
    assert response["Location"] == partnership.get_absolute_url()
    page = client.get(response["Location"])
    assert "Nasz Żoliborz IV" in page.content.decode()


def test_old_slug_of_unpublished_partnership_does_not_redirect(client):
    partnership = factories.partnership(name="Stara nazwa", slug="stara-nazwa")
    partnership = Partnership.objects.get(pk=partnership.pk)
    partnership.slug = "nowa-nazwa"
    partnership.is_published = False
    partnership.save()
    response = client.get(reverse("partnerships:detail", kwargs={"slug": "stara-nazwa"}))
    assert response.status_code == 404


def test_event_cannot_end_before_it_starts():
    start = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(title="Zła data", slug="zla-data", start=start, end=start - timedelta(hours=1))
    assert not Event.objects.filter(slug="zla-data").exists()


def test_event_end_before_start_gives_polish_validation_message():
    start = timezone.now()
    event = Event(title="Zła data", slug="zla-data", start=start, end=start - timedelta(hours=1))
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "Wydarzenie musi skończyć się później" in str(error.value)


def test_only_one_open_membership_per_organisation_and_partnership():
    membership = factories.membership()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(organisation=membership.organisation, partnership=membership.partnership)


def test_ended_membership_is_kept_and_a_new_one_can_start():
    old = factories.membership(since=date(2015, 1, 1), until=date(2018, 12, 31))
    new = Membership.objects.create(organisation=old.organisation, partnership=old.partnership, since=date(2020, 1, 1))
    assert Membership.objects.filter(organisation=old.organisation).count() == 2
    assert not old.is_current and new.is_current


def test_overlapping_membership_periods_are_refused_with_a_message():
    old = factories.membership(since=date(2015, 1, 1), until=date(2018, 12, 31))
    overlapping = Membership(
        organisation=old.organisation, partnership=old.partnership, since=date(2017, 1, 1), until=date(2019, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        overlapping.full_clean()
    assert "w tym okresie" in str(error.value)


def test_membership_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.membership(since=date(2020, 1, 1), until=date(2019, 1, 1))


@pytest.mark.parametrize("krs", ["123", "12345678901", "00001234a5", "0000 12345"])
def test_krs_must_be_ten_digits(krs):
    organisation = Organisation(name="Fundacja", slug="fundacja", sector="ngo", krs=krs)
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert "10 cyfr" in str(error.value)
    # The database refuses it too: by the check constraint, or by the column's length.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Organisation.objects.create(name="Fundacja", slug="fundacja", sector="ngo", krs=krs)


def test_valid_krs_is_accepted_and_must_be_unique():
    factories.organisation(krs="0000123456")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.organisation(krs="0000123456")


def test_place_coordinates_must_lie_in_warsaw():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.place(latitude="50.061", longitude="19.937")  # Kraków
    place = Place(
        name="Poza miastem",
        slug="poza",
        street_address="x",
        district=factories.district(),
        latitude="50.061000",
        longitude="19.937000",
    )
    with pytest.raises(ValidationError) as error:
        place.full_clean()
    assert "poza Warszawą" in str(error.value)


def test_slugs_are_unique():
    factories.partnership(name="Nasze Stegny")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.partnership(name="Nasze Stegny")


def test_saving_without_a_rename_touches_no_previous_names(django_assert_num_queries):
    partnership = Partnership.objects.get(pk=factories.partnership(name="Nasze Stegny").pk)
    partnership.summary = "Nowy opis"
    # The UPDATE, the history INSERT and its snapshot of districts and places: no PreviousName query.
    with django_assert_num_queries(4):
        partnership.save()


def test_taking_back_an_old_address_removes_its_redirect(client):
    partnership = Partnership.objects.get(pk=factories.partnership(name="Stara", slug="stara").pk)
    partnership.slug = "nowa"
    partnership.save()
    partnership.slug = "stara"
    partnership.save()
    assert list(PreviousName.objects.filter(slug="stara")) == []
    assert client.get(reverse("partnerships:detail", kwargs={"slug": "stara"})).status_code == 200
