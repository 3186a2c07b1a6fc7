"""Staff import and export the network's tables in the admin, as CSV or XLSX (common/imports.py, <app>/resources.py).

The tests go through the admin's pages as staff do: export, upload a file, read the preview or the errors, confirm.
"""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.imports import IMPORT_REASON
from events.models import Event
from members.models import ContactConsent, Membership, Organisation, PartnershipRole, Person
from partnerships.models import Partnership
from tests import factories
from tests.utils import log_in

pytestmark = pytest.mark.django_db

CSV, XLSX = "0", "1"  # their places in IMPORT_EXPORT_FORMATS
TABLES = {
    "partnerships_partnership": Partnership,
    "members_organisation": Organisation,
    "members_membership": Membership,
    "members_person": Person,
    "members_partnershiprole": PartnershipRole,
    "events_event": Event,
}


def export(client, table, fmt=CSV):
    response = client.post(reverse(f"admin:{table}_export"), {"format": fmt, "resource": "0"})
    assert response.status_code == 200, response.content[:500]
    return response


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def as_csv(rows):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def preview(client, table, content, *, fmt=CSV, name="plik.csv"):
    upload = SimpleUploadedFile(name, content)
    response = client.post(reverse(f"admin:{table}_import"), {"import_file": upload, "format": fmt, "resource": "0"})
    assert response.status_code == 200
    return response


def confirm(client, table, previewed):
    assert "confirm_form" in previewed.context, previewed.content.decode()
    return client.post(reverse(f"admin:{table}_process_import"), previewed.context["confirm_form"].initial)


def network():
    """The factories' network with what the demo has besides: events at whole minutes, a KRS, a person's bio."""
    factories.network(3)
    for event in Event.objects.all():
        event.start, event.end = (moment.replace(second=0, microsecond=0) for moment in (event.start, event.end))
        event.save()
    Organisation.objects.filter(pk=Organisation.objects.first().pk).update(krs="0000123456", phone="22 123 45 67")
    Person.objects.filter(pk=Person.objects.first().pk).update(bio="Animatorka od 2015 roku.\nLubi ludzi.")


def snapshot(model):
    return {row.pk: model_to_dict(row) for row in model.objects.all()}


def history_count(model):
    return model.history.count()


def staff(**fields):
    return get_user_model().objects.create_user(username="pracowniczka", password="haslo-testowe-123", **fields)


# --- who may ---------------------------------------------------------------------------------------


PAGES = [f"admin:{table}_{page}" for table in TABLES for page in ("import", "export")]


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_the_admin_login(client, page):
    response = client.get(reverse(page))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("page", PAGES)
def test_coordinators_who_are_not_staff_are_refused(client, page):
    partnership = factories.partnership()
    log_in(client, staff())
    factories.coordinator_access(
        user=get_user_model().objects.get(username="pracowniczka"), partnership_obj=partnership
    )

    response = client.get(reverse(page))

    assert response.status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_staff_without_the_tables_rights_are_refused(client, page):
    log_in(client, staff(is_staff=True))

    assert client.get(reverse(page)).status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_staff_see_the_pages_in_polish(staff_client, page):
    response = staff_client.get(reverse(page))

    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<h1") == 1
    assert ("Import z pliku:" if page.endswith("import") else "Eksport do pliku:") in content
    for english in ("Submit", "Home", "This importer", "Resource", "None"):
        assert english not in content


def test_import_needs_the_right_to_change_and_export_to_view(client):
    user = staff(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_membership"))
    log_in(client, user)

    assert client.get(reverse("admin:members_membership_export")).status_code == 200
    assert client.get(reverse("admin:members_membership_import")).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="change_membership"))
    assert client.get(reverse("admin:members_membership_import")).status_code == 200


def test_the_lists_offer_import_and_export(staff_client):
    content = staff_client.get(reverse("admin:members_membership_changelist")).content.decode()

    assert "Importuj z pliku" in content and "Eksportuj do pliku" in content


