"""An organisation shared with another partnership is not the coordinator's to change.

Adding an existing organisation of another partnership as a member of one's own (one POST) used to make it
editable: its name, contacts and logo could then be changed on every partnership's page. A coordinator edits an
organisation only while every partnership it currently belongs to is one they coordinate; staff edit all.
"""

import re
from datetime import date

import pytest
from django.urls import reverse

from coordinator.permissions import edit_url_for
from members.models import Organisation
from partnerships.models import CoordinatorAccess
from tests import factories


@pytest.fixture
def mine():
    return factories.partnership(name="Sady Razem", districts=["zoliborz"])


@pytest.fixture
def theirs():
    return factories.partnership(name="Forum Bielan", districts=["bielany"])


@pytest.fixture
def coordinator(django_user_model, mine):
    user = django_user_model.objects.create_user(username="koordynatorka", password="haslo-testowe-123")
    CoordinatorAccess.objects.create(user=user, partnership=mine)
    return user


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def edit_url(partnership, organisation):
    return reverse("coordinator:organisation_edit", kwargs={"slug": partnership.slug, "pk": organisation.pk})


def shared(mine, theirs, **membership_there):
    organisation = factories.organisation(name="Fundacja Wspólna", email="kontakt@wspolna.example.org")
    factories.membership(organisation_obj=organisation, partnership_obj=theirs, **membership_there)
    factories.membership(organisation_obj=organisation, partnership_obj=mine)
    return organisation


def test_adding_another_partnerships_member_does_not_make_it_editable(coordinator_client, mine, theirs):
    organisation = shared(mine, theirs)

    assert coordinator_client.get(edit_url(mine, organisation)).status_code == 404
    response = coordinator_client.post(edit_url(mine, organisation), {"name": "Przejęta", "email": "zly@example.org"})

    assert response.status_code == 404
    organisation.refresh_from_db()
    assert (organisation.name, organisation.email) == ("Fundacja Wspólna", "kontakt@wspolna.example.org")


def test_the_member_list_offers_no_edit_link_for_a_shared_organisation(coordinator_client, coordinator, mine, theirs):
    organisation = shared(mine, theirs)
    own = factories.organisation(name="Klub Sąsiedzki")
    factories.membership(organisation_obj=own, partnership_obj=mine)

    page = coordinator_client.get(reverse("coordinator:partnership", kwargs={"slug": mine.slug})).content.decode()

    read_out = re.sub(r"<[^>]+>", "", page)  # the link's names, with what only screen readers get
    assert edit_url(mine, own) in page and "Dane organizacji: Klub Sąsiedzki" in read_out
    assert edit_url(mine, organisation) not in page and "Dane organizacji: Fundacja Wspólna" not in read_out
    assert edit_url_for(coordinator, organisation) is None
    assert edit_url_for(coordinator, own) == edit_url(mine, own)


def test_an_organisation_only_in_own_partnerships_stays_editable(coordinator_client, mine):
    organisation = factories.organisation(name="Biblioteka na Sadach")
    factories.membership(organisation_obj=organisation, partnership_obj=mine)

    assert coordinator_client.get(edit_url(mine, organisation)).status_code == 200


def test_a_membership_that_ended_elsewhere_does_not_count(coordinator_client, mine, theirs):
    organisation = shared(mine, theirs, since=date(2015, 1, 1), until=date(2020, 12, 31))

    assert coordinator_client.get(edit_url(mine, organisation)).status_code == 200


def test_a_coordinator_of_all_its_partnerships_edits_it(coordinator_client, coordinator, mine, theirs):
    organisation = shared(mine, theirs)
    CoordinatorAccess.objects.create(user=coordinator, partnership=theirs)

    assert coordinator_client.get(edit_url(mine, organisation)).status_code == 200
    assert Organisation.objects.editable_by(coordinator).filter(pk=organisation.pk).exists()


def test_staff_edit_a_shared_organisation(staff_user, mine, theirs):
    organisation = shared(mine, theirs)

    assert Organisation.objects.editable_by(staff_user).filter(pk=organisation.pk).exists()
    assert edit_url_for(staff_user, organisation) is not None
