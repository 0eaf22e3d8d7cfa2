"""Subscriptions of outside systems to events, and each delivery of an event to one of them.

A `Delivery` row is written in the transaction of the event it reports (a completion, a
certificate issued or revoked), so an event that commits is never lost and one that rolls
back is never sent; the row is the outbox, sent by Celery after commit and retried with
exponential backoff until the receiver answers 2xx or the attempts run out (`failed`, shown
in the admin, where "retry now" sends it again).
"""

import secrets
import uuid

from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from people.models import OrgUnit


class Event(models.TextChoices):
    COMPLETION_CREATED = "completion.created", _("Course completed")
    CERTIFICATE_ISSUED = "certificate.issued", _("Certificate issued")
    CERTIFICATE_REVOKED = "certificate.revoked", _("Certificate revoked")
    REPORT_SUBMITTED = "report.submitted", _("Report submitted")
    REPORT_RETURNED = "report.returned", _("Report returned")
    REPORT_ACCEPTED = "report.accepted", _("Report accepted")


def secret_default() -> str:
    return secrets.token_urlsafe(32)


def events_default() -> list[str]:
    return [Event.COMPLETION_CREATED, Event.CERTIFICATE_ISSUED, Event.CERTIFICATE_REVOKED]


class Subscription(models.Model):
    """An outside system's endpoint and the events it wants. With `units`, only events about
    learners placed at or below those units are sent (empty: every event). The secret signs
    each delivery (HMAC-SHA256); the receiver keeps a copy to check it."""

    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(
        _("URL"), max_length=500, validators=[URLValidator(schemes=["http", "https"])]
    )
    secret = models.CharField(_("signing secret"), max_length=128, default=secret_default)
    events = models.JSONField(_("events"), default=events_default)
    units = models.ManyToManyField(
        OrgUnit,
        verbose_name=_("units"),
        blank=True,
        related_name="webhook_subscriptions",
        help_text=_("Only events about learners in these units (and below). Empty: all."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class Delivery(models.Model):
    """One event sent (or to be sent) to one subscription."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    subscription = models.ForeignKey(
        Subscription,
        verbose_name=_("subscription"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event_id = models.UUIDField(_("event id"), default=uuid.uuid4)
    event = models.CharField(_("event"), max_length=32, choices=Event.choices)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One delivery per event and subscription: an event announced twice (a signal
            # sent again) is delivered once.
            models.UniqueConstraint(
                fields=["subscription", "event_id"], name="delivery_unique_event"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "delivered", "failed"]),
                name="delivery_status_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="delivery_pending_due",
            )
        ]

    def __str__(self):
        return f"{self.event} · {self.event_id} → {self.subscription_id}"
