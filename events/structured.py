"""What an event page gives to other programs: schema.org JSON-LD and "add to calendar" links."""

import json
from datetime import timedelta
from urllib.parse import urlencode

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .ical import _all_day_dates, _local, location_text, organiser_names

GOOGLE_URL = "https://calendar.google.com/calendar/render"
OUTLOOK_URLS = {
    "outlook": "https://outlook.live.com/calendar/0/action/compose",
    "office": "https://outlook.office.com/calendar/0/action/compose",
}
SCHEMA = "https://schema.org/"
# The same escapes as django.utils.html.json_script: nothing in the data can close the <script>.
SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_for_script(data):
    """JSON safe inside <script>: <, > and & are escaped as in Django's json_script, so no </script> breaks out."""
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(SCRIPT_ESCAPES))


def event_json_ld(event, occurrence, absolute_url):
    """schema.org Event of one date of an event (organisers already limited to published partnerships)."""
    cancelled = occurrence.is_cancelled
    if cancelled:
        status = "EventCancelled"
    elif occurrence.moved:
        status = "EventRescheduled"
    else:
        status = "EventScheduled"
    if event.place and event.online_url:
        mode = "MixedEventAttendanceMode"
    elif event.place or not event.online_url:
        mode = "OfflineEventAttendanceMode"
    else:
        mode = "OnlineEventAttendanceMode"
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": absolute_url(occurrence.get_absolute_url()),
        "startDate": _local(occurrence.start).isoformat(),
        "endDate": _local(occurrence.end).isoformat(),
        "eventStatus": SCHEMA + status,
        "eventAttendanceMode": SCHEMA + mode,
    }
    if event.all_day:
        first, after = _all_day_dates(occurrence.start, occurrence.end)
        data["startDate"], data["endDate"] = first.isoformat(), (after - timedelta(days=1)).isoformat()
    if occurrence.moved:
        data["previousStartDate"] = _local(occurrence.original_start).isoformat()
    if event.description:
        data["description"] = event.description[:500]
    if event.image:
        data["image"] = absolute_url(event.image.url)
    locations = []
    if event.place:
        place = event.place
        location = {
            "@type": "Place",
            "name": place.name,
            "url": absolute_url(place.get_absolute_url()),
            "address": {
                "@type": "PostalAddress",
                "streetAddress": place.street_address,
                "postalCode": place.postal_code,
                "addressLocality": "Warszawa",
                "addressRegion": place.district.name,
                "addressCountry": "PL",
            },
        }
        if place.has_coordinates:
            location["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(place.latitude),
                "longitude": float(place.longitude),
            }
        locations.append(location)
    if event.online_url:
        locations.append({"@type": "VirtualLocation", "url": event.online_url})
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    organisers = [
        {"@type": "Organization", "name": p.name, "url": absolute_url(p.get_absolute_url())}
        for p in event.organisers.all()
    ]
    data["organizer"] = organisers or {
        "@type": "Organization",
        "name": _("Warszawska Sieć Partnerstw Lokalnych"),
        "url": absolute_url("/"),
    }
    if event.audience:
        data["audience"] = {"@type": "Audience", "audienceType": event.audience}
    if event.registration_url and not cancelled:
        data["offers"] = {"@type": "Offer", "url": event.registration_url, "price": "0", "priceCurrency": "PLN"}
    return data


def _details(event, url):
    names = organiser_names(event)
    who = _("Organizatorzy: %(names)s") % {"names": names} if names else _("Wydarzenie całej sieci WSPL")
    return "\n\n".join(filter(None, [event.description[:800].strip(), who, url]))


def _where(event):
    return location_text(event.place) or event.online_url


def google_calendar_url(event, occurrence, absolute_url, *, whole_series=True):
    """A Google Calendar link that opens a new event filled in; a series comes with its RRULE."""
    url = absolute_url(occurrence.get_absolute_url())
    if event.all_day:
        first, after = _all_day_dates(occurrence.start, occurrence.end)
        dates = f"{first:%Y%m%d}/{after:%Y%m%d}"
    else:
        dates = f"{_local(occurrence.start):%Y%m%dT%H%M%S}/{_local(occurrence.end):%Y%m%dT%H%M%S}"
    params = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": dates,
        "ctz": "Europe/Warsaw",
        "details": _details(event, url),
        "location": _where(event),
    }
    if whole_series and event.recurrence:
        params["dates"] = (
            f"{_local(event.start):%Y%m%dT%H%M%S}/{_local(event.end):%Y%m%dT%H%M%S}"
            if not event.all_day
            else "{}/{}".format(*(d.strftime("%Y%m%d") for d in _all_day_dates(event.start, event.end)))
        )
        params["recur"] = f"RRULE:{event.recurrence}"
    return f"{GOOGLE_URL}?{urlencode(params)}"


def outlook_url(event, occurrence, absolute_url, *, service="outlook"):
    """An Outlook on the web link for one date (Outlook's links cannot carry a recurrence)."""
    url = absolute_url(occurrence.get_absolute_url())
    params = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": event.title,
        "startdt": _local(occurrence.start).isoformat(),
        "enddt": _local(occurrence.end).isoformat(),
        "body": _details(event, url),
        "location": _where(event),
    }
    if event.all_day:
        first, after = _all_day_dates(occurrence.start, occurrence.end)
        params.update(startdt=first.isoformat(), enddt=after.isoformat(), allday="true")
    return f"{OUTLOOK_URLS[service]}?{urlencode(params)}"


def subscription_links(feed_url, name):
    """Ways to subscribe to a feed at an absolute https/http URL: webcal, Google and Outlook."""
    webcal = "webcal://" + feed_url.split("://", 1)[-1]
    return {
        "https": feed_url,
        "webcal": webcal,
        "google": "https://calendar.google.com/calendar/render?" + urlencode({"cid": webcal}),
        "outlook": "https://outlook.live.com/calendar/0/addfromweb?" + urlencode({"url": feed_url, "name": name}),
    }
