"""Loads the demo network from the data files in demo/data/, and two accounts.

The facts are TOML files, each explaining its keys at its top: places, partnerships,
organisations, memberships, people, roles, network (working groups and positions),
events, series, minutes (of the network's meetings, with a small PDF made here), accounts, pages (the
network's own pages and contacts), support (BORIS's support offer) and exchange (the partnerships' offers, requests
and recommended contacts). Most keys are the model's own field names; slugs link the files to one another.

`load_demo()` can run any number of times: every row is found by its slug (or its
natural key) and saved only when its data differ, so a second run leaves every
table's count unchanged — the change-history tables included.
Dates move with the calendar: events, series and the partnerships' last checks are
placed relative to the day of the run, and a later run finds each event by its title
(each series by its slug) and moves it instead of adding a copy.
"""

import re
import tomllib
import unicodedata
from base64 import b32decode
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from common.text import make_slug
from events.models import Event, Minutes, MinutesAttachment, Occurrence
from events.recurrence import normalise
from members import services as member_services
from members.models import ContactConsent, Membership, Organisation, PartnershipRole, Person, WorkingGroupMembership
from network.models import ExchangeEntry, Facts, Page, SupportKind
from partnerships.models import CoordinatorAccess, District, Partnership, Place, Position, PreviousName, WorkingGroup
from practices.models import Practice, Topic

DATA = Path(__file__).resolve().parent / "data"
WARSAW = ZoneInfo("Europe/Warsaw")
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def read(name, **options):
    """The data file demo/data/<name>.toml as a dict (TOML dates come as `datetime.date`)."""
    with (DATA / f"{name}.toml").open("rb") as file:
        return tomllib.load(file, **options)


ACCOUNTS = read("accounts")
STAFF_LOGIN = (ACCOUNTS["staff"]["username"], ACCOUNTS["staff"]["password"])
COORDINATOR_LOGIN = (ACCOUNTS["coordinator"]["username"], ACCOUNTS["coordinator"]["password"])
# The secret of the demo staff account's authenticator app (base32), and the same as the app's hex key.
STAFF_TOTP_SECRET = ACCOUNTS["staff"]["totp_secret"]
STAFF_TOTP_KEY = b32decode(STAFF_TOTP_SECRET).hex()

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
    Practice,
    Event,
    Occurrence,
    Minutes,
    MinutesAttachment,
    CoordinatorAccess,
    Page,
    Facts,
    SupportKind,
    ExchangeEntry,
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
    load_practices(partnerships, organisations, people, groups, today=today)
    load_events(places, partnerships, groups, today=today)
    load_series(now)
    load_minutes(groups)
    load_accounts(people, partnerships)
    load_pages()
    load_support()
    load_exchange(districts, partnerships, today=today)
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
    for row in read("places", parse_float=Decimal)["place"]:
        slug = row.pop("slug")
        places[slug] = upsert(Place, {**row, "district": districts[row["district"]]}, slug=slug)
    return places


def load_partnerships(districts, places, *, today):
    partnerships = {}
    for row in read("partnerships")["partnership"]:
        slug, district_slugs, place_slugs = row.pop("slug"), row.pop("districts"), row.pop("places")
        days_ago, renamed_from = row.pop("last_verified_days_ago", None), row.pop("renamed_from", None)
        fields = {
            "founded_year": None,
            "declaration_signed_on": None,
            "easy_read_summary": "",
            **row,
            "is_published": True,
            "last_verified_on": None if days_ago is None else today - timedelta(days=days_ago),
        }
        if renamed_from:
            partnership = _renamed_partnership(slug, fields, renamed_from)
        else:
            partnership = upsert(Partnership, fields, slug=slug)
        partnership.districts.set([districts[d] for d in district_slugs])
        partnership.places.set([places[p] for p in place_slugs])
        partnerships[slug] = partnership
    return partnerships


def _renamed_partnership(slug, fields, old):
    """The first run creates it under its old name and renames it, as an editor would."""
    partnership = Partnership.objects.filter(slug=slug).first()
    if partnership is None:
        partnership = upsert(Partnership, {**fields, "name": old["name"]}, slug=old["slug"])
        partnership.name, partnership.slug = fields["name"], slug
        partnership.save()  # records PreviousName(old slug), so the old address redirects
    update_changed(partnership, fields)
    upsert(PreviousName, {"partnership": partnership, "name": old["name"], "until": old["until"]}, slug=old["slug"])
    return partnership


def load_organisations(districts):
    organisations = {}
    empty = dict.fromkeys(["street_address", "postal_code", "description", "email", "phone", "website", "krs"], "")
    for row in read("organisations")["organisation"]:
        slug = row.pop("slug")
        district = districts[row.pop("district")] if "district" in row else None
        fields = {**empty, "is_published": True, **row, "district": district}
        organisations[slug] = upsert(Organisation, fields, slug=slug)
    return organisations


