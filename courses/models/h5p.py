"""H5P packages, their libraries, and what the player reports.

`H5PLibrary` is one library version (machine name, major.minor.patch): its files are stored
once, whichever packages bring it, and only an administrator may introduce a version the site
has not seen (it is code that runs in learners' browsers). `H5PPackage` is an uploaded `.h5p`:
its content is stored per package, its libraries are shared rows. `XAPIStatement` keeps every
statement the player sends, as the learner's browser reported it (`self_reported`), and
`H5PActivityProgress` is one learner's summary for one H5P block of a lesson: best and last
score, attempts, time and resume state.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class H5PLibrary(models.Model):
    """One H5P library version, stored once under `storage_folder` and shared by packages."""

    machine_name = models.CharField(_("machine name"), max_length=200)
    major_version = models.PositiveSmallIntegerField(_("major version"))
    minor_version = models.PositiveSmallIntegerField(_("minor version"))
    patch_version = models.PositiveSmallIntegerField(_("patch version"))
    title = models.CharField(_("title"), max_length=255)
    license = models.CharField(_("licence"), max_length=32, blank=True)
    runnable = models.BooleanField(_("runnable"), default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("H5P library")
        verbose_name_plural = _("H5P libraries")
        ordering = ["machine_name", "major_version", "minor_version", "patch_version"]
        constraints = [
            models.UniqueConstraint(
                fields=["machine_name", "major_version", "minor_version", "patch_version"],
                name="h5plibrary_unique_version",
            )
        ]

    def __str__(self):
        return f"{self.machine_name} {self.version}"

    @property
    def version(self) -> str:
        return f"{self.major_version}.{self.minor_version}.{self.patch_version}"

    @property
    def folder(self) -> str:
        """The folder name the player asks for: `<machineName>-<major>.<minor>`."""
        return f"{self.machine_name}-{self.major_version}.{self.minor_version}"

    @property
    def storage_folder(self) -> str:
        """Where its files live: the patch version is part of it, so versions never mix."""
        return f"{self.folder}.{self.patch_version}"


class H5PPackage(models.Model):
    """An uploaded, validated and extracted `.h5p` package (created by `h5p_package_import`)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=255)
    main_library = models.ForeignKey(
        H5PLibrary,
        verbose_name=_("main library"),
        on_delete=models.PROTECT,
        related_name="main_of",
    )
    libraries = models.ManyToManyField(
        H5PLibrary, through="H5PPackageLibrary", related_name="packages", blank=True
    )
    license = models.CharField(_("licence"), max_length=32, blank=True)
    original_filename = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    file_count = models.PositiveIntegerField(_("files"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The unit collection it belongs to (courses.collections.package_collection_for): its
    # trainers and administrators see it in the admin; empty: shared (made before collections).
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        verbose_name=_("collection"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("H5P activity")
        verbose_name_plural = _("H5P activities")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def content_folder(self) -> str:
        return str(self.uuid)


class H5PPackageLibrary(models.Model):
    """Which library version serves `<machineName>-<major>.<minor>` for a package."""

    package = models.ForeignKey(H5PPackage, on_delete=models.CASCADE, related_name="+")
    library = models.ForeignKey(H5PLibrary, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["package", "library"], name="h5ppackagelib_unique")
        ]

    def __str__(self):
        return f"{self.package_id} · {self.library_id}"


class H5PActivityProgress(models.Model):
    """One learner's results on one H5P block of a lesson (the trainer view reads these)."""

    enrolment = models.ForeignKey(
        "courses.Enrolment", on_delete=models.CASCADE, related_name="h5p_activities"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="h5p_progress"
    )
    block_id = models.CharField(max_length=64)
    package = models.ForeignKey(
        H5PPackage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    best_score = models.PositiveSmallIntegerField(null=True, blank=True)
    last_score = models.PositiveSmallIntegerField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    seconds = models.PositiveIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)
    # The player's contentUserData "state": a JSON string it wrote and reads back, capped.
    resume_state = models.TextField(blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("H5P activity progress")
        verbose_name_plural = _("H5P activity progress")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "lesson", "block_id"], name="h5pprogress_unique_activity"
            ),
            models.CheckConstraint(
                condition=(Q(best_score__isnull=True) | Q(best_score__lte=100))
                & (Q(last_score__isnull=True) | Q(last_score__lte=100)),
                name="h5pprogress_score_range",
            ),
        ]
        indexes = [models.Index(fields=["lesson", "block_id"])]

    def __str__(self):
        return f"{self.enrolment_id} · {self.lesson_id} · {self.block_id}"

    @property
    def minutes(self) -> int:
        return round(self.seconds / 60)


