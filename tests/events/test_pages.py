"""Public pages of events: the upcoming list, the archive, their filters and one event."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from tests import factories
from tests.utils import assert_flat_query_count

pytestmark = pytest.mark.django_db

UPCOMING_URL = reverse("events:list")
ARCHIVE_URL = reverse("events:archive")
WARSAW = ZoneInfo("Europe/Warsaw")


def listed_titles(response):
    """Titles of the dates listed on the page, in order (a series appears once per date)."""
    return [occurrence.event.title for occurrence in response.context["object_list"]]


def in_days(days, hour=18):
    """A moment `days` from today at `hour` o'clock Warsaw time."""
    day = timezone.localdate() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=WARSAW)


@pytest.fixture
def calendar():
    """Upcoming and past events of two partnerships in two districts, and one of the whole network."""
    stegny = factories.partnership(name="Nasze Stegny", districts=["mokotow"])
    sady = factories.partnership(name="Sady Żoliborskie", districts=["zoliborz"])
    hidden = factories.partnership(name="Partnerstwo w przygotowaniu", districts=["wola"], is_published=False)
    house = factories.place(name="Dom Sąsiedzki Sady", district_slug="zoliborz")
    library = factories.place(name="Biblioteka na Stegnach", district_slug="mokotow")
    events = {
        "meeting": factories.event(
            title="Spotkanie partnerstwa Stegny",
            start=in_days(5),
            kind=Event.Kind.MEETING,
            place=library,
            organisers=[stegny],
        ),
        "picnic": factories.event(
            title="Piknik sąsiedzki",
            start=in_days(2),
            kind=Event.Kind.LOCAL,
            place=house,
            organisers=[stegny, sady],
        ),
        "training": factories.event(
            title="Szkolenie z animacji",
            start=in_days(9),
            kind=Event.Kind.TRAINING,
            online_url="https://spotkanie.example.org/abc",
        ),
        "draft": factories.event(title="Szkic wydarzenia", start=in_days(3), is_published=False),
        "old_meeting": factories.event(
            title="Zeszłoroczne spotkanie", start=in_days(-300), kind=Event.Kind.MEETING, organisers=[sady]
        ),
        "recent": factories.event(
            title="Wczorajsze warsztaty", start=in_days(-1), kind=Event.Kind.LOCAL, place=library
        ),
        "draft_partner": factories.event(title="Spotkanie nowego partnerstwa", start=in_days(7), organisers=[hidden]),
    }
    return {"stegny": stegny, "sady": sady, "hidden": hidden, "house": house, **events}


# --- upcoming and archive -----------------------------------------------------------------------


def test_upcoming_lists_published_events_not_yet_ended_soonest_first(client, calendar):
    response = client.get(UPCOMING_URL)

    assert response.status_code == 200
    assert listed_titles(response) == [
        "Piknik sąsiedzki",
        "Spotkanie partnerstwa Stegny",
        "Spotkanie nowego partnerstwa",
        "Szkolenie z animacji",
    ]
    assert "Szkic wydarzenia" not in response.content.decode()


def test_event_still_going_on_is_upcoming_not_archived(client):
    factories.event(title="Trwające warsztaty", start=timezone.now() - timedelta(hours=1), hours=3)

    assert listed_titles(client.get(UPCOMING_URL)) == ["Trwające warsztaty"]
    assert listed_titles(client.get(ARCHIVE_URL)) == []


def test_archive_lists_past_events_most_recent_first(client, calendar):
    response = client.get(ARCHIVE_URL)

    assert response.status_code == 200
    assert listed_titles(response) == ["Wczorajsze warsztaty", "Zeszłoroczne spotkanie"]
    assert "<h1>Archiwum wydarzeń</h1>" in response.content.decode()


