"""Text and dates that reach e-mail headers, iCalendar files, downloads and logs: one line means one line.

A one-line field (a name, a title) refuses new lines, NUL and the other control characters with one
Polish message on every coordinator's form and in the admin, and nothing is saved; a description keeps
its new lines but refuses NUL. Dates outside 2000–2100 are refused by the forms and by the services.
"""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from common.forms import version_of
from common.validators import CONTROL_CHARACTERS_MESSAGE, SINGLE_LINE_MESSAGE, YEARS_MESSAGE
from events import services as event_services
from events.models import Event
from members.models import Membership, Organisation, PartnershipRole, Person
from partnerships.models import Partnership, Place
from tests import factories

pytestmark = pytest.mark.django_db

BAD_LINES = ["Sady\r\nX-Injected: 1", "Sady\x00", "Sady \x1b[31mczerwone", "Sady\x7f", "Sady\tz tabulatorem"]


@pytest.fixture
def partnership():
    return factories.partnership(name="Partnerstwo Sady", districts=["zoliborz"], contact_email="sady@example.org")


@pytest.fixture
def place(partnership):
    obj = factories.place(name="Dom Sąsiedzki Sady", district_slug="zoliborz")
    partnership.places.add(obj)
    return obj


def url(name, partnership, **kwargs):
    return reverse(f"coordinator:{name}", kwargs={"slug": partnership.slug, **kwargs})


def message(response, text):
    return str(text) in response.content.decode()


def profile_data(partnership, **changes):
    partnership = Partnership.objects.get(pk=partnership.pk)
    return {
        "version": version_of(partnership),
        "summary": partnership.summary,
        "description": partnership.description,
        "status": partnership.status,
        "formal_status": partnership.formal_status,
        "districts": [d.pk for d in partnership.districts.all()],
        "contact_email": partnership.contact_email,
        **changes,
    }


def event_data(place, **changes):
    day = timezone.localdate() + timedelta(days=10)
    return {
        "title": "Piknik sąsiedzki",
        "kind": "local",
        "start_date": day.isoformat(),
        "start_time": "16:00",
        "end_date": day.isoformat(),
        "end_time": "19:00",
        "place": place.pk,
        "publication": "publish",
        **changes,
    }


def new_member_data(name):
    return {
        "org-name": name,
        "org-sector": Organisation.Sector.NGO,
        "membership-role": Membership.Role.MEMBER,
        "membership-since": "2024-03-01",
        "publication": "publish",
    }


def team_data(first_name):
    return {
        "role-role": PartnershipRole.Role.ANIMATOR,
        "role-since": "2024-01-15",
        "person-first_name": first_name,
        "person-last_name": "Przykładowa",
    }


# --- one-line fields: refused on every form, nothing saved ------------------------------------------


@pytest.mark.parametrize("bad", BAD_LINES)
def test_profile_refuses_a_summary_of_more_than_one_line(coordinator_client, partnership, bad):
    saved = partnership.history.count()

    response = coordinator_client.post(url("partnership_edit", partnership), profile_data(partnership, summary=bad))

    assert response.status_code == 200
    assert message(response, SINGLE_LINE_MESSAGE)
    assert partnership.history.count() == saved
    assert Partnership.objects.get(pk=partnership.pk).summary == partnership.summary


@pytest.mark.parametrize("bad", BAD_LINES)
def test_new_member_organisation_refuses_a_name_with_control_characters(coordinator_client, partnership, bad):
    before = Organisation.objects.count(), Membership.objects.count()

    response = coordinator_client.post(url("membership_add_new", partnership), new_member_data(bad))

    assert response.status_code == 200
    assert message(response, SINGLE_LINE_MESSAGE)
    assert (Organisation.objects.count(), Membership.objects.count()) == before


