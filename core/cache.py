"""The cache machinery: a Redis cache that degrades to misses when Redis is unreachable, and
the one versioning scheme every room's cached data uses (`Version`).

Django's RedisCache raises on a connection error, so one Redis outage would take down every
page (sessions, Wagtail's site lookup and our page cache all read it). Here reads miss and
writes are dropped, with a warning in the log, and for a short while after an error reads do
not try Redis at all; /health/ still reports the cache as failing.
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


def _degrade(default, *, read=False):
    """The method, answering `default` while Redis is unreachable instead of raising. A read
    (`read=True`) does not even try while Redis is left alone (see ResilientRedisCache)."""

    def wrap(method):
        def inner(self, *args, **kwargs):
            if read and self._left_alone():
                return default() if callable(default) else default
            try:
                result = method(self, *args, **kwargs)
            except UNAVAILABLE as error:
                self._went_down(method.__name__, error)
                return default() if callable(default) else default
            self._is_up()
            return result

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
    """Django's RedisCache, answering as a miss while Redis is unreachable.

    After a connection error, reads leave Redis alone for `DOWN_SECONDS` (a key of the CACHES
    entry, default 2): `get`, `get_many` and `has_key` answer a miss at once instead of each
    failing a connection of its own (about 45 ms with redis-py's retries: in
    `bench/faults.py` a Redis outage made every page 3.5 times slower). A miss is always safe:
    the caller computes from the database. Writes, deletes and increments are still tried
    every time: one dropped while Redis answers would leave an old session, an old version
    counter or a deleted key behind in it. Any call that reaches Redis ends the window. One
    warning per window, one line when Redis is back.
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        # RedisCache.__init__ assigns `self._class = RedisCacheClient` on the instance, so a
        # class attribute here would be shadowed and every call would build a client again.
        self._class = ReusingRedisCacheClient
        self._down_seconds = float(params.get("DOWN_SECONDS", 2))
        self._down_until = 0.0  # time.monotonic() before which reads skip Redis; 0: up

    def _left_alone(self) -> bool:
        return bool(self._down_until) and time.monotonic() < self._down_until

    def _went_down(self, operation: str, error: Exception) -> None:
        opening = not self._left_alone()
        if self._down_seconds > 0:
            self._down_until = time.monotonic() + self._down_seconds
        if opening:
            logger.warning(
                "cache unavailable in %s: %s (reads skip it for %s s)",
                operation,
                error,
                self._down_seconds,
            )

    def _is_up(self) -> None:
        if self._down_until:
            self._down_until = 0.0
            logger.warning("cache reachable again")

    set = _degrade(None)(RedisCache.set)
    add = _degrade(False)(RedisCache.add)
    delete = _degrade(False)(RedisCache.delete)
    touch = _degrade(False)(RedisCache.touch)
    has_key = _degrade(False, read=True)(RedisCache.has_key)
    get_many = _degrade(dict, read=True)(RedisCache.get_many)
    set_many = _degrade(list)(RedisCache.set_many)
    delete_many = _degrade(None)(RedisCache.delete_many)
    clear = _degrade(False)(RedisCache.clear)

    def get(self, key, default=None, version=None):
        if self._left_alone():
            return default
        try:
            value = super().get(key, default, version)
        except UNAVAILABLE as error:
            self._went_down("get", error)
            return default
        self._is_up()
        return value

    def incr(self, key, delta=1, version=None):
        try:
            value = super().incr(key, delta, version)
        except UNAVAILABLE as error:
            self._went_down("incr", error)
            raise ValueError("cache unavailable") from error
        self._is_up()
        return value


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
