"""The site's caching, in one place, with one small API.

* `cached_fragment(name, compute, *, request=None, moves_with_time=False)`: compute(), kept in the shared
  cache while the data version stays the same — what every anonymous visitor sees alike (a partnership's
  team, a list's count, the network's figures). In templates the same is `{% cached_fragment "name" %}…
  {% endcached_fragment %}` (common/templatetags/wspl_lists.py) around a part of a page.
* The page cache (`pages.AnonymousPageCacheMiddleware`): whole anonymous pages.
* The data version (`version.data_version()`, `version.bump_version()`): one number that moves after every
  committed write to a domain table; everything above is stamped with it and used only while it is current,
  so nothing cached outlives a change (see version.py for how, and for what happens when the cache fails).

Every copy a worker keeps in its own memory is bounded in size and at most a minute old; every key carries
the release id.
"""

from urllib.parse import urlencode

from .version import versioned

# The parameters that carry a page of a list: its number, or the row it comes after or before (keyset links).
PAGE_PARAMETERS = ("page", "po", "przed")


def cached_fragment(name, compute, *, request=None, moves_with_time=False):
    """compute(), kept while the data version stays the same.

    `name` must say everything the value depends on besides the public data (the language, the filters, the
    object's key). With `moves_with_time` the value is also kept at most a minute (or, given a number, that many
    seconds): for what depends on the time, such as "upcoming". Given the `request`, only anonymous visitors
    share it: a logged-in user may see unpublished rows or edit links, and gets it computed. Computed afresh too
    when the caches are off (settings.PAGE_CACHE_SECONDS = 0) or inside a transaction.
    """
    if request is not None and request.user.is_authenticated:
        return compute()
    return versioned(name, compute, clock=moves_with_time)


def address_key(request, *, ignore=PAGE_PARAMETERS):
    """The address of a request as a cache key's name, without the parameters that do not matter."""
    params = sorted((key, value) for key, values in request.GET.lists() if key not in ignore for value in values)
    return f"{request.path}?{urlencode(params)}"
