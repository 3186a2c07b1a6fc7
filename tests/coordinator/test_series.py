"""A coordinator makes a recurring series from plain choices (never a rule's text) and manages its single dates.

The builder is the one staff use in the admin (events/forms.py RecurrenceFields); each date of a series can be
cancelled with a reason (shown publicly), skipped (gone from the public lists, "pominięty" for the coordinator),
moved ("przeniesione z …") and restored, on the series' page in the coordinator area.
"""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from common.forms import version_of
from events.models import Event, Occurrence
from tests import factories
from tests.events.helpers import UTC, at, parse, series, vevents

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership():
    return factories.partnership(name="Partnerstwo Bródno", districts=["targowek"])


@pytest.fixture
def place(partnership):
    obj = factories.place(name="Dom Sąsiedzki Bródno", district_slug="targowek")
    partnership.places.add(obj)
    return obj


def url(name, partnership, **kwargs):
    return reverse(f"coordinator:{name}", kwargs={"slug": partnership.slug, **kwargs})


def event_data(where, day, **changes):
    data = {
        "title": "Klub sąsiedzki",
        "kind": "local",
        "start_date": day.isoformat(),
        "start_time": "18:00",
        "end_date": day.isoformat(),
        "end_time": "20:00",
        "place": where.pk,
        "publication": "publish",
    }
    data.update(changes)
    return data


def local_days(event):
    return [timezone.localtime(o.start).date() for o in event.occurrences.order_by("start")]


def no_rule_text(page):
    """Nothing a coordinator sees names the stored rule."""
    return not any(word in page for word in ("FREQ", "RRULE", "BYDAY", "COUNT=", "UNTIL=", "recurrence"))


# --- the builder ----------------------------------------------------------------------------------

