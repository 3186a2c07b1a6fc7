"""With Redis out of reach the site goes on serving its pages, rendered afresh, and writes still save.

The real Redis backend of settings.py, at a port where nothing listens (not a stand-in object): the page
cache, the fragments and the data version all fail on a refused connection. Pages are then rendered as if
there were no cache (a worker's own copies are not used either: without the data version nothing proves
them current), and the failure goes to the log.
"""

import logging

import pytest
from django.test import Client
from django.urls import reverse

from common.cache import pages as page_cache
from common.cache.version import local_fragments
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def redis_down(settings):
    settings.PAGE_CACHE_SECONDS = 60
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "common.cache.redis_backend.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
    }
    page_cache.local_pages.clear()
    local_fragments.clear()
    yield
    page_cache.local_pages.clear()
    local_fragments.clear()


@pytest.mark.usefixtures("redis_down")
@pytest.mark.parametrize("name", ["home", "partnerships:list", "partnerships:detail", "events:list"])
def test_pages_still_render_while_redis_is_out_of_reach(name, caplog):
    partnership = factories.partnership(name="Partnerstwo Pod Lipami", summary="Sąsiedzi razem.")
    url = reverse(name, kwargs={"slug": partnership.slug} if name == "partnerships:detail" else None)

    with caplog.at_level(logging.ERROR, logger="common.cache"):
        first, second = Client().get(url), Client().get(url)

    assert first.status_code == second.status_code == 200
    assert "X-Page-Cache" not in first and "X-Page-Cache" not in second  # neither stored nor served from a cache
    if name.startswith("partnerships:"):
        assert "Partnerstwo Pod Lipami" in second.content.decode()
    assert "page cache unavailable" in caplog.messages


@pytest.mark.usefixtures("redis_down")
def test_a_change_saved_while_redis_is_out_of_reach_shows_at_once():
    partnership = factories.partnership(name="Partnerstwo Pod Lipami")
    url = reverse("partnerships:detail", kwargs={"slug": partnership.slug})
    assert "Pod Lipami" in Client().get(url).content.decode()

    partnership.name = "Partnerstwo Nad Stawem"
    partnership.save()  # the bump of the data version fails; the write does not

    assert "Nad Stawem" in Client().get(url).content.decode()
