"""Django's Redis cache backend, keeping one Redis client per connection pool, and announcing a counter.

Django's own client makes a new `redis.Redis` object for every cache call, and each one
builds its table of ~170 response callbacks: about a tenth of a millisecond, which is a
third of what serving a page from the cache costs. The client is thread-safe and shares
its connection pool, so one per pool serves every call.

The data version (partnerships/versioning.py) is read at the start of every anonymous
request. `bump_counter()` announces each new value on a Redis channel and `counter()`
reads this process's copy, kept from those announcements (`CounterFeed`): a look at a
socket instead of a round trip, which was most of what serving a cached page cost.
"""

import contextlib
import logging
import os
import threading
import time

import redis
from django.core.cache.backends import redis as django_redis

logger = logging.getLogger(__name__)


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


# A counter that every process reads on every anonymous request (the data version): bump_counter() announces
# each new value, so each process keeps it from the announcements instead of asking Redis each time.
# Stored and announced in one atomic step. The value is read back with GET and published as Redis's own string:
# a Lua number is a double, which would round a value started at time_ns().
_BUMP = """
redis.call('SET', KEYS[1], ARGV[2], 'NX')
redis.call('INCR', KEYS[1])
local value = redis.call('GET', KEYS[1])
redis.call('PUBLISH', ARGV[1], value)
return value
"""
# How often a process compares what it heard with Redis itself (a dead subscription is found within this).
CONFIRM_SECONDS = 1.0
# After this many announcements at once the socket may have been full: ask Redis too.
BURST = 100
# After a failed subscription, how long the counter is read from Redis on every call before trying again.
RETRY_SECONDS = 5.0
SUBSCRIBE_TIMEOUT = 1.0


class _Subscription(redis.client.PubSub):
    """redis-py's subscription, telling whether it had to reconnect (announcements sent meanwhile are lost)."""

    reconnected = False

    def on_connect(self, connection):
        self.reconnected = True
        super().on_connect(connection)


class CounterFeed:
    """One process's copy of a counter in Redis, kept current by the announcements of bump_counter().

    Subscribed *before* the counter is first read, so no change after that read goes unheard;
    each read() takes the announcements waiting on the socket (no round trip) and keeps the
    highest value (the counter only grows). Redis queues an announcement for every subscriber
    in the same step in which it answers the writer, and the writer answers its visitor only
    after that, so on one machine or a local network the announcement is normally on every
    worker's socket before that visitor's next request. Redis is asked directly, and the copy
    corrected, at the first read, every CONFIRM_SECONDS, after a burst of announcements, and
    whenever the subscription broke (then every read asks until a new one is made): at worst,
    when a connection dies without an error (a network partition) or an announcement is
    lost, a change reaches this process CONFIRM_SECONDS late.
    """

    def __init__(self, backend, key, channel):
        self.backend, self.key, self.channel = backend, key, channel
        self.lock = threading.Lock()
        self.subscription = None
        self.value = None
        self.confirmed = 0.0
        self.retry_at = 0.0

    def read(self):
        with self.lock:
            now = time.monotonic()
            if self.subscription is None and now >= self.retry_at:
                self._subscribe(now)
            if self.subscription is None:
                return self._fetch()
            try:
                heard = self._drain()
                if self.subscription.reconnected:
                    raise redis.ConnectionError("the subscription was re-established; announcements may be lost")
                if self.value is None or heard >= BURST or now - self.confirmed >= CONFIRM_SECONDS:
                    self._confirm(now)
            except (redis.RedisError, OSError):
                logger.warning("the data version's subscription broke; reading it from Redis", exc_info=True)
                self._close(now)
                return self._fetch()
            return self.value

    def heard(self, value):
        """This process changed the counter itself: no need to wait for the announcement."""
        with self.lock:
            self._keep(value)

    def close(self):
        with self.lock:
            self._close(time.monotonic())

    def _keep(self, value):
        if value is not None and (self.value is None or int(value) > self.value):
            self.value = int(value)

    def _fetch(self):
        # From the server the bumps go to: a lagging replica's older value would otherwise be taken for a
        # counter that went back, and followed down.
        value = self.backend.get_client(self.key, write=True).get(self.key)
        return None if value is None else int(value)

    def _drain(self):
        heard = 0
        while (message := self.subscription.get_message(timeout=0)) is not None:
            if message["type"] == "message":
                self._keep(message["data"])
                heard += 1
        return heard

    def _confirm(self, now):
        heard_before = self.value  # every value heard so far was in Redis before this read
        fetched = self._fetch()
        if fetched is None or (heard_before is not None and fetched < heard_before):
            # Lost or gone back (evicted, flushed, made again): what Redis holds now is the counter.
            self.value = fetched
        self._drain()  # an announcement already on its way counts before the comparison
        if fetched is not None and self.value is not None and fetched > self.value:
            logger.warning("the data version's subscription missed a change; subscribing again")
            self._close(now, retry_at=now)
        self._keep(fetched)
        self.confirmed = now

    def _subscribe(self, now):
        subscription = None
        try:
            subscription = _Subscription(self.backend.get_client(self.key, write=True).connection_pool)
            subscription.subscribe(self.channel)
            reply = subscription.get_message(timeout=SUBSCRIBE_TIMEOUT)
            if not reply or reply["type"] != "subscribe":
                raise redis.ConnectionError("Redis did not confirm the subscription")
            self.subscription = subscription
            self.value = None
            self._confirm(now)
        except (redis.RedisError, OSError):
            logger.warning("could not subscribe to the data version's announcements", exc_info=True)
            self._close(now)
            if subscription is not None:
                with contextlib.suppress(Exception):
                    subscription.close()

    def _close(self, now, retry_at=None):
        subscription, self.subscription = self.subscription, None
        self.retry_at = now + RETRY_SECONDS if retry_at is None else retry_at
        if subscription is not None:
            with contextlib.suppress(Exception):
                subscription.close()


