"""Writes of the webhooks room: record an event's deliveries, send one, retry one.

`event_publish` runs inside the transaction of the event and writes one pending `Delivery`
per matching subscription; the sends are enqueued on commit. `delivery_attempt` POSTs the
payload once, signed:

    X-HocSo-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>
    X-HocSo-Event: completion.created
    X-HocSo-Event-Id: <uuid, the same on every retry: receivers drop duplicates by it>

A 2xx answer delivers it; anything else (another status, a timeout, a refused connection)
counts an attempt and schedules the next after an exponentially growing delay; after
`LMS_WEBHOOK_MAX_ATTEMPTS` it is failed, for an administrator to retry.
"""

import datetime
import hashlib
import hmac
import json
import logging
import time
import uuid

import requests
from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from .models import Delivery, Subscription

logger = logging.getLogger(__name__)
EVENT_NAMESPACE = uuid.UUID("6f1c9a52-3a0e-4c55-9d0b-5d7c2f0e8a11")
ERROR_CHARS = 1000
USER_AGENT = "HocSo-Webhooks/1"


def event_id_for(event: str, key: str) -> uuid.UUID:
    """The same event (e.g. one certificate's revocation) always gets the same id, so a
    signal sent twice is delivered once and receivers can drop repeats."""
    return uuid.uuid5(EVENT_NAMESPACE, f"{event}:{key}")


SUBSCRIPTIONS_CACHE_KEY = "webhooks:active-subscriptions"
SUBSCRIPTIONS_CACHE_SECONDS = 300


def active_subscriptions() -> list[tuple[int, list[str], list[str]]]:
    """(id, events, unit paths) of the active subscriptions, from the cache: most events have
    no subscriber, and then announcing one costs no query. Any change to a subscription
    clears it (receivers.subscriptions_changed)."""
    found = cache.get(SUBSCRIPTIONS_CACHE_KEY)
    if found is None:
        found = [
            (s.pk, list(s.events), [unit.path for unit in s.units.all()])
            for s in Subscription.objects.filter(is_active=True).prefetch_related("units")
        ]
        cache.set(SUBSCRIPTIONS_CACHE_KEY, found, SUBSCRIPTIONS_CACHE_SECONDS)
    return found


def subscriptions_forget() -> None:
    cache.delete(SUBSCRIPTIONS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(SUBSCRIPTIONS_CACHE_KEY))


def wanted(event: str) -> bool:
    return any(event in events for _pk, events, _paths in active_subscriptions())


def event_publish(*, event: str, key: str, data: dict, unit_path: str = "") -> list[int]:
    """Record `event` for every active subscription that wants it (and whose units hold
    `unit_path`); enqueue the sends after commit. Must run inside the event's transaction.
    Returns the new deliveries' ids."""
    subscriptions = [
        pk
        for pk, events, paths in active_subscriptions()
        if event in events
        and (not paths or (unit_path and any(unit_path.startswith(p) for p in paths)))
    ]
    if not subscriptions:
        return []
    event_id = event_id_for(event, key)
    payload = json.loads(
        json.dumps(
            {
                "id": str(event_id),
                "type": event,
                "occurred_at": timezone.now(),
                "data": data,
            },
            cls=DjangoJSONEncoder,
        )
    )
    created = []
    for subscription_id in subscriptions:
        delivery, made = Delivery.objects.get_or_create(
            subscription_id=subscription_id,
            event_id=event_id,
            defaults={"event": event, "payload": payload, "next_attempt_at": timezone.now()},
        )
        if made:
            created.append(delivery.pk)
    if created:
        transaction.on_commit(lambda: _enqueue(created))
    return created


def _enqueue(delivery_ids: list[int]) -> None:
    """Send the deliveries through Celery; with the broker down they stay pending and the
    sweep sends them later."""
    from .tasks import delivery_send

    for delivery_id in delivery_ids:
        try:
            delivery_send.delay(delivery_id)
        except Exception:  # the broker is down: the sweep sends it later
            if settings.CELERY_TASK_ALWAYS_EAGER:
                raise
            logger.warning("webhook delivery %s not queued; the sweep will send it", delivery_id)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def retry_delay(attempts: int) -> datetime.timedelta:
    """30 s, 1 min, 2 min, … after the 1st, 2nd, 3rd failed attempt, capped (settings)."""
    base = settings.LMS_WEBHOOK_RETRY_BASE_SECONDS
    seconds = min(base * 2 ** max(attempts - 1, 0), settings.LMS_WEBHOOK_RETRY_MAX_SECONDS)
    return datetime.timedelta(seconds=seconds)


def delivery_attempt(*, delivery_id: int) -> Delivery | None:
    """POST one pending delivery once and record the outcome (see the module doc). A
    delivery that is no longer pending (delivered, failed, gone) is left alone."""
    delivery = (
        Delivery.objects.select_related("subscription")
        .filter(pk=delivery_id, status=Delivery.Status.PENDING)
        .first()
    )
    if delivery is None:
        return Delivery.objects.filter(pk=delivery_id).first()
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-HocSo-Event": delivery.event,
        "X-HocSo-Event-Id": str(delivery.event_id),
        "X-HocSo-Signature": signature(delivery.subscription.secret, timestamp, body),
    }
    code, error = None, ""
    try:
        response = requests.post(
            delivery.subscription.url,
            data=body,
            headers=headers,
            timeout=settings.LMS_WEBHOOK_TIMEOUT_SECONDS,
            allow_redirects=False,
        )
        code = response.status_code
        if not 200 <= code < 300:
            error = f"HTTP {code}: {response.text[:200]}"
    except requests.RequestException as exc:
        error = f"{type(exc).__name__}: {exc}"
    now = timezone.now()
    delivery.attempts += 1
    delivery.response_code = code
    if not error:
        delivery.status = Delivery.Status.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        delivery.last_error = ""
    elif delivery.attempts >= settings.LMS_WEBHOOK_MAX_ATTEMPTS:
        delivery.status = Delivery.Status.FAILED
        delivery.next_attempt_at = None
        delivery.last_error = error[:ERROR_CHARS]
    else:
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
        delivery.last_error = error[:ERROR_CHARS]
    # Only a still-pending row is updated: a concurrent attempt that finished first wins.
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.PENDING).update(
        status=delivery.status,
        attempts=delivery.attempts,
        response_code=delivery.response_code,
        delivered_at=delivery.delivered_at,
        next_attempt_at=delivery.next_attempt_at,
        last_error=delivery.last_error,
    )
    return delivery


@transaction.atomic
def deliveries_retry(*, delivery_ids) -> int:
    """Send failed (or pending) deliveries again now, with a fresh count of attempts (the
    admin's "retry now"). Delivered ones are left alone. Returns how many were queued."""
    ids = list(
        Delivery.objects.filter(pk__in=list(delivery_ids))
        .exclude(status=Delivery.Status.DELIVERED)
        .values_list("pk", flat=True)
    )
    Delivery.objects.filter(pk__in=ids).update(
        status=Delivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))
    return len(ids)


SWEEP_GRACE = datetime.timedelta(minutes=5)
SWEEP_LIMIT = 1000


def deliveries_sweep(*, now: datetime.datetime | None = None) -> int:
    """Queue pending deliveries whose next attempt is overdue by more than a grace period
    (their message was lost: the broker was down at commit, a worker died). Celery beat."""
    now = now or timezone.now()
    ids = list(
        Delivery.objects.filter(
            status=Delivery.Status.PENDING, next_attempt_at__lt=now - SWEEP_GRACE
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    _enqueue(ids)
    return len(ids)
