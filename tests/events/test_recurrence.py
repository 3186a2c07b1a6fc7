"""Series: rules, their dates across the clock changes, exceptions of single dates, SEQUENCE."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from events import recurrence, services
from events.models import Event, Occurrence
from tests import factories

from .helpers import UTC, WARSAW, at, in_days, last_sunday, next_change, series, weekly_club_with_exceptions

pytestmark = pytest.mark.django_db


def local_times(event):
    return [timezone.localtime(o.start, WARSAW).strftime("%Y-%m-%d %H:%M") for o in event.occurrences.all()]


# --- rules ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=WEEKLY;BYDAY=MO", "Cykl musi się kończyć"),
        ("FREQ=WEEKLY;COUNT=3;UNTIL=20270101", "Cykl musi się kończyć"),
        ("FREQ=HOURLY;COUNT=3", "Podaj częstotliwość"),
        ("FREQ=WEEKLY;COUNT=3;BYHOUR=5", "nieobsługiwaną część BYHOUR"),
        ("FREQ=WEEKLY;COUNT=abc", "Liczba terminów (COUNT)"),
        ("FREQ=WEEKLY;COUNT=100000", "Liczba terminów (COUNT)"),
        ("FREQ=WEEKLY;BYDAY=XX;COUNT=3", "Dni tygodnia zapisuje się skrótami"),
        ("FREQ=WEEKLY;UNTIL=2026", "RRRRMMDD"),
        ("FREQ=WEEKLY;UNTIL=20260230", "nie istnieje w kalendarzu"),
        ("FREQ=WEEKLY;UNTIL=99991231", "2000–2100"),
        ("FREQ=DAILY;UNTIL=21501231", "2000–2100"),
        ("FREQ=WEEKLY;COUNT=2\nDTSTART:20260101", "tylko litery, cyfry"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=2", "nie wyznacza żadnego terminu"),
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=2", "nie można użyć BYMONTH"),
        ("FREQ=WEEKLY;BYDAY=+2MO;COUNT=2", "ma sens tylko przy FREQ=MONTHLY"),
        ("FREQ=WEEKLY;BYSETPOS=2;COUNT=2", "nieobsługiwaną część BYSETPOS"),
        ("FREQ=DAILY;UNTIL=20991231", "więcej niż 400 terminów"),
        ("FREQ=WEEKLY;BYDAY=TU;COUNT=3", "nie pasuje do reguły"),
    ],
)
def test_bad_rule_is_refused_with_a_polish_message(rule, message):
    monday = at(date(2027, 1, 4))

    with pytest.raises(ValidationError) as error:
        recurrence.validate(rule, monday)

    assert message in " ".join(error.value.messages)


def test_pathological_rule_is_refused_quickly():
    """A rule that never matches must not loop to the year 9999 (dateutil would take seconds)."""
    started = datetime.now()
    with pytest.raises(ValidationError):
        recurrence.validate("FREQ=YEARLY;BYMONTH=2,4;BYMONTHDAY=31;COUNT=5", at(date(2027, 1, 4)))
    assert (datetime.now() - started).total_seconds() < 1


def test_rule_is_stored_normalised_with_until_in_utc():
    assert recurrence.normalise("rrule:freq=weekly;byday=mo;until=20270131") == (
        "FREQ=WEEKLY;UNTIL=20270131T225959Z;BYDAY=MO"
    )


def test_simple_patterns_build_the_expected_rules():
    second_tuesday = at(date(2027, 4, 13))
    assert recurrence.build(recurrence.Pattern.MONTHLY_NTH, second_tuesday, count=10) == (
        "FREQ=MONTHLY;COUNT=10;BYDAY=+2TU"
    )
    assert recurrence.build(recurrence.Pattern.WEEKLY, at(date(2027, 4, 12)), until=date(2027, 6, 28)).startswith(
        "FREQ=WEEKLY;UNTIL=20270628T215959Z;BYDAY=MO"
    )
    fifth_thursday = at(date(2027, 4, 29))
    assert recurrence.build(recurrence.Pattern.MONTHLY_NTH, fifth_thursday, count=3) == (
        "FREQ=MONTHLY;COUNT=3;BYDAY=-1TH"
    )
    assert recurrence.pattern_of("FREQ=MONTHLY;COUNT=10;BYDAY=+2TU", second_tuesday) == (
        recurrence.Pattern.MONTHLY_NTH,
        None,
        10,
    )


# Every shape a series can have, with its sentence in Polish and in English.
SHAPES = [
    ("FREQ=WEEKLY;BYDAY=WE;COUNT=5", date(2027, 4, 14), "co tydzień, w środy", "every Wednesday"),
    ("FREQ=WEEKLY;BYDAY=TU;COUNT=5", date(2027, 4, 13), "co tydzień, we wtorki", "every Tuesday"),
    ("FREQ=WEEKLY;COUNT=5", date(2027, 4, 18), "co tydzień, w niedziele", "every Sunday"),
    (
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;COUNT=5",
        date(2027, 4, 14),
        "co drugi tydzień, w środy",
        "every other Wednesday",
    ),
    (
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;COUNT=8",
        date(2026, 12, 3),
        "co drugi tydzień, w czwartki",
        "every other Thursday",
    ),
    (
        "FREQ=WEEKLY;INTERVAL=3;BYDAY=SA;COUNT=5",
        date(2027, 4, 17),
        "co 3. tydzień, w soboty",
        "every 3 weeks on Saturday",
    ),
    (
        "FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=9",
        date(2027, 4, 12),
        "co tydzień, w poniedziałki, środy i piątki",
        "every Monday, Wednesday and Friday",
    ),
    (
        "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=4",
        date(2027, 4, 13),
        "co tydzień, we wtorki i czwartki",
        "every Tuesday and Thursday",
    ),
    (
        "FREQ=MONTHLY;BYDAY=+2TU;COUNT=5",
        date(2027, 4, 13),
        "w każdy drugi wtorek miesiąca",
        "on the second Tuesday of each month",
    ),
    (
        "FREQ=MONTHLY;BYDAY=+1WE;COUNT=5",
        date(2027, 4, 7),
        "w każdą pierwszą środę miesiąca",
        "on the first Wednesday of each month",
    ),
    (
        "FREQ=MONTHLY;BYDAY=+3SA;COUNT=5",
        date(2027, 4, 17),
        "w każdą trzecią sobotę miesiąca",
        "on the third Saturday of each month",
    ),
    (
        "FREQ=MONTHLY;BYDAY=+4MO;COUNT=5",
        date(2027, 4, 26),
        "w każdy czwarty poniedziałek miesiąca",
        "on the fourth Monday of each month",
    ),
    (
        "FREQ=MONTHLY;BYDAY=-1FR;COUNT=5",
        date(2027, 4, 30),
        "w ostatni piątek miesiąca",
        "on the last Friday of each month",
    ),
    (
        "FREQ=MONTHLY;BYDAY=-1SU;COUNT=5",
        date(2027, 4, 25),
        "w ostatnią niedzielę miesiąca",
        "on the last Sunday of each month",
    ),
    ("FREQ=MONTHLY;BYMONTHDAY=15;COUNT=5", date(2027, 4, 15), "co miesiąc, 15. dnia", "on day 15 of each month"),
    ("FREQ=DAILY;COUNT=5", date(2027, 4, 15), "codziennie", "every day"),
    ("FREQ=YEARLY;COUNT=5", date(2027, 4, 15), "co roku", "every year"),
    ("FREQ=MONTHLY;INTERVAL=2;COUNT=5", date(2027, 4, 15), "wydarzenie cykliczne", "recurring event"),
]


@pytest.mark.parametrize(("rule", "start", "polish", "english"), SHAPES)
def test_every_shape_of_a_series_reads_as_a_sentence_in_polish_and_english(rule, start, polish, english):
    with translation.override("pl"):
        assert recurrence.describe(rule, at(start)) == polish
    with translation.override("en"):
        assert recurrence.describe(rule, at(start)) == english


def test_summary_says_how_often_how_many_times_and_until_when():
    rule, first = "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;COUNT=8", at(date(2026, 12, 3))

    with translation.override("pl"):
        assert recurrence.summary(rule, first) == "co drugi tydzień, w czwartki, 8 razy, do 11 marca 2027"
        assert (
            recurrence.summary("FREQ=WEEKLY;BYDAY=TH;COUNT=1", first)
            == "co tydzień, w czwartki, 1 raz, do 3 grudnia 2026"
        )
    with translation.override("en"):
        assert recurrence.summary(rule, first) == "every other Thursday, 8 times, until 11 March 2027"


# --- dates ------------------------------------------------------------------------------------------


def test_monthly_meeting_every_second_tuesday_at_six_pm():
    first = at(date(2027, 1, 12))
    meeting = series(title="Spotkanie partnerstwa", start=first, rule="FREQ=MONTHLY;BYDAY=+2TU;COUNT=4")

    assert local_times(meeting) == ["2027-01-12 18:00", "2027-02-09 18:00", "2027-03-09 18:00", "2027-04-13 18:00"]
    assert meeting.recurrence_text() == "w każdy drugi wtorek miesiąca"


def test_weekly_series_keeps_six_pm_across_the_october_change():
    change = last_sunday(2027, 10)  # 31 October 2027
    club = series(start=at(change - timedelta(days=13)), rule="FREQ=WEEKLY;BYDAY=MO;COUNT=4")

    assert local_times(club) == ["2027-10-18 18:00", "2027-10-25 18:00", "2027-11-01 18:00", "2027-11-08 18:00"]
    utc_hours = [o.start.astimezone(UTC).hour for o in club.occurrences.all()]
    assert utc_hours == [16, 16, 17, 17]
    assert all(o.end - o.start == timedelta(hours=2) for o in club.occurrences.all())


def test_weekly_series_keeps_six_pm_across_the_march_change():
    change = last_sunday(2028, 3)  # 26 March 2028
    club = series(start=at(change - timedelta(days=6)), rule="FREQ=WEEKLY;BYDAY=MO;COUNT=3")

    assert local_times(club) == ["2028-03-20 18:00", "2028-03-27 18:00", "2028-04-03 18:00"]
    assert [o.start.astimezone(UTC).hour for o in club.occurrences.all()] == [17, 16, 16]


def test_series_has_at_most_the_hard_cap_of_dates():
    daily = Event(title="Dyżur", slug="dyzur", start=at(date(2027, 1, 1)), end=at(date(2027, 1, 1), 19))
    daily.recurrence = "FREQ=DAILY;COUNT=400"
    daily.save()

    assert daily.occurrences.count() == recurrence.MAX_OCCURRENCES
    assert len(recurrence.occurrence_times("FREQ=DAILY;UNTIL=20991231", daily.start, daily.end)) == 400


def test_single_event_has_exactly_one_date_that_follows_it():
    event = factories.event(title="Piknik", start=in_days(3))
    assert [(o.start, o.end) for o in event.occurrences.all()] == [(event.start, event.end)]

    event.start, event.end = in_days(4), in_days(4, hour=21)
    event.status, event.cancellation_reason = Event.Status.CANCELLED, "Deszcz."
    event.save()

    (occurrence,) = event.occurrences.all()
    assert (occurrence.start, occurrence.end, occurrence.status) == (in_days(4), in_days(4, 21), "cancelled")
    assert occurrence.cancellation_reason == "Deszcz."


def test_turning_a_series_into_a_single_event_leaves_one_date():
    club = series(start=in_days(3), rule="FREQ=WEEKLY;COUNT=5")
    club.recurrence = ""
    club.save()

    assert club.occurrences.count() == 1


# --- exceptions -------------------------------------------------------------------------------------


def test_one_date_can_be_cancelled_moved_or_skipped_without_touching_the_rest():
    club = weekly_club_with_exceptions(title="Klub szachowy")
    dates = list(club.occurrences.order_by("original_start"))

    assert [o.status for o in dates] == ["scheduled", "cancelled", "scheduled", "skipped", *["scheduled"] * 4]
    assert dates[1].cancellation_reason == "Sala zajęta na wybory."
    assert dates[2].moved and not dates[0].moved
    assert timezone.localtime(dates[2].start).strftime("%A %H:%M") == "Tuesday 17:00"
    assert all(timezone.localtime(o.start).strftime("%H:%M") == "18:00" for o in dates if not o.moved)


def test_rebuilding_a_series_keeps_its_exceptions():
    club = weekly_club_with_exceptions()
    before = {o.original_start: (o.status, o.start, o.moved) for o in club.occurrences.all() if o.is_exception}

    club.description = "Nowy opis."
    club.save()
    club.rebuild_occurrences()

    after = {o.original_start: (o.status, o.start, o.moved) for o in club.occurrences.all() if o.is_exception}
    assert after == before
    assert club.occurrences.count() == 8


def test_changing_the_time_of_a_series_keeps_exceptions_on_their_days():
    club = weekly_club_with_exceptions()
    club.start += timedelta(minutes=30)
    club.end += timedelta(minutes=30)
    club.save()

    dates = list(club.occurrences.order_by("original_start"))
    assert [timezone.localtime(o.original_start).strftime("%H:%M") for o in dates] == ["18:30"] * 8
    assert [o.status for o in dates] == ["scheduled", "cancelled", "scheduled", "skipped", *["scheduled"] * 4]
    assert timezone.localtime(dates[1].start).strftime("%H:%M") == "18:30"
    assert dates[2].moved and timezone.localtime(dates[2].start).strftime("%A %H:%M") == "Tuesday 17:00"


def test_shortening_a_series_drops_the_dates_after_its_new_end():
    club = weekly_club_with_exceptions()
    club.recurrence = "FREQ=WEEKLY;BYDAY=MO;COUNT=2"
    club.save()

    assert [o.status for o in club.occurrences.order_by("start")] == ["scheduled", "cancelled"]


def test_restoring_a_date_makes_it_follow_the_rule_again():
    club = weekly_club_with_exceptions()
    moved = club.occurrences.get(moved=True)

    services.restore_occurrence(occurrence=moved)

    moved.refresh_from_db()
    assert (moved.start, moved.moved, moved.status) == (moved.original_start, False, "scheduled")


def test_cancelling_the_date_of_a_single_event_cancels_the_event():
    event = factories.event(title="Spacer")

    services.cancel_occurrence(occurrence=event.occurrences.get(), reason="Burza.")

    event.refresh_from_db()
    assert (event.status, event.cancellation_reason) == ("cancelled", "Burza.")
    assert event.occurrences.get().status == "cancelled"


def test_single_event_cannot_be_skipped_or_moved_as_a_date():
    event = factories.event()
    with pytest.raises(ValidationError):
        services.skip_occurrence(occurrence=event.occurrences.get())
    with pytest.raises(ValidationError):
        services.move_occurrence(occurrence=event.occurrences.get(), start=in_days(9))


# --- SEQUENCE ---------------------------------------------------------------------------------------


def test_sequence_grows_by_one_on_every_change():
    event = factories.event(title="Warsztaty")
    assert event.sequence == 0

    event.title = "Warsztaty ogrodnicze"
    event.save()
    event.description = "Przynieś rękawice."
    event.save()

    event.refresh_from_db()
    assert event.sequence == 2


def test_changing_one_date_raises_the_sequence_of_the_series():
    club = series(start=in_days(3), rule="FREQ=WEEKLY;COUNT=4")
    assert club.sequence == 0

    services.cancel_occurrence(occurrence=club.occurrences.last(), reason="Święto.")

    club.refresh_from_db()
    assert club.sequence == 1


# --- admin ------------------------------------------------------------------------------------------


def admin_post(event, **changes):
    data = {
        "title": event.title,
        "slug": event.slug,
        "kind": event.kind,
        "description": event.description,
        "start_0": timezone.localtime(event.start).strftime("%Y-%m-%d"),
        "start_1": timezone.localtime(event.start).strftime("%H:%M:%S"),
        "end_0": timezone.localtime(event.end).strftime("%Y-%m-%d"),
        "end_1": timezone.localtime(event.end).strftime("%H:%M:%S"),
        "status": event.status,
        "cancellation_reason": event.cancellation_reason,
        "is_published": "on",
        "repeat": "",
        "repeat_until": "",
        "repeat_count": "",
        "recurrence": event.recurrence,
        "occurrences-TOTAL_FORMS": "0",
        "occurrences-INITIAL_FORMS": "0",
        "occurrences-MIN_NUM_FORMS": "0",
        "occurrences-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_staff_make_a_monthly_series_in_the_admin_with_a_pattern(staff_client):
    event = factories.event(title="Spotkanie partnerstwa", start=at(next_change(10) - timedelta(days=5)))
    url = reverse("admin:events_event_change", args=[event.pk])

    response = staff_client.post(url, admin_post(event, repeat="monthly_nth", repeat_count="6"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    event.refresh_from_db()
    assert event.recurrence.startswith("FREQ=MONTHLY;COUNT=6;BYDAY=")
    assert event.occurrences.count() == 6
    assert event.sequence == 1


def test_admin_refuses_a_series_without_an_end(staff_client):
    event = factories.event(title="Klub")
    url = reverse("admin:events_event_change", args=[event.pk])

    response = staff_client.post(url, admin_post(event, repeat="weekly"))

    assert response.status_code == 200
    assert "Podaj, kiedy cykl się kończy: wypełnij „Powtarzaj do dnia” albo „Liczba terminów”." in (
        response.content.decode()
    )
    assert event.occurrences.count() == 1


def test_admin_refuses_a_custom_rule_that_does_not_match_the_start(staff_client):
    monday = at(next_change(10) - timedelta(days=6))
    event = factories.event(title="Klub", start=monday)
    url = reverse("admin:events_event_change", args=[event.pk])

    response = staff_client.post(url, admin_post(event, repeat="custom", recurrence="FREQ=WEEKLY;BYDAY=TU;COUNT=3"))

    assert response.status_code == 200
    assert "nie pasuje do reguły" in response.content.decode()


def test_admin_cancels_one_date_of_a_series_in_the_list_of_dates(staff_client):
    club = series(start=in_days(3), rule="FREQ=WEEKLY;COUNT=3", title="Klub seniora")
    url = reverse("admin:events_event_change", args=[club.pk])
    page = staff_client.get(url).content.decode()
    assert "terminy cyklu" in page.lower()
    dates = list(club.occurrences.order_by("start"))
    data = admin_post(
        club,
        repeat="custom",
        **{
            "occurrences-TOTAL_FORMS": "3",
            "occurrences-INITIAL_FORMS": "3",
        },
    )
    for i, occurrence in enumerate(dates):
        data.update(
            {
                f"occurrences-{i}-id": str(occurrence.pk),
                f"occurrences-{i}-event": str(club.pk),
                f"occurrences-{i}-start_0": timezone.localtime(occurrence.start).strftime("%Y-%m-%d"),
                f"occurrences-{i}-start_1": timezone.localtime(occurrence.start).strftime("%H:%M:%S"),
                f"occurrences-{i}-end_0": timezone.localtime(occurrence.end).strftime("%Y-%m-%d"),
                f"occurrences-{i}-end_1": timezone.localtime(occurrence.end).strftime("%H:%M:%S"),
                f"occurrences-{i}-status": "cancelled" if i == 1 else "scheduled",
                f"occurrences-{i}-cancellation_reason": "Remont sali." if i == 1 else "",
            }
        )

    response = staff_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert [o.status for o in club.occurrences.order_by("start")] == ["scheduled", "cancelled", "scheduled"]
    assert Occurrence.objects.get(pk=dates[1].pk).cancellation_reason == "Remont sali."
