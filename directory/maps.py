"""What the maps show: places (with their events and partnerships) and partnership areas.

Each map is built from objects a page has already loaded, so drawing it costs no
queries; only the home page and the district page ask for a little more
(`network_map` and `district_map`). The same data renders the map (Leaflet,
from `static/js/map.js`) and its text alternative: the list of places with
their addresses, which is always in the page, with or without JavaScript.
"""

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from common.geo import area_geometry
from events.models import Occurrence
from partnerships.models import Partnership, Place

NETWORK_EVENTS = 50
# The home page's map is a summary, not the directory: at a national scale all the places would be megabytes
# of HTML (the text alternative lists them). The places directory (/miejsca/) pages through every place.
NETWORK_PLACES = 150
PLACE_FIELDS = ("name", "slug", "street_address", "postal_code", "latitude", "longitude", "district__name")


def address_of(place):
    parts = [place.street_address]
    if getattr(place, "postal_code", ""):
        parts.append(f"{place.postal_code} {_('Warszawa')}")
    return ", ".join(part for part in parts if part)


def event_label(event):
    # A series shows its next date when the list knows it (Event.objects.upcoming() annotates it).
    when = timezone.localtime(getattr(event, "next_start", None) or event.start)
    date = formats.date_format(when, "j E Y" if event.all_day else "j E Y, H:i")
    return f"{event.title} ({date})"


class MapBuilder:
    """Collects places once each, with the links that belong to them, and areas."""

    def __init__(self):
        self.places = {}
        self.areas = []

    def add_place(self, place, link=None):
        if place is None:
            return
        entry = self.places.get(place.pk)
        if entry is None:
            district = place.district if Place.district.is_cached(place) else None
            entry = {
                "name": place.name,
                "url": place.get_absolute_url(),
                "address": address_of(place),
                "district": district.name if district else "",
                "lat": float(place.latitude) if place.latitude is not None else None,
                "lon": float(place.longitude) if place.longitude is not None else None,
                "links": [],
            }
            self.places[place.pk] = entry
        if link and link not in entry["links"]:
            entry["links"].append(link)

    def add_event(self, event):
        if event.place_id:
            self.add_place(event.place, {"label": event_label(event), "url": event.get_absolute_url()})

    def add_area(self, partnership):
        geometry = area_geometry(partnership.area_geojson)
        if geometry:
            self.areas.append({"name": partnership.name, "url": partnership.get_absolute_url(), "geometry": geometry})

    def build(self, label):
        places = sorted(self.places.values(), key=lambda entry: entry["name"].lower())
        points = [entry for entry in places if entry["lat"] is not None]
        return {
            "label": label,
            "places": places,
            "has_map": bool(points or self.areas),
            "data": {"points": points, "areas": self.areas},
            "tile_url": settings.MAP_TILE_URL,
            "attribution": settings.MAP_ATTRIBUTION,
        }


def place_map(*, places=(), events=(), partnership=None, label=""):
    """A map of places already loaded by the page (with their districts), events' places and an area."""
    builder = MapBuilder()
    if partnership is not None:
        builder.add_area(partnership)
    for place in places:
        builder.add_place(place)
    for event in events:
        builder.add_event(event)
    return builder.build(label)


def district_map(district, *, places=(), events=(), label="", areas=None):
    """The district's places and events, and the areas of its published partnerships (one query).

    `areas` bounds how many areas are drawn (the first by name), as the page bounds its list.
    """
    builder = MapBuilder()
    rows = (
        Partnership.objects.public()
        .filter(districts=district, area_geojson__isnull=False)
        .only("name", "slug", "area_geojson")
        .order_by("sort_name")
    )
    for partnership in rows[:areas] if areas else rows:
        builder.add_area(partnership)
    for place in places:
        builder.add_place(place)
    for event in events:
        builder.add_event(event)
    return builder.build(label)


def network_map(*, label="", now=None):
    """The whole network: the places of published partnerships and of upcoming events (two queries)."""
    builder = MapBuilder()
    meetings = (
        Partnership.places.through.objects.filter(partnership__is_published=True, place__latitude__isnull=False)
        .select_related("place__district", "partnership")
        .only(
            *(f"place__{name}" for name in PLACE_FIELDS),
            "partnership__name",
            "partnership__slug",
        )
        .order_by("partnership__sort_name", "pk")
    )
    for meeting in meetings[:NETWORK_PLACES]:
        partnership = meeting.partnership
        builder.add_place(meeting.place, {"label": partnership.name, "url": partnership.get_absolute_url()})
    # The next dates (an index scan on the dates' start), not every event ranked by its next date.
    dates = (
        Occurrence.objects.public()
        .scheduled()
        .upcoming(now)
        .filter(event__place__latitude__isnull=False)
        .select_related("event__place__district")
        .only(
            "start",
            "end",
            "event_id",
            *(f"event__{name}" for name in ("title", "slug", "start", "end", "all_day", "place")),
            *(f"event__place__{name}" for name in PLACE_FIELDS),
        )
    )
    shown = set()
    for occurrence in dates[: NETWORK_EVENTS * 2]:
        event = occurrence.event
        if event.pk in shown or len(shown) == NETWORK_EVENTS:
            continue
        shown.add(event.pk)
        event.next_start, event.next_end = occurrence.start, occurrence.end
        builder.add_event(event)
    return builder.build(label)
