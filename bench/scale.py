"""A network a hundred times the size of Warsaw's, for the benchmark: run by `bench/scale_data.py`.

Everything is made with bulk inserts, in batches, from a seeded random generator (the
same arguments give the same network). Every generated row is marked: its slug starts
with SLUG_PREFIX, so the script can tell its own rows from real ones, refuse to touch
a database with real data, and replace an earlier generated network.

bulk_create() skips save(), so what save() derives is computed here:
`refresh_derived()` for the sort and search columns of every searchable row, and the
Occurrence rows of every event (one per single event, one per date of a series,
from the same recurrence module that Event.rebuild_occurrences() uses).
"""

import random
import time as clock
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from events import recurrence as rrules
from events.models import Event, Occurrence
from members.models import ContactConsent, Membership, Organisation, PartnershipRole, Person, WorkingGroupMembership
from partnerships.models import District, Partnership, Place, Position, WorkingGroup

SLUG_PREFIX = "skala-"
BATCH = 2000

# Words the names are made of: invented, plausible, never a real organisation's name.
ESTATES = [
    "Stegny",
    "Sielce",
    "Sadyba",
    "Wierzbno",
    "Rakowiec",
    "Szczęśliwice",
    "Koło",
    "Młynów",
    "Bródno",
    "Zacisze",
    "Tarchomin",
    "Gocław",
    "Saska Kępa",
    "Grochów",
    "Kabaty",
    "Natolin",
    "Marymont",
    "Chomiczówka",
    "Jelonki",
    "Odolany",
    "Okęcie",
    "Falenica",
    "Anin",
    "Radość",
    "Stara Miłosna",
    "Powsin",
    "Służew",
    "Muranów",
    "Powiśle",
    "Nowe Miasto",
    "Szmulowizna",
    "Targówek Mieszkaniowy",
    "Wawrzyszew",
    "Ursus Północny",
]
ORGANISATION_KINDS = [
    ("ngo", "Fundacja", "fundacja"),
    ("ngo", "Stowarzyszenie", "stowarzyszenie"),
    ("ngo", "Klub Seniora", "stowarzyszenie"),
    ("public", "Biblioteka Publiczna", "biblioteka"),
    ("public", "Szkoła Podstawowa nr", "szkoła podstawowa"),
    ("public", "Dom Kultury", "dom kultury"),
    ("public", "Ośrodek Pomocy Społecznej", "ośrodek pomocy społecznej"),
    ("business", "Kawiarnia", "kawiarnia"),
    ("business", "Spółdzielnia", "spółdzielnia"),
    ("informal", "Grupa sąsiedzka", "grupa nieformalna"),
    ("religious", "Parafia", "parafia"),
    ("other", "Wspólnota mieszkaniowa", "wspólnota mieszkaniowa"),
]
NAME_WORDS = [
    "Razem",
    "Sąsiedzka",
    "Zielone Podwórko",
    "Dobry Klimat",
    "Otwarte Drzwi",
    "Pod Lipami",
    "Nasza Ulica",
    "Kreatywna",
    "Przystań",
    "Wspólny Stół",
    "Ogród Społeczny",
    "Żywa Pamięć",
    "Słoneczna",
    "Łączy Nas",
    "Dzielnica Dzieci",
    "Kultura Bliżej",
    "Ścieżki",
    "Most",
    "Warsztat",
    "Spółdzielnia Pomysłów",
]
FIRST_NAMES = ["Anna", "Maria", "Katarzyna", "Zofia", "Ewa", "Piotr", "Tomasz", "Jan", "Paweł", "Łukasz", "Agnieszka"]
LAST_NAMES = ["Nowak", "Kowalska", "Wiśniewski", "Wójcik", "Kamińska", "Lewandowski", "Zielińska", "Szymański"]
EVENT_TITLES = [
    "Spotkanie partnerstwa",
    "Piknik sąsiedzki",
    "Warsztaty dla rodzin",
    "Kawiarenka językowa",
    "Konsultacje budżetu",
    "Spacer po okolicy",
    "Szkolenie z animacji",
    "Seminarium sieci",
    "Kino na podwórku",
    "Klub planszówek",
    "Sprzątanie skweru",
    "Wieczór opowieści",
    "Superwizja animatorów",
    "Wizyta studyjna",
]
AUDIENCES = ["dla mieszkańców", "dla seniorów", "dla rodzin z dziećmi", "dla młodzieży", "dla animatorów", ""]


