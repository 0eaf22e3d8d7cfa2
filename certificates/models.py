"""Certificates: proof that a learner completed a course, checkable by anyone.

A `Certificate` is created `pending` in the transaction that completes an enrolment; a Celery
task then renders its PDF and signs its token (`issued`), or records why it could not
(`failed`). An issued certificate can be `revoked` with a reason, for instance when a name
correction re-issues it (the old one points to its successor). The token, printed as a QR
code, carries the printed facts and an Ed25519 signature by a `SigningKey`, so a phone holding
the published public keys can check it offline; online, the server adds revocation.
The holder can also download an Open Badges 3.0 credential (W3C VC 2.0 with a Data Integrity
proof) signed by the same key; the issuer (a template's `issuer_slug`) publishes its keys as a
did:web document. A course may set a validity in months: the certificate then expires.
Serials are allocated per issuer prefix and year from a `SerialCounter` row locked for the
allocation. Every issue, failure, revocation and re-issue leaves a `CertificateEvent`.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import PreviewableMixin

COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour such as #1f5f8b."))
SERIAL_PREFIX = RegexValidator(r"^[A-Z]{2,8}$", _("Use 2 to 8 capital letters A–Z."))


class CertificateTemplate(PreviewableMixin, models.Model):
    """What a certificate says and looks like, edited by administrators in the Wagtail admin.

    A course uses the template that lists it, otherwise the default template. The issuer and
    the serial prefix are part of the signed facts, so changing them affects new certificates
    only (issued ones keep their snapshot).
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_default = models.BooleanField(
        _("default template"),
        default=False,
        help_text=_("Used for every course that no other template lists."),
    )
    courses = models.ManyToManyField(
        "courses.CoursePage",
        verbose_name=_("courses"),
        blank=True,
        related_name="certificate_templates",
        help_text=_("Courses that use this template instead of the default one."),
    )
    heading = models.CharField(_("heading"), max_length=120, default="GIẤY CHỨNG NHẬN")
    intro = models.CharField(_("text before the name"), max_length=200, default="Chứng nhận")
    body = models.CharField(
        _("text before the course"), max_length=200, default="đã hoàn thành khoá học"
    )
    issuer_name = models.CharField(_("issuing organisation"), max_length=200, default="Học Số")
    place = models.CharField(
        _("place of issue"), max_length=100, blank=True, help_text=_("Printed before the date.")
    )
    signatory_name = models.CharField(_("signatory's name"), max_length=120, blank=True)
    signatory_title = models.CharField(_("signatory's title"), max_length=160, blank=True)
    seal_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("seal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signature_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    logo_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    primary_colour = models.CharField(
        _("main colour"), max_length=7, default="#1f5f8b", validators=[COLOUR]
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#c8102e", validators=[COLOUR]
    )
    serial_prefix = models.CharField(
        _("serial prefix"), max_length=8, default="HS", validators=[SERIAL_PREFIX]
    )
    issuer_slug = models.SlugField(
        _("issuer identifier"),
        max_length=50,
        default="hoc-so",
        help_text=_(
            "Names the issuer in its public identifier, did:web:<site>:issuers:<this>, where "
            "verifiers find its keys (/issuers/<this>/did.json). One per issuing body, e.g. "
            "ban-dan-toc-gia-lai; issued certificates keep the one they were issued with."
        ),
    )
    footer = models.CharField(
        _("footer"),
        max_length=200,
        blank=True,
        default="Quét mã QR để kiểm tra chứng nhận · Scan the QR code to verify",
    )

    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [FieldPanel("is_default"), FieldPanel("courses")], heading=_("Which courses")
        ),
        MultiFieldPanel(
            [
                FieldPanel("heading"),
                FieldPanel("intro"),
                FieldPanel("body"),
                FieldPanel("footer"),
            ],
            heading=_("Text"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("issuer_name"),
                FieldPanel("place"),
                FieldPanel("signatory_name"),
                FieldPanel("signatory_title"),
                FieldPanel("serial_prefix"),
                FieldPanel("issuer_slug"),
            ],
            heading=_("Issuer"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("logo_image"),
                FieldPanel("seal_image"),
                FieldPanel("signature_image"),
                FieldPanel("primary_colour"),
                FieldPanel("accent_colour"),
            ],
            heading=_("Images and colours"),
        ),
    ]

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="certificatetemplate_one_default",
            )
        ]

    def __str__(self):
        return self.name

    def serve_preview(self, request, mode_name):
        """The admin preview: this template's PDF with sample facts."""
        from django.http import HttpResponse

        from .pdf import sample_pdf

        response = HttpResponse(sample_pdf(self), content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="preview.pdf"'
        return response


class SerialCounter(models.Model):
    """The last serial number used per issuer prefix and year; locked while allocating."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="serialcounter_prefix_year")
        ]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last}"


class SigningKey(models.Model):
    """A public Ed25519 key. Its private half lives outside the database (settings
    LMS_CERT_SIGNING_KEY / LMS_CERT_SIGNING_KEY_FILE). Retired keys stay, inactive, so the
    certificates they signed still verify."""

    kid = models.CharField(_("key id"), max_length=32, unique=True)
    public_key = models.CharField(_("public key (base64url)"), max_length=64, unique=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=Q(active=True), name="signingkey_one_active"
            )
        ]

    def __str__(self):
        return self.kid


class Certificate(models.Model):
    """One certificate for one completed enrolment, with a snapshot of what it certifies."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being issued")
        ISSUED = "issued", _("Issued")
        FAILED = "failed", _("Failed")
        REVOKED = "revoked", _("Revoked")

    enrolment = models.ForeignKey(
        "courses.Enrolment", on_delete=models.PROTECT, related_name="certificates"
    )
    template = models.ForeignKey(
        CertificateTemplate, on_delete=models.PROTECT, related_name="certificates"
    )
    serial = models.CharField(_("serial"), max_length=32, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    holder_name = models.CharField(_("holder"), max_length=200)
    course_title = models.CharField(_("course"), max_length=255)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    completed_on = models.DateField(_("completed on"))
    issuer_name = models.CharField(_("issuer"), max_length=200)
    issuer_slug = models.SlugField(_("issuer identifier"), max_length=50, default="hoc-so")
    # The last day it is valid (None: never expires), from the course's validity in months.
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    key = models.ForeignKey(
        SigningKey, on_delete=models.PROTECT, null=True, blank=True, related_name="certificates"
    )
    token = models.TextField(_("token"), blank=True)
    # The signed Open Badges 3.0 credential (certificates.credential), made with the token.
    credential = models.JSONField(_("credential"), null=True, blank=True, editable=False)
    pdf = models.FileField(_("PDF"), upload_to="certificates/%Y/", blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The outbox: a pending row is the message. When the sweep (Celery beat) may send it
    # again if it is still pending, or retry it if it failed; None: never (failed for good).
    requeues = models.PositiveSmallIntegerField(_("times queued again"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    superseded_by = models.OneToOneField(
        "self",
        verbose_name=_("superseded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=~Q(status="revoked"),
                name="certificate_one_live_per_enrolment",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "issued", "failed", "revoked"]),
                name="certificate_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="issued") | (Q(issued_at__isnull=False) & ~Q(token="")),
                name="certificate_issued_has_token",
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked")
                | (Q(revoked_at__isnull=False) & ~Q(revocation_reason="")),
                name="certificate_revoked_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["pending", "failed"]),
                name="certificate_outbox_due",
            ),
        ]

    def __str__(self):
        return self.serial

    @property
    def verify_url(self) -> str:
        from .signing import verify_url

        return verify_url(self.token) if self.token else ""


class CertificateEvent(models.Model):
    """The audit trail: who issued, revoked or re-issued a certificate, when and why."""

    class Action(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ISSUED = "issued", _("Issued")
        FAILED = "failed", _("Failed")
        RETRIED = "retried", _("Retried")
        REVOKED = "revoked", _("Revoked")
        REISSUED = "reissued", _("Re-issued")

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate event")
        verbose_name_plural = _("certificate events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["certificate", "at"])]

    def __str__(self):
        return f"{self.certificate_id} {self.action}"
