"""Open data: read-only JSON, CSV and GeoJSON of what the site shows, and the page that documents it.

Rules every dataset keeps:
* only public data — published partnerships, organisations and events; people
  only when they agreed to publish their contact (`Person.public_contact`);
* stable field names, the same in JSON and CSV, documented from the same
  definitions the export uses (`DATASETS`), so the page cannot drift;
* JSON is paginated; CSV and GeoJSON are whole; every response carries
  `Last-Modified` and an `ETag` computed by one query before any data is read,
  so an unchanged dataset answers 304 at once;
* a bounded number of queries whatever the size of the network.

Labels (`*_label`) are always in Polish, the source language, so the files do
not depend on the reader's browser.
"""

import csv
import hashlib
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.db import connection
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import condition, require_GET

from common.geo import area_geometry
from common.spreadsheets import neutralise
from events.models import Event
from members.models import Membership, Organisation, PartnershipRole, Person
from partnerships.models import District, Partnership, Place, WorkingGroup
from practices.models import Practice, Topic

JSON_PAGE_SIZE = 100
LICENCE = {
    "name": "CC BY 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/deed.pl",
    "attribution": "Warszawska Sieć Partnerstw Lokalnych (WSPL)",
}

# Field types as the documentation names them.
TEXT, NUMBER, BOOLEAN, DATE, DATETIME, URL, LIST, OBJECTS = (
    _("tekst"),
    _("liczba"),
    _("tak/nie (true/false)"),
    _("data (RRRR-MM-DD)"),
    _("data i godzina (ISO 8601, czas warszawski)"),
    _("adres URL"),
    _("lista tekstów"),
    _("lista obiektów"),
)


@dataclass(frozen=True)
class Field:
    name: str
    type: object
    description: object


@dataclass
class Dataset:
    key: str  # in the address: /dane/<key>.<format>
    title: object
    description: object
    formats: tuple
    fields: list = field(default_factory=list)

    # Overridden per dataset:
    def queryset(self):
        raise NotImplementedError

    def row(self, obj, request):
        raise NotImplementedError

    def version_sources(self):
        """(queryset, timestamp column) pairs whose newest change and row count identify the data's version."""
        raise NotImplementedError

    def field_names(self):
        return [item.name for item in self.fields]


def absolute(request, url):
    return request.build_absolute_uri(url)


def _request_cache(request, name):
    return request.__dict__.setdefault(f"_open_data_{name}", {})


def label(request, field, value):
    """The Polish label of a choice, looked up once per request (get_FOO_display() is slow on 10 000 rows)."""
    labels = _request_cache(request, "labels")
    if field not in labels:
        labels[field] = {key: str(text) for key, text in field.flatchoices}
    return labels[field].get(value, value)


def page_url(request, obj):
    """The absolute address of an object's page, with one reverse() per model and request."""
    prefixes = _request_cache(request, "urls")
    model = type(obj)
    if model not in prefixes:
        marker = "slug-of-the-object"
        sample = model(slug=marker).get_absolute_url()
        prefixes[model] = absolute(request, sample).split(marker)
    start, end = prefixes[model]
    return f"{start}{obj.slug}{end}"


def field_of(model, name):
    return model._meta.get_field(name)


def iso(value):
    """Dates and times as ISO 8601 (times in Warsaw's zone, with the offset); decimals as numbers."""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def today():
    return timezone.localdate()


def current_membership():
    return Q(until__isnull=True) | Q(until__gte=today())


# --- partnerships ----------------------------------------------------------------------------------------------


PERSON_FIELDS = ("first_name", "last_name", "email", "phone", "public_contact")


