"""Invitations to co-organise an event in a real browser: the invited coordinator's section passes axe and its
"Akceptuj" button works without JavaScript tricks; the inviter's panel with the answers passes axe too."""

from django.urls import reverse

from demo.loader import COORDINATOR_LOGIN
from events.models import CoOrganiserInvitation, Event
from partnerships.models import CoordinatorAccess, Partnership

from .conftest import browser_test, describe, log_in, run_axe, visit

pytestmark = browser_test


def test_the_invited_coordinator_answers_on_pages_without_axe_violations(axe_page, live_server, demo_network):
    username, password = COORDINATOR_LOGIN
    own = CoordinatorAccess.objects.select_related("partnership").get(user__username=username).partnership
    other = Partnership.objects.exclude(pk=own.pk).filter(events__isnull=False).order_by("pk").first()
    guest_event = Event.objects.filter(organisers=other).exclude(organisers=own).order_by("pk").first()
    CoOrganiserInvitation.objects.create(event=guest_event, partnership=own, inviter=other)
    own_event = Event.objects.filter(organisers=own).order_by("pk").first()
    CoOrganiserInvitation.objects.create(event=own_event, partnership=other, inviter=own)
    log_in(axe_page, live_server, username, password)

    found = {}
    for label, path in [
        ("moje partnerstwa", reverse("coordinator:dashboard")),
        ("partnerstwo", reverse("coordinator:partnership", kwargs={"slug": own.slug})),
        ("edycja wydarzenia", reverse("coordinator:event_edit", kwargs={"slug": own.slug, "pk": own_event.pk})),
    ]:
        assert visit(axe_page, live_server, path) == 200
        if violations := run_axe(axe_page):
            found[label] = violations
    assert not found, describe(found)

    visit(axe_page, live_server, reverse("coordinator:dashboard"))
    axe_page.locator("#wspolorganizacja ~ ul button", has_text="Akceptuj").first.click()
    axe_page.wait_for_load_state()

    assert "Zaakceptowano: partnerstwo jest współorganizatorem wydarzenia" in axe_page.content()
    assert own in guest_event.organisers.all()
