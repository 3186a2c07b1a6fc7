"""The agenda: dates by day, the month calendar, series on pages, event pages, RSS/Atom, widgets, bad input."""

import json
import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlparse
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Event
from tests import factories

from .helpers import assert_flat_with_series, at, in_days, next_change, series, weekly_club_with_exceptions

pytestmark = pytest.mark.django_db

UPCOMING_URL = reverse("events:list")
ARCHIVE_URL = reverse("events:archive")
MONTH_URL = reverse("events:month_current")


def month_url(day):
    return reverse("events:month", kwargs={"year": day.year, "month": day.month})


def listed(response):
    """(title, local start) of every date listed."""
    return [
        (o.event.title, timezone.localtime(o.start).strftime("%Y-%m-%d %H:%M")) for o in response.context["object_list"]
    ]


def event_titles(response):
    """The titles of the events (of any date) that the page or feed names."""
    content = response.content.decode()
    return sorted(title for title in Event.objects.values_list("title", flat=True) if title in content)


def text_of(fragment):
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def calendar_cell(page, day):
    """The text of the month table's cell of `day`."""
    match = re.search(rf'<td[^>]*>\s*<p class="fw-bold mb-1"><time datetime="{day:%Y-%m-%d}">.*?</td>', page, re.S)
    return text_of(match.group(0)) if match else None


@pytest.fixture
def network():
    stegny = factories.partnership(name="Nasze Stegny", districts=["mokotow"])
    sady = factories.partnership(name="Sady Żoliborskie", districts=["zoliborz"])
    hidden = factories.partnership(name="Partnerstwo w przygotowaniu", districts=["wola"], is_published=False)
    house = factories.place(name="Dom Sąsiedzki Sady", district_slug="zoliborz")
    return {
        "stegny": stegny,
        "sady": sady,
        "hidden": hidden,
        "house": house,
        "picnic": factories.event(
            title="Piknik sąsiedzki", start=in_days(2), place=house, organisers=[stegny, sady, hidden]
        ),
        "general": factories.event(title="Spotkanie ogólne sieci", start=in_days(3), kind=Event.Kind.GENERAL_MEETING),
        "club": weekly_club_with_exceptions(title="Klub poniedziałkowy", organisers=[sady], place=house),
    }


# --- the agenda -------------------------------------------------------------------------------------


def test_agenda_day_headings_name_the_day_in_the_pages_language(client):
    factories.event(title="Warsztaty ceramiczne", start=at(date(2031, 4, 14)))
    factories.event(title="Piknik sąsiedzki", start=at(date(2031, 4, 15), 12))
    polish = client.get(UPCOMING_URL).content.decode()
    english = client.get("/en/events/").content.decode()

    for page, first, second in (
        (polish, "Poniedziałek, 14 kwietnia 2031", "Wtorek, 15 kwietnia 2031"),
        (english, "Monday, 14 April 2031", "Tuesday, 15 April 2031"),
    ):
        assert re.findall(r'aria-labelledby="(dzien-[\d-]+)">\s*<h3 id="(dzien-[\d-]+)"', page) == [
            ("dzien-2031-04-14", "dzien-2031-04-14"),
            ("dzien-2031-04-15", "dzien-2031-04-15"),
        ]
        assert f'<time datetime="2031-04-14">{first}</time></h3>' in page
        assert f'<time datetime="2031-04-15">{second}</time></h3>' in page


def test_agenda_lists_each_date_of_a_series_and_groups_by_day(client, network):
    response = client.get(UPCOMING_URL)
    page = response.content.decode()
    club_dates = [when for title, when in listed(response) if title == "Klub poniedziałkowy"]

    # Eight dates, one skipped: seven listed, the cancelled one among them.
    assert len(club_dates) == 7
    assert listed(response) == sorted(listed(response), key=lambda row: row[1])
    first_day = network["club"].occurrences.order_by("start").first().local_date
    heading = first_day.strftime("%Y-%m-%d")
    assert f'<h3 id="dzien-{heading}"' in page
    assert page.count('class="agenda-day') == len({when[:10] for _title, when in listed(response)})


