"""A phone at 375×812: what a resident came for is on the first screen (or two), and it all works without JavaScript.

Measured in the browser: the header's height, where the first search result and a partnership's contact stand, the
menu and the filters opened with the keyboard (also with JavaScript turned off), axe on the phone layout with the
menu and the filters open. Screenshots go to test-artifacts/screenshots/phone-*.png.
"""

from urllib.parse import quote

from django.urls import reverse
from django.utils import translation

from demo.loader import COORDINATOR_LOGIN
from partnerships.models import CoordinatorAccess

from .conftest import DESKTOP, browser_test, describe, has_horizontal_scroll, new_page, run_axe, shoot, visit

pytestmark = browser_test

PHONE_SCREEN = {"width": 375, "height": 812}
HEADER_AT_MOST = 120

TOP = "el => Math.round(el.getBoundingClientRect().top + window.scrollY)"


def top(locator):
    return locator.evaluate(TOP)


def coordinators_partnership():
    """The demo partnership with every section filled in (an easy-to-read text too): the longest page of its kind."""
    return CoordinatorAccess.objects.select_related("partnership").get(user__username=COORDINATOR_LOGIN[0]).partnership


def focus_by_tab(page, selector, presses=30):
    """Press Tab until `selector` has the focus; fail if it never gets it."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def test_phone_pages_put_what_a_resident_came_for_on_the_first_screens(browser, live_server, demo_network):
    partnership = coordinators_partnership()
    search = reverse("partnerships:list") + "?q=" + quote("Żoliborz")
    page = new_page(browser, viewport=PHONE_SCREEN)
    try:
        for name, path in (
            ("home", reverse("home")),
            ("partnerships-query", search),
            ("partnership", partnership.get_absolute_url()),
            ("agenda", reverse("events:list")),
        ):
            assert visit(page, live_server, path) == 200
            header = page.locator(".site-header").bounding_box()
            assert header["height"] <= HEADER_AT_MOST, (name, header)
            # The menu is folded, the search box is at hand.
            assert not page.locator(".main-nav").get_by_text("Dzielnice", exact=True).is_visible()
            assert page.locator(".site-header").get_by_role("searchbox").is_visible()
            assert not has_horizontal_scroll(page), name
            assert shoot(page, f"phone-{name}").stat().st_size > 10_000

        visit(page, live_server, search)
        first_result = page.locator("main .card").first
        assert "Żoliborz" in first_result.inner_text()
        assert top(first_result) < PHONE_SCREEN["height"]
        # The number of results above them, the filters folded under one button.
        assert top(page.get_by_role("status").first) < top(first_result)
        assert page.locator("summary", has_text="Filtry").is_visible()
        assert not page.get_by_label("Dzielnica:").is_visible()

        visit(page, live_server, partnership.get_absolute_url())
        contact = page.get_by_role("heading", name="Kontakt", exact=True)
        events = page.get_by_role("heading", name="Najbliższe wydarzenia", exact=True)
        assert top(contact) < top(events)
        assert top(contact) < 2 * PHONE_SCREEN["height"]
        assert contact.is_visible() and page.locator(f"a[href='mailto:{partnership.contact_email}']").first.is_visible()
        # Subscribe and embed come last, folded.
        tools = page.locator(".calendar-tools")
        assert top(tools) > top(page.get_by_role("heading", name="Członkowie", exact=True))
        assert not page.get_by_label("Kod do wklejenia na stronę", exact=True).is_visible()
        page.locator(".calendar-tools summary").nth(1).click()
        assert page.get_by_label("Kod do wklejenia na stronę", exact=True).is_visible()
    finally:
        page.context.close()


def test_menu_and_filters_open_with_the_keyboard_without_javascript(browser, live_server, small_network):
    page = new_page(browser, viewport=PHONE_SCREEN, java_script_enabled=False)
    try:
        visit(page, live_server, reverse("partnerships:list") + "?dzielnica=zoliborz&rodzaj=local")
        nav = page.locator("nav.main-nav")
        current = nav.locator("a[aria-current=page]")
        assert not current.is_visible()

        focus_by_tab(page, ".site-menu > summary")
        assert page.locator(".site-menu > summary").inner_text().strip() == "Menu"
        page.keyboard.press("Enter")
        assert current.is_visible() and current.inner_text() == "Partnerstwa"
        # Open, it is the main menu for a screen reader too: a named navigation with its links.
        named = page.get_by_role("navigation", name="Menu główne")
        assert named.get_by_role("link", name="Wydarzenia").is_visible()
        # The open menu lies over the page below the header, not beside the screen.
        box = nav.bounding_box()
        assert box["x"] <= 0 and box["width"] >= PHONE_SCREEN["width"] - 1
        page.keyboard.press("Enter")
        assert not current.is_visible()

        button = page.locator(".filters-panel > summary")
        assert button.inner_text().strip() == "Filtry (2)"
        focus_by_tab(page, ".filters-panel > summary")
        page.keyboard.press("Enter")
        district = page.get_by_label("Dzielnica:")
        assert district.is_visible() and district.input_value() == "zoliborz"
        district.select_option("mokotow")
        page.get_by_role("button", name="Filtruj").press("Enter")
        page.wait_for_url("**dzielnica=mokotow**")
        names = page.locator("main .card-title").all_inner_texts()
        assert "Moje Wierzbno" in names and "Sady Żoliborskie" not in names
    finally:
        page.context.close()


def test_desktop_keeps_the_menu_and_the_filters_open_in_the_page(browser, live_server, small_network):
    page = new_page(browser, viewport=DESKTOP)
    try:
        with translation.override("en"):
            in_english = reverse("partnerships:list")
        for path in (in_english, reverse("partnerships:list")):
            visit(page, live_server, path)
            # Two rows: the name, the language and the search above, every menu link in one line below.
            assert page.locator(".site-header").bounding_box()["height"] <= 120
            assert page.locator("h1").count() == 1
            links = page.locator(".main-nav a")
            assert links.count() == 6
            tops = links.evaluate_all("links => links.map(link => Math.round(link.getBoundingClientRect().top))")
            assert len(set(tops)) == 1
            search = page.locator(".site-header form[role=search]").bounding_box()
            assert search["y"] + search["height"] <= links.first.bounding_box()["y"]
        nav = page.get_by_role("navigation", name="Menu główne")
        assert nav.get_by_role("link", name="Dzielnice").is_visible()
        assert not page.locator(".site-menu > summary").is_visible()
        assert page.get_by_label("Dzielnica:").is_visible()
        assert not page.locator(".filters-panel > summary").is_visible()
    finally:
        page.context.close()


def test_phone_layout_has_no_axe_violations_with_the_menu_and_the_filters_open(
    browser, axe_source, live_server, demo_network
):
    page = new_page(browser, viewport=PHONE_SCREEN, init_script=axe_source)
    found = {}
    try:
        for name, path in (
            ("home", reverse("home")),
            ("partnerships-query", reverse("partnerships:list") + "?q=" + quote("Żoliborz")),
            ("partnership", coordinators_partnership().get_absolute_url()),
            ("agenda", reverse("events:list")),
        ):
            visit(page, live_server, path)
            if violations := run_axe(page):
                found[name] = violations
            page.locator(".site-menu > summary").click()
            page.evaluate("() => document.querySelectorAll('main details').forEach(d => { d.open = true; })")
            if violations := run_axe(page):
                found[f"{name}, opened"] = violations
    finally:
        page.context.close()

    assert not found, describe(found)
