"""Loads the demo network: partnerships, places, organisations, people, events and two accounts.

`load_demo()` can run any number of times: every row is found by its slug (or its
natural key) and saved only when its data differ, so a second run leaves every
table's count unchanged — the change-history tables included.
Events move with the calendar: they are placed relative to the day of the run, and a
later run finds each one by its title and moves it instead of adding a copy.
The data lives in the demo_*.py modules next to this one.
"""

import re
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from common.text import make_slug
from events.models import Event, Occurrence
from members.models import (
    CoordinatorAccess,
    Membership,
    Organisation,
    PartnershipRole,
    Person,
    WorkingGroupMembership,
)
from partnerships.models import District, Partnership, Place, Position, PreviousName, WorkingGroup

from . import demo_events, demo_organisations, demo_partnerships, demo_people, demo_places
from .demo_series import load_series

WARSAW = ZoneInfo("Europe/Warsaw")

STAFF_LOGIN = ("boris", "demo-boris-2026")
COORDINATOR_LOGIN = ("koordynator", "demo-koordynator-2026")

# Every model the demo fills, in the order the summary lists them.
SUMMARY_MODELS = [
    Partnership,
    PreviousName,
    Place,
    Organisation,
    Membership,
    Person,
    PartnershipRole,
    WorkingGroup,
    WorkingGroupMembership,
    Position,
    Event,
    Occurrence,
    CoordinatorAccess,
]


@transaction.atomic
def load_demo(*, now=None):
    """Create or update the whole demo network; return {model: row count} after loading."""
    now = now or timezone.now()
    today = timezone.localtime(now, WARSAW).date()
    districts = {d.slug: d for d in District.objects.all()}
    places = load_places(districts)
    partnerships = load_partnerships(districts, places, today=today)
    organisations = load_organisations(districts)
    load_memberships(organisations, partnerships)
    people = load_people()
    load_roles(people, partnerships, organisations)
    groups = load_working_groups(people, partnerships)
    load_positions(groups, partnerships)
    load_events(places, partnerships, today=today)
    load_series(now)
    load_accounts(people, partnerships)
    return {model: model.objects.count() for model in SUMMARY_MODELS}


