"""Writes about certificates: request, issue, fail, retry, revoke, re-issue, rotate keys.

Each service runs in one transaction and leaves a `CertificateEvent`. Work that needs a
worker (rendering and signing) is enqueued with `transaction.on_commit`, so a task never runs
against rows its caller may still roll back. Issuing is idempotent: it renders outside any
transaction, then claims the row only if it is still pending, so a duplicated or redelivered
task finds the work done.
"""

import secrets

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Enrolment
from people.text import nfc

from . import pdf, signing
from .models import Certificate, CertificateEvent, CertificateTemplate, SerialCounter, SigningKey
from .selectors import cache_forget, certificate_manageable

ERROR_CHARS = 2000
Event = CertificateEvent.Action


def _enqueue(certificate_id: int) -> None:
    from .tasks import issue_certificate

    transaction.on_commit(lambda: issue_certificate.delay(certificate_id))


def _holder_name(user) -> str:
    profile = getattr(user, "profile", None)
    name = (profile.full_name if profile else "") or user.get_full_name() or user.username
    return nfc(name)


def template_for_course(course) -> CertificateTemplate:
    """The template that lists the course, else the default one (created on first use)."""
    template = course.certificate_templates.order_by("pk").first()
    if template is not None:
        return template
    template = CertificateTemplate.objects.filter(is_default=True).first()
    if template is None:
        template, _created = CertificateTemplate.objects.get_or_create(
            name="Mặc định", defaults={"is_default": True}
        )
    return template


def serial_allocate(*, prefix: str, year: int) -> str:
    """The next serial for an issuer prefix and year, e.g. HS-2026-000123.

    The counter row is locked until the caller's transaction ends, so concurrent completions
    queue on it and never share a number (gaps appear only if a transaction rolls back).
    """
    SerialCounter.objects.get_or_create(prefix=prefix, year=year)
    counter = SerialCounter.objects.select_for_update().get(prefix=prefix, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:06d}"


def _create_pending(*, enrolment: Enrolment, actor, action: str, reason: str = "") -> Certificate:
    course = enrolment.course
    template = template_for_course(course)
    completed_on = timezone.localdate(enrolment.completed_at)
    certificate = Certificate.objects.create(
        enrolment=enrolment,
        template=template,
        serial=serial_allocate(prefix=template.serial_prefix, year=completed_on.year),
        holder_name=_holder_name(enrolment.user),
        course_title=nfc(course.title),
        hours=course.hours,
        completed_on=completed_on,
        issuer_name=nfc(template.issuer_name),
    )
    CertificateEvent.objects.create(
        certificate=certificate, action=action, actor=actor, reason=reason
    )
    _enqueue(certificate.pk)
    return certificate


@transaction.atomic
def certificate_request(*, enrolment: Enrolment, actor=None) -> Certificate:
    """A pending certificate for a completed enrolment, or the live one it already has.

    Called by the `course_completed` receiver inside the completing transaction, and by
    backfills. The enrolment row is locked so two requests cannot both create one.
    """
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("user__profile", "course")
        .get(pk=enrolment.pk)
    )
    if enrolment.status != Enrolment.Status.COMPLETED:
        raise ValidationError(_("Only a completed course earns a certificate."))
    existing = enrolment.certificates.exclude(status=Certificate.Status.REVOKED).first()
    if existing is not None:
        return existing
    return _create_pending(enrolment=enrolment, actor=actor, action=Event.REQUESTED)


def signing_key_current() -> tuple[SigningKey, Ed25519PrivateKey]:
    """The configured private key and its public row, registered (and made active) if new."""
    private = signing.private_key_load()
    public = private.public_key()
    kid = signing.key_id(public)
    key = SigningKey.objects.filter(kid=kid, active=True).first()
    if key is None:
        with transaction.atomic():
            SigningKey.objects.filter(active=True).exclude(kid=kid).update(active=False)
            key, _created = SigningKey.objects.update_or_create(
                kid=kid, defaults={"public_key": signing.public_key_b64(public), "active": True}
            )
            cache_forget(keys=True)
    return key, private


@transaction.atomic
def signing_key_rotate() -> SigningKey:
    """Generate a new private key into the key file and make it the active key.

    The previous file is kept beside it (suffixed with its key id) and its public key stays
    in the database, inactive, so the certificates it signed still verify.
    """
    if signing.settings.LMS_CERT_SIGNING_KEY:
        raise ValidationError(
            _("The signing key comes from LMS_CERT_SIGNING_KEY: replace it there instead.")
        )
    path = signing.key_file()
    if path.exists():
        old = signing.private_key_load()
        path.rename(path.with_name(f"{path.name}.{signing.key_id(old.public_key())}"))
    signing.key_file_write(Ed25519PrivateKey.generate(), path)
    key, _private = signing_key_current()
    return key


