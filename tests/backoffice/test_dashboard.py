"""The staff dashboard on the admin's start page: its figures, what needs attention, the coordinators' changes.

The data tests call backoffice.dashboard directly; the page tests read what staff see in the HTML and follow
its links to the admin lists, which must hold exactly the rows the dashboard counted.
"""

import itertools
from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from backoffice import dashboard
from backoffice.dashboard import EventCheck, InvitationCheck, OrganisationCheck, PartnershipCheck
from common.history import authored
from events.models import CoOrganiserInvitation, Event
from members.models import Organisation
from members.services import propose_organisation_change
from partnerships.models import Invitation, Partnership
from practices.models import Practice
from practices.services import save_practice, submit_practice
from tests import factories
from tests.utils import count_queries, log_in

pytestmark = pytest.mark.django_db

ADMIN = "/admin/"
ALL_CONDITIONS = {f"condition_{key}": True for key, _label in Partnership.CONDITIONS}
# What a partnership needs to be in no list of the dashboard but the one a test is about.
COMPLETE = {"logo": "partnerships/logos/logo.png", "description": "Opis.", "contact_email": "p@example.org"}

_counter = itertools.count(1)


def user(**fields):
    n = next(_counter)
    return get_user_model().objects.create_user(username=f"konto{n}", email=f"konto{n}@example.org", **fields)


def coordinator_of(*partnerships, **fields):
    account = user(**fields)
    for partnership in partnerships:
        factories.coordinator_access(user=account, partnership_obj=partnership)
    return account


def looked_after(**fields):
    """A partnership that needs no attention: verified today, complete, all six conditions, a coordinator."""
    values = {"last_verified_on": timezone.localdate(), **COMPLETE, **ALL_CONDITIONS, **fields}
    partnership = factories.partnership(**values)
    coordinator_of(partnership)
    return partnership


def invitation(partnership, *, expires_in, email="zaproszona@example.org", sent_days_ago=7, **fields):
    """An invitation sent `sent_days_ago` days ago that expires (or expired, when negative) `expires_in` from now."""
    now = timezone.now()
    obj = Invitation.objects.create(
        email=email, partnership=partnership, token_hash=f"{next(_counter):064d}", expires_at=now + timedelta(days=1)
    )
    Invitation.objects.filter(pk=obj.pk).update(
        created_at=now - timedelta(days=sent_days_ago), expires_at=now + expires_in, **fields
    )
    return obj


def partnership_item(check, now=None):
    items = {item.key: item for item in dashboard.partnerships(now or timezone.now())["attention"]}
    return items[check.value]


def names(item):
    return [row.label for row in item.rows]


# --- figures --------------------------------------------------------------------------------------


def test_partnerships_are_counted_by_status_published_or_not():
    factories.partnership(status=Partnership.Status.ACTIVE)
    factories.partnership(status=Partnership.Status.ACTIVE, is_published=False)
    factories.partnership(status=Partnership.Status.DORMANT)

    figures = {figure.label: figure.count for figure in dashboard.partnerships(timezone.now())["by_status"]}

    assert figures == {"w tworzeniu": 0, "działające": 2, "uśpione": 1}


def test_members_are_current_members_counted_once_by_sector():
    first, second = factories.partnership(), factories.partnership()
    in_two = factories.organisation(sector=Organisation.Sector.NGO)
    factories.membership(organisation_obj=in_two, partnership_obj=first)
    factories.membership(organisation_obj=in_two, partnership_obj=second)
    ending_later = factories.organisation(sector=Organisation.Sector.PUBLIC)
    factories.membership(
        organisation_obj=ending_later, partnership_obj=first, until=timezone.localdate() + timedelta(days=30)
    )
    former = factories.organisation(sector=Organisation.Sector.BUSINESS)
    factories.membership(
        organisation_obj=former,
        partnership_obj=first,
        since=timezone.localdate() - timedelta(days=400),
        until=timezone.localdate() - timedelta(days=1),
    )
    factories.organisation(sector=Organisation.Sector.INFORMAL)  # in no partnership

    figures = {figure.label: figure.count for figure in dashboard.members_by_sector()}

    assert figures["organizacja pozarządowa"] == 1
    assert figures["instytucja publiczna"] == 1
    assert figures["firma"] == 0
    assert figures["grupa nieformalna"] == 0


