"""Writes for SCORM play: one commit of a learner's CMI data, and the lesson it may complete.

A commit comes from the learner's browser (scorm-again in the player frame): the status and
score in it are whatever the browser says, so they complete a lesson and show progress, and
the attempt stays `self_reported`; `Enrolment.evidence` is decided by the server alone
(`courses.services.assessment_evidence`), so no SCORM commit ever earns a certificate.
"""

import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    CoursePage,
    Enrolment,
    H5PActivityProgress,
    LessonPage,
    LessonProgress,
    ScormAttempt,
)
from ..services import enrolment_progress_update
from .runtime import Cmi, cmi_parse

logger = logging.getLogger("courses.scorm.audit")


@dataclass
class ScormActivity:
    block_id: str
    package_id: int | None
    package_uuid: str | None
    version: str
    launch: str
    required: bool


@dataclass
class LessonScorm:
    lesson_id: int
    course_id: int
    has_quiz: bool
    required_h5p: list[str]
    restrictions: list = field(default_factory=list)
    activities: dict[str, ScormActivity] = field(default_factory=dict)


def lesson_scorm(lesson_id: int) -> LessonScorm | None:
    """The live lesson `lesson_id` and its SCORM blocks, cached per content version."""
    from core.middleware import versioned_get_or_set

    def find():
        lesson = LessonPage.objects.live().filter(pk=lesson_id).first()
        if lesson is None:
            return None
        course = (
            CoursePage.objects.filter(path=lesson.path[: -LessonPage.steplen]).only("id").first()
        )
        if course is None:
            return None
        activities = {}
        for block in lesson.scorm_blocks:
            package = block.value["package"]
            activities[block.id] = ScormActivity(
                block_id=block.id,
                package_id=package.pk if package else None,
                package_uuid=str(package.uuid) if package else None,
                version=package.version if package else "",
                launch=package.launch if package else "",
                required=bool(block.value["required"]) and package is not None,
            )
        return LessonScorm(
            lesson_id=lesson.pk,
            course_id=course.pk,
            has_quiz=lesson.has_quiz,
            required_h5p=[
                b.id for b in lesson.h5p_blocks if b.value["required"] and b.value["package"]
            ],
            restrictions=list(lesson.get_view_restrictions()),
            activities=activities,
        )

    return versioned_get_or_set(f"scorm-activities:{lesson_id}", find)


def scorm_activity(found: LessonScorm, block_id: str) -> ScormActivity:
    activity = found.activities.get(block_id)
    if activity is None or activity.package_id is None:
        raise ValidationError(
            _("This activity is not part of this lesson."), code="unknown_activity"
        )
    return activity


def active_enrolment(*, user, course_id: int, lock: bool = False) -> Enrolment:
    queryset = Enrolment.objects.filter(user=user, course_id=course_id)
    if lock:
        queryset = queryset.select_for_update()
    enrolment = queryset.first()
    if enrolment is None:
        raise ValidationError(
            _("You are not enrolled in the course this lesson belongs to."), code="not_enrolled"
        )
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        raise ValidationError(_("You have withdrawn from this course."), code="withdrawn")
    return enrolment


@dataclass
class Committed:
    attempt: ScormAttempt
    duplicate: bool = False
    lesson_completed: bool = False


