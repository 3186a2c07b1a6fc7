"""The data version: one number that changes after every committed write to the public data.

Every cached page and fragment carries the version it was computed under and is used only
while that version is current, so nothing cached outlives a change (invalidation by
construction). The version changes after every committed write to a table of the public
apps (partnerships, members, events; not the few of their tables no page shows,
settings.DATA_VERSION_PRIVATE_TABLES), whatever made it: save(), delete(), m2m changes,
`QuerySet.update()` (the admin's publish actions), `bulk_create()`, raw SQL through Django's
connection, a migration or a test database flush. It is caught where all of them meet: a
database execute wrapper sees each INSERT/UPDATE/DELETE/TRUNCATE and bumps the version after
the transaction commits (`transaction.on_commit`), or at once in autocommit. The version is
read *before* anything is computed and bumped *after* the data is committed, so what was
computed from old data always carries an old version.

Correct under failure: a bump that fails (the cache server unreachable at commit) is made
again at the next read of the version in that process. A change that bumps nothing (a write
made with psql) outlives no copy a process keeps by more than LOCAL_COPY_SECONDS (LocalLRU),
and the shared copies by their timeouts (PAGE_CACHE_SECONDS for pages; for fragments their
clock, or TIMELESS_TIMEOUT). Every key also carries settings.RELEASE_ID, so two releases of
the code running side by side during a deploy never read each other's pickles.

It lives in the shared cache (Redis when REDIS_URL is set), because every process must see
the same number; that is why the caches built on it are on by default only with Redis
(settings.PAGE_CACHE_SECONDS). With Redis every bump is announced to every process, and each
keeps its own copy from the announcements, so reading the version costs no round trip
(common/cache/redis_backend.py says how a lost announcement is caught). The page cache itself
is common/cache/pages.py; `versioned()` here serves heavy fragments (the network's figures,
filter counts) to every app.
"""

import contextlib
import contextvars
import hashlib
import logging
import pickle
import re
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

VERSION_KEY = "wspl:data-version"

_WRITE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+(?:ONLY\s+)?["`]?(\w+)', re.IGNORECASE
)
_PUBLIC_TABLE = re.compile(r"^(?:{})_".format("|".join(settings.DATA_VERSION_APPS)))
_PRIVATE_TABLES = frozenset(settings.DATA_VERSION_PRIVATE_TABLES)


def _fresh_version():
    """A starting value above any earlier one: a version key lost from the cache must never reuse a value."""
    return time.time_ns()


