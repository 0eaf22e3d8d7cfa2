"""Dialogue between the authorities and the people, and what learners think of a course.

A `Thread` is either a course discussion (only the course's enrolled learners and its trainers
take part) or a public question (/hoi-dap/: anyone signed in asks, the authorities answer).
A `Post` is a reply in a thread; a reply by a manager or trainer whose role covers the thread
is an *official* answer, decided by the server, never by the form. Threads and posts share one
moderation state: visible, pending (a new account's first posts wait for a moderator) or hidden
(with a reason). Every moderator action is kept in `ModerationAction` (the audit trail), and a
`Report` is one person's flag on a thread or post (once per person).

`SurveyResponse` is the satisfaction survey a learner answers once per course after completing
it: Likert items (1–5) and a comment; the unit is the learner's at answer time, so results per
unit stay put when people move.

Text is stored NFC; templates escape it on output (no HTML is ever accepted).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

TITLE_MAX = 200
BODY_MAX = 5000
COMMENT_MAX = 1000


class Status(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    PENDING = "pending", _("Waiting for moderation")
    HIDDEN = "hidden", _("Hidden")


class Thread(models.Model):
    """A course discussion or a public question, with its opening text."""

    class Kind(models.TextChoices):
        COURSE = "course", _("Course discussion")
        QUESTION = "question", _("Public question")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="dialogue_threads",
    )
    # The asker's commune at asking time: whose managers answer and moderate it.
    org_unit = models.ForeignKey(
        "people.OrgUnit",
        verbose_name=_("commune / unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dialogue_threads",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dialogue_threads"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(_("text"), max_length=BODY_MAX)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.VISIBLE
    )
    hidden_reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    # When the first official answer was posted (None: still waiting for one).
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    last_post_at = models.DateTimeField(_("last reply"), null=True, blank=True)

    class Meta:
        verbose_name = _("discussion thread")
        verbose_name_plural = _("discussion threads")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="course") & Q(course__isnull=False))
                | (Q(kind="question") & Q(course__isnull=True)),
                name="dialogue_thread_course_iff_course_kind",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["visible", "pending", "hidden"]),
                name="dialogue_thread_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "status", "-created_at"], name="dialogue_thread_list_idx"),
            models.Index(fields=["course", "status"], name="dialogue_thread_course_idx"),
        ]

    def __str__(self):
        return self.title


class Post(models.Model):
    """A reply in a thread; `official` marks an answer by the authorities."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dialogue_posts"
    )
    body = models.TextField(_("text"), max_length=BODY_MAX)
    official = models.BooleanField(_("official answer"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.VISIBLE
    )
    hidden_reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["visible", "pending", "hidden"]),
                name="dialogue_post_status_valid",
            )
        ]
        indexes = [models.Index(fields=["thread", "status"], name="dialogue_post_thread_idx")]

    def __str__(self):
        return f"{self.thread_id} · {self.pk}"


class Report(models.Model):
    """One person's flag on a thread or a reply (once per person and target)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reports")
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dialogue_reports"
    )
    reason = models.CharField(_("reason"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "thread"],
                condition=Q(post__isnull=True),
                name="dialogue_report_once_per_thread",
            ),
            models.UniqueConstraint(
                fields=["reporter", "post"],
                condition=Q(post__isnull=False),
                name="dialogue_report_once_per_post",
            ),
        ]
        indexes = [models.Index(fields=["resolved_at"], name="dialogue_report_open_idx")]

    def __str__(self):
        return f"{self.thread_id} · {self.post_id or '-'} · {self.reporter_id}"


class ModerationAction(models.Model):
    """The audit trail: who approved, hid or restored what, when and why."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approved")
        HIDE = "hide", _("Hidden")
        RESTORE = "restore", _("Restored")

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="moderation")
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="moderation"
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.action} · {self.thread_id} · {self.post_id or '-'}"


LIKERT = [MinValueValidator(1), MaxValueValidator(5)]


class SurveyResponse(models.Model):
    """A learner's satisfaction with a completed course: once per learner and course.

    `overall` (1–5 stars) decides "satisfied" (4 or 5); `useful` and `clear` are the other
    Likert items; `comment` is free text.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_responses"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="survey_responses"
    )
    org_unit = models.ForeignKey(
        "people.OrgUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    overall = models.PositiveSmallIntegerField(_("overall satisfaction"), validators=LIKERT)
    useful = models.PositiveSmallIntegerField(_("useful for my work and life"), validators=LIKERT)
    clear = models.PositiveSmallIntegerField(_("easy to follow"), validators=LIKERT)
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="survey_once_per_course"),
            models.CheckConstraint(
                condition=Q(overall__gte=1, overall__lte=5)
                & Q(useful__gte=1, useful__lte=5)
                & Q(clear__gte=1, clear__lte=5),
                name="survey_likert_range",
            ),
        ]
        indexes = [models.Index(fields=["course", "org_unit"], name="survey_course_unit_idx")]

    def __str__(self):
        return f"{self.course_id} · {self.user_id}"
