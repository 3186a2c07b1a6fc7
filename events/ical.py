"""iCalendar (RFC 5545) feeds of the agenda, built with the `icalendar` library.

One VEVENT per event with a stable UID; a series is one VEVENT with an RRULE
(its DTSTART and DTEND in Europe/Warsaw wall-clock time, so clients keep 18:00
across the clock changes), an EXDATE for each skipped date and a VEVENT with
RECURRENCE-ID for each cancelled or moved date. Cancelled events and dates stay
in the feed with STATUS:CANCELLED. SEQUENCE is the event's `sequence`, which
grows with every change.

What a feed holds (bounded, whatever the size of the agenda): the FEED_UPCOMING
events with a date still to come, soonest next date first, and the FEED_RECENT
events whose dates have all ended, the most recently ended first, none of them
ended more than FEED_PAST ago. A series counts once and always comes whole (its
rule, every EXDATE and every RECURRENCE-ID override). One event's .ics
(`single_event`) is never cut.

Speed: each event's serialised VEVENTs are kept in the cache under a fingerprint
of everything they are made of (the event's columns, its place, its published
organisers, its exceptions, the language and the site's address), so a cached
block can never be out of date. A feed reads those as plain values, fetches the
blocks with one `get_many`, and reads whole and builds only the missing ones.
The VTIMEZONE is serialised once per process.
"""

import functools
import hashlib
from datetime import datetime, time, timedelta

from django.db.models import Exists, F, Max, Min, OuterRef, Q
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from icalendar import Calendar, TimezoneDaylight, TimezoneStandard, vRecur
from icalendar import Event as VEvent
from icalendar import Timezone as VTimezone

from common.cache.version import kept_many
from partnerships.models import Partnership, Place

from .models import Event, Occurrence, public_organisers
from .recurrence import WARSAW

PRODID = "-//Warszawska Siec Partnerstw Lokalnych//Agenda WSPL//PL"
UID_DOMAIN = "agenda.wspl"
FEED_PAST = timedelta(days=92)  # the last three months: older events leave the feeds
FEED_UPCOMING = 500  # events with a date still to come, by their next date (a series counts once)
FEED_RECENT = 100  # events that have ended (within FEED_PAST), the most recent first
REFRESH = timedelta(hours=6)  # REFRESH-INTERVAL; X-PUBLISHED-TTL says the same for older clients
BLOCK_FORMAT = 2  # raise when event_components() changes what it writes: every cached block goes
BLOCK_TIMEOUT = 24 * 60 * 60  # seconds; blocks never go stale, this only lets unused ones (and old translations) go
LISTED = [status for status in Occurrence.Status.values if status != Occurrence.Status.SKIPPED]


def event_uid(event):
    return f"event-{event.pk}@{UID_DOMAIN}"


def exception_dates():
    """The dates of series that are not as their rule says: cancelled, skipped or moved."""
    return Occurrence.objects.filter(Q(moved=True) | ~Q(status=Occurrence.Status.SCHEDULED))


def feed_events(condition=None, *, now=None):
    """Published events matching `condition` for a feed, by their first date (a query for build_calendar).

    At most FEED_UPCOMING events with a date that has not ended, those with the soonest
    next date, and FEED_RECENT whose last date ended less than FEED_PAST ago (see the
    module's docstring). Their ids are read here, in two queries.
    """
    now = now or timezone.now()
    matching = Event.objects.public().filter(condition if condition is not None else Q())
    upcoming = (
        matching.filter(occurrences__end__gte=now, occurrences__status__in=LISTED)
        .values("pk")
        .annotate(next_start=Min("occurrences__start"))
        .order_by("next_start", "pk")
        .values_list("pk", flat=True)[:FEED_UPCOMING]
    )
    recent = (
        matching.filter(occurrences__end__gte=now - FEED_PAST, occurrences__status__in=LISTED)
        .values("pk")
        .annotate(last_end=Max("occurrences__end"))
        .filter(last_end__lt=now)
        .order_by("-last_end", "-pk")
        .values_list("pk", flat=True)[:FEED_RECENT]
    )
    chosen = [*upcoming, *recent]
    return Event.objects.filter(pk__in=chosen).order_by("start", "pk")


def single_event(slug):
    """The published event with a listed date, for its own .ics (build_calendar writes its exceptions), or None."""
    listed = Occurrence.objects.listed().filter(event=OuterRef("pk"))
    return Event.objects.public().filter(slug=slug).filter(Exists(listed)).only("pk", "title").first()


def warsaw_timezone():
    """VTIMEZONE of Europe/Warsaw with today's EU rules, as clients expect it (compact, RRULE-based)."""
    zone = VTimezone()
    zone.add("tzid", "Europe/Warsaw")
    zone.add("x-lic-location", "Europe/Warsaw")
    summer = TimezoneDaylight()
    summer.add("tzname", "CEST")
    summer.add("tzoffsetfrom", timedelta(hours=1))
    summer.add("tzoffsetto", timedelta(hours=2))
    summer.add("dtstart", datetime(1970, 3, 29, 2, 0))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
    winter = TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("tzoffsetfrom", timedelta(hours=2))
    winter.add("tzoffsetto", timedelta(hours=1))
    winter.add("dtstart", datetime(1970, 10, 25, 3, 0))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def _local(moment):
    return timezone.localtime(moment, WARSAW)


