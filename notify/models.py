"""Telling people things: in-app notifications and their deliveries by email and SMS.

A `Notification` is what the person sees in the app (the bell, /thong-bao/). Each channel the
person's preferences allow gets one `Delivery` row: in-app is delivered at once, email and SMS
are sent by Celery after the transaction commits, retried with a growing delay, and leave a
visible status (pending, sent, failed, skipped) and the last error. Deliveries that fall in
the person's quiet hours (local time, Asia/Ho_Chi_Minh) are due when the quiet hours end.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    CERTIFICATE_READY = "certificate_ready", _("Certificate ready")
    CLASS_REMINDER = "class_reminder", _("Class reminder")
    COURSE_DEADLINE = "course_deadline", _("Course deadline")
    ANSWER = "answer", _("Answer to your question")
    PIN = "pin", _("New PIN")
    GENERAL = "general", _("General")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


# What a person gets when they have not chosen: everything that matters reaches a phone.
DEFAULT_CHANNELS = {
    Kind.CERTIFICATE_READY: [Channel.IN_APP, Channel.EMAIL, Channel.SMS],
    Kind.CLASS_REMINDER: [Channel.IN_APP, Channel.EMAIL, Channel.SMS],
    Kind.COURSE_DEADLINE: [Channel.IN_APP, Channel.EMAIL, Channel.SMS],
    Kind.ANSWER: [Channel.IN_APP, Channel.EMAIL],
    Kind.PIN: [Channel.IN_APP, Channel.SMS],
    Kind.GENERAL: [Channel.IN_APP],
}


class Notification(models.Model):
    """One message for one person, shown in the app until read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=2000, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # What this notification is about, for messages that must reach a person once only
    # (a reminder for one class day, a deadline warning): unique per person when set, so a
    # task that runs again, or twice at once, tells nobody twice.
    key = models.CharField(max_length=100, blank=True, default="", db_default="")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"], name="notify_unread_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~Q(key=""), name="notify_once_per_key"
            )
        ]

    def __str__(self):
        return self.title


class Delivery(models.Model):
    """One channel's delivery of a notification, with its outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    address = models.CharField(_("address"), max_length=254, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    due_at = models.DateTimeField(_("due"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="notify_one_delivery_per_channel"
            )
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="notify_due_idx")]

    def __str__(self):
        return f"{self.get_channel_display()}: {self.get_status_display()}"


class Preference(models.Model):
    """A person's choices: which channels per kind, and quiet hours (local time)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_preference"
    )
    # {kind: [channel, ...]}; a kind not listed uses DEFAULT_CHANNELS. In-app is always on.
    channels = models.JSONField(_("channels"), default=dict, blank=True)
    quiet_start = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours until"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)

    def channels_for(self, kind: str) -> list[str]:
        chosen = self.channels.get(kind)
        if chosen is None:
            chosen = DEFAULT_CHANNELS.get(kind, [Channel.IN_APP])
        return [Channel.IN_APP, *[c for c in chosen if c != Channel.IN_APP]]
