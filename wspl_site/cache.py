"""The anonymous page cache, and the data version that makes it never serve stale pages.

What is cached: the full response of a GET by an anonymous visitor (no session and no
messages cookie), status 200, that sets no cookie, used no CSRF token, did not touch
the session and varies on nothing but the language and the cookie. Logged-in users,
pages with messages or forms with a CSRF token, redirects and errors always go to the
view. The key is the absolute URL (scheme, host, path, query), the active language
(it is in the URL prefix, /en/…, but /dane/… reads it from the browser) and today's
date in Warsaw (pages say "today" and "tomorrow").

Invalidation by construction: every entry carries the *data version* it was rendered
under, and is used only while that version is current. The version changes after
every committed write to a table of the public apps (partnerships, members, events),
whatever made it: save(), delete(), m2m changes, `QuerySet.update()` (the admin's
publish actions), `bulk_create()`, raw SQL through Django's connection, a migration
or a test database flush. It is caught where all of them meet: a database execute
wrapper sees each INSERT/UPDATE/DELETE/TRUNCATE and bumps the version after the
transaction commits (`transaction.on_commit`), or at once in autocommit. The version
is read *before* the page is rendered, and bumped *after* the data is committed, so
an entry rendered from old data always carries an old version. Time alone (an event
that has just ended) changes a page within PAGE_CACHE_SECONDS at most.

Responses rendered inside an open transaction are never cached nor served from the
cache: they may show uncommitted data (this also keeps the test suite, which runs
each test in a transaction, out of the cache). The version lives in the same cache
as the pages: it must be shared by every process, so the cache is on by default only
with Redis (REDIS_URL); see settings.PAGE_CACHE_SECONDS.

Browsers and proxies get `Cache-Control: public, no-cache` with a strong ETag and
Last-Modified: they may keep the page but must ask again, and a 304 answers when
nothing changed.
"""

import hashlib
import logging
import re
import time
from email.utils import formatdate

from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import cc_delim_re, patch_cache_control
from django.utils.http import parse_http_date_safe

logger = logging.getLogger(__name__)

VERSION_KEY = "wspl:data-version"
PAGE_PREFIX = "wspl:page:"
# Tables of these apps hold what the public pages show (their m2m and history tables too).
PUBLIC_APPS = ("partnerships", "members", "events")
ALLOWED_VARY = {"cookie", "accept-language"}
# Cookies that change what a page shows: the session (a logged-in user) and queued messages.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, getattr(settings, "MESSAGE_COOKIE_NAME", "messages"))

_WRITE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+(?:ONLY\s+)?["`]?(\w+)', re.IGNORECASE
)
_PUBLIC_TABLE = re.compile(r"^(?:{})_".format("|".join(PUBLIC_APPS)))


# --- the data version ----------------------------------------------------------------------------------------------


def _fresh_version():
    """A starting value above any earlier one: a version key lost from the cache must never reuse a value."""
    return time.time_ns()


def data_version():
    """The current data version (created when missing)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _fresh_version(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def bump_version(**kwargs):
    """Make every cached page out of date. Never raises: a failing cache must not fail a write."""
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # no version yet (or it was evicted): start above every earlier value
            cache.set(VERSION_KEY, _fresh_version(), timeout=None)
    except Exception:  # noqa: BLE001 - the cache server may be down; entries then expire by their timeout
        logger.exception("could not bump the page cache's data version")


def writes_public_table(sql):
    """True for an INSERT, UPDATE, DELETE or TRUNCATE of a public app's table."""
    if sql[:6].upper() == "SELECT":
        return False
    match = _WRITE.match(sql)
    if match is None:
        return False
    if sql.lstrip()[:8].upper() == "TRUNCATE":  # one statement may empty many tables
        return any(_PUBLIC_TABLE.match(name.lower()) for name in re.findall(r'["`]?(\w+)["`]?', sql[9:]))
    return bool(_PUBLIC_TABLE.match(match.group(1).lower()))


def _bump_after_commit():
    bump_version()


