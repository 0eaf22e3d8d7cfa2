"""The address printed in links and QR codes that leave the site (certificates, handouts).

`LMS_PUBLIC_URL` when set (production must set it: the `certificates.E001`-`E003` system
checks). Otherwise, during a request, the address the site is being served on
(`request.build_absolute_uri`, so a development server on 192.168.1.5:8000 prints that), and
outside any request the development default.
"""

from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import DisallowedHost

DEVELOPMENT_URL = "http://127.0.0.1:8000"

_current_request = ContextVar("lms_public_url_request", default=None)


def public_url(request=None) -> str:
    """The site's public base URL, without a trailing slash."""
    if settings.LMS_PUBLIC_URL:
        return settings.LMS_PUBLIC_URL
    request = request if request is not None else _current_request.get()
    if request is not None:
        try:
            return request.build_absolute_uri("/").rstrip("/")
        except DisallowedHost:
            pass
    return DEVELOPMENT_URL


class PublicUrlMiddleware:
    """Remembers the request being served, for `public_url()` called deeper down (a
    certificate issued by an eager task inside the request, a handout PDF)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
