"""core.sessions: a signed-in request reads its session and the content version in one cache
round trip; a session missing from the cache still loads from the database."""

import os
import uuid

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.test import override_settings
from django.urls import reverse

from core.middleware import CONTENT_VERSION_KEY
from core.sessions import SessionStore
from tests.factories import make_learner

pytestmark = pytest.mark.django_db

MY_LEARNING = reverse("courses:my_learning")
REDIS_URL = os.environ.get("LMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _loads(monkeypatch) -> list[str]:
    """The session keys `SessionStore.load` is called for, from now on."""
    called = []
    real = SessionStore.load

    def load(self):
        called.append(self.session_key)
        return real(self)

    monkeypatch.setattr(SessionStore, "load", load)
    return called


def test_the_session_comes_with_the_content_version(client, monkeypatch):
    user = make_learner()
    client.force_login(user)
    loads = _loads(monkeypatch)
    batches = []
    real_get_many = caches["default"].get_many

    def get_many(keys, version=None):
        batches.append(list(keys))
        return real_get_many(keys, version)

    monkeypatch.setattr(caches["default"], "get_many", get_many)
    response = client.get(MY_LEARNING)
    assert response.status_code == 200 and response.wsgi_request.user == user
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert [CONTENT_VERSION_KEY, SessionStore(session_key).cache_key] in batches
    assert loads == []  # the batch answered: the session was not read again


def test_a_session_missing_from_the_cache_loads_from_the_database(client, monkeypatch):
    user = make_learner()
    client.force_login(user)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    cache.delete(SessionStore(session_key).cache_key)
    loads = _loads(monkeypatch)
    response = client.get(MY_LEARNING)
    assert response.status_code == 200 and response.wsgi_request.user == user
    assert loads == [session_key]
    assert cache.get(SessionStore(session_key).cache_key) is not None  # cached again


def test_prefetch_only_for_an_unread_session():
    assert SessionStore().prefetch_key() is None  # no cookie: nothing to fetch
    store = SessionStore()
    store["a"] = 1
    store.save()
    fresh = SessionStore(store.session_key)
    assert fresh.prefetch_key() == store.cache_key
    fresh.prefetch({"a": 2})
    assert fresh["a"] == 2 and fresh.prefetch_key() is None
    fresh.prefetch({"a": 3})  # already read: kept
    assert fresh["a"] == 2
    missed = SessionStore(store.session_key)
    missed.prefetch(None)  # a miss leaves it to load()
    assert missed["a"] == 1


def test_one_redis_round_trip_for_version_and_session(client, monkeypatch):
    prefix = f"test-sessions-{uuid.uuid4().hex}"
    redis_cache = {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": REDIS_URL}
    with override_settings(CACHES={"default": {**redis_cache, "KEY_PREFIX": prefix}}):
        user = make_learner()
        client.force_login(user)
        client.get(MY_LEARNING)  # the site and the version are cached now
        redis = cache._cache.get_client(write=False)
        sent, keys = [], []
        real = redis.execute_command

        def counting(*args, **kwargs):
            sent.append(args[0])
            keys.append(str(args[1]) if len(args) > 1 else "")
            return real(*args, **kwargs)

        monkeypatch.setattr(redis, "execute_command", counting)
        response = client.get(MY_LEARNING)
        assert response.status_code == 200 and response.wsgi_request.user == user
        cache.clear()
    assert sent.count("MGET") == 1
    # Neither the version nor the session on its own; the header's unread count (notify) is
    # the page's one other read.
    gets = [key for command, key in zip(sent, keys, strict=True) if command == "GET"]
    assert all("notify:unread" in key for key in gets), gets
    assert len(gets) <= 1