def load_memberships(organisations, partnerships):
    for partnership_slug, rows in read("memberships").items():
        for row in rows:
            upsert(
                Membership,
                organisation=organisations[row.pop("organisation")],
                partnership=partnerships[partnership_slug],
                since=row.pop("since"),
                defaults={"until": None, "note": "", **row},
            )


def load_people():
    data = read("people")
    people = {}
    for row in data["person"]:
        slug = row.pop("slug")
        public_contact = row.pop("public_contact")
        person = people[slug] = upsert(Person, {**row, "bio": f"{row['bio']} {data['fictional_mark']}"}, slug=slug)
        # The consent is a record (members.services); only a change of it is written, so a second load adds none.
        if public_contact and not person.public_contact:
            member_services.record_consent(person=person, how=ContactConsent.How.FORM, by=None)
        elif person.public_contact and not public_contact:
            member_services.withdraw_consent(person=person, by=None)
    return people


def load_roles(people, partnerships, organisations):
    for partnership_slug, rows in read("roles").items():
        for row in rows:
            upsert(
                PartnershipRole,
                person=people[row["person"]],
                partnership=partnerships[partnership_slug],
                role=row["role"],
                since=row["since"],
                defaults={
                    "organisation": organisations[row["organisation"]] if "organisation" in row else None,
                    "until": row.get("until"),
                },
            )


def load_working_groups(people, partnerships):
    groups = {}
    for row in read("network")["working_group"]:
        slug, members, group_partnerships = row.pop("slug"), row.pop("members"), row.pop("partnerships")
        group = upsert(WorkingGroup, {"dissolved_on": None, **row, "is_published": True}, slug=slug)
        group.partnerships.set([partnerships[p] for p in group_partnerships])
        for member in members:
            upsert(
                WorkingGroupMembership,
                working_group=group,
                person=people[member["person"]],
                since=member["since"],
                defaults={"role": member.get("role", ""), "until": member.get("until")},
            )
        groups[slug] = group
    return groups


def load_positions(groups, partnerships):
    for row in read("network")["position"]:
        slug, supporters = row.pop("slug"), row.pop("partnerships")
        group = groups[row.pop("working_group")] if "working_group" in row else None
        position = upsert(Position, {**row, "working_group": group, "is_published": True}, slug=slug)
        position.partnerships.set([partnerships[p] for p in supporters])


def days_before(today, days):
    """Ten in the morning in Warsaw, `days` days before `today`: a stable moment for a run on the same day."""
    return datetime.combine(today - timedelta(days=days), time(10, 0), tzinfo=WARSAW)


def load_practices(partnerships, organisations, people, groups, *, today):
    """Good practices: published ones dated back from today, and a draft sent for publication."""
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    for row in read("practices")["practice"]:
        slug, status = row.pop("slug"), row.pop("status")
        published = status == "published"
        topic_slugs, organisation_slugs = row.pop("topics"), row.pop("organisations")
        partner_slugs = row.pop("partner_partnerships")
        published_days, submitted_days = row.pop("published_days_ago", 0), row.pop("submitted_days_ago", 0)
        fields = {
            "easy_read": "",
            "ended_on": None,
            **row,
            "partnership": partnerships[row["partnership"]],
            "contact_person": people[row["contact_person"]],
            "working_group": groups[row["working_group"]] if "working_group" in row else None,
            "is_published": published,
            "published_at": days_before(today, published_days) if published else None,
            "submitted_at": None if published else days_before(today, submitted_days),
        }
        practice = upsert(Practice, fields, slug=slug)
        practice.topics.set([topics[t] for t in topic_slugs])
        practice.organisations.set([organisations[o] for o in organisation_slugs])
        practice.partner_partnerships.set([partnerships[p] for p in partner_slugs])


def event_times(row, *, today):
    """Start and end of an event as aware datetimes, from its day and Warsaw wall-clock time."""
    day = today + timedelta(days=row["day"])
    if "time" not in row:
        start = datetime.combine(day, time(0, 0), tzinfo=WARSAW)
        end = datetime.combine(day + timedelta(days=row.get("days", 1) - 1), time(23, 59), tzinfo=WARSAW)
        return start, end
    start = datetime.combine(day, time.fromisoformat(row["time"]), tzinfo=WARSAW)
    return start, start + timedelta(hours=row["hours"])


