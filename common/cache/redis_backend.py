"""Django's Redis cache backend, with a counter that every process keeps from announcements (the data version).

Values are stored and read by Django's own RedisCache, unchanged. The data version
(common/cache/version.py) is read at the start of every anonymous request: `bump_counter()`
stores each new value and announces it on a Redis channel in one step, and `counter()` reads
this process's copy, kept from those announcements (`CounterFeed`): a look at a socket
instead of a round trip, which was most of what serving a cached page cost. The counter, the
bump and the announcements use redis-py's public client, built from the cache's own LOCATION
and OPTIONS as Django builds its connections: on the first server, the one Django writes to.
"""

import contextlib
import logging
import os
import re
import threading
import time

import redis
from django.core.cache.backends import redis as django_redis
from django.utils.functional import cached_property
from django.utils.module_loading import import_string
from redis.backoff import NoBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)


def connection_settings(server, options):
    """(the URL of the server written to, the connection pool's class and options), read from LOCATION and OPTIONS
    as Django's backend reads them: the first of several servers; OPTIONS but the serializer go to the pool."""
    servers = re.split("[;,]", server) if isinstance(server, str) else list(server)
    options = dict(options)
    options.pop("serializer", None)
    pool_class = options.pop("pool_class", None) or redis.ConnectionPool
    if isinstance(pool_class, str):
        pool_class = import_string(pool_class)
    if isinstance(options.get("parser_class"), str):
        options["parser_class"] = import_string(options["parser_class"])
    return servers[0], pool_class, options


def make_client(settings, **overrides):
    """A redis-py client (thread-safe, with its own connection pool) for connection_settings(), options overridden."""
    url, pool_class, options = settings
    return redis.Redis(connection_pool=pool_class.from_url(url, **{**options, **overrides}))


# A counter that every process reads on every anonymous request (the data version): bump_counter() announces
# each new value, so each process keeps it from the announcements instead of asking Redis each time.
# Stored and announced in one atomic step. The value is read back with GET and published as Redis's own string:
# a Lua number is a double, which would round a value started at time_ns().
BUMP_SCRIPT = """
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

    A subscription that lost its connection is never reused: its client retries nothing, so a
    broken connection raises, and a second confirmation of the subscription (redis-py
    subscribing again by itself after reconnecting) counts as a break too, since what was
    announced in between is lost.
    """

    def __init__(self, settings, key, channel):
        self.key, self.channel = key, channel
        # Reads from the server the bumps go to: a lagging replica's older value would otherwise be taken for a
        # counter that went back, and followed down.
        self.reader = make_client(settings)
        self.subscriber = make_client(settings, retry=Retry(NoBackoff(), 0), retry_on_error=[])
        self.lock = threading.Lock()
        self.subscription = None
        self.value = None
        self.confirmed = 0.0
        self.retry_at = 0.0

    def read(self):
        with self.lock:
            now = time.monotonic()
            if self.subscription is None and now >= self.retry_at:
                self.subscribe(now)
            if self.subscription is None:
                return self.fetch()
            try:
                heard = self.drain()
                if self.value is None or heard >= BURST or now - self.confirmed >= CONFIRM_SECONDS:
                    self.confirm(now)
            except (redis.RedisError, OSError):
                logger.warning("the data version's subscription broke; reading it from Redis", exc_info=True)
                self.unsubscribe(now)
                return self.fetch()
            return self.value

    def heard(self, value):
        """This process changed the counter itself: no need to wait for the announcement."""
        with self.lock:
            self.keep(value)

    def close(self):
        with self.lock:
            self.unsubscribe(time.monotonic())

    def keep(self, value):
        if value is not None and (self.value is None or int(value) > self.value):
            self.value = int(value)

    def fetch(self):
        value = self.reader.get(self.key)
        return None if value is None else int(value)

    def drain(self):
        heard = 0
        while (message := self.subscription.get_message(timeout=0)) is not None:
            if message["type"] == "message":
                self.keep(message["data"])
                heard += 1
            elif message["type"] == "subscribe":
                raise redis.ConnectionError("the subscription was made again; announcements may be lost")
        return heard

    def confirm(self, now):
        heard_before = self.value  # every value heard so far was in Redis before this read
        fetched = self.fetch()
        if fetched is None or (heard_before is not None and fetched < heard_before):
            # Lost or gone back (evicted, flushed, made again): what Redis holds now is the counter.
            self.value = fetched
        self.drain()  # an announcement already on its way counts before the comparison
        if fetched is not None and self.value is not None and fetched > self.value:
            logger.warning("the data version's subscription missed a change; subscribing again")
            self.unsubscribe(now, retry_at=now)
        self.keep(fetched)
        self.confirmed = now

    def subscribe(self, now):
        subscription = None
        try:
            subscription = self.subscriber.pubsub()
            subscription.subscribe(self.channel)
            reply = subscription.get_message(timeout=SUBSCRIBE_TIMEOUT)
            if not reply or reply["type"] != "subscribe":
                raise redis.ConnectionError("Redis did not confirm the subscription")
            self.subscription = subscription
            self.value = None
            self.confirm(now)
        except (redis.RedisError, OSError):
            logger.warning("could not subscribe to the data version's announcements", exc_info=True)
            self.unsubscribe(now)
            if subscription is not None:
                with contextlib.suppress(Exception):
                    subscription.close()

    def unsubscribe(self, now, retry_at=None):
        subscription, self.subscription = self.subscription, None
        self.retry_at = now + RETRY_SECONDS if retry_at is None else retry_at
        if subscription is not None:
            with contextlib.suppress(Exception):
                subscription.close()