def data_version():
    """The current data version (created when missing).

    With Redis (common/cache/redis_backend.py) each process keeps its own copy, told of every
    change as it is committed (at worst a second late when an announcement is lost), so
    reading it costs no round trip; another cache is asked.
    """
    if owed_bumps:
        bump_version()
    counter = getattr(cache, "counter", None)
    version = cache.get(VERSION_KEY) if counter is None else counter(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _fresh_version(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


# Bumps that failed in this process (the cache server out of reach): the next read of the version makes them good
# (data_version()), so a change committed meanwhile is not left unseen once the server is back.
owed_bumps = 0
owed_lock = threading.Lock()


def bump_version(**kwargs):
    """Make every cached page out of date. Never raises: a failing cache must not fail a write."""
    global owed_bumps
    owed = owed_bumps  # failed before this bump began, so this one comes after their changes: it makes them good
    try:
        bump_counter = getattr(cache, "bump_counter", None)
        if bump_counter is not None:  # Redis: one atomic step that also tells every process
            bump_counter(VERSION_KEY, _fresh_version())
        else:
            try:
                cache.incr(VERSION_KEY)
            except ValueError:  # no version yet (or it was evicted): start above every earlier value
                cache.set(VERSION_KEY, _fresh_version(), timeout=None)
    except Exception:  # noqa: BLE001 - the cache server may be down: bumped again at the next read of the version
        with owed_lock:
            owed_bumps += 1
        logger.exception("could not bump the page cache's data version")
    else:
        if owed:
            with owed_lock:
                owed_bumps -= owed


def writes_public_table(sql):
    """True for an INSERT, UPDATE, DELETE or TRUNCATE of a public app's table."""
    if sql[:6].upper() == "SELECT":
        return False
    match = _WRITE.match(sql)
    if match is None:
        return False
    if sql.lstrip()[:8].upper() == "TRUNCATE":  # one statement may empty many tables
        return any(_PUBLIC_TABLE.match(name.lower()) for name in re.findall(r'["`]?(\w+)["`]?', sql[9:]))
    table = match.group(1).lower()
    return bool(_PUBLIC_TABLE.match(table)) and table not in _PRIVATE_TABLES


class WriteTracker:
    """Execute wrapper of one database connection: a write to a public table bumps the version once committed.

    In autocommit the version is bumped at once. In a transaction each write asks, through
    `transaction.on_commit`, for `committed()` to run after the commit; the first of those
    bumps the version and the others find nothing left to do, so a transaction bumps it once.
    A rolled-back savepoint or transaction drops the callbacks of its own writes (Django
    does), so a write that was undone leaves nothing behind, and a write after it asks again.
    Each connection has its own tracker, as it has its own transactions.
    """

    def __init__(self):
        self.pending = False

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if writes_public_table(sql):
            db = context["connection"]
            if db.in_atomic_block:
                self.pending = True
                transaction.on_commit(self.committed, using=db.alias)
            else:
                bump_version()
        return result

    def committed(self):
        if self.pending:
            self.pending = False
            bump_version()


def install_write_tracking(sender=None, connection=None, **kwargs):
    """Put a WriteTracker on a database connection (connection_created), outermost, once."""
    targets = [connection] if connection is not None else connections.all()
    for db in targets:
        if not any(isinstance(wrapper, WriteTracker) for wrapper in db.execute_wrappers):
            # First in the list, so a caller's `with connection.execute_wrapper(...)` pops its own wrapper.
            db.execute_wrappers.insert(0, WriteTracker())


def enabled():
    """Caches built on the data version are on (settings.PAGE_CACHE_SECONDS > 0)."""
    return settings.PAGE_CACHE_SECONDS > 0


# How long a value that does not move with the time is kept: only a change of the data makes it out of date,
# so this only bounds how long an unused value takes room in the cache.
TIMELESS_TIMEOUT = 3600


def versioned(name, compute, *, timeout=None, clock=True):
    """compute(), kept while the data version stays the same (common.cache.cached_fragment is the site's API).

    `name` must say everything the value depends on besides the data (the language, a filter).
    Every value is keyed by today's date in Warsaw. With `clock` the key also holds the minute
    (or, given a number, that many seconds), so what depends on the time ("upcoming") is at
    most that old, and kept that long; without `clock`, for TIMELESS_TIMEOUT (or `timeout`)
    seconds. Computed afresh when the cache is off or inside a transaction (uncommitted data).
    """
    if not enabled() or connection.in_atomic_block:
        return compute()
    try:
        version = current_version()
    except Exception:  # noqa: BLE001 - with the cache down, everything is computed
        logger.exception("fragment cache unavailable")
        return compute()
    period = 60 if clock is True else clock
    minute = int(time.time() // period) if period else ""
    if timeout is None:
        timeout = period or TIMELESS_TIMEOUT
    today = timezone.localdate().isoformat()
    key = f"wspl:fragment:{hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()}:{today}:{minute}"
    [(_version, value)] = kept_many(
        [key], lambda _indexes: [(version, compute())], timeout=timeout, usable=lambda entry: entry[0] == version
    )
    return value


# The longest any process keeps a copy of what is shared (a page, a fragment) in its own memory. The data version
# makes a copy out of date at once; this bound is for when a change moved no version (a bump lost while the cache
# server was out of reach, a write made with psql): no process serves such a copy for longer than this.
LOCAL_COPY_SECONDS = 60


class LocalLRU:
    """A small LRU in this process's memory, bounded by bytes and by time.

    `size(entry)` says how many bytes an entry takes; the least recently used go first when
    the entries take more than `limit`. An entry is served for at most `max_age` seconds
    after it was put (never more than LOCAL_COPY_SECONDS), by `clock` (monotonic seconds;
    tests give one they move by hand).
    """

    def __init__(self, limit, *, size=len, max_age=LOCAL_COPY_SECONDS, clock=time.monotonic):
        if not 0 < max_age <= LOCAL_COPY_SECONDS:
            raise ValueError(f"a process keeps a copy for 0 to {LOCAL_COPY_SECONDS} seconds, not {max_age}")
        self.limit = limit
        self.measure = size
        self.max_age = max_age
        self.clock = clock
        self.size = 0
        self.entries = OrderedDict()  # key: (the clock's time when it expires, entry)
        self.lock = threading.Lock()

    def get(self, key):
        """The entry kept under `key`, or None when there is none or it is older than max_age."""
        with self.lock:
            kept = self.entries.get(key)
            if kept is None:
                return None
            expires, entry = kept
            if self.clock() >= expires:
                del self.entries[key]
                self.size -= self.measure(entry)
                return None
            self.entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        size = self.measure(entry)
        if size > self.limit:
            return
        expires = self.clock() + self.max_age
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= self.measure(old[1])
            self.entries[key] = (expires, entry)
            self.size += size
            while self.size > self.limit:
                _key, (_expires, dropped) = self.entries.popitem(last=False)
                self.size -= self.measure(dropped)

    def values(self):
        """The entries kept now, the least recently used first (expired ones included until they are asked for)."""
        with self.lock:
            return [entry for _expires, entry in self.entries.values()]

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.size = 0


# What each process keeps of the shared cache's fragments in its own memory (the bytes of their pickles): a
# fragment this worker read or made before costs no round trip. The same rules hold as for the shared copy:
# a fragment is used only under the data version it carries, or is named by its content (iCal blocks).
LOCAL_FRAGMENT_BYTES = 16 * 1024 * 1024
local_fragments = LocalLRU(LOCAL_FRAGMENT_BYTES)


def release_key(key):
    """`key` as this release of the code stores it: old and new code running side by side never share pickles."""
    return f"{settings.RELEASE_ID}:{key}"


def kept_many(keys, build, *, timeout, usable=None):
    """For each key its value from the cache, or built and stored for `timeout` seconds.

    `build(indexes)` gives the values of the keys at those indexes, in their order: once, for all that are
    missing, so the caller can read their data in one go. This worker's copies first (local_fragments), then
    one read of the shared cache for the rest and at most one write; `usable(value)` may refuse a kept value
    (one of an older data version). Keys are this release's own (release_key). A failing cache builds every
    value and raises nothing.
    """
    release = settings.RELEASE_ID
    keys = [f"{release}:{key}" for key in keys]
    values, wanted = [None] * len(keys), []
    for index, key in enumerate(keys):
        kept = local_fragments.get(key)
        value = pickle.loads(kept) if kept is not None else None  # noqa: S301 - our own pickles, in our memory
        if value is not None and (usable is None or usable(value)):
            values[index] = value
        else:
            wanted.append(index)
    if not wanted:
        return values
    try:
        found = cache.get_many([keys[index] for index in wanted])
    except Exception:  # noqa: BLE001
        logger.exception("cache unavailable")
        for index, value in zip(wanted, build(wanted), strict=True):
            values[index] = value
        return values
    unbuilt = []
    for index in wanted:
        value = found.get(keys[index])
        if value is None or (usable is not None and not usable(value)):
            unbuilt.append(index)
        else:
            values[index] = value
    missing = {}
    for index, value in zip(unbuilt, build(unbuilt) if unbuilt else (), strict=True):
        values[index] = missing[keys[index]] = value
    for index in wanted:
        local_fragments.put(keys[index], pickle.dumps(values[index], pickle.HIGHEST_PROTOCOL))
    if missing:
        try:
            cache.set_many(missing, timeout=timeout)
        except Exception:  # noqa: BLE001
            logger.exception("could not store values in the cache")
    return values


# The version read when an anonymous request began (common.cache.pages pins it): every fragment of the page is
# checked against it, with no second read, and all of them belong to the same version.
_pinned = contextvars.ContextVar("wspl_data_version", default=None)


def current_version():
    """The version pinned for this request, else the version in the cache now."""
    version = _pinned.get()
    return data_version() if version is None else version


@contextlib.contextmanager
def pinned_version(version):
    """Within the block, fragments are checked against `version` (read before the page is rendered)."""
    token = _pinned.set(version)
    try:
        yield
    finally:
        _pinned.reset(token)
