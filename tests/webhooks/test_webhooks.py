"""Webhooks: deliveries written with their event, signed, retried with backoff through Celery
(eager here) against a real local HTTP receiver, failed after the last attempt, retried from
the admin."""

import datetime
import hashlib
import hmac
import json

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from certificates.models import Certificate
from certificates.services import certificate_revoke
from courses.services import enrolment_complete, enrolment_create
from tests.factories import make_admin
from webhooks.models import Delivery, Subscription
from webhooks.services import (
    deliveries_sweep,
    event_publish,
    retry_delay,
    signature,
    wanted,
)

from .receiver import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    made = []

    def start(fail_first=0):
        r = Receiver(fail_first=fail_first)
        made.append(r)
        return r

    yield start
    for r in made:
        r.stop()


def subscribe(url, events=("completion.created",), units=(), **fields):
    subscription = Subscription.objects.create(
        name="Hệ thống nhân sự Gia Lai", url=url, events=list(events), **fields
    )
    subscription.units.set(units)
    return subscription


def verify(secret: str, headers: dict, body: bytes) -> bool:
    """What a receiver does (the README's example): recompute the HMAC over "t.body"."""
    parts = dict(item.split("=", 1) for item in headers["x-hocso-signature"].split(","))
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(expected.hexdigest(), parts["v1"])


def complete(learner, course, capture, evidence="attendance"):
    enrolment, _ = enrolment_create(user=learner, course=course)
    with capture(execute=True):
        enrolment_complete(enrolment=enrolment, evidence=evidence)
    return enrolment


def test_a_completion_is_delivered_signed(api_world, receiver, django_capture_on_commit_callbacks):
    r = receiver()
    subscription = subscribe(r.url)
    enrolment = complete(
        api_world["hblin"], api_world["course"], django_capture_on_commit_callbacks
    )
    delivery = Delivery.objects.get(event="completion.created")
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 1, 204)
    (request,) = r.requests
    assert verify(subscription.secret, request["headers"], request["body"])
    assert not verify("another secret", request["headers"], request["body"])
    payload = json.loads(request["body"])
    assert request["headers"]["x-hocso-event-id"] == payload["id"] == str(delivery.event_id)
    assert request["headers"]["x-hocso-event"] == payload["type"] == "completion.created"
    assert payload["data"]["enrolment_id"] == enrolment.pk
    assert payload["data"]["evidence"] == "attendance"


def test_a_rolled_back_completion_sends_nothing(
    api_world, receiver, django_capture_on_commit_callbacks
):
    r = receiver()
    subscribe(r.url)
    enrolment, _ = enrolment_create(user=api_world["hblin"], course=api_world["course"])
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                enrolment_complete(enrolment=enrolment, evidence="attendance")
                raise RuntimeError("the completing transaction fails")
    assert not Delivery.objects.exists()
    assert r.requests == []


def test_retried_until_delivered_with_the_same_event_id(
    api_world, receiver, django_capture_on_commit_callbacks
):
    r = receiver(fail_first=2)
    subscribe(r.url)
    complete(api_world["hblin"], api_world["course"], django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("delivered", 3)
    assert len({req["headers"]["x-hocso-event-id"] for req in r.requests}) == 1
    assert len(r.requests) == 3


@override_settings(LMS_WEBHOOK_MAX_ATTEMPTS=3)
def test_failed_after_the_last_attempt_then_retried_from_the_admin(
    api_world, receiver, client, django_capture_on_commit_callbacks
):
    r = receiver(fail_first=3)
    subscribe(r.url)
    complete(api_world["hblin"], api_world["course"], django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("failed", 3, 500)
    assert delivery.last_error.startswith("HTTP 500")
    assert delivery.next_attempt_at is None

    client.force_login(make_admin())
    listing = client.get("/django-admin/webhooks/delivery/")
    assert listing.status_code == 200 and b"failed" in listing.content.lower()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/django-admin/webhooks/delivery/",
            {"action": "retry_now", "_selected_action": [delivery.pk]},
        )
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)
    assert len(r.requests) == 4