# (start, the builder's fields, the dates it makes, its summary)
SHAPES = {
    "weekly": (
        date(2027, 4, 1),
        {"repeat": "weekly", "repeat_count": "3"},
        [date(2027, 4, 1), date(2027, 4, 8), date(2027, 4, 15)],
        "co tydzień, w czwartki, 3 razy, do 15 kwietnia 2027",
    ),
    "biweekly": (
        date(2027, 4, 1),
        {"repeat": "biweekly", "repeat_count": "3"},
        [date(2027, 4, 1), date(2027, 4, 15), date(2027, 4, 29)],
        "co drugi tydzień, w czwartki, 3 razy, do 29 kwietnia 2027",
    ),
    "monthly_nth": (
        date(2027, 4, 13),
        {"repeat": "monthly_nth", "repeat_count": "3"},
        [date(2027, 4, 13), date(2027, 5, 11), date(2027, 6, 8)],
        "w każdy drugi wtorek miesiąca, 3 razy, do 8 czerwca 2027",
    ),
    "monthly_last": (
        date(2027, 4, 30),
        {"repeat": "monthly_last", "repeat_until": "2027-06-30"},
        [date(2027, 4, 30), date(2027, 5, 28), date(2027, 6, 25)],
        "w ostatni piątek miesiąca, 3 razy, do 25 czerwca 2027",
    ),
    "monthly_day": (
        date(2027, 4, 15),
        {"repeat": "monthly_day", "repeat_until": "2027-06-20"},
        [date(2027, 4, 15), date(2027, 5, 15), date(2027, 6, 15)],
        "co miesiąc, 15. dnia, 3 razy, do 15 czerwca 2027",
    ),
    "weekdays": (
        date(2027, 4, 12),
        {"repeat": "weekdays", "repeat_weekdays": ["MO", "WE"], "repeat_count": "4"},
        [date(2027, 4, 12), date(2027, 4, 14), date(2027, 4, 19), date(2027, 4, 21)],
        "co tydzień, w poniedziałki i środy, 4 razy, do 21 kwietnia 2027",
    ),
    "daily": (
        date(2027, 4, 12),
        {"repeat": "daily", "repeat_until": "2027-04-14"},
        [date(2027, 4, 12), date(2027, 4, 13), date(2027, 4, 14)],
        "codziennie, 3 razy, do 14 kwietnia 2027",
    ),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_builder_round_trip_for_every_shape(coordinator_client, partnership, place, shape):
    start, fields, days, summary = SHAPES[shape]

    response = coordinator_client.post(url("event_add", partnership), event_data(place, start, **fields), follow=True)

    event = Event.objects.get()
    assert local_days(event) == days
    page = response.content.decode()
    assert f"Cykl: {summary}." in page  # the message after saving, on the series' page of dates
    assert response.redirect_chain[-1][0] == url("event_dates", partnership, pk=event.pk)
    assert no_rule_text(page)

    form = coordinator_client.get(url("event_edit", partnership, pk=event.pk)).content.decode()

    assert re.search(rf'<option value="{fields["repeat"]}" selected>', form), shape
    assert f"Teraz: {summary}." in form
    for code in fields.get("repeat_weekdays", []):
        assert re.search(rf'value="{code}"[^>]*checked', form), code
    for name in ("repeat_count", "repeat_until"):
        if name in fields:
            assert re.search(rf'name="{name}" value="{fields[name]}"', form), name
    assert no_rule_text(form)

    rule = event.recurrence
    again = event_data(place, start, version=version_of(Event.objects.get(pk=event.pk)), **fields)
    assert coordinator_client.post(url("event_edit", partnership, pk=event.pk), again).status_code == 302
    event.refresh_from_db()
    assert event.recurrence == rule and local_days(event) == days


THURSDAY = date(2027, 4, 1)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"repeat": "weekly"}, "Podaj, kiedy cykl się kończy: wypełnij „Powtarzaj do dnia” albo „Liczba terminów”."),
        (
            {"repeat": "weekly", "repeat_until": "2027-05-01", "repeat_count": "4"},
            "Wypełnij tylko jedno: „Powtarzaj do dnia” albo „Liczba terminów”.",
        ),
        ({"repeat": "weekly", "repeat_until": "2027-03-01"}, "Cykl nie może skończyć się przed dniem rozpoczęcia."),
        ({"repeat": "daily", "repeat_until": "2028-12-31"}, "Cykl miałby więcej niż 400 terminów"),
        ({"repeat": "weekly", "repeat_until": "2040-01-01"}, "Cykl może trwać najwyżej 10 lat"),
        ({"repeat": "weekly", "repeat_count": "401"}, "Cykl może mieć najwyżej 400 terminów."),
        ({"repeat": "weekly", "repeat_count": "9" * 40}, "Cykl może mieć najwyżej 400 terminów."),
        ({"repeat": "weekly", "repeat_count": "0"}, "Cykl ma co najmniej jeden termin."),
        ({"repeat": "weekly", "repeat_count": "\x00"}, "Liczbę terminów podaj cyframi, np. 8."),
        ({"repeat": "weekly", "repeat_count": "osiem"}, "Liczbę terminów podaj cyframi, np. 8."),
        ({"repeat": "weekly", "repeat_until": "2027\x00-05-01"}, "Podaj datę w postaci RRRR-MM-DD"),
        ({"repeat": "weekly", "repeat_until": "99999-01-01"}, "Podaj datę w postaci RRRR-MM-DD"),
        ({"repeat": "FREQ=DAILY;COUNT=3", "repeat_count": "3"}, "Wybierz sposób powtarzania z listy."),
        ({"repeat": "custom", "repeat_count": "3"}, "Wybierz sposób powtarzania z listy."),
        ({"repeat": "weekly\x00", "repeat_count": "3"}, "Wybierz sposób powtarzania z listy."),
        (
            {"repeat": "weekdays", "repeat_weekdays": ["TH", "XX"], "repeat_count": "3"},
            "Wybierz dni tygodnia z listy.",
        ),
        (
            {"repeat": "weekdays", "repeat_weekdays": ["+2TU"], "repeat_count": "3"},
            "Wybierz dni tygodnia z listy.",
        ),
        (
            {"repeat": "weekdays", "repeat_weekdays": ["MO"], "repeat_count": "3"},
            "Zaznacz też czwartek – w ten dzień tygodnia przypada dzień rozpoczęcia.",
        ),
        (
            {"repeat": "weekdays", "repeat_count": "3"},
            "Zaznacz też czwartek – w ten dzień tygodnia przypada dzień rozpoczęcia.",
        ),
        ({"repeat": "monthly_last", "repeat_count": "3"}, "Pierwszy termin nie pasuje do tego powtarzania"),
    ],
)
def test_bad_series_is_refused_with_a_message_about_the_visible_fields(
    coordinator_client, partnership, place, fields, message
):
    response = coordinator_client.post(url("event_add", partnership), event_data(place, THURSDAY, **fields))

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert no_rule_text(page)
    assert not Event.objects.exists()


