"""The anonymous page cache: whole pages, used only while the data version they were rendered under is current.

What is cached: the full response of a GET by an anonymous visitor (no session and no
messages cookie), status 200, that sets no cookie, used no CSRF token, did not touch
the session and varies on nothing but the language and the cookie. Logged-in users,
pages with messages or forms with a CSRF token, redirects and errors always go to the
view. The key is the absolute URL (scheme, host, path, query), the language the page
is in (from the URL prefix, /en/…, or for the few unprefixed addresses such as /dane/…
from the visitor's cookie and browser, exactly as LocaleMiddleware decides it) and
today's date in Warsaw (pages say "today" and "tomorrow").

Invalidation by construction: every entry carries the data version
(common/cache/version.py) it was rendered under, read *before* the page is rendered,
and is used only while that version is current; the version changes after every
committed write to the public data, so a page rendered from old data always carries an
old version. Time alone (an event that has just ended) changes a page within
PAGE_CACHE_SECONDS at most. Responses rendered inside an open transaction are never
cached nor served from the cache: they may show uncommitted data (this also keeps the
test suite, which runs each test in a transaction, out of the cache).

Speed: the middleware sits in front of the session, locale, CSRF and authentication
middleware, so a hit runs none of them. Each worker keeps the entries it served last
in its own memory (an LRU bounded in bytes and to LOCAL_COPY_SECONDS), so a hit costs
one small read of the version from the shared cache; the page itself comes from the
shared cache only the first time a worker sees it after a change, or after a minute.
Keys carry the release of the code (settings.RELEASE_ID): during a deploy old and new
code never serve each other's pages.

Browsers and proxies get `Cache-Control: public, no-cache` with a strong ETag and
Last-Modified: they may keep the page but must ask again, and a 304 answers when
nothing changed.
"""

import hashlib
import logging
import time
from email.utils import formatdate

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone, translation
from django.utils.cache import cc_delim_re, patch_cache_control
from django.utils.http import parse_http_date_safe

from common.cache.version import LocalLRU, data_version, enabled, pinned_version

logger = logging.getLogger(__name__)

PAGE_PREFIX = "wspl:page:"
ALLOWED_VARY = {"cookie", "accept-language"}
# Cookies that change what a page shows: the session (a logged-in user) and queued messages.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, getattr(settings, "MESSAGE_COOKIE_NAME", "messages"))
# What each worker keeps of the shared cache in its own memory (bytes of page content), each for a minute at most.
LOCAL_BYTES = 32 * 1024 * 1024


def page_bytes(entry):
    """What a kept page (version, time rendered, headers, content) takes, counted by its content."""
    return len(entry[3])


local_pages = LocalLRU(LOCAL_BYTES, size=page_bytes)


def page_id(request):
    """What a cached page depends on: the release of the code, scheme, host, path and query, its language and
    today's date in Warsaw.

    The release (settings.RELEASE_ID) keeps old and new code apart while both serve during
    a deploy. The Host header is taken as sent: a page is stored only after a successful
    render, which Django refuses for a host outside ALLOWED_HOSTS, so no entry exists for one.
    """
    return (
        settings.RELEASE_ID,
        request.scheme,
        request.META.get("HTTP_HOST", ""),
        request.get_full_path(),
        translation.get_language_from_request(request, check_path=True),
        timezone.localdate().isoformat(),
    )


def page_key(page):
    """The shared cache's key for a page_id()."""
    return PAGE_PREFIX + hashlib.md5("|".join(page).encode(), usedforsecurity=False).hexdigest()


def is_candidate(request):
    """A request the cache may answer: an anonymous GET outside any transaction."""
    return (
        enabled()
        and request.method == "GET"
        and not any(name in request.COOKIES for name in PERSONAL_COOKIES)
        and not connection.in_atomic_block
    )


def wants_fresh(request):
    """A reload that asks for a fresh page (Cache-Control: no-cache, Pragma: no-cache)."""
    control, pragma = request.META.get("HTTP_CACHE_CONTROL"), request.META.get("HTTP_PRAGMA")
    return bool(control and "no-cache" in cc_delim_re.split(control.lower())) or bool(
        pragma and "no-cache" in pragma.lower()
    )