def track_writes(execute, sql, params, many, context):
    """Execute wrapper: a write to a public table bumps the data version once it is committed."""
    result = execute(sql, params, many, context)
    if writes_public_table(sql):
        db = context["connection"]
        if db.in_atomic_block:
            # One callback per transaction is enough; a rolled-back savepoint drops its own, so look again.
            if not any(entry[1] is _bump_after_commit for entry in db.run_on_commit):
                transaction.on_commit(_bump_after_commit, using=db.alias)
        else:
            bump_version()
    return result


def install_write_tracking(sender=None, connection=None, **kwargs):
    """Put the wrapper on a database connection (connection_created), outermost, once."""
    targets = [connection] if connection is not None else connections.all()
    for db in targets:
        if track_writes not in db.execute_wrappers:
            # First in the list, so a caller's `with connection.execute_wrapper(...)` pops its own wrapper.
            db.execute_wrappers.insert(0, track_writes)


def versioned(name, compute, *, timeout=60):
    """compute(), kept for `timeout` seconds while the data version stays the same: heavy fragments.

    For what every anonymous page shows the same (the network's figures, the filter counts);
    the key holds today's date and the minute, so what depends on the clock is at most a minute old.
    Computed afresh when the cache is off or inside a transaction (uncommitted data).
    """
    if not enabled() or connection.in_atomic_block:
        return compute()
    key = f"wspl:fragment:{name}:{timezone.localdate().isoformat()}:{int(time.time() // 60)}"
    try:
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        if version is None:
            version = data_version()
        entry = found.get(key)
        if entry is not None and entry[0] == version:
            return entry[1]
    except Exception:  # noqa: BLE001
        logger.exception("fragment cache unavailable")
        return compute()
    value = compute()
    try:
        cache.set(key, (version, value), timeout=timeout)
    except Exception:  # noqa: BLE001
        logger.exception("could not store a fragment in the cache")
    return value


# --- the middleware ------------------------------------------------------------------------------------------------


def enabled():
    return settings.PAGE_CACHE_SECONDS > 0


def page_key(request):
    today = timezone.localdate().isoformat()
    raw = "|".join((request.build_absolute_uri(), getattr(request, "LANGUAGE_CODE", ""), today))
    return PAGE_PREFIX + hashlib.md5(raw.encode(), usedforsecurity=False).hexdigest()


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
    directives = cc_delim_re.split(request.headers.get("Cache-Control", "").lower())
    return "no-cache" in directives or "no-cache" in request.headers.get("Pragma", "").lower()


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
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        etag = response["ETag"]
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        matched = "*" in tags or etag.removeprefix("W/") in tags
    else:
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        # HTTP dates have whole seconds: only a date strictly after the render proves the copy is as new.
        matched = since is not None and since > rendered_at
    if not matched:
        return None
    reply = HttpResponseNotModified()
    for header in ("ETag", "Last-Modified", "Cache-Control", "Vary", "Content-Language"):
        if response.has_header(header):
            reply[header] = response[header]
    return reply


class AnonymousPageCacheMiddleware:
    """Serves anonymous GETs from the cache while the data version they were rendered under is current.

    It sits right after LocaleMiddleware, so the language is known and the cheap outer
    middleware (security headers, WhiteNoise) still applies to cached pages.
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
        key = page_key(request)
        try:
            found = cache.get_many([VERSION_KEY, key])
            version = found.get(VERSION_KEY)
            if version is None:
                version = data_version()
        except Exception:  # noqa: BLE001 - with the cache down, pages are rendered as if there were no cache
            logger.exception("page cache unavailable")
            return self.get_response(request)
        entry = found.get(key)
        if entry is not None and entry[0] == version and not wants_fresh(request):
            return self.from_entry(request, entry)
        rendered_at = time.time()
        response = self.get_response(request)
        if is_storable(request, response):
            add_validators(response, rendered_at)
            headers = [(name, value) for name, value in response.items()]
            try:
                cache.set(
                    key,
                    (version, rendered_at, headers, response.content),
                    timeout=settings.PAGE_CACHE_SECONDS,
                )
            except Exception:  # noqa: BLE001
                logger.exception("could not store a page in the cache")
            response["X-Page-Cache"] = "miss"
            return not_modified(request, response, rendered_at) or response
        return response

    def from_entry(self, request, entry):
        _version, rendered_at, headers, content = entry
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return not_modified(request, response, rendered_at) or response