# --- export ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("table", TABLES)
def test_export_runs_the_same_queries_at_two_sizes(staff_client, table):
    factories.network(2)
    url = reverse(f"admin:{table}_export")

    def measured():
        with CaptureQueriesContext(connection) as captured:
            response = staff_client.post(url, {"format": CSV, "resource": "0"})
        assert response.status_code == 200
        return len(csv_rows(response)), len(captured.captured_queries)

    small_rows, small = measured()
    factories.network(8)
    large_rows, large = measured()

    assert large_rows > small_rows
    assert large == small
    assert small <= 12


def test_memberships_are_exported_with_polish_columns_and_values(staff_client):
    partnership = factories.partnership(name="Nasze Stegny", slug="nasze-stegny")
    organisation = factories.organisation(name="Fundacja Stegny", slug="fundacja-stegny", krs="0000123456")
    factories.membership(
        organisation_obj=organisation, partnership_obj=partnership, role=Membership.Role.COORDINATOR, since="2020-03-01"
    )

    response = export(staff_client, "members_membership")

    assert response["Content-Disposition"].startswith('attachment; filename="wspl-czlonkostwa-')
    assert csv_rows(response) == [
        {
            "partnerstwo": "nasze-stegny",
            "organizacja": "fundacja-stegny",
            "nazwa organizacji": "Fundacja Stegny",
            "rola": "organizacja koordynująca",
            "od": "2020-03-01",
            "do": "",
            "podpisała deklarację": "nie",
            "uwagi": "",
        }
    ]


@pytest.mark.parametrize("fmt", [CSV, XLSX])
def test_people_without_consent_are_exported_without_their_contact(staff_client, fmt):
    factories.person(
        first_name="Jan", last_name="Zgoda", email="jan@example.org", phone="22 111 22 33", public_contact=True
    )
    factories.person(first_name="Ewa", last_name="Bezzgody", email="ewa@example.org", phone="22 999 88 77")

    response = export(staff_client, "members_person", fmt)

    content = response.content if fmt == XLSX else response.content.decode("utf-8-sig")
    if fmt == XLSX:
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        content = "\n".join(",".join(str(cell or "") for cell in row) for row in sheet.iter_rows(values_only=True))
    assert "jan@example.org" in content and "22 111 22 33" in content
    assert "ewa@example.org" not in content and "22 999 88 77" not in content


def test_a_file_cannot_clear_the_contact_of_a_person_without_consent(staff_client):
    person = factories.person(first_name="Ewa", last_name="Bezzgody", email="ewa@example.org", phone="22 999 88 77")
    rows = csv_rows(export(staff_client, "members_person"))
    rows[0]["krótko o sobie"] = "Nowe bio."

    confirm(staff_client, "members_person", preview(staff_client, "members_person", as_csv(rows)))

    person.refresh_from_db()
    assert (person.bio, person.email, person.phone) == ("Nowe bio.", "ewa@example.org", "22 999 88 77")


def test_a_file_cannot_give_consent_to_publish_a_contact(staff_client):
    person = factories.person(first_name="Ewa", last_name="Bezzgody", email="ewa@example.org", phone="22 999 88 77")
    rows = csv_rows(export(staff_client, "members_person"))
    column = str(Person._meta.get_field("public_contact").verbose_name)
    assert rows[0][column] == "nie"
    rows[0][column] = "tak"

    confirm(staff_client, "members_person", preview(staff_client, "members_person", as_csv(rows)))

    person.refresh_from_db()
    assert not person.public_contact
    assert not ContactConsent.objects.filter(person=person).exists()


# --- round trip ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", [CSV, XLSX])
@pytest.mark.parametrize("table", TABLES)
def test_a_file_exported_and_imported_again_changes_nothing(staff_client, table, fmt):
    network()
    model = TABLES[table]
    before, versions = snapshot(model), history_count(model)
    assert before

    exported = export(staff_client, table, fmt)
    previewed = preview(staff_client, table, exported.content, fmt=fmt, name="eksport.xlsx" if fmt == XLSX else "e.csv")
    result = previewed.context["result"]
    assert not result.has_errors() and not result.has_validation_errors(), previewed.content.decode()
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 0, len(before))
    response = confirm(staff_client, table, previewed)

    assert response.status_code == 302
    assert snapshot(model) == before
    assert history_count(model) == versions