def test_co_organised_and_network_wide_events_appear_once_with_every_public_organiser(client, network):
    response = client.get(UPCOMING_URL)
    titles = [title for title, _when in listed(response)]
    page = response.content.decode()

    assert titles.count("Piknik sąsiedzki") == 1
    assert titles.count("Spotkanie ogólne sieci") == 1
    assert "Organizatorzy: Nasze Stegny, Sady Żoliborskie" in page
    assert "Partnerstwo w przygotowaniu" not in page
    assert "Wydarzenie całej sieci WSPL" in page
    for district in ("zoliborz", "mokotow"):
        titles = [t for t, _w in listed(client.get(UPCOMING_URL, {"dzielnica": district}))]
        assert titles.count("Piknik sąsiedzki") == 1


def test_series_cards_say_how_often_and_mark_cancelled_and_moved_dates(client, network):
    page = client.get(UPCOMING_URL).content.decode()

    assert "Spotkanie cykliczne: co tydzień, w poniedziałki" in page
    assert page.count('<span class="badge-warn">odwołane</span>') == 1
    assert page.count("nowy termin") == 1


def test_cancelled_date_links_to_its_own_page_with_the_reason(client, network):
    cancelled = network["club"].occurrences.get(status="cancelled")
    url = cancelled.get_absolute_url()

    assert url == reverse("events:occurrence", kwargs={"slug": network["club"].slug, "day": cancelled.local_date})
    page = client.get(url).content.decode()
    assert "Ten termin został odwołany. Pozostałe terminy cyklu są aktualne." in page
    assert "Powód: Sala zajęta na wybory." in page


def test_date_range_filter_narrows_the_agenda(client, network):
    picnic_day = timezone.localdate(network["picnic"].start)

    response = client.get(UPCOMING_URL, {"od": picnic_day.isoformat(), "do": picnic_day.isoformat()})

    assert [title for title, _when in listed(response)] == ["Piknik sąsiedzki"]
    assert "Znaleziono 1 termin" in response.content.decode()


def test_filters_are_kept_across_pagination(client, network):
    for day in range(1, 26):
        factories.event(title=f"Dyżur {day:02d}", start=in_days(day, hour=10), organisers=[network["stegny"]])

    first = client.get(UPCOMING_URL, {"partnerstwo": network["stegny"].slug, "rodzaj": "local"})
    next_link = re.search(r'href="([^"]+)" rel="next"', first.content.decode()).group(1).replace("&amp;", "&")
    second = client.get(UPCOMING_URL + next_link if next_link.startswith("?") else next_link)

    query = parse_qs(urlparse(next_link).query)
    assert query.keys() == {"partnerstwo", "rodzaj", "po"}  # the filters, and the row the next page comes after
    assert (query["partnerstwo"], query["rodzaj"]) == ([network["stegny"].slug], ["local"])
    assert {title for title, _w in listed(second)} <= {f"Dyżur {d:02d}" for d in range(1, 26)} | {"Piknik sąsiedzki"}
    assert len(listed(first)) + len(listed(second)) == 26


def test_agenda_offers_to_subscribe_to_the_filtered_events(client, network):
    page = client.get(UPCOMING_URL, {"dzielnica": "zoliborz", "rodzaj": "local"}).content.decode()

    assert "Subskrybuj te wydarzenia" in page
    assert 'href="webcal://testserver/wydarzenia/wydarzenia.ics?rodzaj=local&amp;dzielnica=zoliborz"' in page
    assert "calendar.google.com/calendar/render?cid=webcal" in page
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Wydarzenia WSPL (RSS)" '
        'href="/wydarzenia/rss/?rodzaj=local&amp;dzielnica=zoliborz">' in page
    )
    assert '<link rel="alternate" type="application/atom+xml"' in page