def _existing_event(base, slug, title):
    """This row's event: by today's slug, or the one an earlier day's run made (same title)."""
    event = Event.objects.filter(slug=slug).first()
    if event is not None:
        return event
    dated = re.compile(rf"^{re.escape(base)}-\d{{4}}-\d{{2}}-\d{{2}}$")
    for event in Event.objects.filter(title=title, slug__startswith=f"{base}-"):
        if dated.match(event.slug):
            return event
    return Event(slug=slug)


def load_events(places, partnerships, groups, *, today):
    for row in read("events")["event"]:
        start, end = event_times(row, today=today)
        base = make_slug(row["title"], max_length=100)
        slug = f"{base}-{start:%Y-%m-%d}"
        event = update_changed(
            _existing_event(base, slug, row["title"]),
            {
                "slug": slug,
                "title": row["title"],
                "kind": row["kind"],
                "description": row["description"],
                "start": start,
                "end": end,
                "all_day": "time" not in row,
                "place": places[row["place"]] if "place" in row else None,
                "online_url": row.get("online_url", ""),
                "audience": row["audience"],
                "registration_url": row.get("registration_url", ""),
                "status": row.get("status", Event.Status.SCHEDULED),
                "cancellation_reason": row.get("cancellation_reason", ""),
                "working_group": groups[row["working_group"]] if "working_group" in row else None,
                "is_published": True,
            },
        )
        event.organisers.set([partnerships[p] for p in row.get("organisers", [])])


def load_minutes(groups):
    """The minutes of the network's meetings (minutes.toml), each meeting found by its title; a PDF attachment is
    made once (a later run finds it by its title and leaves its file alone)."""
    for row in read("minutes")["minutes"]:
        event = Event.objects.get(title=row["event"])
        minutes = upsert(Minutes, {"body": row["body"], "is_published": True}, event=event)
        minutes.working_groups.set([groups[slug] for slug in row.get("working_groups", [])])
        for title in row.get("attachments", []):
            if not minutes.attachments.filter(title=title).exists():
                content = demo_pdf(f"{event.title}: {title}")
                attachment = MinutesAttachment(minutes=minutes, title=title, size=len(content))
                attachment.file.save("protokol.pdf", ContentFile(content), save=False)
                attachment.save()


def demo_pdf(text):
    """A one-page PDF that says it is a demo document, with `text` (its Polish letters written without marks)."""
    plain = unicodedata.normalize("NFKD", f"{text} (dokument demonstracyjny)").encode("ascii", "ignore")
    plain = plain.replace(b"\\", b"").replace(b"(", b"[").replace(b")", b"]")
    content = b"BT /F1 14 Tf 56 780 Td (" + plain + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, table)
    return bytes(pdf)


def series_start(start, *, today):
    """A series' first start: `weeks_ago` or `months_ago` before the day of loading (see series.toml)."""
    weekday = WEEKDAYS.index(start["weekday"])
    if "weeks_ago" in start:
        day = today - timedelta(days=today.weekday() + 7 * start["weeks_ago"] - weekday)
    else:
        year, month_index = divmod(today.year * 12 + today.month - 1 - start["months_ago"], 12)
        if start["nth"] > 0:
            first = date(year, month_index + 1, 1)
            day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (start["nth"] - 1))
        else:  # counted from the month's last day
            last = date(year + (month_index == 11), (month_index + 1) % 12 + 1, 1) - timedelta(days=1)
            day = last - timedelta(days=(last.weekday() - weekday) % 7) + timedelta(weeks=start["nth"] + 1)
    return datetime.combine(day, time.fromisoformat(start["time"]), tzinfo=WARSAW)


def _apply_exceptions(event, exceptions):
    """Put the series' dates in the state its exceptions ask for; returns True when anything changed."""
    wanted = {exception["number"] - 1: exception for exception in exceptions}
    changed = False
    length = event.end - event.start
    for index, occurrence in enumerate(event.occurrences.order_by("original_start")):
        exception = wanted.get(index, {})
        status = exception.get("status", Occurrence.Status.SCHEDULED)
        start = occurrence.original_start + timedelta(days=exception.get("moved_days", 0))
        reason = exception.get("reason", "")
        if (occurrence.status, occurrence.cancellation_reason, occurrence.start) != (status, reason, start):
            occurrence.status, occurrence.cancellation_reason = status, reason
            occurrence.start, occurrence.end = start, start + length
            occurrence.event = event
            occurrence.save()
            changed = True
    return changed