class PartnershipDataset(Dataset):
    def queryset(self):
        members = (
            Membership.objects.filter(current_membership(), partnership=OuterRef("pk"), organisation__is_published=True)
            .order_by()
            .values("partnership")
            .annotate(n=Count("pk"))
            .values("n")
        )
        team = (
            PartnershipRole.objects.current()
            .filter(person__public_contact=True)
            .select_related("person")
            .only("role", "partnership_id", *(f"person__{name}" for name in PERSON_FIELDS))
            .order_by("role", "person__sort_name")
        )
        return (
            Partnership.objects.public()
            .annotate(member_count=Coalesce(Subquery(members), 0))
            .prefetch_related(
                Prefetch("districts", queryset=District.objects.only("slug", "sort_name")),
                Prefetch("places", queryset=Place.objects.only("slug", "sort_name")),
                Prefetch("team_roles", queryset=team, to_attr="public_team"),
            )
            .order_by("sort_name", "pk")
        )

    def row(self, partnership, request):
        row = {
            "slug": partnership.slug,
            "name": partnership.name,
            "url": page_url(request, partnership),
            "kind": partnership.kind,
            "kind_label": label(request, field_of(Partnership, "kind"), partnership.kind),
            "status": partnership.status,
            "status_label": label(request, field_of(Partnership, "status"), partnership.status),
            "formal_status": partnership.formal_status,
            "formal_status_label": label(request, field_of(Partnership, "formal_status"), partnership.formal_status),
            "declaration_signed_on": iso(partnership.declaration_signed_on),
            "founded_year": partnership.founded_year,
            "citywide": partnership.citywide,
            "districts": [district.slug for district in partnership.districts.all()],
            "area": partnership.area,
            "summary": partnership.summary,
            "description": partnership.description,
            "goals": partnership.goals,
            "contact_name": partnership.contact_name,
            "contact_email": partnership.contact_email,
            "contact_phone": partnership.contact_phone,
            "website": partnership.website,
            "facebook_url": partnership.facebook_url,
            "instagram_url": partnership.instagram_url,
        }
        for key, _label in Partnership.CONDITIONS:
            row[f"condition_{key}"] = getattr(partnership, f"condition_{key}")
        row.update(
            {
                "member_count": partnership.member_count,
                "places": [place.slug for place in partnership.places.all()],
                "has_area": area_geometry(partnership.area_geojson) is not None,
                "team": [
                    {
                        "name": role.person.full_name,
                        "role": role.role,
                        "role_label": label(request, field_of(PartnershipRole, "role"), role.role),
                        "email": role.person.email,
                        "phone": role.person.phone,
                    }
                    for role in partnership.public_team
                ],
                "updated_at": iso(partnership.updated_at),
            }
        )
        return row

    def version_sources(self):
        return [
            (Partnership.objects.public(), "updated_at"),
            (Partnership.history.model.objects.all(), "history_date"),
            (Membership.history.model.objects.all(), "history_date"),
            (PartnershipRole.history.model.objects.all(), "history_date"),
            (Organisation.objects.all(), "updated_at"),
        ]


# --- organisations ---------------------------------------------------------------------------------------------


class OrganisationDataset(Dataset):
    def queryset(self):
        memberships = (
            Membership.objects.filter(partnership__is_published=True)
            .select_related("partnership")
            .only(
                "role",
                "since",
                "until",
                "signed_declaration",
                "organisation_id",
                "partnership__slug",
                "partnership__name",
            )
            .order_by("partnership__sort_name", "-since", "pk")
        )
        return (
            Organisation.objects.public()
            .select_related("district")
            .prefetch_related(Prefetch("memberships", queryset=memberships, to_attr="public_memberships"))
            .order_by("sort_name", "pk")
        )

    def row(self, organisation, request):
        return {
            "slug": organisation.slug,
            "name": organisation.name,
            "url": page_url(request, organisation),
            "sector": organisation.sector,
            "sector_label": label(request, field_of(Organisation, "sector"), organisation.sector),
            "kind": organisation.kind,
            "description": organisation.description,
            "street_address": organisation.street_address,
            "postal_code": organisation.postal_code,
            "district": organisation.district.slug if organisation.district else None,
            "website": organisation.website,
            "email": organisation.email,
            "phone": organisation.phone,
            "krs": organisation.krs,
            "memberships": [
                {
                    "partnership": membership.partnership.slug,
                    "partnership_name": membership.partnership.name,
                    "role": membership.role,
                    "role_label": label(request, field_of(Membership, "role"), membership.role),
                    "since": iso(membership.since),
                    "until": iso(membership.until),
                    "signed_declaration": membership.signed_declaration,
                }
                for membership in organisation.public_memberships
            ],
            "updated_at": iso(organisation.updated_at),
        }

    def version_sources(self):
        return [
            (Organisation.objects.public(), "updated_at"),
            (Organisation.history.model.objects.all(), "history_date"),
            (Membership.history.model.objects.all(), "history_date"),
            (Partnership.objects.all(), "updated_at"),
        ]


# --- events ----------------------------------------------------------------------------------------------------