def test_upcoming_events_leave_out_past_and_cancelled_ones():
    now = timezone.now()
    factories.event(start=now + timedelta(days=2))
    factories.event(start=now + timedelta(days=3), is_published=False)
    factories.event(start=now - timedelta(hours=1), hours=3)  # still going on
    factories.event(start=now - timedelta(days=2))
    factories.event(start=now + timedelta(days=4), status=Event.Status.CANCELLED, cancellation_reason="Deszcz.")

    assert dashboard.upcoming_event_count(now) == 3


# --- partnerships that need attention --------------------------------------------------------------


def test_verification_lists_by_age_of_the_last_verification():
    today = timezone.localdate()
    looked_after(name="Zweryfikowane niedawno", last_verified_on=today - relativedelta(months=1))
    looked_after(name="Siedem miesięcy", last_verified_on=today - relativedelta(months=7))
    looked_after(name="Równo rok", last_verified_on=today - relativedelta(months=12))
    looked_after(name="Rok i dzień", last_verified_on=today - relativedelta(months=12, days=1))
    looked_after(name="Nigdy", last_verified_on=None)

    year = partnership_item(PartnershipCheck.NOT_VERIFIED_YEAR)
    half_year = partnership_item(PartnershipCheck.NOT_VERIFIED_HALF_YEAR)

    assert names(year) == ["Nigdy", "Rok i dzień"]
    assert names(half_year) == ["Równo rok", "Siedem miesięcy"]
    assert [row.date for row in year.rows] == [None, today - relativedelta(months=12, days=1)]


def test_partnerships_without_an_active_coordinator_who_is_not_staff():
    looked_after(name="Z koordynatorką")
    alone = looked_after(name="Bez nikogo")
    alone.coordinator_accesses.all().delete()
    only_staff = looked_after(name="Tylko pracownik BORIS")
    only_staff.coordinator_accesses.all().delete()
    coordinator_of(only_staff, is_staff=True)
    inactive = looked_after(name="Konto wyłączone")
    inactive.coordinator_accesses.all().delete()
    coordinator_of(inactive, is_active=False)

    item = partnership_item(PartnershipCheck.NO_COORDINATOR)

    assert names(item) == ["Bez nikogo", "Konto wyłączone", "Tylko pracownik BORIS"]


def test_expired_invitations_that_nobody_used_or_sent_again():
    expired = looked_after(name="Wygasło")
    invitation(expired, expires_in=timedelta(days=-2), email="ola@example.org")
    accepted = looked_after(name="Przyjęte")
    invitation(accepted, expires_in=timedelta(days=-2), accepted_at=timezone.now() - timedelta(days=5))
    revoked = looked_after(name="Wycofane")
    invitation(revoked, expires_in=timedelta(days=-2), revoked_at=timezone.now() - timedelta(days=3))
    pending = looked_after(name="Czeka")
    invitation(pending, expires_in=timedelta(days=5))
    sent_again = looked_after(name="Wysłane ponownie")
    invitation(sent_again, expires_in=timedelta(days=-2), sent_days_ago=9)
    invitation(sent_again, expires_in=timedelta(days=6), sent_days_ago=1)

    item = partnership_item(PartnershipCheck.EXPIRED_INVITATION)

    assert names(item) == ["Wygasło"]
    assert item.rows[0].email == "ola@example.org"


def test_incomplete_profiles_say_what_is_missing():
    looked_after(name="Kompletne")
    looked_after(name="Bez logo", logo="")
    looked_after(name="Bez opisu i kontaktu", description="", contact_email="")
    looked_after(name="Tylko telefon", contact_email="", contact_phone="22 123 45 67")

    item = partnership_item(PartnershipCheck.INCOMPLETE)

    assert {row.label: [str(part) for part in row.missing] for row in item.rows} == {
        "Bez logo": ["logo"],
        "Bez opisu i kontaktu": ["opis", "kontakt (e-mail lub telefon)"],
    }