def slug(kind, number):
    return f"{SLUG_PREFIX}{kind}-{number}"


def generated(model, field="slug"):
    return model.objects.filter(**{f"{field}__startswith": SLUG_PREFIX})


# Models whose rows carry a slug: the ones that tell generated data from real data.
MARKED_MODELS = (Partnership, Organisation, Event, Place, Person, WorkingGroup, Position)


def foreign_rows():
    """How many rows of each marked model are not generated (real data): {verbose name: count}."""
    counts = {}
    for model in MARKED_MODELS:
        count = model.objects.exclude(slug__startswith=SLUG_PREFIX).count()
        if count:
            counts[str(model._meta.verbose_name_plural)] = count
    return counts


def has_generated_rows():
    return any(generated(model).exists() for model in MARKED_MODELS)


def _generated_ids(model):
    """SQL selecting the primary keys of `model`'s generated rows (one LIKE parameter)."""
    meta = model._meta
    return f'SELECT "{meta.pk.column}" FROM "{meta.db_table}" WHERE "{meta.get_field("slug").column}" LIKE %s'


def _linked(model, field, parent):
    """SQL condition: `model`'s `field` points to a generated row of `parent`."""
    return f'"{model._meta.get_field(field).column}" IN ({_generated_ids(parent)})'


def _marked(model):
    return f'"{model._meta.get_field("slug").column}" LIKE %s'


def delete_generated(report):
    """Remove an earlier generated network, children first, with one plain DELETE a table.

    SQL rather than QuerySet.delete(): the change history listens to deletions, so Django
    would load every row (millions of them) into memory and delete them one by one.
    """
    organisers, position_links = Event.organisers.through, Position.partnerships.through
    group_links = WorkingGroup.partnerships.through
    districts, places = Partnership.districts.through, Partnership.places.through
    group_members = _linked(WorkingGroupMembership, "person", Person)
    group_members += " OR " + _linked(WorkingGroupMembership, "working_group", WorkingGroup)
    steps = [
        (Occurrence, _linked(Occurrence, "event", Event)),
        (organisers, _linked(organisers, "event", Event)),
        (Event, _marked(Event)),
        (position_links, _linked(position_links, "partnership", Partnership)),
        (Position, _marked(Position)),
        (WorkingGroupMembership, group_members),
        (group_links, _linked(group_links, "partnership", Partnership)),
        (WorkingGroup, _marked(WorkingGroup)),
        (PartnershipRole, _linked(PartnershipRole, "person", Person)),
        (ContactConsent, _linked(ContactConsent, "person", Person)),
        (Person, _marked(Person)),
        (Membership, _linked(Membership, "partnership", Partnership)),
        (Organisation, _marked(Organisation)),
        (districts, _linked(districts, "partnership", Partnership)),
        (places, _linked(places, "partnership", Partnership)),
        (Partnership, _marked(Partnership)),
        (Place, _marked(Place)),
    ]
    with connection.cursor() as cursor:
        for model, condition in steps:
            table = model._meta.db_table
            cursor.execute(f'DELETE FROM "{table}" WHERE {condition}', [f"{SLUG_PREFIX}%"] * condition.count("%s"))
            if cursor.rowcount:
                report(f"  deleted {cursor.rowcount} rows of {table}")


@dataclass
class Sizes:
    partnerships: int = 2000
    organisations: int = 50000
    events: int = 200000

    @property
    def places(self):
        return max(2, self.partnerships * 2)

    @property
    def people(self):
        return max(2, self.partnerships * 3)