@pytest.mark.parametrize("bad", BAD_LINES)
def test_organisation_edit_refuses_a_name_with_control_characters(coordinator_client, partnership, bad):
    organisation = factories.membership(partnership_obj=partnership).organisation
    saved = organisation.history.count()

    response = coordinator_client.post(
        url("organisation_edit", partnership, pk=organisation.pk),
        {"version": version_of(organisation), "name": bad, "sector": organisation.sector},
    )

    assert response.status_code == 200
    assert message(response, SINGLE_LINE_MESSAGE)
    assert organisation.history.count() == saved
    assert Organisation.objects.get(pk=organisation.pk).name == organisation.name


@pytest.mark.parametrize("bad", BAD_LINES)
def test_team_person_refuses_a_name_with_control_characters(coordinator_client, partnership, bad):
    before = Person.objects.count(), PartnershipRole.objects.count()

    response = coordinator_client.post(url("team_add", partnership), team_data(bad))

    assert response.status_code == 200
    assert message(response, SINGLE_LINE_MESSAGE)
    assert (Person.objects.count(), PartnershipRole.objects.count()) == before


@pytest.mark.parametrize("bad", BAD_LINES)
def test_place_refuses_a_name_with_control_characters(coordinator_client, partnership, bad):
    before = Place.objects.count()

    response = coordinator_client.post(
        url("place_add", partnership),
        {"name": bad, "street_address": "ul. Krasińskiego 1", "district": factories.district("zoliborz").pk},
    )

    assert response.status_code == 200
    assert message(response, SINGLE_LINE_MESSAGE)
    assert Place.objects.count() == before


@pytest.mark.parametrize("bad", BAD_LINES)
def test_event_refuses_a_title_with_control_characters(coordinator_client, partnership, place, bad):
    before = Event.objects.count()

    response = coordinator_client.post(url("event_add", partnership), event_data(place, title=bad))

    assert response.status_code == 200
    assert message(response, SINGLE_LINE_MESSAGE)
    assert Event.objects.count() == before


@pytest.mark.parametrize("bad", BAD_LINES)
def test_admin_add_person_refuses_a_name_with_control_characters(staff_client, bad):
    before = Person.objects.count()

    response = staff_client.post(
        reverse("admin:members_person_add"),
        {"first_name": bad, "last_name": "Nowak", "slug": "ewa-nowak"},
    )

    assert response.status_code == 200
    assert message(response, SINGLE_LINE_MESSAGE)
    assert Person.objects.count() == before


def test_a_name_on_one_line_is_saved(coordinator_client, partnership):
    coordinator_client.post(
        url("place_add", partnership),
        {"name": "Klub „Sady” – sala 2", "street_address": "ul. Krasińskiego 1", "district": factories.district().pk},
    )

    assert Place.objects.filter(name="Klub „Sady” – sala 2").exists()


# --- multi-line fields: new lines kept, NUL refused -------------------------------------------------


def test_description_keeps_its_new_lines(coordinator_client, partnership):
    text = "Pierwszy akapit.\r\n\r\n- punkt\n- drugi\tpunkt"

    response = coordinator_client.post(
        url("partnership_edit", partnership), profile_data(partnership, description=text)
    )

    assert response.status_code == 302
    assert Partnership.objects.get(pk=partnership.pk).description == text


@pytest.mark.parametrize("bad", ["Opis\x00", "Opis \x1b[31m", "Opis\x0bdalej"])
def test_description_with_control_characters_is_refused(coordinator_client, partnership, bad):
    saved = partnership.history.count()

    response = coordinator_client.post(url("partnership_edit", partnership), profile_data(partnership, description=bad))

    assert response.status_code == 200
    assert message(response, CONTROL_CHARACTERS_MESSAGE)
    assert partnership.history.count() == saved


@pytest.mark.parametrize("bad", ["Opis\x00", "Opis\x1b"])
def test_event_description_with_control_characters_is_refused(coordinator_client, partnership, place, bad):
    response = coordinator_client.post(url("event_add", partnership), event_data(place, description=bad))

    assert response.status_code == 200
    assert message(response, CONTROL_CHARACTERS_MESSAGE)
    assert not Event.objects.exists()


