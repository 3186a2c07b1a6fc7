"""A co-organised event reaches another partnership only after that partnership accepts.

Partnership A (Targówek) names B (Mokotów) as a co-organiser of its picnic in Targówek: B's coordinators get an
invitation (an e-mail and a section of their coordinator area), and until one of them accepts, nothing public
under B shows the event: B's page, its iCal, RSS and Atom feeds, its widget, the page of its district, its open data.
"""

import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from common.forms import version_of
from events import services
from events.models import CoOrganiserInvitation, Event
from partnerships.models import CoordinatorAccess
from tests import factories
from tests.coordinator.test_coordinator_places_events import event_data as coordinator_event_data
from tests.utils import log_in

from .helpers import in_days, series

pytestmark = pytest.mark.django_db

TITLE = "Piknik sąsiedzki na Bródnie"


def make_user(username, **fields):
    return get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password="haslo-testowe-123", **fields
    )


@pytest.fixture
def world():
    """A (the inviter, its place in Targówek), B (invited, in Mokotów), C (a bystander), their coordinators."""
    a = factories.partnership(name="Partnerstwo Bródno", districts=["targowek"])
    b = factories.partnership(name="Partnerstwo Stegny", districts=["mokotow"])
    c = factories.partnership(name="Partnerstwo Sady", districts=["zoliborz"])
    place = factories.place(name="Dom Sąsiedzki Bródno", district_slug="targowek")
    a.places.add(place)
    users = {
        "coordinator_a": make_user("koordynatorka-a"),
        "coordinator_b": make_user("koordynator-b"),
        "coordinator_c": make_user("koordynatorka-c"),
        "plain": make_user("mieszkanka"),
        "staff": make_user("boris", is_staff=True, is_superuser=True),
    }
    for key, partnership in (("coordinator_a", a), ("coordinator_b", b), ("coordinator_c", c)):
        CoordinatorAccess.objects.create(user=users[key], partnership=partnership)
    return {"a": a, "b": b, "c": c, "place": place, "users": users}


def event_data(place, **changes):
    """The event form of the coordinator area, filled in: the picnic on a day ten days from now, 16:00–19:00."""
    return coordinator_event_data(place, **{"title": TITLE, **changes})


def as_user(client, world, who):
    log_in(client, world["users"][who])
    return client


def add_event(client, world, django_capture_on_commit_callbacks, co_organisers):
    """Coordinator A adds the picnic through the coordinator area, naming `co_organisers`."""
    as_user(client, world, "coordinator_a")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("coordinator:event_add", kwargs={"slug": world["a"].slug}),
            event_data(world["place"], co_organisers=[p.pk for p in co_organisers]),
        )
    assert response.status_code == 302, response.content.decode()
    return Event.objects.get(title=TITLE)


def answer_url(name, invitation):
    return reverse(f"coordinator:{name}", kwargs={"slug": invitation.partnership.slug, "pk": invitation.pk})


def answer(client, world, invitation, name="co_organiser_accept", who="coordinator_b"):
    client.logout()
    return as_user(client, world, who).post(answer_url(name, invitation), follow=True)


# What a resident sees under partnership B: (name, its address).
def b_addresses(world):
    b, mokotow = world["b"], factories.district("mokotow")
    return [
        ("page", b.get_absolute_url()),
        ("ical", reverse("events:ical_partnership", kwargs={"slug": b.slug})),
        ("rss", f"{reverse('events:rss')}?partnerstwo={b.slug}"),
        ("atom", f"{reverse('events:atom')}?partnerstwo={b.slug}"),
        ("widget", reverse("events:widget_partnership", kwargs={"slug": b.slug})),
        ("district", mokotow.get_absolute_url()),
        ("district ical", reverse("events:ical_district", kwargs={"slug": mokotow.slug})),
    ]


