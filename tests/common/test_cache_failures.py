"""The caches stay correct when things go wrong: lost version bumps, rolled-back savepoints, two releases, set-ups.

Like test_cache.py these commit for real (transactional database): the data version moves
when a transaction commits.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.checks import run_checks
from django.db import transaction
from django.test import Client
from django.urls import reverse

from common.cache import pages as page_cache
from common.cache import version as versioning
from common.cache.version import LOCAL_COPY_SECONDS, LocalLRU, kept_many, local_fragments
from common.checks import check_page_cache_is_shared
from common.release import code_digest
from partnerships.models import Partnership
from tests import factories
from tests.common.test_cache import redis_url

ROOT = Path(__file__).resolve().parents[2]


class Clock:
    """A monotonic clock moved by hand."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture(params=["local memory", "Redis"])
def caches_on(request, settings):
    """The page and fragment caches on, with each shared cache, and every worker's copies empty."""
    settings.PAGE_CACHE_SECONDS = 60
    if request.param == "Redis":
        settings.CACHES = {
            **settings.CACHES,
            "default": {"BACKEND": "common.cache.redis_backend.RedisCache", "LOCATION": redis_url()},
        }
    cache.clear()
    page_cache.local_pages.clear()
    local_fragments.clear()
    yield
    cache.clear()
    page_cache.local_pages.clear()
    local_fragments.clear()


@pytest.fixture
def clock(monkeypatch):
    """The clock of every worker's copies (pages and fragments), moved by hand."""
    clock = Clock()
    monkeypatch.setattr(page_cache.local_pages, "clock", clock)
    monkeypatch.setattr(local_fragments, "clock", clock)
    return clock


@pytest.fixture
def bumps(monkeypatch):
    """The bumps of the data version, counted (each still bumps)."""
    made = []
    real_bump = versioning.bump_version

    def bump_version(**kwargs):
        made.append(kwargs)
        real_bump(**kwargs)

    monkeypatch.setattr(versioning, "bump_version", bump_version)
    return made


def visit(url):
    response = Client().get(url)
    assert response.status_code == 200, url
    return response["X-Page-Cache"], response.content.decode()


def lose_the_bump(monkeypatch):
    """Writes from now on move no version, as a write made with psql does not."""
    monkeypatch.setattr(versioning, "bump_version", lambda **kwargs: None)


# --- every copy a worker keeps is at most a minute old ------------------------------------------------------------


def test_a_workers_copy_is_served_for_a_minute_at_most():
    clock = Clock()
    copies = LocalLRU(1000, clock=clock)
    copies.put("strona", b"x" * 100)

    clock.now += LOCAL_COPY_SECONDS - 0.5
    assert copies.get("strona") == b"x" * 100
    clock.now += 0.5
    assert copies.get("strona") is None
    assert copies.size == 0 and not copies.entries  # and its room is given back


def test_no_worker_may_keep_a_copy_longer_than_a_minute():
    with pytest.raises(ValueError, match="0 to 60 seconds"):
        LocalLRU(1000, max_age=LOCAL_COPY_SECONDS + 1)

    assert page_cache.local_pages.max_age <= 60 and local_fragments.max_age <= 60


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("caches_on")
def test_a_change_that_moved_no_version_outlives_no_workers_copy_by_more_than_a_minute(clock, monkeypatch):
    partnership = factories.partnership(name="Partnerstwo Pod Lipami", summary="Sąsiedzi razem.")
    url = reverse("partnerships:list")
    assert visit(url)[0] == "miss" and visit(url)[0] == "hit"

    with monkeypatch.context() as lost:
        lose_the_bump(lost)
        partnership.name = "Partnerstwo Nad Stawem"
        partnership.save()
    # The shared copies of the page and of its fragments expire by their own timeouts (PAGE_CACHE_SECONDS for
    # pages, up to TIMELESS_TIMEOUT for fragments); this worker's copies are all that is left of the old page.
    cache.delete_many([page_cache.page_key(key) for key in page_cache.local_pages.entries])
    cache.delete_many(list(local_fragments.entries))
    clock.now += 30
    status, html = visit(url)
    assert status == "hit" and "Pod Lipami" in html  # the worker's own copy: no version told it of the change

    clock.now += 31
    status, html = visit(url)

    assert status == "miss" and "Nad Stawem" in html and "Pod Lipami" not in html


