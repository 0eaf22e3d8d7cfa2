"""System checks: certificates carry the public URL in their QR codes, for years."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register

HINT = "Set LMS_PUBLIC_URL to the address learners and verifiers reach, e.g. https://hocso.example.org."


def _loopback(host: str) -> bool:
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


@register("certificates")
def public_url_check(app_configs=None, **kwargs):
    """In production (DEBUG off) LMS_PUBLIC_URL must be set to a reachable http(s) address:
    every certificate's QR code and verification link is built from it and printed."""
    if settings.DEBUG:
        return []
    url = settings.LMS_PUBLIC_URL
    if not url:
        return [
            Error(
                "LMS_PUBLIC_URL is not set: certificate QR codes and links would point at "
                "whatever address a request or worker happens to see.",
                hint=HINT,
                id="certificates.E001",
            )
        ]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [
            Error(
                f"LMS_PUBLIC_URL ({url!r}) is not an http(s) address.",
                hint=HINT,
                id="certificates.E002",
            )
        ]
    if _loopback(parts.hostname):
        return [
            Error(
                f"LMS_PUBLIC_URL ({url!r}) points at this machine (loopback): printed "
                "certificates would send verifiers to their own phone.",
                hint=HINT,
                id="certificates.E003",
            )
        ]
    return []