# --- what an import does ---------------------------------------------------------------------------


def members_file(*rows):
    header = "partnerstwo,organizacja,rola,od,do\n"
    return (header + "".join(f"{row}\n" for row in rows)).encode()


def test_an_import_adds_members_with_history_naming_the_staff_member(staff_client, staff_user):
    partnership = factories.partnership(slug="nasze-stegny")
    organisation = factories.organisation(slug="fundacja-stegny", krs="0000123456")
    factories.organisation(name="Biblioteka na Stegnach", slug="biblioteka-stegny")

    previewed = preview(
        staff_client,
        "members_membership",
        members_file(
            "nasze-stegny,0000123456,członek,2024-01-15,", "nasze-stegny,biblioteka na stegnach,partner wspierający,,"
        ),
    )
    assert Membership.objects.count() == 0  # the preview wrote nothing
    content = previewed.content.decode()
    assert "Nowe wiersze: 2, zmienione: 0, bez zmian: 0." in content
    response = confirm(staff_client, "members_membership", previewed)

    assert response.status_code == 302
    memberships = Membership.objects.order_by("organisation__slug")
    assert [(m.organisation.slug, m.role, str(m.since)) for m in memberships] == [
        ("biblioteka-stegny", "supporter", "None"),
        ("fundacja-stegny", "member", "2024-01-15"),
    ]
    assert organisation.memberships.get().partnership == partnership
    record = Membership.history.get(organisation=organisation)
    assert (record.history_user, record.history_change_reason, record.history_type) == (staff_user, IMPORT_REASON, "+")
    message = staff_client.get(response["Location"]).content.decode()
    assert "Zaimportowano plik. Nowe: 2, zmienione: 0, bez zmian: 0." in message


def test_a_file_with_bad_rows_shows_polish_errors_and_imports_nothing(staff_client):
    factories.partnership(slug="nasze-stegny")
    factories.organisation(slug="fundacja-stegny")

    response = preview(
        staff_client,
        "members_membership",
        members_file(
            "nasze-stegny,fundacja-stegny,członek,2024-01-15,",
            "nie-ma-takiego,fundacja-stegny,członek,,",
            "nasze-stegny,nieznana,członek,,",
            "nasze-stegny,fundacja-stegny,członek,31.02.2024,",
            "nasze-stegny,fundacja-stegny,prezes,2020-01-01,",
        ),
    )

    content = response.content.decode()
    assert "confirm_form" not in response.context
    assert "Nic nie zostało zapisane" in content
    assert "partnerstwo: Nieznane partnerstwo „nie-ma-takiego”" in content
    assert "organizacja: Nieznana organizacja „nieznana”" in content
    assert "od: Nie rozpoznano daty „31.02.2024”: wpisz ją jako RRRR-MM-DD" in content
    assert (
        "rola: Nieznana wartość „prezes”. Wpisz jedną z: organizacja koordynująca, członek, partner wspierający."
        in content
    )
    rows = [row.number + 1 for row in response.context["result"].invalid_rows]
    assert rows == [3, 4, 5, 6]  # the file's lines: the column names are line 1
    assert Membership.objects.count() == 0


def test_organisations_with_a_duplicate_krs_or_an_unknown_district_are_refused(staff_client):
    factories.organisation(name="Stowarzyszenie Obecne", slug="obecne", krs="0000999999")
    file = (
        "slug,nazwa,sektor,numer KRS,dzielnica\n"
        ",Fundacja Pierwsza,organizacja pozarządowa,0000111111,Żoliborz\n"
        ",Fundacja Druga,organizacja pozarządowa,0000111111,zoliborz\n"
        ",Fundacja Trzecia,organizacja pozarządowa,0000999999,Mokotów\n"
        ",Fundacja Czwarta,organizacja pozarządowa,,Zoliborzz\n"
    ).encode()

    content = preview(staff_client, "members_organisation", file).content.decode()

    assert "numer KRS: Numer KRS 0000111111 jest w pliku więcej niż raz (wiersze 2, 3)." in content
    assert "numer KRS: Numer KRS 0000999999 ma już w katalogu organizacja „Stowarzyszenie Obecne”." in content
    assert "dzielnica: Nieznana dzielnica: Zoliborzz." in content
    assert Organisation.objects.count() == 1


