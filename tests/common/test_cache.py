"""The anonymous page cache: pages come from the cache, and never out of date.

These tests commit for real (transactional database), as a site does: the data
version moves when a transaction commits, so the ordinary test transaction, which
never commits, would not show the cache at work.
"""

import os
from datetime import date, timedelta

import pytest
import redis
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from common.cache import pages as page_cache
from common.cache import version as versioning
from common.cache.redis_backend import RedisCache
from common.cache.version import LocalLRU
from events.models import Event
from members.models import Membership, Organisation
from partnerships.models import CoordinatorAccess, Partnership
from tests import factories
from tests.utils import log_in

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.usefixtures("cache_on")]


def redis_url():
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"no Redis at {url}, and REQUIRE_REDIS=1 requires it")
        pytest.skip(f"no Redis at {url}")
    return url


@pytest.fixture(params=["local memory", "Redis"])
def cache_on(request, settings):
    """Every test here runs with both caches: the local-memory one, and Redis as in production.

    With Redis each process keeps the data version as announced to it (common/cache/redis_backend.py).
    """
    settings.PAGE_CACHE_SECONDS = 60
    if request.param == "Redis":
        settings.CACHES = {
            **settings.CACHES,
            "default": {"BACKEND": "common.cache.redis_backend.RedisCache", "LOCATION": redis_url()},
        }
    cache.clear()
    page_cache.local_pages.clear()
    yield
    cache.clear()
    page_cache.local_pages.clear()


@pytest.fixture
def anonymous():
    return Client()


@pytest.fixture
def staff(django_user_model):
    user = django_user_model.objects.create_user(
        username="pracownik", password="haslo-testowe-123", is_staff=True, is_superuser=True
    )
    client = Client()
    log_in(client, user)
    return client


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, response.content.decode()


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


# --- served from the cache ---------------------------------------------------------------------------------------


def test_second_anonymous_visit_is_served_from_the_cache_with_the_same_page(anonymous):
    factories.partnership(name="Partnerstwo Pod Lipami")
    url = reverse("partnerships:list")

    first, first_html = page(anonymous, url)
    second, second_html = page(anonymous, url)

    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert "Partnerstwo Pod Lipami" in second_html and second_html == first_html