class XAPIStatement(models.Model):
    """One xAPI 1.0.3 statement, as this platform stores and serves it (`raw`, conforming:
    id, actor as the learner's `account`, object naming our activity, timestamp, stored,
    authority, version; see `courses.xapi`).

    Two sources write here. The H5P player (`client` empty, `lesson` set): graded in the
    learner's browser, so `self_reported`; it may complete a lesson, never earn a
    certificate. An LRS client through `/xapi/statements` (`client` set, `lesson` empty): a
    record only, it changes no progress. `user` is the learner the actor names (empty for an
    agent who is not one of ours). `is_child` marks statements about a sub-question
    (`context.contextActivities.parent` set): kept for reports, never counted towards the
    activity's score. `voided` hides a statement a voiding statement targets.
    """

    class Forward(models.IntegerChoices):
        NONE = 0, _("not forwarded")  # forwarding was off when it was stored
        PENDING = 1, _("waiting to be forwarded")
        SENT = 2, _("forwarded")
        REFUSED = 3, _("refused by the external LRS")

    # No index of their own: the two in Meta lead with them. A row is written on every click,
    # so each index is paid for on every click.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="xapi_statements",
        db_index=False,
    )
    lesson = models.ForeignKey(
        "courses.LessonPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="xapi_statements",
        db_index=False,
    )
    block_id = models.CharField(max_length=64, blank=True)
    package = models.ForeignKey(
        H5PPackage, null=True, blank=True, on_delete=models.SET_NULL, related_name="statements"
    )
    # The LRS client that sent it through /xapi/statements (its authority); empty: the player.
    client = models.ForeignKey(
        "courses.LrsClient",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statements",
    )
    # xAPI: an id names one statement in the whole LRS (generated when the sender gave none).
    statement_id = models.UUIDField(unique=True, default=uuid.uuid4)
    verb = models.CharField(max_length=255)
    object_id = models.CharField(max_length=2048)
    score_raw = models.FloatField(null=True, blank=True)
    score_max = models.FloatField(null=True, blank=True)
    score_scaled = models.FloatField(null=True, blank=True)
    success = models.BooleanField(null=True, blank=True)
    completion = models.BooleanField(null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    is_child = models.BooleanField(default=False)
    self_reported = models.BooleanField(default=True)
    voided = models.BooleanField(default=False)
    raw = models.JSONField()
    raw_truncated = models.BooleanField(default=False)
    timestamp = models.DateTimeField()
    stored_at = models.DateTimeField(auto_now_add=True)
    forward_state = models.PositiveSmallIntegerField(choices=Forward.choices, default=Forward.NONE)

    class Meta:
        verbose_name = _("xAPI statement")
        verbose_name_plural = _("xAPI statements")
        indexes = [
            models.Index(fields=["lesson", "block_id", "user"]),
            models.Index(fields=["user", "stored_at"]),
            # Statements LRS clients sent (the player's rows are not in it).
            models.Index(
                fields=["client", "stored_at"],
                condition=Q(client__isnull=False),
                name="xapistatement_client_stored",
            ),
            # The forwarding outbox: only pending rows are in it (none while forwarding is
            # off), so a click pays for it only when statements are being forwarded.
            models.Index(
                fields=["id"],
                condition=Q(forward_state=1),
                name="xapistatement_forward_pending",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(score_scaled__isnull=True)
                | Q(score_scaled__gte=-1.0, score_scaled__lte=1.0),
                name="xapistatement_scaled_range",
            ),
        ]

    def __str__(self):
        return f"{self.statement_id} · {self.verb}"
