"""Per-client rate limit for the public verification endpoints (page and API).

A fixed one-minute window counted in the cache (Redis in production, shared by every web
process): cheap enough to run before any database work, so a flood of scans costs nothing
but a cache increment each.
"""

from django.conf import settings

from core.http import client_address
from core.ratelimit import window_hit

WINDOW_SECONDS = 60


def client_key(request) -> str:
    """The client address (core.http.client_address: the trusted-proxy settings
    LMS_TRUSTED_PROXY_COUNT and LMS_CLIENT_IP_HEADER, shared with the sign-in limits)."""
    return client_address(request) or "unknown"


def verify_rate_exceeded(request) -> bool:
    """Count this request; True once the client passed LMS_CERT_VERIFY_RATE this minute."""
    return bool(
        window_hit(
            f"certificates:{client_key(request)}",
            limit=settings.LMS_CERT_VERIFY_RATE,
            window=WINDOW_SECONDS,
        )
    )