def test_archive_lists_past_dates_of_series_too(client):
    past_series = series(title="Dawny klub", start=in_days(-20), rule="FREQ=WEEKLY;COUNT=5")

    response = client.get(ARCHIVE_URL)

    assert [t for t, _w in listed(response)].count("Dawny klub") == 3
    assert past_series.occurrences.count() == 5


@pytest.mark.parametrize("url", [UPCOMING_URL, ARCHIVE_URL])
@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"od": "2026-13-45"}, "od", "Podaj datę w postaci RRRR-MM-DD"),
        ({"od": "99999-01-01"}, "od", "Podaj datę w postaci RRRR-MM-DD"),
        ({"do": "0001-01-01"}, "do", "Podaj datę od 2000 roku."),
        ({"od": "2027-05-10", "do": "2027-05-01"}, "do", "Data końcowa jest wcześniejsza niż początkowa"),
        ({"od": "\x00"}, "od", "Podaj datę w postaci RRRR-MM-DD"),
        ({"do": "x" * 10_000}, "do", "Podaj datę w postaci RRRR-MM-DD"),
        ({"dzielnica": "atlantyda"}, "dzielnica", "Nie znamy takiej dzielnicy"),
        ({"rodzaj": "\x00koncert"}, "rodzaj", "Nie ma takiego rodzaju wydarzenia"),
    ],
)
def test_bad_agenda_input_gives_a_normal_page_with_a_polish_message(client, network, url, params, field, message):
    response = client.get(url, params)
    page = response.content.decode()

    assert response.status_code == 200
    assert listed(response) == []
    assert message in page
    assert f'aria-describedby="id_{field}_error"' in page


# --- the month calendar -----------------------------------------------------------------------------


def test_month_calendar_is_an_accessible_table_with_today_marked(client, network):
    response = client.get(MONTH_URL)
    page = response.content.decode()
    today = timezone.localdate()

    assert response.status_code == 200
    assert "<h1>Kalendarz wydarzeń</h1>" in page
    assert '<table class="table table-bordered month-calendar" aria-labelledby="miesiac">' in page
    assert '<caption class="visually-hidden">' in page
    assert page.count('<th scope="col"><abbr title=') == 7
    assert '<abbr title="poniedziałek">pon.</abbr>' in page
    assert re.search(rf'aria-current="date">\s*<p class="fw-bold mb-1"><time datetime="{today:%Y-%m-%d}">', page)
    assert "<script" not in page


def test_month_calendar_shows_dates_in_their_cells(client, network):
    picnic_day = timezone.localdate(network["picnic"].start)

    page = client.get(month_url(picnic_day)).content.decode()

    assert "Piknik sąsiedzki" in calendar_cell(page, picnic_day)
    assert "18:00" in calendar_cell(page, picnic_day)


def test_month_calendar_keeps_series_at_six_pm_across_the_october_change(client):
    change = next_change(10)
    series(title="Klub jesienny", start=at(change - timedelta(days=6)), rule="FREQ=WEEKLY;COUNT=3")

    for day in (change - timedelta(days=6), change + timedelta(days=1), change + timedelta(days=8)):
        page = client.get(month_url(day)).content.decode()
        assert "18:00 Klub jesienny" in calendar_cell(page, day), day


def test_month_calendar_shows_a_few_per_day_and_links_to_the_rest(client):
    day = timezone.localdate() + timedelta(days=10)
    for hour in range(8, 15):
        factories.event(title=f"Warsztat o {hour}", start=at(day, hour))

    page = client.get(month_url(day)).content.decode()
    cell = calendar_cell(page, day)

    assert cell.count("Warsztat o") == 4
    assert "Więcej wydarzeń tego dnia: 3" in cell
    assert f'href="/wydarzenia/?od={day:%Y-%m-%d}&amp;do={day:%Y-%m-%d}"' in page