def certificate_issue(*, certificate_id: int) -> Certificate:
    """Render, sign and store a pending certificate; any other status is left as it is.

    The PDF is rendered with no transaction open and no row locked; then one short
    transaction claims the row with a conditional UPDATE (`WHERE status = 'pending'`). Two
    workers running the same message concurrently may both render, but only one UPDATE
    matches (PostgreSQL re-checks the condition once the other commits); the loser removes
    its file. Fewer round trips than lock-then-render, and no lock held while rendering.
    """
    certificate = (
        Certificate.objects.select_related("template__logo_image", "template__seal_image")
        .select_related("template__signature_image")
        .get(pk=certificate_id)
    )
    if certificate.status != Certificate.Status.PENDING:
        return certificate
    key, private = signing_key_current()
    claims = signing.Claims(
        kid=key.kid,
        serial=certificate.serial,
        holder=certificate.holder_name,
        course=certificate.course_title,
        hours=certificate.hours,
        completed_on=certificate.completed_on,
        issuer=certificate.issuer_name,
    )
    token = signing.token_sign(claims, private)
    document = pdf.render(
        certificate.template,
        pdf.Printed(
            serial=certificate.serial,
            holder=certificate.holder_name,
            course=certificate.course_title,
            hours=certificate.hours,
            completed_on=certificate.completed_on,
            issuer=certificate.issuer_name,
            url=signing.verify_url(token),
        ),
    )
    certificate.pdf.save(
        f"{certificate.serial}-{secrets.token_hex(8)}.pdf", ContentFile(document), save=False
    )
    issued_at = timezone.now()
    with transaction.atomic():
        claimed = Certificate.objects.filter(
            pk=certificate.pk, status=Certificate.Status.PENDING
        ).update(
            pdf=certificate.pdf.name,
            token=token,
            key=key,
            status=Certificate.Status.ISSUED,
            issued_at=issued_at,
            error="",
            attempts=F("attempts") + 1,
        )
        if claimed:
            CertificateEvent.objects.create(certificate=certificate, action=Event.ISSUED)
            cache_forget(serial=certificate.serial)
    if not claimed:
        certificate.pdf.delete(save=False)  # another run issued it first
        return Certificate.objects.get(pk=certificate.pk)
    certificate.token, certificate.key, certificate.issued_at = token, key, issued_at
    certificate.status, certificate.error = Certificate.Status.ISSUED, ""
    certificate.attempts += 1
    return certificate


@transaction.atomic
def certificate_fail(*, certificate_id: int, error: str) -> Certificate:
    """Record why issuing failed, so an administrator sees it and can retry."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
    if certificate.status != Certificate.Status.PENDING:
        return certificate
    certificate.status = Certificate.Status.FAILED
    certificate.error = error[:ERROR_CHARS]
    certificate.attempts += 1
    certificate.save(update_fields=["status", "error", "attempts"])
    CertificateEvent.objects.create(
        certificate=certificate, action=Event.FAILED, reason=error[:ERROR_CHARS]
    )
    return certificate


@transaction.atomic
def certificate_retry(*, certificate: Certificate, actor=None) -> Certificate:
    """Put a failed (or stuck pending) certificate back in the queue."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status not in (Certificate.Status.FAILED, Certificate.Status.PENDING):
        raise ValidationError(_("Only a failed or pending certificate can be retried."))
    certificate.status = Certificate.Status.PENDING
    certificate.save(update_fields=["status"])
    CertificateEvent.objects.create(certificate=certificate, action=Event.RETRIED, actor=actor)
    _enqueue(certificate.pk)
    return certificate


def _check_reason(reason: str) -> str:
    reason = nfc((reason or "").strip())
    if not reason:
        raise ValidationError(_("Give a reason."))
    return reason


def _lock_manageable(certificate: Certificate, actor) -> Certificate:
    if actor is None or not certificate_manageable(actor, certificate):
        raise PermissionDenied(_("You may not change this certificate."))
    return Certificate.objects.select_for_update().get(pk=certificate.pk)


def _revoke(certificate: Certificate, *, actor, reason: str) -> None:
    certificate.status = Certificate.Status.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revocation_reason = reason
    certificate.save(update_fields=["status", "revoked_at", "revocation_reason"])
    CertificateEvent.objects.create(
        certificate=certificate, action=Event.REVOKED, actor=actor, reason=reason
    )
    cache_forget(serial=certificate.serial)


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, actor, reason: str) -> Certificate:
    """Revoke an issued certificate (administrators, or managers of the holder's unit)."""
    reason = _check_reason(reason)
    certificate = _lock_manageable(certificate, actor)
    if certificate.status != Certificate.Status.ISSUED:
        raise ValidationError(_("Only an issued certificate can be revoked."))
    _revoke(certificate, actor=actor, reason=reason)
    return certificate


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, actor, reason: str) -> Certificate:
    """Replace a certificate with a new one carrying today's facts (e.g. a corrected name).

    The old one is revoked as superseded and points to the new one, which gets a new serial.
    """
    reason = _check_reason(reason)
    certificate = _lock_manageable(certificate, actor)
    if certificate.status not in (Certificate.Status.ISSUED, Certificate.Status.FAILED):
        raise ValidationError(_("Only an issued or failed certificate can be re-issued."))
    _revoke(certificate, actor=actor, reason=_("Superseded: %(reason)s") % {"reason": reason})
    enrolment = Enrolment.objects.select_related("user__profile").get(pk=certificate.enrolment_id)
    successor = _create_pending(
        enrolment=enrolment, actor=actor, action=Event.REISSUED, reason=reason
    )
    certificate.superseded_by = successor
    certificate.save(update_fields=["superseded_by"])
    return successor
