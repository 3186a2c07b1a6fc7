"""A person's data on request: staff export everything the site holds about a person, and erase it.

The proof: after an erasure, the person's e-mail and phone occur in no text column of any table of the database.
"""

import json
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from common.mail import send_email_task
from members import services
from members.models import ContactConsent, Erasure, Organisation, Person, WorkingGroupMembership
from partnerships import services as services_of_partnerships
from partnerships.models import ContactMessage, CoordinatorAccess, Invitation, Partnership
from search.models import SearchWord
from tests import factories
from tests.utils import log_in

pytestmark = pytest.mark.django_db

EMAIL, PHONE = "ewa.zapomniana.7731@example.org", "601 773 155"
TEXT_TYPES = {"CharField", "TextField", "JSONField", "EmailField", "SlugField", "URLField"}


def admin_url(name, person):
    return reverse(f"admin:members_person_{name}", args=[person.pk])


def make_person(*, with_role=True, **fields):
    """A person whose data are in every place the site keeps such data, with several versions in their history."""
    account = get_user_model().objects.create_user(
        username="ewa.z", email=EMAIL.upper(), first_name="Ewa", last_name="Zapomniana", password="haslo-testowe-123"
    )
    person = factories.person(first_name="Ewa", last_name="Zapomniana", email=EMAIL, phone=PHONE, user=account)
    services.record_consent(person=person, how=ContactConsent.How.WRITTEN, by=None)
    for bio in ("Animatorka z Sadów.", "Animatorka z Sadów i Bielan."):
        person.bio = bio
        person.save()
    partnership = factories.partnership(name="Partnerstwo Sady", contact_email=EMAIL, contact_phone=PHONE)
    partnership.contact_name = "Ewa Zapomniana"
    partnership.save()
    CoordinatorAccess.objects.create(user=account, partnership=partnership)
    if with_role:
        factories.team_role(person_obj=person, partnership_obj=partnership)
    factories.organisation(name="Fundacja Ewy", email=EMAIL, phone=PHONE)
    invitation = Invitation.objects.create(
        email=EMAIL,
        partnership=partnership,
        token_hash="7" * 64,
        expires_at=timezone.now() + timedelta(days=7),
    )
    LogEntry.objects.create(
        user=factories_staff(),
        content_type=ContentType.objects.get_for_model(Invitation),
        object_id=str(invitation.pk),
        object_repr=str(invitation),
        action_flag=ADDITION,
    )
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        send_email_task.enqueue(subject="Zaproszenie", body=f"Tel. {PHONE}", to=[EMAIL], attempt=1)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        services_of_partnerships.send_contact_message(
            partnership=partnership,
            name="Ewa Zapomniana",
            email=EMAIL,
            reason=ContactMessage.Reason.QUESTION,
            message=f"Proszę o telefon: {PHONE}",
            url_for=lambda path: path,
            network_inbox=[],
        )
    AccessAttempt.objects.create(
        username=EMAIL,
        ip_address="203.0.113.7",
        user_agent="Mozilla/5.0",
        path_info="/",
        failures_since_start=1,
        attempt_time=timezone.now(),
    )
    return person, partnership


def factories_staff():
    staff, _created = get_user_model().objects.get_or_create(
        username="pracownik-logu", defaults={"is_staff": True, "email": "log@example.org"}
    )
    return staff


