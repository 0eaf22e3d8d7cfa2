"""The cache machinery: a Redis cache that degrades to misses when Redis is unreachable, and
the one versioning scheme every room's cached data uses (`Version`).

Django's RedisCache raises on a connection error, so one Redis outage would take down every
page (sessions, Wagtail's site lookup and our page cache all read it). Here reads miss and
writes are dropped, with a warning in the log; /health/ still reports the cache as failing.
"""

import logging
import time

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db import transaction
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _degrade(default):
    def wrap(method):
        def inner(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNAVAILABLE as error:
                logger.warning("cache unavailable in %s: %s", method.__name__, error)
                return default() if callable(default) else default

        inner.__name__ = method.__name__
        return inner

    return wrap


INCR_EXISTING = (
    "if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCRBY', KEYS[1], ARGV[1]) end"
)


class ReusingRedisCacheClient(RedisCacheClient):
    """Keeps one `redis.Redis` per connection pool instead of building one per cache call,
    and increments in one round trip.

    Django's client constructs a new `redis.Redis` on every get and set; redis-py fills some
    170 response callbacks in that constructor, which cost more than the round trip to a local
    Redis. The client object is thread-safe (connections come from the shared pool).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # connection pool -> its client

    def incr(self, key, delta):
        """Django's contract (ValueError when the key is missing) in one round trip.

        Django's client sends EXISTS and then INCRBY: two round trips on every rate-limit
        count, and a key expiring in between comes back without a timeout. A script does both
        at once (Redis caches it after the first EVAL).
        """
        value = self.get_client(key, write=True).eval(INCR_EXISTING, 1, key, delta)
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:  # two threads may both build one: either is fine to keep
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        # RedisCache.__init__ assigns `self._class = RedisCacheClient` on the instance, so a
        # class attribute here would be shadowed and every call would build a client again.
        self._class = ReusingRedisCacheClient

    set = _degrade(None)(RedisCache.set)
    add = _degrade(False)(RedisCache.add)
    delete = _degrade(False)(RedisCache.delete)
    touch = _degrade(False)(RedisCache.touch)
    has_key = _degrade(False)(RedisCache.has_key)
    get_many = _degrade(dict)(RedisCache.get_many)
    set_many = _degrade(list)(RedisCache.set_many)
    delete_many = _degrade(None)(RedisCache.delete_many)
    clear = _degrade(False)(RedisCache.clear)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNAVAILABLE as error:
            logger.warning("cache unavailable in get: %s", error)
            return default

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNAVAILABLE as error:
            logger.warning("cache unavailable in incr: %s", error)
            raise ValueError("cache unavailable") from error


# --- the one versioning scheme --------------------------------------------------------------
UNKNOWN_VERSION = 0


class Version:
    """A named counter in the shared cache that every cache key built on it carries: a writer
    bumps it and all those keys are left behind at once (they expire by themselves).

    A counter starts at the current time in nanoseconds, not at 1, so after the cache is
    flushed (Redis restarted) no process mistakes its memory of an old value for the new one.
    `current()` is `UNKNOWN_VERSION` when the cache cannot be read: then nothing cached under
    it can be trusted, and callers compute afresh.
    """

    def __init__(self, key: str):
        self.key = key

    def current(self) -> int:
        version = cache.get(self.key)
        return version if version is not None else self.start()

    def start(self) -> int:
        """The counter after a miss: a new one unless another process started it first."""
        cache.add(self.key, time.time_ns(), timeout=None)
        version = cache.get(self.key)
        return version if version is not None else UNKNOWN_VERSION

    def bump(self) -> int:
        """A new version now; returns it."""
        try:
            return cache.incr(self.key)
        except ValueError:  # no counter yet, or the cache is down
            version = time.time_ns()
            cache.set(self.key, version, timeout=None)
            return version

    def bump_after_commit(self) -> None:
        """A new version once the current transaction commits (at once outside one), so no
        reader caches the old rows under the new version."""
        transaction.on_commit(self.bump)


def delete_after_commit(keys) -> None:
    """Delete cache entries once the current transaction commits (at once outside one)."""
    keys = list(keys)
    if keys:
        transaction.on_commit(lambda: cache.delete_many(keys))
