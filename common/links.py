"""Addresses of pages named by a slug, reversed once per page kind rather than once per row.

A list of a hundred organisations or events builds a hundred addresses; Django's reverse() takes about 60 µs
each here (it matches the arguments against every pattern of the name), a tenth of such a page's time when
nothing is cached. The address of a page kind around its slug depends only on the URLconf, the language and the
script prefix, so it is reversed once for each of those and kept for the life of the process (bounded).
"""

import functools
from datetime import date
from urllib.parse import quote

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

MARK = "slug-mark"  # a valid slug that no address contains elsewhere
DAY_MARK = date(1111, 11, 11)


@functools.lru_cache(maxsize=256)
def _around_slug(viewname, with_day, language, script_prefix, urlconf):
    """(before, after): the address of `viewname` on each side of its slug (reversed in the active language)."""
    kwargs = {"slug": MARK, "day": DAY_MARK} if with_day else {"slug": MARK}
    before, after = reverse(viewname, kwargs=kwargs).split(MARK)
    return before, after


def slug_url(viewname, slug, *, day=None):
    """reverse(viewname, kwargs={"slug": slug}) (with "day" too when given, a date), the same address, cheaply."""
    before, after = _around_slug(viewname, day is not None, get_language(), get_script_prefix(), get_urlconf())
    if day is not None:
        after = after.replace(DAY_MARK.isoformat(), day.isoformat(), 1)
    return f"{before}{quote(slug)}{after}"


def slug_urls(viewname):
    """A function giving slug_url(viewname, slug) for the many rows of one list: the language and the URLconf
    are looked up once (each such lookup is a context-local read)."""
    before, after = _around_slug(viewname, False, get_language(), get_script_prefix(), get_urlconf())
    return lambda slug: f"{before}{quote(slug)}{after}"
