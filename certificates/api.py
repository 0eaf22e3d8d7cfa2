"""The certificates part of the public API (mounted on lms.api's NinjaAPI at /api/v1/)."""

import datetime

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from . import selectors
from .throttle import verify_rate_exceeded

router = Router(tags=["certificates"])
VERIFY_CACHE_SECONDS = 60


class VerifyIn(Schema):
    token: str = ""


class VerifyOut(Schema):
    valid: bool
    status: str  # issued | revoked | expired | invalid
    serial: str | None
    holder: str | None
    course: str | None
    hours: float | None
    issued_on: datetime.date | None
    issuer: str | None
    expires_on: datetime.date | None
    reason: str | None


class TooMany(Schema):
    detail: str


@router.get(
    "/verify",
    response={200: VerifyOut, 429: TooMany},
    summary="Verify a certificate token",
    description=(
        "Checks a certificate token (the last part of the URL in its QR code, or the whole "
        "URL): the Ed25519 signature, then whether the serial was issued and not revoked, "
        "and whether it is past its last valid day (`expires_on`, null when it never "
        "expires). `status` is issued, revoked, expired or invalid; `reason` says why it is "
        "revoked or invalid."
    ),
)
def verify(request: HttpRequest, response: HttpResponse, params: Query[VerifyIn]):
    if verify_rate_exceeded(request):
        message = _("Too many verification requests. Wait a minute, then try again.")
        return Status(429, {"detail": message})
    from .signing import token_from_text

    result = selectors.certificate_verify(token_from_text(params.token))
    patch_cache_control(response, public=True, max_age=VERIFY_CACHE_SECONDS)
    return Status(200, result.as_json())
