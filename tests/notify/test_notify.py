"""Notifications: the service, deliveries by channel, quiet hours, preferences, retries
through Celery (against a real local HTTP receiver for the SMS adapter), the in-app list."""

import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from notify.models import Delivery, Notification
from notify.services import (
    LOCAL_TZ,
    MAX_ATTEMPTS,
    Message,
    deliveries_sweep,
    delivery_retry,
    delivery_send,
    notifications_mark_read,
    notify_many,
    preference_update,
    quiet_hours_end,
)
from notify.services import notify as notify_service
from tests.factories import make_learner

pytestmark = pytest.mark.django_db


def notify(*args, **kwargs):
    """The service, with its on-commit work (queueing the deliveries) run as a commit would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return notify_service(*args, **kwargs)


@pytest.fixture(autouse=True)
def sms_file(settings, tmp_path):
    settings.LMS_SMS_BACKEND = "notify.sms.FileBackend"
    settings.LMS_SMS_FILE = tmp_path / "sms.log"
    return settings.LMS_SMS_FILE


def sms_lines(path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def learner(db):
    user = make_learner(phone="0905123456", full_name="Rơ Châm H'Hen")
    user.email = "hhen@example.vn"
    user.save()
    return user


def statuses(notification) -> dict:
    return dict(notification.deliveries.values_list("channel", "status"))


def test_notify_creates_the_notification_and_sends_each_channel(learner, sms_file):
    notification = notify(
        learner, "certificate_ready", "Chứng chỉ đã sẵn sàng", "Tin học cơ bản", url="/v/abc/"
    )
    assert statuses(notification) == {"in_app": "sent", "email": "sent", "sms": "sent"}
    assert mail.outbox[0].to == ["hhen@example.vn"]
    assert "Chứng chỉ đã sẵn sàng" in mail.outbox[0].subject
    assert mail.outbox[0].body.endswith("/v/abc/")
    [sms] = sms_lines(sms_file)
    assert sms["to"] == "0905123456" and "Chứng chỉ đã sẵn sàng" in sms["text"]


def test_missing_addresses_are_skipped_visibly(db, sms_file):
    user = make_learner()
    notification = notify(user, "certificate_ready", "Chứng chỉ đã sẵn sàng")
    assert statuses(notification) == {"in_app": "sent", "email": "skipped", "sms": "skipped"}
    assert notification.deliveries.get(channel="sms").last_error
    assert sms_lines(sms_file) == []


def test_nothing_is_sent_when_the_transaction_rolls_back(learner, sms_file):
    from django.db import transaction

    with TestCase.captureOnCommitCallbacks(execute=True) as hooks:
        with pytest.raises(RuntimeError), transaction.atomic():
            notify_service(learner, "certificate_ready", "Chứng chỉ")
            raise RuntimeError
    assert hooks == []
    assert not Notification.objects.exists()
    assert mail.outbox == [] and sms_lines(sms_file) == []


def test_inputs_are_validated(learner):
    for kwargs in (
        {"kind": "nope", "title": "x"},
        {"kind": "general", "title": "   "},
        {"kind": "general", "title": "x", "url": "https://evil.example/"},
        {"kind": "general", "title": "x", "url": "//evil.example/"},
    ):
        with pytest.raises(ValidationError):
            notify(learner, **kwargs)
    long = notify(learner, "general", "t" * 5000, "b" * 50_000)
    assert len(long.title) == 200 and len(long.body) == 2000


def _learners(count: int, first: int = 0) -> list:
    people = []
    for n in range(first, first + count):
        user = make_learner(phone=f"0905{n:06d}" if n % 2 else "", full_name=f"Ksor H'Lan {n}")
        user.email = f"hlan{n}@example.vn" if n % 3 else ""
        user.save()
        people.append(user)
    return people


def test_notify_many_writes_what_notify_writes_one_by_one(db, sms_file):
    people = _learners(6)
    preference_update(user=people[0], channels={"certificate_ready": ["sms"]})
    one_by_one = [
        notify(p, "certificate_ready", "Chứng chỉ", "Tin học", url="/v/a/") for p in people
    ]
    expected = [statuses(n) for n in one_by_one]
    mail.outbox.clear()
    sms_file.unlink(missing_ok=True)
    with TestCase.captureOnCommitCallbacks(execute=True):
        batch = notify_many(
            [Message(p, "certificate_ready", "Chứng chỉ", "Tin học", url="/v/a/") for p in people]
        )
    assert [n.user_id for n in batch] == [p.pk for p in people]
    assert [statuses(n) for n in batch] == expected
    assert expected[0] == {"in_app": "sent", "sms": "skipped"}  # preference kept, no phone
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people if p.email)
    assert sorted(line["to"] for line in sms_lines(sms_file)) == sorted(
        p.profile.phone for p in people[1:] if p.profile.phone
    )
    # The header's unread counts, one cache write for everyone.
    from django.core.cache import cache

    from notify.services import unread_cache_key

    assert cache.get_many([unread_cache_key(p.pk) for p in people]) == {
        unread_cache_key(p.pk): 2 for p in people
    }


def test_notify_many_checks_every_message_before_writing(learner):
    with pytest.raises(ValidationError):
        notify_many(
            [
                Message(learner, "general", "Một"),
                Message(learner, "general", "Hai", url="https://evil.example/"),
            ]
        )
    assert not Notification.objects.exists()
    assert notify_many([]) == []


def test_notify_many_queries_do_not_grow_with_the_batch(db, django_assert_num_queries):
    from notify.services import unread_counts_refresh

    for people in (_learners(2), _learners(20, first=2)):
        # The notifications, the preferences, the deliveries (their ids come back), inside
        # a savepoint and its release.
        with django_assert_num_queries(5), TestCase.captureOnCommitCallbacks() as hooks:
            notify_many([Message(p, "certificate_ready", "Chứng chỉ") for p in people])
        assert len(hooks) == 1  # one hook for the batch
        # After the commit: one grouped count for everyone's unread figure.
        with django_assert_num_queries(1):
            unread_counts_refresh(user_ids=[p.pk for p in people])


def test_preferences_choose_channels(learner, sms_file):
    preference_update(user=learner, channels={"certificate_ready": ["sms"]})
    notification = notify(learner, "certificate_ready", "Chứng chỉ")
    assert statuses(notification) == {"in_app": "sent", "sms": "sent"}
    assert mail.outbox == []
    with pytest.raises(ValidationError):
        preference_update(user=learner, channels={"certificate_ready": ["fax"]})
    with pytest.raises(ValidationError):
        preference_update(user=learner, channels={"nope": ["sms"]})
    with pytest.raises(ValidationError):
        preference_update(user=learner, channels={}, quiet_start=datetime.time(21))


@pytest.mark.parametrize(
    "local_time,start,end,expected",
    [
        ("22:30", "21:00", "06:30", "tomorrow 06:30"),
        ("05:00", "21:00", "06:30", "today 06:30"),
        ("12:00", "21:00", "06:30", None),
        ("12:30", "12:00", "13:00", "today 13:00"),
        ("13:00", "12:00", "13:00", None),
    ],
)
def test_quiet_hours_end(local_time, start, end, expected):
    hour, minute = map(int, local_time.split(":"))
    now = datetime.datetime(2026, 12, 7, hour, minute, tzinfo=LOCAL_TZ)
    parse = lambda v: datetime.time(*map(int, v.split(":")))  # noqa: E731
    found = quiet_hours_end(now, parse(start), parse(end))
    if expected is None:
        assert found is None
    else:
        day, clock = expected.split()
        want = datetime.datetime.combine(
            now.date() + datetime.timedelta(days=day == "tomorrow"), parse(clock), LOCAL_TZ
        )
        assert found == want


def test_deliveries_in_quiet_hours_wait(learner, sms_file):
    local_now = timezone.now().astimezone(LOCAL_TZ)
    # Quiet from an hour ago until two hours from now (local time).
    start = (local_now - datetime.timedelta(hours=1)).time().replace(second=0, microsecond=0)
    end = (local_now + datetime.timedelta(hours=2)).time().replace(second=0, microsecond=0)
    preference_update(user=learner, channels={}, quiet_start=start, quiet_end=end)
    notification = notify(learner, "class_reminder", "Lớp học ngày mai")
    sms = notification.deliveries.get(channel="sms")
    # Celery's eager mode ignores the ETA and runs at once: the service still refuses to
    # send before the delivery is due.
    assert sms.status == "pending" and sms.attempts == 0
    assert sms.due_at > timezone.now() + datetime.timedelta(hours=1)
    assert sms_lines(sms_file) == [] and mail.outbox == []
    assert statuses(notification)["in_app"] == "sent"  # in-app is never held back
    assert delivery_send(delivery_id=sms.pk) == "not-due"
    # When the quiet hours are over, the sweep sends it.
    Delivery.objects.filter(pk=sms.pk).update(
        due_at=timezone.now(), updated_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert deliveries_sweep() == 1
    sms.refresh_from_db()
    assert sms.status == "sent"
    assert delivery_send(delivery_id=sms.pk) == "sent"  # only once
    assert len(sms_lines(sms_file)) == 1


class Receiver(BaseHTTPRequestHandler):
    """A local SMS provider: answers 503 to the first `fail` requests, then 200."""

    fail = 1
    received: list = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).received.append({"body": body, "auth": self.headers["Authorization"]})
        failing = len(type(self).received) <= type(self).fail
        self.send_response(503 if failing else 200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def provider(settings):
    Receiver.received = []
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.LMS_SMS_BACKEND = "notify.sms.HttpBackend"
    settings.LMS_SMS_HTTP_URL = f"http://127.0.0.1:{server.server_port}/sms"
    settings.LMS_SMS_HTTP_API_KEY = "test-key"
    settings.LMS_SMS_HTTP_TIMEOUT = 5
    yield Receiver
    server.shutdown()
    server.server_close()


def test_http_sms_retries_after_a_failure_and_sends_once(learner, provider):
    preference_update(user=learner, channels={"pin": ["sms"]})
    provider.fail = 1
    notification = notify(learner, "pin", "Mã PIN mới của bạn")
    sms = notification.deliveries.get(channel="sms")
    # Celery (eager in tests) retried the task after the provider's 503: two requests, the
    # second accepted; the delivery is sent once, after two attempts.
    assert [r["auth"] for r in provider.received] == ["Bearer test-key"] * 2
    assert {r["body"]["reference"] for r in provider.received} == {f"hocso-delivery-{sms.pk}"}
    assert provider.received[1]["body"]["to"] == "0905123456"
    assert (sms.status, sms.attempts, sms.last_error) == ("sent", 2, "")
    # Sending again (a redelivered message) does nothing.
    assert delivery_send(delivery_id=sms.pk) == "sent"
    assert len(provider.received) == 2


def test_http_sms_failing_for_good_leaves_a_visible_status(learner, provider):
    preference_update(user=learner, channels={"pin": ["sms"]})
    provider.fail = 100
    notification = notify(learner, "pin", "Mã PIN mới của bạn")
    sms = notification.deliveries.get(channel="sms")
    assert sms.status == "failed"
    assert sms.attempts == MAX_ATTEMPTS == len(provider.received)
    assert "503" in sms.last_error
    # An administrator's retry sends it again, once.
    provider.fail = 0
    delivery_retry(delivery_id=sms.pk)
    assert delivery_send(delivery_id=sms.pk) == "sent"
    assert len(provider.received) == MAX_ATTEMPTS + 1


def test_unreachable_provider_is_a_failure_not_a_crash(learner, settings):
    settings.LMS_SMS_BACKEND = "notify.sms.HttpBackend"
    settings.LMS_SMS_HTTP_URL = "http://127.0.0.1:9/sms"  # discard port: refused
    settings.LMS_SMS_HTTP_TIMEOUT = 1
    preference_update(user=learner, channels={"pin": ["sms"]})
    sms = notify(learner, "pin", "Mã PIN").deliveries.get(channel="sms")
    assert sms.status == "failed" and "unreachable" in sms.last_error


def test_sweep_sends_what_nobody_sent(learner, sms_file):
    preference_update(user=learner, channels={"pin": ["sms"]})
    notification = notify(learner, "pin", "Mã PIN")
    sms = notification.deliveries.get(channel="sms")
    old = timezone.now() - datetime.timedelta(hours=1)
    # A lost message (pending) and a worker that died mid-send (sending).
    Delivery.objects.filter(pk=sms.pk).update(status="sending", updated_at=old, sent_at=None)
    assert deliveries_sweep() == 1  # freed and queued
    sms.refresh_from_db()
    assert sms.status == "sent" and len(sms_lines(sms_file)) == 2
    # A recent pending row is left alone (its own task is probably on the way).
    Delivery.objects.filter(pk=sms.pk).update(status="pending", updated_at=timezone.now())
    assert deliveries_sweep() == 0
    Delivery.objects.filter(pk=sms.pk).update(updated_at=old)
    assert deliveries_sweep() == 1
    sms.refresh_from_db()
    assert sms.status == "sent" and len(sms_lines(sms_file)) == 3


def test_list_page_marks_read_and_only_own(client, learner):
    other = make_learner()
    mine = notify(learner, "general", "Thông báo của tôi", url="/courses/")
    theirs = notify(other, "general", "Thông báo của người khác")
    assert client.get(reverse("notify:list")).status_code == 302  # sign in first
    client.force_login(learner)
    page = client.get(reverse("notify:list"))
    soup = BeautifulSoup(page.content, "html.parser")
    [item] = soup.select(".notifications li")
    assert "notice-unread" in item["class"]
    assert item.select_one("h2").get_text(" ", strip=True).endswith("Thông báo của tôi")
    assert soup.select_one(".bell-count").get_text(" ", strip=True).startswith("1")
    # Someone else's id changes nothing; GET changes nothing.
    client.post(reverse("notify:read"), {"id": theirs.pk})
    client.get(reverse("notify:read"), {"id": mine.pk})
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.read_at is None and mine.read_at is None
    response = client.post(reverse("notify:read"), {"id": mine.pk, "next": "/courses/"})
    assert response["Location"] == "/courses/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    soup = BeautifulSoup(client.get(reverse("notify:list")).content, "html.parser")
    assert soup.select_one(".bell-count") is None
    # An open redirect is refused.
    evil = client.post(reverse("notify:read"), {"id": mine.pk, "next": "https://evil.example/"})
    assert evil["Location"] == reverse("notify:list")
    assert client.post(reverse("notify:read"), {"id": "1 OR 1=1"}).status_code == 302


def test_mark_all_read(learner):
    for n in range(3):
        notify(learner, "general", f"Tin {n}")
    assert notifications_mark_read(user=learner) == 3
    assert not Notification.objects.filter(user=learner, read_at__isnull=True).exists()


def test_preferences_page(client, learner):
    client.force_login(learner)
    url = reverse("notify:preferences")
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"kind_certificate_ready": ["sms"], "quiet_start": "21:00", "quiet_end": "06:00"}
    )
    assert response.status_code == 302
    pref = learner.notify_preference
    assert pref.channels_for("certificate_ready") == ["in_app", "sms"]
    assert pref.channels_for("class_reminder") == ["in_app"]
    assert pref.quiet_start == datetime.time(21)
    bad = client.post(url, {"kind_pin": ["fax"], "quiet_start": "25:00"})
    assert bad.status_code == 200
    assert client.post(url, {"quiet_start": "21:00"}).status_code == 200  # end missing


def test_list_query_budget(client, learner, django_assert_num_queries):
    for n in range(30):
        notify(learner, "general", f"Tin {n}")
    client.force_login(learner)
    client.get(reverse("notify:list"))
    # 1 the user (the session comes from the cache), 2 the page's count, 3 its rows.
    with django_assert_num_queries(3):
        assert client.get(reverse("notify:list")).status_code == 200


def test_email_settings_are_documented_defaults():
    assert settings.EMAIL_BACKEND.endswith("locmem.EmailBackend")  # the test settings
    assert settings.DEFAULT_FROM_EMAIL
