"""The year's report for the city (/admin/raport/?rok=…): its numbers on a small hand-made network, the page and
the XLSX file holding the same numbers, who may see it, bad years, and its queries at two sizes of the network.

The network is built for last year, so that every date in it is in the past and the year is over.
"""

import io
import re
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from backoffice import report
from events.models import Event, Occurrence
from events.recurrence import aware
from members.models import Organisation
from partnerships.models import Partnership
from tests import factories
from tests.utils import count_queries, log_in

pytestmark = pytest.mark.django_db

URL = "/admin/raport/"
XLSX_URL = "/admin/raport/xlsx/"
Y = timezone.localdate().year - 1
Sector = Organisation.Sector


def at(month, day, hour=18, minute=0, year=Y):
    """A Warsaw wall-clock time of the report's year."""
    return aware(datetime(year, month, day, hour, minute))


@pytest.fixture
def network():
    """Four partnerships in the report (and two left out), nine organisations, eight events: see each comment."""
    today = timezone.localdate()
    sady = factories.partnership(
        name="Sady", districts=["zoliborz"], founded_year=2010, last_verified_on=today - relativedelta(months=2)
    )
    wierzbno = factories.partnership(
        name="Wierzbno", districts=["mokotow"], last_verified_on=today - relativedelta(months=8)
    )
    factories.partnership(name="Forum", kind=Partnership.Kind.THEMATIC, founded_year=2012, last_verified_on=None)
    factories.partnership(name="Stegny", last_verified_on=today - relativedelta(months=13))
    later = factories.partnership(name="Przyszłe", founded_year=Y + 1)  # founded after the year: left out
    hidden = factories.partnership(name="Ukryte", districts=["wola"], is_published=False)  # left out

    def member(name, sector, partnership, since=None, until=None):
        organisation = Organisation.objects.filter(name=name).first() or factories.organisation(
            name=name, sector=sector
        )
        factories.membership(organisation_obj=organisation, partnership_obj=partnership, since=since, until=until)

    member("Fundacja Jeden", Sector.NGO, sady, since=date(Y - 3, 1, 1))  # all year, in two partnerships
    member("Fundacja Jeden", Sector.NGO, wierzbno, since=date(Y, 5, 1))  # new
    member("Szkoła Dwa", Sector.PUBLIC, sady, since=date(Y - 2, 9, 1), until=date(Y, 6, 30))  # former
    member("Firma Trzy", Sector.BUSINESS, wierzbno, since=date(Y, 3, 1))  # new
    member("Fundacja Cztery", Sector.NGO, sady, until=date(Y - 1, 12, 31))  # left the day before the year
    member("Grupa Pięć", Sector.INFORMAL, sady, since=date(Y + 1, 1, 10))  # joins the year after
    member("Fundacja Sześć", Sector.NGO, later, since=date(Y, 2, 1))  # in a partnership left out
    member("Parafia Siedem", Sector.RELIGIOUS, hidden, since=date(Y, 2, 1))  # in a partnership left out
    member("Biblioteka Osiem", Sector.PUBLIC, wierzbno, since=date(Y, 12, 31))  # new on the last day
    member("Klub Dziewięć", Sector.OTHER, sady, since=date(Y, 1, 1), until=date(Y, 12, 31))  # new and former

    zoliborz, mokotow = factories.place(district_slug="zoliborz"), factories.place(district_slug="mokotow")
    bielany = factories.place(district_slug="bielany")
    factories.event(title="Piknik", start=at(3, 10), place=zoliborz, organisers=[sady])
    series = factories.event(
        title="Dyżur",
        start=at(1, 5, 10),
        online_url="https://meet.example.org/d",
        organisers=[wierzbno],
        recurrence="FREQ=WEEKLY;COUNT=4",
    )  # four Sundays of January: one skipped, one cancelled, two take place
    dates = list(series.occurrences.order_by("start"))
    Occurrence.objects.filter(pk=dates[1].pk).update(status=Occurrence.Status.SKIPPED)
    Occurrence.objects.filter(pk=dates[2].pk).update(status=Occurrence.Status.CANCELLED)
    factories.event(
        title="Odwołany", start=at(6, 2), place=mokotow, status=Event.Status.CANCELLED, cancellation_reason="Deszcz."
    )
    factories.event(title="Szkic", start=at(4, 2), place=zoliborz, is_published=False)  # not counted
    factories.event(title="Sylwester sieci", start=at(12, 31, 23, 30), online_url="https://meet.example.org/s")
    factories.event(title="Nowy rok", start=at(1, 1, 0, 30, year=Y + 1), place=zoliborz)  # the next year
    factories.event(title="Razem", start=at(7, 7), place=bielany, organisers=[sady, wierzbno])
    factories.event(title="Ukrytego", start=at(8, 8), online_url="https://meet.example.org/u", organisers=[hidden])