class Builder:
    """Builds the network in stages; `report(text)` receives the progress lines."""

    def __init__(self, sizes, *, seed=2026, report=print, now=None):
        self.sizes = sizes
        self.rng = random.Random(seed)
        self.report = report
        self.now = now or timezone.now()
        self.started = clock.monotonic()
        self.districts = list(District.objects.order_by("pk"))
        self.counts = {}

    # -- helpers ------------------------------------------------------------------------------------------------

    def progress(self, label, done, total):
        elapsed = clock.monotonic() - self.started
        self.report(f"  {label}: {done}/{total} ({elapsed:.0f} s)")

    def insert(self, model, objects, label=None):
        """bulk_create in batches with progress; returns the objects (with primary keys on PostgreSQL/SQLite)."""
        label = label or model._meta.db_table
        total = len(objects)
        for start in range(0, total, BATCH * 5):
            chunk = objects[start : start + BATCH * 5]
            model.objects.bulk_create(chunk, batch_size=BATCH)
            if total > BATCH * 5:
                self.progress(label, min(start + BATCH * 5, total), total)
        self.counts[label] = self.counts.get(label, 0) + total
        return objects

    def derived(self, objects):
        for obj in objects:
            obj.refresh_derived()
        return objects

    def pick_district(self):
        return self.rng.choice(self.districts)

    def point(self):
        lat = Decimal("52.12") + Decimal(self.rng.randrange(0, 220000)) / Decimal(1000000)
        lon = Decimal("20.88") + Decimal(self.rng.randrange(0, 370000)) / Decimal(1000000)
        return lat.quantize(Decimal("0.000001")), lon.quantize(Decimal("0.000001"))

    # -- stages -------------------------------------------------------------------------------------------------

    def build(self):
        with transaction.atomic():
            self.build_places()
            self.build_partnerships()
            self.build_organisations()
            self.build_memberships()
            self.build_people()
            self.build_groups()
            self.build_events()
        if connection.vendor == "postgresql":
            # VACUUM cannot run in a transaction (a test's): ANALYZE alone still gives the planner fresh figures.
            statement = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            self.report(f"{statement} (fresh statistics, and visibility maps for index-only scans)")
            with connection.cursor() as cursor:
                cursor.execute(statement)
        self.report(f"done in {clock.monotonic() - self.started:.0f} s")
        return self.counts

    def build_places(self):
        self.report(f"places: {self.sizes.places}")
        places = []
        for i in range(self.sizes.places):
            lat, lon = self.point()
            estate = self.rng.choice(ESTATES)
            kind = self.rng.choice(["Dom sąsiedzki", "Klub osiedlowy", "Sala w bibliotece", "Centrum lokalne"])
            places.append(
                Place(
                    name=f"{kind} {estate} {i + 1}",
                    slug=slug("miejsce", i + 1),
                    street_address=f"ul. Przykładowa {i % 200 + 1}",
                    postal_code=f"0{self.rng.randrange(0, 5)}-{self.rng.randrange(100, 999)}",
                    district=self.pick_district(),
                    latitude=lat,
                    longitude=lon,
                    description=f"Miejsce spotkań mieszkańców osiedla {estate}.",
                    is_neighbourhood_house=kind == "Dom sąsiedzki",
                )
            )
        self.places = self.insert(Place, self.derived(places))
        self.places_by_district = {}
        for place in self.places:
            self.places_by_district.setdefault(place.district_id, []).append(place)

    def build_partnerships(self):
        n = self.sizes.partnerships
        self.report(f"partnerships: {n}")
        partnerships = []
        for i in range(n):
            estate = self.rng.choice(ESTATES)
            thematic = i % 20 == 0
            name = f"Partnerstwo {estate} {i + 1}" if not thematic else f"Forum tematyczne {i + 1}"
            year = self.rng.randrange(2008, 2026)
            declaration = self.rng.random() < 0.4
            partnerships.append(
                Partnership(
                    name=name,
                    slug=slug("partnerstwo", i + 1),
                    kind=Partnership.Kind.THEMATIC if thematic else Partnership.Kind.LOCAL,
                    status=self.rng.choices(list(Partnership.Status.values), weights=[2, 10, 1])[0],
                    founded_year=year,
                    formal_status=Partnership.FormalStatus.DECLARATION
                    if declaration
                    else Partnership.FormalStatus.INFORMAL,
                    declaration_signed_on=date(year, 6, 1) if declaration else None,
                    citywide=thematic,
                    area=f"osiedle {estate}",
                    summary=f"Mieszkańcy, organizacje i instytucje osiedla {estate} działają razem.",
                    description=f"Partnerstwo lokalne osiedla {estate}: spotkania, projekty i wspólne święta.",
                    goals="Więcej sąsiedzkich spotkań; wspólna przestrzeń dla mieszkańców.",
                    contact_email=f"kontakt{i + 1}@example.org",
                    condition_animator=self.rng.random() < 0.7,
                    condition_projects=self.rng.random() < 0.6,
                    condition_communication=self.rng.random() < 0.6,
                    condition_local_government=self.rng.random() < 0.5,
                    condition_space=self.rng.random() < 0.5,
                    condition_multisector=self.rng.random() < 0.8,
                    is_published=self.rng.random() < 0.97,
                )
            )
        self.partnerships = self.insert(Partnership, self.derived(partnerships))
        districts, places = [], []
        self.partnership_districts = {}
        self.partnership_places = {}
        for partnership in self.partnerships:
            chosen = self.rng.sample(self.districts, 1 if self.rng.random() < 0.8 else 2)
            self.partnership_districts[partnership.pk] = [d.pk for d in chosen]
            districts += [Partnership.districts.through(partnership=partnership, district=d) for d in chosen]
            candidates = self.places_by_district.get(chosen[0].pk) or self.places
            own = self.rng.sample(candidates, min(2, len(candidates)))
            self.partnership_places[partnership.pk] = own
            places += [Partnership.places.through(partnership=partnership, place=p) for p in own]
        self.insert(Partnership.districts.through, districts, "partnership districts")
        self.insert(Partnership.places.through, places, "partnership places")
        self.partnerships_by_district = {}
        for partnership in self.partnerships:
            for district_id in self.partnership_districts[partnership.pk]:
                self.partnerships_by_district.setdefault(district_id, []).append(partnership)

    def build_organisations(self):
        n = self.sizes.organisations
        self.report(f"organisations: {n}")
        organisations = []
        for i in range(n):
            sector, label, kind = self.rng.choice(ORGANISATION_KINDS)
            estate = self.rng.choice(ESTATES)
            if label.endswith("nr"):
                name = f"{label} {i + 1}"
            else:
                name = f"{label} {self.rng.choice(NAME_WORDS)} {estate} {i + 1}"
            organisations.append(
                Organisation(
                    name=name,
                    slug=slug("organizacja", i + 1),
                    sector=sector,
                    kind=kind,
                    description=f"Działamy na osiedlu {estate}.",
                    street_address=f"ul. Sąsiedzka {i % 300 + 1}",
                    district=self.pick_district() if self.rng.random() < 0.95 else None,
                    email=f"org{i + 1}@example.org",
                    # Ten digits starting with 9: unique, valid and clearly invented.
                    krs=f"9{i + 1:09d}" if sector == "ngo" else "",
                    is_published=self.rng.random() < 0.98,
                )
            )
        self.organisations = self.insert(Organisation, self.derived(organisations))

    def build_memberships(self):
        self.report("memberships")
        today = timezone.localdate(self.now)
        memberships = []
        for organisation in self.organisations:
            local = self.partnerships_by_district.get(organisation.district_id) or self.partnerships
            count = self.rng.choices([1, 2, 3], weights=[6, 3, 1])[0]
            for partnership in self.rng.sample(local, min(count, len(local))):
                since = date(self.rng.randrange(2010, 2025), self.rng.randrange(1, 13), 1)
                role = self.rng.choices(list(Membership.Role.values), weights=[1, 12, 2])[0]
                if self.rng.random() < 0.1:
                    # A former membership: history that stays on the organisation's page.
                    until = min(since + timedelta(days=self.rng.randrange(200, 2000)), today - timedelta(days=1))
                    if until >= since:
                        memberships.append(
                            Membership(
                                organisation=organisation, partnership=partnership, role=role, since=since, until=until
                            )
                        )
                    continue
                memberships.append(
                    Membership(
                        organisation=organisation,
                        partnership=partnership,
                        role=role,
                        since=since,
                        signed_declaration=self.rng.random() < 0.3,
                    )
                )
        self.insert(Membership, memberships)

    def build_people(self):
        n = self.sizes.people
        self.report(f"people and roles: {n}")
        people = []
        for i in range(n):
            people.append(
                Person(
                    first_name=self.rng.choice(FIRST_NAMES),
                    last_name=f"{self.rng.choice(LAST_NAMES)}-{i + 1}",
                    slug=slug("osoba", i + 1),
                    email=f"osoba{i + 1}@example.org",
                    public_contact=self.rng.random() < 0.5,
                    bio="Animatorka życia sąsiedzkiego." if i % 2 else "",
                )
            )
        self.people = self.insert(Person, self.derived(people))
        # A published contact has its consent on record (members.services.record_consent).
        self.insert(ContactConsent, [ContactConsent(person=p, how="form") for p in self.people if p.public_contact])
        roles = []
        for index, partnership in enumerate(self.partnerships):
            team = self.people[index * 3 : index * 3 + 3] or [self.rng.choice(self.people)]
            for person, role in zip(team, PartnershipRole.Role.values, strict=False):
                roles.append(PartnershipRole(person=person, partnership=partnership, role=role, since=date(2020, 1, 1)))
        self.insert(PartnershipRole, roles)

    def build_groups(self):
        self.report("working groups and positions")
        groups = [
            WorkingGroup(
                name=f"Zespół roboczy {i + 1}", slug=slug("zespol", i + 1), purpose="Wspólna praca nad tematem sieci."
            )
            for i in range(max(1, self.sizes.partnerships // 100))
        ]
        self.groups = self.insert(WorkingGroup, self.derived(groups))
        links = []
        for group in self.groups:
            for partnership in self.rng.sample(self.partnerships, min(5, len(self.partnerships))):
                links.append(WorkingGroup.partnerships.through(workinggroup=group, partnership=partnership))
        self.insert(WorkingGroup.partnerships.through, links, "working group partnerships")
        positions = [
            Position(
                title=f"Stanowisko sieci nr {i + 1}",
                slug=slug("stanowisko", i + 1),
                adopted_on=timezone.localdate(self.now) - timedelta(days=30 * i),
                summary="Sieć zabiera głos w sprawie ważnej dla mieszkańców.",
                body="Treść stanowiska sieci.",
                working_group=self.rng.choice(self.groups),
            )
            for i in range(max(1, self.sizes.partnerships // 40))
        ]
        self.insert(Position, self.derived(positions))

    def build_events(self):
        n = self.sizes.events
        self.report(f"events: {n} (with their dates)")
        # Two years back, one year ahead: the archive is long and the agenda is full.
        first_day = timezone.localtime(self.now, rrules.WARSAW).date() - timedelta(days=730)
        kinds = list(Event.Kind.values)
        patterns = [rrules.Pattern.WEEKLY, rrules.Pattern.BIWEEKLY, rrules.Pattern.MONTHLY_NTH]
        done = 0
        for start_index in range(0, n, BATCH * 5):
            events, organisers = [], []
            for i in range(start_index, min(n, start_index + BATCH * 5)):
                day = first_day + timedelta(days=self.rng.randrange(0, 3 * 365))
                start = rrules.aware(datetime.combine(day, time(self.rng.randrange(8, 21))))
                end = start + timedelta(hours=self.rng.choice([1, 2, 3]))
                is_series = self.rng.random() < 0.05
                recurrence = (
                    rrules.build(self.rng.choice(patterns), start, count=self.rng.randrange(4, 25)) if is_series else ""
                )
                roll = self.rng.random()
                owners = (
                    []
                    if roll < 0.05
                    else self.rng.sample(self.partnerships, 1 if roll < 0.75 else min(3, len(self.partnerships)))
                )
                place = None
                if owners and self.rng.random() < 0.9:
                    place = self.rng.choice(self.partnership_places[owners[0].pk])
                elif self.rng.random() < 0.5:
                    place = self.rng.choice(self.places)
                cancelled = self.rng.random() < 0.02
                event = Event(
                    title=f"{self.rng.choice(EVENT_TITLES)} {i + 1}",
                    slug=slug("wydarzenie", i + 1),
                    kind=self.rng.choice(kinds),
                    description="Zapraszamy sąsiadów i sąsiadki. Wstęp wolny.",
                    start=start,
                    end=end,
                    place=place,
                    online_url="" if place else "https://example.org/spotkanie",
                    audience=self.rng.choice(AUDIENCES),
                    status=Event.Status.CANCELLED if cancelled else Event.Status.SCHEDULED,
                    cancellation_reason="Choroba prowadzącej." if cancelled else "",
                    recurrence=recurrence,
                    is_published=self.rng.random() < 0.98,
                )
                event.refresh_derived()
                events.append(event)
                organisers.append(owners)
            Event.objects.bulk_create(events, batch_size=BATCH)
            through = Event.organisers.through
            Event.organisers.through.objects.bulk_create(
                [through(event=e, partnership=p) for e, owners in zip(events, organisers, strict=True) for p in owners],
                batch_size=BATCH,
            )
            dates = []
            for event in events:
                for occ_start, occ_end in rrules.occurrence_times(event.recurrence, event.start, event.end):
                    dates.append(
                        Occurrence(
                            event=event,
                            start=occ_start,
                            end=occ_end,
                            original_start=occ_start,
                            status=Occurrence.Status.SCHEDULED,
                            cancellation_reason="",
                        )
                    )
            Occurrence.objects.bulk_create(dates, batch_size=BATCH)
            done += len(events)
            self.counts["events"] = done
            self.counts["occurrences"] = self.counts.get("occurrences", 0) + len(dates)
            self.progress("events", done, n)


def build_network(sizes, *, seed=2026, report=print, now=None):
    return Builder(sizes, seed=seed, report=report, now=now).build()