def test_partnerships_that_do_not_meet_all_six_conditions():
    looked_after(name="Wszystkie warunki")
    looked_after(name="Cztery warunki", condition_space=False, condition_local_government=False)

    item = partnership_item(PartnershipCheck.CONDITIONS)

    assert names(item) == ["Cztery warunki"]
    assert item.rows[0].met == 4
    assert [str(label) for label in item.rows[0].missing] == ["Wsparcie samorządu", "Miejsce do działania"]


def test_lists_are_capped_but_count_every_row():
    for n in range(dashboard.LIMIT + 2):
        looked_after(name=f"Partnerstwo {n:02d}", last_verified_on=None)

    item = partnership_item(PartnershipCheck.NOT_VERIFIED_YEAR)

    assert item.count == dashboard.LIMIT + 2
    assert names(item) == [f"Partnerstwo {n:02d}" for n in range(dashboard.LIMIT)]


# --- events that need attention --------------------------------------------------------------------


def test_upcoming_events_without_a_place_or_an_organiser():
    now = timezone.now()
    organiser = looked_after()
    place = factories.place()
    factories.event(title="Bez miejsca", organisers=[organiser])
    factories.event(title="Online", organisers=[organiser], online_url="https://meet.example.org/a")
    factories.event(title="Całej sieci", place=place)
    factories.event(title="W porządku", organisers=[organiser], place=place)
    factories.event(title="Minione bez miejsca", start=now - timedelta(days=3))
    factories.event(
        title="Odwołane bez miejsca",
        status=Event.Status.CANCELLED,
        cancellation_reason="Deszcz.",
        organisers=[organiser],
    )

    no_place = dashboard.event_attention(EventCheck.NO_PLACE, now)
    no_organiser = dashboard.event_attention(EventCheck.NO_ORGANISER, now)

    assert names(no_place) == ["Bez miejsca"] and no_place.count == 1
    assert names(no_organiser) == ["Całej sieci"] and no_organiser.count == 1


def co_invitation(partnership, *, days_ago, title=None, **fields):
    """An invitation for `partnership` to co-organise another partnership's event, sent `days_ago` days ago."""
    inviter = factories.partnership()
    event = factories.event(title=title, organisers=[inviter], place=factories.place())
    sent = timezone.now() - timedelta(days=days_ago)
    return CoOrganiserInvitation.objects.create(
        event=event, partnership=partnership, inviter=inviter, invited_at=sent, **fields
    )


def test_invitations_to_co_organise_left_unanswered_for_over_14_days():
    now = timezone.now()
    invited = looked_after(name="Partnerstwo Zaproszone")
    co_invitation(invited, days_ago=20, title="Spacer sprzed trzech tygodni")
    co_invitation(invited, days_ago=15, title="Piknik sprzed dwóch tygodni")
    co_invitation(invited, days_ago=13, title="Świeże zaproszenie")
    co_invitation(invited, days_ago=30, title="Odrzucone", status="declined", decided_at=now)
    co_invitation(invited, days_ago=30, title="Przyjęte", status="accepted", decided_at=now)

    item = dashboard.invitation_attention(now)

    assert names(item) == ["Spacer sprzed trzech tygodni", "Piknik sprzed dwóch tygodni"] and item.count == 2
    assert {row.invited for row in item.rows} == {"Partnerstwo Zaproszone"}


def test_unanswered_invitations_link_to_exactly_those_in_the_admin(staff_client):
    invited = looked_after(name="Partnerstwo Zaproszone")
    old = co_invitation(invited, days_ago=20, title="Spacer sprzed trzech tygodni")
    co_invitation(invited, days_ago=2, title="Świeże zaproszenie")

    content = staff_client.get(ADMIN).content.decode()

    item = dashboard.invitation_attention(timezone.now())
    assert (
        item.url == f"{reverse('admin:events_coorganiserinvitation_changelist')}?attention={InvitationCheck.UNANSWERED}"
    )
    assert f'href="{item.url}"' in content and "Spacer sprzed trzech tygodni</a>" in content
    assert "zaproszone: Partnerstwo Zaproszone, wysłano" in content and "1 zaproszenie." in content
    assert "Świeże zaproszenie" not in content
    assert _admin_rows(staff_client, item.url) == [old.pk]


