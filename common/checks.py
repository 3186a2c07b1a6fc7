"""System checks of the caching: a set-up that cannot be correct is refused (`manage.py check`, `check --deploy`)."""

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.checks import Error, Tags, register


@register(Tags.caches)
def check_page_cache_is_shared(app_configs, **kwargs):
    """The page and fragment caches need a cache every process shares: the data version lives there.

    With the default cache in each process's own memory, a change saved by one worker moves
    only that worker's version, and the others go on serving pages from before it. Debug
    mode (one development server) is left alone.
    """
    if settings.DEBUG or settings.PAGE_CACHE_SECONDS <= 0 or not isinstance(caches["default"], LocMemCache):
        return []
    return [
        Error(
            f"The page cache is on (DJANGO_PAGE_CACHE_SECONDS={settings.PAGE_CACHE_SECONDS}) but the default cache "
            "is each process's own memory: a change saved in one process would not reach the pages the others "
            "serve.",
            hint="Set REDIS_URL to a Redis every process shares, or DJANGO_PAGE_CACHE_SECONDS=0 to turn the page "
            "cache off.",
            id="wspl.E002",
        )
    ]