@override_settings(LMS_WEBHOOK_MAX_ATTEMPTS=2, LMS_WEBHOOK_TIMEOUT_SECONDS=2)
def test_an_unreachable_receiver_fails(api_world, django_capture_on_commit_callbacks):
    r = Receiver()
    url = r.url
    r.stop()  # nothing listens there any more
    subscribe(url)
    complete(api_world["hblin"], api_world["course"], django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("failed", 2, None)
    assert "ConnectionError" in delivery.last_error


def test_backoff_doubles_and_is_capped():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert retry_delay(30).total_seconds() == 21600


def test_signature_format():
    assert signature("s", 1700000000, b"{}") == (
        "t=1700000000,v1=" + hmac.new(b"s", b"1700000000.{}", hashlib.sha256).hexdigest()
    )


def test_units_events_and_inactive_subscriptions_filter(
    api_world, receiver, django_capture_on_commit_callbacks
):
    r = receiver()
    subscribe(r.url, units=[api_world["dak_lak"]])  # another province
    subscribe(r.url, events=["certificate.revoked"])  # another event
    subscribe(r.url, is_active=False)
    mine = subscribe(r.url, units=[api_world["gia_lai"]])
    complete(api_world["hblin"], api_world["course"], django_capture_on_commit_callbacks)
    assert list(Delivery.objects.values_list("subscription", flat=True)) == [mine.pk]
    assert len(r.requests) == 1


def test_the_same_event_is_delivered_once(api_world, receiver, django_capture_on_commit_callbacks):
    r = receiver()
    subscribe(r.url)
    with django_capture_on_commit_callbacks(execute=True):
        first = event_publish(event="completion.created", key="42:attendance", data={"x": 1})
        again = event_publish(event="completion.created", key="42:attendance", data={"x": 1})
    assert len(first) == 1 and again == []
    assert len(r.requests) == 1


def test_certificates_issued_and_revoked(api_world, receiver, django_capture_on_commit_callbacks):
    r = receiver()
    subscribe(r.url, events=["certificate.issued", "certificate.revoked"])
    complete(
        api_world["hblin"], api_world["course"], django_capture_on_commit_callbacks, "assessment"
    )
    certificate = Certificate.objects.get()
    assert certificate.status == "issued"
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(certificate=certificate, actor=make_admin(), reason="Cấp nhầm")
    events = [json.loads(req["body"]) for req in r.requests]
    assert [e["type"] for e in events] == ["certificate.issued", "certificate.revoked"]
    assert events[0]["data"]["serial"] == certificate.serial
    assert events[1]["data"]["revocation_reason"] == "Cấp nhầm"
    assert events[0]["data"]["learner_id"] == api_world["hblin"].pk


def test_no_subscriber_costs_no_query(db, django_assert_num_queries):
    wanted("completion.created")  # reads the (empty) list once into the cache
    with django_assert_num_queries(0):
        assert not wanted("completion.created")
    subscribe("http://127.0.0.1:9/x")  # the cache is cleared by the change
    assert wanted("completion.created")


def test_the_sweep_sends_lost_deliveries(api_world, receiver):
    r = receiver()
    subscription = subscribe(r.url)
    lost = Delivery.objects.create(
        subscription=subscription,
        event="completion.created",
        payload={"id": "x"},
        next_attempt_at=timezone.now() - datetime.timedelta(hours=1),
    )
    recent = Delivery.objects.create(
        subscription=subscription,
        event="completion.created",
        payload={"id": "y"},
        next_attempt_at=timezone.now(),
    )
    assert deliveries_sweep() == 1
    lost.refresh_from_db()
    recent.refresh_from_db()
    assert (lost.status, recent.status) == ("delivered", "pending")


def test_subscription_url_must_be_http(db):
    from django.core.exceptions import ValidationError

    subscription = Subscription(name="x", url="file:///etc/passwd")
    with pytest.raises(ValidationError):
        subscription.full_clean()
