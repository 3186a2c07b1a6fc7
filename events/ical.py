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
(`event_with_exceptions`) is never cut.

Speed: each event's serialised VEVENTs are kept in the cache under a fingerprint
of everything they are made of (the event's fields, its place, its published
organisers, its exceptions, the language and the site's address), so a cached
block can never be out of date; a feed fetches them with one `get_many` and builds
only the missing ones. The VTIMEZONE is serialised once per process.
"""

import functools
import hashlib
from datetime import datetime, time, timedelta

from django.db.models import Exists, Max, Min, OuterRef, Prefetch, Q
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, TimezoneDaylight, TimezoneStandard, vRecur
from icalendar import Event as VEvent
from icalendar import Timezone as VTimezone

from common.cache.version import kept_many

from .models import Event, Occurrence, public_organisers
from .recurrence import WARSAW

PRODID = "-//Warszawska Siec Partnerstw Lokalnych//Agenda WSPL//PL"
UID_DOMAIN = "agenda.wspl"
FEED_PAST = timedelta(days=92)  # the last three months: older events leave the feeds
FEED_UPCOMING = 500  # events with a date still to come, by their next date (a series counts once)
FEED_RECENT = 100  # events that have ended (within FEED_PAST), the most recent first
REFRESH = timedelta(hours=6)  # REFRESH-INTERVAL; X-PUBLISHED-TTL says the same for older clients
BLOCK_FORMAT = 1  # raise when event_components() changes what it writes: every cached block goes
BLOCK_TIMEOUT = 24 * 60 * 60  # seconds; blocks never go stale, this only lets unused ones (and old translations) go
# Long columns a VEVENT never shows: not read.
UNUSED_COLUMNS = (
    *("search_text", "sort_name", "image", "image_alt"),
    *("place__search_text", "place__sort_name", "place__description", "place__accessibility"),
)
LISTED = [status for status in Occurrence.Status.values if status != Occurrence.Status.SKIPPED]


def event_uid(event):
    return f"event-{event.pk}@{UID_DOMAIN}"


def _with_details(events):
    """Each event with its place, its published organisers and `exceptions`: the cancelled, skipped or
    moved dates of a series (three queries, however many events)."""
    exceptions = Occurrence.objects.filter(Q(moved=True) | ~Q(status=Occurrence.Status.SCHEDULED))
    return (
        events.select_related("place")
        .defer(*UNUSED_COLUMNS)
        .prefetch_related(
            Prefetch("organisers", queryset=public_organisers()),
            Prefetch("occurrences", queryset=exceptions.order_by("original_start"), to_attr="exceptions"),
        )
    )


def feed_events(condition=None, *, now=None):
    """Published events matching `condition` for a feed, by their first date, in five queries.

    At most FEED_UPCOMING events with a date that has not ended, those with the soonest
    next date, and FEED_RECENT whose last date ended less than FEED_PAST ago (see the
    module's docstring). Each carries what event_components() needs.
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
    if not chosen:
        return []
    return list(_with_details(Event.objects.filter(pk__in=chosen)).order_by("start", "pk"))


def event_with_exceptions(slug):
    """One published event with all its dates' exceptions (for its own .ics), or None."""
    listed = Occurrence.objects.listed().filter(event=OuterRef("pk"))
    return _with_details(Event.objects.public().filter(slug=slug).filter(Exists(listed))).first()


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


def organiser_names(event):
    return ", ".join(partnership.name for partnership in event.organisers.all())


def description_text(event, url, *, reason=""):
    """The plain-text DESCRIPTION: the event's text, who organises it, for whom, links."""
    lines = []
    if reason:
        lines += [_("ODWOŁANE. Powód: %(reason)s") % {"reason": reason}, ""]
    elif event.is_cancelled:
        lines += [_("ODWOŁANE."), ""]
    if event.description:
        lines += [event.description.strip(), ""]
    names = organiser_names(event)
    lines.append(_("Organizatorzy: %(names)s") % {"names": names} if names else _("Wydarzenie całej sieci WSPL"))
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
    organisers = list(event.organisers.all())
    if organisers:
        component.add(
            "organizer", absolute_url(organisers[0].get_absolute_url()), parameters={"cn": organiser_names(event)}
        )
    else:
        component.add("organizer", absolute_url("/"), parameters={"cn": _("Warszawska Sieć Partnerstw Lokalnych")})


def _exceptions(event):
    """The cancelled, skipped or moved dates of a series (prefetched by _with_details when it was used)."""
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
        override.add("description", description_text(event, date_url, reason=occurrence.reason if cancelled else ""))
        components.append(override)
    return components


def _fingerprint(event, root, language):
    """The cache key of an event's VEVENTs: a digest of everything they are made of.

    Not only `sequence` and `updated_at`: a renamed place or organiser, an organiser that is
    no longer published, a changed date of a series or a `QuerySet.update()` (which leaves
    both alone) change the digest as well, so a cached block is never out of date.
    """
    place = event.place
    parts = (
        BLOCK_FORMAT,
        root,
        language,
        event.pk,
        event.sequence,
        event.updated_at,
        event.created_at,
        event.slug,
        event.title,
        event.kind,
        event.description,
        event.start,
        event.end,
        event.all_day,
        event.status,
        event.cancellation_reason,
        event.recurrence,
        event.online_url,
        event.audience,
        event.registration_url,
        place and (place.pk, place.name, place.street_address, place.postal_code, place.latitude, place.longitude),
        [(p.pk, p.name, p.slug) for p in event.organisers.all()],
        [
            (o.pk, o.original_start, o.start, o.end, o.status, o.cancellation_reason, o.moved)
            for o in (_exceptions(event) if event.recurrence else ())
        ],
    )
    return "wspl:vevent:" + hashlib.md5(repr(parts).encode(), usedforsecurity=False).hexdigest()


def event_blocks(events, absolute_url):
    """The serialised VEVENTs (bytes) of each event, from the cache where they are, built where not."""
    events = list(events)
    root, language = absolute_url("/"), translation.get_language()
    keys = [_fingerprint(event, root, language) for event in events]

    def build(index):
        return b"".join(component.to_ical() for component in event_components(events[index], absolute_url))

    return kept_many(keys, build, timeout=BLOCK_TIMEOUT)


@functools.cache
def _timezone_block():
    return warsaw_timezone().to_ical()


def build_calendar(events, *, name, absolute_url, description=""):
    """A VCALENDAR of `events` (from feed_events()) as bytes; `absolute_url(path)` makes links absolute."""
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
