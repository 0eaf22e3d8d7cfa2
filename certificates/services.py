"""Writes about certificates: request, issue, fail, retry, revoke, re-issue, rotate keys.

Each service runs in one transaction and leaves a `CertificateEvent`. Work that needs a
worker (rendering and signing) is enqueued with `transaction.on_commit`, so a task never runs
against rows its caller may still roll back. Issuing is idempotent: it renders outside any
transaction, then claims the row only if it is still pending, so a duplicated or redelivered
task finds the work done.
"""

import calendar
import datetime
import logging
import secrets

from celery.exceptions import SoftTimeLimitExceeded
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.db import commit_hooks_pending
from core.text import nfc
from courses.models import Enrolment

from . import credential, pdf, signing, status
from .models import Certificate, CertificateEvent, CertificateTemplate, SerialCounter, SigningKey
from .selectors import cache_forget, certificate_manageable
from .signals import certificate_issued, certificate_revoked

logger = logging.getLogger(__name__)

ERROR_CHARS = 2000
Event = CertificateEvent.Action


BATCH_SIZE = 25  # certificates per message, and per claiming transaction in the worker


class _Batch:
    """The certificates created in one transaction, sent once it commits as messages of up
    to BATCH_SIZE ids: a class closing or a backfill costs the worker one message, one key
    lookup and one commit per batch instead of per certificate."""

    def __init__(self, certificate_id: int):
        self.ids = [certificate_id]
        self.sent = False

    def __call__(self) -> None:
        from .tasks import issue_certificates

        self.sent = True
        for start in range(0, len(self.ids), BATCH_SIZE):
            chunk = self.ids[start : start + BATCH_SIZE]
            try:
                issue_certificates.delay(chunk)
            except Exception as exc:
                # The rows are committed: they are the outbox, and the sweep sends them
                # later. The learner's request (whose completion stands) must not fail.
                logger.exception("certificates %s could not be queued", chunk)
                reason = _("Not queued")
                _note_unsent(chunk, f"{reason}: {type(exc).__name__}: {exc}")


def _note_unsent(certificate_ids: list[int], error: str) -> None:
    """Show an administrator why pending certificates are waiting (best effort: this runs
    after the commit, maybe while the database is failing too)."""
    try:
        Certificate.objects.filter(
            pk__in=certificate_ids, status=Certificate.Status.PENDING
        ).update(error=error[:ERROR_CHARS])
    except Exception:
        logger.exception("could not record why certificates %s wait", certificate_ids)


def _enqueue(certificate_id: int) -> None:
    """Have a worker issue `certificate_id` once the current transaction commits.

    Joins the batch this transaction already has, found among its commit hooks (Django's
    `core.db.commit_hooks_pending`). A batch is there only while it can still run:
    one registered inside a savepoint that was rolled back is gone, and one registered inside
    a savepoint that is still open means we are inside it too, so a rollback drops both. An
    id added from a savepoint that later rolls back stays in the batch; the worker finds no
    pending row for it and skips it. A batch already sent is never joined (tests run hooks
    inside a transaction that never commits, so run hooks stay in the list).
    """
    for batch in commit_hooks_pending(_Batch):
        if not batch.sent:
            batch.ids.append(certificate_id)
            return
    transaction.on_commit(_Batch(certificate_id))


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
    _counter, created = SerialCounter.objects.get_or_create(prefix=prefix, year=year)
    if created:
        status.status_forget(everything=True)  # a new status list to announce
    counter = SerialCounter.objects.select_for_update().get(prefix=prefix, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:06d}"


