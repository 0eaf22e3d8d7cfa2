"""The client's address behind reverse proxies, for every per-client limit.

One rule for the whole site (sign-in limits, certificate verification): django-allauth's,
configured by LMS_TRUSTED_PROXY_COUNT (trust the last N X-Forwarded-For entries) or
LMS_CLIENT_IP_HEADER (one header the proxy sets). Without either, REMOTE_ADDR: a client
cannot choose its address by sending X-Forwarded-For.

Machinery only: imports nothing of ours.
"""

from django.core.exceptions import ImproperlyConfigured, PermissionDenied


def client_address(request) -> str | None:
    """The client's IP address as the trusted-proxy settings define it. A request that does
    not fit them (fewer X-Forwarded-For entries than proxies, a missing or malformed header)
    counts as the peer that sent it, never as an error; None only without any address."""
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        return request.META.get("REMOTE_ADDR") or None


def request_for_rendering(request):
    """A GET copy of `request` for rendering pages on the learner's behalf (e.g. to store them
    offline) that reads and uses up none of their pending messages. Sets the messages
    framework's `request._messages` (pinned in tests/core/test_internals.py)."""
    import copy

    quiet = copy.copy(request)
    quiet._messages = []
    quiet.method = "GET"
    return quiet
