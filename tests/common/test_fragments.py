"""Shared fragments and cards: rendered once per data version, never shown after a change.

A page rendered afresh (the page cache bypassed with `Cache-Control: no-cache`) assembles
cards, filter forms, a month's grid and a partnership's members from the fragment cache;
each of them must follow the data at once, and logged-in users get their own renders.
"""

import json
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from common.cache import version as versioning
from common.cache.version import local_fragments
from directory import views as partnership_views
from members.models import Membership
from tests import factories
from tests.utils import log_in

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.usefixtures("cache_on")]

FRESH = {"Cache-Control": "no-cache"}


@pytest.fixture
def visitor():
    return Client()


def fresh(client, url, **params):
    response = client.get(url, params, headers=FRESH)
    assert response.status_code == 200, url
    return response.content.decode()


def test_an_event_card_in_the_agenda_follows_a_renamed_event(visitor):
    event = factories.event(title="Warsztaty ceramiczne")
    assert "Warsztaty ceramiczne" in fresh(visitor, reverse("events:list"))

    event.title = "Warsztaty garncarskie"
    event.save()
    html = fresh(visitor, reverse("events:list"))

    assert "Warsztaty garncarskie" in html and "Warsztaty ceramiczne" not in html


def test_a_partnership_card_follows_a_change_of_its_districts(visitor):
    partnership = factories.partnership(name="Partnerstwo Pod Lipami", districts=["wola"])
    assert "Wola" in fresh(visitor, reverse("partnerships:list"))

    partnership.districts.set([factories.district("bemowo")])
    html = fresh(visitor, reverse("partnerships:list"))

    card = html[html.index("Partnerstwo Pod Lipami") :]
    assert "Bemowo" in card[:600] and "Wola" not in card[:600]


def test_the_month_grid_shows_a_new_event_at_once(visitor):
    today = timezone.localdate()
    url = reverse("events:month", kwargs={"year": today.year, "month": today.month})
    start = timezone.now() + timedelta(hours=1)
    factories.event(title="Pierwsze spotkanie", start=start)
    assert "Pierwsze spotkanie" in fresh(visitor, url)

    factories.event(title="Drugie spotkanie", start=start + timedelta(minutes=30))
    html = fresh(visitor, url)

    assert "Pierwsze spotkanie" in html and "Drugie spotkanie" in html


def test_a_partnerships_members_follow_a_new_membership(visitor):
    partnership = factories.partnership(name="Partnerstwo Pod Lipami")
    factories.membership(organisation_obj=factories.organisation(name="Fundacja Lipowa"), partnership_obj=partnership)
    url = partnership.get_absolute_url()
    assert "Organizacje członkowskie: 1." in fresh(visitor, url)

    factories.membership(organisation_obj=factories.organisation(name="Klub Dębowy"), partnership_obj=partnership)
    html = fresh(visitor, url)

    assert "Organizacje członkowskie: 2." in html and "Klub Dębowy" in html


def test_a_membership_ended_with_an_update_moves_to_former_members(visitor):
    partnership = factories.partnership(name="Partnerstwo Pod Lipami")
    membership = factories.membership(
        organisation_obj=factories.organisation(name="Fundacja Lipowa"), partnership_obj=partnership
    )
    assert "Dawni członkowie" not in fresh(visitor, partnership.get_absolute_url())

    Membership.objects.filter(pk=membership.pk).update(until=timezone.localdate() - timedelta(days=1))

    assert "Dawni członkowie" in fresh(visitor, partnership.get_absolute_url())


def test_filter_counts_are_the_same_for_visitors_but_staff_get_their_own(visitor, django_user_model):
    factories.partnership(name="Jawne Partnerstwo", districts=["wola"])
    factories.partnership(name="Ukryte Partnerstwo", districts=["wola"], is_published=False)
    staff = Client()
    log_in(staff, django_user_model.objects.create_user("pracownik", is_staff=True, is_superuser=True))

    anonymous_html = fresh(visitor, reverse("partnerships:list"))
    staff_html = fresh(staff, reverse("partnerships:list"))
    anonymous_again = fresh(visitor, reverse("partnerships:list"))

    assert '<option value="wola">Wola (1)</option>' in anonymous_html
    assert '<option value="wola">Wola (2)</option>' in staff_html and "Ukryte Partnerstwo" in staff_html
    assert '<option value="wola">Wola (1)</option>' in anonymous_again and "Ukryte Partnerstwo" not in anonymous_again