class EventDataset(Dataset):
    def queryset(self):
        return (
            Event.objects.public()
            .select_related("place__district")
            .prefetch_related(
                Prefetch(
                    "organisers",
                    queryset=Partnership.objects.only("slug", "name", "is_published", "sort_name").order_by(
                        "sort_name"
                    ),
                )
            )
            .order_by("start", "pk")
        )

    def row(self, event, request):
        place = event.place
        organisers = list(event.organisers.all())
        return {
            "slug": event.slug,
            "title": event.title,
            "url": page_url(request, event),
            "kind": event.kind,
            "kind_label": label(request, field_of(Event, "kind"), event.kind),
            "status": event.status,
            "cancellation_reason": event.cancellation_reason,
            "start": iso(event.start),
            "end": iso(event.end),
            "all_day": event.all_day,
            "recurrence": getattr(event, "recurrence", ""),
            "place": place.slug if place else None,
            "place_name": place.name if place else "",
            "street_address": place.street_address if place else "",
            "district": place.district.slug if place else None,
            "latitude": iso(place.latitude) if place else None,
            "longitude": iso(place.longitude) if place else None,
            "online_url": event.online_url,
            "organisers": [partnership.slug for partnership in organisers if partnership.is_published],
            "network_wide": not organisers,
            "audience": event.audience,
            "registration_url": event.registration_url,
            "description": event.description,
            "updated_at": iso(event.updated_at),
        }

    def version_sources(self):
        return [
            (Event.objects.public(), "updated_at"),
            (Event.history.model.objects.all(), "history_date"),
            (Partnership.objects.all(), "updated_at"),
            (Place.objects.all(), "updated_at"),
        ]


# --- good practices --------------------------------------------------------------------------------------------


class PracticeDataset(Dataset):
    RANGES = ("time_needed", "money_needed", "space_needed", "people_needed")

    def queryset(self):
        return (
            Practice.objects.public()
            .select_related("partnership", "contact_person", "working_group")
            .prefetch_related(
                Prefetch("topics", queryset=Topic.objects.only("slug", "order", "name")),
                Prefetch("organisations", queryset=Organisation.objects.public().only("slug", "sort_name")),
                Prefetch("partner_partnerships", queryset=Partnership.objects.public().only("slug", "sort_name")),
            )
            .order_by("-published_at", "pk")
        )

    def row(self, practice, request):
        person = practice.contact_person
        consent = person is not None and person.public_contact
        group = practice.working_group
        row = {
            "slug": practice.slug,
            "title": practice.title,
            "url": page_url(request, practice),
            "partnership": practice.partnership.slug,
            "partnership_name": practice.partnership.name,
            "topics": [topic.slug for topic in practice.topics.all()],
            "summary": practice.summary,
            "easy_read": practice.easy_read,
            "problem": practice.problem,
            "steps": practice.steps,
            "organisations": [organisation.slug for organisation in practice.organisations.all()],
            "partner_partnerships": [partnership.slug for partnership in practice.partner_partnerships.all()],
            "participants_note": practice.participants_note,
        }
        for name in self.RANGES:
            value = getattr(practice, name)
            row[name] = value
            row[f"{name}_label"] = label(request, field_of(Practice, name), value) if value else ""
        row.update(
            {
                "needs_note": practice.needs_note,
                "worked": practice.worked,
                "did_not_work": practice.did_not_work,
                "results": practice.results,
                "contact_name": person.full_name if consent else "",
                "contact_email": person.email if consent else "",
                "contact_phone": person.phone if consent else "",
                "working_group": group.slug if group is not None and group.is_published else None,
                "started_on": iso(practice.started_on),
                "ended_on": iso(practice.ended_on),
                "published_at": iso(practice.published_at),
                "updated_at": iso(practice.updated_at),
            }
        )
        return row

    def version_sources(self):
        return [
            (Practice.objects.public(), "updated_at"),
            (Practice.history.model.objects.all(), "history_date"),
            (Partnership.objects.all(), "updated_at"),
            (Organisation.objects.all(), "updated_at"),
            (Person.objects.all(), "updated_at"),
            (WorkingGroup.objects.all(), None),
            (Topic.history.model.objects.all(), "history_date"),
        ]


# --- districts -------------------------------------------------------------------------------------------------


def count_of(queryset, back):
    rows = queryset.filter(**{back: OuterRef("pk")}).order_by().values(back).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows), 0)


