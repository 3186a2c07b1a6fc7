"""The year's report for the city: the network in one year, as tables for the page and sheets for a spreadsheet.

`year_report(year, today)` reads everything in a fixed number of aggregate queries, whatever the size of the
network, and returns plain Tables; the page (templates/admin/backoffice/report.html) shows each one as a table, most of
them with a bar chart next to it, and `workbook()` writes the same Tables as the sheets of an XLSX file, so the two
always hold the same numbers.

What counts:
- partnerships: the published ones founded in the year or before (or with no year of founding);
- members: organisations with a membership in one of those partnerships active on the day (since/until
  overlap it); an organisation in several partnerships counts once; new and former members are the memberships
  that started (since) or ended (until) in the year;
- events: the dates of published events, as the agenda counts them: a series once per date, its skipped dates
  not at all; dates that take place and cancelled ones apart; a date belongs to the month it starts in (Warsaw
  time) and to every district the agenda's district filter finds it in;
- verification: when each partnership last confirmed its data, on the day the report is made (the dashboard's
  bounds: 6 and 12 months).
"""

import io
from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils.dates import MONTHS
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font

from common.choices import choice_label
from common.spreadsheets import neutralise
from common.validators import FIRST_YEAR, LAST_YEAR
from events.filters import day_start, districts_with_date_counts
from events.models import Event, Occurrence
from events.recurrence import WARSAW
from members.models import Membership, Organisation
from partnerships.models import Partnership

from .dashboard import verification_bounds

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TEXT, NUMBER, CHANGE, DATE = "text", "number", "change", "date"  # how a column's values are shown

# The bar charts' geometry, in SVG units.
LABEL_WIDTH = 230  # the labels, right-aligned before the bars
BAR_SPACE = 370  # the longest bar
BAR_HEIGHT = 16
ROW_GAP = 10
LEGEND_HEIGHT = 28


