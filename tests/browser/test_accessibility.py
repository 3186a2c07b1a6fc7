"""WCAG 2.1 AA in a real browser: axe-core on every page type, reflow at 320 px and text at 200 %."""

import pytest
from django.urls import reverse

from demo.loader import COORDINATOR_LOGIN
from partnerships.models import CoordinatorAccess

from .conftest import browser_test, describe, has_horizontal_scroll, log_in, new_page, run_axe, visit, widest_elements
from .pages import coordinator_pages, public_pages

pytestmark = browser_test

# One page of each layout for the zoom test: home, directory with filters, detail with a sidebar, long text.
ZOOM_PAGES = {"strona główna", "partnerstwa", "partnerstwo", "organizacja", "wydarzenie", "deklaracja dostępności"}


def axe_each(page, live_server, pages):
    """Open each (label, path) and run axe on it; {page: violations} for those with any."""
    found = {}
    for label, path in pages:
        status = visit(page, live_server, path)
        assert status == (404 if label == "404" else 200), (label, path, status)
        violations = run_axe(page)
        if violations:
            found[f"{label} {path}"] = violations
    return found


@pytest.mark.parametrize("language", ["pl", "en"])
def test_every_public_page_type_has_no_axe_violations(axe_page, live_server, demo_network, language):
    found = axe_each(axe_page, live_server, public_pages(language))

    assert not found, describe(found)


def test_login_and_coordinator_forms_have_no_axe_violations_also_when_showing_errors(
    axe_page, live_server, demo_network
):
    username, password = COORDINATOR_LOGIN
    partnership = CoordinatorAccess.objects.select_related("partnership").get(user__username=username).partnership
    found = {}

    visit(axe_page, live_server, reverse("account:login"))
    axe_page.locator("input[name=username]").fill(username)
    axe_page.locator("input[name=password]").fill("to-nie-jest-haslo")
    axe_page.locator("main form button[type=submit]").click()
    axe_page.wait_for_load_state()
    assert axe_page.locator(".alert-danger, .invalid-feedback").count() > 0
    if violations := run_axe(axe_page):
        found["logowanie z błędem"] = violations

    log_in(axe_page, live_server, username, password)
    found.update(axe_each(axe_page, live_server, coordinator_pages(partnership)))

    # A wrong value: the message is shown next to the field, tied to it, and the page still passes.
    visit(axe_page, live_server, reverse("coordinator:partnership_edit", kwargs={"slug": partnership.slug}))
    axe_page.locator("input[name=founded_year]").fill("1800")
    axe_page.locator("main form button[type=submit]").first.click()
    axe_page.wait_for_load_state()
    field = axe_page.locator("input[name=founded_year]")
    assert field.get_attribute("aria-invalid") == "true"
    described_by = " ".join(
        axe_page.locator(f"#{ident}").inner_text() for ident in (field.get_attribute("aria-describedby") or "").split()
    )
    assert "Rok powstania nie może być wcześniejszy niż 1990." in described_by
    if violations := run_axe(axe_page):
        found["edycja profilu z błędem"] = violations

    assert not found, describe(found)


def test_no_page_type_scrolls_sideways_at_320_pixels(narrow_page, live_server, demo_network):
    overflowing = {}
    for label, path in public_pages("pl"):
        visit(narrow_page, live_server, path)
        if has_horizontal_scroll(narrow_page):
            overflowing[f"{label} {path}"] = widest_elements(narrow_page)

    assert not overflowing, overflowing


def test_text_at_200_percent_reflows_without_sideways_scrolling(browser, live_server, demo_network):
    """WCAG 1.4.4: text doubled (the root font size, which every rem in Bootstrap follows) and the page at 200 %."""
    overflowing = {}
    text_zoom = new_page(browser)
    page_zoom = new_page(browser, viewport={"width": 640, "height": 450}, device_scale_factor=2)
    pages = [(label, path) for label, path in public_pages("pl") if label in ZOOM_PAGES]
    assert len(pages) == len(ZOOM_PAGES)
    try:
        for label, path in pages:
            visit(text_zoom, live_server, path)
            size = "() => parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)"
            normal = text_zoom.evaluate(size)
            text_zoom.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
            assert text_zoom.evaluate(size) >= 1.9 * normal, label
            if has_horizontal_scroll(text_zoom):
                overflowing[f"text 200% {label} {path}"] = widest_elements(text_zoom)
            visit(page_zoom, live_server, path)
            if has_horizontal_scroll(page_zoom):
                overflowing[f"zoom 200% {label} {path}"] = widest_elements(page_zoom)
    finally:
        text_zoom.context.close()
        page_zoom.context.close()

    assert not overflowing, overflowing