def expiry_date(completed_on: datetime.date, months: int | None) -> datetime.date | None:
    """The last valid day of a certificate valid `months` months from `completed_on` (the day
    before the same day `months` later, or before the 1st after a shorter month's end)."""
    if not months:
        return None
    index = completed_on.year * 12 + completed_on.month - 1 + months
    year, month = divmod(index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    if completed_on.day > last_day:  # 31 January + 1 month: valid through 28/29 February
        return datetime.date(year, month + 1, last_day)
    return datetime.date(year, month + 1, completed_on.day) - datetime.timedelta(days=1)


def _create_pending(*, enrolment: Enrolment, actor, action: str, reason: str = "") -> Certificate:
    course = enrolment.course
    template = template_for_course(course)
    completed_on = timezone.localdate(enrolment.completed_at)
    certificate = Certificate.objects.create(
        next_attempt_at=timezone.now() + PENDING_GRACE,
        enrolment=enrolment,
        template=template,
        serial=serial_allocate(prefix=template.serial_prefix, year=completed_on.year),
        holder_name=_holder_name(enrolment.user),
        course_title=nfc(course.title),
        hours=enrolment.hours if enrolment.hours is not None else course.hours,
        completed_on=completed_on,
        issuer_name=nfc(template.issuer_name),
        issuer_slug=template.issuer_slug,
        expires_on=expiry_date(completed_on, course.certificate_valid_months),
    )
    CertificateEvent.objects.create(
        certificate=certificate, action=action, actor=actor, reason=reason
    )
    _enqueue(certificate.pk)
    return certificate


def certificate_earned(*, enrolment: Enrolment) -> bool:
    """The evidence rule: a certificate needs a completed enrolment of a certifying course
    with evidence the server judged (`Enrolment.evidence`). Results the browser reported
    (H5P/xAPI, "mark as done") complete lessons but never earn a certificate on their own."""
    return (
        enrolment.status == Enrolment.Status.COMPLETED
        and bool(enrolment.evidence)
        and enrolment.course.certifying
    )


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
    if not certificate_earned(enrolment=enrolment):
        raise ValidationError(
            _(
                "This completion has no evidence the server judged (a passed final assessment "
                "or a class completed by attendance), or the course issues no certificates."
            ),
            code="no_evidence",
        )
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
            status.status_forget(everything=True)  # the lists are re-signed with the new key
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
    """Issue one pending certificate (see `certificates_issue`); the row as it ends up."""
    certificates_issue(certificate_ids=[certificate_id])
    return Certificate.objects.get(pk=certificate_id)


def certificates_issue(*, certificate_ids: list[int]) -> list[Certificate]:
    """Render, sign and store the pending certificates among `certificate_ids`; rows in any
    other status (or gone) are left as they are. Returns the ones this call issued.

    The PDFs are rendered with no transaction open and no row locked; a certificate whose
    rendering fails is marked failed with the error, and the others go on. Then one short
    transaction claims the rendered rows, each with a conditional UPDATE (`WHERE status =
    'pending'`), and records their events. Two workers running the same message concurrently
    may both render, but only one UPDATE per row matches (PostgreSQL re-checks the condition
    once the other commits); the loser removes its files. No lock is held while rendering,
    and a batch pays for one key lookup and one commit.
    """
    certificates = list(
        Certificate.objects.select_related("template__logo_image", "template__seal_image")
        .select_related("template__signature_image", "enrolment__course")
        .filter(pk__in=certificate_ids, status=Certificate.Status.PENDING)
        .order_by("pk")
    )
    if not certificates:
        return []
    key, private = signing_key_current()
    issued_at = timezone.now()  # also the credential's proof time
    rendered = []
    for certificate in certificates:
        try:
            _render(certificate, key, private, issued_at)
        except SoftTimeLimitExceeded:
            _remove_files(rendered)
            raise
        except Exception as exc:
            logger.exception("certificate %s could not be issued", certificate.pk)
            certificate_fail(certificate_id=certificate.pk, error=f"{type(exc).__name__}: {exc}")
            continue
        rendered.append(certificate)
    if not rendered:
        return []
    try:
        with transaction.atomic():
            claimed = [c for c in rendered if _claim(c, key=key, issued_at=issued_at)]
            CertificateEvent.objects.bulk_create(
                [CertificateEvent(certificate=c, action=Event.ISSUED) for c in claimed]
            )
            cache_forget(serials=[c.serial for c in claimed])
            _holders_notify(claimed)
            if claimed:
                certificate_issued.send(sender=Certificate, certificates=claimed)
    except BaseException:
        _remove_files(rendered)  # nothing was claimed: no row points at them
        raise
    _remove_files([c for c in rendered if c.status != Certificate.Status.ISSUED])
    return claimed


def _holders_notify(certificates: list[Certificate]) -> None:
    """Tell each holder their certificate is ready (in the issuing transaction: the message
    exists exactly when the certificate does; email and SMS leave after the commit)."""
    if not certificates:
        return
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from notify.models import Kind
    from notify.services import Message, notify_many

    users = (
        get_user_model()
        .objects.select_related("profile")
        .in_bulk([c.enrolment.user_id for c in certificates])
    )
    url = reverse("certificates:mine")
    notify_many(
        [
            Message(
                users[certificate.enrolment.user_id],
                Kind.CERTIFICATE_READY,
                _("Your certificate is ready"),
                _("%(course)s — certificate %(serial)s. Download it or show its QR code.")
                % {"course": certificate.course_title, "serial": certificate.serial},
                url=url,
            )
            for certificate in certificates
        ]
    )


def _render(
    certificate: Certificate, key: SigningKey, private: Ed25519PrivateKey, issued_at
) -> None:
    """Sign the certificate's claims and credential, and store its PDF (on the instance, not
    yet saved)."""
    claims = signing.Claims(
        kid=key.kid,
        serial=certificate.serial,
        holder=certificate.holder_name,
        course=certificate.course_title,
        hours=certificate.hours,
        completed_on=certificate.completed_on,
        issuer=certificate.issuer_name,
        expires_on=certificate.expires_on,
    )
    certificate.token = signing.token_sign(claims, private)
    certificate.credential = _credential_sign(certificate, key.kid, private, issued_at)
    document = pdf.render(
        certificate.template,
        pdf.Printed(
            serial=certificate.serial,
            holder=certificate.holder_name,
            course=certificate.course_title,
            hours=certificate.hours,
            completed_on=certificate.completed_on,
            issuer=certificate.issuer_name,
            url=signing.verify_url(certificate.token),
            expires_on=certificate.expires_on,
        ),
    )
    certificate.pdf.save(
        f"{certificate.serial}-{secrets.token_hex(8)}.pdf", ContentFile(document), save=False
    )


def _credential_sign(certificate: Certificate, kid: str, private, created) -> dict:
    template = certificate.template
    document = credential.build(
        certificate,
        course=certificate.enrolment.course,
        evidence=certificate.enrolment.evidence,
        signatory=(nfc(template.signatory_name), nfc(template.signatory_title)),
    )
    return credential.sign(
        document, private=private, slug=certificate.issuer_slug, kid=kid, created=created
    )


class CredentialUnavailable(Exception):
    """The certificate is not issued (pending, failed or revoked): no credential to give."""


def certificate_credential(*, certificate: Certificate) -> dict:
    """The signed credential of an issued certificate; one issued before credentials existed
    gets it now, stored so later downloads are the same bytes. It is signed by the key that
    signed the token when that private key is at hand (the active one, or a retired key file
    `certificate_keys --rotate` kept beside it), else by the active key."""
    if certificate.status != Certificate.Status.ISSUED:
        raise CredentialUnavailable(certificate.status)
    if certificate.credential is not None:
        return certificate.credential
    certificate = Certificate.objects.select_related("template", "enrolment__course", "key").get(
        pk=certificate.pk
    )
    private = signing.private_key_for(certificate.key.kid) if certificate.key else None
    if private is None:
        key, private = signing_key_current()
    else:
        key = certificate.key
    document = _credential_sign(certificate, key.kid, private, certificate.issued_at)
    Certificate.objects.filter(pk=certificate.pk, credential__isnull=True).update(
        credential=document
    )
    certificate.refresh_from_db(fields=["credential"])
    return certificate.credential


def _claim(certificate: Certificate, *, key: SigningKey, issued_at) -> bool:
    """Mark a rendered certificate issued if it is still pending (in the caller's
    transaction); the instance follows when it wins."""
    won = Certificate.objects.filter(pk=certificate.pk, status=Certificate.Status.PENDING).update(
        pdf=certificate.pdf.name,
        token=certificate.token,
        credential=certificate.credential,
        key=key,
        status=Certificate.Status.ISSUED,
        issued_at=issued_at,
        error="",
        attempts=F("attempts") + 1,
        next_attempt_at=None,
    )
    if won:
        certificate.key, certificate.issued_at = key, issued_at
        certificate.status, certificate.error = Certificate.Status.ISSUED, ""
        certificate.attempts += 1
        certificate.next_attempt_at = None
    return bool(won)


def _remove_files(certificates: list[Certificate]) -> None:
    for certificate in certificates:
        if certificate.pdf:
            certificate.pdf.delete(save=False)


@transaction.atomic
def certificate_fail(*, certificate_id: int, error: str) -> Certificate | None:
    """Record why issuing failed, so an administrator sees it and can retry (None: no such
    certificate)."""
    certificate = Certificate.objects.select_for_update().filter(pk=certificate_id).first()
    if certificate is None or certificate.status != Certificate.Status.PENDING:
        return certificate
    certificate.status = Certificate.Status.FAILED
    certificate.error = error[:ERROR_CHARS]
    certificate.attempts += 1
    certificate.next_attempt_at = (
        timezone.now() + retry_delay(certificate.requeues)
        if certificate.requeues < FAILED_RETRIES
        else None
    )
    certificate.save(update_fields=["status", "error", "attempts", "next_attempt_at"])
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
    certificate.requeues = 0  # a person asked: the automatic retries start over
    certificate.next_attempt_at = timezone.now() + PENDING_GRACE
    certificate.save(update_fields=["status", "requeues", "next_attempt_at"])
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
    cache_forget(serials=[certificate.serial])
    status.status_forget(serials=[certificate.serial])  # its list shows the bit at once
    certificate_revoked.send(sender=Certificate, certificate=certificate)


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


# --- the outbox sweep -------------------------------------------------------------------------
# A pending row is its own message: if sending it failed (broker down at commit), or the
# worker that held it died, or the task gave up on a database outage, the sweep sends it again.
PENDING_GRACE = datetime.timedelta(minutes=10)  # longer than a task may run (time_limit 360 s)
RETRY_BASE = datetime.timedelta(minutes=5)
RETRY_MAX = datetime.timedelta(hours=6)
FAILED_RETRIES = 6  # automatic retries of a failed certificate; then an administrator decides
OUTBOX_SWEEP_LIMIT = 2000  # rows per sweep; the next sweep takes the rest


def retry_delay(requeues: int) -> datetime.timedelta:
    """The wait before the next automatic attempt: 5, 10, 20, 40 minutes… at most 6 hours."""
    return min(RETRY_BASE * 2 ** min(requeues, 16), RETRY_MAX)


def certificates_outbox_sweep(*, now: datetime.datetime | None = None) -> int:
    """Queue again every certificate due for another attempt; how many were queued.

    Due: pending with `next_attempt_at` passed (never sent, or sent and not issued within the
    grace period), and failed ones whose automatic retry is due. Each gets `requeues` + 1 and
    its next attempt after an exponential backoff, so a certificate that keeps failing costs
    less and less. Rows are taken with SKIP LOCKED, BATCH_SIZE per transaction, and sent when
    it commits (one message each). Sending one that a worker is issuing right now is harmless:
    the conditional claim lets one attempt win and the other finds the work done.
    """
    now = now or timezone.now()
    due = Certificate.objects.filter(
        status__in=[Certificate.Status.PENDING, Certificate.Status.FAILED],
        next_attempt_at__lte=now,
    )
    ids = list(
        due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:OUTBOX_SWEEP_LIMIT]
    )
    queued = 0
    for chunk in _chunks(ids, BATCH_SIZE):
        with transaction.atomic():
            rows = due.filter(pk__in=chunk).select_for_update(skip_locked=True).order_by("pk")
            for certificate in rows:
                if certificate.status == Certificate.Status.FAILED:
                    certificate.status = Certificate.Status.PENDING
                    CertificateEvent.objects.create(
                        certificate=certificate,
                        action=Event.RETRIED,
                        reason=_("Automatic retry %(n)d") % {"n": certificate.requeues + 1},
                    )
                certificate.requeues += 1
                certificate.next_attempt_at = now + retry_delay(certificate.requeues)
                certificate.save(update_fields=["status", "requeues", "next_attempt_at"])
                _enqueue(certificate.pk)
                queued += 1
    return queued


