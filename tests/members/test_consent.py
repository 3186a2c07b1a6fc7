"""Consent to publishing a person's contact is a record: when and how it was given, who recorded and withdrew it.

Withdrawal takes the e-mail and phone off every page, feed and open-data file at once, cached copies included.
"""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members import services
from members.models import ContactConsent, Person
from partnerships.models import CoordinatorAccess
from tests import factories
from tests.common.test_cache_failures import caches_on  # noqa: F401 (the fixture: local memory and Redis caches)

pytestmark = pytest.mark.django_db

EMAIL, PHONE = "zgoda.olgi@example.org", "600 321 987"


@pytest.fixture
def partnership():
    return factories.partnership(name="Partnerstwo Sady", districts=["zoliborz"])


@pytest.fixture
def person(partnership):
    obj = factories.person(first_name="Olga", last_name="Zgodna", email=EMAIL, phone=PHONE)
    factories.team_role(person_obj=obj, partnership_obj=partnership)
    return obj


@pytest.fixture
def coordinator(django_user_model, partnership):
    user = django_user_model.objects.create_user(username="koordynatorka", password="haslo-testowe-123")
    CoordinatorAccess.objects.create(user=user, partnership=partnership)
    client = Client()
    client.force_login(user)
    return client, user


def url(name, partnership, person):
    return reverse(f"coordinator:{name}", kwargs={"slug": partnership.slug, "pk": person.pk})


# --- the services ---------------------------------------------------------------------------------------------


def test_a_recorded_consent_says_when_how_and_who_and_publishes_the_contact(person, staff_user):
    consent = services.record_consent(person=person, how=ContactConsent.How.WRITTEN, by=staff_user)

    person.refresh_from_db()
    assert person.public_contact and person.public_email == EMAIL and person.public_phone == PHONE
    assert (consent.how, consent.recorded_by, consent.withdrawn_at) == ("written", staff_user, None)
    assert abs(consent.given_at - timezone.now()) < timedelta(seconds=5)


def test_a_second_current_consent_is_refused(person, staff_user):
    services.record_consent(person=person, how=ContactConsent.How.EMAIL, by=staff_user)

    with pytest.raises(ValidationError, match="Ta osoba ma już aktualną zgodę."):
        services.record_consent(person=person, how=ContactConsent.How.ORAL, by=staff_user)
    assert person.consents.count() == 1


def test_withdrawal_keeps_the_record_and_hides_the_contact(person, staff_user):
    services.record_consent(person=person, how=ContactConsent.How.FORM, by=staff_user)

    assert services.withdraw_consent(person=person, by=staff_user)

    person.refresh_from_db()
    (consent,) = person.consents.all()
    assert not person.public_contact and person.public_email == "" and person.public_phone == ""
    assert consent.withdrawn_by == staff_user and consent.withdrawn_at is not None
    # A new consent may follow a withdrawn one.
    services.record_consent(person=person, how=ContactConsent.How.ORAL, by=staff_user)
    assert person.consents.filter(withdrawn_at__isnull=True).count() == 1


def test_published_contacts_enter_the_register_as_consents_given_before_it(person):
    Person.objects.filter(pk=person.pk).update(public_contact=True)  # as the data were before the register
    private = factories.person(email="bez.zgody@example.org")
    migration = importlib.import_module("members.migrations.0008_contact_consents_and_erasures")

    migration.consents_given_before_the_register(apps, None)

    (consent,) = ContactConsent.objects.all()
    assert consent.person == person and consent.how == ContactConsent.How.BEFORE_REGISTER
    assert not private.consents.exists()


# --- the coordinator's page -----------------------------------------------------------------------------------


def test_the_coordinator_sees_the_state_and_records_a_consent(coordinator, partnership, person):
    client, user = coordinator

    page = client.get(url("person_edit", partnership, person)).content.decode()
    assert "Brak zgody: e-mail i telefon tej osoby nie są nigdzie publikowane." in page

    response = client.post(url("consent_record", partnership, person), {"how": "written"}, follow=True)

    assert "Zapisano zgodę" in response.content.decode()
    consent = person.consents.get()
    assert consent.recorded_by == user and consent.how == "written"
    page = client.get(url("person_edit", partnership, person)).content.decode()
    assert "(na piśmie)" in page and "Wycofaj zgodę" in page


@pytest.mark.parametrize("how", ["", "przed", "before_register"])
def test_a_consent_without_a_known_way_is_refused_in_polish(coordinator, partnership, person, how):
    client, _user = coordinator

    response = client.post(url("consent_record", partnership, person), {"how": how})

    assert response.status_code == 200
    assert "Wybierz, jak ta osoba wyraziła zgodę." in response.content.decode()
    assert not person.consents.exists()