class DistrictDataset(Dataset):
    def queryset(self):
        through = Partnership.districts.through
        return District.objects.annotate(
            partnership_count=count_of(through.objects.filter(partnership__is_published=True), "district"),
            organisation_count=count_of(Organisation.objects.public(), "district"),
            place_count=count_of(Place.objects.all(), "district"),
        ).order_by("sort_name", "pk")

    def row(self, district, request):
        return {
            "slug": district.slug,
            "name": district.name,
            "url": page_url(request, district),
            "bank": district.bank,
            "population": district.population,
            "area_km2": iso(district.area_km2),
            "partnership_count": district.partnership_count,
            "organisation_count": district.organisation_count,
            "place_count": district.place_count,
        }

    def version_sources(self):
        return [
            (District.objects.all(), None),
            (Partnership.objects.all(), "updated_at"),
            (Organisation.objects.all(), "updated_at"),
            (Place.objects.all(), "updated_at"),
        ]


# --- places (GeoJSON points) -----------------------------------------------------------------------------------


class PlaceDataset(Dataset):
    def queryset(self):
        return (
            Place.objects.select_related("district")
            .prefetch_related(
                Prefetch(
                    "partnerships",
                    queryset=Partnership.objects.public().only("slug", "sort_name").order_by("sort_name"),
                )
            )
            .order_by("sort_name", "pk")
        )

    def row(self, place, request):
        return {
            "slug": place.slug,
            "name": place.name,
            "url": page_url(request, place),
            "street_address": place.street_address,
            "postal_code": place.postal_code,
            "district": place.district.slug,
            "latitude": iso(place.latitude),
            "longitude": iso(place.longitude),
            "is_neighbourhood_house": place.is_neighbourhood_house,
            "accessibility": place.accessibility,
            "partnerships": [partnership.slug for partnership in place.partnerships.all()],
            "updated_at": iso(place.updated_at),
        }

    def feature(self, place, request):
        if place.latitude is None or place.longitude is None:
            return None
        properties = self.row(place, request)
        return {
            "type": "Feature",
            "id": place.slug,
            "geometry": {"type": "Point", "coordinates": [float(place.longitude), float(place.latitude)]},
            "properties": properties,
        }

    def version_sources(self):
        return [(Place.objects.all(), "updated_at"), (Partnership.objects.all(), "updated_at")]


# --- partnership areas (GeoJSON polygons) ----------------------------------------------------------------------


class AreaDataset(Dataset):
    def queryset(self):
        return (
            Partnership.objects.public()
            .filter(area_geojson__isnull=False)
            .only("slug", "name", "area_geojson", "sort_name", "updated_at")
            .prefetch_related(Prefetch("districts", queryset=District.objects.only("slug", "sort_name")))
            .order_by("sort_name", "pk")
        )

    def row(self, partnership, request):
        return {
            "slug": partnership.slug,
            "name": partnership.name,
            "url": page_url(request, partnership),
            "districts": [district.slug for district in partnership.districts.all()],
            "updated_at": iso(partnership.updated_at),
        }

    def feature(self, partnership, request):
        geometry = area_geometry(partnership.area_geojson)
        if geometry is None:
            return None
        return {
            "type": "Feature",
            "id": partnership.slug,
            "geometry": geometry,
            "properties": self.row(partnership, request),
        }

    def version_sources(self):
        return [(Partnership.objects.public(), "updated_at"), (Partnership.objects.all(), "updated_at")]


CONDITION_FIELDS = [
    Field(f"condition_{key}", BOOLEAN, format_lazy(_("Warunek rozwoju partnerstwa: {label}."), label=label))
    for key, label in Partnership.CONDITIONS
]

