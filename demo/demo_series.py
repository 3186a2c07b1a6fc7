"""Demo data: recurring series of the agenda (kept apart from the other demo modules).

`load_series(now)` creates or updates four series, each found by its slug:
a partnership's monthly meeting on the 2nd Tuesday at 18:00, a weekly Monday club
with one cancelled and one skipped date, a fortnightly co-organised language café
with one date moved, and the network's monthly online consultation hour.

The series start a few weeks before `now`, anchored to the start of a week or a
month, so they span the past and the coming months; a later run on another day
moves them along. Running it again the same week changes nothing (no new rows, no
new history entries, no SEQUENCE bump): rows are saved only when something differs.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from events.models import Event, Occurrence
from events.recurrence import normalise
from partnerships.models import Partnership, Place

WARSAW = ZoneInfo("Europe/Warsaw")


def _at(day, clock):
    return datetime.combine(day, time.fromisoformat(clock), tzinfo=WARSAW)


def _monday_weeks_ago(today, weeks):
    return today - timedelta(days=today.weekday() + 7 * weeks)


def _nth_weekday(year, month, weekday, n):
    """The n-th given weekday (0 = Monday) of a month; n = -1 for the last one."""
    if n > 0:
        first = datetime(year, month, 1).date()
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    after = datetime(year + (month == 12), month % 12 + 1, 1).date()
    last = after - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _months_back(today, months):
    index = today.year * 12 + today.month - 1 - months
    return index // 12, index % 12 + 1


def series_specs(today):
    """The four series: their fields, organisers and place by slug, and exceptions by date index."""
    year, month = _months_back(today, 2)
    second_tuesday = _nth_weekday(year, month, 1, 2)
    last_thursday = _nth_weekday(year, month, 3, -1)
    club_monday = _monday_weeks_ago(today, 6)
    cafe_wednesday = _monday_weeks_ago(today, 4) + timedelta(days=2)
    return [
        {
            "slug": "spotkanie-partnerstwa-nasze-stegny-cykl",
            "title": "Spotkanie partnerstwa Nasze Stegny",
            "kind": Event.Kind.MEETING,
            "start": _at(second_tuesday, "18:00"),
            "hours": 2,
            "recurrence": "FREQ=MONTHLY;BYDAY=+2TU;COUNT=8",
            "organisers": ["nasze-stegny"],
            "place": "klub-stegny",
            "audience": "mieszkańcy Stegien, organizacje i instytucje z osiedla",
            "description": (
                "Comiesięczne spotkanie partnerstwa: co się udało, co planujemy, kto czego potrzebuje. "
                "Zapraszamy także osoby, które przychodzą pierwszy raz."
            ),
            "exceptions": {},
        },
        {
            "slug": "poniedzialkowy-klub-sasiedzki-sady-cykl",
            "title": "Poniedziałkowy klub sąsiedzki",
            "kind": Event.Kind.LOCAL,
            "start": _at(club_monday, "17:00"),
            "hours": 2,
            "recurrence": "FREQ=WEEKLY;BYDAY=MO;COUNT=16",
            "organisers": ["sady-zoliborskie"],
            "place": "aula-szkoly-sady",
            "audience": "sąsiedzi w każdym wieku",
            "description": "Gry planszowe, herbata i rozmowy o tym, co słychać na osiedlu. Bez zapisów.",
            # The 8th date (about two weeks ahead) is cancelled, the 10th skipped for a holiday.
            "exceptions": {
                7: ("cancelled", "Sala zajęta – w szkole odbywa się zebranie rodziców."),
                9: ("skipped", ""),
            },
        },
        {
            "slug": "kawiarenka-jezykowa-muranow-mlynow-cykl",
            "title": "Kawiarenka językowa dla sąsiadów",
            "kind": Event.Kind.LOCAL,
            "start": _at(cafe_wednesday, "18:30"),
            "hours": 1.5,
            "recurrence": "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;COUNT=8",
            "organisers": ["przepis-na-muranow", "mlyn-na-woli"],
            "place": "mal-muranow",
            "audience": "mieszkańcy i mieszkanki, także osoby uczące się polskiego",
            "description": "Rozmowy po polsku, ukraińsku i angielsku przy jednym stole. Poziom nie ma znaczenia.",
            # The 4th date moves from Wednesday to Thursday, same time.
            "exceptions": {3: ("moved", timedelta(days=1))},
        },
        {
            "slug": "dyzur-konsultacyjny-boris-online-cykl",
            "title": "Dyżur konsultacyjny BORIS online",
            "kind": Event.Kind.CONSULTATION,
            "start": _at(last_thursday, "16:00"),
            "hours": 1.5,
            "recurrence": "FREQ=MONTHLY;BYDAY=-1TH;COUNT=6",
            "organisers": [],
            "place": None,
            "online_url": "https://meet.example.org/wspl-dyzur-boris",
            "audience": "animatorzy, koordynatorzy i członkowie partnerstw",
            "description": "Pytania o granty, dokumenty partnerstwa i współpracę z dzielnicą – bez zapisów.",
            "exceptions": {},
        },
    ]


def _apply_exceptions(event, wanted):
    """Put the series' dates in the wanted state; returns True when anything changed."""
    changed = False
    dates = list(event.occurrences.order_by("original_start"))
    length = event.end - event.start
    for index, occurrence in enumerate(dates):
        status, reason, start = Occurrence.Status.SCHEDULED, "", occurrence.original_start
        kind, value = wanted.get(index, (None, None))
        if kind in ("cancelled", "skipped"):
            status, reason = kind, value
        elif kind == "moved":
            start = occurrence.original_start + value
        if (occurrence.status, occurrence.cancellation_reason, occurrence.start) != (status, reason, start):
            occurrence.status, occurrence.cancellation_reason = status, reason
            occurrence.start, occurrence.end = start, start + length
            occurrence.event = event
            occurrence.save()
            changed = True
    return changed


@transaction.atomic
def load_series(now=None):
    """Create or update the demo series; returns them (keyed by slug)."""
    today = timezone.localtime(now or timezone.now(), WARSAW).date()
    loaded = {}
    for spec in series_specs(today):
        fields = {
            "title": spec["title"],
            "kind": spec["kind"],
            "start": spec["start"],
            "end": spec["start"] + timedelta(hours=spec["hours"]),
            "recurrence": normalise(spec["recurrence"]),
            "place": Place.objects.filter(slug=spec["place"]).first() if spec["place"] else None,
            "online_url": spec.get("online_url", ""),
            "audience": spec["audience"],
            "description": spec["description"],
            "status": Event.Status.SCHEDULED,
            "cancellation_reason": "",
            "is_published": True,
        }
        event = Event.objects.filter(slug=spec["slug"]).first()
        if event is None:
            event = Event(slug=spec["slug"], **fields)
            event.save()
        elif any(getattr(event, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(event, name, value)
            event.save()
        organisers = list(Partnership.objects.filter(slug__in=spec["organisers"]))
        if {p.pk for p in organisers} != set(event.organisers.values_list("pk", flat=True)):
            event.organisers.set(organisers)
        if _apply_exceptions(event, spec["exceptions"]):
            event.save(update_fields=["sequence", "updated_at"])
        loaded[spec["slug"]] = event
    return loaded
