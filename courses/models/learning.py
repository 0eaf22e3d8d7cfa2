"""A learner's state: one Enrolment per course, one LessonProgress per lesson, every QuizAttempt."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EnrolmentQuerySet(models.QuerySet):
    def with_evidence(self):
        """Completions that count: completed with evidence the server judged (a passed
        server-graded final assessment, or a class completed by attendance)."""
        return self.filter(status=Enrolment.Status.COMPLETED).exclude(evidence="")


class Enrolment(models.Model):
    """A learner's place in a course: one summary row per (user, course).

    `evidence` says what the server itself judged when the enrolment completed: a passed
    server-graded final assessment, or a class completed by attendance. Browser-reported
    results (H5P/xAPI, "mark as done") complete lessons but are never evidence, so a
    completion without evidence earns no certificate and counts toward no target.
    """

    class Evidence(models.TextChoices):
        NONE = "", _("None (only results the browser reported)")
        ASSESSMENT = "assessment", _("Final assessment passed (graded on the server)")
        ATTENDANCE = "attendance", _("Class completed by attendance")

    class Source(models.TextChoices):
        SELF = "self", _("Self-enrolled")
        TRAINER = "trainer", _("Enrolled by a trainer")
        IMPORT = "import", _("Imported")
        CLASS = "class", _("In-person class")

    class Status(models.TextChoices):
        ACTIVE = "active", _("In progress")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="enrolments"
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default="self")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default="active")
    progress = models.FloatField(_("progress"), default=0.0)
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    final_score = models.PositiveSmallIntegerField(_("final score"), null=True, blank=True)
    evidence = models.CharField(
        _("evidence"), max_length=16, choices=Evidence.choices, blank=True, default=""
    )
    # The study time that applies to this completion (the course's hours online, the class
    # days attended in a class), frozen when it completes; certificates print it.
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, null=True, blank=True)
    # Optional: the date by which a required course must be completed (set by whoever enrols
    # the learner); courses.reminders warns the learner before it, in the app and by SMS.
    due_on = models.DateField(_("complete by"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="enrolment_unique_user_course"),
            models.CheckConstraint(
                condition=Q(progress__gte=0.0, progress__lte=1.0), name="enrolment_progress_range"
            ),
            models.CheckConstraint(
                condition=Q(final_score__isnull=True) | Q(final_score__lte=100),
                name="enrolment_final_score_range",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_at__isnull=False),
                name="enrolment_completed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(evidence__in=["", "assessment", "attendance"]),
                name="enrolment_evidence_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["course", "status"]),
            models.Index(fields=["status", "completed_at"]),
            models.Index(
                fields=["due_on"], condition=Q(due_on__isnull=False), name="enrolment_due_idx"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.course_id}"

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED

    @property
    def percent(self) -> int:
        return round(self.progress * 100)


class LessonProgress(models.Model):
    """How far a learner got in one lesson of an enrolment."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="lessons")
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="progress"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    resume_state = models.JSONField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "lesson"], name="lessonprogress_unique_enrolment_lesson"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=100),
                name="lessonprogress_score_range",
            ),
        ]

    def __str__(self):
        return f"{self.enrolment_id} · {self.lesson_id}"


class QuizAttempt(models.Model):
    """One attempt at a quiz block, drawn and graded on the server.

    An attempt starts (`state` "started") with its draw: the questions taken from the quiz's
    bank and each question's options in a shuffled order, copied into `questions` with their
    correct flags (never sent to the browser), so grading uses exactly what the learner was
    shown even if the quiz is edited meanwhile. Submitting grades it once ("submitted");
    an attempt left open past `expires_at` counts as used ("expired"). `passed` means this
    graded attempt reached the course's pass mark.
    """

    class State(models.TextChoices):
        STARTED = "started", _("Started")
        SUBMITTED = "submitted", _("Submitted")
        EXPIRED = "expired", _("Expired")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attempts")
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="attempts"
    )
    block_id = models.CharField(max_length=64)
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.STARTED
    )
    # The draw: [{"id", "text", "kind", "topic", "explanation",
    #             "choices": [{"id", "text", "correct"}, ...]}, ...] in the order shown.
    questions = models.JSONField(default=list, blank=True)
    answers = models.JSONField(default=dict)
    correct_count = models.PositiveSmallIntegerField(default=0)
    question_count = models.PositiveSmallIntegerField(default=0)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(default=False)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["enrolment", "lesson"])]
        constraints = [
            models.CheckConstraint(condition=Q(score__lte=100), name="quizattempt_score_range"),
            # At most one open attempt per learner and quiz: a new draw needs the open one
            # submitted or expired, and both count against the attempt policy.
            models.UniqueConstraint(
                fields=["enrolment", "lesson"],
                condition=Q(state="started"),
                name="quizattempt_one_open_per_lesson",
            ),
            models.CheckConstraint(
                condition=~Q(state="submitted")
                | Q(submitted_at__isnull=False, score__isnull=False),
                name="quizattempt_submitted_is_graded",
            ),
        ]

    def __str__(self):
        return f"{self.enrolment_id} · {self.lesson_id} · {self.state} · {self.score}%"


class QuizAttemptGrant(models.Model):
    """An extra quiz attempt granted to a learner by a trainer or an administrator (the audit
    row: who, when, why). Each grant adds one attempt to the learner's current window."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="attempt_grants"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="attempt_grants"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=500)

    class Meta:
        verbose_name = _("extra quiz attempt")
        verbose_name_plural = _("extra quiz attempts")
        indexes = [models.Index(fields=["enrolment", "lesson"])]

    def __str__(self):
        return f"{self.enrolment_id} · {self.lesson_id} · +1"
