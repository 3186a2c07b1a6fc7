"""iCal feeds at scale: bounded whatever the size of the agenda, cached, and never out of date.

The cache tests commit for real (transactional database), as a site does: the data version
moves when a transaction commits, so the ordinary test transaction would not show the cache
at work (see tests/common/test_cache.py).
"""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from events import ical, services
from events.models import Event, Occurrence
from partnerships.models import Partnership, Place
from tests import factories
from tests.events.helpers import in_days, parse, vevents, weekly_club_with_exceptions

NETWORK_ICS = reverse("events:ical")
NO_CACHE = {"Cache-Control": "no-cache"}  # past the page cache, to the feed's own caches


def uids(response):
    return [str(v["UID"]) for v in vevents(parse(response)) if "RECURRENCE-ID" not in v]


def uid(event):
    return f"event-{event.pk}@agenda.wspl"


# --- bounded ---------------------------------------------------------------------------------------


@pytest.fixture
def small_caps(monkeypatch):
    """Caps small enough to pass with a handful of events (the real ones are FEED_UPCOMING and FEED_RECENT)."""
    monkeypatch.setattr(ical, "FEED_UPCOMING", 5)
    monkeypatch.setattr(ical, "FEED_RECENT", 2)


@pytest.mark.django_db
def test_feed_with_more_events_than_the_cap_has_exactly_the_cap_the_soonest(client, small_caps):
    events = [factories.event(title=f"Spotkanie za {days} dni", start=in_days(days)) for days in range(8, 0, -1)]

    calendar = parse(client.get(NETWORK_ICS))

    soonest = sorted(events, key=lambda e: e.start)[:5]
    assert len(vevents(calendar)) == 5
    assert sorted(str(v["SUMMARY"]) for v in vevents(calendar)) == sorted(e.title for e in soonest)


@pytest.mark.django_db
def test_feed_keeps_the_recent_past_within_its_own_cap_and_drops_older(client, small_caps):
    coming = factories.event(title="Jutrzejsze spotkanie", start=in_days(1))
    recent = [factories.event(title=f"Sprzed {days} dni", start=in_days(-days)) for days in (3, 10, 30)]
    old = factories.event(title="Sprzed pół roku", start=in_days(-180))

    found = uids(client.get(NETWORK_ICS))

    # The most recently ended first, at most FEED_RECENT of them; nothing ended more than FEED_PAST ago.
    assert sorted(found) == sorted(uid(e) for e in (coming, recent[0], recent[1]))
    assert uid(old) not in found


