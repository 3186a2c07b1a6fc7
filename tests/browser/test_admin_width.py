"""The back office in a real browser at a laptop's width: BORIS staff work at 1280 px with the admin's menu open.

The partnership list is the list they use most: its columns must fit beside the menu and the filters, with no
sideways scrolling of the page or of the table (Django lets the table's box scroll). The links under the inline
tables are written by Django's inlines.js from the options our template gives it
(templates/admin/edit_inline/tabular.html): they must work and read in Polish.
"""

from django.urls import reverse

from demo.loader import STAFF_LOGIN
from partnerships.models import Partnership

from .conftest import DESKTOP, browser_test, has_horizontal_scroll, log_in_to_admin, visit, widest_elements

pytestmark = browser_test


def table_overflow(page):
    """How many pixels the list's table sticks out of its box, which would then scroll sideways."""
    return page.evaluate(
        "() => { const box = document.querySelector('#changelist-form .results');"
        " return box.scrollWidth - box.clientWidth; }"
    )


def test_partnership_list_fits_1280_px_without_sideways_scrolling(page, live_server, demo_network):
    hidden = Partnership.objects.order_by("name").first()
    Partnership.objects.filter(pk=hidden.pk).update(is_published=False)
    assert page.viewport_size == DESKTOP
    log_in_to_admin(page, live_server, *STAFF_LOGIN)

    visit(page, live_server, reverse("admin:partnerships_partnership_changelist"))

    assert page.locator("#nav-sidebar").is_visible()  # the admin's menu is open, as it is by default
    assert page.locator("#changelist-filter").is_visible()
    assert page.locator("#result_list tbody tr").count() == Partnership.objects.count()
    assert not has_horizontal_scroll(page), widest_elements(page)
    assert table_overflow(page) <= 0, page.locator("#result_list thead").inner_text()
    headers = page.locator("#result_list thead th").all_inner_texts()
    assert [header.strip().lower() for header in headers[1:]] == [
        "nazwa",
        "stan",
        "członkowie",
        "dzielnice",
        "potwierdzone",
    ]
    row = page.locator("#result_list tbody tr", has=page.get_by_role("link", name=hidden.name, exact=True))
    assert "ukryte" in row.locator("td.field-status_shown").inner_text()


def test_inline_add_links_work_and_read_in_polish(page, live_server, demo_network):
    partnership = Partnership.objects.order_by("name").first()
    log_in_to_admin(page, live_server, *STAFF_LOGIN)

    visit(page, live_server, reverse("admin:partnerships_partnership_change", args=[partnership.pk]))
    team = page.locator("#team_roles-group")
    rows_before = team.locator("tbody tr.form-row:not(.empty-form)").count()
    team.get_by_role("button", name="Dodaj osobę do zespołu").click()

    assert team.locator("tbody tr.form-row:not(.empty-form)").count() == rows_before + 1
    for name in ("Dodaj organizację członkowską", "Dodaj dawną nazwę", "Dodaj konto z prawem edycji"):
        assert page.get_by_role("button", name=name).is_visible()