def test_new_organisations_get_slugs_and_districts_by_name(staff_client):
    file = "slug,nazwa,sektor,dzielnica\n,Fundacja Żoliborska,NGO,żoliborz\n".encode()

    confirm(staff_client, "members_organisation", preview(staff_client, "members_organisation", file))

    organisation = Organisation.objects.get()
    assert (organisation.slug, organisation.sector, organisation.district.slug) == (
        "fundacja-zoliborska",
        "ngo",
        "zoliborz",
    )


def test_a_file_without_the_columns_rows_are_found_by_is_refused(staff_client):
    content = preview(staff_client, "members_membership", b"rola,od\nczlonek,\n").content.decode()

    assert "W pliku brak kolumn: partnerstwo, organizacja." in content
    assert Membership.objects.count() == 0


def test_a_confirmed_import_is_one_transaction(staff_client):
    factories.partnership(slug="nasze-stegny")
    factories.organisation(slug="fundacja-stegny")
    file = b"slug,nazwa,sektor,numer KRS\n,Fundacja Nowa,NGO,0000111111\n,Fundacja Inna,NGO,0000222222\n"
    previewed = preview(staff_client, "members_organisation", file)
    # Between the preview and the confirmation someone adds an organisation with the second row's KRS.
    factories.organisation(name="Ktoś był szybszy", krs="0000222222")

    response = confirm(staff_client, "members_organisation", previewed)

    assert response["Location"] == reverse("admin:members_organisation_import")
    assert not Organisation.objects.filter(name="Fundacja Nowa").exists()
    assert "Nie zaimportowano nic" in staff_client.get(response["Location"]).content.decode()


def test_a_confirmation_sent_twice_imports_once(staff_client):
    previewed = preview(staff_client, "members_organisation", b"slug,nazwa,sektor\n,Fundacja Nowa,NGO\n")
    confirm(staff_client, "members_organisation", previewed)

    response = confirm(staff_client, "members_organisation", previewed)

    assert response["Location"] == reverse("admin:members_organisation_import")
    assert "Tego pliku już nie ma" in staff_client.get(response["Location"]).content.decode()
    assert Organisation.objects.filter(name="Fundacja Nowa").count() == 1


def test_events_are_imported_with_warsaw_times_and_organisers(staff_client):
    factories.partnership(slug="nasze-stegny")
    factories.place(name="Dom Sąsiedzki Stegny", slug="dom-stegny")
    file = (
        "slug,tytuł,rodzaj,początek,koniec,miejsce,organizatorzy\n"
        ",Piknik sąsiedzki,wydarzenie dla mieszkańców,2027-06-12 15:00,2027-06-12 19:00,dom-stegny,nasze-stegny\n"
    ).encode()

    confirm(staff_client, "events_event", preview(staff_client, "events_event", file))

    event = Event.objects.get()
    assert event.slug == "piknik-sasiedzki"
    assert event.start.isoformat() == "2027-06-12T13:00:00+00:00"
    assert [p.slug for p in event.organisers.all()] == ["nasze-stegny"]
    assert event.occurrences.count() == 1


def test_an_event_with_an_unknown_organiser_is_refused(staff_client):
    file = "slug,tytuł,początek,koniec,organizatorzy\n,Piknik,2027-06-12 15:00,2027-06-12 19:00,nie-ma\n".encode()

    content = preview(staff_client, "events_event", file).content.decode()

    assert "organizatorzy: Nieznane partnerstwo: nie-ma" in content
    assert Event.objects.count() == 0
