"""The outbox under faults, with a real Celery worker on Redis against the PostgreSQL test
database (see test_worker_pg for how it is started): a worker killed mid-batch whose message
is lost, the broker unreachable when the learner's completion commits, the database cut inside
the task. Each time every completion ends with exactly one issued certificate and no learner
sees an error.
"""

import socket
import time

import psycopg
import pytest
import redis
from celery import Celery
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from certificates import services, tasks
from certificates.models import Certificate
from certificates.services import signing_key_current
from courses.models import Enrolment, LessonPage
from courses.services import enrolment_complete, enrolment_create
from tests.certificates.test_worker_pg import (
    BROKER,
    TASK,
    VISIBILITY_SECONDS,
    _dsn,
    lock_waiters,
    wait_for,
)
from tests.factories import make_course, make_learner, make_unit, pass_quiz, site_home

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (the PostgreSQL pass)"
    ),
]


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def live(monkeypatch):
    """The Redis broker (flushed), and `send(app)`: make the certificates task publish
    through `app` (a real Celery app on Redis), as the worker's own app would."""
    client = redis.Redis.from_url(BROKER)
    client.flushdb()
    sender = Celery(broker=BROKER, set_as_current=False)
    sender.conf.broker_transport_options = {"visibility_timeout": VISIBILITY_SECONDS}

    def send(app):
        monkeypatch.setattr(
            tasks.issue_certificates, "delay", lambda ids: app.send_task(TASK, args=[ids])
        )

    send(sender)
    yield client, sender, send
    client.flushdb()
    client.close()


def sweep_later() -> int:
    """The beat task's service, run as if the grace period had passed."""
    return services.certificates_outbox_sweep(
        now=timezone.now() + services.PENDING_GRACE + timezone.timedelta(seconds=1)
    )


def issued_once(enrolments):
    for enrolment in enrolments:
        live = Certificate.objects.filter(enrolment=enrolment).exclude(status="revoked")
        assert [c.status for c in live] == ["issued"]
        assert live[0].events.filter(action="issued").count() == 1
        assert live[0].pdf.open("rb").read(5) == b"%PDF-"


def test_worker_killed_mid_batch_and_message_lost_the_sweep_issues_each_once(live, workers):
    client, _sender, _send = live
    signing_key_current()
    site_home()
    course = make_course("Kỹ năng số", lessons=1, quiz=[])
    unit = make_unit("Xã Ia Grai", parent=make_unit("Gia Lai"))
    enrolments = [
        enrolment_create(user=make_learner(unit=unit), course=course)[0] for _ in range(3)
    ]
    with transaction.atomic():
        for enrolment in enrolments:
            enrolment_complete(enrolment=enrolment, evidence="assessment")
    ids = list(
        Certificate.objects.filter(enrolment__in=enrolments)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    assert client.llen("celery") == 1
    # Not yet due: a sweep now leaves them to the message in flight.
    assert services.certificates_outbox_sweep() == 0

    dsn, db_name = _dsn(), connection.settings_dict["NAME"]
    with psycopg.connect(dsn) as blocker:
        blocker.execute(
            "SELECT id FROM certificates_certificate WHERE id = %s FOR UPDATE", [ids[-1]]
        )
        first = workers()
        wait_for(lambda: lock_waiters(dsn, db_name) >= 1, what="the worker to block on the row")
        first.kill()
        blocker.rollback()
    client.flushdb()  # the message is lost with the worker: only the outbox knows
    assert set(Certificate.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        "pending"
    }

    assert sweep_later() == 3
    assert client.llen("celery") == 1  # one message for the swept batch
    workers()
    wait_for(
        lambda: Certificate.objects.filter(pk__in=ids, status="issued").count() == 3,
        what="the swept certificates to be issued",
    )
    issued_once(enrolments)
    assert list(Certificate.objects.filter(pk__in=ids).values_list("requeues", flat=True)) == [
        1,
        1,
        1,
    ]
    assert sweep_later() == 0  # issued rows are never due again


def test_broker_down_at_commit_the_learner_sees_no_error_and_the_sweep_issues_once(
    live, workers, client
):
    redis_client, sender, send = live
    signing_key_current()
    site_home()
    course = make_course("Tin học cơ bản")
    learner = make_learner(
        unit=make_unit("Xã Ia Grai", parent=make_unit("Gia Lai")), full_name="Ksor H'Blin"
    )
    # The project's Celery configuration (publish retry policy, timeouts), its broker down.
    dead = Celery("lms", set_as_current=False)
    dead.config_from_object("django.conf:settings", namespace="CELERY")
    dead.conf.broker_url = f"redis://127.0.0.1:{closed_port()}/0"
    dead.conf.task_always_eager = False
    send(dead)

    client.force_login(learner)
    assert client.post(reverse("courses:enrol", args=[course.pk])).status_code == 302
    lessons = list(LessonPage.objects.live().child_of(course).order_by("path"))
    for lesson in lessons[:-1]:
        client.post(reverse("courses:lesson_done", args=[lesson.pk]))
    final = lessons[-1]
    response = pass_quiz(client, final, learner)  # starts the attempt, then submits it
    assert response.status_code in (200, 302)  # the page answers; no 500

    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert enrolment.status == "completed"  # the completion was saved
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.status == "pending"
    assert "OperationalError" in certificate.error  # why it waits, for the admin screen
    assert redis_client.llen("celery") == 0

    send(sender)  # the broker is back
    workers()
    assert sweep_later() == 1
    wait_for(
        lambda: Certificate.objects.filter(pk=certificate.pk, status="issued").exists(),
        what="the certificate to be issued",
    )
    issued_once([enrolment])
    assert Certificate.objects.get(pk=certificate.pk).error == ""
    time.sleep(0.5)
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1


def test_database_cut_inside_the_task_is_retried_and_issues_once(live, workers, tmp_path):
    signing_key_current()
    site_home()
    course = make_course("Kỹ năng số", lessons=1, quiz=[])
    unit = make_unit("Xã Ia Grai", parent=make_unit("Gia Lai"))
    enrolment = enrolment_create(user=make_learner(unit=unit), course=course)[0]
    with transaction.atomic():
        enrolment_complete(enrolment=enrolment, evidence="assessment")
    certificate = Certificate.objects.get(enrolment=enrolment)

    dsn, db_name = _dsn(), connection.settings_dict["NAME"]
    with psycopg.connect(dsn) as blocker:
        blocker.execute(
            "SELECT id FROM certificates_certificate WHERE id = %s FOR UPDATE", [certificate.pk]
        )
        workers()
        wait_for(lambda: lock_waiters(dsn, db_name) >= 1, what="the worker to block on the row")
        # Cut the worker's database connection while its task is inside a transaction.
        with psycopg.connect(dsn, autocommit=True) as admin:
            cut = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND wait_event_type = 'Lock'",
                [db_name],
            ).fetchall()
        assert cut == [(True,)]
        blocker.rollback()
    wait_for(
        lambda: Certificate.objects.filter(pk=certificate.pk, status="issued").exists(),
        what="the retried task to issue the certificate",
    )
    issued_once([enrolment])
    certificate.refresh_from_db()
    assert certificate.attempts == 1  # never marked failed: the error was retried
    assert certificate.requeues == 0  # the task's own retry, not the sweep
    log = (tmp_path / "worker.log").read_text()
    assert "Retry in" in log and "OperationalError" in log
