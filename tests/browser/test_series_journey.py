"""A coordinator on a phone makes a series every other Thursday, eight times, and cancels one date with a reason;
residents see it on the event's page. Every new page passes axe and does not scroll sideways at 375 px."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from demo.loader import COORDINATOR_LOGIN
from events.models import Event
from partnerships.models import CoordinatorAccess

from .conftest import (
    PHONE,
    SCREENSHOTS,
    browser_test,
    describe,
    has_horizontal_scroll,
    log_in,
    new_page,
    run_axe,
    visit,
    widest_elements,
)

pytestmark = browser_test


def check_page(page, label, found):
    """axe and reflow of the page shown now, noted in `found` under `label`."""
    if violations := run_axe(page):
        found[label] = violations
    assert not has_horizontal_scroll(page), (label, widest_elements(page))


def test_coordinator_makes_a_fortnightly_series_on_a_phone_and_cancels_one_date(
    browser, axe_source, live_server, demo_network
):
    username, password = COORDINATOR_LOGIN
    partnership = CoordinatorAccess.objects.select_related("partnership").get(user__username=username).partnership
    place = partnership.places.order_by("pk").first()
    today = timezone.localdate()
    first = today + timedelta(days=(3 - today.weekday()) % 7 + 7)  # a Thursday at least a week away
    page = new_page(browser, viewport=PHONE, init_script=axe_source)
    found = {}
    try:
        log_in(page, live_server, username, password)
        visit(page, live_server, reverse("coordinator:event_add", kwargs={"slug": partnership.slug}))
        page.get_by_label("Tytuł").fill("Kawiarenka językowa")
        page.get_by_label("Dzień rozpoczęcia").fill(first.isoformat())
        page.get_by_label("Godzina rozpoczęcia").fill("18:00")
        page.get_by_label("Dzień zakończenia").fill(first.isoformat())
        page.get_by_label("Godzina zakończenia").fill("20:00")
        page.get_by_label("Powtarzanie").select_option(label="co dwa tygodnie, w ten sam dzień tygodnia")
        page.get_by_label("Liczba terminów").fill("8")
        page.locator("select[name=place]").select_option(str(place.pk))
        check_page(page, "nowe wydarzenie z powtarzaniem", found)
        page.get_by_role("button", name="Opublikuj").click()
        page.wait_for_load_state()

        event = Event.objects.get(title="Kawiarenka językowa")
        last = date_format(first + timedelta(weeks=14), "j E Y")
        summary = f"Cykl: co drugi tydzień, w czwartki, 8 razy, do {last}."
        assert page.get_by_role("heading", level=1).inner_text() == "Terminy cyklu: Kawiarenka językowa"
        assert page.get_by_text(summary).count() >= 1
        check_page(page, "terminy cyklu", found)

        third = event.occurrences.order_by("start")[2]
        when = date_format(timezone.localtime(third.start), "j E Y, H:i")
        page.get_by_role("link", name=f"Odwołaj termin {when}").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).inner_text() == f"Odwołaj termin {when}"
        check_page(page, "odwołanie terminu", found)
        page.get_by_label("Powód").fill("choroba prowadzącej")
        page.get_by_role("button", name="Odwołaj ten termin").click()
        page.wait_for_load_state()
        item = page.locator(f"#termin-{third.pk}")
        assert "odwołany" in item.inner_text() and "choroba prowadzącej" in item.inner_text()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "series-dates-375.png"), full_page=True, animations="disabled")

        visit(page, live_server, reverse("coordinator:event_edit", kwargs={"slug": partnership.slug, "pk": event.pk}))
        assert page.get_by_text(summary.replace("Cykl: ", "Teraz: ")).is_visible()
        assert "FREQ" not in page.content() and "RRULE" not in page.content()
        check_page(page, "edycja cyklu", found)

        visit(page, live_server, event.get_absolute_url())
        dates = page.locator("ul.series-dates")
        assert dates.get_by_text("odwołane").count() == 1
        assert "odwołane: choroba prowadzącej" in dates.inner_text()
        check_page(page, "strona wydarzenia", found)
        page.screenshot(path=str(SCREENSHOTS / "series-cancelled-date-375.png"), full_page=True, animations="disabled")
    finally:
        page.context.close()

    assert not found, describe(found)
