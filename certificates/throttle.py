"""Per-client rate limit for the public verification endpoints (page and API).

A fixed one-minute window counted in the cache (Redis in production, shared by every web
process): cheap enough to run before any database work, so a flood of scans costs nothing
but a cache increment each.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

WINDOW_SECONDS = 60


def client_key(request) -> str:
    """The client address as django-allauth sees it: it honours the trusted-proxy settings
    (LMS_TRUSTED_PROXY_COUNT, LMS_CLIENT_IP_HEADER). A request that does not fit them (fewer
    X-Forwarded-For entries than proxies, no usable address) is counted as the peer that sent
    it, never refused with an error."""
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        return request.META.get("REMOTE_ADDR") or "unknown"


def verify_rate_exceeded(request) -> bool:
    """Count this request; True once the client passed LMS_CERT_VERIFY_RATE this minute."""
    window = int(time.time() // WINDOW_SECONDS)
    key = f"certificates:rate:{client_key(request)}:{window}"
    if cache.add(key, 1, WINDOW_SECONDS + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW_SECONDS + 5)
            count = 1
    return count > settings.LMS_CERT_VERIFY_RATE
