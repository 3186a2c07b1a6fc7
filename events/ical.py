"""iCalendar (RFC 5545) feeds of the agenda, built with the `icalendar` library.

One VEVENT per event with a stable UID; a series is one VEVENT with an RRULE
(its DTSTART and DTEND in Europe/Warsaw wall-clock time, so clients keep 18:00
across the clock changes), an EXDATE for each skipped date and a VEVENT with
RECURRENCE-ID for each cancelled or moved date. Cancelled events and dates stay
in the feed with STATUS:CANCELLED. SEQUENCE is the event's `sequence`, which
grows with every change. Feeds hold everything from FEED_PAST ago on.
"""

from datetime import datetime, time, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, TimezoneDaylight, TimezoneStandard, vRecur
from icalendar import Event as VEvent
from icalendar import Timezone as VTimezone

from .models import Event, Occurrence, public_organisers
from .recurrence import WARSAW

PRODID = "-//Warszawska Siec Partnerstw Lokalnych//Agenda WSPL//PL"
UID_DOMAIN = "agenda.wspl"
FEED_PAST = timedelta(days=92)  # the last three months
FEED_LIMIT = 2000  # events (series count once) in one feed
REFRESH = timedelta(hours=6)  # REFRESH-INTERVAL; X-PUBLISHED-TTL says the same for older clients


def event_uid(event):
    return f"event-{event.pk}@{UID_DOMAIN}"


def feed_events(condition=None, *, since=None):
    """Published events matching `condition` with a date since FEED_PAST ago (or `since`), in three queries.

    Each event carries its published organisers and `exceptions`: the cancelled,
    skipped or moved dates of a series.
    """
    since = since or timezone.now() - FEED_PAST
    recent = Occurrence.objects.listed().filter(event=OuterRef("pk"), end__gte=since)
    exceptions = Occurrence.objects.filter(Q(moved=True) | ~Q(status=Occurrence.Status.SCHEDULED))
    return (
        Event.objects.public()
        .filter(condition if condition is not None else Q())
        .filter(Exists(recent))
        .select_related("place__district")
        .prefetch_related(
            Prefetch("organisers", queryset=public_organisers()),
            Prefetch("occurrences", queryset=exceptions.order_by("original_start"), to_attr="exceptions"),
        )
        .order_by("start", "pk")[:FEED_LIMIT]
    )


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
    exceptions = getattr(event, "exceptions", None)
    if exceptions is None:
        exceptions = [o for o in event.occurrences.all() if o.is_exception]
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
    calendar.add_component(warsaw_timezone())
    for event in events:
        for component in event_components(event, absolute_url):
            calendar.add_component(component)
    return calendar.to_ical()


def calendar_response(body, *, filename, download=False):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