def test_card_shows_date_title_kind_place_and_all_organisers(client, calendar):
    page = client.get(UPCOMING_URL).content.decode()
    picnic = calendar["picnic"]

    assert f'<a href="{picnic.get_absolute_url()}">Piknik sąsiedzki</a>' in page
    assert "wydarzenie dla mieszkańców" in page
    assert "Dom Sąsiedzki Sady" in page
    assert "Organizatorzy: Nasze Stegny, Sady Żoliborskie" in page
    assert "Organizator: Nasze Stegny" in page
    assert "Wydarzenie całej sieci WSPL" in page
    assert "Spotkanie online" in page


def test_card_date_is_in_polish_and_warsaw_time(client):
    factories.event(title="Wiosenne spotkanie", start=datetime(2026, 4, 14, 16, tzinfo=ZoneInfo("UTC")))
    factories.event(title="Dzień sąsiada", start=datetime(2026, 5, 30, 0, 0, tzinfo=WARSAW), hours=24, all_day=True)
    factories.event(title="Wyjazd studyjny", start=datetime(2026, 6, 1, 9, 0, tzinfo=WARSAW), hours=30)

    page = client.get(ARCHIVE_URL).content.decode()

    assert "wtorek, 14 kwietnia 2026, 18:00–20:00" in page
    assert "sobota, 30 maja 2026</time>" in page
    assert "sobota, 30 maja 2026, 00:00" not in page
    assert "poniedziałek, 1 czerwca 2026, 09:00</time> – " in page
    assert "wtorek, 2 czerwca 2026, 15:00" in page


def test_cancelled_event_has_a_badge_on_its_card(client, calendar):
    calendar["meeting"].status = Event.Status.CANCELLED
    calendar["meeting"].cancellation_reason = "Choroba prowadzącej."
    calendar["meeting"].save()

    page = client.get(UPCOMING_URL).content.decode()

    assert page.count('<span class="badge-warn">odwołane</span>') == 1


def test_event_of_several_partnerships_is_listed_once(client, calendar):
    response = client.get(UPCOMING_URL, {"dzielnica": "zoliborz"})

    assert listed_titles(response).count("Piknik sąsiedzki") == 1
    assert listed_titles(client.get(UPCOMING_URL)).count("Piknik sąsiedzki") == 1


def test_kind_filter_narrows_the_list(client, calendar):
    assert listed_titles(client.get(UPCOMING_URL, {"rodzaj": "meeting"})) == ["Spotkanie partnerstwa Stegny"]
    assert listed_titles(client.get(ARCHIVE_URL, {"rodzaj": "meeting"})) == ["Zeszłoroczne spotkanie"]


def test_district_filter_uses_place_or_organiser_district(client, calendar):
    # Stegny's meeting is in Mokotów by its place; the picnic by its organiser Nasze Stegny.
    response = client.get(UPCOMING_URL, {"dzielnica": "mokotow"})
    assert listed_titles(response) == ["Piknik sąsiedzki", "Spotkanie partnerstwa Stegny"]

    # The picnic is also in Żoliborz: its place is there, and so is its other organiser.
    assert listed_titles(client.get(UPCOMING_URL, {"dzielnica": "zoliborz"})) == ["Piknik sąsiedzki"]
    assert listed_titles(client.get(ARCHIVE_URL, {"dzielnica": "zoliborz"})) == ["Zeszłoroczne spotkanie"]
    assert listed_titles(client.get(UPCOMING_URL, {"dzielnica": "bemowo"})) == []


def test_partnership_filter_narrows_the_list(client, calendar):
    response = client.get(UPCOMING_URL, {"partnerstwo": calendar["sady"].slug})

    assert listed_titles(response) == ["Piknik sąsiedzki"]
    assert "Wyczyść filtry" in response.content.decode()


def test_partnership_filter_ignores_unpublished_partnerships(client, calendar):
    response = client.get(UPCOMING_URL, {"partnerstwo": calendar["hidden"].slug})
    page = response.content.decode()

    assert listed_titles(response) == []
    assert "Nie znamy takiego partnerstwa" in page
    assert f'value="{calendar["hidden"].slug}"' not in page