def occurrences(*texts):
    """(table, column) of every text, char and JSON column of every table that holds one of `texts`."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                kind = connection.introspection.get_field_type(column.type_code, column)
                if kind not in TEXT_TYPES:
                    continue
                name = connection.ops.quote_name(column.name)
                for text in texts:
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} "  # noqa: S608 (names from introspection)
                        f"WHERE LOWER(CAST({name} AS TEXT)) LIKE %s",
                        [f"%{text.lower()}%"],
                    )
                    if cursor.fetchone()[0]:
                        found.append((table, column.name, text))
    return found


# --- the proof ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("with_role", [True, False], ids=["kept as anonymous", "deleted"])
def test_after_erasure_the_email_and_phone_are_nowhere_in_the_database(staff_client, with_role):
    person, _partnership = make_person(with_role=with_role)
    assert len(occurrences(EMAIL, PHONE)) >= 10  # the scan sees them where they are
    assert Person.history.filter(id=person.pk).count() >= 4

    response = staff_client.post(admin_url("erase", person), follow=True)

    assert f"Usunięto dane osoby nr {person.pk}" in response.content.decode()
    assert occurrences(EMAIL, PHONE, "Zapomniana") == []


# --- what stays and what goes -------------------------------------------------------------------------------


def test_a_person_with_a_role_stays_on_the_partnership_page_as_an_anonymous_person(staff_client, staff_user):
    person, partnership = make_person()
    Partnership.objects.filter(pk=partnership.pk).update(contact_email="", contact_phone="", contact_name="")

    staff_client.post(admin_url("erase", person))

    person.refresh_from_db()
    assert person.full_name == "osoba anonimowa" and person.user is None and not person.public_contact
    assert (person.email, person.phone, person.bio, person.photo.name) == ("", "", "", "")
    assert person.roles.get().partnership == partnership
    assert "osoba anonimowa" in Client().get(partnership.get_absolute_url()).content.decode()
    assert not get_user_model().objects.filter(username="ewa.z").exists()
    assert not CoordinatorAccess.objects.filter(partnership=partnership).exists()
    assert not Invitation.objects.exists() and not person.consents.exists()
    erasure = Erasure.objects.get()
    assert (erasure.person_id, erasure.erased_by, erasure.kept_as_anonymous) == (person.pk, staff_user, True)


def test_the_anonymous_persons_history_keeps_only_the_erasure_with_nothing_to_restore(staff_client):
    person, _partnership = make_person()
    old_versions = list(Person.history.filter(id=person.pk).values_list("history_id", flat=True))

    staff_client.post(admin_url("erase", person))

    (version,) = Person.history.filter(id=person.pk)
    assert version.history_change_reason == services.ERASURE_REASON and version.email == ""
    history = staff_client.get(reverse("admin:members_person_history", args=[person.pk])).content.decode()
    assert "Zapomniana" not in history
    for old in old_versions:
        url = reverse("admin:members_person_simple_history", args=[person.pk, old])
        assert staff_client.get(url).status_code == 404
        assert staff_client.post(url, {"first_name": "Ewa"}).status_code == 404


def test_a_person_without_roles_is_deleted_with_all_their_history(staff_client):
    person, _partnership = make_person(with_role=False)
    WorkingGroupMembership.objects.filter(person=person).delete()

    response = staff_client.post(admin_url("erase", person), follow=True)

    assert response.redirect_chain[-1][0] == reverse("admin:members_person_changelist")
    assert not Person.objects.filter(pk=person.pk).exists()
    assert not Person.history.filter(id=person.pk).exists()  # no deleted version to restore
    assert staff_client.get(reverse("admin:members_person_history", args=[person.pk])).status_code == 404
    assert Erasure.objects.get().kept_as_anonymous is False


def test_contacts_of_other_people_and_organisations_stay(staff_client):
    person, _partnership = make_person()
    other = factories.organisation(name="Fundacja Inna", email="inna@example.org", phone="22 111 22 33")

    staff_client.post(admin_url("erase", person))

    other.refresh_from_db()
    assert (other.email, other.phone) == ("inna@example.org", "22 111 22 33")
    assert Organisation.objects.get(name="Fundacja Ewy").email == ""


def test_a_person_with_a_staff_account_is_refused_in_polish_and_nothing_changes(staff_client, staff_user):
    person = factories.person(first_name="Basia", last_name="Pracownicza", email="basia@example.org", user=staff_user)

    response = staff_client.post(admin_url("erase", person))

    assert response.status_code == 400
    assert (
        "To konto pracownika BORIS: najpierw odbierz mu uprawnienia pracownika w panelu." in response.content.decode()
    )
    person.refresh_from_db()
    assert person.email == "basia@example.org" and not Erasure.objects.exists()


def test_the_confirmation_page_asks_and_erases_nothing(staff_client):
    person, _partnership = make_person()

    page = staff_client.get(admin_url("erase", person)).content.decode()

    assert "osoba będzie widoczna jako „osoba anonimowa”" in page
    assert "Zostanie usunięte 1 konto użytkownika" in page and "Zostanie usunięte 1 zaproszenie" in page
    assert Person.objects.get(pk=person.pk).email == EMAIL and not Erasure.objects.exists()


# --- the export -----------------------------------------------------------------------------------------------


def test_the_export_shows_everything_the_site_holds_about_the_person(staff_client):
    person, partnership = make_person()

    page = staff_client.get(admin_url("data", person)).content.decode()
    data = json.loads(staff_client.get(admin_url("data_json", person)).content)

    for text in (EMAIL, PHONE, "Animatorka z Sadów i Bielan.", "ewa.z", "Partnerstwo Sady", "na piśmie"):
        assert text in page, text
    assert data["profile"][0]["e-mail"] == EMAIL
    assert data["accounts"][0]["nazwa użytkownika"] == "ewa.z"
    assert data["coordinator_rights"][0]["partnerstwo"] == "Partnerstwo Sady"
    assert data["roles"][0]["partnerstwo"] == "Partnerstwo Sady"
    assert data["consents"][0]["forma zgody"] == "na piśmie"
    assert data["invitations"][0]["e-mail"] == EMAIL
    assert data["contact_messages"][0]["wiadomość"] == f"Proszę o telefon: {PHONE}"
    assert data["contact_messages"][0]["partnerstwo"] == "Partnerstwo Sady"
    assert data["partnership_contacts"][0]["telefon kontaktowy"] == PHONE
    assert data["organisation_contacts"][0]["nazwa"] == "Fundacja Ewy"
    assert [row["krótko o sobie"] for row in data["history"]][-1] == "Animatorka z Sadów i Bielan."
    assert len(data["history"]) == 4


def test_the_json_file_is_a_download_named_after_the_person_id(staff_client):
    person = factories.person(email="jan@example.org")

    response = staff_client.get(admin_url("data_json", person))

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="dane-osoby-{person.pk}.json"'


def test_the_export_page_runs_the_same_queries_for_a_small_and_a_large_record(staff_client):
    person, partnership = make_person()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(admin_url("data", person)).status_code == 200
        return len(captured.captured_queries)

    small = queries()
    for n in range(6):
        other = factories.partnership(name=f"Partnerstwo {n}", contact_email=EMAIL)
        factories.team_role(person_obj=person, partnership_obj=other)
        CoordinatorAccess.objects.create(user=person.user, partnership=other)
        WorkingGroupMembership.objects.create(working_group=factories.working_group(), person=person)
        Invitation.objects.create(
            email=EMAIL, partnership=other, token_hash=f"{n}" * 64, expires_at=timezone.now() + timedelta(days=1)
        )
        services.withdraw_consent(person=person, by=None)
        services.record_consent(person=person, how=ContactConsent.How.ORAL, by=None)
    large = queries()

    assert large == small


# --- who may -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["data", "data_json", "erase"])
def test_anonymous_visitors_are_sent_to_the_admin_login_and_coordinators_refused(client, django_user_model, view):
    person = factories.person(email="jan@example.org")
    coordinator = django_user_model.objects.create_user(username="koordynator", password="haslo-testowe-123")
    CoordinatorAccess.objects.create(user=coordinator, partnership=factories.partnership())
    url = admin_url(view, person)

    anonymous = client.get(url)
    client.force_login(coordinator)
    as_coordinator = client.get(url)
    posted = client.post(admin_url("erase", person))

    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("admin:login"))
    assert as_coordinator.status_code == 403 and posted.status_code == 403
    assert Person.objects.get(pk=person.pk).email == "jan@example.org"


@pytest.mark.parametrize(("view", "allowed_by"), [("data", "view_person"), ("erase", "delete_person")])
def test_staff_need_the_right_permission(client, django_user_model, view, allowed_by):
    person = factories.person(email="jan@example.org")
    staff = django_user_model.objects.create_user(username="pracowniczka", password="haslo-testowe-123", is_staff=True)
    log_in(client, staff)

    assert client.get(admin_url(view, person)).status_code == 403
    assert client.post(admin_url("erase", person)).status_code == 403

    staff.user_permissions.add(Permission.objects.get(codename=allowed_by))
    assert client.get(admin_url(view, person)).status_code == 200
    assert Person.objects.get(pk=person.pk).email == "jan@example.org"


@pytest.mark.parametrize("view", ["data", "data_json", "erase"])
@pytest.mark.parametrize("object_id", ["999999", "abc"])
def test_an_unknown_person_is_a_404(staff_client, view, object_id):
    url = reverse(f"admin:members_person_{view}", args=[object_id])

    assert staff_client.get(url).status_code == 404
    assert staff_client.post(url).status_code == 404


def test_the_persons_page_links_to_the_export_the_erasure_and_recording_a_consent(staff_client):
    person = factories.person(email="jan@example.org")

    page = staff_client.get(reverse("admin:members_person_change", args=[person.pk])).content.decode()

    assert f'href="{admin_url("data", person)}"' in page
    assert f'href="{admin_url("erase", person)}"' in page
    assert f'href="{reverse("admin:members_contactconsent_add")}?person={person.pk}"' in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the word table of typo matching is PostgreSQL's only")
def test_the_erased_name_leaves_the_search_words_but_words_others_use_stay(staff_client):
    person, _partnership = make_person()
    factories.person(first_name="Ewa", last_name="Pamiętana")

    staff_client.post(admin_url("erase", person))

    words = set(SearchWord.objects.values_list("word", flat=True))
    assert "zapomniana" not in words
    assert {"ewa", "pamietana"} <= words
