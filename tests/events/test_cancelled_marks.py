"""A cancelled or moved date of a series is marked next to the event on every page and feed that lists it.

The resident's case: "Poniedziałkowy klub sąsiedzki" meets every Monday; one Monday is cancelled (or moved).
Lists of dates (home, agenda, month, widget, feeds) and lists of events by their next date (a partnership's,
a district's and a place's page, „Co jest blisko mnie?”) must say so alike: "odwołane" / "nowy termin" on
the page, ODWOŁANE / nowy termin in the feeds' titles, STATUS:CANCELLED or the moved time in iCal, and
EventCancelled / EventRescheduled in the event page's JSON-LD.
"""

import json
import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.ical import event_uid
from events.models import Event, Occurrence
from tests import factories
from tests.events.helpers import UTC, at, expand, parse, series

pytestmark = pytest.mark.django_db

CANCELLED = '<span class="badge-warn">odwołane</span>'
MOVED = '<span class="badge-soft">nowy termin</span>'
ATOM = "{http://www.w3.org/2005/Atom}"
SCHEMA = "https://schema.org/"


def next_monday():
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday())


@pytest.fixture
def club():
    """A weekly series of a partnership working on Żoliborz, held in a place there: eight Mondays from next week."""
    place = factories.place(name="Dom Sąsiedzki na Sadach", district_slug="zoliborz")
    partnership = factories.partnership(name="Sady Razem", districts=["zoliborz"])
    partnership.places.add(place)
    event = series(
        title="Poniedziałkowy klub sąsiedzki",
        start=at(next_monday()),
        rule="FREQ=WEEKLY;BYDAY=MO;COUNT=8",
        organisers=[partnership],
        place=place,
        kind=Event.Kind.LOCAL,
    )
    return event


def first_date(event):
    return event.occurrences.order_by("start").first()


def cancel_next(event):
    return services.cancel_occurrence(occurrence=first_date(event), reason="Sala zajęta na wybory.")


def move_next(event):
    occurrence = first_date(event)
    return services.move_occurrence(occurrence=occurrence, start=occurrence.start + timedelta(days=1, hours=-1))


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def card(page, href):
    """The one event card on the page that links to `href`."""
    found = re.findall(r'<article class="card event-card.*?</article>', page, re.S)
    cards = [c for c in found if f'href="{href}"' in c]
    assert len(cards) == 1, (href, cards)
    return cards[0]


def list_item(page, href):
    """The one <li> (a date in the month grid's table, or in the widget) whose link goes to `href`."""
    items = [item for item in re.findall(r"<li[ >].*?</li>", page, re.S) if f'href="{href}"' in item]
    assert items, href
    return items


def shown(occurrence):
    """How a card writes the date's start: <time datetime="…">."""
    return f'datetime="{timezone.localtime(occurrence.start).isoformat()}"'


def event_pages(event):
    """The pages that list events with their next date (Event.objects.upcoming() and the shared card)."""
    place = event.place
    partnership = event.organisers.get()
    return {
        "partnership": reverse("partnerships:detail", kwargs={"slug": partnership.slug}),
        "district": reverse("partnerships:district_detail", kwargs={"slug": place.district.slug}),
        "place": reverse("partnerships:place_detail", kwargs={"slug": place.slug}),
        "nearby": reverse("nearby") + f"?dzielnica={place.district.slug}",
    }


def date_pages():
    """The pages that list dates, one card per date."""
    return {"home": reverse("home"), "agenda": reverse("events:list")}


def month_url(occurrence):
    day = occurrence.local_date
    return reverse("events:month", kwargs={"year": day.year, "month": day.month})


def widget_urls(event):
    partnership, district = event.organisers.get(), event.place.district
    return [
        reverse("events:widget_partnership", kwargs={"slug": partnership.slug}),
        reverse("events:widget_district", kwargs={"slug": district.slug}),
    ]