def plain(value):
    """A table's value as a test compares it: lazy translations as text."""
    return value if value is None or isinstance(value, int | date) else str(value)


def rows(table):
    return [tuple(plain(value) for value in row) for row in table.rows]


def as_dict(table):
    return {str(row[0]): row[1:] for row in table.rows}


# --- the numbers ----------------------------------------------------------------------------------------------


def test_members_by_sector_at_the_start_and_end_of_the_year(network):
    table = report.year_report(Y, timezone.localdate()).table("sektory")

    assert as_dict(table) == {
        "Organizacja pozarządowa": (1, 1, 0),
        "Instytucja publiczna": (1, 1, 0),
        "Firma": (0, 1, 1),
        "Grupa nieformalna": (0, 0, 0),
        "Wspólnota wyznaniowa": (0, 0, 0),
        "Inne": (1, 1, 0),
    }
    assert table.total[1:] == (3, 4, 1)


def test_new_and_former_members_are_memberships_begun_and_ended_in_the_year(network):
    shown = report.year_report(Y, timezone.localdate())

    assert rows(shown.table("nowi-czlonkowie")) == [
        ("Biblioteka Osiem", "instytucja publiczna", "Wierzbno", date(Y, 12, 31)),
        ("Firma Trzy", "firma", "Wierzbno", date(Y, 3, 1)),
        ("Fundacja Jeden", "organizacja pozarządowa", "Wierzbno", date(Y, 5, 1)),
        ("Klub Dziewięć", "inne", "Sady", date(Y, 1, 1)),
    ]
    assert rows(shown.table("byli-czlonkowie")) == [
        ("Klub Dziewięć", "inne", "Sady", date(Y, 12, 31)),
        ("Szkoła Dwa", "instytucja publiczna", "Sady", date(Y, 6, 30)),
    ]


def test_partnerships_with_their_members_and_dates_of_the_year(network):
    today = timezone.localdate()

    table = report.year_report(Y, today).table("partnerstwa")

    assert rows(table) == [
        ("Forum", "tematyczne", "działające", 0, 0, 0, 0, None),
        ("Sady", "lokalne", "działające", 2, 1, 2, 2, today - relativedelta(months=2)),
        ("Stegny", "lokalne", "działające", 0, 0, 0, 0, today - relativedelta(months=13)),
        ("Wierzbno", "lokalne", "działające", 3, 3, 0, 3, today - relativedelta(months=8)),
    ]


def test_dates_per_month_count_each_date_of_a_series_and_cancelled_ones_apart(network):
    table = report.year_report(Y, timezone.localdate()).table("wydarzenia-miesiace")

    months = as_dict(table)
    assert len(months) == 12
    assert {month: counts for month, counts in months.items() if counts != (0, 0)} == {
        "Styczeń": (2, 1),
        "Marzec": (1, 0),
        "Czerwiec": (0, 1),
        "Lipiec": (1, 0),
        "Sierpień": (1, 0),
        "Grudzień": (1, 0),
    }
    assert table.total[1:] == (6, 2)


def test_dates_per_district_as_the_agendas_district_filter_finds_them(network):
    table = report.year_report(Y, timezone.localdate()).table("wydarzenia-dzielnice")

    districts = as_dict(table)
    assert len(districts) == 19
    assert {name: count for name, count in districts.items() if count != (0,)} == {
        "Bielany": (1,),
        "Mokotów": (3,),  # the series' two dates and the event organised with Sady
        "Żoliborz": (2,),  # held there, organised from there: once
        "Bez dzielnicy (np. online)": (2,),  # the network's online date, and the one of an unpublished organiser
    }