def test_month_navigation_keeps_the_filters(client, network):
    day = timezone.localdate()
    page = client.get(month_url(day), {"dzielnica": "zoliborz", "rodzaj": "local"}).content.decode()

    following = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    expected = f'href="{month_url(following)}?rodzaj=local&amp;dzielnica=zoliborz" rel="next"'
    assert expected in page
    assert 'rel="prev"' in page
    assert f'href="{UPCOMING_URL}?rodzaj=local&amp;dzielnica=zoliborz"' in page


def test_month_picker_redirects_to_the_month_and_keeps_the_filters(client, network):
    response = client.get(MONTH_URL, {"miesiac": "4", "rok": "2027", "dzielnica": "zoliborz"})

    assert response.status_code == 302
    assert response["Location"] == reverse("events:month", kwargs={"year": 2027, "month": 4}) + "?dzielnica=zoliborz"


@pytest.mark.parametrize(("year", "month"), [(2026, 13), (2026, 0), (99999, 1), (1999, 12), (2101, 1)])
def test_month_outside_the_calendar_is_404(client, year, month):
    assert client.get(f"/wydarzenia/kalendarz/{year}/{month}/").status_code == 404


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"miesiac": "13"}, "Nie ma takiego miesiąca"),
        ({"rok": "99999"}, "Kalendarz kończy się na 2100 roku."),
        ({"rok": "abc"}, "Rok to liczba"),
        ({"rok": "\x00"}, "Rok to liczba"),
        ({"dzielnica": "atlantyda"}, "Nie znamy takiej dzielnicy"),
        ({"partnerstwo": "y" * 10_000}, "Nie znamy takiego partnerstwa"),
    ],
)
def test_bad_month_calendar_input_gives_a_normal_page(client, network, params, message):
    response = client.get(MONTH_URL, params)
    page = response.content.decode()

    assert response.status_code == 200
    assert message in page
    assert "Piknik sąsiedzki" not in page


def test_unknown_parameters_and_long_query_strings_are_ignored(client, network):
    factories.event(title="Zebranie z zeszłego tygodnia", start=in_days(-7), organisers=[network["sady"]])
    for url in (UPCOMING_URL, ARCHIVE_URL, MONTH_URL, reverse("events:rss")):
        plain = client.get(url)
        response = client.get(url, {"x": "\x00" * 3, "zzz": "y" * 10_000})
        assert response.status_code == 200, url
        # The same events, as if the parameters were not there.
        assert event_titles(response) == event_titles(plain), url
        assert event_titles(plain), url


# --- one event --------------------------------------------------------------------------------------


def test_series_page_lists_its_next_dates_with_their_state(client, network):
    club = network["club"]
    page = client.get(club.get_absolute_url()).content.decode()

    assert '<h2 id="terminy">Terminy cyklu</h2>' in page
    assert "To spotkanie odbywa się regularnie: co tydzień, w poniedziałki." in page
    section = page.split('id="terminy"')[1].split("</section>")[0]
    assert section.count("<li") == 7
    assert section.count("odwołane") == 1
    assert section.count("nowy termin") == 1


def test_moved_date_page_says_when_it_would_have_been(client, network):
    moved = network["club"].occurrences.get(moved=True)

    page = client.get(moved.get_absolute_url()).content.decode()

    assert "Ten termin został przeniesiony." in page
    assert timezone.localtime(moved.original_start).strftime("%H:%M") == "18:00"
    assert "17:00–19:00" in page


def test_date_page_of_a_day_without_a_date_is_404(client, network):
    club = network["club"]
    skipped = club.occurrences.get(status="skipped")
    skipped_url = reverse("events:occurrence", kwargs={"slug": club.slug, "day": skipped.local_date})
    assert client.get(skipped_url).status_code == 404
    assert client.get(f"{club.get_absolute_url()}2027-02-30/").status_code == 404
    picnic = network["picnic"]
    assert (
        client.get(
            reverse("events:occurrence", kwargs={"slug": picnic.slug, "day": timezone.localdate(picnic.start)})
        ).status_code
        == 404
    )


