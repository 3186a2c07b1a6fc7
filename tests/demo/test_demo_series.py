"""The demo series: four recurring events with exceptions, loaded idempotently."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from demo.loader import WARSAW, load_series, series_start
from events.models import Event, Occurrence
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnerships():
    for slug, name in [
        ("nasze-stegny", "Nasze Stegny"),
        ("sady-zoliborskie", "Sady Żoliborskie"),
        ("przepis-na-muranow", "Przepis na Muranów"),
        ("mlyn-na-woli", "Młyn na Woli"),
    ]:
        factories.partnership(name=name, slug=slug)
    factories.place(name="Aula szkoły", slug="aula-szkoly-sady")


def counts():
    return (Event.objects.count(), Occurrence.objects.count(), Event.history.count())


def test_demo_series_have_series_co_organised_network_wide_cancelled_moved_and_skipped_dates(partnerships):
    series = load_series(timezone.now())

    assert len(series) == 4
    assert all(event.recurrence for event in series.values())
    assert Event.objects.filter(recurrence__startswith="FREQ=MONTHLY", recurrence__contains="BYDAY=+2TU").exists()
    club = series["poniedzialkowy-klub-sasiedzki-sady-cykl"]
    assert club.recurrence_text() == "co tydzień, w poniedziałki"
    assert club.occurrences.filter(status="cancelled").count() == 1
    assert club.occurrences.filter(status="skipped").count() == 1
    cafe = series["kawiarenka-jezykowa-muranow-mlynow-cykl"]
    assert cafe.organisers.count() == 2
    assert cafe.occurrences.filter(moved=True).count() == 1
    assert not series["dyzur-konsultacyjny-boris-online-cykl"].organisers.exists()
    now = timezone.now()
    for event in series.values():
        assert event.occurrences.filter(end__lt=now).exists() and event.occurrences.filter(start__gt=now).exists()
        assert event.start > now - timedelta(days=95)


def test_loading_the_demo_series_twice_changes_nothing(partnerships):
    now = timezone.now()
    load_series(now)
    before = counts()
    sequences = dict(Event.objects.values_list("slug", "sequence"))

    load_series(now)

    assert counts() == before
    assert dict(Event.objects.values_list("slug", "sequence")) == sequences


def test_demo_series_show_on_the_agenda(client, partnerships):
    load_series(timezone.now())

    page = client.get(reverse("events:list")).content.decode()

    assert "Poniedziałkowy klub sąsiedzki" in page
    assert "Spotkanie cykliczne: w każdy drugi wtorek miesiąca" in page


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ({"months_ago": 2, "nth": 2, "weekday": "TU", "time": "18:00"}, datetime(2025, 12, 9, 18, 0)),
        ({"months_ago": 2, "nth": -1, "weekday": "TH", "time": "16:00"}, datetime(2025, 12, 25, 16, 0)),
        ({"months_ago": 1, "nth": -1, "weekday": "SA", "time": "10:00"}, datetime(2026, 1, 31, 10, 0)),
        ({"weeks_ago": 6, "weekday": "MO", "time": "17:00"}, datetime(2025, 12, 29, 17, 0)),
        ({"weeks_ago": 4, "weekday": "WE", "time": "18:30"}, datetime(2026, 1, 14, 18, 30)),
    ],
)
def test_series_start_counts_back_from_the_day_of_loading_across_a_new_year(start, expected):
    # A Tuesday in February: two months back is December of the year before.
    assert series_start(start, today=date(2026, 2, 10)) == expected.replace(tzinfo=WARSAW)


def test_series_start_keeps_the_warsaw_wall_clock_time_in_summer():
    start = series_start({"weeks_ago": 1, "weekday": "FR", "time": "18:00"}, today=date(2026, 7, 15))

    assert start.utcoffset() == timedelta(hours=2)
    assert (start.date(), start.hour) == (date(2026, 7, 10), 18)