def shown_under_b(client, world):
    """The names of B's public addresses that show the picnic; its open data too ("open data")."""
    client.logout()
    shown = set()
    for name, address in b_addresses(world):
        response = client.get(address)
        assert response.status_code == 200, address
        if TITLE in response.content.decode():
            shown.add(name)
    rows = json.loads(client.get(reverse("opendata:wydarzenia-json")).content)["results"]
    if any(world["b"].slug in row["organisers"] for row in rows if row["title"] == TITLE):
        shown.add("open data")
    return shown


EVERYWHERE = {"page", "ical", "rss", "atom", "widget", "district", "district ical", "open data"}


# --- naming another partnership invites it ---------------------------------------------------------------------------


def test_a_named_partnership_is_invited_and_shows_nowhere_until_it_accepts(
    client, world, django_capture_on_commit_callbacks
):
    event = add_event(client, world, django_capture_on_commit_callbacks, [world["b"]])

    assert list(event.organisers.all()) == [world["a"]]
    invitation = CoOrganiserInvitation.objects.get()
    assert (invitation.event, invitation.partnership, invitation.inviter) == (event, world["b"], world["a"])
    assert invitation.status == CoOrganiserInvitation.Status.PENDING
    assert invitation.invited_by == world["users"]["coordinator_a"]
    assert shown_under_b(client, world) == set()
    # The event itself is public, under A.
    assert TITLE in client.get(world["a"].get_absolute_url()).content.decode()

    answer(client, world, invitation)

    assert shown_under_b(client, world) == EVERYWHERE


def test_a_declined_invitation_keeps_the_event_off_the_partnerships_pages(
    client, world, django_capture_on_commit_callbacks
):
    event = add_event(client, world, django_capture_on_commit_callbacks, [world["b"]])
    invitation = CoOrganiserInvitation.objects.get()

    page = answer(client, world, invitation, "co_organiser_decline").content.decode()

    assert f"Odrzucono zaproszenie do współorganizacji wydarzenia „{TITLE}”." in page
    invitation.refresh_from_db()
    assert invitation.status == CoOrganiserInvitation.Status.DECLINED
    assert invitation.decided_by == world["users"]["coordinator_b"] and invitation.decided_at is not None
    assert list(event.organisers.all()) == [world["a"]]
    assert shown_under_b(client, world) == set()


def test_the_invited_partnerships_coordinators_get_one_email_naming_the_event_the_inviter_and_the_link(
    client, world, django_capture_on_commit_callbacks
):
    second = make_user("druga-koordynatorka-b")
    CoordinatorAccess.objects.create(user=second, partnership=world["b"])
    event = add_event(client, world, django_capture_on_commit_callbacks, [world["b"]])

    assert sorted(message.to[0] for message in mail.outbox) == [
        "druga-koordynatorka-b@example.org",
        "koordynator-b@example.org",
    ]
    message = mail.outbox[0]
    assert len(message.to) == 1  # one each: coordinators do not see one another's addresses
    assert message.subject == f"Zaproszenie do współorganizacji wydarzenia „{TITLE}”"
    day = timezone.localdate() + timedelta(days=10)
    assert "partnerstwo „Partnerstwo Bródno” zaprasza partnerstwo „Partnerstwo Stegny”" in message.body
    assert TITLE in message.body
    assert f"Termin: {day.day} " in message.body and ", 16:00" in message.body
    link = f"http://testserver{reverse('coordinator:partnership', kwargs={'slug': world['b'].slug})}#wspolorganizacja"
    assert link in message.body

    # Saving the event again, B still named, asks nobody twice.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("coordinator:event_edit", kwargs={"slug": world["a"].slug, "pk": event.pk}),
            event_data(world["place"], co_organisers=[world["b"].pk], version=version_of(event)),
        )
    assert mail.outbox == []
    assert CoOrganiserInvitation.objects.get().status == CoOrganiserInvitation.Status.PENDING