def test_a_rule_staff_wrote_stays_unless_the_coordinator_picks_a_pattern(coordinator_client, partnership, place):
    event = series(
        title="Zebranie co dwa miesiące",
        start=at(THURSDAY),
        rule="FREQ=MONTHLY;INTERVAL=2;COUNT=4",
        organisers=[partnership],
        place=place,
    )
    address = url("event_edit", partnership, pk=event.pk)

    form = coordinator_client.get(address).content.decode()

    assert '<option value="custom" selected>bez zmian: wydarzenie cykliczne</option>' in form
    assert no_rule_text(form)
    data = event_data(
        place, THURSDAY, title="Zebranie", repeat="custom", version=version_of(Event.objects.get(pk=event.pk))
    )
    assert coordinator_client.post(address, data).status_code == 302
    event.refresh_from_db()
    assert event.recurrence == "FREQ=MONTHLY;INTERVAL=2;COUNT=4" and event.title == "Zebranie"

    data = event_data(
        place, THURSDAY, repeat="weekly", repeat_count="2", version=version_of(Event.objects.get(pk=event.pk))
    )
    assert coordinator_client.post(address, data).status_code == 302
    event.refresh_from_db()
    assert local_days(event) == [THURSDAY, THURSDAY + timedelta(days=7)]


def test_choosing_no_repetition_makes_a_series_one_date(coordinator_client, partnership, place):
    event = series(start=at(THURSDAY), rule="FREQ=WEEKLY;COUNT=4", organisers=[partnership], place=place)

    data = event_data(place, THURSDAY, repeat="", version=version_of(Event.objects.get(pk=event.pk)))
    response = coordinator_client.post(url("event_edit", partnership, pk=event.pk), data)

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.recurrence == "" and local_days(event) == [THURSDAY]


# --- single dates of a series ---------------------------------------------------------------------


def next_thursday():
    today = timezone.localdate()
    return today + timedelta(days=(3 - today.weekday()) % 7 or 7)


@pytest.fixture
def club(partnership, place):
    """Every Thursday at 18:00 for eight weeks from next Thursday."""
    return series(
        title="Czwartkowy klub sąsiedzki",
        start=at(next_thursday()),
        rule="FREQ=WEEKLY;BYDAY=TH;COUNT=8",
        organisers=[partnership],
        place=place,
    )


def nth_date(event, n):
    return event.occurrences.order_by("original_start")[n]


def date_url(name, partnership, occurrence):
    return url(name, partnership, pk=occurrence.event_id, date=occurrence.pk)


def ical_overrides(client, event):
    """{RECURRENCE-ID in UTC: VEVENT} and the master VEVENT of the event's own .ics."""
    calendar = parse(client.get(reverse("events:ical_event", kwargs={"slug": event.slug})))
    master = next(v for v in vevents(calendar) if "RECURRENCE-ID" not in v)
    overrides = {v["RECURRENCE-ID"].dt.astimezone(UTC): v for v in vevents(calendar) if "RECURRENCE-ID" in v}
    return master, overrides


def card_of(page, href):
    """The event card (or list item) linking to `href`."""
    for card in re.findall(r"<article.*?</article>", page, re.S):
        if f'href="{href}"' in card:
            return card
    raise AssertionError(f"no card links to {href}")


def test_coordinator_cancels_one_date_with_a_reason_shown_on_every_public_list(
    coordinator_client, client, partnership, club
):
    third = nth_date(club, 2)
    before = Event.objects.get(pk=club.pk).sequence

    response = coordinator_client.post(
        date_url("occurrence_cancel", partnership, third), {"reason": "choroba prowadzącej"}, follow=True
    )

    page = response.content.decode()
    assert "Termin jest odwołany; na stronie wydarzenia widać powód." in page
    assert "odwołany</span> choroba prowadzącej" in page  # the coordinator's list of dates
    third.refresh_from_db()
    assert (third.status, third.cancellation_reason) == ("cancelled", "choroba prowadzącej")
    club.refresh_from_db()
    assert club.sequence == before + 1  # calendars take the change
    assert club.history.latest("history_date").history_user.username == "koordynatorka"
    assert [o.status for o in club.occurrences.order_by("start")].count("cancelled") == 1

    event_page = client.get(club.get_absolute_url()).content.decode()
    assert '<span class="badge-warn">odwołane</span>: choroba prowadzącej' in event_page
    date_page = client.get(third.get_absolute_url()).content.decode()
    assert "Ten termin został odwołany. Pozostałe terminy cyklu są aktualne." in date_page
    assert "Powód: choroba prowadzącej" in date_page
    agenda = client.get(reverse("events:list")).content.decode()
    assert '<span class="badge-warn">odwołane</span><span class="small">: choroba prowadzącej</span>' in card_of(
        agenda, third.get_absolute_url()
    )
    _master, overrides = ical_overrides(client, club)
    override = overrides[third.original_start.astimezone(UTC)]
    assert str(override["STATUS"]) == "CANCELLED"
    assert "ODWOŁANE. Powód: choroba prowadzącej" in str(override["DESCRIPTION"])


