"""`manage.py demo_data`: a realistic demo network, loaded any number of times without duplicates."""

import tomllib
from base64 import b32decode, b32encode
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.loader import DATA, WARSAW, load_demo
from events.models import Event, Minutes, Occurrence
from members.models import Membership, Organisation, PartnershipRole, Person
from partnerships.models import CoordinatorAccess, Partnership, Place, Position, PreviousName, WorkingGroup
from practices.models import Practice

pytestmark = pytest.mark.django_db

REAL_PARTNERSHIPS = {
    "Koalicja na rzecz Ochoty",
    "Partnerstwo „Moje Wierzbno”",
    "Moje Sielce",
    "Mój Służewiec",
    "Nasze Stegny",
    "Partnerstwo Starego Mokotowa",
    "Partnerstwo dla Powiśla",
    "Przepis na Muranów",
    "Partnerstwo „Młyn na Woli”",
    "Dla Rudawki i Zatrasia",
    "Marymont-Kaskada",
    "Żoliborz Oficerski",
    "Sady Żoliborskie",
    "Partnerstwo Ulic Zielonej Białołęki „Moja Białołęka”",
    "Warszawskie Forum Inicjatyw na rzecz Osób z Niepełnosprawnością Intelektualną",
}


def run_demo_data():
    out = StringIO()
    call_command("demo_data", "--force", stdout=out)
    return out.getvalue()


def row_counts(*, history=True):
    """Rows in every table of the project's apps and of user accounts (change history too, unless told)."""
    models = [*apps.get_app_config("partnerships").get_models(), *apps.get_app_config("members").get_models()]
    models += [*apps.get_app_config("events").get_models(), *apps.get_app_config("practices").get_models()]
    models.append(get_user_model())
    if not history:
        models = [model for model in models if not model.__name__.startswith("Historical")]
    return {model._meta.label: model.objects.count() for model in models}


@pytest.fixture
def demo_output():
    return run_demo_data()


def test_demo_has_every_real_partnership_with_its_facts(demo_output):
    assert set(Partnership.objects.values_list("name", flat=True)) >= REAL_PARTNERSHIPS
    assert Partnership.objects.count() >= 15
    forum = Partnership.objects.get(name__startswith="Warszawskie Forum Inicjatyw")
    assert (forum.kind, forum.citywide, forum.founded_year) == (Partnership.Kind.THEMATIC, True, 2012)
    bialoleka = Partnership.objects.get(slug="moja-bialoleka")
    assert (bialoleka.formal_status, bialoleka.founded_year) == (Partnership.FormalStatus.REGISTERED, 2008)
    assert Partnership.objects.get(name="Koalicja na rzecz Ochoty").founded_year == 2001
    assert Partnership.objects.get(name="Przepis na Muranów").formal_status == Partnership.FormalStatus.INFORMAL
    declared = Partnership.objects.filter(formal_status=Partnership.FormalStatus.DECLARATION)
    assert declared.exists() and not declared.filter(declaration_signed_on__isnull=True).exists()
    assert Partnership.objects.filter(last_verified_on__isnull=False).exists()
    assert Partnership.objects.filter(last_verified_on__isnull=True).exists()
    # Conditions are filled honestly: some partnerships miss some of them, each with a note.
    assert Partnership.objects.filter(condition_local_government=False).exists()
    assert not Partnership.objects.filter(condition_animator_note="").exists()
    # sort_name is computed by save(): Ż sorts after W in Polish.
    assert list(Partnership.objects.values_list("name", flat=True))[-1] == "Żoliborz Oficerski"


def test_demo_organisations_cover_every_sector_with_unique_krs_numbers(demo_output):
    assert Organisation.objects.count() >= 120
    sectors = set(Organisation.objects.values_list("sector", flat=True))
    assert sectors == set(Organisation.Sector.values)
    krs_numbers = list(Organisation.objects.exclude(krs="").values_list("krs", flat=True))
    assert krs_numbers and len(krs_numbers) == len(set(krs_numbers))
    assert all(len(krs) == 10 and krs.isdigit() for krs in krs_numbers)
    assert Organisation.objects.filter(is_published=False).exists()
    assert Organisation.objects.values("district").distinct().count() >= 15