DATASETS = [
    PartnershipDataset(
        key="partnerstwa",
        title=_("Partnerstwa"),
        description=_("Opublikowane partnerstwa lokalne i tematyczne: obszar, stan, forma współpracy, kontakt."),
        formats=("json", "csv"),
        fields=[
            Field("slug", TEXT, _("Stały identyfikator, część adresu strony partnerstwa.")),
            Field("name", TEXT, _("Nazwa.")),
            Field("url", URL, _("Strona partnerstwa w katalogu.")),
            Field("kind", TEXT, _("Rodzaj: local (lokalne) albo thematic (tematyczne).")),
            Field("kind_label", TEXT, _("Rodzaj po polsku.")),
            Field("status", TEXT, _("Stan: forming (w tworzeniu), active (działające), dormant (uśpione).")),
            Field("status_label", TEXT, _("Stan po polsku.")),
            Field(
                "formal_status",
                TEXT,
                _("Forma współpracy: declaration (deklaracja), informal (nieformalne), registered (stowarzyszenie)."),
            ),
            Field("formal_status_label", TEXT, _("Forma współpracy po polsku.")),
            Field("declaration_signed_on", DATE, _("Dzień podpisania deklaracji partnerskiej (albo pusto).")),
            Field("founded_year", NUMBER, _("Rok powstania (albo pusto).")),
            Field("citywide", BOOLEAN, _("Czy działa w całej Warszawie.")),
            Field("districts", LIST, _("Identyfikatory (slug) dzielnic, w których działa.")),
            Field("area", TEXT, _("Obszar działania opisany słowami, np. osiedle i ulice graniczne.")),
            Field("summary", TEXT, _("Opis w jednym zdaniu.")),
            Field("description", TEXT, _("Dłuższy opis.")),
            Field("goals", TEXT, _("Cele.")),
            Field("contact_name", TEXT, _("Kontakt – rola lub organizacja (nie osoba prywatna).")),
            Field("contact_email", TEXT, _("Publiczny e-mail kontaktowy partnerstwa.")),
            Field("contact_phone", TEXT, _("Publiczny telefon kontaktowy partnerstwa.")),
            Field("website", URL, _("Strona internetowa.")),
            Field("facebook_url", URL, _("Profil na Facebooku.")),
            Field("instagram_url", URL, _("Profil na Instagramie.")),
            *CONDITION_FIELDS,
            Field("member_count", NUMBER, _("Liczba obecnych organizacji członkowskich (opublikowanych).")),
            Field("places", LIST, _("Identyfikatory (slug) miejsc spotkań – szczegóły w zbiorze „Miejsca”.")),
            Field("has_area", BOOLEAN, _("Czy obszar jest narysowany – kształt w zbiorze „Obszary partnerstw”.")),
            Field(
                "team",
                OBJECTS,
                _(
                    "Zespół: tylko osoby, które zgodziły się na publikację kontaktu – name (imię i nazwisko), "
                    "role, role_label, email, phone."
                ),
            ),
            Field("updated_at", DATETIME, _("Ostatnia zmiana danych partnerstwa.")),
        ],
    ),
    OrganisationDataset(
        key="organizacje",
        title=_("Organizacje"),
        description=_("Opublikowane organizacje, instytucje, firmy i grupy z sektorem i członkostwem w partnerstwach."),
        formats=("json", "csv"),
        fields=[
            Field("slug", TEXT, _("Stały identyfikator, część adresu strony organizacji.")),
            Field("name", TEXT, _("Nazwa.")),
            Field("url", URL, _("Strona organizacji w katalogu.")),
            Field(
                "sector",
                TEXT,
                _("Sektor: ngo, public (instytucja publiczna), business, informal, religious albo other."),
            ),
            Field("sector_label", TEXT, _("Sektor po polsku.")),
            Field("kind", TEXT, _("Rodzaj słowami, np. biblioteka, fundacja.")),
            Field("description", TEXT, _("Opis.")),
            Field("street_address", TEXT, _("Adres.")),
            Field("postal_code", TEXT, _("Kod pocztowy.")),
            Field("district", TEXT, _("Identyfikator (slug) dzielnicy albo pusto.")),
            Field("website", URL, _("Strona internetowa.")),
            Field("email", TEXT, _("Publiczny e-mail organizacji (instytucjonalny).")),
            Field("phone", TEXT, _("Publiczny telefon organizacji.")),
            Field("krs", TEXT, _("Numer KRS (10 cyfr) zarejestrowanych organizacji.")),
            Field(
                "memberships",
                OBJECTS,
                _(
                    "Członkostwo w opublikowanych partnerstwach, także dawne: partnership (slug), partnership_name, "
                    "role (coordinator, member, supporter), role_label, since, until, signed_declaration."
                ),
            ),
            Field("updated_at", DATETIME, _("Ostatnia zmiana danych organizacji.")),
        ],
    ),
    EventDataset(
        key="wydarzenia",
        title=_("Wydarzenia"),
        description=_("Opublikowane wydarzenia – nadchodzące i minione – z miejscem i organizatorami."),
        formats=("json", "csv"),
        fields=[
            Field("slug", TEXT, _("Stały identyfikator, część adresu strony wydarzenia.")),
            Field("title", TEXT, _("Tytuł.")),
            Field("url", URL, _("Strona wydarzenia w katalogu.")),
            Field("kind", TEXT, _("Rodzaj (np. meeting, local, training, seminar, consultation).")),
            Field("kind_label", TEXT, _("Rodzaj po polsku.")),
            Field("status", TEXT, _("scheduled (zaplanowane) albo cancelled (odwołane).")),
            Field("cancellation_reason", TEXT, _("Powód odwołania.")),
            Field("start", DATETIME, _("Początek (pierwszy termin, gdy wydarzenie się powtarza).")),
            Field("end", DATETIME, _("Koniec (pierwszego terminu).")),
            Field("all_day", BOOLEAN, _("Czy trwa cały dzień.")),
            Field("recurrence", TEXT, _("Reguła powtarzania RRULE (RFC 5545) albo pusto dla jednego terminu.")),
            Field("place", TEXT, _("Identyfikator (slug) miejsca albo pusto.")),
            Field("place_name", TEXT, _("Nazwa miejsca.")),
            Field("street_address", TEXT, _("Adres miejsca.")),
            Field("district", TEXT, _("Identyfikator (slug) dzielnicy miejsca.")),
            Field("latitude", NUMBER, _("Szerokość geograficzna miejsca (WGS84).")),
            Field("longitude", NUMBER, _("Długość geograficzna miejsca (WGS84).")),
            Field("online_url", URL, _("Link do spotkania online.")),
            Field("organisers", LIST, _("Identyfikatory (slug) partnerstw, które organizują.")),
            Field("network_wide", BOOLEAN, _("Wydarzenie całej sieci (bez organizatora-partnerstwa).")),
            Field("audience", TEXT, _("Dla kogo.")),
            Field("registration_url", URL, _("Link do zapisów.")),
            Field("description", TEXT, _("Opis.")),
            Field("updated_at", DATETIME, _("Ostatnia zmiana danych wydarzenia.")),
        ],
    ),
    DistrictDataset(
        key="dzielnice",
        title=_("Dzielnice"),
        description=_("18 dzielnic Warszawy z liczbą partnerstw, organizacji i miejsc w katalogu."),
        formats=("json", "csv"),
        fields=[
            Field("slug", TEXT, _("Stały identyfikator (bez polskich liter), np. praga-poludnie.")),
            Field("name", TEXT, _("Nazwa.")),
            Field("url", URL, _("Strona dzielnicy w katalogu.")),
            Field("bank", TEXT, _("Brzeg Wisły: left albo right.")),
            Field("population", NUMBER, _("Liczba mieszkańców (albo pusto).")),
            Field("area_km2", NUMBER, _("Powierzchnia w km² (albo pusto).")),
            Field("partnership_count", NUMBER, _("Liczba opublikowanych partnerstw działających w dzielnicy.")),
            Field("organisation_count", NUMBER, _("Liczba opublikowanych organizacji z dzielnicy.")),
            Field("place_count", NUMBER, _("Liczba miejsc w dzielnicy.")),
        ],
    ),
    PlaceDataset(
        key="miejsca",
        title=_("Miejsca"),
        description=_(
            "Miejsca spotkań i wydarzeń: domy sąsiedzkie, biblioteki, szkoły. GeoJSON zawiera tylko miejsca "
            "ze współrzędnymi; CSV – wszystkie."
        ),
        formats=("geojson", "csv"),
        fields=[
            Field("slug", TEXT, _("Stały identyfikator, część adresu strony miejsca.")),
            Field("name", TEXT, _("Nazwa.")),
            Field("url", URL, _("Strona miejsca w katalogu.")),
            Field("street_address", TEXT, _("Adres.")),
            Field("postal_code", TEXT, _("Kod pocztowy.")),
            Field("district", TEXT, _("Identyfikator (slug) dzielnicy.")),
            Field("latitude", NUMBER, _("Szerokość geograficzna (WGS84) albo pusto.")),
            Field("longitude", NUMBER, _("Długość geograficzna (WGS84) albo pusto.")),
            Field("is_neighbourhood_house", BOOLEAN, _("Czy to dom sąsiedzki lub centrum aktywności lokalnej.")),
            Field("accessibility", TEXT, _("Dostępność, np. wejście bez progów.")),
            Field("partnerships", LIST, _("Identyfikatory (slug) opublikowanych partnerstw, które tu się spotykają.")),
            Field("updated_at", DATETIME, _("Ostatnia zmiana danych miejsca.")),
        ],
    ),
    AreaDataset(
        key="obszary-partnerstw",
        title=_("Obszary partnerstw"),
        description=_(
            "Kształty obszarów działania partnerstw (Polygon albo MultiPolygon, WGS84) – tylko tych, "
            "które je narysowały."
        ),
        formats=("geojson",),
        fields=[
            Field("slug", TEXT, _("Identyfikator partnerstwa – ten sam co w zbiorze „Partnerstwa”.")),
            Field("name", TEXT, _("Nazwa partnerstwa.")),
            Field("url", URL, _("Strona partnerstwa w katalogu.")),
            Field("districts", LIST, _("Identyfikatory (slug) dzielnic.")),
            Field("updated_at", DATETIME, _("Ostatnia zmiana danych partnerstwa.")),
        ],
    ),
    PracticeDataset(
        key="dobre-praktyki",
        title=_("Dobre praktyki"),
        description=_(
            "Opublikowane dobre praktyki partnerstw w jednym stałym układzie: potrzeba, kroki, kto wziął udział, "
            "czego było trzeba, co się udało i co nie, rezultaty."
        ),
        formats=("json", "csv"),
        fields=[
            Field("slug", TEXT, _("Stały identyfikator, część adresu strony praktyki.")),
            Field("title", TEXT, _("Tytuł.")),
            Field("url", URL, _("Strona praktyki w katalogu.")),
            Field("partnership", TEXT, _("Identyfikator (slug) partnerstwa, które opisało praktykę.")),
            Field("partnership_name", TEXT, _("Nazwa partnerstwa.")),
            Field("topics", LIST, _("Identyfikatory (slug) tematów, np. dom-sasiedzki.")),
            Field("summary", TEXT, _("W skrócie, jednym zdaniem.")),
            Field("easy_read", TEXT, _("Ta sama historia w prostych słowach (albo pusto).")),
            Field("problem", TEXT, _("Problem lub potrzeba (Markdown).")),
            Field("steps", TEXT, _("Co zrobiono, krok po kroku (Markdown).")),
            Field("organisations", LIST, _("Identyfikatory (slug) opublikowanych organizacji, które wzięły udział.")),
            Field("partner_partnerships", LIST, _("Identyfikatory (slug) innych partnerstw, które wzięły udział.")),
            Field("participants_note", TEXT, _("Kto jeszcze wziął udział.")),
            Field("time_needed", TEXT, _("Czas: weeks, months, half_year, years (albo pusto).")),
            Field("time_needed_label", TEXT, _("Czas po polsku.")),
            Field("money_needed", TEXT, _("Pieniądze: none, small, medium, large, huge (albo pusto).")),
            Field("money_needed_label", TEXT, _("Pieniądze po polsku.")),
            Field("space_needed", TEXT, _("Miejsce: none, room, outdoor, house (albo pusto).")),
            Field("space_needed_label", TEXT, _("Miejsce po polsku.")),
            Field("people_needed", TEXT, _("Ludzie do pracy: few, team, many, crowd (albo pusto).")),
            Field("people_needed_label", TEXT, _("Ludzie do pracy po polsku.")),
            Field("needs_note", TEXT, _("Czego jeszcze było trzeba.")),
            Field("worked", TEXT, _("Co się udało (Markdown).")),
            Field("did_not_work", TEXT, _("Co się nie udało i czego się nauczono (Markdown).")),
            Field("results", TEXT, _("Rezultaty (Markdown).")),
            Field("contact_name", TEXT, _("Osoba do kontaktu – tylko gdy zgodziła się na publikację kontaktu.")),
            Field("contact_email", TEXT, _("Jej e-mail – tylko za zgodą.")),
            Field("contact_phone", TEXT, _("Jej telefon – tylko za zgodą.")),
            Field("working_group", TEXT, _("Identyfikator (slug) zespołu roboczego sieci albo pusto.")),
            Field("started_on", DATE, _("Początek (albo pusto).")),
            Field("ended_on", DATE, _("Koniec (pusto: trwa nadal).")),
            Field("published_at", DATETIME, _("Kiedy opublikowano.")),
            Field("updated_at", DATETIME, _("Ostatnia zmiana praktyki.")),
        ],
    ),
]
DATASETS_BY_KEY = {dataset.key: dataset for dataset in DATASETS}


