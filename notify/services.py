"""Writes of the notify room: `notify()` (the one way to tell someone something; `notify_many`
for a batch), sending a delivery, marking read, and preferences."""

import datetime
import logging
from dataclasses import dataclass, replace
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.public_url import public_url

from .models import Channel, Delivery, Kind, Notification, Preference
from .sms import sms_backend

logger = logging.getLogger(__name__)

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_ATTEMPTS = 5
SMS_MAX_CHARS = 320
UNREAD_TTL = 30 * 24 * 3600


def unread_cache_key(user_id: int) -> str:
    return f"notify:unread:{user_id}"


def unread_count_refresh(*, user_id: int) -> int:
    """Count and cache the person's unread notifications (the header reads the cache only)."""
    return unread_counts_refresh(user_ids=[user_id])[user_id]


def unread_counts_refresh(*, user_ids: list[int]) -> dict[int, int]:
    """`unread_count_refresh` for several people: one grouped count, one cache write."""
    counts = dict.fromkeys(user_ids, 0)
    counts.update(
        Notification.objects.filter(user_id__in=user_ids, read_at__isnull=True)
        .order_by()
        .values("user_id")
        .annotate(unread=Count("pk"))
        .values_list("user_id", "unread")
    )
    cache.set_many({unread_cache_key(u): n for u, n in counts.items()}, timeout=UNREAD_TTL)
    return counts


def quiet_hours_end(now: datetime.datetime, start, end) -> datetime.datetime | None:
    """When the quiet hours that `now` falls in end (an aware datetime), or None when `now`
    is not in quiet hours. Start and end are local times; start > end spans midnight."""
    if start is None or end is None or start == end:
        return None
    local = now.astimezone(LOCAL_TZ)
    t = local.time()
    today_end = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if start < end:
        return today_end if start <= t < end else None
    if t >= start:  # evening part: ends tomorrow morning
        return today_end + datetime.timedelta(days=1)
    if t < end:  # early-morning part: ends this morning
        return today_end
    return None


def _address(user, channel: str) -> str:
    if channel == Channel.EMAIL:
        return user.email or ""
    if channel == Channel.SMS:
        profile = getattr(user, "profile", None)
        return getattr(profile, "phone", "") or ""
    return ""


@dataclass(frozen=True)
class Message:
    """What `notify_many` tells one person (the arguments of `notify`, without a key)."""

    user: Any
    kind: str
    title: str
    body: str = ""
    url: str = ""


def _checked(message: Message) -> Message:
    """The message as stored (title on one line, lengths cut), or ValidationError."""
    if message.kind not in Kind.values:
        raise ValidationError(_("Unknown notification kind."))
    title = " ".join((message.title or "").split())[:200]
    if not title:
        raise ValidationError(_("A notification needs a title."))
    url = message.url
    if url and not (url.startswith("/") and not url.startswith("//")):
        raise ValidationError(_("A notification links only to a page of this site."))
    return replace(message, title=title, body=(message.body or "")[:2000])


@transaction.atomic
def notify(
    user, kind: str, title: str, body: str = "", *, url: str = "", key: str = ""
) -> Notification | None:
    """Tell `user` something: the in-app notification and one delivery per channel their
    preferences allow, in one transaction; email and SMS are sent by Celery once it commits.

    A channel without an address (no email, no phone) is recorded as skipped; a delivery due
    in the person's quiet hours waits until they end.

    With a `key` the person is told once per key: a second call (a task retried, two
    workers at once) returns None and sends nothing.
    """
    message = _checked(Message(user, kind, title, body, url))
    if not key:
        return _notify_checked([message])[0]
    if Notification.objects.filter(user=user, key=key).exists():
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, kind=kind, title=message.title, body=message.body, url=url, key=key
            )
    except IntegrityError:  # another worker told them a moment ago
        return None
    _deliver([(message, notification)])
    return notification


@transaction.atomic
def notify_many(messages: list[Message]) -> list[Notification]:
    """`notify` for a batch (the certificates one task issued): the same rows and deliveries,
    written with one INSERT per table and one read of the preferences, and one hook after the
    commit. Every message is checked before anything is written."""
    return _notify_checked([_checked(message) for message in messages])


def _notify_checked(messages: list[Message]) -> list[Notification]:
    if not messages:
        return []
    notifications = Notification.objects.bulk_create(
        [
            Notification(user=m.user, kind=m.kind, title=m.title, body=m.body, url=m.url)
            for m in messages
        ]
    )
    _deliver(list(zip(messages, notifications, strict=True)))
    return notifications


def _deliver(told: list[tuple[Message, Notification]]) -> None:
    """The deliveries of new notifications, per each person's preferences; the pending ones
    are queued once the transaction commits."""
    user_ids = {message.user.pk for message, _notification in told}
    preferences = {p.user_id: p for p in Preference.objects.filter(user_id__in=user_ids)}
    now = timezone.now()
    deliveries = []
    for message, notification in told:
        user = message.user
        preference = preferences.get(user.pk) or Preference(user=user)
        due = quiet_hours_end(now, preference.quiet_start, preference.quiet_end) or now
        for channel in preference.channels_for(message.kind):
            if channel == Channel.IN_APP:
                deliveries.append(
                    Delivery(
                        notification=notification,
                        channel=channel,
                        status=Delivery.Status.SENT,
                        due_at=now,
                        sent_at=now,
                    )
                )
                continue
            address = _address(user, channel)
            deliveries.append(
                Delivery(
                    notification=notification,
                    channel=channel,
                    address=address,
                    status=Delivery.Status.PENDING if address else Delivery.Status.SKIPPED,
                    last_error="" if address else _("No address for this channel."),
                    due_at=due,
                )
            )
    Delivery.objects.bulk_create(deliveries)
    # The new rows come back with their ids (RETURNING: PostgreSQL, and SQLite 3.35+, which
    # core.db's upserts need too).
    pending = [(d.pk, d.due_at) for d in deliveries if d.status == Delivery.Status.PENDING]
    transaction.on_commit(partial(_after_commit, sorted(user_ids), pending))


