"""Who may use the xAPI Statements resource, and the state of forwarding to an external LRS.

An `LrsClient` is another system (a province's LRS, a reporting tool) that reads and writes
statements at `/xapi/statements` with HTTP Basic credentials: its `key` is the user name, its
secret is shown once when an administrator creates it and stored only as a SHA-256 digest
(a random 32-byte secret cannot be guessed, so a slow password hash would only slow every
request). It sees statements of learners in its org units (and the ones it sent itself).

`XapiForwarder` is a single row: how forwarding to the external LRS is going (failures in a
row, when to try again, the last error), so the backoff survives worker restarts and an
administrator can see it. Each statement's own forwarding state is on the statement
(`XAPIStatement.forward_state`).
"""

import hashlib
import hmac
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class LrsClient(models.Model):
    """A system allowed to use /xapi/statements, within its org units."""

    name = models.CharField(_("name"), max_length=200)
    key = models.CharField(_("key"), max_length=64, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    units = models.ManyToManyField(
        "people.OrgUnit",
        verbose_name=_("org units"),
        related_name="lrs_clients",
        help_text=_("It sees statements of learners in these units and the units below them."),
    )
    can_read = models.BooleanField(_("may read statements"), default=True)
    can_write = models.BooleanField(_("may write statements"), default=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("LRS client")
        verbose_name_plural = _("LRS clients")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def set_new_secret(self) -> str:
        """A new key (when it has none) and secret; returns the secret, shown only once."""
        if not self.key:
            self.key = secrets.token_urlsafe(12)
        secret = secrets.token_urlsafe(32)
        self.secret_hash = secret_digest(secret)
        return secret

    def check_secret(self, secret: str) -> bool:
        return bool(self.secret_hash) and hmac.compare_digest(
            self.secret_hash, secret_digest(secret)
        )


class XapiForwarder(models.Model):
    """The one row saying how forwarding to the external LRS goes (pk 1)."""

    failures = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    forwarded = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("xAPI forwarding")
        verbose_name_plural = _("xAPI forwarding")

    def __str__(self):
        return str(self._meta.verbose_name)
