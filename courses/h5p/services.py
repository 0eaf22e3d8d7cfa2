"""Writes for H5P play: recording xAPI statements and saving resume state.

`xapi_statement_record` stores every valid statement the player sends. A top-level statement
that scores (answered, completed, passed, failed with a score) updates the learner's
`H5PActivityProgress` (best and last score, attempts, time); the activity is done when its
pass mark is met, and when every required activity of the lesson is done the lesson is
complete and the normal completion rule (`courses.services.enrolment_progress_update`) runs.
The browser grades H5P, so every row is marked self-reported; the design keeps certificates
behind a server-graded quiz or trainer-recorded attendance.
"""

import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Enrolment, H5PActivityProgress, LessonProgress, XAPIStatement
from ..services import enrolment_progress_update
from .activities import Activity, LessonActivities
from .xapi import ATTEMPT_VERBS, ParsedStatement

logger = logging.getLogger("courses.h5p.audit")

RESUME_STATE_CAP = 64 * 1024  # characters of the player's state JSON


def _enrolment(*, user, lesson_activities: LessonActivities) -> Enrolment:
    enrolment = (
        Enrolment.objects.filter(user=user, course_id=lesson_activities.course_id)
        .only("id", "status", "course_id", "user_id")
        .first()
    )
    if enrolment is None:
        raise ValidationError(
            _("You are not enrolled in the course this lesson belongs to."), code="not_enrolled"
        )
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        raise ValidationError(_("You have withdrawn from this course."), code="withdrawn")
    return enrolment


def _activity(lesson_activities: LessonActivities, block_id: str) -> Activity:
    activity = lesson_activities.activities.get(block_id)
    if activity is None or activity.package_id is None:
        raise ValidationError(
            _("This activity is not part of this lesson."), code="unknown_activity"
        )
    return activity


@dataclass
class Recorded:
    row: XAPIStatement
    enrolment_id: int
    progress: H5PActivityProgress | None  # None when the statement does not score


def xapi_statement_record(
    *,
    user,
    lesson_activities: LessonActivities,
    block_id: str,
    statement: ParsedStatement,
    verified_enrolment_id: int | None = None,
) -> Recorded:
    """Store one statement for `user` on an H5P block; update progress when it scores.

    A statement that does not score (attempted, interacted, a sub-question) is one INSERT,
    atomic by itself; `verified_enrolment_id` (an active enrolment in this course that the
    caller checked earlier in the learner's session) spares it the enrolment lookup. One that
    scores always re-reads the enrolment and runs in a transaction that locks the learner's
    activity row, so two answers cannot race.
    """
    if not statement.counts:
        return _statement_store(
            user=user, lesson_activities=lesson_activities, block_id=block_id,
            statement=statement, verified_enrolment_id=verified_enrolment_id,
        )  # fmt: skip
    with transaction.atomic():
        return _statement_store(
            user=user, lesson_activities=lesson_activities, block_id=block_id,
            statement=statement, verified_enrolment_id=None,
        )  # fmt: skip


def _statement_store(*, user, lesson_activities, block_id, statement, verified_enrolment_id):
    activity = _activity(lesson_activities, block_id)
    lesson = lesson_activities.lesson
    if verified_enrolment_id is not None:
        enrolment_id = verified_enrolment_id
    else:
        enrolment = _enrolment(user=user, lesson_activities=lesson_activities)
        enrolment_id = enrolment.pk
    row = XAPIStatement.objects.create(
        user=user,
        lesson_id=lesson.pk,
        block_id=block_id,
        package_id=activity.package_id,
        statement_id=statement.statement_id,
        verb=statement.verb,
        object_id=statement.object_id,
        score_raw=statement.score_raw,
        score_max=statement.score_max,
        score_scaled=statement.score_scaled,
        success=statement.success,
        completion=statement.completion,
        duration_seconds=statement.duration_seconds,
        is_child=statement.is_child,
        self_reported=True,
        raw=statement.raw,
        raw_truncated=statement.raw_truncated,
        timestamp=statement.timestamp,
    )
    if not statement.counts:
        return Recorded(row, enrolment_id, None)
    progress = _activity_progress_update(
        enrolment=enrolment, lesson_activities=lesson_activities, activity=activity,
        statement=statement,
    )  # fmt: skip
    return Recorded(row, enrolment_id, progress)