def test_coordinator_moves_one_date_and_residents_see_where_from(coordinator_client, client, partnership, club):
    second = nth_date(club, 1)
    new_day = timezone.localdate(second.start) + timedelta(days=1)
    was = date_format(timezone.localdate(second.original_start), "j E")

    response = coordinator_client.post(
        date_url("occurrence_move", partnership, second),
        {"start_date": new_day.isoformat(), "start_time": "17:00"},
        follow=True,
    )

    assert f"przeniesiony z {was}" in response.content.decode()
    second.refresh_from_db()
    assert second.moved and timezone.localtime(second.start).date() == new_day
    assert timezone.localtime(second.start).hour == 17 and second.end - second.start == timedelta(hours=2)
    event_page = client.get(club.get_absolute_url()).content.decode()
    assert f'<span class="badge-soft">nowy termin</span> przeniesione z {was}' in event_page
    agenda = client.get(reverse("events:list")).content.decode()
    assert f"przeniesione z {was}" in card_of(agenda, second.get_absolute_url())
    _master, overrides = ical_overrides(client, club)
    override = overrides[second.original_start.astimezone(UTC)]
    assert override["DTSTART"].dt.astimezone(UTC) == second.start.astimezone(UTC)
    assert str(override["STATUS"]) == "CONFIRMED"
    assert f"Termin przeniesiony z {was}" in str(override["DESCRIPTION"])


def test_coordinator_skips_one_date_which_leaves_the_public_lists_but_not_theirs(
    coordinator_client, client, partnership, club
):
    fourth = nth_date(club, 3)
    public_url = fourth.get_absolute_url()

    response = coordinator_client.post(
        date_url("occurrence_skip", partnership, fourth), {"reason": "ferie zimowe"}, follow=True
    )

    assert "pominięty</span> ferie zimowe" in response.content.decode()
    fourth.refresh_from_db()
    assert (fourth.status, fourth.cancellation_reason) == ("skipped", "ferie zimowe")
    assert public_url not in client.get(club.get_absolute_url()).content.decode()
    assert client.get(public_url).status_code == 404
    assert "ferie zimowe" not in client.get(reverse("events:list")).content.decode()
    master, overrides = ical_overrides(client, club)
    excluded = [d.dt.astimezone(UTC) for d in master["EXDATE"].dts]
    assert excluded == [fourth.original_start.astimezone(UTC)] and not overrides


