"""Sign-in limits per account and per address, on django-axes.

A learner whose account a trainer created signs in with a 6-digit PIN: a million guesses, so
the account itself must stop a guesser after a few tries, from whatever address they come.
A commune hall, on the other hand, puts forty learners behind one address, and a few
mistyped PINs each must not lock the hall out. So there are two limits, counted by
django-axes over the failed sign-ins of the last LMS_LOGIN_LOCKOUT_MINUTES:

- per account: LMS_LOGIN_FAILURES_PER_ACCOUNT failures (default 5) for one username, from any
  address, lock that account;
- per address: LMS_LOGIN_FAILURES_PER_ADDRESS failures (default 100) from one address, over
  any usernames, lock that address (a script spraying PINs over many accounts).

Axes has one failure limit for all its lockout parameters, so `LoginLimitHandler` (its
database handler, as axes documents for specialising) counts the two separately and applies
each its own limit. A lock ends by itself when the window has passed without new failures;
attempts made while locked are not counted, so a guesser cannot keep a learner locked by
knocking. A trainer in scope, or an administrator, unlocks an account early
(`people.services.login_unlock`). The client address follows the site's trusted-proxy rule
(core.http.client_address).

Every sign-in path goes through Django's `authenticate()`: allauth's login form, the Django
admin and the Wagtail admin; `LoginLimitBackend` (first in AUTHENTICATION_BACKENDS) refuses
a locked account or address before any password is checked.
"""

import unicodedata

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def login_key(request, credentials: dict | None = None) -> str | None:
    """The account a sign-in is for, as the limits count it (AXES_USERNAME_CALLABLE).

    Usernames are case-insensitive (allauth, ACCOUNT_PRESERVE_USERNAME_CASING = False), so
    "Learner", "LEARNER " and "learner" are one account and share one count."""
    value = None
    if credentials:
        value = credentials.get("username") or credentials.get("login")
    if value is None and request is not None and request.method == "POST":
        value = request.POST.get("username") or request.POST.get("login")
    if not value:
        return None
    return unicodedata.normalize("NFKC", str(value)).strip().casefold()[:255]


def window_start(now=None):
    """Failures at or after this moment count (the last LMS_LOGIN_LOCKOUT_MINUTES)."""
    return (now or timezone.now()) - settings.AXES_COOLOFF_TIME


def _failures(**filters) -> int:
    return (
        AccessAttempt.objects.filter(attempt_time__gte=window_start(), **filters).aggregate(
            total=Sum("failures_since_start")
        )["total"]
        or 0
    )


class LoginLimitHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit per account and a (higher) limit per address.

    Axes compares `get_failures()` with AXES_FAILURE_LIMIT (the per-account limit); an
    address over its own limit counts as that limit reached."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        by_account = _failures(username=username) if username else 0
        address = getattr(request, "axes_ip_address", None)
        if address and _failures(ip_address=address) >= settings.LMS_LOGIN_FAILURES_PER_ADDRESS:
            return max(by_account, settings.AXES_FAILURE_LIMIT)
        return by_account

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """After a successful sign-in, forget that account's failures (from every address),
        not the address's: a learner who signs in must not clear a guesser's count."""
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


class LoginLimitBackend(AxesStandaloneBackend):
    """Refuses a sign-in for a locked account or address before any password is checked.

    Code on the server that signs someone in without a request (the shell, the test client's
    `login()`) has no client to limit and passes through; every web form passes its request.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