class YearForm(forms.Form):
    rok = forms.IntegerField(
        label=_("Rok"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={
            "required": _("Podaj rok, np. 2026."),
            "invalid": _("Podaj rok cyframi, np. 2026."),
            "min_value": _("Raport obejmuje lata 2000–2100."),
            "max_value": _("Raport obejmuje lata 2000–2100."),
        },
    )


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = NUMBER


@dataclass(frozen=True)
class Bar:
    series: int  # 1 or 2: its colour (a class in report.css)
    y: int
    width: float
    value: int
    value_x: float  # where its number is written, after its end
    text_y: int  # the baseline of its number


@dataclass(frozen=True)
class ChartRow:
    label: str
    y: int  # the baseline of the label
    bars: tuple


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart drawn by the template as inline SVG: every coordinate is worked out here."""

    rows: tuple
    height: int
    legend: tuple = ()  # (x of its square, x of its label, label) of each series, when there are several
    width = LABEL_WIDTH + BAR_SPACE + 70  # room for the number after the longest bar
    label_x = LABEL_WIDTH - 8
    bar_x = LABEL_WIDTH
    bar_height = BAR_HEIGHT


@dataclass(frozen=True)
class Table:
    key: str  # the id of its section in the page
    sheet: str  # the name of its sheet in the XLSX file (at most 31 characters)
    title: str
    columns: tuple
    rows: list
    total: tuple = ()
    note: str = ""
    chart: Chart | None = None

    @property
    def lines(self):
        """Each row as (kind, value) pairs: what the template writes out."""
        return [list(zip((column.kind for column in self.columns), row, strict=True)) for row in self.rows]

    @property
    def total_line(self):
        return list(zip((column.kind for column in self.columns), self.total, strict=True)) if self.total else []


# --- bar charts ------------------------------------------------------------------------------------------


def bar_chart(labels, *series, names=()):
    """A chart of one or two series of counts (lists as long as `labels`), the longest bar the largest count."""
    top = max((value for values in series for value in values), default=0) or 1
    y = LEGEND_HEIGHT if names else 0
    rows = []
    for index, label in enumerate(labels):
        bars = []
        for number, values in enumerate(series, start=1):
            width = round(BAR_SPACE * values[index] / top, 1)
            bars.append(Bar(number, y, width, values[index], LABEL_WIDTH + width + 6, y + BAR_HEIGHT - 3))
            y += BAR_HEIGHT
        rows.append(ChartRow(label, bars[0].y + BAR_HEIGHT * len(series) // 2 + 5, tuple(bars)))
        y += ROW_GAP
    legend = tuple((LABEL_WIDTH + 180 * n, LABEL_WIDTH + 180 * n + 20, name) for n, name in enumerate(names))
    return Chart(rows=tuple(rows), height=y, legend=legend)


# --- the reads ---------------------------------------------------------------------------------------------


def year_bounds(year):
    return date(year, 1, 1), date(year, 12, 31)


def reported_partnerships(year, prefix=""):
    """Q: the published partnerships founded in `year` or before, or with no year of founding."""
    return Q(**{f"{prefix}is_published": True}) & (
        Q(**{f"{prefix}founded_year__isnull": True}) | Q(**{f"{prefix}founded_year__lte": year})
    )


def active_on(day, prefix=""):
    """Q: the membership (through `prefix`) is active on `day`: started by then (or no start) and not ended before."""
    return (Q(**{f"{prefix}since__isnull": True}) | Q(**{f"{prefix}since__lte": day})) & (
        Q(**{f"{prefix}until__isnull": True}) | Q(**{f"{prefix}until__gte": day})
    )


def members_by_sector(year):
    """{sector: (organisations at the start of the year, at its end)}: one query."""
    first, last = year_bounds(year)
    rows = (
        Membership.objects.filter(reported_partnerships(year, "partnership__"))
        .order_by()
        .values("organisation__sector")
        .annotate(
            start=Count("organisation", distinct=True, filter=active_on(first)),
            end=Count("organisation", distinct=True, filter=active_on(last)),
        )
    )
    return {row["organisation__sector"]: (row["start"], row["end"]) for row in rows}


def memberships_begun_or_ended(year):
    """(memberships that started in the year, memberships that ended in it), by organisation: one query."""
    first, last = year_bounds(year)
    rows = list(
        Membership.objects.filter(reported_partnerships(year, "partnership__"))
        .filter(Q(since__range=(first, last)) | Q(until__range=(first, last)))
        .select_related("organisation", "partnership")
        .only("since", "until", "organisation__name", "organisation__sector", "partnership__name")
        .order_by("organisation__sort_name", "partnership__sort_name", "pk")
    )
    joined = [row for row in rows if row.since and first <= row.since <= last]
    left = [row for row in rows if row.until and first <= row.until <= last]
    return joined, left


def partnership_rows(year):
    """The reported partnerships by name, each with its members at the end of the year, memberships begun and
    ended in it, and when it last confirmed its data: one query."""
    first, last = year_bounds(year)
    in_year = (first, last)
    return list(
        Partnership.objects.filter(reported_partnerships(year))
        .annotate(
            members=Count("memberships__organisation", distinct=True, filter=active_on(last, "memberships__")),
            joined=Count("memberships", distinct=True, filter=Q(memberships__since__range=in_year)),
            left=Count("memberships", distinct=True, filter=Q(memberships__until__range=in_year)),
        )
        .order_by("sort_name", "pk")
        .values("pk", "name", "kind", "status", "last_verified_on", "members", "joined", "left")
    )


def dates_in_year(year):
    """The dates of published events starting in the year (Warsaw time), skipped dates of a series left out."""
    return Occurrence.objects.public().filter(
        start__gte=day_start(date(year, 1, 1)), start__lt=day_start(date(year + 1, 1, 1))
    )


# A date takes place when neither it nor its whole event is cancelled (OccurrenceQuerySet.scheduled()).
TAKES_PLACE = Q(status=Occurrence.Status.SCHEDULED, event__status=Event.Status.SCHEDULED)
# The agenda's district filter (events.filters.in_district) finds a date in no district: held nowhere in a
# district, and no published partnership that organises it works in one.
IN_NO_DISTRICT = Q(event__place__district__isnull=True) & ~Exists(
    Event.organisers.through.objects.filter(
        event_id=OuterRef("event_id"), partnership__is_published=True, partnership__districts__isnull=False
    )
)


def dates_by_month(year):
    """{month number: (dates taking place, dates cancelled, dates taking place in no district)}: one query."""
    rows = (
        dates_in_year(year)
        .annotate(month=TruncMonth("start", tzinfo=WARSAW))
        .order_by()
        .values("month")
        .annotate(
            held=Count("pk", filter=TAKES_PLACE),
            cancelled=Count("pk", filter=~TAKES_PLACE),
            nowhere=Count("pk", filter=TAKES_PLACE & IN_NO_DISTRICT),
        )
    )
    return {row["month"].month: (row["held"], row["cancelled"], row["nowhere"]) for row in rows}


def dates_by_district(year):
    """[(district name, dates taking place in it)] for the 18 districts: one query, a count per district."""
    districts = districts_with_date_counts(dates_in_year(year).filter(TAKES_PLACE))
    return list(districts.order_by("sort_name").values_list("name", "n"))


def dates_by_partnership(year):
    """{partnership id: dates taking place that it organises}: one query."""
    rows = (
        dates_in_year(year)
        .filter(TAKES_PLACE, event__organisers__isnull=False)
        .order_by()
        .values("event__organisers")
        .annotate(n=Count("pk"))
    )
    return {row["event__organisers"]: row["n"] for row in rows}


# --- the tables -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    year: int
    today: date
    tables: list = field(default_factory=list)

    @property
    def unfinished(self):
        return self.today <= date(self.year, 12, 31)

    def table(self, key):
        return next(table for table in self.tables if table.key == key)


def year_report(year, today):
    """Every table of the year's report; `today` is the day it is made (for the verification of data)."""
    partnerships = partnership_rows(year)
    organised = dates_by_partnership(year)
    sectors = members_by_sector(year)
    joined, left = memberships_begun_or_ended(year)
    months = dates_by_month(year)
    districts = dates_by_district(year)

    partnership_table = Table(
        key="partnerstwa",
        sheet=str(_("Partnerstwa")),
        title=_("Partnerstwa"),
        columns=(
            Column(_("Partnerstwo"), TEXT),
            Column(_("Rodzaj"), TEXT),
            Column(_("Stan"), TEXT),
            Column(_("Członkowie na koniec roku")),
            Column(_("Nowe członkostwa")),
            Column(_("Zakończone członkostwa")),
            Column(_("Terminy wydarzeń")),
            Column(_("Dane potwierdzone"), DATE),
        ),
        rows=[
            (
                row["name"],
                choice_label(Partnership.Kind, row["kind"]),
                choice_label(Partnership.Status, row["status"]),
                row["members"],
                row["joined"],
                row["left"],
                organised.get(row["pk"], 0),
                row["last_verified_on"],
            )
            for row in partnerships
        ],
        note=_(
            "Opublikowane partnerstwa założone najpóźniej w tym roku (lub bez roku założenia). Rodzaj i stan są "
            "obecne. Terminy wydarzeń: te, które partnerstwo organizuje (także razem z innymi)."
        ),
    )

    sector_rows = [(capfirst(sector.label), *sectors.get(sector, (0, 0))) for sector in Organisation.Sector]
    start_total, end_total = sum(row[1] for row in sector_rows), sum(row[2] for row in sector_rows)
    sector_table = Table(
        key="sektory",
        sheet=str(_("Członkowie według sektorów")),
        title=_("Organizacje członkowskie według sektorów"),
        columns=(
            Column(_("Sektor"), TEXT),
            Column(_("1 stycznia")),
            Column(_("31 grudnia")),
            Column(_("Zmiana"), CHANGE),
        ),
        rows=[(label, start, end, end - start) for label, start, end in sector_rows],
        total=(_("Razem"), start_total, end_total, end_total - start_total),
        note=_(
            "Organizacje z członkostwem w opublikowanym partnerstwie, trwającym danego dnia; organizacja "
            "w kilku partnerstwach liczy się raz."
        ),
        chart=bar_chart(
            [row[0] for row in sector_rows],
            [row[1] for row in sector_rows],
            [row[2] for row in sector_rows],
            names=(_("1 stycznia"), _("31 grudnia")),
        ),
    )

    membership_columns = (Column(_("Organizacja"), TEXT), Column(_("Sektor"), TEXT), Column(_("Partnerstwo"), TEXT))
    joined_table = Table(
        key="nowi-czlonkowie",
        sheet=str(_("Nowi członkowie")),
        title=_("Nowi członkowie: członkostwa rozpoczęte w roku"),
        columns=(*membership_columns, Column(_("Od"), DATE)),
        rows=[_membership_row(row, row.since) for row in joined],
    )
    left_table = Table(
        key="byli-czlonkowie",
        sheet=str(_("Byli członkowie")),
        title=_("Byli członkowie: członkostwa zakończone w roku"),
        columns=(*membership_columns, Column(_("Do"), DATE)),
        rows=[_membership_row(row, row.until) for row in left],
    )

    month_rows = [(capfirst(MONTHS[month]), *months.get(month, (0, 0, 0))[:2]) for month in range(1, 13)]
    held_total = sum(row[1] for row in month_rows)
    month_table = Table(
        key="wydarzenia-miesiace",
        sheet=str(_("Wydarzenia według miesięcy")),
        title=_("Terminy wydarzeń według miesięcy"),
        columns=(Column(_("Miesiąc"), TEXT), Column(_("Terminy")), Column(_("Odwołane terminy"))),
        rows=month_rows,
        total=(_("Razem"), held_total, sum(row[2] for row in month_rows)),
        note=_(
            "Terminy opublikowanych wydarzeń, liczone jak w kalendarzu na stronie: wydarzenie cykliczne liczy się "
            "raz za każdy swój termin, a pominięte terminy cyklu wcale. „Terminy” to te, które się odbyły lub są "
            "zaplanowane; odwołane są policzone osobno. Termin należy do miesiąca, w którym się zaczyna."
        ),
        chart=bar_chart([row[0] for row in month_rows], [row[1] for row in month_rows]),
    )

    nowhere = sum(counts[2] for counts in months.values())
    district_rows = [*districts, (_("Bez dzielnicy (np. online)"), nowhere)]
    district_table = Table(
        key="wydarzenia-dzielnice",
        sheet=str(_("Wydarzenia według dzielnic")),
        title=_("Terminy wydarzeń według dzielnic"),
        columns=(Column(_("Dzielnica"), TEXT), Column(_("Terminy"))),
        rows=district_rows,
        note=_(
            "Termin liczy się w dzielnicy, w której się odbywa, i w każdej dzielnicy, w której działa "
            "organizujące go opublikowane partnerstwo – jak w filtrze dzielnic kalendarza – więc suma wierszy "
            "może być większa niż liczba terminów. Odwołane terminy się nie liczą."
        ),
        chart=bar_chart([row[0] for row in district_rows], [row[1] for row in district_rows]),
    )

    verification_rows = verification(partnerships, today)
    verification_table = Table(
        key="potwierdzanie-danych",
        sheet=str(_("Potwierdzanie danych")),
        title=_("Kiedy partnerstwa ostatnio potwierdziły swoje dane"),
        columns=(Column(_("Dane potwierdzone"), TEXT), Column(_("Partnerstwa"))),
        rows=verification_rows,
        total=(_("Razem"), len(partnerships)),
        note=_("Stan na dzień sporządzenia raportu."),
        chart=bar_chart([row[0] for row in verification_rows], [row[1] for row in verification_rows]),
    )

    summary = Table(
        key="w-skrocie",
        sheet=str(_("W skrócie")),
        title=_("Rok w skrócie"),
        columns=(Column(_("Co"), TEXT), Column(_("Liczba"))),
        rows=[
            (_("Partnerstwa"), len(partnerships)),
            (_("Organizacje członkowskie 1 stycznia"), start_total),
            (_("Organizacje członkowskie 31 grudnia"), end_total),
            (_("Członkostwa rozpoczęte w roku"), len(joined)),
            (_("Członkostwa zakończone w roku"), len(left)),
            (_("Terminy wydarzeń"), held_total),
            (_("Odwołane terminy wydarzeń"), month_table.total[2]),
        ],
    )
    tables = [
        summary,
        partnership_table,
        sector_table,
        joined_table,
        left_table,
        month_table,
        district_table,
        verification_table,
    ]
    return Report(year=year, today=today, tables=tables)


def _membership_row(membership, day):
    organisation = membership.organisation
    return (organisation.name, choice_label(Organisation.Sector, organisation.sector), membership.partnership.name, day)


def verification(partnerships, today):
    """[(how long ago, partnerships)]: within 6 months, 6 to 12 months ago, earlier, never; as the dashboard
    counts "not verified for over 12 months" and "6 to 12 months"."""
    year_ago, half_year_ago = verification_bounds(today)
    days = [row["last_verified_on"] for row in partnerships]
    return [
        (_("W ostatnich 6 miesiącach"), sum(1 for day in days if day and day >= half_year_ago)),
        (_("6–12 miesięcy temu"), sum(1 for day in days if day and year_ago <= day < half_year_ago)),
        (_("Ponad 12 miesięcy temu"), sum(1 for day in days if day and day < year_ago)),
        (_("Nigdy"), sum(1 for day in days if day is None)),
    ]


# --- the spreadsheet ---------------------------------------------------------------------------------------


def workbook(report):
    """The report as an XLSX file (bytes): one sheet per table, its column headings in the first row."""
    book = Workbook()
    book.remove(book.active)
    for table in report.tables:
        sheet = book.create_sheet(table.sheet[:31])
        sheet.append([str(column.label) for column in table.columns])
        for row in [*table.rows, *([table.total] if table.total else [])]:
            # Text goes in as text: a name starting with "=" is no formula (common/spreadsheets.py).
            sheet.append(
                [value if isinstance(value, int | date) or value is None else neutralise(str(value)) for value in row]
            )
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        if table.total:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
        for index, column in enumerate(table.columns):
            letter = sheet.cell(row=1, column=index + 1).column_letter
            sheet.column_dimensions[letter].width = 40 if column.kind == TEXT else 16
            if column.kind == DATE:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
                    cell.number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