def test_verification_on_the_day_of_the_report(network):
    table = report.year_report(Y, timezone.localdate()).table("potwierdzanie-danych")

    assert as_dict(table) == {
        "W ostatnich 6 miesiącach": (1,),
        "6–12 miesięcy temu": (1,),
        "Ponad 12 miesięcy temu": (1,),
        "Nigdy": (1,),
    }
    assert table.total[1:] == (4,)


def test_summary_of_the_year(network):
    table = report.year_report(Y, timezone.localdate()).table("w-skrocie")

    assert [count for _label, count in table.rows] == [4, 3, 4, 4, 2, 6, 2]


def test_a_year_with_nothing_in_it_has_zeros_everywhere():
    shown = report.year_report(2001, timezone.localdate())

    assert all(count == 0 for _label, count in shown.table("w-skrocie").rows)
    assert len(shown.table("wydarzenia-miesiace").rows) == 12
    assert shown.table("nowi-czlonkowie").rows == []


# --- the page and the file ------------------------------------------------------------------------------------


def test_staff_see_the_tables_with_charts_beside_them(staff_client, network):
    response = staff_client.get(URL, {"rok": Y})

    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<h1") == 1 and f"Raport roczny dla miasta – {Y}" in content
    assert content.count('<svg class="report-chart"') == 4
    assert content.count('role="img"') == 4
    assert 'aria-labelledby="sektory-chart"' in content and 'id="sektory-chart"' in content
    assert '<th scope="row">Organizacja pozarządowa</th><td class="num">1</td><td class="num">1</td>' in content
    assert '<th scope="row">Firma</th><td class="num">0</td><td class="num">1</td><td class="num">+1</td>' in content
    assert '<th scope="row">Styczeń</th><td class="num">2</td><td class="num">1</td>' in content
    assert '<th scope="row">Mokotów</th><td class="num">3</td>' in content
    assert f'<time datetime="{Y}-12-31">31 grudnia {Y}</time>' in content
    assert f'href="{XLSX_URL}?rok={Y}"' in content
    assert "style=" not in content.split('<div class="wspl-report">')[1]  # the CSP allows no style attributes
    assert "Ten rok jeszcze się nie skończył" not in content


def test_chart_numbers_are_written_without_a_decimal_comma(staff_client, network):
    content = staff_client.get(URL, {"rok": Y}).content.decode()

    months = content.split('<svg class="report-chart"')[2].split("</svg>")[0]
    assert 'width="370.0"' in months and 'width="185.0"' in months  # January's 2 dates, and 1
    assert not re.search(r'(width|x)="[0-9]+,[0-9]', months)


