"""core.cache against real Redis: one client per connection pool, one round trip per incr."""

import os
import socket
import subprocess
import threading
import time
import uuid

import pytest
import redis
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


# --- Redis down: a short window in which Redis is not tried ---------------------------------
class HangingUp:
    """A TCP listener that accepts and at once closes each connection (a Redis that is there
    but broken), counting the connections made to it."""

    def __init__(self, port: int):
        self.accepted = 0
        self.sock = socket.create_server(("127.0.0.1", port))
        self.sock.settimeout(0.2)
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.accepted += 1
            conn.close()

    def close(self):
        self.running = False
        self.thread.join(2)
        self.sock.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_after_an_error_reads_leave_redis_alone_for_a_while_then_try_again(tmp_path, caplog):
    port = _free_port()
    cache = ResilientRedisCache(f"redis://127.0.0.1:{port}/0", {"DOWN_SECONDS": 0.5})
    broken = HangingUp(port)
    try:
        assert cache.get("k", "miss") == "miss"
        tried = broken.accepted
        assert tried >= 1  # the first call did try Redis
        # In the window reads answer a miss at once, without a connection.
        for _ in range(50):
            assert cache.get("k", "miss") == "miss" and cache.get_many(["a", "b"]) == {}
            assert cache.has_key("k") is False
        assert broken.accepted == tried
        # Writes are still tried (one dropped while Redis answers would leave an old value
        # in it), and fail into their defaults.
        assert cache.set("k", 1) is None and cache.add("k", 1) is False
        assert cache.delete("k") is False
        with pytest.raises(ValueError):
            cache.incr("k")
        assert broken.accepted > tried
        tried = broken.accepted
        assert cache.get("k") is None and broken.accepted == tried  # the window goes on
        assert sum("reads skip it" in r.getMessage() for r in caplog.records) == 1
        time.sleep(0.6)
        assert cache.get("k") is None
        assert broken.accepted > tried  # after the window, Redis is tried again
    finally:
        broken.close()

    # Redis itself on that port: the next call after the window reaches it, and stays up.
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        client = redis.Redis(port=port)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        time.sleep(0.6)
        cache.set("k", "v", 30)
        assert cache.get("k") == "v"
        assert cache.add("n", 1) is True and cache.incr("n") == 2 and cache.get("n") == 2
        assert any(r.getMessage() == "cache reachable again" for r in caplog.records)
    finally:
        server.terminate()
        server.wait(10)


def test_a_window_of_zero_tries_redis_on_every_call():
    port = _free_port()
    cache = ResilientRedisCache(f"redis://127.0.0.1:{port}/0", {"DOWN_SECONDS": 0})
    broken = HangingUp(port)
    try:
        cache.get("k")
        first = broken.accepted
        cache.get("k")
        assert broken.accepted > first
    finally:
        broken.close()