def test_a_partnership_the_coordinator_also_coordinates_joins_at_once(
    client, world, django_capture_on_commit_callbacks
):
    CoordinatorAccess.objects.create(user=world["users"]["coordinator_a"], partnership=world["c"])

    event = add_event(client, world, django_capture_on_commit_callbacks, [world["b"], world["c"]])

    assert set(event.organisers.all()) == {world["a"], world["c"]}
    assert list(CoOrganiserInvitation.objects.values_list("partnership__name", flat=True)) == ["Partnerstwo Stegny"]
    assert [message.to for message in mail.outbox] == [["koordynator-b@example.org"]]


def test_an_accepted_organiser_stays_when_the_event_is_saved_again(client, world, django_capture_on_commit_callbacks):
    event = add_event(client, world, django_capture_on_commit_callbacks, [world["b"]])
    answer(client, world, CoOrganiserInvitation.objects.get())
    event.refresh_from_db()
    mail.outbox.clear()

    as_user(client, world, "coordinator_a")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("coordinator:event_edit", kwargs={"slug": world["a"].slug, "pk": event.pk}),
            event_data(
                world["place"],
                title=f"{TITLE} (nowa godzina)",
                co_organisers=[world["b"].pk],
                version=version_of(event),
            ),
        )

    event.refresh_from_db()
    assert event.title == f"{TITLE} (nowa godzina)"
    assert set(event.organisers.all()) == {world["a"], world["b"]}
    assert mail.outbox == []


def test_removing_a_co_organiser_withdraws_its_pending_invitation(client, world, django_capture_on_commit_callbacks):
    event = add_event(client, world, django_capture_on_commit_callbacks, [world["b"]])
    invitation = CoOrganiserInvitation.objects.get()

    client.post(
        reverse("coordinator:event_edit", kwargs={"slug": world["a"].slug, "pk": event.pk}),
        event_data(world["place"], co_organisers=[], version=version_of(event)),
    )

    assert not CoOrganiserInvitation.objects.exists()
    assert list(event.organisers.all()) == [world["a"]]
    response = answer(client, world, invitation)
    assert response.status_code == 404


def test_removing_an_accepted_co_organiser_takes_the_event_off_its_pages(
    client, world, django_capture_on_commit_callbacks
):
    event = add_event(client, world, django_capture_on_commit_callbacks, [world["b"]])
    answer(client, world, CoOrganiserInvitation.objects.get())
    event.refresh_from_db()

    as_user(client, world, "coordinator_a").post(
        reverse("coordinator:event_edit", kwargs={"slug": world["a"].slug, "pk": event.pk}),
        event_data(world["place"], co_organisers=[], version=version_of(event)),
    )

    assert list(event.organisers.all()) == [world["a"]]
    assert shown_under_b(client, world) == set()


# --- what each side sees -----------------------------------------------------------------------------------------


def test_the_invited_coordinator_sees_the_invitation_with_its_buttons(
    client, world, django_capture_on_commit_callbacks
):
    add_event(client, world, django_capture_on_commit_callbacks, [world["b"]])
    invitation = CoOrganiserInvitation.objects.get()
    client.logout()
    as_user(client, world, "coordinator_b")

    for url in (reverse("coordinator:dashboard"), reverse("coordinator:partnership", kwargs={"slug": world["b"].slug})):
        page = client.get(url).content.decode()
        assert '<h2 id="wspolorganizacja">Zaproszenia do współorganizacji</h2>' in page
        assert TITLE in page and "Partnerstwo Bródno" in page
        day = timezone.localdate() + timedelta(days=10)
        assert f"{day.day} " in page and ", 16:00" in page
        assert f'action="{answer_url("co_organiser_accept", invitation)}"' in page
        assert f'action="{answer_url("co_organiser_decline", invitation)}"' in page
        assert ">Akceptuj</button>" in page and ">Odrzuć</button>" in page
        assert page.count('name="csrfmiddlewaretoken"') >= 2

    # Nobody else is asked: not the inviter, not a third partnership.
    for who in ("coordinator_a", "coordinator_c"):
        client.logout()
        page = as_user(client, world, who).get(reverse("coordinator:dashboard")).content.decode()
        assert "Zaproszenia do współorganizacji" not in page


