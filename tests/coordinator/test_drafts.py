"""Drafts: an event or organisation a coordinator adds may stay unpublished until ready, and a new partnership
stays a draft until staff publish it. A draft is on no public page, feed, sitemap, search, map or open-data file;
only those who may edit it publish or hide it, and each change is in its history with who made it."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from common.forms import PublicationForm, version_of
from events.models import Event
from members.models import Membership, Organisation
from partnerships.models import CoordinatorAccess
from tests import factories
from tests.utils import count_queries, log_in

pytestmark = pytest.mark.django_db

EVENT_TITLE = "Piknik Zaczarowanego Ogrodu"
ORGANISATION_NAME = "Stowarzyszenie Zaczarowany Skwer"


@pytest.fixture
def partnership():
    return factories.partnership(name="Partnerstwo Stare Bielany", districts=["bielany"])


@pytest.fixture
def place(partnership):
    obj = factories.place(name="Dom Sąsiedzki na Bielanach", district_slug="bielany")
    partnership.places.add(obj)
    return obj


@pytest.fixture
def visitor():
    return Client()


def url(name, partnership, **kwargs):
    return reverse(f"coordinator:{name}", kwargs={"slug": partnership.slug, **kwargs})


def event_data(place, publication, **changes):
    day = timezone.localdate() + timedelta(days=10)
    data = {
        "title": EVENT_TITLE,
        "kind": "local",
        "start_date": day.isoformat(),
        "start_time": "16:00",
        "end_date": day.isoformat(),
        "end_time": "19:00",
        "place": place.pk,
        "description": "Gry i muzyka dla sąsiadów.",
        "publication": publication,
    }
    data.update(changes)
    return data


def organisation_data(publication, **changes):
    data = {
        "org-name": ORGANISATION_NAME,
        "org-sector": Organisation.Sector.NGO,
        "org-district": factories.district("bielany").pk,
        "membership-role": Membership.Role.MEMBER,
        "membership-since": "2024-03-01",
        "publication": publication,
    }
    data.update(changes)
    return data


def organisation_edit_data(organisation, publication):
    return {
        "version": version_of(organisation),
        "name": organisation.name,
        "sector": organisation.sector,
        "district": organisation.district_id or "",
        "publication": publication,
    }


def public_texts(client, partnership, place):
    """Every public address a draft could leak through, with what it answers to an anonymous visitor."""
    addresses = {
        "home": reverse("home"),
        "events": reverse("events:list"),
        "month": reverse("events:month_current"),
        "ical": reverse("events:ical"),
        "ical of the partnership": reverse("events:ical_partnership", kwargs={"slug": partnership.slug}),
        "ical of the district": reverse("events:ical_district", kwargs={"slug": "bielany"}),
        "rss": reverse("events:rss"),
        "atom": reverse("events:atom"),
        "partnership page": partnership.get_absolute_url(),
        "district page and map": reverse("partnerships:district_detail", kwargs={"slug": "bielany"}),
        "place page and map": place.get_absolute_url(),
        "organisations": reverse("members:organisation_list"),
        "search": reverse("search") + "?q=zaczarowan",
        "sitemap of events": reverse("sitemap_section", kwargs={"section": "wydarzenia"}),
        "sitemap of organisations": reverse("sitemap_section", kwargs={"section": "organizacje"}),
        "open data: events": reverse("opendata:wydarzenia-json"),
        "open data: events csv": reverse("opendata:wydarzenia-csv"),
        "open data: organisations": reverse("opendata:organizacje-json"),
        "open data: organisations csv": reverse("opendata:organizacje-csv"),
    }
    texts = {}
    for name, address in addresses.items():
        response = client.get(address)
        assert response.status_code == 200, (name, response.status_code)
        texts[name] = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
    return texts


def shown_in(texts, *needles):
    return sorted(name for name, text in texts.items() if any(needle in text for needle in needles))


# --- events ---------------------------------------------------------------------------------


def test_a_draft_event_is_nowhere_public_until_its_coordinator_publishes_it(
    coordinator_client, visitor, partnership, place
):
    response = coordinator_client.post(url("event_add", partnership), event_data(place, "draft"), follow=True)

    content = response.content.decode()
    assert "Zapisano szkic – nie widać go publicznie, dopóki go nie opublikujesz." in content
    event = Event.objects.get(title=EVENT_TITLE)
    assert event.is_published is False
    assert f"<strong>{EVENT_TITLE}</strong>" in content and '<span class="badge-warn">szkic</span>' in content
    assert shown_in(public_texts(visitor, partnership, place), EVENT_TITLE, event.slug) == []
    assert visitor.get(event.get_absolute_url()).status_code == 404
    assert visitor.get(reverse("events:ical_event", kwargs={"slug": event.slug})).status_code == 404

    edit = coordinator_client.get(url("event_edit", partnership, pk=event.pk)).content.decode()
    assert "<strong>Szkic.</strong> Tego wydarzenia nie widać na stronach" in edit
    assert 'name="publication" value="publish"' in edit and ">Opublikuj</button>" in edit
    data = event_data(place, "publish", version=version_of(event))
    published = coordinator_client.post(url("event_edit", partnership, pk=event.pk), data, follow=True)

    assert "Opublikowano – od teraz widać to publicznie." in published.content.decode()
    event.refresh_from_db()
    assert event.is_published is True
    texts = public_texts(visitor, partnership, place)
    everywhere_but_organisations = {name for name in texts if "organisations" not in name}
    assert set(shown_in(texts, EVENT_TITLE, event.slug)) == everywhere_but_organisations
    assert visitor.get(event.get_absolute_url()).status_code == 200


def test_publishing_and_hiding_an_event_is_in_its_history_with_who_did_it(coordinator_client, partnership, place):
    coordinator_client.post(url("event_add", partnership), event_data(place, "draft"))
    event = Event.objects.get()
    coordinator = CoordinatorAccess.objects.get(partnership=partnership).user

    address = url("event_edit", partnership, pk=event.pk)
    coordinator_client.post(address, event_data(place, "publish", version=version_of(event)))
    event.refresh_from_db()
    edit = coordinator_client.get(address).content.decode()
    hidden = coordinator_client.post(address, event_data(place, "draft", version=version_of(event)), follow=True)

    assert ">Ukryj</button>" in edit and "<strong>Szkic.</strong>" not in edit
    assert "Ukryto – nie widać tego publicznie; zostaje w szkicach." in hidden.content.decode()
    records = list(event.history.order_by("history_id"))
    # Each save is one record or more (its organisers are recorded too): the states in order, each change by whom.
    changes = [r for i, r in enumerate(records) if i == 0 or r.is_published != records[i - 1].is_published]
    assert [(r.is_published, r.history_user) for r in changes] == [
        (False, coordinator),
        (True, coordinator),
        (False, coordinator),
    ]
    log = coordinator_client.get(url("partnership_history", partnership)).content.decode()
    assert "koordynatorka" in log


def test_a_new_event_published_at_once_is_public(coordinator_client, visitor, partnership, place):
    response = coordinator_client.post(url("event_add", partnership), event_data(place, "publish"), follow=True)

    assert "Dodano wydarzenie." in response.content.decode()
    event = Event.objects.get()
    assert event.is_published is True
    assert visitor.get(event.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("value", [None, "", "opublikuj", "PUBLISH", "draft'--"])
def test_a_new_event_without_a_known_button_is_refused_with_a_polish_message(
    coordinator_client, partnership, place, value
):
    data = event_data(place, value)
    if value is None:
        del data["publication"]

    response = coordinator_client.post(url("event_add", partnership), data)

    assert response.status_code == 200
    assert str(PublicationForm.MESSAGE) in response.content.decode()
    assert not Event.objects.exists()


def test_a_changed_event_without_a_known_button_is_not_saved(coordinator_client, partnership, place):
    event = factories.event(title="Spotkanie", organisers=[partnership], place=place, is_published=False)

    response = coordinator_client.post(
        url("event_edit", partnership, pk=event.pk), event_data(place, "tak", version=version_of(event))
    )

    assert str(PublicationForm.MESSAGE) in response.content.decode()
    event.refresh_from_db()
    assert (event.title, event.is_published) == ("Spotkanie", False)


def test_a_coordinator_of_another_partnership_cannot_publish_or_hide_an_event(client, partnership, place):
    draft = factories.event(title="Szkic", organisers=[partnership], place=place, is_published=False)
    published = factories.event(title="Jawne", organisers=[partnership], place=place)
    other = factories.partnership(name="Partnerstwo Wawer")
    other_place = factories.place(district_slug="wawer")
    other.places.add(other_place)
    stranger = get_user_model().objects.create_user(username="inna-koordynatorka", password="haslo-testowe-123")
    CoordinatorAccess.objects.create(user=stranger, partnership=other)
    client.force_login(stranger)

    for event, choice in [(draft, "publish"), (published, "draft")]:
        for slug_of in (partnership, other):  # their partnership in the address, or their own with this event
            response = client.post(url("event_edit", slug_of, pk=event.pk), event_data(other_place, choice))
            assert response.status_code == 404

    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.is_published is False and published.is_published is True


def test_who_may_publish_a_draft_event_from_its_edit_page(client, visitor, staff_user, partnership, place):
    """Anonymous: to the login page; the coordinator (above) and staff: published. Others: 404 (below)."""
    event = factories.event(title="Szkic", organisers=[partnership], place=place, is_published=False)
    address = url("event_edit", partnership, pk=event.pk)

    anonymous = visitor.post(address, event_data(place, "publish", version=version_of(event)))
    event.refresh_from_db()
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/konto/logowanie/")
    assert event.is_published is False

    log_in(client, staff_user)
    assert client.get(address).status_code == 200
    staff = client.post(address, event_data(place, "publish", version=version_of(event)))
    event.refresh_from_db()
    assert staff.status_code == 302 and event.is_published is True
    assert event.history.latest().history_user == staff_user


# --- organisations --------------------------------------------------------------------------


def test_a_draft_organisation_is_nowhere_public_until_its_coordinator_publishes_it(
    coordinator_client, visitor, partnership, place
):
    response = coordinator_client.post(url("membership_add_new", partnership), organisation_data("draft"), follow=True)

    content = response.content.decode()
    assert "Dodano organizację do partnerstwa jako szkic" in content
    organisation = Organisation.objects.get(name=ORGANISATION_NAME)
    assert organisation.is_published is False
    assert partnership.memberships.get().organisation == organisation
    assert f"<strong>{ORGANISATION_NAME}</strong>" in content and '<span class="badge-warn">szkic</span>' in content
    assert shown_in(public_texts(visitor, partnership, place), ORGANISATION_NAME, organisation.slug) == []
    assert visitor.get(organisation.get_absolute_url()).status_code == 404

    edit_url = url("organisation_edit", partnership, pk=organisation.pk)
    edit = coordinator_client.get(edit_url).content.decode()
    assert "<strong>Szkic.</strong> Tej organizacji nie widać w katalogu" in edit and ">Opublikuj</button>" in edit
    coordinator_client.post(edit_url, organisation_edit_data(organisation, "publish"))

    organisation.refresh_from_db()
    assert organisation.is_published is True
    latest = organisation.history.latest()
    assert latest.is_published is True and latest.history_user.username == "koordynatorka"
    texts = public_texts(visitor, partnership, place)
    assert {"partnership page", "organisations", "search", "sitemap of organisations"} <= set(
        shown_in(texts, ORGANISATION_NAME, organisation.slug)
    )
    assert {"open data: organisations", "open data: organisations csv"} <= set(shown_in(texts, organisation.slug))
    assert visitor.get(organisation.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("value", [None, "szkic", "1"])
def test_a_new_organisation_without_a_known_button_saves_nothing(coordinator_client, partnership, value):
    data = organisation_data(value)
    if value is None:
        del data["publication"]

    response = coordinator_client.post(url("membership_add_new", partnership), data)

    assert response.status_code == 200
    assert str(PublicationForm.MESSAGE) in response.content.decode()
    assert not Organisation.objects.exists() and not Membership.objects.exists()


def test_an_organisation_shared_with_another_partnership_cannot_be_hidden_by_one_coordinator(
    coordinator_client, partnership
):
    shared = factories.organisation(name="Fundacja Wspólna")
    factories.membership(organisation_obj=shared, partnership_obj=partnership)
    factories.membership(organisation_obj=shared, partnership_obj=factories.partnership(name="Partnerstwo Inne"))

    response = coordinator_client.post(
        url("organisation_edit", partnership, pk=shared.pk), organisation_edit_data(shared, "draft")
    )

    assert response.status_code == 404
    shared.refresh_from_db()
    assert shared.is_published is True


def test_another_partnerships_draft_organisation_is_neither_found_nor_added(coordinator_client, partnership):
    theirs = factories.partnership(name="Partnerstwo Inne")
    draft = factories.organisation(name="Fundacja Zaczarowana", is_published=False)
    factories.membership(organisation_obj=draft, partnership_obj=theirs)
    own_draft = factories.organisation(name="Klub Zaczarowany", is_published=False)
    factories.membership(organisation_obj=own_draft, partnership_obj=partnership, until=None)
    factories.organisation(name="Biblioteka Zaczarowana")

    found = coordinator_client.get(url("membership_add", partnership), {"q": "zaczarowan"}).content.decode()
    response = coordinator_client.post(
        url("membership_add", partnership),
        {"organisation": draft.pk, "role": Membership.Role.MEMBER, "since": "2024-01-01"},
    )

    assert "Biblioteka Zaczarowana" in found and "Klub Zaczarowany" in found
    assert "Fundacja Zaczarowana" not in found
    assert "Nie ma takiej organizacji w katalogu. Wyszukaj ją jeszcze raz." in response.content.decode()
    assert not draft.memberships.filter(partnership=partnership).exists()


# --- a new partnership ----------------------------------------------------------------------


def test_a_draft_partnership_shows_nowhere_public_and_its_coordinators_see_it_is_a_draft(
    coordinator_client, visitor, staff_user, partnership, place
):
    partnership.is_published = False
    partnership.save()
    factories.event(title=EVENT_TITLE, organisers=[partnership], place=place)

    assert visitor.get(partnership.get_absolute_url()).status_code == 404
    for address in (
        reverse("partnerships:list"),
        reverse("partnerships:district_detail", kwargs={"slug": "bielany"}),
        reverse("search") + "?q=bielany",
        reverse("sitemap_section", kwargs={"section": "partnerstwa"}),
        reverse("opendata:partnerstwa-json"),
        reverse("home"),
    ):
        text = visitor.get(address).content.decode()
        assert "Partnerstwo Stare Bielany" not in text and "jeszcze nie" not in text, address
    staff = Client()
    log_in(staff, staff_user)
    staff_page = staff.get(partnership.get_absolute_url()).content.decode()
    assert "nieopublikowane – widzą je tylko pracownicy" in staff_page
    # Public pages show drafts to staff only (PublishedQuerySet.visible_to); its coordinators keep it in their panel.
    assert coordinator_client.get(partnership.get_absolute_url()).status_code == 404
    dashboard = coordinator_client.get(reverse("coordinator:dashboard")).content.decode()
    assert 'Partnerstwo Stare Bielany</a> <span class="badge-warn">szkic</span>' in dashboard
    home = coordinator_client.get(url("partnership", partnership)).content.decode()
    assert "Strony partnerstwa nie widać jeszcze publicznie." in home
    assert "Zobacz stronę partnerstwa" not in home


# --- the coordinator's lists ----------------------------------------------------------------


def test_dashboard_says_drafts_wait_for_publishing(coordinator_client, partnership, place):
    factories.event(organisers=[partnership], place=place, is_published=False)

    dashboard = coordinator_client.get(reverse("coordinator:dashboard")).content.decode()

    assert "szkice wydarzeń czekają na publikację" in dashboard
    assert "szkice organizacji czekają na publikację" not in dashboard


def grow(partnership, place, size):
    """`size` draft and published events and member organisations of the partnership, and as many more draft and
    published partnerships of its coordinator, each with a draft event and a draft member."""
    user = CoordinatorAccess.objects.get(partnership=partnership).user
    for i in range(size):
        factories.event(organisers=[partnership], place=place, is_published=bool(i % 2))
        factories.event(organisers=[partnership], start=timezone.now() - timedelta(days=5 + i), is_published=False)
        organisation = factories.organisation(is_published=bool(i % 2))
        factories.membership(organisation_obj=organisation, partnership_obj=partnership)
        another = factories.partnership(is_published=bool(i % 2))
        factories.coordinator_access(user=user, partnership_obj=another)
        factories.event(organisers=[another], is_published=False)
        factories.membership(organisation_obj=factories.organisation(is_published=False), partnership_obj=another)


@pytest.mark.parametrize("name", ["dashboard", "partnership"])
def test_coordinator_lists_with_drafts_run_the_same_queries_at_two_sizes(coordinator_client, partnership, place, name):
    address = reverse("coordinator:dashboard") if name == "dashboard" else url("partnership", partnership)
    grow(partnership, place, 2)
    response, small = count_queries(coordinator_client, address)
    assert response.status_code == 200 and "szkic" in response.content.decode()

    grow(partnership, place, 10)
    response, large = count_queries(coordinator_client, address)

    assert response.status_code == 200
    assert len(large) == len(small), (small, large)
    assert len(small) <= 20, small