def _activity_progress_update(
    *, enrolment, lesson_activities: LessonActivities, activity: Activity, statement
) -> H5PActivityProgress:
    lesson = lesson_activities.lesson
    progress, _created = H5PActivityProgress.objects.select_for_update().get_or_create(
        enrolment=enrolment,
        lesson_id=lesson.pk,
        block_id=activity.block_id,
        defaults={"package_id": activity.package_id},
    )
    score = statement.percent
    attempt = statement.verb in ATTEMPT_VERBS
    if attempt:
        progress.attempts += 1
        progress.seconds += statement.duration_seconds or 0
    progress.last_score = score
    previous_best = progress.best_score
    progress.best_score = max(progress.best_score or 0, score)
    progress.package_id = activity.package_id
    newly_done = progress.completed_at is None and score >= activity.pass_mark
    if newly_done:
        progress.completed_at = timezone.now()
    progress.save()
    if newly_done or progress.best_score != previous_best:
        # The lesson shows the best scores and completion; a repeat that changes neither
        # leaves its row alone (attempts are counted per activity, above).
        _lesson_progress_update(
            enrolment=enrolment, lesson_activities=lesson_activities, row=progress
        )
    return progress


def _lesson_progress_update(
    *, enrolment, lesson_activities: LessonActivities, row: H5PActivityProgress
):
    """The lesson's score is the mean best score of its scored activities; it completes when
    every required activity is done (a lesson with a quiz is still completed by the quiz)."""
    lesson = lesson_activities.lesson
    if len(lesson_activities.activities) == 1:
        rows = {row.block_id: row}  # the usual lesson: no need to read its siblings
    else:
        rows = {
            other.block_id: other
            for other in H5PActivityProgress.objects.filter(
                enrolment=enrolment, lesson_id=lesson.pk
            )
        }
    scores = [
        rows[block_id].best_score
        for block_id in lesson_activities.activities
        if block_id in rows and rows[block_id].best_score is not None
    ]
    required = lesson_activities.required
    done = bool(required) and all(
        a.block_id in rows and rows[a.block_id].completed_at is not None for a in required
    )
    progress, _created = LessonProgress.objects.select_for_update().get_or_create(
        enrolment=enrolment, lesson_id=lesson.pk
    )
    if scores and not lesson.has_quiz:
        progress.score = round(sum(scores) / len(scores))
    newly_completed = done and not lesson.has_quiz and progress.completed_at is None
    if newly_completed:
        progress.completed_at = timezone.now()
    progress.save(update_fields=["score", "completed_at", "updated_at"])
    if newly_completed:
        enrolment_progress_update(enrolment=enrolment)


@transaction.atomic
def h5p_state_save(
    *, user, lesson_activities: LessonActivities, block_id: str, state: str
) -> H5PActivityProgress:
    """Keep the player's resume state (its contentUserData JSON string), capped in size."""
    activity = _activity(lesson_activities, block_id)
    if not isinstance(state, str):
        raise ValidationError(_("The saved state must be text."), code="invalid_state")
    if len(state) > RESUME_STATE_CAP:
        raise ValidationError(
            _("The saved state is too large (%(size)s characters; the limit is %(max)s).")
            % {"size": len(state), "max": RESUME_STATE_CAP},
            code="state_too_large",
        )
    enrolment = _enrolment(user=user, lesson_activities=lesson_activities)
    progress, created = H5PActivityProgress.objects.get_or_create(
        enrolment=enrolment,
        lesson_id=lesson_activities.lesson.pk,
        block_id=block_id,
        defaults={"package_id": activity.package_id, "resume_state": state},
    )
    if not created and progress.resume_state != state:
        progress.resume_state = state
        progress.save(update_fields=["resume_state", "updated_at"])
    return progress