def test_result_count_is_announced(client, calendar):
    page = client.get(UPCOMING_URL).content.decode()
    assert 'role="status"' in page
    assert "Znaleziono 4 terminy" in page
    assert "Znaleziono 2 terminy" in client.get(ARCHIVE_URL).content.decode()
    assert "Znaleziono 1 termin" in client.get(UPCOMING_URL, {"rodzaj": "training"}).content.decode()
    assert "Znaleziono 0 terminów" in client.get(UPCOMING_URL, {"rodzaj": "seminar"}).content.decode()


@pytest.mark.parametrize("url", [UPCOMING_URL, ARCHIVE_URL])
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"rodzaj": "xyz"}, "Nie ma takiego rodzaju wydarzenia"),
        ({"dzielnica": "nowhere"}, "Nie znamy takiej dzielnicy"),
        ({"partnerstwo": "x" * 10_000}, "Nie znamy takiego partnerstwa"),
        ({"partnerstwo": "sady\x00"}, "Znaki null są niedozwolone"),
        ({"dzielnica": "wola\x00"}, "Znaki null są niedozwolone"),
    ],
)
def test_bad_filter_value_gives_a_normal_page_with_a_polish_message(client, calendar, url, params, message):
    response = client.get(url, params)
    page = response.content.decode()
    (name,) = params

    assert response.status_code == 200
    assert listed_titles(response) == []
    assert message in page
    assert f'aria-describedby="id_{name}_error"' in page


def test_html_in_filter_value_is_escaped(client, calendar):
    response = client.get(UPCOMING_URL, {"rodzaj": "<b>gruby</b>"})

    assert response.status_code == 200
    assert "<b>gruby</b>" not in response.content.decode()


@pytest.mark.parametrize("url", [UPCOMING_URL, ARCHIVE_URL])
def test_page_that_does_not_exist_is_404(client, calendar, url):
    assert client.get(url, {"page": "abc"}).status_code == 404


@pytest.mark.parametrize("url", [UPCOMING_URL, ARCHIVE_URL])
def test_a_page_past_the_end_leads_to_the_list(client, calendar, url):
    response = client.get(url, {"page": "99999"})
    assert response.status_code == 302 and response["Location"] == url


def test_upcoming_list_is_paginated(client, settings):
    for day in range(1, 26):
        factories.event(title=f"Dyżur {day:02d}", start=in_days(day))

    first = client.get(UPCOMING_URL)
    second = client.get(UPCOMING_URL, {"page": 2})

    assert len(listed_titles(first)) == settings.PAGE_SIZE
    assert listed_titles(second) == [f"Dyżur {day:02d}" for day in range(21, 26)]
    assert 'rel="next"' in first.content.decode()


def test_empty_upcoming_list_points_to_the_archive(client):
    page = client.get(UPCOMING_URL).content.decode()

    assert "Na razie nie ma zaplanowanych wydarzeń." in page
    assert f'href="{ARCHIVE_URL}"' in page


def test_upcoming_query_count_is_flat(client):
    response = assert_flat_query_count(client, lambda partnerships: UPCOMING_URL)
    assert len(response.context["object_list"]) == 20


def test_filtered_upcoming_query_count_is_flat(client):
    assert_flat_query_count(
        client,
        lambda partnerships: f"{UPCOMING_URL}?dzielnica=zoliborz&partnerstwo={partnerships[0].slug}&rodzaj=local",
    )


def test_archive_query_count_is_flat(client):
    response = assert_flat_query_count(client, lambda partnerships: ARCHIVE_URL)
    assert len(response.context["object_list"]) == 12


# --- one event -----------------------------------------------------------------------------------