def test_series_page_in_october_shows_six_pm_after_the_change(client):
    change = next_change(10)
    club = series(title="Klub jesienny", start=at(change - timedelta(days=6)), rule="FREQ=WEEKLY;COUNT=3")
    after = club.occurrences.order_by("start")[1]

    page = client.get(after.get_absolute_url()).content.decode()
    day = after.local_date

    weekday = ["poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota", "niedziela"][day.weekday()]
    months = ["stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września",
              "października", "listopada", "grudnia"]  # fmt: skip
    assert f"{weekday}, {day.day} {months[day.month - 1]} {day.year}, 18:00–20:00" in page


def test_event_page_has_json_ld_that_cannot_break_out_of_its_script(client, network):
    picnic = network["picnic"]
    picnic.title = 'Piknik </script><script>alert("x")</script>'
    picnic.save()

    page = client.get(picnic.get_absolute_url()).content.decode()
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    data = json.loads(raw)

    assert "</script><script>" not in page
    assert data["@type"] == "Event"
    assert data["name"] == picnic.title
    assert data["startDate"] == timezone.localtime(picnic.start).isoformat()
    assert data["startDate"].endswith(("+01:00", "+02:00"))
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"]["address"]["streetAddress"] == "ul. Przykładowa 1"
    assert data["location"]["geo"]["latitude"] == 52.27
    assert [o["name"] for o in data["organizer"]] == ["Nasze Stegny", "Sady Żoliborskie"]


def test_json_ld_of_a_cancelled_date_and_of_an_online_network_event(client, network):
    cancelled = network["club"].occurrences.get(status="cancelled")
    page = client.get(cancelled.get_absolute_url()).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["eventStatus"] == "https://schema.org/EventCancelled"

    online = factories.event(title="Webinar", online_url="https://spotkanie.example.org/x")
    page = client.get(online.get_absolute_url()).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["organizer"]["name"] == "Warszawska Sieć Partnerstw Lokalnych"