def _all_day_dates(start, end):
    """DTSTART and the exclusive DTEND dates of an all-day event."""
    first = _local(start).date()
    local_end = _local(end)
    last = local_end.date() if local_end.time() == time(0, 0) else local_end.date() + timedelta(days=1)
    return first, max(last, first + timedelta(days=1))


def _add_times(component, start, end, all_day):
    if all_day:
        first, after = _all_day_dates(start, end)
        component.add("dtstart", first)
        component.add("dtend", after)
    else:
        component.add("dtstart", _local(start))
        component.add("dtend", _local(end))


def _rrule(event):
    """The stored rule; next to an all-day DTSTART its UNTIL is a date, as RFC 5545 requires."""
    rule = vRecur.from_ical(event.recurrence)
    if event.all_day and "UNTIL" in rule:
        rule["UNTIL"] = [_local(until).date() for until in rule["UNTIL"]]
    return rule


def location_text(place):
    if place is None:
        return ""
    parts = [place.name, place.street_address]
    if place.postal_code:
        parts.append(f"{place.postal_code} Warszawa")
    else:
        parts.append("Warszawa")
    return ", ".join(parts)


def public_organisers_of(event):
    """The event's published organisers, as _read() gives them, else as prefetched (Event.objects.for_cards())."""
    organisers = getattr(event, "public_organisers", None)
    return list(event.organisers.all()) if organisers is None else organisers


def organiser_names(event):
    return ", ".join(partnership.name for partnership in public_organisers_of(event))


def organisers_line(event):
    """ "Organizator: …" or "Organizatorzy: …" by their number, or that the whole network organises it."""
    names = [partnership.name for partnership in public_organisers_of(event)]
    if not names:
        return _("Wydarzenie całej sieci WSPL")
    label = _("Organizatorzy: %(names)s") if len(names) > 1 else _("Organizator: %(names)s")
    return label % {"names": ", ".join(names)}


def description_text(event, url, *, reason="", moved_from=None):
    """The plain-text DESCRIPTION: the event's text, who organises it, for whom, links; first, whether the date is
    cancelled (and why) or moved (from which day: `moved_from`, a Warsaw date)."""
    lines = []
    if reason:
        lines += [_("ODWOŁANE. Powód: %(reason)s") % {"reason": reason}, ""]
    elif event.is_cancelled:
        lines += [_("ODWOŁANE."), ""]
    elif moved_from is not None:
        lines += [_("Termin przeniesiony z %(day)s.") % {"day": date_format(moved_from, "j E Y")}, ""]
    if event.description:
        lines += [event.description.strip(), ""]
    lines.append(organisers_line(event))
    if event.audience:
        lines.append(_("Dla kogo: %(audience)s") % {"audience": event.audience})
    if event.online_url:
        lines.append(_("Spotkanie online: %(url)s") % {"url": event.online_url})
    if event.registration_url and not event.is_cancelled:
        lines.append(_("Zapisy: %(url)s") % {"url": event.registration_url})
    lines.append(_("Więcej: %(url)s") % {"url": url})
    return "\n".join(lines)


def _common(component, event, absolute_url):
    component.add("uid", event_uid(event))
    component.add("dtstamp", event.updated_at)
    component.add("created", event.created_at)
    component.add("last-modified", event.updated_at)
    component.add("sequence", event.sequence)
    component.add("summary", event.title)
    component.add("class", "PUBLIC")
    component.add("categories", [str(event.get_kind_display())])
    place = event.place
    if place is not None:
        component.add("location", location_text(place))
        if place.has_coordinates:
            component.add("geo", (float(place.latitude), float(place.longitude)))
    elif event.online_url:
        component.add("location", event.online_url)
    organisers = public_organisers_of(event)
    if organisers:
        component.add(
            "organizer", absolute_url(organisers[0].get_absolute_url()), parameters={"cn": organiser_names(event)}
        )
    else:
        component.add("organizer", absolute_url("/"), parameters={"cn": _("Warszawska Sieć Partnerstw Lokalnych")})


def _exceptions(event):
    """The cancelled, skipped or moved dates of a series (as _read() gives them, else asked for)."""
    exceptions = getattr(event, "exceptions", None)
    if exceptions is None:
        exceptions = [o for o in event.occurrences.all() if o.is_exception]
    return exceptions