def upsert(model, defaults, **lookup):
    """Like update_or_create, but saves (through the model's save()) only what differs."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **defaults)
        obj.save()
        return obj
    return update_changed(obj, defaults)


def update_changed(obj, values, *, changed=False):
    """Set `values` on `obj` and save it, unless it already holds them (no empty history entries)."""
    for name, value in values.items():
        current = getattr(obj, obj._meta.get_field(name).attname)
        if current != (value.pk if isinstance(value, models.Model) else value):
            setattr(obj, name, value)
            changed = True
    if changed or obj.pk is None:
        obj.save()
    return obj


def load_places(districts):
    places = {}
    for slug, name, street, postal, district, lat, lon, is_house, accessibility, description in demo_places.PLACES:
        places[slug] = upsert(
            Place,
            slug=slug,
            defaults={
                "name": name,
                "street_address": street,
                "postal_code": postal,
                "district": districts[district],
                "latitude": Decimal(lat),
                "longitude": Decimal(lon),
                "is_neighbourhood_house": is_house,
                "accessibility": accessibility,
                "description": description,
            },
        )
    return places


def _partnership_fields(data, *, today):
    fields = {
        "name": data["name"],
        "kind": data.get("kind", Partnership.Kind.LOCAL),
        "status": data.get("status", Partnership.Status.ACTIVE),
        "founded_year": data["founded_year"],
        "formal_status": data["formal_status"],
        "declaration_signed_on": data.get("declaration_signed_on"),
        "citywide": data.get("citywide", False),
        "area": data["area"],
        "summary": data["summary"],
        "description": data["description"],
        "goals": data["goals"],
        "easy_read_summary": data.get("easy_read_summary", ""),
        "contact_name": data["contact_name"],
        "contact_email": data["contact_email"],
        "contact_phone": data["contact_phone"],
        "website": data["website"],
        "is_published": True,
        "last_verified_on": (
            today - timedelta(days=data["last_verified_days_ago"]) if "last_verified_days_ago" in data else None
        ),
    }
    for (key, _label), (met, note) in zip(Partnership.CONDITIONS, data["conditions"], strict=True):
        fields[f"condition_{key}"] = met
        fields[f"condition_{key}_note"] = note
    return fields


def load_partnerships(districts, places, *, today):
    partnerships = {}
    for data in demo_partnerships.PARTNERSHIPS:
        fields = _partnership_fields(data, today=today)
        if data["slug"] == demo_partnerships.RENAMED_SLUG:
            partnership = _renamed_partnership(data["slug"], fields)
        else:
            partnership = upsert(Partnership, fields, slug=data["slug"])
        partnership.districts.set([districts[slug] for slug in data["districts"]])
        partnership.places.set([places[slug] for slug in demo_places.PARTNERSHIP_PLACES[data["slug"]]])
        partnerships[data["slug"]] = partnership
    return partnerships


def _renamed_partnership(slug, fields):
    """The first run creates it under its old name and renames it, as an editor would."""
    old_name, old_slug, renamed_on = demo_partnerships.RENAMED_FROM
    partnership = Partnership.objects.filter(slug=slug).first()
    if partnership is None:
        partnership = upsert(Partnership, {**fields, "name": old_name}, slug=old_slug)
        partnership.name, partnership.slug = fields["name"], slug
        partnership.save()  # records PreviousName(old_slug), so the old address redirects
    update_changed(partnership, fields)
    upsert(PreviousName, {"partnership": partnership, "name": old_name, "until": renamed_on}, slug=old_slug)
    return partnership


def load_organisations(districts):
    organisations = {}
    for number, (slug, name, sector, kind, district, street, postal, description) in enumerate(
        demo_organisations.ORGANISATIONS
    ):
        invented = slug not in demo_organisations.NO_CONTACT
        krs = demo_organisations.KRS.get(slug, "")
        organisations[slug] = upsert(
            Organisation,
            slug=slug,
            defaults={
                "name": name,
                "sector": sector,
                "kind": kind,
                "description": description,
                "street_address": street,
                "postal_code": postal,
                "district": districts[district] if district else None,
                "email": f"{slug}@example.org" if invented else "",
                "phone": f"22 000 02 {number % 100:02d}" if invented and number % 4 == 0 else "",
                "website": f"https://{slug}.example.org/" if krs else "",
                "krs": krs,
                "is_published": slug not in demo_organisations.UNPUBLISHED,
            },
        )
    return organisations


def load_memberships(organisations, partnerships):
    for partnership_slug, rows in demo_organisations.MEMBERSHIPS.items():
        for organisation_slug, role, since, until, signed in rows:
            upsert(
                Membership,
                organisation=organisations[organisation_slug],
                partnership=partnerships[partnership_slug],
                since=since,
                defaults={
                    "role": role,
                    "until": until,
                    "signed_declaration": signed,
                    "note": "Zakończyła udział w partnerstwie." if until else "",
                },
            )


def load_people():
    people = {}
    for number, (slug, first_name, last_name, bio, public_contact) in enumerate(demo_people.PEOPLE, start=1):
        people[slug] = upsert(
            Person,
            slug=slug,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "bio": f"{bio} {demo_people.DEMO_BIO_MARK}",
                "email": f"{make_slug(first_name)}.{make_slug(last_name)}@example.org",
                "phone": f"22 000 00 {number:02d}",
                "public_contact": public_contact,
            },
        )
    return people


def load_roles(people, partnerships, organisations):
    for person, partnership, role, organisation, since, until in demo_people.ROLES:
        upsert(
            PartnershipRole,
            person=people[person],
            partnership=partnerships[partnership],
            role=role,
            since=since,
            defaults={"organisation": organisations[organisation] if organisation else None, "until": until},
        )


def load_working_groups(people, partnerships):
    groups = {}
    for (
        slug,
        name,
        purpose,
        description,
        established,
        dissolved,
        members,
        group_partnerships,
    ) in demo_people.WORKING_GROUPS:
        group = upsert(
            WorkingGroup,
            slug=slug,
            defaults={
                "name": name,
                "purpose": purpose,
                "description": description,
                "established_on": established,
                "dissolved_on": dissolved,
                "is_published": True,
            },
        )
        group.partnerships.set([partnerships[p] for p in group_partnerships])
        for person, function, since, until in members:
            upsert(
                WorkingGroupMembership,
                working_group=group,
                person=people[person],
                since=since,
                defaults={"role": function, "until": until},
            )
        groups[slug] = group
    return groups


def load_positions(groups, partnerships):
    for slug, title, adopted_on, group, summary, body, supporters in demo_people.POSITIONS:
        position = upsert(
            Position,
            slug=slug,
            defaults={
                "title": title,
                "adopted_on": adopted_on,
                "working_group": groups[group] if group else None,
                "summary": summary,
                "body": body,
                "is_published": True,
            },
        )
        position.partnerships.set([partnerships[p] for p in supporters])


def event_times(spec, *, today):
    """Start and end of an event spec as aware datetimes, from Warsaw wall-clock times."""
    day = today + timedelta(days=spec["day"])
    if spec["time"] is None:
        start = datetime.combine(day, time(0, 0), tzinfo=WARSAW)
        end = datetime.combine(day + timedelta(days=spec["days"] - 1), time(23, 59), tzinfo=WARSAW)
        return start, end
    start = datetime.combine(day, time.fromisoformat(spec["time"]), tzinfo=WARSAW)
    end = datetime.combine(day, time.fromisoformat(spec["time"]), tzinfo=WARSAW) + timedelta(hours=spec["hours"])
    return start, end


def _existing_event(base, slug, title):
    """This spec's event: by today's slug, or the one an earlier day's run made (same title)."""
    event = Event.objects.filter(slug=slug).first()
    if event is not None:
        return event
    dated = re.compile(rf"^{re.escape(base)}-\d{{4}}-\d{{2}}-\d{{2}}$")
    for event in Event.objects.filter(title=title, slug__startswith=f"{base}-"):
        if dated.match(event.slug):
            return event
    return Event(slug=slug)