def test_recording_a_second_consent_says_why_it_is_refused(coordinator, partnership, person, staff_user):
    client, _user = coordinator
    services.record_consent(person=person, how=ContactConsent.How.EMAIL, by=staff_user)

    response = client.post(url("consent_record", partnership, person), {"how": "oral"})

    assert "Ta osoba ma już aktualną zgodę." in response.content.decode()
    assert person.consents.count() == 1


def test_a_new_team_member_added_with_consent_gets_the_record(coordinator, partnership):
    client, user = coordinator
    data = {
        "role-role": "animator",
        "person-first_name": "Zofia",
        "person-last_name": "Nowa",
        "person-email": "zofia.nowa@example.org",
        "person-consent": "email",
    }

    client.post(reverse("coordinator:team_add", kwargs={"slug": partnership.slug}), data)

    person = Person.objects.get(last_name="Nowa")
    assert person.public_contact
    assert person.consents.get().recorded_by == user


def test_another_partnerships_coordinator_cannot_touch_the_consent(django_user_model, person):
    other = factories.partnership(name="Partnerstwo Inne")
    user = django_user_model.objects.create_user(username="obca", password="haslo-testowe-123")
    CoordinatorAccess.objects.create(user=user, partnership=other)
    client = Client()
    client.force_login(user)

    for name in ("consent_record", "consent_withdraw"):
        partnership = person.roles.get().partnership
        assert client.post(url(name, partnership, person), {"how": "oral"}).status_code == 404
        assert client.post(url(name, other, person), {"how": "oral"}).status_code == 404
    assert not person.consents.exists()


# --- the admin ------------------------------------------------------------------------------------------------


def test_staff_record_a_consent_given_earlier_and_withdraw_it_by_the_action(staff_client, staff_user, person):
    add = reverse("admin:members_contactconsent_add")
    given = timezone.localtime() - timedelta(days=3)

    page = staff_client.get(add, {"person": person.pk}).content.decode()
    staff_client.post(
        add, {"person": person.pk, "how": "written", "given_at_0": f"{given:%Y-%m-%d}", "given_at_1": f"{given:%H:%M}"}
    )

    assert f'value="{person.pk}" selected' in page
    consent = person.consents.get()
    assert consent.recorded_by == staff_user and timezone.localtime(consent.given_at).date() == given.date()
    person.refresh_from_db()
    assert person.public_contact

    staff_client.post(
        reverse("admin:members_contactconsent_changelist"),
        {"action": "withdraw_selected", "_selected_action": [consent.pk]},
    )

    person.refresh_from_db()
    assert not person.public_contact
    assert person.consents.get().withdrawn_by == staff_user


def test_staff_cannot_date_a_consent_in_the_future(staff_client, person):
    later = timezone.localtime() + timedelta(days=2)

    response = staff_client.post(
        reverse("admin:members_contactconsent_add"),
        {"person": person.pk, "how": "written", "given_at_0": f"{later:%Y-%m-%d}", "given_at_1": "12:00"},
    )

    assert "Zgoda nie może być udzielona w przyszłości." in response.content.decode()
    assert not person.consents.exists()


def test_deleting_a_current_consent_in_the_admin_hides_the_contact(staff_client, person, staff_user):
    consent = services.record_consent(person=person, how=ContactConsent.How.ORAL, by=staff_user)

    staff_client.post(reverse("admin:members_contactconsent_delete", args=[consent.pk]), {"post": "yes"})

    person.refresh_from_db()
    assert not person.public_contact and not person.consents.exists()


# --- withdrawal reaches every page, feed and open-data file, cached ones too -----------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("caches_on")
def test_withdrawal_takes_the_contact_off_cached_pages_feeds_and_open_data(django_user_model):
    partnership = factories.partnership(name="Partnerstwo Sady", districts=["zoliborz"])
    person = factories.person(first_name="Olga", last_name="Zgodna", email=EMAIL, phone=PHONE, public_contact=True)
    factories.team_role(person_obj=person, partnership_obj=partnership)
    user = django_user_model.objects.create_user(username="koordynatorka", password="haslo-testowe-123")
    CoordinatorAccess.objects.create(user=user, partnership=partnership)
    visitor = Client()
    urls = [
        partnership.get_absolute_url(),
        reverse("search") + "?q=zgodna",
        reverse("opendata:partnerstwa-json"),
        reverse("opendata:partnerstwa-csv"),
    ]
    for address in urls:
        visitor.get(address)
        cached = visitor.get(address)
        assert cached["X-Page-Cache"] == "hit", address
        assert PHONE in cached.content.decode() and EMAIL in cached.content.decode(), address

    coordinator = Client()
    coordinator.force_login(user)
    coordinator.post(url("consent_withdraw", partnership, person))

    for address in urls:
        content = visitor.get(address).content.decode()
        assert PHONE not in content and EMAIL not in content, address
    assert "Olga Zgodna" in visitor.get(urls[0]).content.decode()  # the person stays, only the contact goes
