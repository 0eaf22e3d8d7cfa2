"""Public verification (the QR's page and the JWKS), learners' certificates, managers' screens."""

import hashlib
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseNotModified,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from . import credential, offline, selectors, services, status
from .forms import ReasonForm
from .models import Certificate
from .throttle import verify_rate_exceeded

VERIFY_CACHE_SECONDS = 60
JWKS_CACHE_SECONDS = 300
WAITING_SHOWN = 20  # oldest pending certificates listed above the search
PAGE_SIZE = 50


def _too_many(request):
    from allauth.core.ratelimit import respond_429

    return respond_429(request)


def _verify_state(result) -> str:
    """What the page shows: valid, revoked, expired (genuine, past its last valid day),
    unknown_key (signed, but not by a key of ours) or invalid (damaged, altered or forged)."""
    if result.status == "issued":
        return "valid"
    if result.status in ("revoked", "expired"):
        return result.status
    return "unknown_key" if result.problem == "unknown_key" else "invalid"


@require_GET
def verify_page(request, token: str):
    """What the QR code opens: valid, revoked (when and why) or invalid, and what it certifies."""
    if verify_rate_exceeded(request):
        return _too_many(request)
    result = selectors.certificate_verify(token)
    claims = result.claims
    response = TemplateResponse(
        request,
        "certificates/verify.html",
        {
            "result": result,
            "state": _verify_state(result),
            "claims": claims,
            "token": token,
            # Only for a genuine certificate: a forged one names nobody.
            "signatory": selectors.certificate_signatory(claims.serial) if claims else None,
        },
    )
    # Private: the page carries the site header (who is logged in, CSRF-protected forms).
    # The API and the keys are the publicly cacheable forms of the same answer.
    patch_cache_control(response, private=True, max_age=VERIFY_CACHE_SECONDS)
    return response


@require_GET
def jwks_view(request):
    """The public keys, as a JWKS (RFC 7517/8037: OKP, Ed25519, with kid), for offline checks."""
    response = JsonResponse(selectors.jwks())
    patch_cache_control(response, public=True, max_age=JWKS_CACHE_SECONDS)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def issuer_did_document(request, slug: str):
    """The issuer's did:web document (`did:web:<host>:issuers:<slug>`): every signing key as a
    Multikey, so credentials signed before a rotation still verify. 404 for an issuer that no
    template or certificate names. Public, cacheable, with an ETag."""
    if not selectors.issuer_known(slug):
        raise Http404
    body = json.dumps(
        credential.did_document(slug, selectors.signing_keys()), ensure_ascii=False, indent=2
    ).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(body, content_type="application/did+json")
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=JWKS_CACHE_SECONDS)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _credential_response(certificate) -> HttpResponse:
    document = services.certificate_credential(certificate=certificate)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2).encode(),
        content_type=f"{credential.MEDIA_TYPE}; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{certificate.serial}.json"'
    return response