# --- bounded summaries on the district page ------------------------------------------------------------------------


def test_a_busy_district_shows_the_first_partnerships_and_places_with_links_to_all(visitor, monkeypatch):
    monkeypatch.setattr(partnership_views, "PARTNERSHIPS_ON_DISTRICT", 2)
    monkeypatch.setattr(partnership_views, "PLACES_ON_DISTRICT", 2)
    for name in ("Partnerstwo A", "Partnerstwo B", "Partnerstwo C"):
        factories.partnership(name=name, districts=["wola"])
    for name in ("Dom sąsiedzki A", "Dom sąsiedzki B", "Dom sąsiedzki C"):
        factories.place(name=name, district_slug="wola")

    html = fresh(visitor, reverse("partnerships:district_detail", kwargs={"slug": "wola"}))

    assert "Partnerstwo A" in html and "Partnerstwo B" in html and "Partnerstwo C" not in html
    assert f'href="{reverse("partnerships:list")}?dzielnica=wola">Wszystkie partnerstwa w dzielnicy (3)</a>' in html
    assert f'href="{reverse("partnerships:place_list")}?dzielnica=wola">Wszystkie miejsca w dzielnicy (3)</a>' in html


def test_the_places_directory_filters_by_district(visitor):
    factories.place(name="Dom sąsiedzki na Woli", district_slug="wola")
    factories.place(name="Dom sąsiedzki na Bemowie", district_slug="bemowo")

    html = fresh(visitor, reverse("partnerships:place_list"), dzielnica="wola")
    wrong = fresh(visitor, reverse("partnerships:place_list"), dzielnica="atlantyda")

    assert "Dom sąsiedzki na Woli" in html and "Dom sąsiedzki na Bemowie" not in html
    assert "Nie znamy takiej dzielnicy – wybierz ją z listy." in wrong and "Dom sąsiedzki" not in wrong


# --- a partnership's events and a district's map: shared, and following the data ------------------------------------


def test_a_partnerships_events_follow_a_renamed_and_a_new_event(visitor):
    partnership = factories.partnership(name="Partnerstwo Pod Lipami")
    event = factories.event(title="Warsztaty ceramiczne", organisers=[partnership])
    url = partnership.get_absolute_url()
    assert "Warsztaty ceramiczne" in fresh(visitor, url)

    event.title = "Warsztaty garncarskie"
    event.save()
    factories.event(title="Piknik sąsiedzki", organisers=[partnership], start=timezone.now() + timedelta(days=9))
    html = fresh(visitor, url)

    assert "Warsztaty garncarskie" in html and "Piknik sąsiedzki" in html and "Warsztaty ceramiczne" not in html


def test_a_partnerships_unpublished_event_stays_hidden_from_visitors_after_staff_saw_the_page(
    visitor, django_user_model
):
    partnership = factories.partnership(name="Partnerstwo Pod Lipami")
    factories.event(title="Szkic wydarzenia", organisers=[partnership], is_published=False)
    staff = Client()
    log_in(staff, django_user_model.objects.create_user("pracownik", is_staff=True, is_superuser=True))

    fresh(staff, partnership.get_absolute_url())

    assert "Szkic wydarzenia" not in fresh(visitor, partnership.get_absolute_url())


def map_data(html):
    """The places on the page's map (the JSON the map script reads)."""
    found = re.search(r'<script id="mapa-dane" type="application/json">(.*?)</script>', html, re.S)
    return [point["name"] for point in json.loads(found.group(1))["points"]]


def test_a_districts_map_shows_a_new_place_at_once(visitor):
    url = reverse("partnerships:district_detail", kwargs={"slug": "wola"})
    factories.place(name="Dom sąsiedzki na Woli", district_slug="wola")
    assert map_data(fresh(visitor, url)) == ["Dom sąsiedzki na Woli"]

    factories.place(name="Klub na Kole", district_slug="wola")

    assert sorted(map_data(fresh(visitor, url))) == ["Dom sąsiedzki na Woli", "Klub na Kole"]