def test_event_page_offers_add_to_calendar_links(client, network):
    page = client.get(network["picnic"].get_absolute_url()).content.decode()
    links = dict(re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', page)[::-1])
    by_text = {text: href.replace("&amp;", "&") for href, text in links.items()}

    assert by_text["Pobierz plik kalendarza (.ics)"] == reverse(
        "events:ical_event", kwargs={"slug": network["picnic"].slug}
    )
    google = urlparse(by_text["Dodaj do Kalendarza Google"])
    query = parse_qs(google.query)
    start = timezone.localtime(network["picnic"].start)
    assert google.netloc == "calendar.google.com"
    assert query["text"] == ["Piknik sąsiedzki"]
    assert query["dates"] == [f"{start:%Y%m%dT%H%M%S}/{start + timedelta(hours=2):%Y%m%dT%H%M%S}"]
    assert query["ctz"] == ["Europe/Warsaw"]
    outlook = parse_qs(urlparse(by_text["Dodaj do Outlook.com"]).query)
    assert outlook["startdt"] == [start.isoformat()]
    assert outlook["subject"] == ["Piknik sąsiedzki"]
    assert "Jak to zrobić?" in page


def test_google_link_of_a_series_carries_its_rule(client, network):
    page = client.get(network["club"].get_absolute_url()).content.decode()
    href = re.search(r'<a href="([^"]+)"[^>]*>Dodaj cały cykl do Kalendarza Google</a>', page).group(1)

    assert parse_qs(urlparse(href.replace("&amp;", "&")).query)["recur"] == ["RRULE:FREQ=WEEKLY;COUNT=8;BYDAY=MO"]


# --- RSS and Atom -----------------------------------------------------------------------------------


def test_rss_lists_upcoming_dates_with_filters(client, network):
    response = client.get(reverse("events:rss"), {"dzielnica": "zoliborz"})
    root = ElementTree.fromstring(response.content)
    titles = [item.findtext("title") for item in root.iter("item")]

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    assert sum(t.startswith("Klub poniedziałkowy") for t in titles) == 6
    assert sum(t.startswith("ODWOŁANE: Klub poniedziałkowy") for t in titles) == 1
    assert any(t.startswith("Piknik sąsiedzki") for t in titles)
    assert not any(t.startswith("Spotkanie ogólne sieci") for t in titles)
    guids = [item.findtext("guid") for item in root.iter("item")]
    assert len(set(guids)) == len(guids)
    assert "Partnerstwo w przygotowaniu" not in response.content.decode()


def test_atom_feed_is_valid_xml_with_entries(client, network):
    response = client.get(reverse("events:atom"))
    root = ElementTree.fromstring(response.content)
    entries = root.findall("{http://www.w3.org/2005/Atom}entry")

    assert response["Content-Type"].startswith("application/atom+xml")
    assert len(entries) == 9


def test_rss_with_unknown_filter_is_404(client):
    assert client.get(reverse("events:rss"), {"dzielnica": "atlantyda"}).status_code == 404
    assert client.get(reverse("events:atom"), {"partnerstwo": "\x00"}).status_code == 404


# --- widgets and framing ----------------------------------------------------------------------------


def test_partnership_widget_can_be_framed_and_has_no_site_chrome(client, network):
    url = reverse("events:widget_partnership", kwargs={"slug": network["sady"].slug})
    response = client.get(url)
    page = response.content.decode()

    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    assert "Najbliższe wydarzenia: Sady Żoliborskie" in page
    assert page.count("<h1>") == 1
    assert "Piknik sąsiedzki" in page and "Klub poniedziałkowy" in page
    assert "Spotkanie ogólne sieci" not in page
    assert "<script" not in page
    assert "site-header" not in page and "<nav" not in page
    assert 'target="_blank" rel="noopener"' in page


def test_district_widget_and_its_limit(client, network):
    url = reverse("events:widget_district", kwargs={"slug": "zoliborz"})

    page = client.get(url, {"liczba": "2"}).content.decode()
    assert page.count("<li>") == 2
    assert client.get(url, {"liczba": "abc\x00"}).status_code == 200
    assert client.get(url, {"liczba": "99999"}).content.decode().count("<li>") == 5


def test_widget_of_unknown_or_unpublished_owner_is_404(client, network):
    assert client.get(reverse("events:widget_partnership", kwargs={"slug": network["hidden"].slug})).status_code == 404
    assert client.get(reverse("events:widget_district", kwargs={"slug": "atlantyda"})).status_code == 404


@pytest.mark.parametrize(
    "url",
    [UPCOMING_URL, ARCHIVE_URL, MONTH_URL, reverse("events:subscribe_help"), reverse("home")],
)
def test_other_pages_refuse_to_be_framed(client, network, url):
    assert client.get(url)["X-Frame-Options"] == "DENY"


def test_event_page_refuses_to_be_framed(client, network):
    assert client.get(network["picnic"].get_absolute_url())["X-Frame-Options"] == "DENY"


def test_partnership_page_has_subscribe_links_and_an_embed_snippet(client, network):
    sady = network["sady"]
    page = client.get(sady.get_absolute_url()).content.decode()
    widget = reverse("events:widget_partnership", kwargs={"slug": sady.slug})
    ical = reverse("events:ical_partnership", kwargs={"slug": sady.slug})

    assert f'href="webcal://testserver{ical}"' in page
    assert f'&lt;iframe src="http://testserver{widget}" title="Wydarzenia: Sady Żoliborskie"' in page
    assert '<label class="form-label small" for="kod-widzetu">' in page


def test_district_page_has_subscribe_links(client, network):
    page = client.get(reverse("partnerships:district_detail", kwargs={"slug": "zoliborz"})).content.decode()

    assert 'href="webcal://testserver/wydarzenia/dzielnica/zoliborz.ics"' in page
    assert "/wydarzenia/widzet/dzielnica/zoliborz/" in page


def test_subscribe_help_explains_in_polish(client):
    response = client.get(reverse("events:subscribe_help"))
    page = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Jak subskrybować kalendarz wydarzeń</h1>" in page
    assert "Z adresu URL" in page and "Subskrybuj z sieci Web" in page
    assert 'value="http://testserver/wydarzenia/wydarzenia.ics"' in page


# --- home: the week ahead ---------------------------------------------------------------------------


def test_home_shows_the_week_ahead_by_day_with_series_dates(client, network):
    page = client.get(reverse("home")).content.decode()
    section = page.split('id="wydarzenia-naglowek"')[1].split("</section>")[0]

    assert "Wydarzenia w najbliższych 7 dniach:" in section
    assert "Klub poniedziałkowy" in section
    assert '<ul class="list-unstyled week-ahead">' in section
    assert '<link rel="alternate" type="application/rss+xml"' in page


# --- query counts at two sizes, series included -----------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        UPCOMING_URL,
        ARCHIVE_URL,
        MONTH_URL,
        f"{UPCOMING_URL}?dzielnica=zoliborz&rodzaj=local&od=2020-01-01&do=2099-12-31",
        f"{MONTH_URL}?dzielnica=mokotow",
        reverse("events:rss"),
        reverse("events:atom") + "?dzielnica=zoliborz",
        reverse("events:widget_district", kwargs={"slug": "zoliborz"}),
        reverse("events:subscribe_help"),
        reverse("home"),
    ],
)
def test_agenda_pages_query_count_is_flat_with_series(client, url):
    assert_flat_with_series(client, lambda partnerships: url)


