"""SCORM 1.2 and 2004 packages and what their runtime reports per learner.

`ScormPackage` is an uploaded, validated and extracted content package (`imsmanifest.xml`):
its files are stored under MEDIA_ROOT/scorm/<uuid>/ and its SCO is played with scorm-again in
a sandboxed frame (courses.scorm.views). `ScormAttempt` keeps one learner's CMI data for one
SCORM block of a lesson: status, score, location and suspend data, so the learner resumes
where they stopped. All of it is reported by the learner's browser: it may complete a lesson,
it is never evidence for a certificate (`Enrolment.evidence`).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ScormPackage(models.Model):
    """An imported SCORM package (created by `courses.scorm.packages.scorm_package_import`)."""

    class Version(models.TextChoices):
        SCORM_12 = "1.2", "SCORM 1.2"
        SCORM_2004 = "2004", "SCORM 2004"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=255)
    version = models.CharField(_("SCORM version"), max_length=8, choices=Version.choices)
    identifier = models.CharField(_("manifest identifier"), max_length=255, blank=True)
    # The SCO the player launches: a path inside the package, with its parameters.
    launch = models.CharField(_("launch file"), max_length=1024)
    # Every launchable item of the default organisation: [{"id", "title", "href"}, ...].
    items = models.JSONField(default=list, blank=True)
    original_filename = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    file_count = models.PositiveIntegerField(_("files"), default=0)
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        verbose_name=_("collection"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("SCORM package")
        verbose_name_plural = _("SCORM packages")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def content_folder(self) -> str:
        return str(self.uuid)


class ScormAttempt(models.Model):
    """One learner's CMI data on one SCORM block of a lesson (browser-reported).

    `session` and `seq` make commits idempotent: a player page load is one session and
    numbers its commits; a commit whose (session, seq) is not newer than the stored one is a
    resend and changes nothing. `completed_at` is stamped once and never cleared.
    """

    enrolment = models.ForeignKey(
        "courses.Enrolment", on_delete=models.CASCADE, related_name="scorm_attempts"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="scorm_attempts"
    )
    block_id = models.CharField(max_length=64)
    package = models.ForeignKey(
        ScormPackage, null=True, blank=True, on_delete=models.SET_NULL, related_name="attempts"
    )
    version = models.CharField(max_length=8, choices=ScormPackage.Version.choices)
    # SCORM 1.2 cmi.core.lesson_status; SCORM 2004 cmi.completion_status / success_status.
    lesson_status = models.CharField(max_length=16, blank=True)
    completion_status = models.CharField(max_length=16, blank=True)
    success_status = models.CharField(max_length=16, blank=True)
    score_raw = models.FloatField(null=True, blank=True)
    score_min = models.FloatField(null=True, blank=True)
    score_max = models.FloatField(null=True, blank=True)
    score_scaled = models.FloatField(null=True, blank=True)
    location = models.CharField(max_length=1000, blank=True)
    suspend_data = models.TextField(blank=True)
    total_seconds = models.PositiveIntegerField(default=0)
    session = models.CharField(max_length=64, blank=True)
    seq = models.PositiveIntegerField(default=0)
    commits = models.PositiveIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)
    self_reported = models.BooleanField(default=True, editable=False)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("SCORM attempt")
        verbose_name_plural = _("SCORM attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "lesson", "block_id"], name="scormattempt_unique_activity"
            ),
            models.CheckConstraint(
                condition=Q(score_scaled__isnull=True)
                | Q(score_scaled__gte=-1.0, score_scaled__lte=1.0),
                name="scormattempt_scaled_range",
            ),
        ]
        indexes = [models.Index(fields=["lesson", "block_id"])]

    def __str__(self):
        return f"{self.enrolment_id} · {self.lesson_id} · {self.block_id}"

    @property
    def percent(self) -> int | None:
        """The score as 0..100, from scaled, or raw between min and max (default 0..100)."""
        if self.score_scaled is not None:
            return max(0, min(100, round(self.score_scaled * 100)))
        if self.score_raw is None:
            return None
        low = self.score_min if self.score_min is not None else 0.0
        high = self.score_max if self.score_max is not None else 100.0
        if high <= low:
            return None
        return max(0, min(100, round((self.score_raw - low) * 100 / (high - low))))