def test_a_districts_lists_follow_a_new_partnership_organisation_and_place(visitor, django_user_model):
    url = reverse("partnerships:district_detail", kwargs={"slug": "wola"})
    factories.partnership(name="Partnerstwo Wolskie", districts=["wola"])
    factories.partnership(name="Szkic partnerstwa", districts=["wola"], is_published=False)
    staff = Client()
    log_in(staff, django_user_model.objects.create_user("pracownik", is_staff=True, is_superuser=True))
    assert "Szkic partnerstwa" in fresh(staff, url)
    assert "Partnerstwo Wolskie" in fresh(visitor, url)

    factories.partnership(name="Nowe Partnerstwo Kolejowe", districts=["wola"])
    factories.organisation(name="Fundacja Młynarska", district_slug="wola")
    factories.place(name="Klub na Kole", district_slug="wola")
    html = fresh(visitor, url)

    assert "Nowe Partnerstwo Kolejowe" in html and "Fundacja Młynarska" in html and "Klub na Kole" in html
    assert "Szkic partnerstwa" not in html


# --- a directory page shown again: its count and its results from the cache ------------------------------------------


def test_a_directory_page_shown_again_counts_nothing_and_renders_its_results_from_the_cache(visitor):
    for name in ("Fundacja Lipowa", "Klub Dębowy", "Stowarzyszenie Wierzbowe"):
        factories.organisation(name=name, district_slug="wola")
    url = reverse("members:organisation_list")
    first = fresh(visitor, url, dzielnica="wola")

    with CaptureQueriesContext(connection) as captured:
        again = fresh(visitor, url, dzielnica="wola")

    organisation_queries = [q["sql"] for q in captured.captured_queries if '"members_organisation"' in q["sql"]]
    assert again == first and "Klub Dębowy" in again
    assert len(organisation_queries) == 1  # the page's rows (for its keyset links); no COUNT, no filter counts
    assert "COUNT(" not in organisation_queries[0]


def test_a_directory_page_shows_a_new_and_a_renamed_organisation_at_once(visitor):
    first = factories.organisation(name="Fundacja Lipowa")
    url = reverse("members:organisation_list")
    assert "Fundacja Lipowa" in fresh(visitor, url)

    first.name = "Fundacja Akacjowa"
    first.save()
    factories.organisation(name="Klub Dębowy")
    html = fresh(visitor, url)

    assert "Fundacja Akacjowa" in html and "Klub Dębowy" in html and "Fundacja Lipowa" not in html


def test_the_agenda_shown_again_renders_its_days_from_the_cache(visitor):
    start = timezone.now() + timedelta(days=2)
    factories.event(title="Warsztaty ceramiczne", start=start)
    factories.event(title="Piknik sąsiedzki", start=start + timedelta(days=1))
    first = fresh(visitor, reverse("events:list"))

    with CaptureQueriesContext(connection) as captured:
        again = fresh(visitor, reverse("events:list"))

    dates = [q["sql"] for q in captured.captured_queries if '"events_occurrence"' in q["sql"]]
    assert again == first and first.count('<section class="agenda-day') == 2
    assert len(dates) == 1 and "COUNT(" not in dates[0]  # the page's dates only: the count is kept


def test_the_month_shown_again_reads_no_dates(visitor):
    today = timezone.localdate()
    url = reverse("events:month", kwargs={"year": today.year, "month": today.month})
    factories.event(title="Warsztaty ceramiczne", start=timezone.now() + timedelta(hours=1))
    first = fresh(visitor, url)

    with CaptureQueriesContext(connection) as captured:
        again = fresh(visitor, url)

    assert again == first and "Warsztaty ceramiczne" in first
    assert not [q["sql"] for q in captured.captured_queries if '"events_occurrence"' in q["sql"]]


def test_a_partnerships_team_places_and_working_groups_follow_the_data(visitor):
    partnership = factories.partnership(name="Partnerstwo Pod Lipami")
    url = partnership.get_absolute_url()
    assert "Sadowska" not in fresh(visitor, url)

    ola = factories.person(first_name="Ola", last_name="Sadowska")
    factories.team_role(person_obj=ola, partnership_obj=partnership)
    partnership.places.add(factories.place(name="Klub na Kole"))
    group = factories.working_group(name="Zespół do spraw zieleni")
    group.partnerships.add(partnership)
    html = fresh(visitor, url)

    assert "Sadowska" in html and "Klub na Kole" in html and "Zespół do spraw zieleni" in html


