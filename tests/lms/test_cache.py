"""lms.cache: the Redis cache reuses one client per connection pool."""

import os

from django.core.cache.backends.redis import RedisCacheClient

from lms.cache import ResilientRedisCache, ReusingRedisCacheClient

REDIS_URL = os.environ.get("LMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_the_redis_client_is_built_once_per_pool():
    cache = ResilientRedisCache(REDIS_URL, {})
    # Django's RedisCache sets its client class in __init__: ours must win over it.
    assert type(cache._cache) is ReusingRedisCacheClient
    assert type(cache._cache) is not RedisCacheClient
    # No round trip needed: building the client object does not connect.
    assert cache._cache.get_client("a") is cache._cache.get_client("b")
    assert cache._cache.get_client("a", write=True) is cache._cache.get_client("a", write=True)
