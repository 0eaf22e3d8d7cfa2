"""The certificates part of the public API (mounted on lms.api's NinjaAPI at /api/v1/).

`/certificates/verify` is public (no key; rate-limited per client address); the list of
certificates by unit needs an API key and shows the certificates of learners within the
key's units."""

import datetime

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from core.api import Id, PageQuery, not_found, paginate, problem_responses
from people.apikeys import read_auth
from people.selectors import filter_by_client_scope, units_visible_to_client

from . import selectors
from .models import Certificate
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


class CertificateOut(Schema):
    id: int
    serial: str
    status: str  # pending | issued | failed | revoked
    learner_id: int
    enrolment_id: int
    holder_name: str
    course_title: str
    hours: float
    completed_on: datetime.date
    issuer_name: str
    issued_at: datetime.datetime | None
    expires_on: datetime.date | None
    revoked_at: datetime.datetime | None
    revocation_reason: str
    verify_url: str


class CertificatePage(Schema):
    items: list[CertificateOut]
    next: str | None


class CertificateFilter(PageQuery):
    unit: Id | None = None
    status: str | None = None
    issued_since: datetime.datetime | None = None


def certificate_json(c: Certificate) -> dict:
    return {
        "id": c.pk,
        "serial": c.serial,
        "status": c.status,
        "learner_id": c.learner_id,
        "enrolment_id": c.enrolment_id,
        "holder_name": c.holder_name,
        "course_title": c.course_title,
        "hours": float(c.hours),
        "completed_on": c.completed_on,
        "issuer_name": c.issuer_name,
        "issued_at": c.issued_at,
        "expires_on": c.expires_on,
        "revoked_at": c.revoked_at,
        "revocation_reason": c.revocation_reason,
        "verify_url": c.verify_url,
    }


@router.get(
    "/",
    auth=read_auth,
    response={200: CertificatePage, **problem_responses()},
    summary="List certificates by unit / Danh sách chứng chỉ theo đơn vị",
    description=(
        "Certificates of learners within the key's scope (`unit`: that unit's subtree), "
        "with their status; filter by `status` and `issued_since`. Each has its public "
        "verification URL.\n\n"
        "Chứng chỉ của học viên thuộc phạm vi của khóa, kèm trạng thái và đường dẫn xác minh."
    ),
)
def certificate_list(request: HttpRequest, params: Query[CertificateFilter]):
    from django.db.models import F

    qs = filter_by_client_scope(
        Certificate.objects.all(),
        request.auth,
        unit_path="enrolment__user__profile__org_unit__path",
    ).annotate(learner_id=F("enrolment__user_id"))
    if params.unit is not None:
        unit = units_visible_to_client(request.auth).filter(pk=params.unit).first()
        if unit is None:
            raise not_found()
        qs = qs.filter(enrolment__user__profile__org_unit__path__startswith=unit.path)
    if params.status:
        qs = qs.filter(status=params.status)
    if params.issued_since is not None:
        qs = qs.filter(issued_at__gte=params.issued_since)
    page = paginate(request, qs.defer("credential"), params, scope="certificates")
    return page.as_json(certificate_json)