def event_components(event, absolute_url):
    """The VEVENTs of one event: itself (with its rule) and one per cancelled or moved date of a series."""
    url = absolute_url(event.get_absolute_url())
    master = VEvent()
    _common(master, event, absolute_url)
    _add_times(master, event.start, event.end, event.all_day)
    master.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    master.add("url", url)
    master.add("description", description_text(event, url, reason=event.cancellation_reason))
    components = [master]
    if not event.recurrence:
        return components
    master.add("rrule", _rrule(event))
    exceptions = _exceptions(event)
    skipped = [o.original_start for o in exceptions if o.status == Occurrence.Status.SKIPPED]
    if skipped:
        master.add("exdate", [_local(d).date() if event.all_day else _local(d) for d in skipped])
    for occurrence in exceptions:
        if occurrence.status == Occurrence.Status.SKIPPED:
            continue
        occurrence.event = event
        cancelled = occurrence.status == Occurrence.Status.CANCELLED or event.is_cancelled
        override = VEvent()
        _common(override, event, absolute_url)
        original = occurrence.original_start
        override.add("recurrence-id", _local(original).date() if event.all_day else _local(original))
        _add_times(override, occurrence.start, occurrence.end, event.all_day)
        override.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        date_url = absolute_url(occurrence.get_absolute_url())
        override.add("url", date_url)
        moved_from = _local(original).date() if occurrence.moved and not cancelled else None
        reason = occurrence.reason if cancelled else ""
        override.add("description", description_text(event, date_url, reason=reason, moved_from=moved_from))
        components.append(override)
    return components


# What a VEVENT shows of an event's place, read with the event (annotation names: not column names of Event).
PLACE_COLUMNS = {
    f"vevent_place_{name}": name for name in ("name", "street_address", "postal_code", "latitude", "longitude")
}


def _read(events):
    """[(event row, its published organisers, its exceptions)] of `events` (a query), in their order, as plain
    values, in three queries: what the event's VEVENTs are made of (_event_from() makes the event of them).

    Their digest is the VEVENTs' key in the cache: every column of the event, what they show of its place, its
    published organisers' names and addresses, every column of its series' exceptions (with the language and
    the site's address). Not only `sequence` and `updated_at`: a renamed place or organiser, an organiser that
    is no longer published, a changed date of a series or a `QuerySet.update()` (which leaves both alone)
    change the digest as well, so a cached block is never out of date. Every column of the event, not a list
    of them: one that VEVENTs come to show is in the digest already.
    """
    rows = list(events.annotate(**{alias: F(f"place__{name}") for alias, name in PLACE_COLUMNS.items()}).values())
    ids = [row["id"] for row in rows]
    organisers = {}
    for event_id, *organiser in (
        Event.organisers.through.objects.filter(event_id__in=ids, partnership__in=public_organisers())
        .order_by("event_id", "partnership__sort_name", "partnership_id")
        .values_list("event_id", "partnership_id", "partnership__name", "partnership__slug")
    ):
        organisers.setdefault(event_id, []).append(organiser)
    exceptions = {}
    series = exception_dates().filter(event_id__in=ids).exclude(event__recurrence="")
    for row in series.order_by("original_start", "pk").values():
        exceptions.setdefault(row["event_id"], []).append(row)
    return [(row, organisers.get(row["id"], []), exceptions.get(row["id"], [])) for row in rows]


def _event_from(row, organisers, exceptions):
    """The event of a row read by _read(), with its place, published organisers and `exceptions`."""
    event = Event(**{name: value for name, value in row.items() if name not in PLACE_COLUMNS})
    if event.place_id is not None:
        event.place = Place(id=event.place_id, **{name: row[alias] for alias, name in PLACE_COLUMNS.items()})
    event.public_organisers = [Partnership(id=pk, name=name, slug=slug) for pk, name, slug in organisers]
    event.exceptions = [Occurrence(**exception) for exception in exceptions]
    return event


def _digest(parts):
    return hashlib.md5(repr(parts).encode(), usedforsecurity=False).hexdigest()


def event_blocks(events, absolute_url):
    """The serialised VEVENTs (bytes) of each of `events` (a query), from the cache where they are, built where
    not (three queries either way)."""
    root, language = absolute_url("/"), translation.get_language()
    read = _read(events)
    keys = [f"wspl:vevent:{_digest((BLOCK_FORMAT, root, language, parts))}" for parts in read]

    def build(indexes):
        events = [_event_from(*read[index]) for index in indexes]
        return [
            b"".join(component.to_ical() for component in event_components(event, absolute_url)) for event in events
        ]

    return kept_many(keys, build, timeout=BLOCK_TIMEOUT)


@functools.cache
def _timezone_block():
    return warsaw_timezone().to_ical()


def build_calendar(events, *, name, absolute_url, description=""):
    """A VCALENDAR of `events` (a query: feed_events(), or one event) as bytes; `absolute_url(path)` makes links
    absolute."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    if description:
        calendar.add("description", description)
        calendar.add("x-wr-caldesc", description)
    calendar.add("x-wr-timezone", "Europe/Warsaw")
    calendar.add("refresh-interval", REFRESH, parameters={"value": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    # The properties, then the components, as Calendar.to_ical() writes them.
    end = b"END:VCALENDAR\r\n"
    head = calendar.to_ical()
    if not head.endswith(end):
        raise ValueError("unexpected VCALENDAR serialisation")
    return b"".join([head[: -len(end)], _timezone_block(), *event_blocks(events, absolute_url), end])


def calendar_response(body, *, filename, download=False):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
