"""Recurring events: the RRULE of a series, its dates and its description in words.

A series is an Event whose `recurrence` holds an RFC 5545 RRULE without DTSTART
(e.g. ``FREQ=MONTHLY;BYDAY=+2TU;COUNT=10``); the event's own start and end are the
first date. Dates are computed by python-dateutil's rrule from the Warsaw
wall-clock time of the first date, so a meeting at 18:00 stays at 18:00 after the
clocks change in March and October. No date arithmetic by hand.

Every series must end (UNTIL or COUNT), may not last longer than SERIES_MAX_YEARS
and has at most MAX_OCCURRENCES dates. The stored rule is normalised: upper case,
FREQ first, and UNTIL written in UTC (as RFC 5545 wants next to a DTSTART with a
TZID), so the feeds can publish it as it is.
"""

import re
from datetime import date, datetime, time, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from common.validators import FIRST_YEAR, LAST_YEAR

WARSAW = ZoneInfo("Europe/Warsaw")
UTC = ZoneInfo("UTC")

# Hard limits: a series is a handful of years of meetings, not an endless generator.
MAX_OCCURRENCES = 400
SERIES_MAX_YEARS = 10

FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ALLOWED_PARTS = ("FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "WKST")
# dateutil looks for the next date period by period up to the year 9999 when a rule matches no day,
# which takes seconds; these limits keep every accepted rule one that has dates (see _check_feasible).
PARTS_BY_FREQUENCY = {
    "DAILY": {"BYDAY"},
    "WEEKLY": {"BYDAY"},
    "MONTHLY": {"BYDAY", "BYMONTHDAY"},
    "YEARLY": {"BYDAY", "BYMONTHDAY", "BYMONTH"},
}
DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # in a leap year

_BYDAY = re.compile(r"^[+-]?[1-5]?(MO|TU|WE|TH|FR|SA|SU)$")
_UNTIL = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$")
_INT_LIST = re.compile(r"^[+-]?\d{1,2}(,[+-]?\d{1,2})*$")

# Weekday names as they follow "co" (accusative): "co poniedziałek", "co środę".
WEEKDAYS_AFTER_CO = (
    pgettext_lazy("co …", "poniedziałek"),
    pgettext_lazy("co …", "wtorek"),
    pgettext_lazy("co …", "środę"),
    pgettext_lazy("co …", "czwartek"),
    pgettext_lazy("co …", "piątek"),
    pgettext_lazy("co …", "sobotę"),
    pgettext_lazy("co …", "niedzielę"),
)
# "co ostatni wtorek", "co ostatnią środę": the adjective agrees with the weekday.
LAST_WEEKDAY_AFTER_CO = (
    pgettext_lazy("co …", "ostatni poniedziałek"),
    pgettext_lazy("co …", "ostatni wtorek"),
    pgettext_lazy("co …", "ostatnią środę"),
    pgettext_lazy("co …", "ostatni czwartek"),
    pgettext_lazy("co …", "ostatni piątek"),
    pgettext_lazy("co …", "ostatnią sobotę"),
    pgettext_lazy("co …", "ostatnią niedzielę"),
)

# Weekday names after "w" in "co tydzień, w środy" (nominative plural); in English they read "every Wednesday".
WEEKDAYS_PLURAL = (
    _("poniedziałki"),
    _("wtorki"),
    _("środy"),
    _("czwartki"),
    _("piątki"),
    _("soboty"),
    _("niedziele"),
)
# Środa, sobota and niedziela are feminine: "w każdą drugą środę", "w każdy drugi wtorek".
FEMININE_WEEKDAYS = frozenset({2, 5, 6})
# The n-th weekday of a month, in the accusative that follows "w każdy" / "w każdą".
ORDINALS = {1: _("pierwszy"), 2: _("drugi"), 3: _("trzeci"), 4: _("czwarty")}
ORDINALS_FEMININE = {1: _("pierwszą"), 2: _("drugą"), 3: _("trzecią"), 4: _("czwartą")}


class Pattern:
    """The simple patterns an editor picks from a list instead of writing an RRULE."""

    NONE = ""
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY_NTH = "monthly_nth"
    MONTHLY_LAST = "monthly_last"
    MONTHLY_DAY = "monthly_day"
    WEEKDAYS = "weekdays"
    DAILY = "daily"
    CUSTOM = "custom"

    CHOICES = [
        (NONE, _("nie powtarza się (jeden termin)")),
        (WEEKLY, _("co tydzień, w ten sam dzień tygodnia")),
        (BIWEEKLY, _("co dwa tygodnie, w ten sam dzień tygodnia")),
        (MONTHLY_NTH, _("co miesiąc, np. w 2. wtorek miesiąca")),
        (MONTHLY_LAST, _("co miesiąc, w ostatni taki dzień tygodnia")),
        (MONTHLY_DAY, _("co miesiąc, tego samego dnia miesiąca")),
        (WEEKDAYS, _("co tydzień, w wybrane dni tygodnia (zaznacz je poniżej)")),
        (DAILY, _("codziennie")),
        (CUSTOM, _("własna reguła RRULE (dla zaawansowanych)")),
    ]


# What a coordinator picks from: every choice but the hand-written rule, which is for staff.
SIMPLE_CHOICES = [choice for choice in Pattern.CHOICES if choice[0] != Pattern.CUSTOM]


def local_naive(moment):
    """An aware moment as a Warsaw wall-clock time without a time zone."""
    return moment.astimezone(WARSAW).replace(tzinfo=None)


def aware(wall_clock):
    """A Warsaw wall-clock time as an aware moment in UTC.

    A time that does not exist (02:30 on the last Sunday of March) is read with the
    offset before the change; one that happens twice (02:30 in October) is the first.
    """
    return wall_clock.replace(tzinfo=WARSAW, fold=0).astimezone(UTC)


def _parts(rule):
    """The rule's NAME=VALUE parts, in order, upper case; raises ValidationError on anything else."""
    text = (rule or "").strip().upper()
    if text.startswith("RRULE:"):
        text = text[len("RRULE:") :]
    if len(text) > 300 or not re.fullmatch(r"[A-Z0-9=;,+\-]+", text or "-"):
        raise ValidationError(
            _("Reguła powtarzania może zawierać tylko litery, cyfry i znaki = ; , + - (np. FREQ=WEEKLY;COUNT=10)."),
            code="rrule_syntax",
        )
    parts = {}
    for chunk in filter(None, text.split(";")):
        name, sep, value = chunk.partition("=")
        if not sep or not value:
            raise ValidationError(_("Każda część reguły ma postać NAZWA=WARTOŚĆ, np. COUNT=10."), code="rrule_syntax")
        if name not in ALLOWED_PARTS:
            raise ValidationError(
                _("Reguła zawiera nieobsługiwaną część %(name)s. Dozwolone: %(allowed)s."),
                params={"name": name, "allowed": ", ".join(ALLOWED_PARTS)},
                code="rrule_part",
            )
        if name in parts:
            raise ValidationError(_("Część %(name)s występuje w regule dwa razy."), params={"name": name})
        parts[name] = value
    return parts


def _check_parts(parts):
    freq = parts.get("FREQ")
    if freq not in FREQUENCIES:
        raise ValidationError(_("Podaj częstotliwość: FREQ=DAILY, WEEKLY, MONTHLY albo YEARLY."), code="rrule_freq")
    if ("COUNT" in parts) == ("UNTIL" in parts):
        raise ValidationError(
            _("Cykl musi się kończyć: podaj datę końcową albo liczbę terminów (jedno z nich)."), code="rrule_end"
        )
    if "INTERVAL" in parts and not (parts["INTERVAL"].isdigit() and 1 <= int(parts["INTERVAL"]) <= 52):
        raise ValidationError(_("Odstęp (INTERVAL) to liczba od 1 do 52."), code="rrule_interval")
    if "COUNT" in parts and not (parts["COUNT"].isdigit() and 1 <= int(parts["COUNT"]) <= MAX_OCCURRENCES):
        raise ValidationError(
            _("Liczba terminów (COUNT) to liczba od 1 do %(max)s."), params={"max": MAX_OCCURRENCES}, code="rrule_count"
        )
    for name in ("BYDAY", "WKST"):
        if name in parts and not all(_BYDAY.match(day) for day in parts[name].split(",")):
            raise ValidationError(
                _("Dni tygodnia zapisuje się skrótami MO, TU, WE, TH, FR, SA, SU, np. BYDAY=+2TU."), code="rrule_byday"
            )
    for name in ("BYDAY", "BYMONTHDAY", "BYMONTH"):
        if name in parts and name not in PARTS_BY_FREQUENCY[freq]:
            raise ValidationError(
                _("Przy częstotliwości %(freq)s nie można użyć %(name)s."),
                params={"freq": freq, "name": name},
                code="rrule_part",
            )
    if freq in ("DAILY", "WEEKLY") and re.search(r"\d", parts.get("BYDAY", "")):
        raise ValidationError(
            _("Numer dnia tygodnia (np. +2TU) ma sens tylko przy FREQ=MONTHLY albo YEARLY."), code="rrule_byday"
        )
    for name, low, high in (("BYMONTHDAY", 1, 31), ("BYMONTH", 1, 12)):
        if name in parts:
            values = parts[name]
            if not _INT_LIST.match(values) or not all(low <= abs(int(v)) <= high for v in values.split(",")):
                raise ValidationError(
                    _("Wartość %(name)s musi być liczbą od %(low)s do %(high)s."),
                    params={"name": name, "low": low, "high": high},
                    code="rrule_number",
                )


def _check_feasible(parts):
    """A day-of-month that no chosen month has (30 February) would leave dateutil searching until the year 9999."""
    if "BYMONTHDAY" not in parts:
        return
    months = [int(m) for m in parts["BYMONTH"].split(",")] if "BYMONTH" in parts else range(1, 13)
    days = [abs(int(d)) for d in parts["BYMONTHDAY"].split(",")]
    if not any(day <= DAYS_IN_MONTH[month - 1] for month in months for day in days):
        raise ValidationError(_("Ta reguła nie wyznacza żadnego terminu – sprawdź ją."), code="rrule_empty")


def _until_utc(value):
    """UNTIL as an aware UTC moment: a bare date means the end of that day in Warsaw."""
    match = _UNTIL.match(value)
    if not match:
        raise ValidationError(_("Datę końcową (UNTIL) zapisuje się jako RRRRMMDD, np. 20261231."), code="rrule_until")
    year, month, day, hour, minute, second, zulu = match.groups()
    try:
        if hour is None:
            moment = aware(datetime.combine(date(int(year), int(month), int(day)), time(23, 59, 59)))
        else:
            moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
            moment = moment.replace(tzinfo=UTC) if zulu else aware(moment)
    except (ValueError, OverflowError) as exc:
        raise ValidationError(_("Data końcowa (UNTIL) nie istnieje w kalendarzu."), code="rrule_until") from exc
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValidationError(_("Data końcowa musi przypadać w latach 2000–2100."), code="rrule_until")
    return moment


def normalise(rule):
    """The rule in its stored form ("" for no rule); raises ValidationError for a bad rule."""
    if not (rule or "").strip():
        return ""
    parts = _parts(rule)
    _check_parts(parts)
    _check_feasible(parts)
    if "UNTIL" in parts:
        parts["UNTIL"] = _until_utc(parts["UNTIL"]).strftime("%Y%m%dT%H%M%SZ")
    ordered = {"FREQ": parts.pop("FREQ")}
    ordered.update(sorted(parts.items(), key=lambda item: ALLOWED_PARTS.index(item[0])))
    return ";".join(f"{name}={value}" for name, value in ordered.items())


def _wall_clock_dates(rule, first):
    """The wall-clock starts of a normalised rule from the wall-clock `first`, capped, in order."""
    parts = _parts(rule)
    horizon = first + timedelta(days=365 * SERIES_MAX_YEARS)
    count = int(parts.pop("COUNT", MAX_OCCURRENCES + 1))
    until = local_naive(_until_utc(parts.pop("UNTIL"))) if "UNTIL" in parts else horizon
    # Always iterate up to a bounded UNTIL: a rule that matches no day must not loop to the year 9999.
    parts["UNTIL"] = min(until, horizon).strftime("%Y%m%dT%H%M%S")
    text = ";".join(f"{name}={value}" for name, value in parts.items())
    try:
        dates = rrulestr(f"RRULE:{text}", dtstart=first)
        return list(islice(dates, min(count, MAX_OCCURRENCES + 1)))
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        raise ValidationError(
            _("Tej reguły powtarzania nie da się odczytać: %(error)s"), params={"error": exc}
        ) from exc


def validate(rule, start):
    """Check a series for an editor: friendly Polish messages; returns the normalised rule."""
    rule = normalise(rule)
    if not rule:
        return rule
    first = local_naive(start).replace(microsecond=0)
    dates = _wall_clock_dates(rule, first)
    if not dates:
        raise ValidationError(_("Ta reguła nie wyznacza żadnego terminu – sprawdź ją."), code="rrule_empty")
    if len(dates) > MAX_OCCURRENCES:
        raise ValidationError(
            _("Cykl ma więcej niż %(max)s terminów – skróć go (wcześniejsza data końcowa albo mniej terminów)."),
            params={"max": MAX_OCCURRENCES},
            code="rrule_too_long",
        )
    if dates[0] != first:
        raise ValidationError(
            _("Początek wydarzenia (%(start)s) nie pasuje do reguły – pierwszy termin z reguły to %(first)s."),
            params={"start": f"{first:%Y-%m-%d %H:%M}", "first": f"{dates[0]:%Y-%m-%d %H:%M}"},
            code="rrule_start",
        )
    return rule


def occurrence_times(rule, start, end):
    """Every (start, end) of an event as aware UTC moments: one pair for a single event.

    For a series the wall-clock time and length of the first date are kept on every
    date, whatever the clocks do in between. The first date is always included
    (RFC 5545 counts DTSTART as the first instance) and there are never more than
    MAX_OCCURRENCES dates.
    """
    if not rule:
        return [(start, end)]
    first = local_naive(start).replace(microsecond=0)
    length = local_naive(end) - local_naive(start)
    dates = _wall_clock_dates(rule, first)[:MAX_OCCURRENCES]
    if first not in dates:
        dates = [first, *dates][:MAX_OCCURRENCES]
    return [(aware(day), aware(day + length)) for day in dates]


def nth_weekday(day):
    """Which weekday of its month a date is: 1 for the first Tuesday… 5 for a fifth."""
    return (day.day - 1) // 7 + 1


def build(pattern, start, *, until=None, count=None, weekdays=()):
    """The RRULE for a simple pattern, starting on `start` (aware), ending on `until` (a date) or after `count`.

    `weekdays` (codes such as "MO") are the days of Pattern.WEEKDAYS; the others take the day from `start`.
    """
    if pattern in (Pattern.NONE, Pattern.CUSTOM):
        return ""
    if pattern == Pattern.WEEKDAYS and not set(weekdays) <= set(WEEKDAY_CODES):
        raise ValidationError(_("Wybierz dni tygodnia z listy."), code="weekdays")
    local = local_naive(start)
    weekday = WEEKDAY_CODES[local.weekday()]
    # A fifth Tuesday exists only in some months: it reads as "the last Tuesday".
    position = "-1" if nth_weekday(local) == 5 else f"+{nth_weekday(local)}"
    body = {
        Pattern.WEEKLY: f"FREQ=WEEKLY;BYDAY={weekday}",
        Pattern.BIWEEKLY: f"FREQ=WEEKLY;INTERVAL=2;BYDAY={weekday}",
        Pattern.MONTHLY_NTH: f"FREQ=MONTHLY;BYDAY={position}{weekday}",
        Pattern.MONTHLY_LAST: f"FREQ=MONTHLY;BYDAY=-1{weekday}",
        Pattern.MONTHLY_DAY: f"FREQ=MONTHLY;BYMONTHDAY={local.day}",
        Pattern.WEEKDAYS: "FREQ=WEEKLY;BYDAY=" + ",".join(code for code in WEEKDAY_CODES if code in weekdays),
        Pattern.DAILY: "FREQ=DAILY",
    }[pattern]
    end = f"UNTIL={until:%Y%m%d}" if until else f"COUNT={count}"
    return normalise(f"{body};{end}")


def pattern_of(rule, start):
    """Which simple pattern a stored rule is (Pattern.CUSTOM when none), and its until date and count."""
    if not rule:
        return Pattern.NONE, None, None
    parts = _parts(rule)
    until = _until_utc(parts["UNTIL"]).astimezone(WARSAW).date() if "UNTIL" in parts else None
    count = int(parts["COUNT"]) if "COUNT" in parts else None
    body = {k: v for k, v in parts.items() if k not in ("COUNT", "UNTIL")}
    # "The last Friday" before "the n-th": on a fifth Friday both make BYDAY=-1FR, which reads as the last one.
    simple = (Pattern.WEEKLY, Pattern.BIWEEKLY, Pattern.MONTHLY_LAST, Pattern.MONTHLY_NTH, Pattern.MONTHLY_DAY)
    for pattern in (*simple, Pattern.DAILY):
        candidate = _parts(build(pattern, start, count=1))
        candidate.pop("COUNT")
        if candidate == body:
            return pattern, until, count
    if weekdays_of(rule) and set(body) == {"FREQ", "BYDAY"} and body["FREQ"] == "WEEKLY":
        return Pattern.WEEKDAYS, until, count
    return Pattern.CUSTOM, until, count


def weekdays_of(rule):
    """The plain weekday codes of a rule's BYDAY ("MO", "WE"), in week order; [] when it has others (e.g. +2TU)."""
    days = _parts(rule).get("BYDAY", "").split(",") if rule else []
    if not all(day in WEEKDAY_CODES for day in days):
        return []
    return [code for code in WEEKDAY_CODES if code in days]


def _and(names):
    """ "poniedziałki, środy i piątki" / "Monday, Wednesday and Friday"."""
    names = [str(name) for name in names]
    if len(names) == 1:
        return names[0]
    return str(_("%(first)s i %(last)s")) % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _weekly(interval, codes):
    names = _and(WEEKDAYS_PLURAL[WEEKDAY_CODES.index(code)] for code in codes)
    # "we wtorki", "w środy": the preposition goes with the first day.
    days = str(_("we %(days)s") if codes[0] == "TU" else _("w %(days)s")) % {"days": names}
    if interval == 1:
        return str(_("co tydzień, %(days)s")) % {"days": days}
    if interval == 2:
        return str(_("co drugi tydzień, %(days)s")) % {"days": days}
    return str(_("co %(n)s. tydzień, %(days)s")) % {"n": interval, "days": days}


def _nth_weekday(position, index):
    if position == -1:
        return str(_("w %(day)s miesiąca")) % {"day": LAST_WEEKDAY_AFTER_CO[index]}
    if index in FEMININE_WEEKDAYS:
        phrase, nth = _("w każdą %(nth)s %(day)s miesiąca"), ORDINALS_FEMININE[position]
    else:
        phrase, nth = _("w każdy %(nth)s %(day)s miesiąca"), ORDINALS[position]
    return str(phrase) % {"nth": nth, "day": WEEKDAYS_AFTER_CO[index]}


def describe(rule, start):
    """The rule in plain words, in the active language: "co tydzień, w środy", "w każdy drugi wtorek miesiąca",
    "w ostatni piątek miesiąca", "co miesiąc, 15. dnia" ("every Wednesday", "on the second Tuesday of each month").

    Falls back to a general phrase for a rule without a simple reading.
    """
    if not rule:
        return ""
    parts = _parts(rule)
    freq = parts.get("FREQ")
    interval = int(parts.get("INTERVAL", "1"))
    days = parts.get("BYDAY", "").split(",") if parts.get("BYDAY") else []
    extra = set(parts) - {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "WKST"}
    local = local_naive(start)
    if extra:
        return str(_("wydarzenie cykliczne"))
    if freq == "DAILY" and interval == 1 and not days:
        return str(_("codziennie"))
    if freq == "WEEKLY":
        codes = [code for code in WEEKDAY_CODES if code in days] or [WEEKDAY_CODES[local.weekday()]]
        if len(codes) != len(days or codes):
            return str(_("wydarzenie cykliczne"))
        return _weekly(interval, codes)
    if freq == "MONTHLY" and interval == 1:
        if len(days) == 1 and "BYMONTHDAY" not in parts:
            match = re.fullmatch(r"([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)", days[0])
            position, index = int(match.group(1) or 0), WEEKDAY_CODES.index(match.group(2))
            if position == -1 or 1 <= position <= 4:
                return _nth_weekday(position, index)
        if not days and parts.get("BYMONTHDAY", "").isdigit():
            return str(_("co miesiąc, %(n)s. dnia")) % {"n": parts["BYMONTHDAY"]}
        if not days and "BYMONTHDAY" not in parts:
            return str(_("co miesiąc, %(n)s. dnia")) % {"n": local.day}
    if freq == "YEARLY" and interval == 1 and not days:
        return str(_("co roku"))
    return str(_("wydarzenie cykliczne"))


def summary(rule, start):
    """The series in one line for its editors: "co drugi tydzień, w czwartki, 8 razy, do 18 lutego 2027"."""
    if not rule:
        return ""
    first = local_naive(start).replace(microsecond=0)
    dates = _wall_clock_dates(rule, first)[:MAX_OCCURRENCES]
    if first not in dates:
        dates = [first, *dates][:MAX_OCCURRENCES]
    times = ngettext("%(count)s raz", "%(count)s razy", len(dates)) % {"count": len(dates)}
    last = str(_("do %(day)s")) % {"day": date_format(dates[-1].date(), "j E Y")}
    return ", ".join([describe(rule, start), times, last])
