"""The look: the network's colour and logo mark, cards, and screenshots at phone and desktop width.

Screenshots go to test-artifacts/screenshots/ (git-ignored): home, a partnership, the events list
and the coordinator's profile form, each at 375 px and 1280 px, full page.
"""

from django.urls import reverse

from demo.loader import COORDINATOR_LOGIN
from partnerships.models import CoordinatorAccess

from .conftest import DESKTOP, PHONE, SCREENSHOTS, browser_test, has_horizontal_scroll, log_in, new_page, shoot, visit

pytestmark = browser_test

NETWORK_TEAL = "rgb(11, 85, 99)"


def test_screenshots_show_the_network_identity_at_phone_and_desktop_width(browser, live_server, demo_network):
    username, password = COORDINATOR_LOGIN
    partnership = CoordinatorAccess.objects.select_related("partnership").get(user__username=username).partnership
    pages = {
        "home": reverse("home"),
        "partnership": partnership.get_absolute_url(),
        "partnership-easy-read": demo_network.get_absolute_url(),
        "events": reverse("events:list"),
    }
    edit_form = reverse("coordinator:partnership_edit", kwargs={"slug": partnership.slug})
    for width, viewport in (("375", PHONE), ("1280", DESKTOP)):
        page = new_page(browser, viewport=viewport)
        try:
            for name, path in pages.items():
                assert visit(page, live_server, path) == 200
                header = page.locator(".site-header")
                assert header.evaluate("el => getComputedStyle(el).backgroundColor") == NETWORK_TEAL
                assert page.locator(".brand img").evaluate("img => img.complete && img.naturalWidth > 0")
                assert not has_horizontal_scroll(page), (name, width)
                assert shoot(page, f"{name}-{width}").stat().st_size > 10_000
            assert page.locator("main .card.event-card").count() >= 3  # the events list shows cards

            log_in(page, live_server, username, password)
            assert visit(page, live_server, edit_form) == 200
            assert page.locator("main form textarea[name=description]").is_visible()
            assert not has_horizontal_scroll(page), ("edit form", width)
            shoot(page, f"edit-form-{width}")
        finally:
            page.context.close()

    assert len(list(SCREENSHOTS.glob("*-375.png"))) >= 5 and len(list(SCREENSHOTS.glob("*-1280.png"))) >= 5


def test_partnership_and_event_cards_use_the_network_colours(page, live_server, small_network):
    visit(page, live_server, reverse("partnerships:list"))
    card = page.locator("main .card").first
    assert card.locator(".card-title a").evaluate("a => getComputedStyle(a).color") == "rgb(7, 60, 70)"
    button = page.locator("main form button[type=submit]").first
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") == NETWORK_TEAL

    visit(page, live_server, reverse("home"))
    event_card = page.locator("main .card.event-card").first
    assert event_card.evaluate("c => getComputedStyle(c).borderLeftColor") == NETWORK_TEAL