SWEEP_GRACE = datetime.timedelta(hours=1)  # far longer than a task may run (time_limit)
SWEEP_CHUNK = 500


def certificate_files_sweep(*, grace: datetime.timedelta = SWEEP_GRACE) -> int:
    """Delete the certificate PDFs no certificate points at, older than `grace`; how many.

    A worker killed between rendering a batch and claiming it leaves their files behind (the
    redelivered message renders new ones). Files younger than `grace` may belong to a batch
    being issued right now, so they stay. Walks the storage folder by folder and checks the
    names against the database in chunks, so memory stays flat however many there are.
    """
    field = Certificate._meta.get_field("pdf")
    storage = field.storage
    cutoff = timezone.now() - grace
    removed = 0
    for name_chunk in _chunks(_stored_files(storage, "certificates"), SWEEP_CHUNK):
        referenced = set(
            Certificate.objects.filter(pdf__in=name_chunk).values_list("pdf", flat=True)
        )
        for name in name_chunk:
            if name not in referenced and storage.get_modified_time(name) < cutoff:
                storage.delete(name)
                removed += 1
    return removed


def _stored_files(storage, folder: str):
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}"
    for sub in sorted(folders):
        yield from _stored_files(storage, f"{folder}/{sub}")


def _chunks(items, size: int):
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
