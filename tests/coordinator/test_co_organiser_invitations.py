"""The coordinator area's lists of invitations to co-organise an event cost the same queries however many there are."""

import pytest
from django.urls import reverse

from events.models import CoOrganiserInvitation
from tests import factories
from tests.utils import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership():
    return factories.partnership(name="Partnerstwo Stegny", districts=["mokotow"])


def grow(partnership, size):
    """`size` invitations to the partnership (waiting, and declined ones of coming events) from partnerships with
    a place each, and as many events of its own to which it invited others (waiting or declined)."""
    for i in range(size):
        inviter = factories.partnership()
        place = factories.place()
        inviter.places.add(place)
        event = factories.event(organisers=[inviter], place=place, recurrence="FREQ=WEEKLY;COUNT=3" if i % 3 else "")
        status = "declined" if i % 2 else "pending"
        decided = {"decided_at": event.created_at} if status == "declined" else {}
        CoOrganiserInvitation.objects.create(
            event=event, partnership=partnership, inviter=inviter, status=status, **decided
        )
        own = factories.event(organisers=[partnership])
        CoOrganiserInvitation.objects.create(
            event=own, partnership=inviter, inviter=partnership, status=status, **decided
        )


@pytest.mark.parametrize("name", ["dashboard", "partnership"])
def test_invitation_lists_run_the_same_queries_at_two_sizes(coordinator_client, partnership, name):
    address = (
        reverse("coordinator:dashboard")
        if name == "dashboard"
        else reverse("coordinator:partnership", kwargs={"slug": partnership.slug})
    )
    grow(partnership, 2)
    response, small = count_queries(coordinator_client, address)
    assert response.status_code == 200
    assert response.content.decode().count(">Akceptuj</button>") == 2

    grow(partnership, 10)
    response, large = count_queries(coordinator_client, address)

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count(">Akceptuj</button>") == 12 and page.count(">Odrzuć</button>") == 6
    if name == "partnership":
        assert page.count("– czeka na akceptację") == 6 and page.count("– odrzucone") == 6
    assert len(large) == len(small), (small, large)
    assert len(small) <= 20, small
