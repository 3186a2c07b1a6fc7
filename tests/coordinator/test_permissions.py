"""Who may use the coordinator area: every URL pattern, for every kind of user, GET and POST.

The patterns are read from the URL resolver, so a new edit URL that is not classified in
`PATTERNS` below makes `test_every_coordinator_url_is_classified` fail.
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from common.text import make_slug
from coordinator import permissions
from events.models import CoOrganiserInvitation, Event
from members import services as member_services
from members.models import Membership, Organisation, PartnershipRole, Person
from network.models import ExchangeEntry
from partnerships.models import ContactMessage, CoordinatorAccess, Invitation, Partnership, Place
from practices.models import Photo, Practice
from tests import factories
from tests.utils import log_in

pytestmark = pytest.mark.django_db

LOGIN_PATH = "/konto/logowanie/"

# name -> (who may use it, the kind of object in the URL)
PATTERNS = {
    "dashboard": ("any_user", None),
    "access_list": ("staff", None),
    "access_revoke": ("staff", "access"),
    "invitation_revoke": ("staff", "invitation"),
    "partnership": ("partnership", None),
    "partnership_edit": ("partnership", None),
    "partnership_images": ("partnership", None),
    "partnership_verify": ("partnership", None),
    "partnership_history": ("partnership", None),
    "change_undo": ("partnership", "change"),
    "membership_add": ("partnership", None),
    "membership_add_new": ("partnership", None),
    "membership_edit": ("partnership", "membership"),
    "membership_end": ("partnership", "membership"),
    "organisation_edit": ("partnership", "organisation"),
    # An organisation the coordinator may edit directly: the proposal page sends them to its edit page (302).
    "organisation_propose": ("partnership", "organisation"),
    "proposal_list": ("partnership", None),
    "contact_messages": ("partnership", None),
    "contact_message_handle": ("partnership", "contact_message"),
    "proposal_decide": ("partnership", "proposal"),
    "team_add": ("partnership", None),
    "role_edit": ("partnership", "role"),
    "role_end": ("partnership", "role"),
    "person_edit": ("partnership", "person"),
    "consent_record": ("partnership", "person"),
    "consent_withdraw": ("partnership", "person"),
    "place_add": ("partnership", None),
    "place_edit": ("partnership", "place"),
    "place_unlink": ("partnership", "place"),
    "exchange_list": ("partnership", None),
    "exchange_add": ("partnership", None),
    "exchange_edit": ("partnership", "exchange_entry"),
    "exchange_renew": ("partnership", "exchange_entry"),
    "exchange_withdraw": ("partnership", "exchange_entry"),
    "event_add": ("partnership", None),
    "event_edit": ("partnership", "event"),
    "event_cancel": ("partnership", "event"),
    "event_duplicate": ("partnership", "event"),
    # Answers to another partnership's invitation to co-organise its event: for the invited partnership only.
    "co_organiser_accept": ("partnership", "co_invitation"),
    "co_organiser_decline": ("partnership", "co_invitation"),
    "event_dates": ("partnership", "event"),
    "occurrence_cancel": ("partnership", "occurrence"),
    "occurrence_skip": ("partnership", "occurrence"),
    "occurrence_move": ("partnership", "occurrence"),
    "occurrence_restore": ("partnership", "occurrence"),
    "practice_list": ("partnership", None),
    "practice_add": ("partnership", None),
    "practice_edit": ("partnership", "practice"),
    "practice_submit": ("partnership", "practice"),
    # Both partnerships of build_world publish their practices themselves (tests/coordinator/test_practices.py
    # has the refusal without that right: a 404).
    "practice_publish": ("partnership", "practice"),
    # The practice is a draft: hiding it goes back to the list with a message (302).
    "practice_hide": ("partnership", "practice"),
    "practice_delete": ("partnership", "practice"),
    "practice_photos": ("partnership", "practice"),
    "practice_photo_remove": ("partnership", "photo"),
}
# Pages that only show things: a POST by someone allowed in is "405 Method Not Allowed".
READ_ONLY = {
    "dashboard",
    "partnership",
    "partnership_history",
    "event_dates",
    "proposal_list",
    "contact_messages",
    "exchange_list",
    "practice_list",
}
# Buttons that only do something: a GET by someone allowed in is "405 Method Not Allowed".
POST_ONLY = {
    "change_undo",
    "co_organiser_accept",
    "co_organiser_decline",
    "occurrence_restore",
    "contact_message_handle",
}
USERS = ["anonymous", "plain", "coordinator_a", "coordinator_b", "staff"]


def coordinator_url_names():
    """The names of every pattern mounted under the "coordinator" namespace."""

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "coordinator":
                    return [p.name for p in pattern.url_patterns]
                found = walk(pattern.url_patterns)
                if found:
                    return found
        return None

    return walk(get_resolver().url_patterns) or []


def make_user(username, **fields):
    return get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password="haslo-testowe-123", **fields
    )


def partnership_side(name):
    """A partnership with one of everything a coordinator edits."""
    partnership = factories.partnership(name=name, districts=["wola"], publishes_practices=True)
    organisation = factories.organisation(name=f"Fundacja {name}")
    place = factories.place(name=f"Dom sąsiedzki {name}", district_slug="wola")
    partnership.places.add(place)
    practice = Practice.objects.create(
        partnership=partnership,
        title=f"Praktyka {name}",
        slug=make_slug(name),
        summary="W skrócie.",
        problem=".",
        steps=".",
    )
    return SimpleNamespace(
        practice=practice,
        photo=Photo.objects.create(practice=practice, image="practices/zdjecie.png", alt=f"Zdjęcie {name}"),
        partnership=partnership,
        organisation=organisation,
        membership=factories.membership(organisation_obj=organisation, partnership_obj=partnership),
        role=factories.team_role(partnership_obj=partnership),
        place=place,
        contact_message=ContactMessage.objects.create(
            partnership=partnership, name="Zofia", email="zofia@example.org", reason="question", message="Pytanie"
        ),
        # Not public: only coordinators see it on the exchange, and only this partnership's edit it.
        exchange_entry=factories.exchange_entry(partnership_obj=partnership, title=f"Namiot {name}", is_public=False),
        # A weekly series: its dates have pages of their own (cancel, skip, move, restore one).
        event=factories.event(
            title=f"Spotkanie {name}", organisers=[partnership], place=place, recurrence="FREQ=WEEKLY;COUNT=3"
        ),
    )


def build_world():
    """Partnerships A and B, their coordinators, a plain user and staff."""
    a, b = partnership_side("Partnerstwo Alfa"), partnership_side("Partnerstwo Beta")
    a.person, b.person = a.role.person, b.role.person
    users = {
        "plain": make_user("mieszkanka"),
        "coordinator_a": make_user("koordynatorka-a"),
        "coordinator_b": make_user("koordynator-b"),
        "staff": make_user("boris-pracownik", is_staff=True, is_superuser=True),
    }
    CoordinatorAccess.objects.create(user=users["coordinator_a"], partnership=a.partnership)
    access_b = CoordinatorAccess.objects.create(user=users["coordinator_b"], partnership=b.partnership)
    invitation = Invitation.objects.create(
        email="nowa@example.org",
        partnership=a.partnership,
        token_hash="0" * 64,
        expires_at=timezone.now() + timedelta(days=7),
    )
    # Each partnership invited to co-organise the other's event: A's invitation comes from B, and B's from A.
    a.co_invitation = CoOrganiserInvitation.objects.create(
        event=b.event, partnership=a.partnership, inviter=b.partnership
    )
    b.co_invitation = CoOrganiserInvitation.objects.create(
        event=a.event, partnership=b.partnership, inviter=a.partnership
    )
    return SimpleNamespace(a=a, b=b, users=users, access=access_b, invitation=invitation)


def url_of(world, name, side, object_side=None):
    """The URL of pattern `name` for partnership `side` ("a"/"b"), its object taken from `object_side`."""
    scope, kind = PATTERNS[name]
    kwargs = {}
    if scope == "partnership":
        kwargs["slug"] = getattr(world, side).partnership.slug
    if kind in ("access", "invitation"):
        kwargs["pk"] = getattr(world, kind).pk
    elif kind == "change":  # the latest change of a place of the partnership
        place = getattr(world, object_side or side).place
        kwargs.update(kind="place", pk=place.history.latest("history_date").history_id)
    elif kind == "occurrence":  # the second date of the partnership's series
        event = getattr(world, object_side or side).event
        kwargs.update(pk=event.pk, date=event.occurrences.order_by("start")[1].pk)
    elif kind == "photo":
        side_objects = getattr(world, object_side or side)
        kwargs.update(pk=side_objects.practice.pk, photo=side_objects.photo.pk)
    elif kind == "proposal":
        kwargs["pk"] = proposal_decided_by(world, object_side or side).pk
    elif kind is not None:
        kwargs["pk"] = getattr(getattr(world, object_side or side), kind).pk
    return reverse(f"coordinator:{name}", kwargs=kwargs)


def proposal_decided_by(world, side):
    """A pending proposal that partnership `side`'s coordinators decide: from the other partnership, about an
    organisation both share (made when first asked for, so the other tests' worlds stay as they were)."""
    mine, theirs = getattr(world, side), world.b if side == "a" else world.a
    if not hasattr(mine, "proposal"):
        organisation = factories.organisation(name=f"Fundacja Wspólna {mine.partnership.name}")
        for partnership in (mine.partnership, theirs.partnership):
            factories.membership(organisation_obj=organisation, partnership_obj=partnership)
        mine.proposal = member_services.propose_organisation_change(
            organisation=organisation, partnership=theirs.partnership, values={"kind": "fundacja"}, by=None
        )
    return mine.proposal


def client_for(client, world, who):
    if who != "anonymous":
        log_in(client, world.users[who])
    return client


def expected(scope, who, side="a"):
    """'login', 'ok' or 'missing' for a user on a URL of partnership `side`."""
    if who == "anonymous":
        return "login"
    if scope == "any_user":
        return "ok"
    if scope == "staff":
        return "ok" if who == "staff" else "missing"
    owner = {"a": "coordinator_a", "b": "coordinator_b"}[side]
    return "ok" if who in (owner, "staff") else "missing"


def check(response, outcome, *, read_only_post=False):
    if outcome == "ok" and read_only_post:
        assert response.status_code == 405, response.status_code
    elif outcome == "login":
        assert response.status_code == 302, response.status_code
        assert response["Location"].startswith(LOGIN_PATH)
    elif outcome == "missing":
        assert response.status_code == 404, response.status_code
    else:
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            assert not response["Location"].startswith(LOGIN_PATH)


def test_every_coordinator_url_is_classified():
    names = coordinator_url_names()

    assert names, "the coordinator namespace is not mounted"
    assert sorted(set(names)) == sorted(PATTERNS), (
        "Classify every URL of coordinator/urls.py in PATTERNS of tests/coordinator/test_permissions.py"
    )


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_permission_matrix(client, name, who, method):
    world = build_world()
    scope = PATTERNS[name][0]

    response = getattr(client_for(client, world, who), method)(url_of(world, name, "a"))

    not_allowed = (method == "post" and name in READ_ONLY) or (method == "get" and name in POST_ONLY)
    check(response, expected(scope, who, "a"), read_only_post=not_allowed)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", sorted(name for name, (_, kind) in PATTERNS.items() if kind and _ == "partnership"))
def test_coordinator_of_a_cannot_reach_b_objects_through_a_address(client, name, method):
    """Own partnership in the URL, another partnership's object id: still a 404."""
    world = build_world()
    client.force_login(world.users["coordinator_a"])

    response = getattr(client, method)(url_of(world, name, "a", object_side="b"))

    assert response.status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", sorted(name for name, (scope, _) in PATTERNS.items() if scope == "partnership"))
def test_coordinator_of_a_gets_404_on_every_url_of_b(client, name, method):
    world = build_world()
    client.force_login(world.users["coordinator_a"])

    response = getattr(client, method)(url_of(world, name, "b"))

    assert response.status_code == 404


def test_denied_post_changes_nothing(client):
    world = build_world()
    client.force_login(world.users["coordinator_b"])

    client.post(url_of(world, "partnership_verify", "a"))
    client.post(url_of(world, "event_cancel", "a"), {"reason": "Nie moje wydarzenie"})
    client.post(url_of(world, "membership_end", "a"), {"until": "2020-01-01"})
    client.post(url_of(world, "occurrence_cancel", "a"), {"reason": "Nie mój termin"})
    client.post(url_of(world, "occurrence_skip", "a"), {"reason": ""})
    client.post(url_of(world, "contact_message_handle", "a"))
    client.post(url_of(world, "exchange_withdraw", "a"))
    client.post(url_of(world, "exchange_edit", "a"), {"kind": "offer", "title": "Przejęte", "expires_on": "2030-01-01"})
    client.post(url_of(world, "practice_publish", "a"))
    client.post(url_of(world, "practice_delete", "a"))
    client.post(url_of(world, "practice_photo_remove", "a"))

    world.a.partnership.refresh_from_db()
    world.a.event.refresh_from_db()
    world.a.membership.refresh_from_db()
    assert world.a.partnership.last_verified_on is None
    assert world.a.event.status == "scheduled"
    assert world.a.membership.until is None
    assert not world.a.event.occurrences.exclude(status="scheduled").exists()
    world.a.contact_message.refresh_from_db()
    assert world.a.contact_message.handled_at is None
    world.a.exchange_entry.refresh_from_db()
    assert world.a.exchange_entry.is_current() and world.a.exchange_entry.title == "Namiot Partnerstwo Alfa"
    world.a.practice.refresh_from_db()
    assert not world.a.practice.is_published
    assert world.a.practice.photos.get() == world.a.photo


def test_inactive_coordinator_loses_access(client):
    world = build_world()
    user = world.users["coordinator_a"]
    user.is_active = False
    user.save()

    assert not Partnership.objects.editable_by(user).exists()
    assert permissions.edit_url_for(user, world.a.partnership) is None


def test_gatekeepers_scope_every_kind_of_object_to_the_coordinators_partnership():
    world = build_world()
    user = world.users["coordinator_a"]

    assert list(Partnership.objects.editable_by(user)) == [world.a.partnership]
    assert list(Membership.objects.editable_by(user)) == [world.a.membership]
    assert list(PartnershipRole.objects.editable_by(user)) == [world.a.role]
    assert list(Person.objects.editable_by(user)) == [world.a.person]
    assert list(Place.objects.editable_by(user)) == [world.a.place]
    assert list(Event.objects.editable_by(user)) == [world.a.event]
    assert list(Organisation.objects.editable_by(user)) == [world.a.organisation]
    assert list(ExchangeEntry.objects.editable_by(user)) == [world.a.exchange_entry]
    assert list(Practice.objects.editable_by(user)) == [world.a.practice]


def test_staff_may_edit_everything():
    world = build_world()
    staff = world.users["staff"]

    assert Partnership.objects.editable_by(staff).count() == 2
    assert Event.objects.editable_by(staff).count() == 2
    assert Organisation.objects.editable_by(staff).count() == Organisation.objects.count()


def test_former_member_organisation_is_not_editable_by_the_coordinator():
    world = build_world()
    world.a.membership.until = timezone.localdate() - timedelta(days=1)
    world.a.membership.save()

    assert not Organisation.objects.editable_by(world.users["coordinator_a"]).exists()


def test_a_user_may_coordinate_several_partnerships(client):
    world = build_world()
    user = world.users["coordinator_a"]
    CoordinatorAccess.objects.create(user=user, partnership=world.b.partnership)
    client.force_login(user)

    page = client.get(reverse("coordinator:dashboard")).content.decode()

    assert "Partnerstwo Alfa" in page and "Partnerstwo Beta" in page
    assert client.get(url_of(world, "event_edit", "b")).status_code == 200


@pytest.mark.parametrize(
    ("path", "status", "shown"),
    [
        # A number too big for any row: no such object.
        ("/moje/partnerstwo-alfa/czlonkowie/99999999999999999999999/", 404, "Nie znaleziono strony"),
        ("/moje/partnerstwo-alfa/wydarzenia/99999999999999999999999/powiel/", 404, "Nie znaleziono strony"),
        # An unknown organisation to preselect: the form, with nothing chosen.
        (
            "/moje/partnerstwo-alfa/czlonkowie/dodaj/?organizacja=99999999999999999999999",
            200,
            "Dodaj organizację członkowską – Partnerstwo Alfa",
        ),
        # A search with a NUL byte or far too long: the form says what is wrong with the field.
        ("/moje/partnerstwo-alfa/czlonkowie/dodaj/?q=%00zoliborz", 200, "Znaki null są niedozwolone."),
        (
            "/moje/partnerstwo-alfa/czlonkowie/dodaj/?q=" + "a" * 10_000,
            200,
            "ma co najwyżej 100 znaków (obecnie ma 10000)",
        ),
        # A filter value that is no partnership: the whole list.
        ("/moje/obsluga/koordynatorzy/?partnerstwo=%00", 200, "Koordynatorzy i zaproszenia"),
        # A token no invitation has: the page says the link is wrong.
        ("/konto/zaproszenie/" + "x" * 5_000 + "/", 404, "Ten link zaproszenia jest nieprawidłowy."),
    ],
)
def test_bad_input_in_addresses_gets_a_clear_answer(client, path, status, shown):
    world = build_world()
    log_in(client, world.users["staff"])

    response = client.get(path)

    assert response.status_code == status
    assert shown in response.content.decode()