def test_event_list_shows_a_series_by_its_next_date():
    now = timezone.now()
    series = factories.event(
        title="Co tydzień bez miejsca", start=now - timedelta(days=12), recurrence="FREQ=WEEKLY;COUNT=5"
    )
    factories.event(title="Jutro bez miejsca", start=now + timedelta(days=1))

    item = dashboard.event_attention(EventCheck.NO_PLACE, now)

    assert names(item) == ["Jutro bez miejsca", "Co tydzień bez miejsca"]
    assert item.rows[1].date == series.occurrences.filter(start__gt=now).order_by("start").first().start


# --- organisations that look like duplicates --------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("Fundacja Ala", "ala"),
        ("ala", "ala"),
        ("ALA", "ala"),
        ("Stowarzyszenie „Żółw” ", "zolw"),
        ("Żółw Sp. z o.o.", "zolw"),
        ("ŻÓŁW spółka z ograniczoną odpowiedzialnością", "zolw"),
        ("Fundacja Rozwoju Wspólnot Lokalnych", "rozwoju wspolnot lokalnych"),
        ("Łączka S.A.", "laczka"),
        ("Fundacja", ""),
        ("Fundacjonalny Klub", "fundacjonalny klub"),
    ],
)
def test_folded_name_drops_case_diacritics_punctuation_and_legal_forms(name, folded):
    assert dashboard.folded_name(name) == folded


def test_organisations_with_names_equal_after_folding_are_grouped():
    first = factories.organisation(name="Fundacja Ala")
    second = factories.organisation(name="ala", sector=Organisation.Sector.INFORMAL)
    factories.organisation(name="Alicja")
    zolw = factories.organisation(name="Stowarzyszenie Żółw")
    zolw_company = factories.organisation(name="Zolw sp. z o.o.", sector=Organisation.Sector.BUSINESS)
    factories.organisation(name="Fundacja Kot", krs="0000000001")
    factories.organisation(name="Stowarzyszenie Kot", krs="0000000002")  # two registered entities

    groups = dashboard.duplicate_groups()

    # In Polish order of their first names: "ala" before "Fundacja Ala", "Stowarzyszenie…" before "Zolw…".
    assert groups == [
        [(second.pk, "ala"), (first.pk, "Fundacja Ala")],
        [(zolw.pk, "Stowarzyszenie Żółw"), (zolw_company.pk, "Zolw sp. z o.o.")],
    ]
    item = dashboard.duplicate_attention()
    assert item.count == 2
    assert [member.label for member in item.rows[0].members] == ["ala", "Fundacja Ala"]


def test_a_registered_organisation_and_an_unregistered_one_of_the_same_name_are_grouped():
    factories.organisation(name="Fundacja Kot", krs="0000000001")
    factories.organisation(name="Kot")

    assert len(dashboard.duplicate_groups()) == 1


# --- what coordinators changed ----------------------------------------------------------------------


def change(partnership, by, **fields):
    for name, value in fields.items():
        setattr(partnership, name, value)
    authored(partnership, by).save()


def test_coordinators_changes_of_the_last_30_days_with_the_fields_they_changed():
    partnership = factories.partnership(name="Partnerstwo Sady", districts=["zoliborz"])
    coordinator = coordinator_of(partnership, first_name="Ola", last_name="Nowak")
    staff = user(is_staff=True)
    change(partnership, coordinator, description="Nowy opis.", contact_email="sady@example.org")
    change(partnership, staff, summary="Zmiana pracownika.")
    change(partnership, coordinator)
    partnership.districts.add(factories.district("bielany"))  # its own history record, by nobody
    record = Partnership.history.filter(id=partnership.pk).latest()
    record.history_user = coordinator
    record.save()
    old = factories.partnership(name="Partnerstwo Stare")
    change(old, coordinator_of(old), description="Dawno temu.")
    Partnership.history.filter(id=old.pk).update(history_date=timezone.now() - timedelta(days=31))

    item = dashboard.coordinator_changes(timezone.now())

    assert item.count == 3
    rows = [(row.who.label, row.label, [str(label) for label in row.fields]) for row in item.rows]
    assert rows == [
        ("Ola Nowak", "Partnerstwo Sady", ["Dzielnice"]),
        ("Ola Nowak", "Partnerstwo Sady", []),
        ("Ola Nowak", "Partnerstwo Sady", ["Opis", "E-mail kontaktowy"]),
    ]