def test_cached_page_tells_browsers_to_revalidate_and_answers_304_to_its_etag(anonymous):
    factories.partnership(name="Partnerstwo Pod Lipami")
    url = reverse("partnerships:list")
    first, _html = page(anonymous, url)

    assert first["Cache-Control"] == "public, no-cache"
    assert first["ETag"].startswith('"') and first["Last-Modified"].endswith("GMT")
    again = anonymous.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again["ETag"] == first["ETag"] and not again.content
    other = anonymous.get(url, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and "Partnerstwo Pod Lipami" in other.content.decode()


def test_a_copy_from_before_a_change_is_not_answered_with_304(anonymous):
    partnership = factories.partnership(name="Partnerstwo Pod Lipami")
    url = reverse("partnerships:list")
    first, _html = page(anonymous, url)

    partnership.name = "Partnerstwo Nad Wisłą"
    partnership.save()
    response = anonymous.get(url, headers={"If-None-Match": first["ETag"], "If-Modified-Since": first["Last-Modified"]})

    assert response.status_code == 200 and "Partnerstwo Nad Wisłą" in response.content.decode()


def test_polish_and_english_pages_are_cached_apart(anonymous):
    factories.partnership(name="Partnerstwo Pod Lipami")
    polish = reverse("partnerships:list")
    english = "/en" + polish.replace("/partnerstwa/", "/partnerships/")
    page(anonymous, polish)

    _response, html = page(anonymous, english)
    _response, again = page(anonymous, polish)

    assert 'lang="en"' in html and 'lang="pl"' in again


def test_a_reload_asking_for_no_cache_gets_a_fresh_page(anonymous):
    factories.partnership(name="Partnerstwo Pod Lipami")
    url = reverse("partnerships:list")
    page(anonymous, url)

    response = anonymous.get(url, headers={"Cache-Control": "no-cache"})

    assert response["X-Page-Cache"] == "miss"


def test_cache_is_off_when_its_timeout_is_zero(anonymous, settings):
    settings.PAGE_CACHE_SECONDS = 0
    url = reverse("partnerships:list")
    page(anonymous, url)

    response, _html = page(anonymous, url)

    assert "X-Page-Cache" not in response


# --- never for someone else ----------------------------------------------------------------------------------------


def test_logged_in_staff_never_get_nor_leave_a_cached_page(anonymous, staff):
    factories.partnership(name="Partnerstwo Szkic", is_published=False)
    url = reverse("partnerships:list")

    _response, staff_html = page(staff, url)
    anonymous_response, anonymous_html = page(anonymous, url)
    staff_again, staff_again_html = page(staff, url)

    assert "Partnerstwo Szkic" in staff_html and "Partnerstwo Szkic" in staff_again_html
    assert "Partnerstwo Szkic" not in anonymous_html
    assert "X-Page-Cache" not in staff_again and "private" in staff_again["Cache-Control"]


def test_a_visitor_with_a_message_waiting_is_not_served_from_the_cache(anonymous):
    url = reverse("partnerships:list")
    page(anonymous, url)
    anonymous.cookies["messages"] = "anything"

    response = anonymous.get(url)

    assert "X-Page-Cache" not in response


def test_pages_with_a_csrf_form_are_not_cached(anonymous):
    url = reverse("account:login")

    first = anonymous.get(url)
    second = Client().get(url)

    assert 'name="csrfmiddlewaretoken"' in second.content.decode()
    assert "X-Page-Cache" not in first and "X-Page-Cache" not in second


def test_errors_and_redirects_are_not_cached(anonymous):
    missing = anonymous.get(reverse("partnerships:detail", kwargs={"slug": "nie-ma-takiego"}))
    factories.partnership(name="Partnerstwo Stegny", slug="stegny")

    found = anonymous.get(reverse("partnerships:detail", kwargs={"slug": "nie-ma-takiego"}))
    shown = anonymous.get(reverse("partnerships:detail", kwargs={"slug": "stegny"}))

    assert missing.status_code == 404 and found.status_code == 404 and "X-Page-Cache" not in found
    assert shown.status_code == 200


# --- changes show at once: the ORM ---------------------------------------------------------------------------------


def test_a_partnership_renamed_through_the_orm_shows_on_the_next_visit(anonymous):
    partnership = factories.partnership(name="Partnerstwo Pod Lipami", summary="Sąsiedzi razem.")
    url = reverse("partnerships:list")
    page(anonymous, url)

    partnership.name = "Partnerstwo Nad Wisłą"
    partnership.save()
    _response, html = page(anonymous, url)

    assert "Partnerstwo Nad Wisłą" in html and "Pod Lipami" not in html


def test_a_bulk_update_that_skips_save_still_shows_on_the_next_visit(anonymous):
    factories.partnership(name="Partnerstwo Pod Lipami")
    url = reverse("partnerships:list")
    page(anonymous, url)

    Partnership.objects.update(is_published=False)
    _response, html = page(anonymous, url)

    assert "Partnerstwo Pod Lipami" not in html


def test_a_new_event_made_with_bulk_create_and_a_rebuild_shows_in_the_agenda(anonymous):
    url = reverse("events:list")
    page(anonymous, url)

    start = timezone.now() + timedelta(days=2)
    end = start + timedelta(hours=2)
    (event,) = Event.objects.bulk_create([Event(title="Kino na podwórku", slug="kino", start=start, end=end)])
    Event.objects.get(pk=event.pk).rebuild_occurrences()
    _response, html = page(anonymous, url)

    assert "Kino na podwórku" in html


def test_a_rolled_back_change_leaves_the_cached_page_right(anonymous):
    factories.partnership(name="Partnerstwo Pod Lipami")
    url = reverse("partnerships:list")
    page(anonymous, url)

    with pytest.raises(RuntimeError), transaction.atomic():
        Partnership.objects.update(name="Nigdy zapisane")
        raise RuntimeError
    _response, html = page(anonymous, url)

    assert "Partnerstwo Pod Lipami" in html and "Nigdy zapisane" not in html


def test_a_page_rendered_inside_an_open_transaction_is_never_cached(anonymous):
    url = reverse("partnerships:list")
    with transaction.atomic():
        factories.partnership(name="Partnerstwo Niezatwierdzone")
        inside = anonymous.get(url)
        transaction.set_rollback(True)

    _response, html = page(anonymous, url)

    assert "X-Page-Cache" not in inside and "Partnerstwo Niezatwierdzone" not in html


# --- changes show at once: the admin -------------------------------------------------------------------------------


def test_a_partnership_hidden_with_the_admin_action_disappears_for_visitors(anonymous, staff):
    partnership = factories.partnership(name="Partnerstwo Pod Lipami")
    url = reverse("partnerships:list")
    assert "Partnerstwo Pod Lipami" in page(anonymous, url)[1]

    staff.post(
        admin_url(Partnership, "changelist"), {"action": "unpublish_selected", "_selected_action": [partnership.pk]}
    )
    _response, html = page(anonymous, url)

    assert "Partnerstwo Pod Lipami" not in html


def test_an_organisation_hidden_with_the_admin_action_disappears_from_the_directory(anonymous, staff):
    organisation = factories.organisation(name="Fundacja Zielone Podwórko")
    url = reverse("members:organisation_list")
    assert "Fundacja Zielone Podwórko" in page(anonymous, url)[1]

    staff.post(
        admin_url(Organisation, "changelist"),
        {"action": "unpublish_selected", "_selected_action": [organisation.pk]},
    )
    _response, html = page(anonymous, url)

    assert "Fundacja Zielone Podwórko" not in html


def test_a_membership_ended_in_the_admin_moves_to_former_members(anonymous, staff):
    membership = factories.membership(
        organisation_obj=factories.organisation(name="Klub Seniora Stegny"),
        partnership_obj=factories.partnership(name="Partnerstwo Stegny"),
        since=date(2018, 5, 1),
    )
    url = membership.partnership.get_absolute_url()
    assert "Dawni członkowie" not in page(anonymous, url)[1]

    response = staff.post(
        admin_url(Membership, "change", membership.pk),
        {
            "organisation": membership.organisation_id,
            "partnership": membership.partnership_id,
            "role": Membership.Role.MEMBER,
            "since": "2018-05-01",
            "until": "2024-12-31",
            "note": "",
        },
    )
    assert response.status_code == 302
    _response, html = page(anonymous, url)

    assert "Dawni członkowie" in html and "Klub Seniora Stegny" in html


# --- changes show at once: the coordinator forms -------------------------------------------------------------------


@pytest.fixture
def coordinator(django_user_model):
    partnership = factories.partnership(name="Partnerstwo Stegny", districts=["mokotow"])
    user = django_user_model.objects.create_user(username="koordynator", password="haslo-testowe-123")
    CoordinatorAccess.objects.create(user=user, partnership=partnership)
    client = Client()
    client.force_login(user)
    return client, partnership


def test_an_event_cancelled_by_a_coordinator_shows_as_cancelled_to_visitors(anonymous, coordinator):
    client, partnership = coordinator
    event = factories.event(title="Warsztaty ceramiczne", organisers=[partnership])
    url = event.get_absolute_url()
    assert "Awaria ogrzewania" not in page(anonymous, url)[1]

    client.post(
        reverse("coordinator:event_cancel", kwargs={"slug": partnership.slug, "pk": event.pk}),
        {"reason": "Awaria ogrzewania"},
    )
    _response, html = page(anonymous, url)

    assert "odwołane" in html and "Awaria ogrzewania" in html


def test_a_membership_ended_by_a_coordinator_shows_on_the_partnership_page(anonymous, coordinator):
    client, partnership = coordinator
    membership = factories.membership(
        organisation_obj=factories.organisation(name="Klub Seniora Stegny"),
        partnership_obj=partnership,
        since=date(2018, 5, 1),
    )
    url = partnership.get_absolute_url()
    assert "Dawni członkowie" not in page(anonymous, url)[1]

    client.post(
        reverse("coordinator:membership_end", kwargs={"slug": partnership.slug, "pk": membership.pk}),
        {"until": "2024-12-31"},
    )
    _response, html = page(anonymous, url)

    assert "Dawni członkowie" in html and "Klub Seniora Stegny" in html


# --- the write detector --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "public"),
    [
        ('INSERT INTO "partnerships_partnership" ("name") VALUES (%s)', True),
        ('UPDATE "members_organisation" SET "is_published" = false', True),
        ('DELETE FROM "events_occurrence" WHERE "id" = 1', True),
        ('TRUNCATE "django_admin_log", "events_event"', True),
        ('SELECT "partnerships_partnership"."id" FROM "partnerships_partnership"', False),
        ('UPDATE "django_session" SET "expire_date" = %s', False),
        ('INSERT INTO "auth_user" ("username") VALUES (%s)', False),
    ],
)
def test_only_writes_to_public_tables_make_pages_out_of_date(sql, public):
    assert versioning.writes_public_table(sql) is public


