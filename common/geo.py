"""Partnership areas as GeoJSON: validation for the forms that store them, normalisation for maps and exports.

A partnership's area is one Polygon or MultiPolygon in WGS84 longitude/latitude
(GeoJSON order: longitude first), every point inside Warsaw. Forms accept what
drawing tools export — a bare geometry, a Feature or a FeatureCollection of
polygons — and store the bare geometry, rounded to six decimals (about 10 cm).
"""

import math
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Warsaw's bounding box, with a small margin: coordinates outside it are a typo.
WARSAW_LAT = (Decimal("52.09"), Decimal("52.37"))
WARSAW_LON = (Decimal("20.85"), Decimal("21.28"))

MAX_AREA_POINTS = 5000
POLYGON_TYPES = ("Polygon", "MultiPolygon")


def _geometries(value):
    """The geometries inside a geometry, a Feature or a FeatureCollection."""
    if not isinstance(value, dict):
        raise ValidationError(
            _("Wklej obiekt GeoJSON: wielokąt (Polygon) albo kilka wielokątów (MultiPolygon)."), code="not_object"
        )
    kind = value.get("type")
    if kind == "FeatureCollection":
        features = value.get("features")
        if not isinstance(features, list) or not features:
            raise ValidationError(_("Kolekcja GeoJSON nie zawiera żadnego obszaru."), code="empty")
        return [geometry for feature in features for geometry in _geometries(feature)]
    if kind == "Feature":
        return _geometries(value.get("geometry"))
    if kind not in POLYGON_TYPES:
        raise ValidationError(
            _("Obszar musi być wielokątem (Polygon albo MultiPolygon), a nie „%(type)s”."),
            code="not_polygon",
            params={"type": str(kind)[:40]},
        )
    return [value]


def _point(position):
    if (
        not isinstance(position, list | tuple)
        or len(position) < 2
        or not all(isinstance(n, int | float) and not isinstance(n, bool) for n in position[:2])
        or not all(math.isfinite(n) for n in position[:2])
    ):
        raise ValidationError(
            _("Każdy punkt to para liczb [długość, szerokość], np. [21.0122, 52.2297]."), code="bad_point"
        )
    lon, lat = round(float(position[0]), 6), round(float(position[1]), 6)
    inside = float(WARSAW_LON[0]) <= lon <= float(WARSAW_LON[1]) and float(WARSAW_LAT[0]) <= lat <= float(WARSAW_LAT[1])
    if not inside:
        raise ValidationError(
            _(
                "Punkt [%(lon)s, %(lat)s] leży poza Warszawą. W GeoJSON najpierw jest długość geograficzna "
                "(ok. 21), potem szerokość (ok. 52) – sprawdź, czy nie są zamienione."
            ),
            code="outside_warsaw",
            params={"lon": lon, "lat": lat},
        )
    return [lon, lat]


def _ring(ring):
    if not isinstance(ring, list):
        raise ValidationError(
            _("Współrzędne wielokąta mają zły układ: potrzebna jest lista pierścieni, każdy z listą punktów."),
            code="bad_structure",
        )
    points = [_point(position) for position in ring]
    if len(points) < 4:
        raise ValidationError(_("Każdy pierścień wielokąta musi mieć co najmniej 4 punkty."), code="short_ring")
    if points[0] != points[-1]:
        raise ValidationError(
            _("Pierścień wielokąta musi kończyć się tym samym punktem, od którego się zaczyna."), code="open_ring"
        )
    return points


def _polygon(rings):
    if not isinstance(rings, list) or not rings:
        raise ValidationError(
            _("Współrzędne wielokąta mają zły układ: potrzebna jest lista pierścieni, każdy z listą punktów."),
            code="bad_structure",
        )
    return [_ring(ring) for ring in rings]


def validate_area_geojson(value):
    """The area as one normalised Polygon or MultiPolygon geometry, or a ValidationError in Polish."""
    polygons = []
    for geometry in _geometries(value):
        coordinates = geometry.get("coordinates")
        if geometry["type"] == "Polygon":
            polygons.append(_polygon(coordinates))
        else:
            if not isinstance(coordinates, list) or not coordinates:
                raise ValidationError(
                    _("Współrzędne wielokąta mają zły układ: potrzebna jest lista pierścieni, każdy z listą punktów."),
                    code="bad_structure",
                )
            polygons.extend(_polygon(polygon) for polygon in coordinates)
    count = sum(len(ring) for polygon in polygons for ring in polygon)
    if count > MAX_AREA_POINTS:
        raise ValidationError(
            _("Obszar ma za dużo punktów (%(count)d, najwyżej %(max)d). Uprość kształt w programie do rysowania."),
            code="too_many_points",
            params={"count": count, "max": MAX_AREA_POINTS},
        )
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def area_geometry(value):
    """The stored area as a valid geometry for maps and exports, or None when there is none or it is broken."""
    if not value:
        return None
    try:
        return validate_area_geojson(value)
    except ValidationError:
        return None


class AreaGeoJSONField(forms.JSONField):
    """A JSON field that shows an empty box, not the word "null", when there is no area."""

    def prepare_value(self, value):
        return "" if value is None else super().prepare_value(value)


class AreaGeoJSONFormMixin:
    """For ModelForms of Partnership: `area_geojson` is checked and stored as a clean geometry."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("area_geojson")
        if field is not None:
            self.fields["area_geojson"] = AreaGeoJSONField(
                required=False, label=field.label, help_text=field.help_text, widget=field.widget
            )

    def clean_area_geojson(self):
        value = self.cleaned_data.get("area_geojson")
        if value in (None, "", {}, []):
            return None
        return validate_area_geojson(value)