def feed_titles(client, occurrence):
    """{"rss": title, "atom": title} of the feeds' item of this date."""
    partnership = occurrence.event.organisers.get()
    params = {"partnerstwo": partnership.slug}
    href = occurrence.get_absolute_url()
    rss = ElementTree.fromstring(client.get(reverse("events:rss"), params).content)
    atom = ElementTree.fromstring(client.get(reverse("events:atom"), params).content)
    rss_titles = [item.findtext("title") for item in rss.iter("item") if item.findtext("link").endswith(href)]
    atom_titles = [
        entry.findtext(f"{ATOM}title")
        for entry in atom.iter(f"{ATOM}entry")
        if entry.find(f"{ATOM}link").get("href").endswith(href)
    ]
    assert len(rss_titles) == len(atom_titles) == 1, (rss_titles, atom_titles)
    return {"rss": rss_titles[0], "atom": atom_titles[0]}


def ical_dates(client, event):
    """The event's dates as a calendar client reads them from the partnership's feed and the event's .ics:
    {feed: {original start in UTC: (start in UTC, STATUS)}}."""
    uid = event_uid(event)
    feeds = {
        "partnership feed": reverse("events:ical_partnership", kwargs={"slug": event.organisers.get().slug}),
        "event file": reverse("events:ical_event", kwargs={"slug": event.slug}),
    }
    found = {}
    for name, url in feeds.items():
        dates = expand(parse(client.get(url)))
        found[name] = {original: (start, status) for (u, original), (start, _end, status) in dates.items() if u == uid}
    return found


def json_ld(page):
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


def test_a_cancelled_next_date_is_marked_on_every_page_and_feed(client, club):
    cancelled = cancel_next(club)
    event_url, date_url = club.get_absolute_url(), cancelled.get_absolute_url()

    for name, url in event_pages(club).items():
        found = card(html(client, url), event_url)
        assert CANCELLED in found, name
        assert shown(cancelled) in found, name  # the mark is next to the cancelled date itself
    for name, url in date_pages().items():
        found = card(html(client, url), date_url)
        assert CANCELLED in found and shown(cancelled) in found, name
        following = card(html(client, url), cancelled.event.occurrences.order_by("start")[1].get_absolute_url())
        assert CANCELLED not in following, name  # the next Monday takes place

    month = list_item(html(client, month_url(cancelled)), date_url)
    assert all("odwołane" in item for item in month)
    for url in widget_urls(club):
        (item,) = list_item(html(client, url), date_url)
        assert '<span class="cancelled">odwołane</span>' in item, url

    for page_url in (event_url, date_url):
        page = html(client, page_url)
        intro = page.split('class="event-date', 1)[1].split("</p>", 2)[1]
        assert CANCELLED in intro, page_url
        assert "Ten termin został odwołany. Pozostałe terminy cyklu są aktualne." in page
        assert "Sala zajęta na wybory." in page
        data = json_ld(page)
        assert data["eventStatus"] == SCHEMA + "EventCancelled", page_url
        assert data["startDate"] == timezone.localtime(cancelled.start).isoformat()

    for kind, title in feed_titles(client, cancelled).items():
        assert title.startswith("ODWOŁANE: Poniedziałkowy klub sąsiedzki"), kind
    original = cancelled.original_start.astimezone(UTC)
    for name, dates in ical_dates(client, club).items():
        assert dates[original] == (original, "CANCELLED"), name
        assert {status for start, status in dates.values() if start != original} == {"CONFIRMED"}, name