def test_a_save_that_only_changed_line_endings_shows_as_saved_without_changes():
    partnership = factories.partnership(name="Partnerstwo Sady", goals="Cel pierwszy\nCel drugi")
    coordinator = coordinator_of(partnership, first_name="Ola", last_name="Nowak")
    change(partnership, coordinator, goals="Cel pierwszy\r\nCel drugi")  # as a browser's form sends it

    item = dashboard.coordinator_changes(timezone.now())

    assert [(row.label, list(row.fields)) for row in item.rows] == [("Partnerstwo Sady", [])]


def test_the_first_record_of_a_partnership_by_a_coordinator_shows_as_created():
    partnership = factories.partnership()
    coordinator = coordinator_of(partnership)
    Partnership.history.filter(id=partnership.pk).update(history_user=coordinator)

    (row,) = dashboard.coordinator_changes(timezone.now()).rows

    assert row.kind == "+"
    assert row.fields == ()


# --- the page --------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_admin_login(client):
    response = client.get(ADMIN)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_coordinators_who_are_not_staff_are_refused(client):
    client.force_login(coordinator_of(factories.partnership()))

    response = client.get(ADMIN)

    assert response.status_code == 403
    assert "Wymaga uwagi" not in response.content.decode()


def test_staff_without_superuser_rights_see_the_dashboard(client):
    log_in(client, user(is_staff=True))

    response = client.get(ADMIN)

    assert response.status_code == 200
    assert "Sieć w liczbach" in response.content.decode()


def test_staff_see_the_sections_in_heading_order(staff_client):
    content = staff_client.get(ADMIN).content.decode()

    assert content.count("<h1") == 1
    order = [
        "<h1",
        ">Sieć w liczbach</h2>",
        ">Wymaga uwagi</h2>",
        ">Partnerstwa</h3>",
        ">Wydarzenia</h3>",
        ">Organizacje</h3>",
        ">Zmiany koordynatorów</h2>",
    ]
    positions = [content.index(text) for text in order]
    assert positions == sorted(positions)
    assert "<caption>Partnerstwa według stanu (także nieopublikowane)</caption>" in content
    assert '<th scope="col">Sektor</th>' in content


def test_staff_see_figures_rows_and_links_to_exactly_those_rows(staff_client):
    looked_after(name="Partnerstwo Zadbane")
    factories.partnership(name="Partnerstwo Zapomniane", status=Partnership.Status.DORMANT)
    factories.event(title="Piknik bez miejsca", organisers=[looked_after()])
    factories.organisation(name="Fundacja Ala")
    factories.organisation(name="ala")

    content = staff_client.get(ADMIN).content.decode()

    changelist = reverse("admin:partnerships_partnership_changelist")
    assert f'<a href="{changelist}?status__exact=dormant">Uśpione</a></th><td>1</td>' in content
    assert f'<a href="{changelist}?attention=not-verified-12"' in content
    assert "Partnerstwo Zapomniane</a>" in content and "nigdy nie potwierdzone" in content
    assert "Piknik bez miejsca</a>" in content
    assert f'href="{reverse("admin:events_event_changelist")}?attention=no-place"' in content
    assert "Fundacja Ala</a>" in content and "porównaj na liście" in content
    assert "1 partnerstwo." in content and "1 wydarzenie." in content and "1 grupa organizacji." in content


def _admin_rows(staff_client, url):
    response = staff_client.get(url)
    assert response.status_code == 200
    return sorted(obj.pk for obj in response.context["cl"].result_list)