def test_the_inviter_sees_waiting_and_declined_answers_in_the_panel_and_the_form(
    client, world, django_capture_on_commit_callbacks
):
    event = add_event(client, world, django_capture_on_commit_callbacks, [world["b"], world["c"]])
    answer(
        client,
        world,
        CoOrganiserInvitation.objects.get(partnership=world["c"]),
        "co_organiser_decline",
        "coordinator_c",
    )
    client.logout()
    as_user(client, world, "coordinator_a")

    panel = client.get(reverse("coordinator:partnership", kwargs={"slug": world["a"].slug})).content.decode()
    form = client.get(reverse("coordinator:event_edit", kwargs={"slug": world["a"].slug, "pk": event.pk}))

    assert "Współorganizacja: „Partnerstwo Stegny” – czeka na akceptację" in panel
    assert "Współorganizacja: „Partnerstwo Sady” – odrzucone" in panel
    content = form.content.decode()
    assert "Partnerstwo Sady: odrzucone." in content and "Partnerstwo Stegny: czeka na akceptację." in content
    # The waiting one stays chosen in the form; the one that said no is not.
    assert form.context["form"].initial["co_organisers"] == [world["b"].pk]


def test_a_partnership_that_declined_is_not_invited_again_but_may_still_accept(
    client, world, django_capture_on_commit_callbacks
):
    event = add_event(client, world, django_capture_on_commit_callbacks, [world["b"]])
    invitation = CoOrganiserInvitation.objects.get()
    answer(client, world, invitation, "co_organiser_decline")
    mail.outbox.clear()
    client.logout()

    response = as_user(client, world, "coordinator_a").post(
        reverse("coordinator:event_edit", kwargs={"slug": world["a"].slug, "pk": event.pk}),
        event_data(world["place"], co_organisers=[world["b"].pk], version=version_of(event)),
    )

    assert response.status_code == 200
    assert "Partnerstwo „Partnerstwo Stegny” odrzuciło zaproszenie do współorganizacji tego wydarzenia." in (
        response.content.decode()
    )
    assert mail.outbox == []
    assert CoOrganiserInvitation.objects.get().status == CoOrganiserInvitation.Status.DECLINED

    # B changes its mind: the declined invitation is still on its list, and accepting it works.
    page = answer(client, world, invitation).content.decode()
    assert "Zaakceptowano: partnerstwo jest współorganizatorem wydarzenia" in page
    assert set(event.organisers.all()) == {world["a"], world["b"]}


def test_accepting_names_who_accepted_in_the_history_and_grows_the_sequence(
    client, world, django_capture_on_commit_callbacks
):
    event = add_event(client, world, django_capture_on_commit_callbacks, [world["b"]])
    before = Event.objects.get(pk=event.pk).sequence

    answer(client, world, CoOrganiserInvitation.objects.get())

    event.refresh_from_db()
    assert event.sequence == before + 1
    latest = event.history.latest("history_date")
    assert latest.history_user == world["users"]["coordinator_b"]
    assert {row.partnership_id for row in latest.organisers.all()} == {world["a"].pk, world["b"].pk}
    invitation = CoOrganiserInvitation.objects.get()
    assert invitation.status == CoOrganiserInvitation.Status.ACCEPTED
    assert invitation.decided_by == world["users"]["coordinator_b"]
    # Now B's coordinators edit the event too.
    client.logout()
    edit = reverse("coordinator:event_edit", kwargs={"slug": world["b"].slug, "pk": event.pk})
    assert as_user(client, world, "coordinator_b").get(edit).status_code == 200


def test_an_answer_given_twice_says_so_and_changes_nothing(client, world, django_capture_on_commit_callbacks):
    event = add_event(client, world, django_capture_on_commit_callbacks, [world["b"]])
    invitation = CoOrganiserInvitation.objects.get()
    answer(client, world, invitation)
    sequence = Event.objects.get(pk=event.pk).sequence

    again = answer(client, world, invitation).content.decode()
    late_no = answer(client, world, invitation, "co_organiser_decline").content.decode()

    assert (
        "To zaproszenie zostało już zaakceptowane." in again and "To zaproszenie zostało już zaakceptowane." in late_no
    )
    assert Event.objects.get(pk=event.pk).sequence == sequence
    assert CoOrganiserInvitation.objects.get().status == CoOrganiserInvitation.Status.ACCEPTED


