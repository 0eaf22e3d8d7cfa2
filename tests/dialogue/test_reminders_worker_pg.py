"""Real Celery workers on Redis against the PostgreSQL test database: the reminders task sent
three times (beat firing again, a redelivered message) and run by two workers at once still
reminds each learner once, by app and by SMS (the pattern of
tests/certificates/test_worker_pg.py)."""

import datetime
import json

import pytest
from django.db import connection

from courses.classes.services import roster_add, session_create
from courses.reminders import local_today
from notify.models import Delivery, Kind, Notification
from tests.certificates.test_worker_pg import BROKER, Worker, wait_for
from tests.factories import make_course, make_learner, make_trainer, make_unit, site_home

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (the PostgreSQL pass)"
    ),
]

TASK = "courses.tasks.reminders_send"


@pytest.fixture
def broker():
    import redis
    from celery import Celery

    client = redis.Redis.from_url(BROKER)
    client.flushdb()  # this test's own Redis database
    sender = Celery(broker=BROKER, set_as_current=False)
    yield client, sender
    client.flushdb()
    client.close()


def test_duplicated_runs_on_two_workers_remind_once(broker, tmp_path, settings):
    client, sender = broker
    # The workers' var directory (where the file SMS backend writes) is this test's.
    settings.VAR_DIR = tmp_path
    site_home()
    commune = make_unit("Xã Ia Grai", parent=make_unit("Gia Lai"))
    trainer = make_trainer(scope=commune)
    tomorrow = local_today() + datetime.timedelta(days=1)
    session = session_create(
        user=trainer,
        course=make_course("Tin học cơ bản", lessons=1, quiz=[]),
        title="Lớp Ia Grai",
        venue=commune,
        address="Nhà văn hoá làng Dêr",
        start_date=tomorrow,
        end_date=tomorrow,
    )
    phones = ["0905000001", "0905000002", "0905000003"]
    for n, phone in enumerate(phones):
        learner = make_learner(unit=commune, username=f"hv{n}", phone=phone)
        roster_add(user=trainer, session=session, learner=learner)

    for _ in range(3):
        sender.send_task(TASK)
    workers = [Worker(tmp_path / "worker.log"), Worker(tmp_path / "worker2.log")]
    try:
        wait_for(
            lambda: client.llen("celery") == 0 and client.hlen("unacked") == 0,
            what="every message to be consumed",
        )
        wait_for(
            lambda: Delivery.objects.filter(channel="sms", status="sent").count() == 3,
            what="the SMS to be sent",
        )
    finally:
        for worker in workers:
            worker.stop()
    reminders = Notification.objects.filter(kind=Kind.CLASS_REMINDER)
    assert sorted(reminders.values_list("user__profile__phone", flat=True)) == phones
    lines = [
        json.loads(line) for line in (tmp_path / "sms.log").read_text(encoding="utf-8").splitlines()
    ]
    assert sorted(line["to"] for line in lines) == phones
    logs = (tmp_path / "worker.log").read_text() + (tmp_path / "worker2.log").read_text()
    assert logs.count(f"Task {TASK}[") >= 3  # every duplicate ran
