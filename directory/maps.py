"""What the maps show: places (with their events and partnerships) and partnership areas.

Each map is built from objects a page has already loaded, so drawing it costs no
queries; only the home page and the district page ask for a little more
(`network_map` and `district_map`). The same data renders the map (Leaflet,
from `static/js/map.js`) and its text alternative: the list of places with
their addresses, which is always in the page, with or without JavaScript.
"""

import html

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from common.geo import area_geometry
from common.links import slug_urls
from events.models import Occurrence
from partnerships.models import Partnership, Place

NETWORK_EVENTS = 50
# The home page's map is a summary, not the directory: at a national scale all the places would be megabytes
# of HTML (the text alternative lists them). The places directory (/miejsca/) pages through every place.
NETWORK_PLACES = 150
# What a map shows of a place: add_row()'s arguments and the columns they are read from.
PLACE_COLUMNS = {
    "name": "name",
    "slug": "slug",
    "street_address": "street_address",
    "postal_code": "postal_code",
    "latitude": "latitude",
    "longitude": "longitude",
    "district": "district__name",
}


def address_of(street_address, postal_code, city):
    parts = [street_address]
    if postal_code:
        parts.append(f"{postal_code} {city}")
    return ", ".join(part for part in parts if part)


def event_label(title, when, all_day, *, cancelled=False, moved=False):
    """ "Klub sąsiedzki (14 kwietnia 2026, 18:00)", marked when that date is cancelled or moved, as cards mark it.

    An event's link on a map keeps its title apart too ("title"): the label begins with it, and the list of places
    and the map's popups mark that part as Polish on English pages (common/language.py)."""
    when = timezone.localtime(when)
    date = formats.date_format(when, "j E Y" if all_day else "j E Y, H:i")
    mark = _("odwołane") if cancelled else _("nowy termin") if moved else ""
    return f"{title} ({date}) – {mark}" if mark else f"{title} ({date})"


def where(entry, district_words):
    """A place's address and district in words: "ul. Przykładowa 1, 01-234 Warszawa, dzielnica Wola"."""
    district = entry["district"] and district_words % {"district": entry["district"]}
    return ", ".join(part for part in (entry["address"], district) if part)


class MapBuilder:
    """Collects places once each, with the links that belong to them, and areas.

    Places come as Place objects (add_place, add_event) or, where a page reads many, as plain values (add_row).
    """

    def __init__(self):
        self.places = {}
        self.areas = []
        self.city = _("Warszawa")
        self.place_url = slug_urls("partnerships:place_detail")

    def add_row(self, pk, *, name, slug, street_address, postal_code, district, latitude, longitude, link=None):
        entry = self.places.get(pk)
        if entry is None:
            entry = {
                "name": name,
                "url": self.place_url(slug),
                "address": address_of(street_address, postal_code, self.city),
                "district": district or "",
                "lat": float(latitude) if latitude is not None else None,
                "lon": float(longitude) if longitude is not None else None,
                "links": [],
            }
            self.places[pk] = entry
        if link and link not in entry["links"]:
            entry["links"].append(link)

    def add_place(self, place, link=None):
        if place is None:
            return
        district = place.district if Place.district.is_cached(place) else None
        self.add_row(
            place.pk,
            name=place.name,
            slug=place.slug,
            street_address=place.street_address,
            postal_code=getattr(place, "postal_code", ""),
            district=district.name if district else "",
            latitude=place.latitude,
            longitude=place.longitude,
            link=link,
        )

    def add_event(self, event):
        if event.place_id:
            # A series shows its next date when the list knows it (Event.objects.upcoming() annotates it).
            when = getattr(event, "next_start", None) or event.start
            cancelled = event.is_cancelled or getattr(event, "next_status", None) == Occurrence.Status.CANCELLED
            moved = getattr(event, "next_moved", False)
            label = event_label(event.title, when, event.all_day, cancelled=cancelled, moved=moved)
            self.add_place(event.place, {"label": label, "url": event.get_absolute_url(), "title": event.title})

    def add_area(self, partnership):
        geometry = area_geometry(partnership.area_geojson)
        if geometry:
            self.areas.append({"name": partnership.name, "url": partnership.get_absolute_url(), "geometry": geometry})

    def build(self, label):
        places = sorted(self.places.values(), key=lambda entry: entry["name"].lower())
        points = [entry for entry in places if entry["lat"] is not None]
        district_words = _("dzielnica %(district)s")
        # The list of places beside the map (its text alternative), with each address in words.
        listed = [
            {
                "name": entry["name"],
                "url": entry["url"],
                "where": where(entry, district_words),
                "on_map": entry["lat"] is not None,
                "links": entry["links"],
            }
            for entry in places
        ]
        return {
            "label": label,
            "places": listed,
            "has_map": bool(points or self.areas),
            "data": {"points": points, "areas": self.areas},
            "tile_url": settings.MAP_TILE_URL,
            "attribution": settings.MAP_ATTRIBUTION or osm_attribution(),
        }


def osm_attribution():
    """OpenStreetMap's credit in the page's language, as its licence asks: HTML as text, escaped again in the
    map's data-attribution."""
    credit = html.escape(_("współtwórcy OpenStreetMap"))
    return f'&copy; <a href="https://www.openstreetmap.org/copyright">{credit}</a>'


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
    """The whole network: the places of published partnerships and of upcoming events (two queries).

    Read as plain values: the map shows two hundred places, and model objects for each made most of the home
    page's work when nothing is cached.
    """
    builder = MapBuilder()
    partnership_url, event_url = slug_urls("partnerships:detail"), slug_urls("events:detail")
    place_columns = [f"place__{column}" for column in PLACE_COLUMNS.values()]
    meetings = (
        Partnership.places.through.objects.filter(partnership__is_published=True, place__latitude__isnull=False)
        .order_by("partnership__sort_name", "pk")
        .values_list("place_id", *place_columns, "partnership__name", "partnership__slug")
    )
    for place_id, *place, name, slug in meetings[:NETWORK_PLACES]:
        link = {"label": name, "url": partnership_url(slug)}
        builder.add_row(place_id, **dict(zip(PLACE_COLUMNS, place, strict=True)), link=link)
    # The next dates (an index scan on the dates' start), not every event ranked by its next date.
    dates = (
        Occurrence.objects.public()
        .scheduled()
        .upcoming(now)
        .filter(event__place__latitude__isnull=False)
        .values_list(
            "event_id",
            "start",
            "moved",
            "event__title",
            "event__slug",
            "event__all_day",
            "event__place_id",
            *(f"event__{column}" for column in place_columns),
        )
    )
    shown = set()
    for event_id, start, moved, title, slug, all_day, place_id, *place in dates[: NETWORK_EVENTS * 2]:
        if event_id in shown or len(shown) == NETWORK_EVENTS:
            continue
        shown.add(event_id)
        link = {"label": event_label(title, start, all_day, moved=moved), "url": event_url(slug), "title": title}
        builder.add_row(place_id, **dict(zip(PLACE_COLUMNS, place, strict=True)), link=link)
    return builder.build(label)