def _no_credential(status: str, http_status: int) -> HttpResponse:
    messages_by_status = {
        "revoked": _("This certificate was revoked: it has no credential to download."),
        "pending": _("This certificate is still being issued. Try again in a minute."),
        "failed": _("This certificate could not be issued yet, so it has no credential."),
    }
    message = messages_by_status.get(
        status, _("This is not a valid Học Số certificate: there is no credential for it.")
    )
    response = HttpResponse(message, status=http_status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def verify_credential(request, token: str):
    """The credential of the certificate a QR code names (valid or expired ones only)."""
    if verify_rate_exceeded(request):
        return _too_many(request)
    result = selectors.certificate_verify(token)
    if result.status == "revoked":
        return _no_credential("revoked", 410)
    if result.status not in ("issued", "expired"):
        return _no_credential("invalid", 404)
    certificate = Certificate.objects.filter(serial=result.claims.serial).first()
    if certificate is None or certificate.status != Certificate.Status.ISSUED:
        return _no_credential(certificate.status if certificate else "invalid", 410)
    response = _credential_response(certificate)
    patch_cache_control(response, private=True, max_age=VERIFY_CACHE_SECONDS)
    return response


@login_required
@require_GET
def my_credential(request, certificate_id: int):
    """The credential, for its holder or someone who manages it; anyone else gets a 404."""
    mine = selectors.certificates_of(request.user).filter(pk=certificate_id)
    managed = selectors.certificates_manageable_by(request.user).filter(pk=certificate_id)
    certificate = (mine | managed).first()
    if certificate is None:
        raise Http404
    if certificate.status != Certificate.Status.ISSUED:
        return _no_credential(certificate.status, 409)
    response = _credential_response(certificate)
    response["Cache-Control"] = "private, no-store"
    return response


# --- revocation status lists and the offline verifier ----------------------------------------
def _served(request, served: status.Served, content_type: str) -> HttpResponse:
    """A cached public JSON document with its ETag (304 when the client has it)."""
    if served.etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(served.body, content_type=content_type)
    response["ETag"] = served.etag
    patch_cache_control(response, public=True, max_age=status.TTL_SECONDS)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def status_list(request, name: str):
    """A signed W3C Bitstring Status List credential: bit N set = serial NAME-N revoked."""
    served = status.status_list_served(name)
    if served is None:
        response = JsonResponse(
            {
                "type": "about:blank",
                "title": _("No such status list"),
                "status": 404,
                "detail": _(
                    "There is no status list %(name)s: lists are named PREFIX-YEAR after the "
                    "serials they cover (HS-2026 for HS-2026-000123); %(index)s lists them all."
                )
                % {"name": name[:40], "index": reverse("certificates:status_lists")},
            },
            status=404,
            content_type="application/problem+json",
            json_dumps_params={"ensure_ascii": False},
        )
        response["Access-Control-Allow-Origin"] = "*"
        return response
    return _served(request, served, "application/vc+ld+json")


@require_safe
def status_lists(request):
    """Every status list's name and URL, so a verifier can fetch them all."""
    return _served(request, status.status_index_served(), "application/json")


@require_GET
def offline_verifier(request):
    """The inspectors' verifier: works offline once opened (see certificates/offline.py)."""
    return TemplateResponse(request, "certificates/offline_verifier.html", offline.page_context())


@require_GET
def offline_verifier_worker(request):
    """The service worker of the offline verifier (scope /verify/)."""
    response = HttpResponse(
        offline.service_worker(request), content_type="text/javascript; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache"  # the browser checks it for updates each visit
    return response


@login_required
@require_GET
def my_certificates(request):
    certificates = (
        selectors.certificates_of(request.user)
        .select_related("superseded_by")
        .order_by("-created_at")
    )
    return TemplateResponse(
        request, "certificates/my_certificates.html", {"certificates": certificates}
    )


@login_required
@require_GET
def download(request, certificate_id: int):
    """The PDF, for its holder or someone who manages it; anyone else gets a 404."""
    mine = selectors.certificates_of(request.user).filter(pk=certificate_id)
    managed = selectors.certificates_manageable_by(request.user).filter(pk=certificate_id)
    certificate = (mine | managed).filter(status=Certificate.Status.ISSUED).first()
    if certificate is None or not certificate.pdf:
        raise Http404
    try:
        handle = certificate.pdf.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type="application/pdf",
        as_attachment=True,
        filename=f"{certificate.serial}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- managers and administrators --------------------------------------------------------------
def _manageable(request):
    if not request.user.is_authenticated:
        raise Http404
    return selectors.certificates_manageable_by(request.user)


@login_required
@require_GET
def manage_list(request):
    """Certificates of the holders in the user's scope, filtered by status and serial/name."""
    if not selectors.user_manages_certificates(request.user):
        raise PermissionDenied
    qs = _manageable(request).select_related("enrolment__user")
    status = request.GET.get("status", "")
    if status in Certificate.Status.values:
        qs = qs.filter(status=status)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        qs = qs.filter(serial__icontains=query) | qs.filter(holder_name__icontains=query)
    page = Paginator(qs.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    waiting = selectors.certificates_waiting(_manageable(request))
    return TemplateResponse(
        request,
        "certificates/manage_list.html",
        {
            "page": page,
            "status": status,
            "query": query,
            "statuses": Certificate.Status.choices,
            "waiting": waiting[:WAITING_SHOWN],
            "waiting_count": waiting.count(),
        },
    )


@login_required
@require_GET
def manage_detail(request, certificate_id: int):
    certificate = get_object_or_404(
        _manageable(request).select_related("enrolment__user", "superseded_by"), pk=certificate_id
    )
    return TemplateResponse(
        request,
        "certificates/manage_detail.html",
        {
            "certificate": certificate,
            "events": certificate.events.select_related("actor"),
            "form": ReasonForm(),
        },
    )


def _action(request, certificate_id: int, run):
    certificate = get_object_or_404(_manageable(request), pk=certificate_id)
    detail = reverse("certificates:manage_detail", args=[certificate.pk])
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["reason"])
        result = run(certificate, form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(detail)
    except PermissionDenied:
        raise Http404 from None
    return HttpResponseRedirect(reverse("certificates:manage_detail", args=[result.pk]))


@login_required
@require_POST
def revoke(request, certificate_id: int):
    def run(certificate, reason):
        done = services.certificate_revoke(
            certificate=certificate, actor=request.user, reason=reason
        )
        messages.success(request, _("The certificate is revoked."))
        return done

    return _action(request, certificate_id, run)


@login_required
@require_POST
def reissue(request, certificate_id: int):
    def run(certificate, reason):
        new = services.certificate_reissue(
            certificate=certificate, actor=request.user, reason=reason
        )
        messages.success(request, _("A new certificate is being issued; the old one is revoked."))
        return new

    return _action(request, certificate_id, run)


@login_required
@require_POST
def retry(request, certificate_id: int):
    certificate = get_object_or_404(_manageable(request), pk=certificate_id)
    try:
        services.certificate_retry(certificate=certificate, actor=request.user)
        messages.success(request, _("The certificate is queued again."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return HttpResponseRedirect(reverse("certificates:manage_detail", args=[certificate.pk]))