@transaction.atomic
def load_series(now=None):
    """Create or update the demo series (series.toml); returns them keyed by slug.

    Places and partnerships are found by slug: one missing from the database is left out.
    Running it again the same week changes nothing (no new rows, no new history entries,
    no SEQUENCE bump).
    """
    today = timezone.localtime(now or timezone.now(), WARSAW).date()
    loaded = {}
    for row in read("series")["series"]:
        start = series_start(row["start"], today=today)
        event = Event.objects.filter(slug=row["slug"]).first() or Event(slug=row["slug"])
        event = update_changed(
            event,
            {
                "title": row["title"],
                "kind": row["kind"],
                "start": start,
                "end": start + timedelta(hours=row["hours"]),
                "recurrence": normalise(row["recurrence"]),
                "place": Place.objects.filter(slug=row["place"]).first() if "place" in row else None,
                "online_url": row.get("online_url", ""),
                "audience": row["audience"],
                "description": row["description"],
                "status": Event.Status.SCHEDULED,
                "cancellation_reason": "",
                "is_published": True,
            },
        )
        organisers = list(Partnership.objects.filter(slug__in=row.get("organisers", [])))
        if {p.pk for p in organisers} != set(event.organisers.values_list("pk", flat=True)):
            event.organisers.set(organisers)
        if _apply_exceptions(event, row.get("exceptions", [])):
            event.save(update_fields=["sequence", "updated_at"])
        loaded[row["slug"]] = event
    return loaded


def load_pages():
    """The network's pages in both languages and its facts, with invented contacts (pages.toml)."""
    data = read("pages")
    facts = Facts.objects.first()
    if facts is None:
        Facts.objects.create(**data["facts"])
    else:
        update_changed(facts, data["facts"])
    for row in data["pages"]:
        key, language = row.pop("key"), row.pop("language")
        upsert(Page, row, key=key, language=language)


def load_support():
    """BORIS's support offer: the kinds of support the support page lists (support.toml)."""
    for row in read("support")["kind"]:
        slug = row.pop("slug")
        upsert(
            SupportKind, {"event_kind": "", "audience": "", "how_to_ask": "", **row, "is_published": True}, slug=slug
        )


def load_exchange(districts, partnerships, *, today):
    """The partnerships' entries in "Giełda zasobów", current for a while from `today` (exchange.toml)."""
    blank = {"description": "", "district": None, "contact_name": "", "contact_does": "", "consent_note": ""}
    for row in read("exchange")["entry"]:
        partnership, title = partnerships[row.pop("partnership")], row.pop("title")
        if "district" in row:
            row["district"] = districts[row["district"]]
        row["expires_on"] = today + timedelta(days=row.pop("expires_in_days"))
        upsert(ExchangeEntry, {**blank, "consent_verified": False, **row}, partnership=partnership, title=title)


def _account(username, password, **fields):
    """The demo account `username` with `fields` and `password`; saved only when something differs."""
    user = get_user_model().objects.filter(username=username).first() or get_user_model()(username=username)
    password_changed = user.pk is None or not user.check_password(password)
    if password_changed:
        user.set_password(password)
    return update_changed(user, fields, changed=password_changed)


def staff_authenticator():
    """The demo staff account's authenticator app (two-step verification), with the secret of accounts.toml."""
    staff = get_user_model().objects.get(username=ACCOUNTS["staff"]["username"])
    return TOTPDevice.objects.get(user=staff, key=STAFF_TOTP_KEY)


def load_accounts(people, partnerships):
    """One staff account, with its authenticator app, and one coordinator of a partnership, with demo passwords and
    the app's secret (accounts.toml)."""
    staff = ACCOUNTS["staff"]
    staff_user = _account(
        staff["username"],
        staff["password"],
        email=staff["email"],
        first_name=staff["first_name"],
        last_name=staff["last_name"],
        is_staff=True,
        is_superuser=True,
        is_active=True,
    )
    # The one app of the account, confirmed: any other app (or a changed secret) gives way to the demo's.
    TOTPDevice.objects.devices_for_user(staff_user).exclude(key=STAFF_TOTP_KEY).delete()
    app = TOTPDevice.objects.filter(user=staff_user, key=STAFF_TOTP_KEY).first()
    if app is None:
        TOTPDevice.objects.create(user=staff_user, key=STAFF_TOTP_KEY, name="aplikacja uwierzytelniająca")
    else:
        update_changed(app, {"confirmed": True})
    access = ACCOUNTS["coordinator"]
    person = people[access["person"]]
    coordinator = _account(
        access["username"],
        access["password"],
        email=person.email,
        first_name=person.first_name,
        last_name=person.last_name,
        is_staff=False,
        is_superuser=False,
        is_active=True,
    )
    CoordinatorAccess.objects.get_or_create(user=coordinator, partnership=partnerships[access["partnership"]])
    for other in Person.objects.filter(user=coordinator).exclude(pk=person.pk):
        update_changed(other, {"user": None})
    update_changed(person, {"user": coordinator})