@transaction.atomic
def scorm_commit_record(
    *, user, found: LessonScorm, block_id: str, session: str, seq: int, data
) -> Committed:
    """Store one commit of the learner's CMI data for a SCORM block.

    Refused (ValidationError: `unknown_activity`, `not_enrolled`, `withdrawn`, `invalid_cmi`,
    `cmi_too_large`) before anything is written. A commit whose (session, seq) is not newer
    than the stored one is a resend: nothing changes. Completion, once reported, stays; when
    every required activity of the lesson is done the lesson completes (browser-reported:
    never evidence, see the module docstring).
    """
    activity = scorm_activity(found, block_id)
    cmi = cmi_parse(data, version=activity.version)
    enrolment = active_enrolment(user=user, course_id=found.course_id)
    attempt = _attempt_locked(enrolment, found, activity)
    if attempt.session == session and seq <= attempt.seq:
        return Committed(attempt, duplicate=True)
    now = timezone.now()
    _apply(attempt, cmi)
    attempt.session, attempt.seq = session, seq
    attempt.commits += 1
    attempt.package_id = activity.package_id
    newly_done = cmi.completed and attempt.completed_at is None
    if newly_done:
        attempt.completed_at = now
    attempt.save()
    completed = False
    if newly_done or attempt.percent is not None:
        completed = _lesson_update(enrolment=enrolment, found=found, now=now)
    logger.info(
        "scorm commit",
        extra={"user": user.pk, "lesson": found.lesson_id, "block": block_id, "seq": seq},
    )
    return Committed(attempt, lesson_completed=completed)


def _attempt_locked(enrolment, found: LessonScorm, activity: ScormActivity) -> ScormAttempt:
    key = {"enrolment": enrolment, "lesson_id": found.lesson_id, "block_id": activity.block_id}
    attempt = ScormAttempt.objects.select_for_update().filter(**key).first()
    if attempt is not None:
        return attempt
    try:
        with transaction.atomic():
            ScormAttempt.objects.create(
                **key, package_id=activity.package_id, version=activity.version
            )
    except IntegrityError:  # a concurrent first commit created it
        pass
    return ScormAttempt.objects.select_for_update().get(**key)


def _apply(attempt: ScormAttempt, cmi: Cmi) -> None:
    attempt.lesson_status = cmi.lesson_status or attempt.lesson_status
    attempt.completion_status = cmi.completion_status or attempt.completion_status
    attempt.success_status = cmi.success_status or attempt.success_status
    if cmi.score_raw is not None or cmi.score_scaled is not None:
        attempt.score_raw, attempt.score_scaled = cmi.score_raw, cmi.score_scaled
        attempt.score_min, attempt.score_max = cmi.score_min, cmi.score_max
    attempt.location = cmi.location
    attempt.suspend_data = cmi.suspend_data
    if cmi.total_seconds is not None:
        attempt.total_seconds = cmi.total_seconds


def _lesson_update(*, enrolment: Enrolment, found: LessonScorm, now) -> bool:
    """The lesson's score (best SCORM score, unless a quiz scores it) and its completion when
    every required SCORM and H5P activity is done; True when this call completed it."""
    attempts = {
        a.block_id: a
        for a in ScormAttempt.objects.filter(enrolment=enrolment, lesson_id=found.lesson_id)
    }
    required = [a for a in found.activities.values() if a.required]
    done = bool(required) and all(
        a.block_id in attempts and attempts[a.block_id].completed_at is not None for a in required
    )
    if done and found.required_h5p:
        done_h5p = H5PActivityProgress.objects.filter(
            enrolment=enrolment,
            lesson_id=found.lesson_id,
            block_id__in=found.required_h5p,
            completed_at__isnull=False,
        ).count()
        done = done_h5p == len(found.required_h5p)
    done = done and not found.has_quiz
    scores = [a.percent for a in attempts.values() if a.percent is not None]
    progress, _created = LessonProgress.objects.select_for_update().get_or_create(
        enrolment=enrolment, lesson_id=found.lesson_id
    )
    fields = []
    if scores and not found.has_quiz and progress.score != max(scores):
        progress.score = max(scores)
        fields.append("score")
    completed = False
    if done and progress.completed_at is None:
        progress.completed_at = now
        fields.append("completed_at")
        completed = True
    if fields:
        progress.save(update_fields=[*fields, "updated_at"])
    if completed:
        enrolment = Enrolment.objects.select_related("course").get(pk=enrolment.pk)
        enrolment_progress_update(enrolment=enrolment)
    return completed
