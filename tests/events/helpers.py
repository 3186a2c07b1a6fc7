"""Helpers of the agenda tests: series, Warsaw wall-clock times, parsing feeds, query counts with series."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.utils import timezone
from icalendar import Calendar

from common.text import make_slug
from events import services
from events.models import Event
from tests import factories
from tests.utils import MAX_PUBLIC_QUERIES, count_queries

WARSAW = ZoneInfo("Europe/Warsaw")
UTC = ZoneInfo("UTC")


def at(day, hour=18, minute=0):
    """A Warsaw wall-clock moment on `day`."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=WARSAW)


def in_days(days, hour=18):
    return at(timezone.localdate() + timedelta(days=days), hour)


def last_sunday(year, month):
    """The day the clocks change: the last Sunday of March or October."""
    day = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() - 6) % 7)


def next_change(month):
    """The next last Sunday of `month` (3 or 10) at least two weeks from today."""
    year = timezone.localdate().year
    while last_sunday(year, month) < timezone.localdate() + timedelta(days=14):
        year += 1
    return last_sunday(year, month)


def series(*, title=None, start, rule, hours=2, organisers=(), **fields):
    """A recurring event; `start` is its first date (a Warsaw wall-clock moment)."""
    title = title or f"Cykl {make_slug(rule)[:20]} {start:%Y%m%d%H%M}"
    fields.setdefault("slug", make_slug(f"{title} {start:%Y-%m-%d-%H%M}")[:110])
    event = Event.objects.create(
        title=title, start=start, end=start + timedelta(hours=hours), recurrence=rule, **fields
    )
    if organisers:
        event.organisers.set(organisers)
    return event


def weekly_club_with_exceptions(*, organisers=(), place=None, title=None):
    """Every Monday 18:00 for eight weeks from next Monday: 2nd date cancelled, 3rd moved, 4th skipped."""
    today = timezone.localdate()
    monday = today + timedelta(days=7 - today.weekday())
    club = series(
        title=title or f"Klub poniedziałkowy {factories._n()}",
        start=at(monday),
        rule="FREQ=WEEKLY;BYDAY=MO;COUNT=8",
        organisers=organisers,
        place=place,
        kind=Event.Kind.LOCAL,
    )
    dates = list(club.occurrences.order_by("start"))
    services.cancel_occurrence(occurrence=dates[1], reason="Sala zajęta na wybory.")
    services.move_occurrence(occurrence=dates[2], start=dates[2].start + timedelta(days=1, hours=-1))
    services.skip_occurrence(occurrence=dates[3])
    club.refresh_from_db()
    return club


def parse(response):
    """The calendar in a response, parsed as a calendar client would."""
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def vevents(calendar):
    return list(calendar.walk("VEVENT"))


def expand(calendar):
    """Every date in a calendar as {(uid, start in UTC): (end in UTC, STATUS)}, series expanded like a client.

    RRULE from DTSTART (its own time zone), minus EXDATE, with RECURRENCE-ID overrides replacing dates.
    """
    masters, overrides = {}, {}
    for vevent in vevents(calendar):
        uid = str(vevent["UID"])
        if "RECURRENCE-ID" in vevent:
            overrides[(uid, vevent["RECURRENCE-ID"].dt.astimezone(UTC))] = vevent
        else:
            masters[uid] = vevent
    dates = {}
    for uid, vevent in masters.items():
        start, end = vevent["DTSTART"].dt, vevent["DTEND"].dt
        length = end - start
        if "RRULE" in vevent:
            rule = vevent["RRULE"].to_ical().decode()
            local_first = start.astimezone(WARSAW).replace(tzinfo=None)
            starts = [
                moment.replace(tzinfo=WARSAW).astimezone(UTC)
                for moment in rrulestr(f"RRULE:{rule.replace('Z', '')}", dtstart=local_first)
                if moment.replace(tzinfo=WARSAW).astimezone(UTC) <= _until(rule, local_first)
            ]
        else:
            starts = [start.astimezone(UTC)]
        excluded = set()
        for exdate in vevent.get("EXDATE", []) if isinstance(vevent.get("EXDATE"), list) else [vevent.get("EXDATE")]:
            if exdate is not None:
                excluded |= {d.dt.astimezone(UTC) for d in exdate.dts}
        for moment in starts:
            if moment in excluded:
                continue
            override = overrides.get((uid, moment))
            if override is not None:
                dates[(uid, moment)] = (
                    override["DTSTART"].dt.astimezone(UTC),
                    override["DTEND"].dt.astimezone(UTC),
                    str(override["STATUS"]),
                )
            else:
                dates[(uid, moment)] = (moment, (moment + length), str(vevent["STATUS"]))
    return dates


def _until(rule, local_first):
    """UNTIL of a rule in UTC (the rule has it in UTC, as RFC 5545 wants), or far away."""
    for part in rule.split(";"):
        if part.startswith("UNTIL="):
            return datetime.strptime(part[6:], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    return datetime(2200, 1, 1, tzinfo=UTC)


def database_dates(events):
    """The same shape as expand() for the listed dates of `events`, from the database."""
    dates = {}
    for event in events:
        for occurrence in event.occurrences.listed():
            status = "CANCELLED" if occurrence.is_cancelled else "CONFIRMED"
            dates[(f"event-{event.pk}@agenda.wspl", occurrence.original_start.astimezone(UTC))] = (
                occurrence.start.astimezone(UTC),
                occurrence.end.astimezone(UTC),
                status,
            )
    return dates


def add_series_to(partnerships):
    """A weekly series with exceptions and a monthly one for the given partnerships (query counts, series included)."""
    for partnership in partnerships:
        weekly_club_with_exceptions(organisers=[partnership], place=partnership.places.first())
        series(
            title=f"Spotkanie miesięczne {factories._n()}",
            start=in_days(2),
            rule="FREQ=MONTHLY;COUNT=6",
            organisers=[partnership],
        )


def assert_flat_with_series(client, url_for, *, small=2, large=12):
    """Like tests.utils.assert_flat_query_count, with two series per partnership on top of factories.network()."""
    partnerships = factories.network(small)
    add_series_to(partnerships)
    response, small_queries = count_queries(client, url_for(partnerships))
    assert response.status_code == 200, url_for(partnerships)
    more = factories.network(large - small)
    add_series_to(more)
    partnerships += more
    response, large_queries = count_queries(client, url_for(partnerships))
    assert response.status_code == 200
    assert len(small_queries) <= MAX_PUBLIC_QUERIES, small_queries
    assert len(large_queries) == len(small_queries), (small_queries, large_queries)
    for sql in large_queries:
        assert "django_session" not in sql and "auth_user" not in sql, sql
    return response
