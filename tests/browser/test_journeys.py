"""Journeys through the site in a real browser, as the people it is for would make them.

A resident finds a partnership of Żoliborz from the home page (through the districts) and subscribes to its
calendar;
a resident switches to English and back; a coordinator updates the partnership's description and
logo and sees them on the public page; staff add an event in the admin and find it in the agenda.
"""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from PIL import Image

from demo.loader import COORDINATOR_LOGIN, STAFF_LOGIN
from partnerships.models import CoordinatorAccess, Partnership

from .conftest import browser_test, log_in, log_in_to_admin, visit

pytestmark = browser_test


def test_resident_finds_the_partnership_of_zoliborz_and_subscribes_to_its_calendar(page, live_server, small_network):
    partnership = small_network["Sady Żoliborskie"]
    event = partnership.events.get()
    visit(page, live_server, reverse("home"))

    page.get_by_role("navigation", name="Menu główne").get_by_role("link", name="Dzielnice").click()
    page.wait_for_load_state()
    page.get_by_role("main").get_by_role("link", name="Żoliborz", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Żoliborz"
    in_district = page.locator("section", has=page.get_by_role("heading", name="Partnerstwa w dzielnicy"))
    assert in_district.get_by_role("link", name="Dla Rudawki i Zatrasia").is_visible()
    in_district.get_by_role("link", name="Sady Żoliborskie", exact=True).click()
    page.wait_for_load_state()

    assert page.url == live_server.url + partnership.get_absolute_url()
    assert page.get_by_role("heading", level=1).inner_text() == "Sady Żoliborskie"
    subscribe = page.locator("section.subscribe-box")
    assert not subscribe.is_visible()  # folded at the end of the page, under its own button
    page.locator("summary", has_text="Subskrypcja kalendarza").click()
    assert subscribe.get_by_role("heading", name="Subskrybuj te wydarzenia").is_visible()
    webcal = subscribe.get_by_role("link", name="Subskrybuj w aplikacji kalendarza (iPhone, Mac, Thunderbird)")
    ics_link = subscribe.get_by_role("link", name="Plik kalendarza iCalendar (.ics)")
    ics_path = reverse("events:ical_partnership", kwargs={"slug": partnership.slug})
    assert ics_link.get_attribute("href") == ics_path
    assert webcal.get_attribute("href") == "webcal://" + live_server.url.split("://", 1)[1] + ics_path
    assert subscribe.get_by_label("Adres kalendarza do skopiowania").input_value() == live_server.url + ics_path

    feed = page.request.get(live_server.url + ics_link.get_attribute("href"))

    assert feed.status == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    calendar = feed.text()
    assert calendar.startswith("BEGIN:VCALENDAR")
    assert f"SUMMARY:{event.title}" in calendar.replace("\r\n ", "")


def test_resident_switches_to_english_and_back_on_the_same_page(page, live_server, small_network):
    partnership = small_network["Nasze Stegny"]
    polish_url = live_server.url + partnership.get_absolute_url()
    visit(page, live_server, partnership.get_absolute_url())
    assert page.locator("html").get_attribute("lang") == "pl"

    page.locator(".site-header").get_by_role("link", name="English").click()
    page.wait_for_load_state()

    assert page.url == f"{live_server.url}/en/partnerships/{partnership.slug}/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Nasze Stegny"
    assert page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Partnerships").is_visible()
    assert page.get_by_role("heading", name="Where we meet").count() + page.get_by_text("In short").count() > 0

    page.locator(".site-header").get_by_role("link", name="Polski").click()
    page.wait_for_load_state()

    assert page.url == polish_url
    assert page.locator("html").get_attribute("lang") == "pl"
    assert page.get_by_role("navigation", name="Menu główne").get_by_role("link", name="Partnerstwa").is_visible()


def test_coordinator_edits_the_description_uploads_a_logo_and_sees_both_on_the_public_page(
    page, live_server, demo_network, tmp_path
):
    username, password = COORDINATOR_LOGIN
    partnership = CoordinatorAccess.objects.select_related("partnership").get(user__username=username).partnership
    logo = tmp_path / "logo.png"
    Image.new("RGB", (320, 200), (11, 85, 99)).save(logo)
    description = "Spotykamy się co miesiąc w domu sąsiedzkim. Zapraszamy nowych sąsiadów na kawę i rozmowę."

    log_in(page, live_server, username, password)
    assert page.get_by_role("heading", level=1).inner_text() == "Moje partnerstwa"
    page.get_by_role("main").get_by_role("link", name=partnership.name, exact=True).first.click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Edytuj profil: opis, cele, obszar, kontakt, sześć warunków").click()
    page.wait_for_load_state()
    page.locator("textarea[name=description]").fill(description)
    page.get_by_role("button", name="Zapisz", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_text("Zapisano profil partnerstwa.").is_visible()

    page.get_by_role("link", name="Zmień logo i zdjęcie").click()
    page.wait_for_load_state()
    page.locator("input[name=logo_file]").set_input_files(str(logo))
    page.locator("input[name=logo_alt]").fill("Logo partnerstwa: dom i drzewo")
    page.get_by_role("button", name="Zapisz", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_text("Zapisano logo i zdjęcie.").is_visible()

    page.get_by_role("link", name="Zobacz stronę partnerstwa").click()
    page.wait_for_load_state()

    assert page.url == live_server.url + partnership.get_absolute_url()
    assert page.get_by_text(description).is_visible()
    shown = page.get_by_role("img", name="Logo partnerstwa: dom i drzewo")
    assert shown.is_visible()
    stored = Partnership.objects.get(pk=partnership.pk).logo
    assert re.fullmatch(r"/media/partnerships/logos/\w+\.png", shown.get_attribute("src")), shown.get_attribute("src")
    assert shown.get_attribute("src") == stored.url
    with Image.open(stored.path) as saved:
        assert saved.size == (320, 200)


def test_staff_add_an_event_in_the_admin_and_it_shows_in_the_agenda(page, live_server, demo_network):
    day = timezone.localdate() + timedelta(days=400)
    log_in_to_admin(page, live_server, *STAFF_LOGIN)

    visit(page, live_server, reverse("admin:events_event_add"))
    page.locator("#id_title").fill("Warsztaty o dostępnych wydarzeniach")
    page.locator("#id_slug").fill("warsztaty-o-dostepnych-wydarzeniach")
    page.locator("#id_kind").select_option("training")
    page.locator("#id_start_0").fill(day.isoformat())
    page.locator("#id_start_1").fill("17:00")
    page.locator("#id_end_0").fill(day.isoformat())
    page.locator("#id_end_1").fill("19:30")
    page.locator("#id_audience").fill("animatorzy i koordynatorzy partnerstw")
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()
    assert page.locator(".messagelist .success").count() == 1, page.locator(".errornote, .errorlist").all_inner_texts()

    visit(page, live_server, reverse("events:list"))
    page.get_by_label("Od dnia").fill(day.isoformat())
    page.get_by_label("Do dnia").fill(day.isoformat())
    page.get_by_role("button", name="Filtruj").click()
    page.wait_for_load_state()

    assert page.get_by_role("status").filter(has_text="Znaleziono").inner_text() == "Znaleziono 1 termin"
    link = page.get_by_role("link", name="Warsztaty o dostępnych wydarzeniach")
    assert link.is_visible()
    link.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Warsztaty o dostępnych wydarzeniach"
    assert page.get_by_text("17:00–19:30").first.is_visible()