# --- versions: Last-Modified and ETag from one query ------------------------------------------------------------


def _as_datetime(value):
    if value is None or isinstance(value, datetime):
        return value if value is None or timezone.is_aware(value) else timezone.make_aware(value, UTC)
    parsed = parse_datetime(str(value))
    if parsed is None:
        return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, UTC)


def dataset_version(dataset, request):
    """(newest change, ETag) of a dataset, from one query; remembered for the rest of the request."""
    cache = request.__dict__.setdefault("_open_data_versions", {})
    if dataset.key in cache:
        return cache[dataset.key]
    parts, params = [], []
    for index, (queryset, column) in enumerate(dataset.version_sources()):
        sql, source_params = queryset.order_by().values("pk").query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS n{index})")
        params.extend(source_params)
        if column:
            sql, source_params = queryset.order_by().values(column).query.sql_with_params()
            parts.append(f"(SELECT MAX({connection.ops.quote_name(column)}) FROM ({sql}) AS m{index})")
            params.extend(source_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        values = cursor.fetchone()
    stamps = [stamp for stamp in (_as_datetime(value) for value in values if not isinstance(value, int)) if stamp]
    last_modified = max(stamps, default=None)
    fingerprint = "|".join(str(value) for value in (dataset.key, today(), *values))
    cache[dataset.key] = (last_modified, hashlib.sha256(fingerprint.encode()).hexdigest()[:32])
    return cache[dataset.key]


def conditional_on_dataset(dataset, fmt):
    """`condition()` with this dataset's version: 304 Not Modified before any data is read."""

    def etag(request, **kwargs):
        page = request.GET.get("page", "1") if fmt == "json" else ""
        return f"{dataset_version(dataset, request)[1]}-{fmt}-{page[:12]}"

    def last_modified(request, **kwargs):
        return dataset_version(dataset, request)[0]

    return condition(etag_func=etag, last_modified_func=last_modified)


# --- responses -------------------------------------------------------------------------------------------------


def open_headers(response):
    """Readable from partner sites' JavaScript too: public data, no cookies."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


def json_export(request, dataset):
    paginator = Paginator(dataset.queryset(), JSON_PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        return open_headers(
            JsonResponse({"error": str(_("Nie ma takiej strony danych.")), "pages": paginator.num_pages}, status=404)
        )
    base = absolute(request, reverse(f"opendata:{dataset.key}-json"))
    body = {
        "dataset": dataset.key,
        "title": str(dataset.title),
        "licence": LICENCE,
        "documentation": absolute(request, reverse("open_data")),
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "page_size": JSON_PAGE_SIZE,
        "next": f"{base}?page={page.next_page_number()}" if page.has_next() else None,
        "previous": f"{base}?page={page.previous_page_number()}" if page.has_previous() else None,
        "results": [dataset.row(obj, request) for obj in page.object_list],
    }
    return open_headers(JsonResponse(body, json_dumps_params={"ensure_ascii": False}))


def csv_cell(value):
    """One CSV cell: lists joined with |, objects as key=value pairs; no spreadsheet formulas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return " | ".join(
            "; ".join(f"{key}={csv_cell(inner)}" for key, inner in item.items())
            if isinstance(item, dict)
            else csv_cell(item)
            for item in value
        )
    return neutralise(str(value))


def csv_export(request, dataset):
    buffer = io.StringIO()
    buffer.write("\ufeff")  # a BOM, so spreadsheets read the Polish letters as UTF-8
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(dataset.field_names())
    for obj in dataset.queryset():
        row = dataset.row(obj, request)
        writer.writerow([csv_cell(row[name]) for name in dataset.field_names()])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="wspl-{dataset.key}.csv"'
    return open_headers(response)


def geojson_export(request, dataset):
    features = [feature for obj in dataset.queryset() if (feature := dataset.feature(obj, request))]
    body = {
        "type": "FeatureCollection",
        "name": dataset.key,
        "licence": LICENCE,
        "documentation": absolute(request, reverse("open_data")),
        "features": features,
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False}, content_type="application/geo+json")
    return open_headers(response)


EXPORTERS = {"json": json_export, "csv": csv_export, "geojson": geojson_export}


def export_view(dataset, fmt):
    exporter = EXPORTERS[fmt]

    @require_GET
    @conditional_on_dataset(dataset, fmt)
    def view(request):
        with translation.override(settings.LANGUAGE_CODE):
            return exporter(request, dataset)

    return view


urlpatterns = [
    path(f"{dataset.key}.{fmt}", export_view(dataset, fmt), name=f"{dataset.key}-{fmt}")
    for dataset in DATASETS
    for fmt in dataset.formats
]


# --- the "Dane otwarte" page -----------------------------------------------------------------------------------


def index(request):
    datasets = [
        {
            "dataset": dataset,
            "links": [
                {"format": fmt.upper(), "url": reverse(f"opendata:{dataset.key}-{fmt}")} for fmt in dataset.formats
            ],
        }
        for dataset in DATASETS
    ]
    return render(
        request,
        "opendata/index.html",
        {"datasets": datasets, "licence": LICENCE, "page_size": JSON_PAGE_SIZE},
    )