def test_every_database_connection_tracks_writes():
    connection.ensure_connection()

    assert [type(wrapper) for wrapper in connection.execute_wrappers].count(versioning.WriteTracker) == 1


# --- speed: what each worker keeps, and the Redis client ----------------------------------------------------------


def test_each_worker_keeps_only_a_bounded_number_of_bytes_of_pages():
    pages = LocalLRU(250, size=page_cache.page_bytes)
    for number in range(5):
        pages.put(("page", number), (1, 0.0, (), b"x" * 100))

    assert pages.size == 200
    assert [key[1] for key in pages.entries] == [3, 4]  # the oldest went first
    pages.put(("huge",), (1, 0.0, (), b"x" * 251))
    assert ("huge",) not in pages.entries


def test_a_page_kept_by_a_worker_is_not_served_after_a_change(anonymous):
    partnership = factories.partnership(name="Partnerstwo Pod Lipami", summary="Sąsiedzi razem.")
    url = reverse("partnerships:list")
    page(anonymous, url)
    assert page(anonymous, url)[0]["X-Page-Cache"] == "hit"
    # The worker's own copy is still there; only the version says it is out of date.
    assert any(entry[3].find(b"Pod Lipami") >= 0 for entry in page_cache.local_pages.values())

    partnership.name = "Partnerstwo Pod Dębami"
    partnership.save()

    response, html = page(anonymous, url)
    assert response["X-Page-Cache"] == "miss"
    assert "Pod Dębami" in html and "Pod Lipami" not in html


