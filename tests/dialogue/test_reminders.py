"""Reminders for learners without email (courses/reminders.py, sent through notify): a class
day tomorrow and a course deadline, each sent once however often the task runs; SMS waits
for the end of quiet hours. Plus the header's unread count (one cached number)."""

import datetime
import json

import pytest
from django.test import TestCase
from django.utils import timezone

from courses.classes.services import roster_add, session_create
from courses.models import Enrolment
from courses.reminders import LOCAL_TZ, reminders_send
from courses.services import enrolment_create
from courses.tasks import reminders_send as reminders_task
from notify.models import Delivery, Kind, Notification
from notify.services import notify, preference_update
from tests.factories import make_learner

pytestmark = pytest.mark.django_db

# 09:00 in Vietnam on Monday 2 November 2026.
NOW = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=LOCAL_TZ)


def run(now=NOW):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return reminders_send(now=now)


def sms_lines(path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def phone_learner(world):
    return make_learner(unit=world["ia_grai"], username="ksor", phone="0905123456")


def make_class(world, start: datetime.date, days: int = 2, **extra):
    return session_create(
        user=world["trainer"],
        course=world["course"],
        title="Lớp tập huấn Ia Grai",
        venue=world["ia_grai"],
        address="Hội trường UBND xã",
        start_date=start,
        end_date=start + datetime.timedelta(days=days - 1),
        **extra,
    )


def test_class_reminder_the_day_before_once_by_app_and_sms(world, phone_learner, sms_file):
    session = make_class(world, datetime.date(2026, 11, 3))
    roster_add(user=world["trainer"], session=session, learner=phone_learner)
    roster_add(user=world["trainer"], session=session, learner=world["learner"])  # no phone
    later = make_class(world, datetime.date(2026, 11, 10))
    roster_add(user=world["trainer"], session=later, learner=phone_learner)

    assert run() == {"class": 2, "deadline": 0}
    assert run() == {"class": 0, "deadline": 0}  # beat again, a retry: nobody twice
    assert run(NOW + datetime.timedelta(hours=5)) == {"class": 0, "deadline": 0}
    reminders = Notification.objects.filter(kind=Kind.CLASS_REMINDER)
    assert reminders.count() == 2
    mine = reminders.get(user=phone_learner)
    assert mine.title == "Lớp học ngày mai: Lớp tập huấn Ia Grai"
    assert "Hội trường UBND xã" in mine.body
    lines = sms_lines(sms_file)
    assert [line["to"] for line in lines] == ["0905123456"]
    assert lines[0]["text"].startswith("Học Số: Lớp học ngày mai")
    assert lines[0]["text"].endswith(" http://127.0.0.1:8000/learn/")  # the whole link
    no_phone = Delivery.objects.get(notification__user=world["learner"], channel="sms")
    assert no_phone.status == "skipped"

    # The next day (the class's second day is tomorrow): one more reminder each.
    assert run(NOW + datetime.timedelta(days=1)) == {"class": 2, "deadline": 0}


def test_cancelled_classes_remind_nobody(world, phone_learner):
    session = make_class(world, datetime.date(2026, 11, 3))
    roster_add(user=world["trainer"], session=session, learner=phone_learner)
    type(session).objects.filter(pk=session.pk).update(status="cancelled")
    assert run() == {"class": 0, "deadline": 0}


def test_deadline_warned_a_week_before_and_the_day_before(world, phone_learner, sms_file):
    enrolment, _ = enrolment_create(
        user=phone_learner, course=world["course"], due_on=datetime.date(2026, 11, 8)
    )
    done, _ = enrolment_create(
        user=world["learner"], course=world["course"], due_on=datetime.date(2026, 11, 8)
    )
    Enrolment.objects.filter(pk=done.pk).update(status="completed", completed_at=timezone.now())

    assert run() == {"class": 0, "deadline": 1}  # 6 days left
    assert run(NOW + datetime.timedelta(days=2)) == {"class": 0, "deadline": 0}
    assert run(NOW + datetime.timedelta(days=5)) == {"class": 0, "deadline": 1}  # the day before
    assert run(NOW + datetime.timedelta(days=6)) == {"class": 0, "deadline": 0}
    assert run(NOW + datetime.timedelta(days=7)) == {"class": 0, "deadline": 0}  # past
    titles = list(
        Notification.objects.filter(kind=Kind.COURSE_DEADLINE)
        .order_by("pk")
        .values_list("title", flat=True)
    )
    assert titles == [
        "Còn 6 ngày để hoàn thành “Kỹ năng số cho trưởng thôn”",
        "Còn 1 ngày để hoàn thành “Kỹ năng số cho trưởng thôn”",
    ]
    assert len(sms_lines(sms_file)) == 2

    # A deadline moved to another date is a new deadline: warned again.
    enrolment_create(user=phone_learner, course=world["course"], due_on=datetime.date(2026, 11, 12))
    assert run(NOW + datetime.timedelta(days=6)) == {"class": 0, "deadline": 1}


def test_sms_waits_for_the_end_of_quiet_hours(world, phone_learner, sms_file, monkeypatch):
    preference_update(
        user=phone_learner,
        channels={},
        quiet_start=datetime.time(21, 0),
        quiet_end=datetime.time(10, 0),
    )
    session = make_class(world, datetime.date(2026, 11, 3))
    roster_add(user=world["trainer"], session=session, learner=phone_learner)
    # The task runs at 09:00 (in the quiet hours) with the real clock pinned there.
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    run()
    sms = Delivery.objects.get(notification__user=phone_learner, channel="sms")
    assert sms.status == "pending"
    assert sms.due_at == datetime.datetime(2026, 11, 2, 10, 0, tzinfo=LOCAL_TZ)
    assert sms_lines(sms_file) == []


def test_the_celery_task_is_idempotent(world, phone_learner, sms_file, monkeypatch):
    session = make_class(world, datetime.date(2026, 11, 3))
    roster_add(user=world["trainer"], session=session, learner=phone_learner)
    import courses.reminders as reminders

    monkeypatch.setattr(reminders, "local_today", lambda now=None: datetime.date(2026, 11, 2))
    for _ in range(3):
        with TestCase.captureOnCommitCallbacks(execute=True):
            reminders_task.apply()
    assert Notification.objects.filter(kind=Kind.CLASS_REMINDER).count() == 1
    assert len(sms_lines(sms_file)) == 1


def test_notify_with_a_key_tells_once(world):
    first = notify(world["learner"], Kind.GENERAL, "Một lần", key="k:1")
    assert first is not None
    assert notify(world["learner"], Kind.GENERAL, "Một lần", key="k:1") is None
    assert notify(world["outsider"], Kind.GENERAL, "Người khác", key="k:1") is not None
    assert Notification.objects.filter(key="k:1").count() == 2


# --- the header's unread count -------------------------------------------------------------------
def test_header_unread_count_is_one_cached_number(client, world, django_assert_num_queries, commit):
    from bs4 import BeautifulSoup
    from django.core.cache import cache

    learner = world["learner"]
    commit(notify, learner, Kind.GENERAL, "Chào mừng")
    commit(notify, learner, Kind.GENERAL, "Thư viện mới")
    client.force_login(learner)
    url = "/hoi-dap/"
    client.get(url)  # warm the session and site caches
    cache.delete(f"notify:unread:{learner.pk}")  # evicted: one COUNT fills it again
    # The user (the session is in the cache), the questions' count (none: no page query), and
    # the unread COUNT that refills the cache.
    with django_assert_num_queries(3):
        response = client.get(url)
    bell = BeautifulSoup(response.content, "html.parser").select_one(".bell-count")
    assert bell.get_text(" ", strip=True).startswith("2")
    with django_assert_num_queries(2):  # the unread count now comes from the cache
        client.get(url)
