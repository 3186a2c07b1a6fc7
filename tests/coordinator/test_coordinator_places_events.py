"""A coordinator keeps the partnership's meeting places and events current."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from common.forms import version_of
from events.models import Event
from partnerships.models import CoordinatorAccess, Place
from tests import factories

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


# --- places -------------------------------------------------------------------------------


def place_data(**changes):
    data = {
        "name": "Klub Mieszkańców Bródno",
        "street_address": "ul. Przykładowa 5",
        "postal_code": "03-123",
        "district": factories.district("targowek").pk,
        "latitude": "52.290000",
        "longitude": "21.030000",
    }
    data.update(changes)
    return data


def test_new_place_becomes_a_meeting_place_of_the_partnership(coordinator_client, partnership):
    response = coordinator_client.post(url("place_add", partnership), place_data(), follow=True)

    assert "Dodano miejsce spotkań." in response.content.decode()
    place = Place.objects.get(name="Klub Mieszkańców Bródno")
    assert place.slug == "klub-mieszkancow-brodno"
    assert list(partnership.places.all()) == [place]
    assert "Klub Mieszkańców Bródno" in coordinator_client.get(partnership.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"latitude": "50.061000", "longitude": "19.937000"}, "Ten punkt leży poza Warszawą (szerokość za mała)."),
        ({"longitude": "22.500000"}, "Ten punkt leży poza Warszawą (długość za duża)."),
        ({"longitude": ""}, "Podaj obie współrzędne albo żadnej."),
        ({"latitude": "pięćdziesiąt"}, "Szerokość geograficzna to liczba, np. 52.2297."),
        ({"postal_code": "3123"}, "Kod pocztowy ma postać 00-000, np. 01-234."),
        ({"name": ""}, "Podaj nazwę miejsca."),
    ],
)
def test_bad_place_is_refused_with_a_polish_message(coordinator_client, partnership, changes, message):
    response = coordinator_client.post(url("place_add", partnership), place_data(**changes))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Place.objects.exists()


def test_coordinator_edits_a_place_and_can_take_it_off_the_list(coordinator_client, partnership, place):
    response = coordinator_client.post(
        url("place_edit", partnership, pk=place.pk),
        place_data(version=version_of(Place.objects.get(pk=place.pk)), name="Dom Sąsiedzki Bródno (sala 2)"),
    )
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.name == "Dom Sąsiedzki Bródno (sala 2)"

    coordinator_client.post(url("place_unlink", partnership, pk=place.pk))

    assert not partnership.places.exists()
    assert Place.objects.filter(pk=place.pk).exists()


# --- events -------------------------------------------------------------------------------


def event_data(where, **changes):
    day = timezone.localdate() + timedelta(days=10)
    data = {
        "title": "Piknik sąsiedzki",
        "kind": "local",
        "start_date": day.isoformat(),
        "start_time": "16:00",
        "end_date": day.isoformat(),
        "end_time": "19:00",
        "place": where.pk,
        "audience": "mieszkańcy Bródna",
        "description": "Gry, muzyka i **ciasto**.",
        "publication": "publish",
    }
    data.update(changes)
    return data


def test_coordinator_creates_an_event_with_a_co_organiser(coordinator_client, partnership, place):
    """A partnership the coordinator also coordinates joins at once; any other is invited first
    (tests/events/test_co_organisers.py)."""
    neighbour = factories.partnership(name="Partnerstwo Targówek Fabryczny")
    coordinator = CoordinatorAccess.objects.get(partnership=partnership).user
    factories.coordinator_access(user=coordinator, partnership_obj=neighbour)

    response = coordinator_client.post(
        url("event_add", partnership), event_data(place, co_organisers=[neighbour.pk]), follow=True
    )

    assert "Dodano wydarzenie." in response.content.decode()
    event = Event.objects.get(title="Piknik sąsiedzki")
    assert set(event.organisers.all()) == {partnership, neighbour}
    assert timezone.localtime(event.start).hour == 16 and timezone.localtime(event.end).hour == 19
    assert event.sequence == 0
    public = coordinator_client.get(event.get_absolute_url()).content.decode()
    assert "Piknik sąsiedzki" in public and "Partnerstwo Targówek Fabryczny" in public


def test_all_day_event_needs_no_hours(coordinator_client, partnership, place):
    response = coordinator_client.post(
        url("event_add", partnership), event_data(place, all_day="on", start_time="", end_time="")
    )

    assert response.status_code == 302
    event = Event.objects.get()
    assert event.all_day and timezone.localtime(event.start).hour == 0
    assert event.end - event.start == timedelta(days=1)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_time": "15:00"}, "Wydarzenie musi skończyć się później, niż się zaczyna."),
        ({"end_date": "2000-01-01"}, "Wydarzenie musi skończyć się później, niż się zaczyna."),
        ({"start_time": ""}, "Podaj godzinę albo zaznacz „cały dzień”."),
        ({"start_date": "jutro"}, "Podaj datę w postaci RRRR-MM-DD, np. 2026-05-14."),
        ({"online_url": "javascript:alert(1)"}, "Podaj poprawny adres strony, np. https://example.org."),
        ({"registration_url": "zapisy"}, "Podaj poprawny adres strony"),
        ({"title": ""}, "Podaj tytuł wydarzenia."),
        ({"place": ""}, "Wybierz miejsce albo podaj link do spotkania online."),
        ({"description": "x" * 100_000}, "Ten tekst jest za długi"),
    ],
)
def test_bad_event_is_refused_with_a_polish_message(coordinator_client, partnership, place, changes, message):
    response = coordinator_client.post(url("event_add", partnership), event_data(place, **changes))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Event.objects.exists()


def test_place_of_another_partnership_cannot_be_chosen(coordinator_client, partnership, place):
    foreign = factories.place(name="Cudze miejsce")
    factories.partnership().places.add(foreign)

    response = coordinator_client.post(url("event_add", partnership), event_data(place, place=foreign.pk))

    assert response.status_code == 200
    assert not Event.objects.exists()


def test_every_change_of_an_event_grows_its_sequence_by_one(coordinator_client, partnership, place):
    event = factories.event(title="Spotkanie partnerstwa", organisers=[partnership], place=place)
    event.refresh_from_db()
    before = event.sequence

    coordinator_client.post(
        url("event_edit", partnership, pk=event.pk),
        event_data(place, title="Spotkanie partnerstwa (nowa sala)", version=version_of(event)),
    )
    event.refresh_from_db()
    after_edit = event.sequence
    coordinator_client.post(url("event_cancel", partnership, pk=event.pk), {"reason": "Choroba prowadzącej"})
    event.refresh_from_db()

    assert event.title == "Spotkanie partnerstwa (nowa sala)"
    assert after_edit == before + 1
    assert event.sequence == before + 2


def test_cancelled_event_shows_the_reason_on_its_page(coordinator_client, partnership, place):
    event = factories.event(title="Warsztaty", organisers=[partnership], place=place)

    response = coordinator_client.post(url("event_cancel", partnership, pk=event.pk), {"reason": ""})
    assert "Napisz krótko, dlaczego wydarzenie jest odwołane." in response.content.decode()

    coordinator_client.post(url("event_cancel", partnership, pk=event.pk), {"reason": "Awaria ogrzewania"})

    event.refresh_from_db()
    assert event.is_cancelled and event.cancellation_reason == "Awaria ogrzewania"
    public = coordinator_client.get(event.get_absolute_url()).content.decode()
    assert "odwołane" in public and "Awaria ogrzewania" in public


def test_duplicating_an_event_copies_it_to_a_new_date(coordinator_client, partnership, place):
    neighbour = factories.partnership()
    event = factories.event(title="Kawiarenka sąsiedzka", organisers=[partnership, neighbour], place=place, hours=3)
    new_day = timezone.localdate() + timedelta(days=40)

    response = coordinator_client.post(
        url("event_duplicate", partnership, pk=event.pk), {"start_date": new_day.isoformat(), "start_time": "17:30"}
    )

    copy = Event.objects.exclude(pk=event.pk).get()
    assert response["Location"] == url("event_edit", partnership, pk=copy.pk)
    assert copy.title == "Kawiarenka sąsiedzka" and copy.place == place
    assert timezone.localtime(copy.start).date() == new_day and timezone.localtime(copy.start).hour == 17
    assert copy.end - copy.start == timedelta(hours=3)
    assert set(copy.organisers.all()) == {partnership, neighbour}
    assert copy.slug != event.slug and copy.sequence == 0


def test_stale_event_form_is_refused(coordinator_client, partnership, place):
    event = factories.event(title="Spotkanie", organisers=[partnership], place=place)
    stale_version = version_of(Event.objects.get(pk=event.pk))
    other = Event.objects.get(pk=event.pk)
    other.audience = "zmienione przez BORIS"
    other.save()

    response = coordinator_client.post(
        url("event_edit", partnership, pk=event.pk), event_data(place, version=stale_version)
    )

    assert "Ktoś zmienił te dane w międzyczasie" in response.content.decode()
    assert "zmienione przez BORIS" in response.content.decode()
    event.refresh_from_db()
    assert event.title == "Spotkanie"
