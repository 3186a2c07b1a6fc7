"""/health/live and /health/ready: what the proxy, the service manager and the monitoring are told.

Ready is checked against the real parts: the test database (SQLite, or PostgreSQL when the suite runs with
DATABASE_URL), Redis at a port where nothing listens, a media folder that cannot be written, and, in a
production process of its own, a database out of reach and a database whose migrations were not all applied.
"""

import json

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory

from common.cache import pages as page_cache
from tests.wspl_site.production import UNREACHABLE_DATABASE, manage, serve

pytestmark = pytest.mark.django_db

# Django's own Redis backend, as settings.py configures it, at a port where nothing listens.
REDIS_DOWN = {"default": {"BACKEND": "common.cache.redis_backend.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}


def test_live_answers_that_the_process_is_up(client):
    response = client.get("/health/live")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert len(response.content) < 100


def test_ready_answers_200_when_database_cache_storage_and_migrations_are_fine(client):
    response = client.get("/health/ready")

    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "storage": "ok", "migrations": "ok"},
    }


@pytest.mark.parametrize("path", ["/health/live", "/health/ready"])
def test_health_sets_no_cookie_and_tells_every_cache_not_to_keep_it(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert not response.cookies  # no session, no CSRF token
    assert "no-store" in response["Cache-Control"]


def test_ready_names_the_cache_when_redis_is_out_of_reach(client, settings):
    settings.CACHES = {**settings.CACHES, **REDIS_DOWN}

    response = client.get("/health/ready")

    assert response.status_code == 503
    answer = response.json()
    assert answer["status"] == "unavailable" and answer["failing"] == ["cache"]
    assert answer["checks"]["database"] == answer["checks"]["migrations"] == "ok"
    assert "Connection Error" in answer["checks"]["cache"]


def test_ready_names_the_storage_when_media_cannot_be_written(client, settings, tmp_path):
    not_a_folder = tmp_path / "media"
    not_a_folder.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = not_a_folder

    response = client.get("/health/ready")

    assert response.status_code == 503
    assert response.json()["failing"] == ["storage"]


def test_health_answers_over_plain_http_for_a_probe_on_the_machine(client, settings):
    settings.SECURE_SSL_REDIRECT = True  # as in production; pages go to https

    assert client.get("/health/live").status_code == 200
    assert client.get("/health/ready").status_code == 200
    assert client.get("/partnerstwa/").status_code == 301


def test_health_is_outside_the_language_prefixes(client):
    assert client.get("/en/health/live").status_code == 404
    assert client.get("/health/live/").status_code == 404


def test_robots_stay_out_of_health(client):
    assert "Disallow: /health/" in client.get("/robots.txt").content.decode().splitlines()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("cache_on")
@pytest.mark.parametrize("path", ["/health/live", "/health/ready"])
def test_health_is_never_served_from_the_page_cache(path):
    page_cache.local_pages.clear()
    first, second = Client().get(path), Client().get(path)

    assert first.status_code == second.status_code == 200
    assert "X-Page-Cache" not in first and "X-Page-Cache" not in second
    assert not page_cache.local_pages.values()
    assert cache.get(page_cache.page_key(page_cache.page_id(RequestFactory().get(path)))) is None


# --- in a production process of its own --------------------------------------------------------------------------


def test_ready_names_the_database_when_it_is_out_of_reach(tmp_path):
    served = serve("/health/ready", DATABASE_URL=UNREACHABLE_DATABASE, DJANGO_MEDIA_ROOT=str(tmp_path))

    assert served.status == 503
    answer = json.loads(served.body)
    assert answer["failing"] == ["database", "migrations"]
    assert answer["checks"]["cache"] == answer["checks"]["storage"] == "ok"
    # Live does not depend on the database.
    assert serve("/health/live", DATABASE_URL=UNREACHABLE_DATABASE).status == 200


def test_ready_names_the_migrations_while_a_release_waits_for_migrate(tmp_path):
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    migrated = manage("migrate", "sessions", "--noinput", DATABASE_URL=database)  # one app of many
    assert migrated.returncode == 0, migrated.stderr

    served = serve("/health/ready", DATABASE_URL=database, DJANGO_MEDIA_ROOT=str(tmp_path / "media"))

    assert served.status == 503
    answer = json.loads(served.body)
    assert answer["failing"] == ["migrations"]
    assert "partnerships.0001_initial" in answer["checks"]["migrations"]
    assert "sessions.0001_initial" not in answer["checks"]["migrations"]