@pytest.mark.django_db
def test_series_counts_once_by_its_next_date_and_comes_whole(client, small_caps):
    club = weekly_club_with_exceptions(title="Klub poniedziałkowy")  # from next Monday, with three exceptions
    later = [factories.event(title=f"Później {days}", start=in_days(days)) for days in range(10, 16)]
    walk = factories.event(
        title="Odwołany spacer",
        start=in_days(9),
        status=Event.Status.CANCELLED,
        cancellation_reason="Ulewa.",
    )

    calendar = parse(client.get(NETWORK_ICS))

    masters = [v for v in vevents(calendar) if "RECURRENCE-ID" not in v]
    assert sorted(str(v["UID"]) for v in masters) == sorted(uid(e) for e in (club, walk, *later[:3]))
    club_parts = [v for v in vevents(calendar) if str(v["UID"]) == uid(club)]
    master = next(v for v in club_parts if "RECURRENCE-ID" not in v)
    assert master["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=8;BYDAY=MO"
    assert len(master["EXDATE"].dts) == 1
    assert sorted(str(v["STATUS"]) for v in club_parts if "RECURRENCE-ID" in v) == ["CANCELLED", "CONFIRMED"]
    assert str(next(v for v in masters if str(v["UID"]) == uid(walk))["STATUS"]) == "CANCELLED"


@pytest.mark.django_db
def test_series_are_ranked_by_their_next_date_not_their_first(client, small_caps):
    weekly = factories.event(
        title="Klub od pół roku", start=in_days(-182), recurrence="FREQ=WEEKLY;COUNT=40", slug="klub-od-pol-roku"
    )
    # Began before everything else, but its next date (in ten days) comes after five others.
    rare = factories.event(
        title="Spotkanie co 20 dni", start=in_days(-70), recurrence="FREQ=DAILY;INTERVAL=20;COUNT=10", slug="co-20"
    )
    singles = [factories.event(title=f"Spotkanie za {days} dni", start=in_days(days, hour=19)) for days in range(3, 10)]

    found = uids(client.get(NETWORK_ICS))

    # The weekly club meets within a week (at 18:00, before a single event of the same day).
    assert uid(weekly) in found and uid(rare) not in found
    assert len(found) == 5 and set(found) - {uid(weekly)} <= {uid(e) for e in singles}


@pytest.mark.django_db
def test_one_event_ics_is_never_cut(client, small_caps):
    club = factories.event(title="Długi cykl", start=in_days(-400), recurrence="FREQ=WEEKLY;COUNT=100", slug="dlugi")
    dates = list(club.occurrences.order_by("start"))
    for date in dates[:3]:
        services.cancel_occurrence(occurrence=date, reason="Ferie.")

    calendar = parse(client.get(reverse("events:ical_event", kwargs={"slug": club.slug})))

    assert len(vevents(calendar)) == 1 + 3


# --- cached, and never out of date -----------------------------------------------------------------------


committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def anonymous():
    return Client()


def summary_of(response, event):
    return next(str(v["SUMMARY"]) for v in vevents(parse(response)) if str(v["UID"]) == uid(event))


def vevent_of(response, event):
    return next(v for v in vevents(parse(response)) if str(v["UID"]) == uid(event))


@committed
def test_repeated_feed_comes_from_the_cache_without_a_query(anonymous, cache_on):
    factories.event(title="Piknik sąsiedzki", start=in_days(2), place=factories.place(name="Dom Sąsiedzki"))
    for _attempt in range(2):  # the feed's cache entry is per minute: again if the minute changed in between
        minute = int(time.time() // 60)
        first = anonymous.get(NETWORK_ICS, headers=NO_CACHE)
        with CaptureQueriesContext(connection) as queries:
            again = anonymous.get(NETWORK_ICS, headers=NO_CACHE)
        if int(time.time() // 60) == minute:
            break

    assert again.content == first.content and "Piknik sąsiedzki" in again.content.decode()
    assert not [q["sql"] for q in queries.captured_queries if "events_" in q["sql"]]


@committed
@pytest.mark.parametrize("headers", [NO_CACHE, {}], ids=["past-the-page-cache", "through-the-page-cache"])
def test_changed_title_is_in_the_next_feed(anonymous, cache_on, headers):
    picnic = factories.event(title="Piknik sąsiedzki", start=in_days(2))
    assert summary_of(anonymous.get(NETWORK_ICS, headers=headers), picnic) == "Piknik sąsiedzki"

    picnic.title = "Piknik rodzinny"
    picnic.save()

    assert summary_of(anonymous.get(NETWORK_ICS, headers=headers), picnic) == "Piknik rodzinny"


@committed
def test_renamed_place_is_in_the_next_feed(anonymous, cache_on):
    house = factories.place(name="Dom Sąsiedzki Sady", postal_code="01-234")
    picnic = factories.event(title="Piknik sąsiedzki", start=in_days(2), place=house)
    district_ics = reverse("events:ical_district", kwargs={"slug": "zoliborz"})
    for url in (NETWORK_ICS, district_ics):
        assert str(vevent_of(anonymous.get(url, headers=NO_CACHE), picnic)["LOCATION"]).startswith("Dom Sąsiedzki Sady")

    house.name = "Centrum Sąsiedzkie Sady"
    house.save()

    for url in (NETWORK_ICS, district_ics):
        location = str(vevent_of(anonymous.get(url, headers=NO_CACHE), picnic)["LOCATION"])
        assert location == "Centrum Sąsiedzkie Sady, ul. Przykładowa 1, 01-234 Warszawa"


@committed
def test_changes_that_bypass_save_are_in_the_next_feed_too(anonymous, cache_on):
    """QuerySet.update() leaves updated_at and SEQUENCE alone; the feed must not keep the old text."""
    stegny = factories.partnership(name="Nasze Stegny", districts=["mokotow"])
    house = factories.place(name="Dom Sąsiedzki Sady")
    picnic = factories.event(title="Piknik sąsiedzki", start=in_days(2), place=house, organisers=[stegny])
    club = weekly_club_with_exceptions(title="Klub poniedziałkowy")

    def picnic_now():
        return vevent_of(anonymous.get(NETWORK_ICS, headers=NO_CACHE), picnic)

    picnic_now()
    Event.objects.filter(pk=picnic.pk).update(title="Piknik na Stegnach")
    assert str(picnic_now()["SUMMARY"]) == "Piknik na Stegnach"

    Place.objects.filter(pk=house.pk).update(name="Klub Sady")
    assert str(picnic_now()["LOCATION"]).startswith("Klub Sady,")

    Partnership.objects.filter(pk=stegny.pk).update(name="Stegny Razem")
    vevent = picnic_now()
    assert vevent["ORGANIZER"].params["CN"] == "Stegny Razem"
    assert "Organizator: Stegny Razem" in str(vevent["DESCRIPTION"])

    last = club.occurrences.order_by("start").last()
    Occurrence.objects.filter(pk=last.pk).update(status=Occurrence.Status.CANCELLED, cancellation_reason="Ferie.")
    calendar = parse(anonymous.get(NETWORK_ICS, headers=NO_CACHE))
    assert any("Ferie." in str(v["DESCRIPTION"]) for v in vevents(calendar) if str(v["UID"]) == uid(club))


@committed
def test_unpublished_organiser_leaves_the_next_feed(anonymous, cache_on):
    stegny = factories.partnership(name="Nasze Stegny", districts=["mokotow"])
    sady = factories.partnership(name="Sady Żoliborskie", districts=["zoliborz"])
    picnic = factories.event(title="Piknik sąsiedzki", start=in_days(2), organisers=[stegny, sady])
    assert vevent_of(anonymous.get(NETWORK_ICS, headers=NO_CACHE), picnic)["ORGANIZER"].params["CN"] == (
        "Nasze Stegny, Sady Żoliborskie"
    )

    Partnership.objects.filter(pk=stegny.pk).update(is_published=False)  # as the admin's publish action does

    response = anonymous.get(NETWORK_ICS, headers=NO_CACHE)
    assert vevent_of(response, picnic)["ORGANIZER"].params["CN"] == "Sady Żoliborskie"
    assert "Nasze Stegny" not in response.content.decode()


@committed
def test_cancelled_date_of_a_series_is_in_the_next_feed(anonymous, cache_on):
    club = weekly_club_with_exceptions(title="Klub poniedziałkowy")
    before = len(vevents(parse(anonymous.get(NETWORK_ICS, headers=NO_CACHE))))
    last = club.occurrences.order_by("start").last()

    services.cancel_occurrence(occurrence=last, reason="Ferie.")

    calendar = parse(anonymous.get(NETWORK_ICS, headers=NO_CACHE))
    assert len(vevents(calendar)) == before + 1
    assert any("Ferie." in str(v["DESCRIPTION"]) for v in vevents(calendar) if "RECURRENCE-ID" in v)


@committed
def test_polish_and_english_feeds_are_cached_apart(anonymous, cache_on):
    picnic = factories.event(title="Piknik sąsiedzki", start=in_days(2), kind=Event.Kind.TRAINING)
    with translation.override("en"):
        english_ics = reverse("events:ical")
    assert english_ics != NETWORK_ICS

    polish = vevent_of(anonymous.get(NETWORK_ICS, headers=NO_CACHE), picnic)
    english = vevent_of(anonymous.get(english_ics, headers=NO_CACHE), picnic)

    assert [str(c) for c in polish["CATEGORIES"].cats] == ["szkolenie"]
    assert [str(c) for c in english["CATEGORIES"].cats] == ["training"]
    assert str(english["URL"]).startswith("http://testserver/en/")


@committed
def test_feeds_for_other_addresses_have_their_own_links(anonymous, cache_on, settings):
    settings.ALLOWED_HOSTS = ["testserver", "wspl.example"]
    picnic = factories.event(title="Piknik sąsiedzki", start=in_days(2))
    anonymous.get(NETWORK_ICS, headers=NO_CACHE)

    other = vevent_of(anonymous.get(NETWORK_ICS, headers=NO_CACHE, HTTP_HOST="wspl.example"), picnic)

    assert str(other["URL"]) == "http://wspl.example" + picnic.get_absolute_url()


@committed
def test_bad_or_unknown_feeds_stay_errors_with_the_cache_on(anonymous, cache_on):
    factories.partnership(name="Nasze Stegny", districts=["mokotow"])
    for _ in range(2):
        bad = anonymous.get(NETWORK_ICS, {"dzielnica": "atlantyda"}, headers=NO_CACHE)
        assert bad.status_code == 400 and "Nie da się przygotować kalendarza" in bad.content.decode()
        unknown = anonymous.get(reverse("events:ical_district", kwargs={"slug": "atlantyda"}), headers=NO_CACHE)
        assert unknown.status_code == 404


@committed
def test_filters_of_the_feed_are_cached_apart(anonymous, cache_on):
    stegny = factories.partnership(name="Nasze Stegny", districts=["mokotow"])
    picnic = factories.event(title="Piknik sąsiedzki", start=in_days(2), organisers=[stegny])
    training = factories.event(title="Szkolenie", start=in_days(3), kind=Event.Kind.TRAINING)

    everything = uids(anonymous.get(NETWORK_ICS, headers=NO_CACHE))
    in_mokotow = uids(anonymous.get(NETWORK_ICS, {"dzielnica": "mokotow"}, headers=NO_CACHE))
    trainings = uids(anonymous.get(NETWORK_ICS, {"rodzaj": "training"}, headers=NO_CACHE))

    assert sorted(everything) == sorted([uid(picnic), uid(training)])
    assert in_mokotow == [uid(picnic)] and trainings == [uid(training)]


@committed
def test_event_ics_is_cached_and_shows_a_change(anonymous, cache_on):
    picnic = factories.event(title="Piknik sąsiedzki", start=in_days(-400))
    url = reverse("events:ical_event", kwargs={"slug": picnic.slug})
    assert summary_of(anonymous.get(url, headers=NO_CACHE), picnic) == "Piknik sąsiedzki"

    picnic.start -= timedelta(hours=1)
    picnic.title = "Piknik rodzinny"
    picnic.save()

    response = anonymous.get(url, headers=NO_CACHE)
    assert summary_of(response, picnic) == "Piknik rodzinny"
    assert Calendar.from_ical(response.content)