# --- who may answer ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["co_organiser_accept", "co_organiser_decline"])
@pytest.mark.parametrize(
    ("who", "outcome"),
    [
        ("anonymous", "login"),
        ("plain", 404),
        ("coordinator_a", 404),  # the inviter
        ("coordinator_b", "done"),  # the invited
        ("coordinator_c", 404),
        ("staff", "done"),
    ],
)
def test_only_the_invited_partnership_and_staff_may_answer(client, world, name, who, outcome):
    event = factories.event(title=TITLE, organisers=[world["a"]], place=world["place"])
    invitation = CoOrganiserInvitation.objects.create(event=event, partnership=world["b"], inviter=world["a"])
    if who != "anonymous":
        as_user(client, world, who)

    response = client.post(answer_url(name, invitation))

    invitation.refresh_from_db()
    if outcome == "login":
        assert response.status_code == 302 and response["Location"].startswith("/konto/logowanie/")
    elif outcome == 404:
        assert response.status_code == 404
    else:
        assert response.status_code == 302
        assert response["Location"] == reverse("coordinator:partnership", kwargs={"slug": world["b"].slug}) + (
            "#wspolorganizacja"
        )
    expected = {"co_organiser_accept": "accepted", "co_organiser_decline": "declined"}[name]
    assert invitation.status == (expected if outcome == "done" else "pending")
    assert (world["b"] in event.organisers.all()) == (outcome == "done" and expected == "accepted")


@pytest.mark.parametrize("name", ["co_organiser_accept", "co_organiser_decline"])
def test_answers_are_post_only_and_unknown_invitations_are_404(client, world, name):
    event = factories.event(title=TITLE, organisers=[world["a"]], place=world["place"])
    invitation = CoOrganiserInvitation.objects.create(event=event, partnership=world["b"], inviter=world["a"])
    as_user(client, world, "coordinator_b")

    assert client.get(answer_url(name, invitation)).status_code == 405
    slug = world["b"].slug
    for pk in (invitation.pk + 1000, 99999999999999999999999):
        assert client.post(reverse(f"coordinator:{name}", kwargs={"slug": slug, "pk": pk})).status_code == 404
    for path in (f"/moje/{slug}/wspolorganizacja/abc/akceptuj/", f"/moje/{slug}/wspolorganizacja/-1/odrzuc/"):
        assert client.post(path).status_code == 404
    # The invitation of B, under A's address: 404 too (A's coordinator could not use it either).
    wrong = reverse(f"coordinator:{name}", kwargs={"slug": world["a"].slug, "pk": invitation.pk})
    assert client.post(wrong).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == "pending"


# --- copies and series -------------------------------------------------------------------------------------------


def test_a_copy_keeps_accepted_organisers_and_leaves_pending_invitations_behind(
    client, world, django_capture_on_commit_callbacks
):
    event = add_event(client, world, django_capture_on_commit_callbacks, [world["b"], world["c"]])
    answer(client, world, CoOrganiserInvitation.objects.get(partnership=world["c"]), who="coordinator_c")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        copy = services.duplicate_event(event=event, start=in_days(20), by=world["users"]["coordinator_a"])

    assert set(copy.organisers.all()) == {world["a"], world["c"]}
    assert not copy.co_organiser_invitations.exists()
    assert mail.outbox == []
    assert CoOrganiserInvitation.objects.filter(event=event, status="pending").count() == 1