def test_every_partnership_has_members_of_several_sectors_and_a_team(demo_output):
    today = timezone.localdate()
    for partnership in Partnership.objects.all():
        current = partnership.memberships.filter(Q(until__isnull=True) | Q(until__gte=today))
        assert current.count() >= 3, partnership
        assert current.values("organisation__sector").distinct().count() >= 2, partnership
        assert current.filter(role=Membership.Role.COORDINATOR).count() == 1, partnership
        assert partnership.team_roles.exists(), partnership
        assert partnership.places.exists(), partnership
    assert Membership.objects.filter(until__lt=today).exists()
    assert Membership.objects.filter(signed_declaration=True).exists()
    assert PartnershipRole.objects.filter(until__lt=today).exists()
    assert set(PartnershipRole.objects.values_list("role", flat=True)) == set(PartnershipRole.Role.values)


def test_demo_events_span_past_and_future_with_every_kind(demo_output):
    now = timezone.now()
    events = Event.objects.annotate(organiser_count=Count("organisers"))
    assert events.count() >= 60
    assert events.filter(end__lt=now).count() >= 20
    assert events.filter(start__gt=now).count() >= 20
    assert not events.filter(start__lt=now - timedelta(days=95)).exists()
    assert not events.filter(start__gt=now + timedelta(days=95)).exists()
    assert set(events.values_list("kind", flat=True)) == set(Event.Kind.values)
    assert events.filter(organiser_count__gte=2).exists()
    assert events.filter(organiser_count__gt=3).count() == 0
    network_wide = events.filter(organiser_count=0)
    assert {Event.Kind.TRAINING, Event.Kind.SEMINAR, Event.Kind.GENERAL_MEETING, Event.Kind.SUPERVISION} <= set(
        network_wide.values_list("kind", flat=True)
    )
    cancelled = events.filter(status=Event.Status.CANCELLED)
    assert cancelled.exists() and not cancelled.filter(cancellation_reason="").exists()
    assert events.filter(all_day=True).exists()
    assert events.filter(place__isnull=True).exclude(online_url="").exists()


def test_demo_network_has_recurring_series_with_changed_dates(demo_output):
    series = Event.objects.exclude(recurrence="")
    assert series.count() >= 3
    occurrences = Occurrence.objects.filter(event__in=series)
    assert occurrences.filter(status=Occurrence.Status.CANCELLED).exists()
    assert occurrences.filter(moved=True).exists()
    assert all(event.occurrences.count() > 1 for event in series)


def test_demo_events_start_at_warsaw_wall_clock_times(demo_output):
    supper = Event.objects.get(title="Muranowska kolacja sąsiedzka")
    local_start = timezone.localtime(supper.start, WARSAW)
    assert (local_start.hour, local_start.minute) == (18, 0)
    assert supper.slug.endswith(local_start.strftime("%Y-%m-%d"))
    festival = Event.objects.get(title="Festiwal sąsiedzki Powiśla")
    assert festival.all_day and timezone.localtime(festival.start, WARSAW).hour == 0


def test_demo_places_lie_inside_warsaw(demo_output):
    for place in Place.objects.all():
        assert Decimal("52.10") <= place.latitude <= Decimal("52.36"), place
        assert Decimal("20.86") <= place.longitude <= Decimal("21.27"), place
    assert Place.objects.filter(street_address="pl. Konstytucji 4").exists()
    assert Place.objects.get(street_address="ul. Woronicza 44a").district.slug == "mokotow"
    assert Place.objects.filter(is_neighbourhood_house=True).count() >= 10


def test_network_has_working_groups_and_positions(demo_output):
    assert 3 <= WorkingGroup.objects.count() <= 4
    assert not WorkingGroup.objects.annotate(n=Count("people")).filter(n=0).exists()
    assert not WorkingGroup.objects.annotate(n=Count("partnerships")).filter(n=0).exists()
    assert 3 <= Position.objects.count() <= 5


def test_network_has_general_meetings_with_minutes_and_working_group_meetings(demo_output, client):
    now = timezone.now()
    general = Event.objects.filter(kind=Event.Kind.GENERAL_MEETING)
    assert general.filter(start__gt=now).exists()
    minutes = Minutes.objects.public().get()
    assert minutes.event.end < now and minutes.working_groups.exists() and minutes.published_at is not None
    attachment = minutes.attachments.get()
    with attachment.file.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"
    assert attachment.size == attachment.file.size
    assert "Protokół" in client.get(minutes.event.get_absolute_url()).content.decode()
    meetings = Event.objects.filter(kind=Event.Kind.WORKING_GROUP)
    assert not meetings.filter(working_group__isnull=True).exists()
    assert meetings.filter(start__gt=now, working_group__people__isnull=False).exists()