def test_the_year_defaults_to_this_one_which_is_not_over(staff_client):
    response = staff_client.get(URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert f"Raport roczny dla miasta – {Y + 1}" in content
    assert "Ten rok jeszcze się nie skończył" in content


def test_the_dashboard_links_to_the_report(staff_client):
    content = staff_client.get("/admin/").content.decode()

    assert f'<a href="{reverse("admin:report")}">Raport roczny dla miasta</a>' in content


def test_the_english_admin_shows_the_report_too(staff_client, network):
    response = staff_client.get("/en/admin/raport/", {"rok": Y})

    assert response.status_code == 200
    assert 'id="sektory"' in response.content.decode()


def test_names_are_escaped(staff_client):
    factories.partnership(name="<b>Partnerstwo</b>")

    content = staff_client.get(URL, {"rok": Y}).content.decode()

    assert escape("<b>Partnerstwo</b>") in content and "<b>Partnerstwo</b>" not in content


def test_the_xlsx_file_has_a_sheet_per_table_with_the_same_numbers(staff_client, network):
    response = staff_client.get(XLSX_URL, {"rok": Y})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="raport-roczny-wspl-{Y}.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    shown = report.year_report(Y, timezone.localdate())
    assert book.sheetnames == [table.sheet for table in shown.tables]
    for table in shown.tables:
        sheet = book[table.sheet]
        cells = [list(row) for row in sheet.iter_rows(values_only=True)]
        assert cells[0] == [str(column.label) for column in table.columns], table.key
        expected = [*table.rows, *([table.total] if table.total else [])]
        assert len(cells) == 1 + len(expected), table.key
        for written, row in zip(cells[1:], expected, strict=True):
            assert written == [_as_written(value) for value in row], table.key
    assert list(book["Członkowie według sektorów"].iter_rows(values_only=True))[-1] == ("Razem", 3, 4, 1)


def _as_written(value):
    if isinstance(value, date):
        return datetime.combine(value, datetime.min.time())  # openpyxl reads a date cell back as a datetime
    return plain(value)


# --- who may see it --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [URL, XLSX_URL])
def test_anonymous_visitors_are_sent_to_the_admin_login(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("url", [URL, XLSX_URL])
def test_coordinators_are_refused(client, url):
    partnership = factories.partnership()
    coordinator = get_user_model().objects.create_user(username="koordynatorka", email="k@example.org")
    factories.coordinator_access(user=coordinator, partnership_obj=partnership)
    client.force_login(coordinator)

    response = client.get(url)

    assert response.status_code == 403
    assert "Raport" not in response.content.decode()


@pytest.mark.parametrize("url", [URL, XLSX_URL])
def test_staff_without_superuser_rights_get_the_report(client, url):
    log_in(client, get_user_model().objects.create_user(username="pracownik", is_staff=True))

    assert client.get(url).status_code == 200


# --- bad years -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("abc", "Podaj rok cyframi, np. 2026."),
        ("2026.5", "Podaj rok cyframi, np. 2026."),
        ("\x00", "Podaj rok cyframi, np. 2026."),
        ("20\x0026", "Podaj rok cyframi, np. 2026."),
        ("9" * 5000, "Podaj rok cyframi, np. 2026."),
        ("", "Podaj rok, np. 2026."),
        ("1999", "Raport obejmuje lata 2000–2100."),
        ("2101", "Raport obejmuje lata 2000–2100."),
        ("-5", "Raport obejmuje lata 2000–2100."),
        ("99999999999999999999", "Raport obejmuje lata 2000–2100."),
    ],
)
@pytest.mark.parametrize("url", [URL, XLSX_URL])
def test_a_year_that_cannot_be_read_shows_why_and_no_report(staff_client, url, year, message):
    response = staff_client.get(url, {"rok": year})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    content = response.content.decode()
    assert message in content
    assert 'class="report-section"' not in content
    assert 'name="rok"' in content  # the form, to put it right


@pytest.mark.parametrize("year", ["2000", "2100"])
def test_the_first_and_last_years_of_the_range_are_reported(staff_client, year):
    response = staff_client.get(URL, {"rok": year})

    assert response.status_code == 200
    assert f"Raport roczny dla miasta – {year}" in response.content.decode()


# --- queries --------------------------------------------------------------------------------------------------


def grow(size):
    """factories.network(size) and, per partnership, a member that joins and one that leaves this year."""
    this_year = timezone.localdate().year
    for partnership in factories.network(size):
        factories.membership(partnership_obj=partnership, since=date(this_year, 1, 2))
        factories.membership(partnership_obj=partnership, since=date(this_year - 1, 1, 2), until=date(this_year, 1, 3))
        factories.event(
            start=timezone.now() - timedelta(days=1), organisers=[partnership], recurrence="FREQ=DAILY;COUNT=3"
        )


@pytest.mark.parametrize("url", [URL, XLSX_URL])
def test_query_count_does_not_grow_with_the_network(staff_client, url):
    grow(2)
    response, small = count_queries(staff_client, url)
    assert response.status_code == 200
    grow(10)
    response, large = count_queries(staff_client, url)
    assert response.status_code == 200

    assert len(large) == len(small), (small, large)
    assert len(small) <= 10, small
    if url == URL:
        assert report.year_report(Y + 1, timezone.localdate()).table("w-skrocie").rows[0][1] == 12
