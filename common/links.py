"""Addresses of pages named by a slug, reversed once per page kind rather than once per row.

A list of a hundred organisations or events builds a hundred addresses; Django's reverse() takes about 60 µs
each here (it matches the arguments against every pattern of the name), a tenth of such a page's time when
nothing is cached. The address of a page kind around its slug depends only on the URLconf, the language and the
script prefix, so it is reversed once for each of those and kept for the life of the process (bounded).
"""

import functools
from urllib.parse import quote

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

MARK = "slug-mark"  # a valid slug that no address contains elsewhere


@functools.lru_cache(maxsize=256)
def _around_slug(viewname, language, script_prefix, urlconf):
    """(before, after): the address of `viewname` on each side of its slug (reversed in the active language)."""
    before, after = reverse(viewname, kwargs={"slug": MARK}).split(MARK)
    return before, after


def slug_url(viewname, slug):
    """reverse(viewname, kwargs={"slug": slug}), the same address, cheaply."""
    before, after = _around_slug(viewname, get_language(), get_script_prefix(), get_urlconf())
    return f"{before}{quote(slug)}{after}"