def test_partnership_filtered_agenda_and_widget_query_count_is_flat(client):
    assert_flat_with_series(client, lambda ps: f"{UPCOMING_URL}?partnerstwo={ps[0].slug}")
    assert_flat_with_series(client, lambda ps: reverse("events:widget_partnership", kwargs={"slug": ps[0].slug}))


def test_series_detail_and_date_page_query_count_is_flat(client):
    def series_of(partnerships):
        return Event.objects.filter(organisers=partnerships[0], recurrence__startswith="FREQ=WEEKLY").first()

    assert_flat_with_series(client, lambda ps: series_of(ps).get_absolute_url())
    assert_flat_with_series(client, lambda ps: series_of(ps).occurrences.order_by("start").last().get_absolute_url())


def test_month_calendar_has_the_events_of_the_bigger_network(client):
    response = assert_flat_with_series(client, lambda partnerships: MONTH_URL)
    assert response.context["month_total"] > 12


def test_cancelling_a_date_via_the_service_shows_on_the_agenda(client, network):
    last = network["club"].occurrences.order_by("start").last()
    services.cancel_occurrence(occurrence=last, reason="Ferie zimowe.")

    page = client.get(UPCOMING_URL).content.decode()

    assert page.count('<span class="badge-warn">odwołane</span>') == 2


# --- page structure ---------------------------------------------------------------------------------


def heading_levels(page):
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", page)]


@pytest.mark.parametrize(
    "url_for",
    [
        lambda n: UPCOMING_URL,
        lambda n: ARCHIVE_URL,
        lambda n: MONTH_URL,
        lambda n: reverse("events:subscribe_help"),
        lambda n: n["club"].get_absolute_url(),
        lambda n: n["club"].occurrences.get(status="cancelled").get_absolute_url(),
        lambda n: n["picnic"].get_absolute_url(),
        lambda n: reverse("events:widget_partnership", kwargs={"slug": n["sady"].slug}),
        lambda n: n["sady"].get_absolute_url(),
        lambda n: reverse("partnerships:district_detail", kwargs={"slug": "zoliborz"}),
        lambda n: reverse("home"),
    ],
)
def test_pages_have_one_h1_and_headings_in_order(client, network, url_for):
    page = client.get(url_for(network)).content.decode()
    levels = heading_levels(page)

    assert levels.count(1) == 1, levels
    assert levels[0] == 1, levels
    for previous, current in zip(levels, levels[1:], strict=False):
        assert current <= previous + 1, f"heading skips a level: {levels}"


