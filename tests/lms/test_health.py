"""GET /health/ reports database, cache and broker, against real Redis where configured."""

import os

import pytest
from django.test import override_settings

REDIS_URL = os.environ.get("LMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
DEAD_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
REDIS_CACHE = {"default": {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": REDIS_URL}}
DEAD_CACHE = {"default": {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": DEAD_URL}}

pytestmark = pytest.mark.django_db


def test_embedded_setup_is_healthy(client):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] and body["checks"]["cache"]["ok"]
    assert body["checks"]["broker"] == {"ok": True, "mode": "eager"}
    assert response["Cache-Control"].startswith("max-age=0")


@override_settings(CACHES=REDIS_CACHE, CELERY_BROKER_URL=REDIS_URL)
def test_real_redis_cache_and_broker_answer(client):
    from lms.celery import app

    old, app.conf.broker_url = app.conf.broker_url, REDIS_URL
    try:
        response = client.get("/health/")
    finally:
        app.conf.broker_url = old
    body = response.json()
    assert response.status_code == 200, body
    assert body["checks"]["cache"]["backend"] == "ResilientRedisCache"
    assert body["checks"]["broker"]["ok"] is True


@override_settings(CACHES=DEAD_CACHE)
def test_a_dead_cache_gives_503(client):
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["cache"]["ok"] is False and body["checks"]["cache"]["error"]
    assert body["checks"]["database"]["ok"] is True


@override_settings(CELERY_BROKER_URL=DEAD_URL)
def test_a_dead_broker_gives_503(client):
    from lms.celery import app

    old, app.conf.broker_url = app.conf.broker_url, DEAD_URL
    try:
        response = client.get("/health/")
    finally:
        app.conf.broker_url = old
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


@override_settings(CACHES=DEAD_CACHE)
def test_pages_still_serve_when_the_cache_is_down(client, course):
    response = client.get("/courses/")
    assert response.status_code == 200
    assert course.title in response.content.decode()