def test_a_browser_asking_for_english_gets_the_polish_address_in_polish_from_the_cache_too(anonymous):
    url = reverse("partnerships:list")  # no /en/ prefix: the Polish page, whatever the browser prefers
    english_browser = anonymous.get(url, headers={"Accept-Language": "en"})
    page(anonymous, reverse("partnerships:list", kwargs={}).replace("/partnerstwa/", "/en/partnerships/"))
    again = anonymous.get(url, headers={"Accept-Language": "en"})
    polish_browser = anonymous.get(url, headers={"Accept-Language": "pl"})

    assert again["X-Page-Cache"] == "hit"
    for response in (english_browser, again, polish_browser):
        assert response["Content-Language"] == "pl" and 'lang="pl"' in response.content.decode()


def test_the_redis_cache_keeps_values_and_the_counter_side_by_side():
    backend = RedisCache(redis_url(), {"KEY_PREFIX": "wspl-test"})
    backend.clear()
    try:
        backend.set("page", (7, 0.0, (("Content-Type", "text/html"),), b"<p>strona</p>"), timeout=30)
        backend.set(versioning.VERSION_KEY, 41, timeout=None)
        backend.incr(versioning.VERSION_KEY)

        assert backend.get("page")[3] == b"<p>strona</p>"
        assert backend.get(versioning.VERSION_KEY) == 42
        # The counter is the same value, under the same prefixed key, whichever way it is read or bumped.
        assert backend.counter(versioning.VERSION_KEY) == 42
        assert backend.bump_counter(versioning.VERSION_KEY, 1) == 43 == backend.get(versioning.VERSION_KEY)
    finally:
        backend.clear()


def test_shared_counts_follow_a_change_even_when_the_page_is_rendered_afresh(anonymous):
    """The result count and the filters' counts are kept per data version, apart from the page cache."""
    factories.partnership(name="Partnerstwo Pod Lipami", districts=["wola"])
    url = reverse("partnerships:list")
    fresh = {"Cache-Control": "no-cache"}
    before = anonymous.get(url, headers=fresh).content.decode()

    factories.partnership(name="Partnerstwo Nad Wisłą", districts=["wola"])
    after = anonymous.get(url, headers=fresh).content.decode()

    assert "Znaleziono 1 partnerstwo" in before and '<option value="wola">Wola (1)</option>' in before
    assert "Znaleziono 2 partnerstwa" in after and '<option value="wola">Wola (2)</option>' in after


def test_a_workers_copy_lives_no_longer_than_the_shared_one(anonymous, settings):
    """Pages that say "today" or "upcoming" change with time alone: no copy outlives PAGE_CACHE_SECONDS."""
    factories.partnership(name="Partnerstwo Pod Lipami")
    url = reverse("partnerships:list")
    page(anonymous, url)
    assert page(anonymous, url)[0]["X-Page-Cache"] == "hit"
    version = cache.get(versioning.VERSION_KEY)
    for key in list(page_cache.local_pages.entries):
        kept, rendered_at, headers, content = page_cache.local_pages.get(key)
        page_cache.local_pages.put(key, (kept, rendered_at - 61, headers, content))  # rendered a minute ago
        cache.delete(page_cache.page_key(key))  # the shared copy has expired by now

    assert page(anonymous, url)[0]["X-Page-Cache"] == "miss"
    assert cache.get(versioning.VERSION_KEY) == version  # no change of the data: time alone
