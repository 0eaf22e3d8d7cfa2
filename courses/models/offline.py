"""What a phone did while it was offline, recorded once.

A learner's phone queues each offline action (a lesson marked done, a quiz answered) with an id
it made up (a UUID) and sends it when it is online again, retrying until the server answers.
`OfflineAction` is the receipt: one row per client id, written in the same transaction as the
effect, so a retry finds the receipt and changes nothing. An id belongs to the learner and the
lesson it was first recorded for: the same id sent for someone or something else is refused.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OfflineAction(models.Model):
    class Kind(models.TextChoices):
        LESSON_DONE = "lesson_done", _("Lesson marked as done")
        QUIZ = "quiz", _("Quiz answered")

    client_id = models.UUIDField(_("client id"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="offline_actions"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="offline_actions"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    attempt = models.ForeignKey(
        "courses.QuizAttempt",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offline_actions",
    )
    # When the phone says it happened (informational only: never used for any rule).
    happened_at = models.DateTimeField(_("happened at (phone clock)"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("offline action")
        verbose_name_plural = _("offline actions")
        indexes = [models.Index(fields=["user", "lesson"])]

    def __str__(self):
        return f"{self.kind} {self.client_id}"
