"""The data version as each process keeps it with Redis: told of every change, no round trip per read.

Against the Redis this machine runs (TEST_REDIS_URL, database 14); the writers are real
other processes, as gunicorn's workers are.
"""

import os
import subprocess
import sys
import time

import pytest
import redis
from django.test import Client
from django.urls import reverse
from redis.backoff import NoBackoff
from redis.retry import Retry

from common.cache import pages as page_cache
from common.cache import redis_backend as redis_cache
from common.cache import version as versioning
from common.cache.redis_backend import RedisCache
from tests import factories
from tests.common.test_cache import redis_url

KEY = versioning.VERSION_KEY
# Another process changes the data version, as a worker saving a form does.
BUMP_ELSEWHERE = (
    "import os, sys; sys.path.insert(0, os.getcwd());"
    "from common.cache.redis_backend import RedisCache;"
    "RedisCache(sys.argv[1], {}).bump_counter(sys.argv[2], int(sys.argv[3]))"
)
# A pool made from a URL does not retry a command on a dropped connection; a deployment may ask it to.
RETRYING = {"retry": Retry(NoBackoff(), 2), "retry_on_error": [redis.ConnectionError]}


@pytest.fixture
def backend():
    backend = RedisCache(redis_url(), {})
    backend.clear()
    yield backend
    backend.clear()


@pytest.fixture
def count_gets(backend, monkeypatch):
    """How many GETs this process sends for the counter (a wrapper around its feed's real client's get)."""
    backend.counter(KEY)  # the feed is made at the first read
    reader = feed_of(backend).reader
    calls = []
    real_get = reader.get

    def get(name):
        calls.append(name)
        return real_get(name)

    monkeypatch.setattr(reader, "get", get)
    return calls


@pytest.fixture
def announcements_only(monkeypatch):
    """No confirmation by asking Redis within the test: only the announcements can bring a change."""
    monkeypatch.setattr(redis_cache, "CONFIRM_SECONDS", 3600.0)


@pytest.fixture
def server(backend):
    return redis.Redis.from_url(redis_url())


def bump_in_another_process(backend, start=1):
    subprocess.run([sys.executable, "-c", BUMP_ELSEWHERE, redis_url(), KEY, str(start)], check=True, cwd=os.getcwd())
    return int(redis.Redis.from_url(redis_url()).get(backend.make_key(KEY)))


def feed_of(backend):
    return redis_cache.feeds[backend.feed_id(backend.make_key(KEY))]


def test_a_change_made_by_another_process_is_known_here_at_once(backend, announcements_only):
    backend.bump_counter(KEY, 100)
    assert backend.counter(KEY) == 100

    for _ in range(3):
        value = bump_in_another_process(backend)
        assert backend.counter(KEY) == value  # no waiting: the announcement is already here

    assert value == 103


def test_reading_the_version_asks_redis_at_most_once_a_second(backend, count_gets):
    backend.bump_counter(KEY, 100)
    backend.counter(KEY)
    count_gets.clear()

    values = {backend.counter(KEY) for _ in range(500)}

    assert values == {100}
    assert len(count_gets) <= 1  # the confirmation once a second, if the second has turned


def test_a_version_started_at_the_clock_keeps_every_digit(backend, announcements_only):
    backend.counter(KEY)  # subscribed
    start = time.time_ns()

    value = bump_in_another_process(backend, start)

    assert value == start and backend.counter(KEY) == start


def test_a_writer_knows_its_own_change_without_waiting(backend):
    backend.bump_counter(KEY, 100)
    backend.counter(KEY)

    assert backend.bump_counter(KEY, 100) == 101
    assert backend.counter(KEY) == 101


def test_a_missing_version_starts_at_the_given_value(backend):
    assert backend.counter(KEY) is None
    assert backend.bump_counter(KEY, 5_000) == 5_000
    assert backend.counter(KEY) == 5_000


