"""A real Celery worker on Redis delivers a webhook against the PostgreSQL test database,
retrying with its countdown (self.retry) while the local receiver fails.

As tests/certificates/test_worker_pg.py: the worker is a subprocess with the base settings
pointed at the test database and the broker in LMS_TEST_CELERY_BROKER_URL, here with a
one-second backoff so the retries happen within the test.
"""

import os
import signal
import subprocess
import sys
import time

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.db import connection

from tests.certificates.test_worker_pg import BASE_DIR, BROKER, _db_url, wait_for
from webhooks.models import Delivery, Subscription

from .receiver import Receiver

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (the PostgreSQL pass)"
    ),
]


@pytest.fixture
def worker(tmp_path):
    client = redis.Redis.from_url(BROKER)
    client.flushdb()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "lms.settings.base",
        "DEBUG": "false",
        "DATABASE_URL": _db_url(),
        "DB_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": BROKER,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "LMS_WEBHOOK_RETRY_BASE_SECONDS": "1",
        "LMS_WEBHOOK_MAX_ATTEMPTS": "5",
    }
    log = open(tmp_path / "worker.log", "ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "lms.celery:app", "worker", "--pool=solo",
         "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "INFO"],
        cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    sender = Celery(broker=BROKER, set_as_current=False)
    yield sender
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
    log.close()
    client.flushdb()
    client.close()


def test_a_real_worker_retries_until_delivered(worker):
    receiver = Receiver(fail_first=2)
    try:
        subscription = Subscription.objects.create(name="LGSP", url=receiver.url)
        delivery = Delivery.objects.create(
            subscription=subscription, event="completion.created", payload={"id": "e1"}
        )
        started = time.monotonic()
        worker.send_task("webhooks.tasks.delivery_send", args=[delivery.pk])
        wait_for(
            lambda: Delivery.objects.filter(pk=delivery.pk, status="delivered").exists(),
            timeout=90,
            what="the delivery to be delivered",
        )
        delivery.refresh_from_db()
        assert delivery.attempts == 3
        assert len(receiver.requests) == 3
        # Two retries after 1 s and 2 s: the worker waited for the countdowns.
        assert time.monotonic() - started >= 3
    finally:
        receiver.stop()