def test_detail_shows_everything_about_the_event(client, calendar):
    event = calendar["picnic"]
    event.description = "Gry dla dzieci i wspólne gotowanie.\n\nPrzynieś koc!"
    event.audience = "mieszkańcy Żoliborza, rodziny z dziećmi"
    event.registration_url = "https://zapisy.example.org/piknik"
    event.online_url = "https://transmisja.example.org/piknik"
    event.save()

    response = client.get(event.get_absolute_url())
    page = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Piknik sąsiedzki</h1>" in page
    assert "wydarzenie dla mieszkańców" in page
    assert timezone.localtime(event.start).strftime("%H:%M") in page
    place_url = reverse("partnerships:place_detail", kwargs={"slug": calendar["house"].slug})
    assert f'<a href="{place_url}">Dom Sąsiedzki Sady</a>' in page
    assert "ul. Przykładowa 1" in page
    assert "dzielnica Żoliborz" in page
    assert 'href="https://transmisja.example.org/piknik"' in page
    assert f'<a href="{calendar["stegny"].get_absolute_url()}">Nasze Stegny</a>' in page
    assert f'<a href="{calendar["sady"].get_absolute_url()}">Sady Żoliborskie</a>' in page
    assert "mieszkańcy Żoliborza, rodziny z dziećmi" in page
    assert 'href="https://zapisy.example.org/piknik"' in page
    assert "<p>Gry dla dzieci i wspólne gotowanie.</p>" in page
    assert "<p>Przynieś koc!</p>" in page
    assert "cancelled-banner" not in page


def test_detail_date_is_in_polish(client):
    event = factories.event(title="Wiosenne spotkanie", start=datetime(2026, 4, 14, 18, tzinfo=WARSAW))

    page = client.get(event.get_absolute_url()).content.decode()

    assert "wtorek, 14 kwietnia 2026, 18:00–20:00" in page


def test_detail_of_network_wide_event_says_so(client, calendar):
    page = client.get(calendar["training"].get_absolute_url()).content.decode()

    assert "Wydarzenie całej sieci WSPL" in page


def test_detail_does_not_show_unpublished_organiser(client, calendar):
    page = client.get(calendar["draft_partner"].get_absolute_url()).content.decode()

    assert "Partnerstwo w przygotowaniu" not in page
    assert calendar["hidden"].get_absolute_url() not in page


def test_cancelled_event_shows_a_banner_with_the_reason(client, calendar):
    event = calendar["meeting"]
    event.status = Event.Status.CANCELLED
    event.cancellation_reason = "Sala jest zalana po awarii."
    event.registration_url = "https://zapisy.example.org/spotkanie"
    event.save()

    page = client.get(event.get_absolute_url()).content.decode()

    assert 'class="cancelled-banner' in page
    assert "To wydarzenie zostało odwołane." in page
    assert "Powód: Sala jest zalana po awarii." in page
    assert "https://zapisy.example.org/spotkanie" not in page


def test_detail_escapes_html_in_description(client):
    event = factories.event(description="<script>alert(1)</script>\nDruga linia")

    page = client.get(event.get_absolute_url()).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>Druga linia" in page


def test_detail_shows_image_with_its_alt_text(client, calendar):
    event = calendar["picnic"]
    event.image = "events/piknik.jpg"
    event.image_alt = "Dzieci grają w klasy na podwórku"
    event.save()

    page = client.get(event.get_absolute_url()).content.decode()

    assert 'src="/media/events/piknik.jpg" alt="Dzieci grają w klasy na podwórku"' in page


def test_past_event_detail_is_shown(client, calendar):
    response = client.get(calendar["old_meeting"].get_absolute_url())

    assert response.status_code == 200
    assert "Zeszłoroczne spotkanie" in response.content.decode()


def test_unknown_event_is_404(client):
    assert client.get(reverse("events:detail", kwargs={"slug": "nie-ma-takiego"})).status_code == 404


def test_unpublished_event_is_404(client, calendar):
    assert client.get(calendar["draft"].get_absolute_url()).status_code == 404


def test_detail_query_count_is_flat(client):
    def url_for(partnerships):
        return partnerships[0].events.order_by("pk").last().get_absolute_url()

    response = assert_flat_query_count(client, url_for)
    assert "Organizatorzy" in response.content.decode()