def test_partnership_page_shows_a_series_once_with_its_next_date(client, network):
    club = network["club"]
    next_date = club.occurrences.filter(status="scheduled", moved=False).order_by("start").first()

    page = client.get(network["sady"].get_absolute_url()).content.decode()
    section = page.split('id="wydarzenia"')[1].split("</section>")[0]

    assert section.count(">Klub poniedziałkowy</a>") == 1
    assert "Spotkanie cykliczne: co tydzień, w poniedziałki" in section
    assert f'<time datetime="{timezone.localtime(next_date.start).isoformat()}">' in section


# --- counts that agree -------------------------------------------------------------------------


def options(page, name):
    """{option text} of the <select name=…> of a page."""
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
    return {text_of(option) for option in re.findall(r"<option[^>]*>(.*?)</option>", select, re.S)}


def test_home_figure_and_agenda_count_the_same_dates(client, network):
    agenda = client.get(UPCOMING_URL).content.decode()
    home = client.get(reverse("home")).content.decode()

    total = len(listed(client.get(UPCOMING_URL)))
    assert f"Znaleziono {total} terminów" in agenda or f"Znaleziono {total} terminy" in agenda
    figure = re.search(r"<dt>Nadchodzące terminy wydarzeń</dt>\s*<dd>(.*?)</dd>", home, re.S).group(1)
    assert text_of(figure) == str(total)


def test_agenda_and_calendar_filters_show_how_many_dates_each_choice_lists(client, network):
    agenda = client.get(UPCOMING_URL).content.decode()
    calendar = client.get(month_url(in_days(3))).content.decode()
    far_month = client.get(month_url(in_days(400))).content.decode()
    archive = client.get(ARCHIVE_URL).content.decode()

    upcoming_club = len(listed(client.get(UPCOMING_URL, {"partnerstwo": "sady-zoliborskie"})))
    assert f"Sady Żoliborskie ({upcoming_club})" in options(agenda, "partnerstwo")
    assert "Nasze Stegny (1)" in options(agenda, "partnerstwo")
    assert "spotkanie ogólne WSPL (1)" in options(agenda, "rodzaj")
    assert "Mokotów (1)" in options(agenda, "dzielnica")  # the picnic: organised by Stegny, working there
    assert "Wola (0)" in options(agenda, "dzielnica")  # its partnership is not published
    assert "Partnerstwo w przygotowaniu" not in agenda
    assert "spotkanie ogólne WSPL (1)" in options(calendar, "rodzaj")
    assert "spotkanie ogólne WSPL (0)" in options(far_month, "rodzaj")  # a month counts its own dates only
    assert "spotkanie ogólne WSPL (0)" in options(archive, "rodzaj")


def test_a_filtered_feed_names_its_filter_in_its_title(client, network):
    rss = ElementTree.fromstring(
        client.get(reverse("events:rss"), {"dzielnica": "zoliborz", "rodzaj": "local"}).content
    )
    atom = ElementTree.fromstring(client.get(reverse("events:atom"), {"partnerstwo": "nasze-stegny"}).content)
    whole = ElementTree.fromstring(client.get(reverse("events:rss")).content)

    assert rss.findtext("channel/title") == (
        "Nadchodzące wydarzenia: Żoliborz, wydarzenie dla mieszkańców – Warszawska Sieć Partnerstw Lokalnych"
    )
    assert atom.findtext("{http://www.w3.org/2005/Atom}title") == (
        "Nadchodzące wydarzenia: Nasze Stegny – Warszawska Sieć Partnerstw Lokalnych"
    )
    assert whole.findtext("channel/title") == "Nadchodzące wydarzenia – Warszawska Sieć Partnerstw Lokalnych"
