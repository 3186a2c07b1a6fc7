"""iCalendar feeds: they parse with `icalendar` and round-trip to what the database holds."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from events import services
from events.models import Event
from tests import factories

from .helpers import (
    UTC,
    WARSAW,
    assert_flat_with_series,
    at,
    database_dates,
    expand,
    in_days,
    next_change,
    parse,
    series,
    vevents,
    weekly_club_with_exceptions,
)

pytestmark = pytest.mark.django_db

NETWORK_ICS = reverse("events:ical")


@pytest.fixture
def agenda():
    """Two partnerships (one unpublished), single, co-organised, network-wide, cancelled, past and series events."""
    stegny = factories.partnership(name="Nasze Stegny", districts=["mokotow"])
    sady = factories.partnership(name="Sady Żoliborskie", districts=["zoliborz"])
    hidden = factories.partnership(name="Partnerstwo w przygotowaniu", districts=["wola"], is_published=False)
    house = factories.place(name="Dom Sąsiedzki Sady", district_slug="zoliborz", postal_code="01-234")
    events = {
        "picnic": factories.event(
            title="Piknik sąsiedzki", start=in_days(2), place=house, organisers=[stegny, sady], kind=Event.Kind.LOCAL
        ),
        "training": factories.event(title="Szkolenie z animacji", start=in_days(9), kind=Event.Kind.TRAINING),
        "cancelled": factories.event(
            title="Spacer badawczy",
            start=in_days(4),
            organisers=[stegny],
            status=Event.Status.CANCELLED,
            cancellation_reason="Ulewa.",
        ),
        "recent": factories.event(title="Wczorajsze warsztaty", start=in_days(-1), organisers=[sady]),
        "two_months": factories.event(title="Zebranie sprzed dwóch miesięcy", start=in_days(-60)),
        "old": factories.event(title="Zeszłoroczne spotkanie", start=in_days(-300), organisers=[sady]),
        "draft": factories.event(title="Szkic wydarzenia", start=in_days(3), is_published=False),
        "hidden_only": factories.event(title="Spotkanie ukrytego", start=in_days(5), organisers=[hidden, sady]),
        "club": weekly_club_with_exceptions(title="Klub poniedziałkowy", organisers=[sady], place=house),
    }
    return {"stegny": stegny, "sady": sady, "hidden": hidden, "house": house, **events}


def feed_events_in_db(titles_excluded=()):
    cutoff = timezone.now() - timedelta(days=92)
    return [
        e
        for e in Event.objects.public()
        if e.occurrences.listed().filter(end__gte=cutoff).exists() and e.title not in titles_excluded
    ]


def test_network_feed_parses_and_round_trips_to_the_database(client, agenda):
    calendar = parse(client.get(NETWORK_ICS))

    expected = feed_events_in_db()
    masters = [v for v in vevents(calendar) if "RECURRENCE-ID" not in v]
    assert sorted(str(v["UID"]) for v in masters) == sorted(f"event-{e.pk}@agenda.wspl" for e in expected)
    # One VEVENT per event, plus one per cancelled or moved date of a series.
    assert len(vevents(calendar)) == len(expected) + 2
    assert expand(calendar) == database_dates(expected)


def test_feed_has_calendar_name_timezone_and_refresh(client, agenda):
    response = client.get(NETWORK_ICS)
    calendar = parse(response)

    assert str(calendar["X-WR-CALNAME"]) == "Wydarzenia WSPL"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Warsaw"
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Warsaw"
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    assert "REFRESH-INTERVAL" in calendar
    assert 'filename="wspl-wydarzenia.ics"' in response["Content-Disposition"]


def test_every_vevent_has_the_required_properties(client, agenda):
    calendar = parse(client.get(NETWORK_ICS))

    for vevent in vevents(calendar):
        for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE", "STATUS", "URL", "LAST-MODIFIED"):
            assert name in vevent, (name, vevent)
        assert vevent["DTSTAMP"].dt.tzinfo is not None
        assert str(vevent["URL"]).startswith("http://testserver/")


def test_event_details_are_in_the_feed(client, agenda):
    calendar = parse(client.get(NETWORK_ICS))
    picnic = next(v for v in vevents(calendar) if str(v["SUMMARY"]) == "Piknik sąsiedzki")

    assert str(picnic["LOCATION"]) == "Dom Sąsiedzki Sady, ul. Przykładowa 1, 01-234 Warszawa"
    assert picnic["GEO"].latitude == pytest.approx(52.27) and picnic["GEO"].longitude == pytest.approx(20.98)
    assert picnic["ORGANIZER"].params["CN"] == "Nasze Stegny, Sady Żoliborskie"
    assert "Organizatorzy: Nasze Stegny, Sady Żoliborskie" in str(picnic["DESCRIPTION"])
    assert str(picnic["URL"]) == "http://testserver" + agenda["picnic"].get_absolute_url()
    assert picnic["DTSTART"].params["TZID"] == "Europe/Warsaw"
    assert picnic["DTSTART"].dt == timezone.localtime(agenda["picnic"].start, WARSAW)

    training = next(v for v in vevents(calendar) if str(v["SUMMARY"]) == "Szkolenie z animacji")
    assert "Wydarzenie całej sieci WSPL" in str(training["DESCRIPTION"])
    recent = next(v for v in vevents(calendar) if str(v["SUMMARY"]) == "Wczorajsze warsztaty")
    assert "Organizator: Sady Żoliborskie" in str(recent["DESCRIPTION"])  # one organiser: the singular
    assert "Organizatorzy" not in str(recent["DESCRIPTION"])
    assert training["ORGANIZER"].params["CN"] == "Warszawska Sieć Partnerstw Lokalnych"


def test_unpublished_events_and_organisers_stay_out_of_the_feed(client, agenda):
    body = client.get(NETWORK_ICS).content.decode()

    assert "Szkic wydarzenia" not in body
    assert "Partnerstwo w przygotowaniu" not in body
    assert "Spotkanie ukrytego" in body


def test_feed_holds_the_last_three_months_but_not_older(client, agenda):
    summaries = {str(v["SUMMARY"]) for v in vevents(parse(client.get(NETWORK_ICS)))}

    assert {"Wczorajsze warsztaty", "Zebranie sprzed dwóch miesięcy"} <= summaries
    assert "Zeszłoroczne spotkanie" not in summaries


def test_cancelled_event_stays_in_the_feed_as_cancelled(client, agenda):
    calendar = parse(client.get(NETWORK_ICS))
    walk = next(v for v in vevents(calendar) if str(v["SUMMARY"]) == "Spacer badawczy")

    assert str(walk["STATUS"]) == "CANCELLED"
    assert "Powód: Ulewa." in str(walk["DESCRIPTION"])


def test_series_has_rrule_exdate_and_recurrence_ids(client, agenda):
    club = agenda["club"]
    calendar = parse(client.get(NETWORK_ICS))
    uid = f"event-{club.pk}@agenda.wspl"
    parts = [v for v in vevents(calendar) if str(v["UID"]) == uid]
    master = next(v for v in parts if "RECURRENCE-ID" not in v)
    overrides = {v["RECURRENCE-ID"].dt: v for v in parts if "RECURRENCE-ID" in v}
    dates = list(club.occurrences.order_by("original_start"))

    assert master["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=8;BYDAY=MO"
    assert [d.dt for d in master["EXDATE"].dts] == [timezone.localtime(dates[3].original_start, WARSAW)]
    assert master["EXDATE"].params["TZID"] == "Europe/Warsaw"
    cancelled = overrides[timezone.localtime(dates[1].original_start, WARSAW)]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert "Sala zajęta na wybory." in str(cancelled["DESCRIPTION"])
    moved = overrides[timezone.localtime(dates[2].original_start, WARSAW)]
    assert str(moved["STATUS"]) == "CONFIRMED"
    assert moved["DTSTART"].dt == timezone.localtime(dates[2].start, WARSAW)
    assert all(int(v["SEQUENCE"]) == club.sequence == 3 for v in parts)


def test_sequence_in_the_feed_grows_after_a_change(client, agenda):
    def sequence_of(title):
        calendar = parse(client.get(NETWORK_ICS))
        return next(int(v["SEQUENCE"]) for v in vevents(calendar) if str(v["SUMMARY"]) == title)

    before = sequence_of("Piknik sąsiedzki")
    picnic = agenda["picnic"]
    picnic.start += timedelta(hours=1)
    picnic.end += timedelta(hours=1)
    picnic.save()

    assert sequence_of("Piknik sąsiedzki") == before + 1


def test_cancelling_an_event_keeps_it_in_the_feed_with_a_higher_sequence(client, agenda):
    picnic = agenda["picnic"]
    before = picnic.sequence
    picnic.status, picnic.cancellation_reason = Event.Status.CANCELLED, "Burza."
    picnic.save()

    vevent = next(v for v in vevents(parse(client.get(NETWORK_ICS))) if str(v["SUMMARY"]) == "Piknik sąsiedzki")
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert int(vevent["SEQUENCE"]) == before + 1


def test_cancelling_one_date_of_a_series_shows_in_the_feed(client, agenda):
    club = agenda["club"]
    last = club.occurrences.order_by("start").last()
    services.cancel_occurrence(occurrence=last, reason="Ferie.")

    calendar = parse(client.get(NETWORK_ICS))
    override = next(
        v
        for v in vevents(calendar)
        if "RECURRENCE-ID" in v and v["RECURRENCE-ID"].dt == timezone.localtime(last.original_start, WARSAW)
    )
    assert str(override["STATUS"]) == "CANCELLED"
    assert expand(calendar) == database_dates(feed_events_in_db())


def test_weekly_series_across_the_october_change_stays_at_six_pm_in_the_ics(client):
    change = next_change(10)
    club = series(title="Klub jesienny", start=at(change - timedelta(days=6)), rule="FREQ=WEEKLY;COUNT=3")

    calendar = parse(client.get(reverse("events:ical_event", kwargs={"slug": club.slug})))
    (vevent,) = vevents(calendar)
    assert vevent["DTSTART"].to_ical() == at(change - timedelta(days=6)).strftime("%Y%m%dT180000").encode()
    assert vevent["DTSTART"].params["TZID"] == "Europe/Warsaw"

    # A client that reads the VTIMEZONE from the file puts every date at 18:00 local time.
    zone = calendar.walk("VTIMEZONE")[0].to_tz()
    dates = expand(calendar)
    assert [moment.astimezone(zone).strftime("%H:%M") for _uid, moment in sorted(dates)] == ["18:00"] * 3
    assert [moment.hour for _uid, moment in sorted(dates)] == [16, 17, 17]


def test_weekly_series_across_the_march_change_stays_at_six_pm_in_the_ics(client):
    change = next_change(3)
    club = series(title="Klub wiosenny", start=at(change - timedelta(days=6)), rule="FREQ=WEEKLY;COUNT=3")

    calendar = parse(client.get(reverse("events:ical_event", kwargs={"slug": club.slug})))
    zone = calendar.walk("VTIMEZONE")[0].to_tz()
    dates = expand(calendar)

    assert [moment.astimezone(zone).strftime("%H:%M") for _uid, moment in sorted(dates)] == ["18:00"] * 3
    assert [moment.hour for _uid, moment in sorted(dates)] == [17, 16, 16]


# --- feeds per partnership, district, kind, filters and event ---------------------------------------


def summaries(response):
    return sorted(str(v["SUMMARY"]) for v in vevents(parse(response)) if "RECURRENCE-ID" not in v)


def test_partnership_feed_has_only_its_events(client, agenda):
    response = client.get(reverse("events:ical_partnership", kwargs={"slug": agenda["stegny"].slug}))

    assert summaries(response) == ["Piknik sąsiedzki", "Spacer badawczy"]
    assert str(parse(response)["X-WR-CALNAME"]) == "Wydarzenia: Nasze Stegny"


def test_unpublished_partnership_has_no_feed(client, agenda):
    assert client.get(reverse("events:ical_partnership", kwargs={"slug": agenda["hidden"].slug})).status_code == 404


def test_district_feed_uses_place_or_organiser_and_lists_each_event_once(client, agenda):
    response = client.get(reverse("events:ical_district", kwargs={"slug": "zoliborz"}))

    assert summaries(response) == [
        "Klub poniedziałkowy",
        "Piknik sąsiedzki",
        "Spotkanie ukrytego",
        "Wczorajsze warsztaty",
    ]


def test_kind_feed_and_filter_combination_feed(client, agenda):
    assert summaries(client.get(reverse("events:ical_kind", kwargs={"kind": "training"}))) == ["Szkolenie z animacji"]
    combined = client.get(
        NETWORK_ICS, {"dzielnica": "zoliborz", "rodzaj": "local", "partnerstwo": agenda["stegny"].slug}
    )
    assert summaries(combined) == ["Piknik sąsiedzki"]
    name = "Wydarzenia WSPL – Żoliborz, Nasze Stegny, wydarzenie dla mieszkańców"
    assert str(parse(combined)["X-WR-CALNAME"]) == name


def test_event_ics_downloads_one_event_even_an_old_one(client, agenda):
    response = client.get(reverse("events:ical_event", kwargs={"slug": agenda["old"].slug}))

    assert summaries(response) == ["Zeszłoroczne spotkanie"]
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("events:ical_partnership", {"slug": "nie-ma-takiego"}),
        ("events:ical_district", {"slug": "atlantyda"}),
        ("events:ical_kind", {"kind": "koncert"}),
        ("events:ical_event", {"slug": "nie-ma-takiego"}),
    ],
)
def test_unknown_feed_is_404(client, agenda, name, kwargs):
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"dzielnica": "atlantyda"},
        {"rodzaj": "koncert"},
        {"partnerstwo": "x" * 10_000},
        {"partnerstwo": "sady\x00"},
        {"dzielnica": "\x00"},
        {"rodzaj": "<script>"},
    ],
)
def test_bad_filter_of_the_feed_is_400_in_polish(client, agenda, params):
    response = client.get(NETWORK_ICS, params)

    assert response.status_code == 400
    assert "Nie da się przygotować kalendarza" in response.content.decode()
    assert "<script>" not in response.content.decode() or response["Content-Type"].startswith("text/plain")


def test_garbage_parameters_the_feed_does_not_know_are_ignored(client, agenda):
    plain = client.get(NETWORK_ICS)
    response = client.get(NETWORK_ICS, {"foo": "\x00" * 5, "page": "abc", "x": "y" * 10_000})

    assert response.status_code == 200
    uids = sorted(str(vevent["UID"]) for vevent in vevents(Calendar.from_ical(response.content)))
    assert uids == sorted(str(vevent["UID"]) for vevent in vevents(Calendar.from_ical(plain.content)))
    assert uids, "the feed holds the agenda's events"


# --- query counts -----------------------------------------------------------------------------------


def test_network_feed_query_count_is_flat_with_series(client):
    response = assert_flat_with_series(client, lambda partnerships: NETWORK_ICS)
    assert len(vevents(Calendar.from_ical(response.content))) > 12


def test_partnership_feed_query_count_is_flat_with_series(client):
    assert_flat_with_series(
        client, lambda partnerships: reverse("events:ical_partnership", kwargs={"slug": partnerships[0].slug})
    )


def test_district_and_filtered_feed_query_count_is_flat_with_series(client):
    assert_flat_with_series(client, lambda partnerships: reverse("events:ical_district", kwargs={"slug": "zoliborz"}))
    assert_flat_with_series(
        client, lambda partnerships: f"{NETWORK_ICS}?dzielnica=mokotow&rodzaj=local&partnerstwo={partnerships[0].slug}"
    )


def test_event_feed_query_count_is_flat_with_series(client):
    def url_for(partnerships):
        club = Event.objects.filter(organisers=partnerships[0], recurrence__startswith="FREQ=WEEKLY").first()
        return reverse("events:ical_event", kwargs={"slug": club.slug})

    assert_flat_with_series(client, url_for)


def test_timezone_of_the_feed_is_in_utc_only_for_stamps(client, agenda):
    calendar = parse(client.get(NETWORK_ICS))
    for vevent in vevents(calendar):
        assert vevent["DTSTAMP"].dt.utcoffset() == timedelta(0)
        assert vevent["LAST-MODIFIED"].dt.astimezone(UTC) == vevent["DTSTAMP"].dt
