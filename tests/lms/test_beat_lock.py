"""Celery beat runs once however many are started: two real `celery beat` processes on the
Redis broker (celery-redbeat's lock); the second waits, and takes over when the first dies
without releasing its lock (SIGKILL)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

BASE_DIR = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("LMS_TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/13")
LOCK_SECONDS = 4


def wait_for(predicate, timeout: float, what: str, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}; its log:\n{log.read_text()[-3000:]}")


@pytest.fixture
def beats(tmp_path):
    client = redis.Redis.from_url(BROKER)
    client.flushdb()
    started = []

    def start(name: str):
        log = tmp_path / f"{name}.log"
        env = {
            **os.environ,
            "CELERY_BROKER_URL": BROKER,
            "CELERY_BEAT_LOCK_TIMEOUT": str(LOCK_SECONDS),
            "DJANGO_SETTINGS_MODULE": "lms.settings.base",
        }
        env.pop("DATABASE_URL", None)
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "lms.celery:app",
                "beat",
                "-l",
                "debug",
                "-s",
                str(tmp_path / f"{name}-schedule"),
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        started.append(process)
        return process, log

    yield start, client
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    client.flushdb()


def test_a_second_beat_waits_and_takes_over_when_the_first_dies(beats):
    start, client = beats
    first, first_log = start("first")
    wait_for(
        lambda: "Acquired lock" in first_log.read_text(), 60, "the first beat's lock", first_log
    )
    holder = client.get("hocso:beat::lock")
    assert holder is not None
    assert client.exists("hocso:beat:certificates-outbox-sweep")  # the schedule, in Redis

    second, second_log = start("second")
    wait_for(
        lambda: "Acquiring lock" in second_log.read_text(),
        60,
        "the second beat to start",
        second_log,
    )
    time.sleep(3 * LOCK_SECONDS)  # three lock lifetimes: the first keeps renewing it
    assert "Acquired lock" not in second_log.read_text()
    assert first.poll() is None and second.poll() is None
    assert client.get("hocso:beat::lock") == holder

    os.killpg(first.pid, signal.SIGKILL)  # dies holding the lock
    first.wait(timeout=10)
    wait_for(
        lambda: "Acquired lock" in second_log.read_text(),
        LOCK_SECONDS * 4,
        "the second beat to take over",
        second_log,
    )
    assert client.get("hocso:beat::lock") not in (None, holder)