_feeds = {}
_feeds_lock = threading.Lock()


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def bump_counter(self, key, start):
        """Add one to the counter (set it to `start` when it is missing) and announce the new value."""
        key = self.make_and_validate_key(key)
        client = self._cache.get_client(key, write=True)
        try:
            value = int(client.eval(_BUMP, 1, key, self._channel(key), start - 1))
        except redis.ResponseError:
            # A Redis that refuses scripts (some managed ones): stored, then announced if allowed;
            # every process still finds the change by its confirmation, within CONFIRM_SECONDS.
            logger.warning("Redis refused the bump script; bumping the counter without it", exc_info=True)
            with client.pipeline() as pipe:
                pipe.set(key, start - 1, nx=True)
                pipe.incr(key)
                value = int(pipe.execute()[1])
            with contextlib.suppress(redis.ResponseError):
                client.publish(self._channel(key), value)
        feed = _feeds.get(self._feed_id(key))
        if feed is not None:
            feed.heard(value)
        return value

    def counter(self, key):
        """The counter's value as this process last heard of it (None when missing); see CounterFeed."""
        key = self.make_and_validate_key(key)
        feed_id = self._feed_id(key)
        feed = _feeds.get(feed_id)
        if feed is None:
            with _feeds_lock:
                feed = _feeds.setdefault(feed_id, CounterFeed(self._cache, key, self._channel(key)))
        return feed.read()

    def clear(self):
        """Empty the database, and forget what this process heard of its counters."""
        super().clear()
        with _feeds_lock:
            for feed_id in [feed_id for feed_id in _feeds if feed_id[1] == tuple(self._servers)]:
                _feeds.pop(feed_id).close()

    def _channel(self, key):
        db = self._cache.get_client(key, write=True).connection_pool.connection_kwargs.get("db", 0)
        return f"wspl:counter:{db}:{key}"

    def _feed_id(self, key):
        # Per process: a forked worker must not share its parent's subscription.
        return (os.getpid(), tuple(self._servers), key)
