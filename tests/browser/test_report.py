"""The year's report for the city in a real browser: no axe violations (also when the year is wrong), charts drawn
under the site's Content-Security-Policy, and a printout (or PDF) with the report alone, without the admin around it.
"""

from django.urls import reverse
from django.utils import timezone

from demo.loader import STAFF_LOGIN

from .conftest import SCREENSHOTS, browser_test, describe, log_in_to_admin, run_axe, visit

pytestmark = browser_test

ADMIN_CHROME = ["#header", "#nav-sidebar", "#toggle-nav-sidebar", ".breadcrumbs", ".report-form", ".report-actions"]


def test_report_has_no_axe_violations_and_prints_without_the_admin(axe_page, live_server, demo_network):
    page = axe_page
    log_in_to_admin(page, live_server, *STAFF_LOGIN)
    page.get_by_role("link", name="Raport roczny dla miasta").click()
    page.wait_for_load_state()
    year = timezone.localdate().year

    assert page.locator("h1").inner_text() == f"Raport roczny dla miasta – {year}"
    assert page.locator("svg.report-chart").count() == 4
    assert page.locator("svg.report-chart").first.is_visible()
    bar = page.locator("#wydarzenia-miesiace ~ .report-figure svg rect.bar-1").first
    assert bar.evaluate("rect => getComputedStyle(rect).fill") == "rgb(32, 80, 103)"  # report.css reached it
    assert page.get_by_role("img", name="Wykres słupkowy: Terminy wydarzeń według miesięcy").count() == 1
    found = {"report": run_axe(page)}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "report-1280.png"), full_page=True)

    page.emulate_media(media="print")
    for selector in ADMIN_CHROME:
        assert page.locator(selector).first.is_hidden(), selector
    assert page.locator("h1").is_visible()
    assert page.locator("#sektory ~ .report-figure table").is_visible()
    assert page.locator("#sektory ~ .report-figure svg").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "report-print.png"), full_page=True)
    assert len(page.pdf(path=str(SCREENSHOTS / "report.pdf"))) > 10_000
    page.emulate_media(media="screen")

    page.get_by_role("spinbutton", name="Rok").fill("1999")
    page.get_by_role("button", name="Pokaż raport").click()
    page.wait_for_load_state()
    assert page.get_by_text("Raport obejmuje lata 2000–2100.").is_visible()
    assert page.locator("svg.report-chart").count() == 0
    found["bad year"] = run_axe(page)

    assert not any(found.values()), describe(found)


def test_the_xlsx_link_downloads_the_years_file(page, live_server, demo_network):
    log_in_to_admin(page, live_server, *STAFF_LOGIN)
    visit(page, live_server, reverse("admin:report") + "?rok=2025")

    with page.expect_download() as download:
        page.get_by_role("link", name="Pobierz jako arkusz XLSX").click()

    assert download.value.suggested_filename == "raport-roczny-wspl-2025.xlsx"