def load_events(places, partnerships, *, today):
    for spec in demo_events.EVENTS:
        start, end = event_times(spec, today=today)
        base = make_slug(spec["title"], max_length=100)
        slug = f"{base}-{start:%Y-%m-%d}"
        online = spec["place"] == demo_events.ONLINE
        cancelled = bool(spec["cancellation_reason"])
        event = update_changed(
            _existing_event(base, slug, spec["title"]),
            {
                "slug": slug,
                "title": spec["title"],
                "kind": spec["kind"],
                "description": spec["description"],
                "start": start,
                "end": end,
                "all_day": spec["time"] is None,
                "place": None if online or spec["place"] is None else places[spec["place"]],
                "online_url": f"https://meet.example.org/wspl-{base}" if online else "",
                "audience": spec["audience"],
                "registration_url": f"https://example.org/zapisy/{base}" if spec["registration"] else "",
                "status": Event.Status.CANCELLED if cancelled else Event.Status.SCHEDULED,
                "cancellation_reason": spec["cancellation_reason"],
                "is_published": True,
            },
        )
        event.organisers.set([partnerships[p] for p in spec["organisers"]])


def _account(username, password, **fields):
    """The demo account `username` with `fields` and `password`; saved only when something differs."""
    user = get_user_model().objects.filter(username=username).first() or get_user_model()(username=username)
    password_changed = user.pk is None or not user.check_password(password)
    if password_changed:
        user.set_password(password)
    return update_changed(user, fields, changed=password_changed)


def load_accounts(people, partnerships):
    """One staff account and one coordinator of the renamed partnership, with demo passwords."""
    username, password = STAFF_LOGIN
    _account(
        username,
        password,
        email="boris@example.org",
        first_name="Pracownik",
        last_name="BORIS",
        is_staff=True,
        is_superuser=True,
        is_active=True,
    )
    person = people[demo_people.COORDINATOR_PERSON]
    username, password = COORDINATOR_LOGIN
    coordinator = _account(
        username,
        password,
        email=person.email,
        first_name=person.first_name,
        last_name=person.last_name,
        is_staff=False,
        is_superuser=False,
        is_active=True,
    )
    CoordinatorAccess.objects.get_or_create(user=coordinator, partnership=partnerships[demo_partnerships.RENAMED_SLUG])
    for other in Person.objects.filter(user=coordinator).exclude(pk=person.pk):
        update_changed(other, {"user": None})
    update_changed(person, {"user": coordinator})
