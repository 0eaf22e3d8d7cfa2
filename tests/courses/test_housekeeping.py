"""Housekeeping: raw xAPI statements past their retention go, their summaries stay; expired
sessions go. Both run daily from Celery beat."""

import datetime
import json
import uuid
from importlib import import_module

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from courses.h5p.packages import h5p_package_import
from courses.h5p.services import xapi_statements_prune
from courses.models import H5PActivityProgress, XAPIStatement
from courses.services import enrolment_create
from courses.tasks import xapi_statements_prune as prune_task
from people.tasks import sessions_clear
from tests.factories import make_course, make_learner, make_unit

from .h5p_support import make_h5p_lesson, minimal_zip

pytestmark = pytest.mark.django_db
ANSWERED = "http://adlnet.gov/expapi/verbs/answered"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(home, media):
    learner = make_learner(unit=make_unit("Gia Lai"), username="hnuong")
    course = make_course("Tin học cơ bản", lessons=0, quiz=[])
    package = h5p_package_import(upload=minimal_zip(), user=None)
    lesson, block_id = make_h5p_lesson(course, package, pass_mark=80)
    enrolment_create(user=learner, course=course)
    return {"learner": learner, "lesson": lesson, "block": block_id}


def send(client, world, raw):
    statement = {
        "id": str(uuid.uuid4()),
        "actor": {"account": {"name": str(uuid.uuid4())}, "objectType": "Agent"},
        "verb": {"id": ANSWERED},
        "object": {"id": "http://127.0.0.1/content/x", "objectType": "Activity"},
        "result": {"score": {"raw": raw, "min": 0, "max": 10, "scaled": raw / 10}},
    }
    body = {"lesson": world["lesson"].pk, "block": world["block"], "statement": statement}
    response = client.post(
        reverse("courses:h5p:xapi"), data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content


def aged(days: int, pks):
    XAPIStatement.objects.filter(pk__in=pks).update(
        stored_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_old_statements_go_in_batches_and_their_summary_stays(client, world):
    client.force_login(world["learner"])
    for raw in (3, 9, 5, 7, 4):
        send(client, world, raw)
    rows = list(XAPIStatement.objects.order_by("pk").values_list("pk", flat=True))
    assert len(rows) == 5
    aged(400, rows[:3])
    aged(10, rows[3:])
    summary = H5PActivityProgress.objects.values_list("best_score", "attempts").get()
    assert summary[0] == 90
    cutoff = timezone.now() - datetime.timedelta(days=365)
    assert xapi_statements_prune(before=cutoff, batch=2) == 3
    assert list(XAPIStatement.objects.order_by("pk").values_list("pk", flat=True)) == rows[3:]
    assert H5PActivityProgress.objects.values_list("best_score", "attempts").get() == summary
    assert xapi_statements_prune(before=cutoff, batch=2) == 0  # again: nothing left to do


def test_the_task_keeps_the_configured_days(client, world, settings):
    client.force_login(world["learner"])
    for raw in (1, 2):
        send(client, world, raw)
    old, new = XAPIStatement.objects.order_by("pk").values_list("pk", flat=True)
    aged(40, [old])
    settings.LMS_XAPI_RETENTION_DAYS = 0  # for ever
    assert prune_task.delay().get() == 0 and XAPIStatement.objects.count() == 2
    settings.LMS_XAPI_RETENTION_DAYS = 30
    assert prune_task.delay().get() == 1
    assert list(XAPIStatement.objects.values_list("pk", flat=True)) == [new]


def test_both_run_daily_from_beat():
    tasks = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks["courses.tasks.xapi_statements_prune"] == 24 * 3600
    assert tasks["people.tasks.sessions_clear"] == 24 * 3600


def test_expired_sessions_are_cleared(client, world):
    client.force_login(world["learner"])
    live = client.session.session_key
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store["x"] = 1
    store.set_expiry(-1)  # already expired
    store.create()
    from django.contrib.sessions.models import Session

    assert Session.objects.filter(session_key=store.session_key).exists()
    sessions_clear.delay().get()
    assert not Session.objects.filter(session_key=store.session_key).exists()
    assert Session.objects.filter(session_key=live).exists()


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (the PostgreSQL pass)"
)
def test_postgresql_finds_old_statements_by_a_brin_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'xapistatement_stored_at_brin'"
        )
        (definition,) = cursor.fetchone()
    assert "USING brin (stored_at)" in definition