def test_every_date_of_a_series_reaches_the_partnership_once_it_accepts(
    client, world, django_capture_on_commit_callbacks
):
    club = series(
        title="Klub sąsiedzki",
        start=in_days(7),
        rule="FREQ=WEEKLY;COUNT=4",
        organisers=[world["a"]],
        place=world["place"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.save_event(
            event=club, partnership=world["a"], co_organisers=[world["b"]], by=world["users"]["coordinator_a"]
        )
    feed = reverse("events:ical_partnership", kwargs={"slug": world["b"].slug})
    assert "Klub sąsiedzki" not in client.get(feed).content.decode()
    assert club.recurrence_text() and f"Cykl: {club.recurrence_text()}" in mail.outbox[0].body

    answer(client, world, CoOrganiserInvitation.objects.get())

    client.logout()
    calendar = client.get(feed).content.decode()
    assert "SUMMARY:Klub sąsiedzki" in calendar and "RRULE:FREQ=WEEKLY;COUNT=4" in calendar


# --- staff ---------------------------------------------------------------------------------------------------------


def test_staff_adding_an_organiser_in_the_admin_accepts_its_invitation(
    client, world, django_capture_on_commit_callbacks
):
    event = add_event(client, world, django_capture_on_commit_callbacks, [world["b"]])
    client.logout()
    as_user(client, world, "staff")
    change = reverse("admin:events_event_change", args=[event.pk])
    form = client.get(change).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "image"}
    data.update(
        organisers=[world["a"].pk, world["b"].pk],
        start_0=timezone.localtime(event.start).strftime("%Y-%m-%d"),
        start_1=timezone.localtime(event.start).strftime("%H:%M:%S"),
        end_0=timezone.localtime(event.end).strftime("%Y-%m-%d"),
        end_1=timezone.localtime(event.end).strftime("%H:%M:%S"),
        place=world["place"].pk,
        repeat="",
    )

    response = client.post(change, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert set(event.organisers.all()) == {world["a"], world["b"]}
    invitation = CoOrganiserInvitation.objects.get()
    assert invitation.status == "accepted" and invitation.decided_by == world["users"]["staff"]


def test_staff_list_pending_invitations_in_the_admin_and_answer_them(client, world):
    waiting = CoOrganiserInvitation.objects.create(
        event=factories.event(title="Spacer po Stegnach", organisers=[world["a"]]),
        partnership=world["b"],
        inviter=world["a"],
    )
    declined = CoOrganiserInvitation.objects.create(
        event=factories.event(title="Warsztaty", organisers=[world["a"]]), partnership=world["c"], inviter=world["a"]
    )
    as_user(client, world, "staff")
    changelist = reverse("admin:events_coorganiserinvitation_changelist")

    page = client.get(f"{changelist}?status__exact=pending").content.decode()
    assert "Spacer po Stegnach" in page and "Warsztaty" in page

    client.post(changelist, {"action": "decline_selected", "_selected_action": [declined.pk]})
    response = client.post(changelist, {"action": "accept_selected", "_selected_action": [waiting.pk]}, follow=True)

    assert "Zaakceptowano zaproszenia: 1." in response.content.decode()
    waiting.refresh_from_db()
    declined.refresh_from_db()
    assert (waiting.status, declined.status) == ("accepted", "declined")
    assert world["b"] in waiting.event.organisers.all()
    assert world["c"] not in declined.event.organisers.all()
    assert "Spacer po Stegnach" not in client.get(f"{changelist}?status__exact=pending").content.decode()
    assert client.get(reverse("admin:events_coorganiserinvitation_add")).status_code == 403


def test_names_in_the_forms_answers_are_escaped(client, world, django_capture_on_commit_callbacks):
    world["b"].name = "<b>Stegny</b>"
    world["b"].save()
    event = add_event(client, world, django_capture_on_commit_callbacks, [world["b"]])

    form = client.get(reverse("coordinator:event_edit", kwargs={"slug": world["a"].slug, "pk": event.pk}))

    content = form.content.decode()
    assert "&lt;b&gt;Stegny&lt;/b&gt;: czeka na akceptację." in content and "<b>Stegny</b>:" not in content
