"""„Co jest blisko mnie?” – the partnerships, places and upcoming events of a resident's area.

Without JavaScript the resident picks their district. With JavaScript they may
share their location instead (static/js/nearby.js): the browser rounds it to
about 100 m and sends it in the address; nothing is stored. With a location,
everything is ordered nearest first and the district is the one of the nearest
place, unless the resident picked another.
"""

import math

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import FloatField, Prefetch, Q
from django.db.models.functions import Cast
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.geo import WARSAW_LAT, WARSAW_LON
from events.models import Event
from partnerships.models import District, Partnership, Place

NEAREST_PLACES = 10
UPCOMING_EVENTS = 10
EARTH_RADIUS_KM = 6371.0


class NearbyForm(forms.Form):
    dzielnica = forms.ModelChoiceField(
        label=_("Twoja dzielnica"),
        queryset=District.objects.only("name", "slug", "sort_name"),
        to_field_name="slug",
        required=False,
        empty_label=_("wybierz dzielnicę"),
        error_messages={"invalid_choice": _("Nie znamy takiej dzielnicy – wybierz ją z listy.")},
    )
    lat = forms.FloatField(
        required=False,
        widget=forms.HiddenInput,
        validators=[
            MinValueValidator(float(WARSAW_LAT[0]), _("To miejsce leży poza Warszawą.")),
            MaxValueValidator(float(WARSAW_LAT[1]), _("To miejsce leży poza Warszawą.")),
        ],
        error_messages={"invalid": _("Nie udało się odczytać lokalizacji – wybierz dzielnicę z listy.")},
    )
    lon = forms.FloatField(
        required=False,
        widget=forms.HiddenInput,
        validators=[
            MinValueValidator(float(WARSAW_LON[0]), _("To miejsce leży poza Warszawą.")),
            MaxValueValidator(float(WARSAW_LON[1]), _("To miejsce leży poza Warszawą.")),
        ],
        error_messages={"invalid": _("Nie udało się odczytać lokalizacji – wybierz dzielnicę z listy.")},
    )

    def __init__(self, data=None, **kwargs):
        if data is not None:
            data = {name: data.get(name, "").replace("\x00", "")[:100] for name in ("dzielnica", "lat", "lon")}
        super().__init__(data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        lat, lon = cleaned.get("lat"), cleaned.get("lon")
        if (lat is None) != (lon is None) and not self.has_error("lat") and not self.has_error("lon"):
            raise forms.ValidationError(_("Lokalizacja jest niepełna – wybierz dzielnicę z listy."), code="partial")
        return cleaned

    @property
    def point(self):
        lat, lon = self.cleaned_data.get("lat"), self.cleaned_data.get("lon")
        return (lat, lon) if lat is not None and lon is not None else None


def distance_km(point, lat, lon):
    """Great-circle distance in kilometres between (lat, lon) pairs."""
    if lat is None or lon is None:
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (point[0], point[1], float(lat), float(lon)))
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def nearest_places(point):
    """Places with coordinates, nearest first, by a flat-earth distance the database can order by."""
    scale = math.cos(math.radians(point[0]))  # a degree of longitude is shorter than one of latitude
    lat = Cast("latitude", FloatField()) - point[0]
    lon = (Cast("longitude", FloatField()) - point[1]) * scale
    return (
        Place.objects.filter(latitude__isnull=False, longitude__isnull=False)
        .select_related("district")
        .annotate(_flat=lat * lat + lon * lon)
        .order_by("_flat", "pk")[:NEAREST_PLACES]
    )


def nearby_of(*, district=None, point=None, now=None):
    """The partnerships, places and upcoming events near a point and/or in a district."""
    now = now or timezone.now()
    places = list(nearest_places(point)) if point else []
    if district is None and places:
        district = places[0].district
    if point is None:
        places = list(Place.objects.filter(district=district).select_related("district"))
    place_ids = [place.pk for place in places]
    if district is None and not place_ids:
        return {"district": None, "partnerships": [], "places": [], "events": []}

    in_partnership_area = Q(places__in=place_ids)
    in_event_area = Q(place__in=place_ids)
    if district is not None:
        in_partnership_area |= Q(districts=district)
        in_event_area |= Q(place__district=district) | Q(organisers__districts=district)
    partnerships = (
        Partnership.objects.public()
        .filter(in_partnership_area)
        .distinct()
        .for_cards()
        .prefetch_related(Prefetch("places", queryset=Place.objects.only("latitude", "longitude")))
    )
    events = Event.objects.public().filter(in_event_area).distinct().for_cards().upcoming(now)[:UPCOMING_EVENTS]
    partnerships, events = list(partnerships), list(events)

    if point:
        for place in places:
            place.distance_km = distance_km(point, place.latitude, place.longitude)
        for partnership in partnerships:
            distances = [distance_km(point, p.latitude, p.longitude) for p in partnership.places.all()]
            partnership.distance_km = min((d for d in distances if d is not None), default=None)
        for event in events:
            event.distance_km = distance_km(point, event.place.latitude, event.place.longitude) if event.place else None
        far = float("inf")
        partnerships.sort(key=lambda p: (p.distance_km if p.distance_km is not None else far, p.sort_name))
        events.sort(key=lambda e: e.distance_km if e.distance_km is not None else far)
    return {"district": district, "partnerships": partnerships, "places": places, "events": events}


def nearby(request):
    form = NearbyForm(request.GET if request.GET else None)
    context = {"form": form}
    if form.is_bound and form.is_valid() and (form.cleaned_data["dzielnica"] or form.point):
        found = nearby_of(district=form.cleaned_data["dzielnica"], point=form.point)
        context.update(found, point=form.point, searched=True)
    return render(request, "search/nearby.html", context)