def test_every_list_links_to_the_admin_list_of_exactly_its_rows(staff_client):
    today = timezone.localdate()
    looked_after()
    for n in range(3):
        factories.partnership(name=f"Zaniedbane {n}", last_verified_on=today - relativedelta(months=7 + 6 * n))
    invitation(looked_after(), expires_in=timedelta(days=-1))
    organiser = looked_after()
    factories.event(title="Bez miejsca", organisers=[organiser])
    factories.event(title="Całej sieci", place=factories.place())
    factories.event(title="Minione", start=timezone.now() - timedelta(days=5))
    factories.organisation(name="Fundacja Ala")
    factories.organisation(name="ala")
    factories.organisation(name="Alicja")
    now = timezone.now()

    overview = dashboard.overview(now)

    for item in [*overview["partnerships"], *overview["events"], overview["duplicates"]]:
        check = next(c for c in [*PartnershipCheck, *EventCheck, *OrganisationCheck] if c.value == item.key)
        expected = dashboard.picked_rows(check, now)
        expected = sorted(expected if isinstance(expected, list) else (row["pk"] for row in expected))
        assert len(expected) == sum(len(row.members) or 1 for row in item.rows), item.key
        assert _admin_rows(staff_client, item.url) == expected, item.key
    group = overview["duplicates"].rows[0]
    assert _admin_rows(staff_client, group.url) == sorted(dashboard.duplicate_ids())


def test_admin_list_with_an_unknown_check_shows_every_row(staff_client):
    factories.partnership()
    factories.partnership()

    rows = _admin_rows(staff_client, reverse("admin:partnerships_partnership_changelist") + "?attention=bogus")

    assert len(rows) == 2


def test_row_links_open_the_row_in_the_admin(staff_client):
    partnership = factories.partnership(name="Partnerstwo Bez Logo")

    content = staff_client.get(ADMIN).content.decode()

    change_url = reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    assert f'<a href="{change_url}">Partnerstwo Bez Logo</a>' in content


def test_staff_see_coordinators_changes_with_who_what_and_when(staff_client):
    partnership = factories.partnership(name="Partnerstwo Sady")
    coordinator = coordinator_of(partnership, first_name="Ola", last_name="Nowak")
    change(partnership, coordinator, description="Nowy opis.")
    record = Partnership.history.filter(id=partnership.pk).latest()

    content = staff_client.get(ADMIN).content.decode()

    assert "<caption>Zmiany wprowadzone przez koordynatorów w ostatnich 30 dniach</caption>" in content
    assert f'<a href="{reverse("admin:auth_user_change", args=[coordinator.pk])}">Ola Nowak</a>' in content
    history = reverse("admin:partnerships_partnership_simple_history", args=[partnership.pk, record.history_id])
    assert f'<a href="{history}">Partnerstwo Sady</a>:' in content
    assert "Opis" in content
    assert "1 zmiana danych partnerstw w ostatnich 30 dniach." in content


def test_the_english_admin_shows_the_dashboard_too(staff_client):
    response = staff_client.get("/en/admin/")

    assert response.status_code == 200
    assert 'id="dashboard-attention"' in response.content.decode()


def test_an_apps_page_of_the_admin_has_no_dashboard(staff_client):
    response = staff_client.get(reverse("admin:app_list", args=["partnerships"]))

    assert response.status_code == 200
    assert 'id="dashboard-attention"' not in response.content.decode()


def test_names_are_escaped(staff_client):
    factories.partnership(name="<b>Partnerstwo</b>")

    content = staff_client.get(ADMIN).content.decode()

    assert escape("<b>Partnerstwo</b>") in content and "<b>Partnerstwo</b>" not in content


# --- good practices --------------------------------------------------------------------------------------


def waiting_practice(partnership, *, title, submitted=True, published=False):
    practice = save_practice(
        practice=Practice(partnership=partnership, title=title, summary="W skrócie.", problem=".", steps="."),
        by=None,
        topics=[],
    )
    if submitted:
        submit_practice(practice=practice, by=None)
    if published:
        Practice.objects.filter(pk=practice.pk).update(is_published=True)
    return practice