@pytest.mark.parametrize("action", ["cancel", "skip", "move"])
def test_each_change_of_a_date_can_be_undone(coordinator_client, partnership, club, action):
    second = nth_date(club, 1)
    data = {
        "cancel": {"reason": "remont sali"},
        "skip": {"reason": ""},
        "move": {
            "start_date": (timezone.localdate(second.start) + timedelta(days=2)).isoformat(),
            "start_time": "19:00",
        },
    }[action]
    coordinator_client.post(date_url(f"occurrence_{action}", partnership, second), data)
    second.refresh_from_db()
    assert second.is_exception
    sequence = Event.objects.get(pk=club.pk).sequence

    response = coordinator_client.post(date_url("occurrence_restore", partnership, second), follow=True)

    assert "znowu odbywa się według planu cyklu" in response.content.decode()
    second.refresh_from_db()
    assert (second.status, second.cancellation_reason, second.moved) == ("scheduled", "", False)
    assert second.start == second.original_start
    assert Event.objects.get(pk=club.pk).sequence == sequence + 1


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("cancel", {"reason": ""}, "Napisz krótko, dlaczego ten termin jest odwołany."),
        ("cancel", {"reason": "sala\x00zajęta"}, "tylko jeden wiersz zwykłego tekstu"),
        ("cancel", {"reason": "x" * 301}, "300"),
        ("move", {"start_date": "jutro", "start_time": "18:00"}, "Podaj datę w postaci RRRR-MM-DD"),
        ("move", {"start_date": "2027-05-06\x00", "start_time": "18:00"}, "Podaj datę w postaci RRRR-MM-DD"),
        ("move", {"start_date": "2150-05-06", "start_time": "18:00"}, "Podaj datę z lat 2000–2100."),
        ("move", {"start_date": "2027-05-06", "start_time": ""}, "Podaj godzinę rozpoczęcia w nowym dniu."),
        ("move", {"start_date": "", "start_time": "18:00"}, "Podaj nowy dzień tego terminu."),
        ("move", {"start_date": "2027-05-06", "start_time": "25:99"}, "Podaj godzinę w postaci GG:MM"),
        ("skip", {"reason": "x" * 301}, "300"),
    ],
)
def test_bad_change_of_a_date_is_refused_with_a_polish_message(
    coordinator_client, partnership, club, action, data, message
):
    second = nth_date(club, 1)
    sequence = Event.objects.get(pk=club.pk).sequence

    response = coordinator_client.post(date_url(f"occurrence_{action}", partnership, second), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    second.refresh_from_db()
    assert not second.is_exception and Event.objects.get(pk=club.pk).sequence == sequence


def test_a_date_of_another_event_or_of_a_single_event_is_not_found(coordinator_client, partnership, place, club):
    other = series(start=at(next_thursday()), rule="FREQ=WEEKLY;COUNT=3", organisers=[partnership], place=place)
    single = factories.event(organisers=[partnership], place=place)
    foreign = nth_date(other, 1)

    for name in ("occurrence_cancel", "occurrence_skip", "occurrence_move", "occurrence_restore"):
        through_club = url(name, partnership, pk=club.pk, date=foreign.pk)
        assert coordinator_client.post(through_club, {"reason": "x"}).status_code == 404, name
        own_date = url(name, partnership, pk=single.pk, date=single.occurrences.get().pk)
        assert coordinator_client.post(own_date, {"reason": "x"}).status_code == 404, name
        missing = url(name, partnership, pk=club.pk, date=99999999999999999999)
        assert coordinator_client.post(missing, {"reason": "x"}).status_code == 404, name
    assert not Occurrence.objects.exclude(status="scheduled").exists()


def test_series_page_lists_every_date_with_its_actions(coordinator_client, partnership, club):
    page = coordinator_client.get(url("event_dates", partnership, pk=club.pk)).content.decode()

    assert "<h1" in page and page.count("<h1") == 1
    assert "Terminy cyklu: Czwartkowy klub sąsiedzki" in page
    last = date_format(timezone.localdate(nth_date(club, 7).start), "j E Y")
    assert f"Cykl: co tydzień, w czwartki, 8 razy, do {last}." in page
    assert page.count(">Odwołaj<") == 8 and page.count(">Przenieś<") == 8
    assert "Przywróć" not in page
    assert no_rule_text(page)
    partnership_page = coordinator_client.get(url("partnership", partnership)).content.decode()
    assert url("event_dates", partnership, pk=club.pk) in partnership_page


@pytest.mark.parametrize("sizes", [(8, 100)])
def test_series_page_runs_the_same_queries_at_8_and_100_dates(coordinator_client, partnership, place, sizes):
    counts = []
    for size in sizes:
        event = series(
            start=at(next_thursday()), rule=f"FREQ=WEEKLY;COUNT={size}", organisers=[partnership], place=place
        )
        dates = list(event.occurrences.order_by("start"))
        cancel, move, skip = dates[1], dates[2], dates[3]
        Occurrence.objects.filter(pk=cancel.pk).update(status="cancelled", cancellation_reason="remont")
        Occurrence.objects.filter(pk=skip.pk).update(status="skipped")
        Occurrence.objects.filter(pk=move.pk).update(
            start=move.start + timedelta(hours=1), end=move.end + timedelta(hours=1), moved=True
        )
        with CaptureQueriesContext(connection) as queries:
            response = coordinator_client.get(url("event_dates", partnership, pk=event.pk))
        assert response.status_code == 200
        assert response.content.decode().count(">Odwołaj<") == size - 1
        counts.append(len(queries))

    assert counts[0] == counts[1], counts
    assert counts[0] <= 12, counts