def test_demo_has_published_practices_and_one_waiting_for_publication(demo_output, client):
    published = Practice.objects.public()
    assert published.count() >= 4
    assert list(Practice.objects.waiting().values_list("title", flat=True)) == [
        "Gazetka sąsiedzka Marymontu na klatkach schodowych"
    ]
    topics = set(published.values_list("topics__slug", flat=True))
    assert {"dom-sasiedzki", "diagnoza-potrzeb", "seniorzy"} <= topics
    assert published.filter(partner_partnerships__isnull=False).exists()  # the study visit
    for practice in Practice.objects.all():
        assert practice.organisations.exists() and practice.contact_person is not None, practice.title
    page = client.get(reverse("practices:list")).content.decode()
    assert "Dom sąsiedzki na Rudawce" in page and "Gazetka sąsiedzka" not in page


def test_running_demo_data_twice_changes_no_counts(demo_output):
    first = row_counts()
    run_demo_data()
    assert row_counts() == first


def test_a_later_run_moves_the_events_instead_of_copying_them(demo_output):
    before = row_counts(history=False)
    supper = Event.objects.get(title="Muranowska kolacja sąsiedzka")
    load_demo(now=timezone.now() + timedelta(days=10))
    assert row_counts(history=False) == before
    moved = Event.objects.get(title="Muranowska kolacja sąsiedzka")
    assert moved.pk == supper.pk
    assert moved.start - supper.start == timedelta(days=10)
    assert moved.slug != supper.slug


def test_old_address_of_renamed_partnership_redirects(demo_output, client):
    renamed = PreviousName.objects.get(slug="nasz-zoliborz-iv")
    assert (renamed.name, renamed.partnership.name) == ("Nasz Żoliborz IV", "Dla Rudawki i Zatrasia")
    response = client.get(reverse("partnerships:detail", kwargs={"slug": "nasz-zoliborz-iv"}))
    assert response.status_code == 301
    assert response["Location"] == reverse("partnerships:detail", kwargs={"slug": "dla-rudawki-i-zatrasia"})


def test_output_names_both_demo_logins(demo_output):
    assert "boris" in demo_output and "demo-boris-2026" in demo_output
    assert "koordynator" in demo_output and "demo-koordynator-2026" in demo_output
    assert "partnerstwa: 15" in demo_output


def test_coordinator_account_logs_in_and_edits_only_its_partnership(demo_output, client):
    assert client.login(username="koordynator", password="demo-koordynator-2026")
    user = get_user_model().objects.get(username="koordynator")
    assert not user.is_staff and not user.is_superuser
    assert list(Partnership.objects.editable_by(user)) == [Partnership.objects.get(slug="dla-rudawki-i-zatrasia")]
    assert CoordinatorAccess.objects.filter(user=user).count() == 1
    assert user.person.roles.filter(partnership__slug="dla-rudawki-i-zatrasia").exists()
    staff = get_user_model().objects.get(username="boris")
    assert staff.is_staff and staff.is_superuser and staff.check_password("demo-boris-2026")


def test_demo_people_and_contacts_are_marked_as_fictional(demo_output):
    people = Person.objects.all()
    assert people.count() >= 30
    for person in people:
        assert person.email.endswith("@example.org"), person
        assert person.bio.endswith("(Osoba fikcyjna – dane demonstracyjne.)"), person
        assert person.sort_name, person
    assert people.filter(public_contact=True).exists() and people.filter(public_contact=False).exists()
    emails = [*Organisation.objects.exclude(email="").values_list("email", flat=True)]
    emails += Partnership.objects.values_list("contact_email", flat=True)
    assert emails and all(email.endswith("@example.org") for email in emails)


def test_demo_data_refuses_to_run_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("demo_data", stdout=StringIO())
    assert not Partnership.objects.exists()
    settings.DEBUG = True
    call_command("demo_data", stdout=StringIO())
    assert Partnership.objects.count() >= 15


def test_demo_staff_confirm_their_login_with_the_app_whose_secret_the_output_prints(demo_output, client):
    secret = tomllib.loads((DATA / "accounts.toml").read_text(encoding="utf-8"))["staff"]["totp_secret"]
    app = TOTPDevice.objects.get(user__username="boris")
    assert app.confirmed and b32encode(app.bin_key).decode() == secret
    assert secret in demo_output and app.config_url in demo_output
    assert "aplikacji uwierzytelniającej" in demo_output
    run_demo_data()
    assert TOTPDevice.objects.filter(user__username="boris").count() == 1

    client.post(reverse("account:login"), {"username": "boris", "password": "demo-boris-2026"})
    code = f"{totp(b32decode(secret)):06d}"
    response = client.post(reverse("account:second_factor"), {"code": code, "next": reverse("admin:index")})
    assert response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200