@pytest.mark.usefixtures("caches_on")
def test_a_workers_copy_of_a_fragment_is_used_for_a_minute_at_most(clock):
    assert kept_many(["figures"], lambda indexes: ["2 partnerstwa"], timeout=3600) == ["2 partnerstwa"]
    cache.clear()  # the shared copy is gone (evicted, or made out of date by a bump this worker never heard of)

    assert kept_many(["figures"], lambda indexes: ["3 partnerstwa"], timeout=3600) == ["2 partnerstwa"]
    clock.now += LOCAL_COPY_SECONDS
    assert kept_many(["figures"], lambda indexes: ["3 partnerstwa"], timeout=3600) == ["3 partnerstwa"]


# --- a bump that failed is made at the next read of the version ---------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("caches_on")
def test_a_change_saved_while_the_cache_was_unreachable_shows_once_it_is_back(monkeypatch):
    partnership = factories.partnership(name="Partnerstwo Pod Lipami", summary="Sąsiedzi razem.")
    url = reverse("partnerships:list")
    assert visit(url)[0] == "miss" and visit(url)[0] == "hit"

    class Unreachable:
        def __getattr__(self, name):
            raise ConnectionError("the cache server is out of reach")

    with monkeypatch.context() as down:
        down.setattr(versioning, "cache", Unreachable())
        partnership.name = "Partnerstwo Nad Stawem"
        partnership.save()  # saved all the same: a failing cache never fails a write
    assert versioning.owed_bumps > 0
    status, html = visit(url)

    assert status == "miss" and "Nad Stawem" in html and "Pod Lipami" not in html
    assert versioning.owed_bumps == 0
    assert Partnership.objects.get().name == "Partnerstwo Nad Stawem"


# --- savepoints and transactions ------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("caches_on")
def test_a_transaction_bumps_the_version_once_however_many_rows_it_writes(bumps):
    with transaction.atomic():
        for name in ("Partnerstwo A", "Partnerstwo B", "Partnerstwo C"):
            factories.partnership(name=name)
        assert bumps == []  # nothing before the commit

    assert len(bumps) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("caches_on")
def test_a_write_undone_with_its_savepoint_leaves_the_cached_page_in_place(bumps):
    factories.partnership(name="Partnerstwo Pod Lipami", summary="Sąsiedzi razem.")
    url = reverse("partnerships:list")
    visit(url)
    bumps.clear()

    with transaction.atomic(), pytest.raises(RuntimeError), transaction.atomic():
        Partnership.objects.update(name="Nigdy zapisane")
        raise RuntimeError
    status, html = visit(url)

    assert bumps == [] and status == "hit" and "Partnerstwo Pod Lipami" in html


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("caches_on")
@pytest.mark.parametrize("kept", ["before", "after"])
def test_a_write_kept_beside_a_rolled_back_savepoint_shows_on_the_next_visit(kept, bumps):
    factories.partnership(name="Partnerstwo Pod Lipami", summary="Sąsiedzi razem.")
    url = reverse("partnerships:list")
    visit(url)
    bumps.clear()

    with transaction.atomic():
        if kept == "before":
            Partnership.objects.update(name="Partnerstwo Nad Stawem")
        with pytest.raises(RuntimeError), transaction.atomic():
            Partnership.objects.update(summary="Nigdy zapisane")
            raise RuntimeError
        if kept == "after":
            Partnership.objects.update(name="Partnerstwo Nad Stawem")
    status, html = visit(url)

    assert len(bumps) == 1
    assert status == "miss" and "Nad Stawem" in html and "Pod Lipami" not in html and "Nigdy zapisane" not in html


# --- releases: old and new code never share entries ---------------------------------------------------------------