@pytest.mark.parametrize("options", [{}, RETRYING], ids=["no retries", "retrying pool"])
def test_changes_made_while_the_subscription_was_cut_are_not_missed(options, server, announcements_only):
    backend = RedisCache(redis_url(), {"OPTIONS": options})
    backend.clear()
    backend.bump_counter(KEY, 100)
    assert backend.counter(KEY) == 100
    host, port = feed_of(backend).subscription.connection._sock.getsockname()[:2]
    server.execute_command("CLIENT", "KILL", "ADDR", f"{host}:{port}")

    value = bump_in_another_process(backend)  # announced to nobody here

    assert backend.counter(KEY) == value == 101
    bump_in_another_process(backend)
    assert backend.counter(KEY) == 102  # subscribed again, or reading Redis until it can
    backend.clear()


def test_a_change_that_was_never_announced_is_found_by_the_confirmation(backend, server, monkeypatch):
    backend.bump_counter(KEY, 100)
    assert backend.counter(KEY) == 100
    server.incr(backend.make_key(KEY))  # written behind the site's back: no announcement
    monkeypatch.setattr(redis_cache, "CONFIRM_SECONDS", 0.0)

    assert backend.counter(KEY) == 101
    assert backend.bump_counter(KEY, 1) == 102 and backend.counter(KEY) == 102  # subscribed anew, still hears


def test_the_site_reads_the_version_from_the_announcements(settings, backend, announcements_only):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "common.cache.redis_backend.RedisCache", "LOCATION": redis_url()},
    }
    first = versioning.data_version()  # made at the first visit
    assert versioning.data_version() == first
    value = bump_in_another_process(backend)

    assert value == first + 1
    assert versioning.data_version() == value


def test_a_counter_made_again_lower_is_followed_down(backend, server, monkeypatch):
    """Evicted or flushed, then made again by a host whose clock is behind: Redis's value wins."""
    backend.bump_counter(KEY, 2000)
    assert backend.counter(KEY) == 2000
    server.delete(backend.make_key(KEY))
    monkeypatch.setattr(redis_cache, "CONFIRM_SECONDS", 0.0)

    assert backend.counter(KEY) is None  # gone: the site makes a new one (versioning.data_version)
    assert bump_in_another_process(backend, 1000) == 1000
    assert backend.counter(KEY) == 1000
    assert bump_in_another_process(backend) == 1001 and backend.counter(KEY) == 1001


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_page_cached_by_this_worker_is_rendered_again_after_another_worker_changes_the_data(
    settings, backend, announcements_only
):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "common.cache.redis_backend.RedisCache", "LOCATION": redis_url()},
    }
    settings.PAGE_CACHE_SECONDS = 60
    page_cache.local_pages.clear()
    factories.partnership(name="Partnerstwo Pod Lipami")
    visitor, url = Client(), reverse("partnerships:list")
    visitor.get(url)
    assert visitor.get(url)["X-Page-Cache"] == "hit"

    bump_in_another_process(backend)  # what a save in another gunicorn worker does after its commit

    assert visitor.get(url)["X-Page-Cache"] == "miss"
    assert visitor.get(url)["X-Page-Cache"] == "hit"
    page_cache.local_pages.clear()


@pytest.fixture
def no_scripts_url(server):
    """A Redis user that may not run scripts, as some managed Redis services are set up."""
    name, password = f"wspl-test-noscript-{os.getpid()}", "haslo-testowe"
    server.acl_setuser(name, enabled=True, passwords=[f"+{password}"], keys=["*"], channels=["*"],
                       commands=["+@all", "-@scripting"])  # fmt: skip
    host, rest = redis_url().split("://", 1)[1].split("/", 1)
    yield f"redis://{name}:{password}@{host}/{rest}"
    server.acl_deluser(name)


def test_a_redis_refusing_scripts_still_gets_every_change(no_scripts_url, backend):
    refused = RedisCache(no_scripts_url, {})
    refused.bump_counter(KEY, 100)
    assert backend.counter(KEY) == 100

    assert refused.bump_counter(KEY, 100) == 101
    assert backend.counter(KEY) == 101 and refused.counter(KEY) == 101  # announced without the script