def test_a_partnership_page_shown_again_reads_nothing_from_the_database(visitor):
    partnership = factories.partnership(name="Partnerstwo Pod Lipami")
    ola = factories.person(first_name="Ola", last_name="Sadowska")
    factories.team_role(person_obj=ola, partnership_obj=partnership)
    factories.event(title="Warsztaty ceramiczne", start=timezone.now() + timedelta(days=2), organisers=[partnership])
    url = partnership.get_absolute_url()
    first = fresh(visitor, url)

    with CaptureQueriesContext(connection) as captured:
        again = fresh(visitor, url)

    assert again == first and "Sadowska" in first and "Warsztaty ceramiczne" in first
    assert captured.captured_queries == []


def test_an_events_page_follows_a_moved_date(visitor):
    event = factories.event(title="Warsztaty ceramiczne", start=timezone.now() + timedelta(days=3))
    assert "Warsztaty ceramiczne" in fresh(visitor, event.get_absolute_url())

    event.start, event.end = event.start + timedelta(days=7), event.end + timedelta(days=7)
    event.save()
    html = fresh(visitor, event.get_absolute_url())

    assert timezone.localtime(event.start).date().isoformat() in html


def test_a_worker_reads_its_own_copies_of_fragments_without_asking_the_shared_cache(visitor, monkeypatch):
    factories.partnership(name="Partnerstwo Pod Lipami", districts=["wola"])
    url = reverse("partnerships:list")
    first = fresh(visitor, url)
    asked = []

    class Shared:
        """The shared cache, noting what is asked of it."""

        def __getattr__(self, name):
            return getattr(cache, name)

        def get_many(self, keys):
            asked.append(keys)
            return cache.get_many(keys)

    monkeypatch.setattr(versioning, "cache", Shared())

    again = fresh(visitor, url)

    assert again == first and asked == []


def test_a_workers_copy_of_a_fragment_is_not_used_after_a_change(visitor):
    partnership = factories.partnership(name="Partnerstwo Pod Lipami", districts=["wola"])
    url = reverse("partnerships:list")
    assert "Partnerstwo Pod Lipami" in fresh(visitor, url)
    assert local_fragments.entries  # kept by this worker

    partnership.name = "Partnerstwo Nad Stawem"
    partnership.save()
    html = fresh(visitor, url)

    assert '">Partnerstwo Nad Stawem</a>' in html and '">Partnerstwo Pod Lipami</a>' not in html


# --- the search: each query's results kept per data version -----------------------------------------------------------


def test_a_search_shown_again_reads_nothing_and_follows_a_change_at_once(visitor, django_user_model):
    lipowa = factories.organisation(name="Fundacja Lipowa")
    url = reverse("search")
    first = fresh(visitor, url, q="lipowa")

    with CaptureQueriesContext(connection) as captured:
        again = fresh(visitor, url, q="lipowa")
    lipowa.name = "Fundacja Lipowa Aleja"
    lipowa.save()
    factories.organisation(name="Stowarzyszenie Lipowe")
    changed = fresh(visitor, url, q="lipow")
    staff = django_user_model.objects.create_user(username="pracownik", password="x", is_staff=True)
    factories.organisation(name="Lipowa w przygotowaniu", is_published=False)
    log_in(visitor, staff)
    as_staff = fresh(visitor, url, q="lipow")

    def names(html):  # the found titles, without the highlighting of the typed word
        return re.sub(r"</?mark>", "", html)

    assert again == first and "Fundacja Lipowa" in names(first)
    assert not [q["sql"] for q in captured.captured_queries if "members_organisation" in q["sql"]]
    assert "Fundacja Lipowa Aleja" in names(changed) and "Stowarzyszenie Lipowe" in names(changed)
    assert "Lipowa w przygotowaniu" in names(as_staff)  # staff get their own results, drafts included
    assert "Lipowa w przygotowaniu" not in names(changed)
