"""A real Celery worker on Redis against the PostgreSQL test database: a worker killed in the
middle of issuing, a redelivered message and duplicates still leave exactly one issued
certificate.

The worker is a subprocess with the base settings pointed at pytest-django's test database
(`connection.settings_dict["NAME"]`, e.g. test_hocso) and at the broker in
LMS_TEST_CELERY_BROKER_URL (default Redis db 13). The test is `transaction=True`, so the rows it
creates are committed and visible to the worker.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
import redis
from celery import Celery
from django.conf import settings
from django.db import connection, transaction

from certificates.models import Certificate
from certificates.services import signing_key_current
from courses.services import enrolment_complete, enrolment_create
from tests.factories import make_course, make_learner, make_unit, site_home

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (the PostgreSQL pass)"
    ),
]

BROKER = os.environ.get("LMS_TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/13")
TASK = "certificates.tasks.issue_certificates"
VISIBILITY_SECONDS = 2
BASE_DIR = Path(settings.BASE_DIR)


def _db_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


def _dsn() -> str:
    return _db_url().replace("postgres://", "postgresql://", 1)


def wait_for(predicate, timeout=60.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


class Worker:
    """A `celery worker` subprocess in its own process group: every queue unless `queues`
    names some (`--queues`, as the production units do); `env` adds to its environment."""

    def __init__(self, log_path: Path, *, queues: tuple[str, ...] = (), env: dict | None = None):
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", "/tmp"),
            "DJANGO_SETTINGS_MODULE": "lms.settings.base",
            "DEBUG": "false",
            "DATABASE_URL": _db_url(),
            "DB_CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": BROKER,
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_SECONDS),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "LMS_CERT_SIGNING_KEY": "",
            "LMS_CERT_SIGNING_KEY_FILE": str(settings.LMS_CERT_SIGNING_KEY_FILE),
            "LMS_CERT_SIGNING_KEY_AUTOGENERATE": "false",
            "LMS_VAR_DIR": str(
                settings.VAR_DIR if hasattr(settings, "VAR_DIR") else BASE_DIR / "var"
            ),
            **(env or {}),
        }
        self.log = open(log_path, "ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "lms.celery:app",
                "worker",
                "--pool=solo",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "INFO",
                *([f"--queues={','.join(queues)}", f"--hostname={queues[0]}@%h"] if queues else []),
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


@pytest.fixture
def broker():
    client = redis.Redis.from_url(BROKER)
    client.flushdb()  # this test's own Redis database
    sender = Celery(broker=BROKER, set_as_current=False)
    sender.conf.broker_transport_options = {"visibility_timeout": VISIBILITY_SECONDS}
    yield client, sender
    client.flushdb()
    client.close()


def lock_waiters(dsn: str, db_name: str) -> int:
    with psycopg.connect(dsn, autocommit=True) as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
            [db_name],
        ).fetchone()[0]


def test_killed_worker_and_duplicates_leave_exactly_one_issued(
    broker, workers, monkeypatch, tmp_path
):
    client, sender = broker
    signing_key_current()  # the key file exists before the worker reads it
    site_home()
    course = make_course("Kỹ năng số", lessons=1, quiz=[])
    unit = make_unit("Xã Ia Grai", parent=make_unit("Gia Lai"))
    names = ["Ksor H'Blin", "Nguyễn Thị Hương", "Rơ Châm Thuấn"]
    enrolments = [
        enrolment_create(user=make_learner(unit=unit, full_name=name), course=course)[0]
        for name in names
    ]

    from certificates import tasks

    monkeypatch.setattr(
        tasks.issue_certificates, "delay", lambda ids: sender.send_task(TASK, args=[ids])
    )
    db_name = connection.settings_dict["NAME"]
    dsn = _dsn()

    # A class closing: three completions in one transaction, one message for the batch.
    with transaction.atomic():
        for enrolment in enrolments:
            enrolment_complete(enrolment=enrolment, evidence="assessment")
    certificates = list(Certificate.objects.filter(enrolment__in=enrolments).order_by("pk"))
    ids = [c.pk for c in certificates]
    assert {c.status for c in certificates} == {"pending"}
    assert client.llen("celery") == 1  # the whole batch in one message

    # Hold the last row, then start the first worker: it renders the three PDFs and blocks
    # on the claiming UPDATE of that row, inside the task; kill it there.
    with psycopg.connect(dsn) as blocker:
        blocker.execute(
            "SELECT id FROM certificates_certificate WHERE id = %s FOR UPDATE", [ids[-1]]
        )
        first = workers()
        wait_for(lambda: lock_waiters(dsn, db_name) >= 1, what="the worker to block on the row")
        first.kill()
        blocker.rollback()
    # The killed worker's transaction died with it: not even the rows it had claimed.
    assert set(Certificate.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        "pending"
    }
    assert client.hlen("unacked") == 1  # acks_late: the message is still owed

    # Duplicates on top of the redelivery: the whole batch, and one certificate alone.
    sender.send_task(TASK, args=[ids])
    sender.send_task(TASK, args=[ids[:1]])
    time.sleep(VISIBILITY_SECONDS + 0.5)
    workers()
    wait_for(
        lambda: Certificate.objects.filter(pk__in=ids, status="issued").count() == len(ids),
        what="the certificates to be issued",
    )
    wait_for(
        lambda: client.llen("celery") == 0 and client.hlen("unacked") == 0,
        what="every message to be consumed",
    )
    for enrolment, name in zip(enrolments, names, strict=True):
        certificate = Certificate.objects.get(enrolment=enrolment)
        assert certificate.holder_name == name
        assert certificate.events.filter(action="issued").count() == 1
        assert certificate.pdf.open("rb").read(5) == b"%PDF-"
    log = (tmp_path / "worker.log").read_text()
    assert log.count(f"Task {TASK}[") >= 3  # the redelivered message and both duplicates ran