@pytest.mark.usefixtures("caches_on")
def test_two_releases_do_not_read_each_others_fragments(settings):
    settings.RELEASE_ID = "stara"
    assert kept_many(["card:1"], lambda indexes: ["<p>stara karta</p>"], timeout=60) == ["<p>stara karta</p>"]

    settings.RELEASE_ID = "nowa"
    assert kept_many(["card:1"], lambda indexes: ["<p>nowa karta</p>"], timeout=60) == ["<p>nowa karta</p>"]
    local_fragments.clear()  # from the shared cache alone, too
    assert kept_many(["card:1"], lambda indexes: ["<p>znowu</p>"], timeout=60) == ["<p>nowa karta</p>"]

    settings.RELEASE_ID = "stara"
    assert kept_many(["card:1"], lambda indexes: ["<p>znowu</p>"], timeout=60) == ["<p>stara karta</p>"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("caches_on")
def test_two_releases_do_not_serve_each_others_pages(settings):
    factories.partnership(name="Partnerstwo Pod Lipami", summary="Sąsiedzi razem.")
    url = reverse("partnerships:list")
    settings.RELEASE_ID = "stara"
    assert visit(url)[0] == "miss" and visit(url)[0] == "hit"

    settings.RELEASE_ID = "nowa"
    assert visit(url)[0] == "miss" and visit(url)[0] == "hit"
    settings.RELEASE_ID = "stara"
    assert visit(url)[0] == "hit"


def release_id(**env):
    """settings.RELEASE_ID as a process started with `env` computes it."""
    environment = {k: v for k, v in os.environ.items() if k != "WSPL_RELEASE"}
    code = "import wspl_site.settings as s; print(s.RELEASE_ID)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**environment, **env}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_release_is_the_one_given_or_a_digest_of_the_code():
    assert release_id(WSPL_RELEASE="2026.12.1") == "2026.12.1"
    assert re.fullmatch(r"[0-9a-f]{16}", release_id())


def test_the_release_follows_a_change_of_any_file_the_pages_are_made_of(tmp_path):
    (tmp_path / "app" / "templates").mkdir(parents=True)
    (tmp_path / "static" / "css").mkdir(parents=True)
    (tmp_path / "tests").mkdir()
    (tmp_path / "app" / "views.py").write_text("WIDTH = 1\n")
    (tmp_path / "app" / "templates" / "card.html").write_text("<p>{{ name }}</p>")
    (tmp_path / "static" / "css" / "site.css").write_text("p { color: black }")
    (tmp_path / "tests" / "test_views.py").write_text("")
    first = code_digest(tmp_path)

    (tmp_path / "tests" / "test_views.py").write_text("assert True\n")
    (tmp_path / "db.sqlite3").write_bytes(b"data")
    assert code_digest(tmp_path) == first  # tests and data are not the code
    for path, text in [
        ("app/views.py", "WIDTH = 2\n"),
        ("app/templates/card.html", "<p>{{ name|upper }}</p>"),
        ("static/css/site.css", "p { color: navy }"),
    ]:
        before = code_digest(tmp_path)
        (tmp_path / path).write_text(text)
        assert code_digest(tmp_path) != before, path


# --- the set-up: no page cache without a shared cache --------------------------------------------------------------


def test_the_page_cache_without_a_shared_cache_is_refused(settings):
    settings.DEBUG = False
    settings.PAGE_CACHE_SECONDS = 60  # the default cache of the tests is each process's own memory

    errors = check_page_cache_is_shared(None)

    assert [error.id for error in errors] == ["wspl.E002"]
    assert "DJANGO_PAGE_CACHE_SECONDS=60" in errors[0].msg and "REDIS_URL" in errors[0].hint
    assert "wspl.E002" in [message.id for message in run_checks()]  # registered


@pytest.mark.parametrize(
    "setup", ["a shared cache", "the page cache off", "debug on"], ids=["Redis", "no page cache", "debug"]
)
def test_a_set_up_that_can_work_passes_the_page_cache_check(setup, settings):
    settings.DEBUG = setup == "debug on"
    settings.PAGE_CACHE_SECONDS = 0 if setup == "the page cache off" else 60
    if setup == "a shared cache":
        settings.CACHES = {
            **settings.CACHES,
            "default": {"BACKEND": "common.cache.redis_backend.RedisCache", "LOCATION": "redis://127.0.0.1:6379/14"},
        }

    assert check_page_cache_is_shared(None) == []


def deploy_check(**env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_URL", "WSPL_"))}
    environment.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="wspl-test-" + "k7Qz9xWm2Lp" * 6,
        DJANGO_ALLOWED_HOSTS="wspl.example.org",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://wspl.example.org",
        DATABASE_URL="sqlite://:memory:",
        WSPL_RELEASE="test",
        **env,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_the_deploy_check_refuses_a_page_cache_without_redis_and_passes_production_settings_without_one():
    refused = deploy_check(DJANGO_PAGE_CACHE_SECONDS="60")
    passed = deploy_check()

    assert refused.returncode != 0 and "wspl.E002" in refused.stderr + refused.stdout
    assert passed.returncode == 0, passed.stderr
