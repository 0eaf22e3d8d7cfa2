"""API keys of outside systems: their form, their hash and the REST API's authentication.

A key is `hs_` + 8 visible characters + `_` + 43 secret ones (32 random bytes, base64url):
`Authorization: Bearer hs_ab12cd34_…`. The database keeps the prefix and the SHA-256 of
the whole key; a lookup hashes what was sent and finds the row by that unique hash. Each
request counts against the key's per-minute limit (a fixed window in the cache) before any
other work, and a key marks itself used at most once a minute (one UPDATE, not one a request).
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer

from core.api import Problem, activate_request_language, forbidden, too_many
from core.ratelimit import window_hit

from .models import ApiClient

KEY_PREFIX = "hs_"
MAX_KEY_CHARS = 128
LAST_USED_GRANULARITY = datetime.timedelta(minutes=1)
PERMISSIONS = ("read", "enrol", "report")


def key_generate() -> str:
    return f"{KEY_PREFIX}{secrets.token_hex(4)}_{secrets.token_urlsafe(32)}"


def key_prefix(key: str) -> str:
    return key[len(KEY_PREFIX) : len(KEY_PREFIX) + 8]


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def client_for_key(key: str) -> ApiClient | None:
    """The active client the key belongs to, or None (unknown, malformed or revoked)."""
    if not key or len(key) > MAX_KEY_CHARS or not key.startswith(KEY_PREFIX):
        return None
    return ApiClient.objects.filter(secret_hash=key_hash(key), revoked_at__isnull=True).first()


class ApiKeyAuth(HttpBearer):
    """`Authorization: Bearer <key>` with `permission` ("read", "enrol" or "report")."""

    openapi_description = (
        "An API key made by an administrator (Django admin, API keys): "
        "`Authorization: Bearer hs_…`, or an OAuth 2.0 access token obtained with it at "
        "`POST /api/v1/oauth/token` (client credentials): `Authorization: Bearer hst_…`. / "
        "Khóa API do quản trị viên cấp, hoặc mã truy cập OAuth 2.0 lấy bằng khóa đó."
    )

    def __init__(self, permission: str = "read"):
        if permission not in PERMISSIONS:
            raise ValueError(permission)
        self.permission = permission
        super().__init__()

    def __call__(self, request):
        activate_request_language(request)
        return super().__call__(request)

    def authenticate(self, request, token):
        scopes = None
        if token.startswith("hst_"):  # an OAuth 2.0 access token (people.oauth)
            from .oauth import client_for_token

            found = client_for_token(token)
            client, scopes = found if found else (None, None)
        else:
            client = client_for_key(token)
        if client is None:
            return None
        limit = client.rate_limit or settings.LMS_API_RATE_PER_MINUTE
        wait = window_hit(f"api:{client.pk}", limit=limit, window=60)
        if wait:
            raise too_many(wait)
        if not getattr(client, f"can_{self.permission}") or (
            scopes is not None and self.permission not in scopes
        ):
            raise forbidden(
                _("This API key may not %(permission)s.")
                % {"permission": PERMISSION_NAMES[self.permission]}
            )
        now = timezone.now()
        if client.last_used_at is None or now - client.last_used_at > LAST_USED_GRANULARITY:
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        return client


PERMISSION_NAMES = {
    "read": _("read"),
    "enrol": _("enrol learners"),
    "report": _("submit annual reports"),
}
read_auth = ApiKeyAuth("read")
enrol_auth = ApiKeyAuth("enrol")
report_auth = ApiKeyAuth("report")

__all__ = ["ApiKeyAuth", "Problem", "enrol_auth", "read_auth", "report_auth"]