def _after_commit(user_ids: list[int], pending: list[tuple[int, datetime.datetime]]) -> None:
    from .tasks import delivery_send_task

    unread_counts_refresh(user_ids=user_ids)
    now = timezone.now()
    for delivery_id, due in pending:
        try:
            if due > now:
                delivery_send_task.apply_async(args=[delivery_id], eta=due)
            else:
                delivery_send_task.delay(delivery_id)
        except Exception:  # the broker is down: the sweep sends it later
            logger.warning("delivery %s not queued; the sweep will", delivery_id, exc_info=True)


def _link(notification: Notification) -> str:
    return public_url() + notification.url if notification.url else ""


def _message(notification: Notification) -> tuple[str, str]:
    link = _link(notification)
    text = "\n\n".join(part for part in (notification.body, link) if part)
    return notification.title, text


def _send(delivery: Delivery) -> None:
    notification = delivery.notification
    subject, text = _message(notification)
    if delivery.channel == Channel.EMAIL:
        send_mail(
            subject=f"[Học Số] {subject}",
            message=text,
            from_email=None,
            recipient_list=[delivery.address],
        )
    elif delivery.channel == Channel.SMS:
        sms = f"Học Số: {subject}" + (
            f" {public_url()}{notification.url}" if notification.url else ""
        )
        sms_backend().send(
            to=delivery.address, text=sms[:SMS_MAX_CHARS], reference=f"hocso-delivery-{delivery.pk}"
        )


def delivery_send(*, delivery_id: int) -> str:
    """Send one pending delivery that is due. Returns its status afterwards: "sent", "failed"
    (no attempts left), "pending" (failed, try again), "not-due", or the status it already
    had.

    The row is claimed (pending → sending) by one UPDATE, so two workers holding the same
    message never both send it; a worker that dies mid-send leaves "sending", which the sweep
    returns to pending after a while.
    """
    now = timezone.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id, status=Delivery.Status.PENDING, due_at__lte=now
    ).update(status=Delivery.Status.SENDING, attempts=F("attempts") + 1)
    delivery = Delivery.objects.select_related("notification").filter(pk=delivery_id).first()
    if delivery is None:
        return "missing"
    if not claimed:
        # Already handled, or not due yet (a message that came early: the sweep sends it once
        # it is due).
        if delivery.status == Delivery.Status.PENDING:
            return "not-due"
        return delivery.status
    try:
        _send(delivery)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        status = (
            Delivery.Status.FAILED if delivery.attempts >= MAX_ATTEMPTS else Delivery.Status.PENDING
        )
        Delivery.objects.filter(pk=delivery.pk).update(status=status, last_error=error)
        logger.warning("delivery %s attempt %s failed: %s", delivery.pk, delivery.attempts, error)
        return status
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return Delivery.Status.SENT


def delivery_retry(*, delivery_id: int) -> None:
    """Give a failed delivery another round of attempts (an administrator's action)."""
    Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.FAILED).update(
        status=Delivery.Status.PENDING, attempts=0, due_at=timezone.now()
    )


def deliveries_sweep(*, stale_minutes: int = 10) -> int:
    """Queue the due pending deliveries nobody sent (the broker was down, a retry ran out of
    queue) and free the ones a dead worker left "sending". Returns how many were queued."""
    from .tasks import delivery_send_task

    now = timezone.now()
    stale = now - datetime.timedelta(minutes=stale_minutes)
    Delivery.objects.filter(status=Delivery.Status.SENDING, updated_at__lt=stale).update(
        status=Delivery.Status.PENDING
    )
    ids = list(
        Delivery.objects.filter(
            status=Delivery.Status.PENDING, due_at__lte=now, updated_at__lt=stale
        ).values_list("pk", flat=True)[:500]
    )
    for delivery_id in ids:
        delivery_send_task.delay(delivery_id)
    return len(ids)


def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    """Mark the person's notifications read (all unread ones when `ids` is None); only their
    own: ids of other people's notifications change nothing."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    changed = unread.update(read_at=timezone.now())
    unread_count_refresh(user_id=user.pk)
    return changed


def preference_update(*, user, channels: dict, quiet_start=None, quiet_end=None) -> Preference:
    """Save the person's channels per kind and quiet hours; unknown kinds or channels are
    refused, in-app cannot be turned off."""
    clean = {}
    for kind, chosen in channels.items():
        if kind not in Kind.values or not set(chosen) <= set(Channel.values):
            raise ValidationError(_("Unknown notification kind or channel."))
        clean[kind] = sorted({Channel.IN_APP, *chosen})
    if (quiet_start is None) != (quiet_end is None):
        raise ValidationError(_("Give both the start and the end of the quiet hours."))
    preference, _created = Preference.objects.update_or_create(
        user=user,
        defaults={"channels": clean, "quiet_start": quiet_start, "quiet_end": quiet_end},
    )
    return preference
