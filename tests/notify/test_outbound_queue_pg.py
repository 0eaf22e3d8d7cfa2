"""The two queues, with real workers on Redis and PostgreSQL as the production units run them
(`--queues celery`, `--queues outbound`): an SMS gateway that hangs holds only the outbound
worker, while certificates keep being issued; when the gateway answers, every held message
is sent once. And the routing itself, published to a real broker: each task lands in its own
queue and in no other.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.db import connection, transaction

from certificates.models import Certificate
from courses.services import enrolment_complete, enrolment_create
from notify.models import Channel, Delivery
from tests.certificates.test_worker_pg import BROKER, Worker, wait_for
from tests.factories import make_course, make_learner, make_unit, site_home

TASK = "certificates.tasks.issue_certificates"


class Gateway:
    """An SMS provider that keeps every request waiting until `release()`."""

    def __init__(self):
        self.received = []
        self.released = threading.Event()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.received.append(json.loads(body))
                gateway.released.wait(120)
                try:
                    self.send_response(200)
                    self.end_headers()
                    self.wfile.write(b"{}")
                except OSError:  # the worker was stopped while it waited
                    pass

            def log_message(self, *_args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def release(self):
        self.released.set()

    def close(self):
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def broker():
    client = redis.Redis.from_url(BROKER)
    client.flushdb()
    sender = Celery(broker=BROKER, set_as_current=False)
    sender.config_from_object("django.conf:settings", namespace="CELERY")
    sender.conf.broker_url = BROKER
    sender.conf.task_always_eager = False  # the test settings run tasks in place
    yield client, sender
    client.flushdb()
    client.close()


def test_each_task_is_published_to_its_own_queue_only(broker):
    client, sender = broker
    sender.send_task("notify.tasks.delivery_send_task", args=[1])
    sender.send_task("webhooks.tasks.delivery_send", args=[1])
    sender.send_task("courses.tasks.xapi_forward")
    sender.send_task(TASK, args=[[1]])
    sender.send_task("targets.tasks.achievement_rollup_refresh")
    # A queue declared with the default routing key would get a copy of every certificate.
    assert (client.llen("outbound"), client.llen("celery")) == (3, 2)
    names = [json.loads(m)["headers"]["task"] for m in client.lrange("outbound", 0, -1)]
    assert sorted(names) == sorted(settings.LMS_OUTBOUND_TASKS)


@pytest.mark.django_db  # Celery's Django fixup closes connections as it imports the tasks
def test_every_outbound_task_exists_and_nothing_else_is_routed_there():
    from lms.celery import app

    app.loader.import_default_modules()
    ours = {name for name in app.tasks if not name.startswith("celery.")}
    assert set(settings.LMS_OUTBOUND_TASKS) <= ours  # a renamed task would fall back silently
    for name in ours:
        queue = app.amqp.router.route({}, name)["queue"].name
        assert queue == ("outbound" if name in settings.LMS_OUTBOUND_TASKS else "celery"), name


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (the PostgreSQL pass)"
)
def test_a_hanging_sms_gateway_holds_no_certificate(broker, monkeypatch, tmp_path):
    from certificates import tasks
    from certificates.services import signing_key_current

    client, sender = broker
    signing_key_current()  # the key file exists before the workers read it
    site_home()
    course = make_course("Kỹ năng số", lessons=1, quiz=[])
    unit = make_unit("Xã Ia Grai", parent=make_unit("Gia Lai"))
    learners = [
        make_learner(unit=unit, full_name="Ksor H'Blin", phone="0912345678"),
        make_learner(unit=unit, full_name="Rơ Châm Thuấn", phone="0987654321"),
    ]
    enrolments = [enrolment_create(user=learner, course=course)[0] for learner in learners]
    monkeypatch.setattr(
        tasks.issue_certificates, "delay", lambda ids: sender.send_task(TASK, args=[ids])
    )
    gateway = Gateway()
    env = {
        "LMS_SMS_BACKEND": "notify.sms.HttpBackend",
        "LMS_SMS_HTTP_URL": gateway.url,
        "LMS_SMS_HTTP_TIMEOUT": "110",
    }
    started = [
        Worker(tmp_path / "celery.log", queues=("celery",), env=env),
        Worker(tmp_path / "outbound.log", queues=("outbound",), env=env),
    ]
    try:
        # The first holder's certificate, then its SMS, which the gateway keeps waiting.
        with transaction.atomic():
            enrolment_complete(enrolment=enrolments[0], evidence="assessment")
        wait_for(lambda: len(gateway.received) == 1, what="the SMS to reach the gateway")
        assert gateway.received[0]["to"] == "0912345678"

        # While the outbound worker waits, the next certificate is issued all the same.
        with transaction.atomic():
            enrolment_complete(enrolment=enrolments[1], evidence="assessment")
        wait_for(
            lambda: (
                Certificate.objects.filter(enrolment__in=enrolments, status="issued").count() == 2
            ),
            what="the second certificate while the gateway hangs",
        )
        sms = Delivery.objects.filter(channel=Channel.SMS).order_by("address")
        assert [(d.address, d.status) for d in sms] == [
            ("0912345678", "sending"),  # in the gateway's hands
            ("0987654321", "pending"),  # queued behind it, in "outbound"
        ]
        assert not gateway.released.is_set() and len(gateway.received) == 1

        gateway.release()
        wait_for(
            lambda: set(sms.values_list("status", flat=True)) == {"sent"},
            what="both SMS to be sent once the gateway answers",
        )
        wait_for(
            lambda: client.llen("outbound") == 0 and client.llen("celery") == 0,
            what="both queues to be empty",
        )
        assert sorted(message["to"] for message in gateway.received) == [
            "0912345678",
            "0987654321",
        ]  # each once
    finally:
        for worker in started:
            worker.stop()
        gateway.close()