def test_practices_sent_for_publication_are_counted():
    partnership = factories.partnership()
    waiting_practice(partnership, title="Czeka")
    waiting_practice(partnership, title="Druga czeka")
    waiting_practice(partnership, title="Szkic", submitted=False)
    waiting_practice(partnership, title="Już na stronie", published=True)

    figure = dashboard.waiting_practices()

    assert (figure.label, figure.count) == ("Dobre praktyki czekające na publikację", 2)


def test_waiting_practices_link_to_exactly_those_in_the_admin(staff_client):
    partnership = factories.partnership()
    waiting = waiting_practice(partnership, title="Czeka")
    waiting_practice(partnership, title="Szkic", submitted=False)
    waiting_practice(partnership, title="Już na stronie", published=True)

    content = staff_client.get(ADMIN).content.decode()

    url = dashboard.waiting_practices().url
    assert url and f'<a href="{escape(url)}">Dobre praktyki czekające na publikację: 1</a>' in content
    assert _admin_rows(staff_client, url) == [waiting.pk]


def test_the_dashboard_says_how_many_practices_wait(staff_client):
    waiting_practice(factories.partnership(), title="Czeka")

    content = staff_client.get(ADMIN).content.decode()

    assert ">Dobre praktyki</h3>" in content
    assert "Dobre praktyki czekające na publikację: 1" in content


# --- queries -----------------------------------------------------------------------------------------


def attention_everywhere(size):
    """`size` rows of each kind, each needing attention somewhere, and changes by coordinators."""
    partnerships = factories.network(size)
    for partnership in partnerships:
        n = next(_counter)
        coordinator = coordinator_of(partnership, first_name="Ola", last_name=f"Nowak{n}")
        change(partnership, coordinator, description=f"Opis {n}.")
        partnership.districts.add(factories.district("bielany"))
        invitation(partnership, expires_in=timedelta(days=-1), email=f"z{n}@example.org")
        factories.organisation(name=f"Fundacja Podwójna {n}")
        factories.organisation(name=f"Podwójna {n}")
        factories.event(title=f"Bez miejsca {n}", organisers=[partnership])
        co_invitation(partnership, days_ago=20)
        shared = factories.organisation(name=f"Wspólna {n}")
        factories.membership(organisation_obj=shared, partnership_obj=partnership)
        factories.membership(organisation_obj=shared)
        propose_organisation_change(
            organisation=shared, partnership=partnership, values={"kind": "fundacja"}, by=coordinator
        )
        factories.support_request(partnership=partnership, name=f"Ola Prosząca {n}")
        waiting_practice(partnership, title=f"Praktyka {n}")
    for _ in range(size):
        looked_after(last_verified_on=timezone.localdate() - relativedelta(months=8))


@pytest.mark.parametrize("superuser", [True, False], ids=["superuser", "staff"])
def test_query_count_does_not_grow_with_the_network(client, superuser):
    log_in(client, user(is_staff=True, is_superuser=superuser))
    attention_everywhere(2)
    response, small = count_queries(client, ADMIN)
    assert response.status_code == 200
    attention_everywhere(10)
    response, large = count_queries(client, ADMIN)
    assert response.status_code == 200

    assert len(large) == len(small), (small, large)
    assert len(small) <= 20, small  # one query a list, and the device that verified the staff session (django-otp)
    shown = response.context["dashboard"]
    lists = {
        item.key: item for item in [*shown["partnerships"], *shown["events"], shown["duplicates"], shown["proposals"]]
    }
    assert lists["proposals"].count == 12 and len(lists["proposals"].rows) == dashboard.LIMIT
    assert lists["not-verified-6"].count == 12
    assert lists["expired-invitation"].count == 12
    assert lists["duplicates"].count == 12
    assert lists["no-place"].count == 24  # per row one of ours and the network-wide event of factories.network
    assert shown["invitations"].count == 12 and len(shown["invitations"].rows) == dashboard.LIMIT
    assert shown["changes"].count == 24 and len(shown["changes"].rows) == dashboard.LIMIT
    assert shown["support_requests"].count == 12 and len(shown["support_requests"].rows) == dashboard.LIMIT
    assert shown["practices"].count == 12