# --- dates: 2000–2100 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dates",
    [
        {"start_date": "1999-12-31", "end_date": "2000-01-01"},
        {"start_date": "2101-01-01", "end_date": "2101-01-01"},
        {"end_date": "2101-01-01"},
    ],
)
def test_event_form_refuses_dates_outside_2000_2100(coordinator_client, partnership, place, dates):
    response = coordinator_client.post(url("event_add", partnership), event_data(place, **dates))

    assert response.status_code == 200
    assert message(response, YEARS_MESSAGE)
    assert not Event.objects.exists()


def test_event_form_accepts_the_last_day_of_2100(coordinator_client, partnership, place):
    coordinator_client.post(
        url("event_add", partnership),
        event_data(place, start_date="2100-12-31", end_date="2100-12-31", all_day="on"),
    )

    assert Event.objects.count() == 1


def test_membership_dates_outside_2000_2100_are_refused(coordinator_client, partnership):
    membership = factories.membership(partnership_obj=partnership)
    saved = membership.history.count()

    response = coordinator_client.post(
        url("membership_edit", partnership, pk=membership.pk),
        {"version": version_of(membership), "role": membership.role, "since": "1999-06-01"},
    )

    assert response.status_code == 200
    assert message(response, YEARS_MESSAGE)
    assert membership.history.count() == saved


def test_team_role_dates_outside_2000_2100_are_refused(coordinator_client, partnership):
    before = PartnershipRole.objects.count()

    response = coordinator_client.post(url("team_add", partnership), {**team_data("Zofia"), "role-since": "2101-01-01"})

    assert response.status_code == 200
    assert message(response, YEARS_MESSAGE)
    assert PartnershipRole.objects.count() == before


def test_declaration_date_outside_2000_2100_is_refused(coordinator_client, partnership):
    response = coordinator_client.post(
        url("partnership_edit", partnership),
        profile_data(
            partnership, formal_status=Partnership.FormalStatus.DECLARATION, declaration_signed_on="1999-01-01"
        ),
    )

    assert response.status_code == 200
    assert message(response, YEARS_MESSAGE)
    assert Partnership.objects.get(pk=partnership.pk).declaration_signed_on is None


def _moment(year, month=6, day=1, hour=18):
    return timezone.make_aware(datetime(year, month, day, hour))


@pytest.mark.parametrize("year", [1999, 2101])
def test_save_event_service_refuses_dates_outside_2000_2100(partnership, staff_user, year):
    event = Event(title="Piknik", kind=Event.Kind.LOCAL, start=_moment(year), end=_moment(year, hour=20))

    with pytest.raises(ValidationError) as error:
        event_services.save_event(event=event, partnership=partnership, co_organisers=[], by=staff_user)

    assert error.value.messages == [str(YEARS_MESSAGE)]
    assert not Event.objects.exists()


@pytest.mark.parametrize("year", [1999, 2101])
def test_moving_or_duplicating_outside_2000_2100_is_refused(partnership, staff_user, year):
    event = factories.event(organisers=[partnership], recurrence="FREQ=WEEKLY;COUNT=3")
    occurrence = event.occurrences.order_by("start").first()
    original = occurrence.start

    with pytest.raises(ValidationError) as moved:
        event_services.move_occurrence(occurrence=occurrence, start=_moment(year))
    with pytest.raises(ValidationError) as duplicated:
        event_services.duplicate_event(event=event, start=_moment(year), by=staff_user)

    assert moved.value.messages == duplicated.value.messages == [str(YEARS_MESSAGE)]
    occurrence.refresh_from_db()
    assert occurrence.start == original
    assert Event.objects.count() == 1


def test_an_all_day_event_on_the_last_day_of_2100_may_be_saved_by_the_service(partnership, staff_user):
    start = timezone.make_aware(datetime(2100, 12, 31))
    event = Event(title="Sylwester", kind=Event.Kind.LOCAL, all_day=True, start=start, end=start + timedelta(days=1))

    event_services.save_event(event=event, partnership=partnership, co_organisers=[], by=staff_user)

    assert Event.objects.count() == 1