def test_a_moved_next_date_is_marked_on_every_page_and_feed(client, club):
    moved = move_next(club)
    event_url, date_url = club.get_absolute_url(), moved.get_absolute_url()

    for name, url in event_pages(club).items():
        found = card(html(client, url), event_url)
        assert MOVED in found and CANCELLED not in found, name
        assert shown(moved) in found, name  # the new time, not the one of the rule
    for name, url in date_pages().items():
        found = card(html(client, url), date_url)
        assert MOVED in found and shown(moved) in found, name

    for url in widget_urls(club):
        (item,) = list_item(html(client, url), date_url)
        assert '<span class="moved">nowy termin</span>' in item, url

    for page_url in (event_url, date_url):
        page = html(client, page_url)
        intro = page.split('class="event-date', 1)[1].split("</p>", 2)[1]
        assert MOVED in intro, page_url
        assert "Ten termin został przeniesiony." in page
        data = json_ld(page)
        assert data["eventStatus"] == SCHEMA + "EventRescheduled", page_url
        assert data["startDate"] == timezone.localtime(moved.start).isoformat()
        assert data["previousStartDate"] == timezone.localtime(moved.original_start).isoformat()

    for kind, title in feed_titles(client, moved).items():
        when = timezone.localtime(moved.start)
        assert title == f"Poniedziałkowy klub sąsiedzki ({when:%d.%m.%Y %H:%M}) – nowy termin", kind
    original = moved.original_start.astimezone(UTC)
    for name, dates in ical_dates(client, club).items():
        assert dates[original] == (moved.start.astimezone(UTC), "CONFIRMED"), name


def test_a_moved_date_is_marked_in_the_month_calendar(client, club):
    moved = move_next(club)
    items = list_item(html(client, month_url(moved)), moved.get_absolute_url())
    assert all("nowy termin" in item for item in items)


def test_a_scheduled_next_date_shows_no_mark(client, club):
    """The next Monday takes place; the Monday after it is cancelled and the one after that moved."""
    dates = list(club.occurrences.order_by("start"))
    services.cancel_occurrence(occurrence=dates[1], reason="Sala zajęta.")
    services.move_occurrence(occurrence=dates[2], start=dates[2].start + timedelta(hours=1))
    following = dates[0]
    event_url, date_url = club.get_absolute_url(), following.get_absolute_url()

    for name, url in {**event_pages(club), **date_pages()}.items():
        found = card(html(client, url), event_url if name in event_pages(club) else date_url)
        assert CANCELLED not in found and MOVED not in found, name
        assert shown(following) in found, name
    for url in [month_url(following), *widget_urls(club)]:
        for item in list_item(html(client, url), date_url):
            assert "odwołane" not in item and "nowy termin" not in item, url

    page = html(client, event_url)
    intro = page.split('class="event-date', 1)[1].split("</p>", 2)[1]
    assert CANCELLED not in intro and MOVED not in intro
    assert json_ld(page)["eventStatus"] == SCHEMA + "EventScheduled"
    for kind, title in feed_titles(client, following).items():
        when = timezone.localtime(following.start)
        assert title == f"Poniedziałkowy klub sąsiedzki ({when:%d.%m.%Y %H:%M})", kind
    original = following.original_start.astimezone(UTC)
    for name, dates_in_feed in ical_dates(client, club).items():
        assert dates_in_feed[original] == (original, "CONFIRMED"), name


def test_a_whole_cancelled_series_is_marked_on_the_event_lists(client, club):
    """The card's earlier rule still holds: a cancelled event is marked whatever its next date says."""
    services.cancel_event(event=club, reason="Klub zawieszony.", by=None)
    for name, url in event_pages(club).items():
        assert CANCELLED in card(html(client, url), club.get_absolute_url()), name


def test_the_maps_mark_a_cancelled_or_moved_next_date_in_their_list_of_places(client, club):
    """The district page's and "Co jest blisko mnie?"'s maps list the event under its place, with the same mark."""
    district = club.place.district.slug
    pages = [
        reverse("partnerships:district_detail", kwargs={"slug": district}),
        reverse("nearby") + f"?dzielnica={district}",
    ]
    cancel_next(club)
    for url in pages:
        links = re.findall(r'<ul class="small mb-0">(.*?)</ul>', html(client, url), re.S)
        assert any(f"{club.title} (" in links_ and "– odwołane" in links_ for links_ in links), url

    club.occurrences.update(status=Occurrence.Status.SCHEDULED, cancellation_reason="")
    move_next(club)
    for url in pages:
        links = re.findall(r'<ul class="small mb-0">(.*?)</ul>', html(client, url), re.S)
        assert any(f"{club.title} (" in links_ and "– nowy termin" in links_ for links_ in links), url