def is_storable(request, response):
    """A response that is the same for every anonymous visitor of this URL."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    if not vary <= ALLOWED_VARY:
        return False
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in ("private", "no-store"))


def add_validators(response, rendered_at):
    """ETag, Last-Modified and `Cache-Control: public, no-cache` (keep it, but ask again each time)."""
    if not response.has_header("ETag"):
        response["ETag"] = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
    if not response.has_header("Last-Modified"):
        response["Last-Modified"] = formatdate(int(rendered_at), usegmt=True)
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, public=True, no_cache=True)


def not_modified(request, response, rendered_at):
    """304 when the visitor's copy is this one: by ETag, or a date after this page was rendered."""
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if_modified_since = request.META.get("HTTP_IF_MODIFIED_SINCE")
    if if_none_match is not None:
        etag = response["ETag"]
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        matched = "*" in tags or etag.removeprefix("W/") in tags
    elif if_modified_since is not None:
        since = parse_http_date_safe(if_modified_since)
        # HTTP dates have whole seconds: only a date strictly after the render proves the copy is as new.
        matched = since is not None and since > rendered_at
    else:
        return None
    if not matched:
        return None
    reply = HttpResponseNotModified()
    for header in ("ETag", "Last-Modified", "Cache-Control", "Vary", "Content-Language"):
        if response.has_header(header):
            reply[header] = response[header]
    return reply


class AnonymousPageCacheMiddleware:
    """Serves anonymous GETs from the cache while the data version they were rendered under is current.

    It sits right after WhiteNoise: the security headers still apply to cached pages, and a
    hit runs no session, locale, CSRF or authentication middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_candidate(request):
            response = self.get_response(request)
            if any(name in request.COOKIES for name in PERSONAL_COOKIES) and not response.has_header("Cache-Control"):
                # A logged-in visitor's page: never for shared caches.
                patch_cache_control(response, private=True, no_cache=True)
            return response
        page = page_id(request)
        fresh = wants_fresh(request)
        try:
            version = data_version()
            entry = None if fresh else self.lookup(page, version)
        except Exception:  # noqa: BLE001 - with the cache down, pages are rendered as if there were no cache
            logger.exception("page cache unavailable")
            return self.get_response(request)
        if entry is not None:
            return self.from_entry(request, entry)
        rendered_at = time.time()
        with pinned_version(version):  # the page's fragments are checked against the same version
            response = self.get_response(request)
        if is_storable(request, response):
            add_validators(response, rendered_at)
            # A reload asking for a fresh page leaves a copy of the same version where it is.
            if not (fresh and self.kept_locally(page, version)):
                self.store(page, (version, rendered_at, tuple(response.items()), response.content))
            response["X-Page-Cache"] = "miss"
            return not_modified(request, response, rendered_at) or response
        return response

    @staticmethod
    def store(page, entry):
        try:
            cache.set(page_key(page), entry, timeout=settings.PAGE_CACHE_SECONDS)
        except Exception:  # noqa: BLE001
            logger.exception("could not store a page in the cache")
        else:
            local_pages.put(page, entry)

    @staticmethod
    def kept_locally(page, version):
        """This worker's copy of the page, if it is of this version, rendered less than PAGE_CACHE_SECONDS ago and
        kept here for less than LOCAL_COPY_SECONDS (the LRU's own bound)."""
        entry = local_pages.get(page)
        if entry is not None and entry[0] == version and time.time() - entry[1] < settings.PAGE_CACHE_SECONDS:
            return entry
        return None

    def lookup(self, page, version):
        """The entry for this page rendered under this version: from this worker's memory, else the shared cache."""
        entry = self.kept_locally(page, version)
        if entry is not None:
            return entry
        entry = cache.get(page_key(page))
        if entry is not None and entry[0] == version:
            local_pages.put(page, entry)
            return entry
        return None

    @staticmethod
    def from_entry(request, entry):
        _version, rendered_at, headers, content = entry
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return not_modified(request, response, rendered_at) or response
