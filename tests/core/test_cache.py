"""core.cache against real Redis: one client per connection pool, one round trip per incr."""

import os
import uuid

import pytest
from django.core.cache.backends.redis import RedisCacheClient

from core.cache import ResilientRedisCache, ReusingRedisCacheClient

REDIS_URL = os.environ.get("LMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_the_redis_client_is_built_once_per_pool():
    cache = ResilientRedisCache(REDIS_URL, {})
    # Django's RedisCache sets its client class in __init__: ours must win over it.
    assert type(cache._cache) is ReusingRedisCacheClient
    assert type(cache._cache) is not RedisCacheClient
    # No round trip needed: building the client object does not connect.
    assert cache._cache.get_client("a") is cache._cache.get_client("b")
    assert cache._cache.get_client("a", write=True) is cache._cache.get_client("a", write=True)


def test_incr_keeps_djangos_contract_in_one_round_trip():
    cache = ResilientRedisCache(REDIS_URL, {"KEY_PREFIX": f"test-incr-{uuid.uuid4().hex}"})
    client = cache._cache.get_client(write=True)
    with pytest.raises(ValueError):
        cache.incr("missing")
    assert cache.get("missing") is None  # not created by the failed increment
    cache.set("counter", 1, timeout=60)
    sent = []
    real = client.execute_command

    def counting(*args, **kwargs):
        sent.append(args[0])
        return real(*args, **kwargs)

    client.execute_command = counting
    assert cache.incr("counter") == 2
    assert cache.incr("counter", 5) == 7
    assert sent == ["EVAL", "EVAL"]  # one command per increment, not EXISTS then INCRBY
    client.execute_command = real
    assert cache.get("counter") == 7
    assert 0 < client.ttl(cache.make_and_validate_key("counter")) <= 60  # timeout kept
    cache.delete("counter")


# --- Version: the one versioning scheme ----------------------------------------------------
def test_a_version_starts_from_the_clock_and_moves_on_each_bump():
    import time

    from core.cache import Version

    version = Version(f"test:version:{uuid.uuid4().hex}")
    before = time.time_ns()
    first = version.current()
    assert first >= before  # not 1: a flushed cache never meets keys of an old counter
    assert version.current() == first
    assert version.bump() == first + 1 and version.current() == first + 1


@pytest.mark.django_db
def test_a_bump_after_commit_waits_for_the_commit(django_capture_on_commit_callbacks):
    from core.cache import Version

    version = Version(f"test:version:{uuid.uuid4().hex}")
    first = version.current()
    with django_capture_on_commit_callbacks(execute=True):
        version.bump_after_commit()
        assert version.current() == first  # other readers still see the old rows
    assert version.current() == first + 1


def test_an_unreadable_cache_gives_the_unknown_version(settings):
    from core.cache import UNKNOWN_VERSION, Version

    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    version = Version("test:version:dead")
    assert version.current() == UNKNOWN_VERSION
    assert version.bump() > UNKNOWN_VERSION  # the writer carries on; readers trust nothing