# This process's feeds, by (process id, server, key): a forked worker must not share its parent's subscription.
feeds = {}
feeds_lock = threading.Lock()


class RedisCache(django_redis.RedisCache):
    """Django's RedisCache, plus a counter kept by every process from announcements (bump_counter(), counter())."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self.counter_settings = connection_settings(server, params.get("OPTIONS", {}))

    @cached_property
    def counter_client(self):
        return make_client(self.counter_settings)

    @cached_property
    def channel_prefix(self):
        # Announcements reach every database of a server: the channel names the database.
        return f"wspl:counter:{self.counter_client.get_connection_kwargs().get('db', 0)}:"

    def bump_counter(self, key, start):
        """Add one to the counter (set it to `start` when it is missing) and announce the new value."""
        key = self.make_and_validate_key(key)
        client, channel = self.counter_client, self.channel_prefix + key
        try:
            value = int(client.eval(BUMP_SCRIPT, 1, key, channel, start - 1))
        except redis.ResponseError:
            # A Redis that refuses scripts (some managed ones): stored, then announced if allowed;
            # every process still finds the change by its confirmation, within CONFIRM_SECONDS.
            logger.warning("Redis refused the bump script; bumping the counter without it", exc_info=True)
            with client.pipeline() as pipe:
                pipe.set(key, start - 1, nx=True)
                pipe.incr(key)
                value = int(pipe.execute()[1])
            with contextlib.suppress(redis.ResponseError):
                client.publish(channel, value)
        feed = feeds.get(self.feed_id(key))
        if feed is not None:
            feed.heard(value)
        return value

    def counter(self, key):
        """The counter's value as this process last heard of it (None when missing); see CounterFeed."""
        key = self.make_and_validate_key(key)
        feed_id = self.feed_id(key)
        feed = feeds.get(feed_id)
        if feed is None:
            with feeds_lock:
                feed = feeds.get(feed_id)
                if feed is None:
                    feed = feeds[feed_id] = CounterFeed(self.counter_settings, key, self.channel_prefix + key)
        return feed.read()

    def clear(self):
        """Empty the database, and forget what this process heard of its counters."""
        super().clear()
        with feeds_lock:
            for feed_id in [feed_id for feed_id in feeds if feed_id[:2] == self.feed_id("")[:2]]:
                feeds.pop(feed_id).close()

    def feed_id(self, key):
        return (os.getpid(), self.counter_settings[0], key)
