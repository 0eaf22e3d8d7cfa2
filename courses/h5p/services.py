"""Writes for H5P play: recording xAPI statements and saving resume state.

`xapi_statement_record` stores every valid statement the player sends. A top-level statement
that scores (answered, completed, passed, failed with a score) updates the learner's
`H5PActivityProgress` (best and last score, attempts, time); the activity is done when its
pass mark is met, and when every required activity of the lesson is done the lesson is
complete and the normal completion rule (`courses.services.enrolment_progress_update`) runs.
The browser grades H5P, so every row is marked self-reported; the design keeps certificates
behind a server-graded quiz or trainer-recorded attendance.

The player sends a statement on every click, so recording one is written as few round trips
as the rules allow: each write is one insert from the learner's enrolment row that only
inserts while the enrolment is active (the check cannot go stale, and needs no query of its
own), and progress rows are upserts whose merge rules the database applies (declared here as
`core.db.InsertSelect`s; core writes the SQL, which SQLite 3.35+ and PostgreSQL run alike).
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.db import BecomesSet, Changed, Equal, InsertSelect, IsSet, Merge, Related, Source

from ..models import Enrolment, H5PActivityProgress, LessonProgress, XAPIStatement
from ..services import enrolment_progress_update
from ..xapi.identity import iso, player_statement_conform, statement_id_new, statements_match
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
        raise _not_enrolled()
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        raise _withdrawn()
    return enrolment


def _not_enrolled() -> ValidationError:
    return ValidationError(
        _("You are not enrolled in the course this lesson belongs to."), code="not_enrolled"
    )


def _withdrawn() -> ValidationError:
    return ValidationError(_("You have withdrawn from this course."), code="withdrawn")


def _activity(lesson_activities: LessonActivities, block_id: str) -> Activity:
    activity = lesson_activities.activities.get(block_id)
    if activity is None or activity.package_id is None:
        raise ValidationError(
            _("This activity is not part of this lesson."), code="unknown_activity"
        )
    return activity


# The learner's enrolment in the course while it is not withdrawn (the unique index on (user,
# course) finds it): every write of a statement inserts from it, so nothing is written for a
# learner who is not (or no longer) enrolled.
ACTIVE_ENROLMENT = Source(Enrolment, equal=("user_id", "course_id"), not_equal=("status",))


def _active_enrolment(user, lesson_activities) -> dict:
    """The values `ACTIVE_ENROLMENT` selects by."""
    return {
        "user_id": user.pk,
        "course_id": lesson_activities.course_id,
        "status": Enrolment.Status.WITHDRAWN,
    }


@dataclass
class Recorded:
    pk: int  # the stored statement
    # The activity's results after a statement that scores; None for one that does not.
    score: int | None = None
    best: int | None = None
    completed: bool = False
    # The same statement (same id, same content) was already stored: nothing changed.
    duplicate: bool = False


# A statement whose id is already stored inserts nothing (xAPI: an id names one statement
# in the LRS; the unique index on `statement_id`); the caller tells a replay from a conflict.
STATEMENT_INSERT = InsertSelect(XAPIStatement, source=ACTIVE_ENROLMENT, conflict=("statement_id",))


def xapi_statement_record(
    *, user, lesson_activities: LessonActivities, block_id: str, statement: ParsedStatement
) -> Recorded:
    """Store one statement for `user` on an H5P block; update progress when it scores.

    Refused (ValidationError `not_enrolled`, `withdrawn`, `unknown_activity`) unless the
    learner's enrolment in the lesson's course is active at the moment of the INSERT. A
    statement that does not score is that one INSERT, atomic by itself. One that scores runs
    in a transaction: the INSERT, an upsert of the learner's activity row (which locks it, so
    two answers cannot race), and the lesson row only when it may change.
    """
    activity = _activity(lesson_activities, block_id)
    if not statement.counts:
        pk, created = _statement_insert(user, lesson_activities, activity, statement)
        return Recorded(pk, duplicate=not created)
    with transaction.atomic():
        pk, created = _statement_insert(user, lesson_activities, activity, statement)
        if not created:  # a replay: counted when it was first received
            return Recorded(pk, duplicate=True)
        return _activity_progress_update(
            user=user, lesson_activities=lesson_activities, activity=activity,
            statement=statement, statement_pk=pk,
        )  # fmt: skip


def _statement_insert(user, lesson_activities, activity, statement) -> tuple[int, bool]:
    """INSERT the conforming statement (`courses.xapi.identity.player_statement_conform`)
    while the enrolment is active: (pk, True), or (pk of the stored one, False) for a
    replay. The id is generated here when the player sent none (H5P never does)."""
    now = timezone.now()
    statement_id = statement.statement_id or statement_id_new()
    lesson_id = lesson_activities.lesson.pk
    raw = player_statement_conform(
        statement.raw,
        user_id=user.pk,
        lesson_id=lesson_id,
        block_id=activity.block_id,
        statement_id=statement_id,
        stored=now,
        timestamp=iso(statement.timestamp) if statement.timestamp else None,
        is_child=statement.is_child,
    )
    row = XAPIStatement(
        user_id=user.pk,
        lesson_id=lesson_id,
        block_id=activity.block_id,
        package_id=activity.package_id,
        statement_id=statement_id,
        verb=statement.verb,
        object_id=raw["object"]["id"],
        score_raw=statement.score_raw,
        score_max=statement.score_max,
        score_scaled=statement.score_scaled,
        success=statement.success,
        completion=statement.completion,
        duration_seconds=statement.duration_seconds,
        is_child=statement.is_child,
        self_reported=True,
        raw=raw,
        raw_truncated=statement.raw_truncated,
        timestamp=statement.timestamp or now,
        stored_at=now,
        forward_state=_FORWARD_PENDING if settings.LMS_XAPI_FORWARD_ENABLED else _FORWARD_NONE,
    )
    enrolment = _active_enrolment(user, lesson_activities)
    for _retry in range(2):
        inserted = STATEMENT_INSERT.run(row, **enrolment)
        if inserted is not None:
            return inserted[0], True
        # Nothing inserted: say why (rare, so the lookup is not worth folding in). An
        # enrolment that is active now was created in between: insert again.
        _enrolment(user=user, lesson_activities=lesson_activities)
        if statement.statement_id is not None:
            return _replayed(user, row, sent_timestamp=statement.timestamp is not None), False
    raise _not_enrolled()


_FORWARD_PENDING = XAPIStatement.Forward.PENDING.value
_FORWARD_NONE = XAPIStatement.Forward.NONE.value


def _replayed(user, row: XAPIStatement, *, sent_timestamp: bool) -> int:
    """The stored statement with `row`'s id: its pk when `row` repeats it (same learner,
    activity and content by xAPI's comparison rules: a resend after a lost answer), else a
    `statement_conflict` ValidationError (xAPI answers 409 Conflict: an id names one
    statement, it cannot be reused, by this learner or anyone else)."""
    stored = (
        XAPIStatement.objects.filter(statement_id=row.statement_id)
        .values("pk", "user_id", "lesson_id", "block_id", "raw")
        .first()
    )
    if stored is None:  # deleted in between: nothing to repeat, nothing to count twice
        raise ValidationError(
            _("This statement was just removed; send it again."), code="statement_gone"
        )
    if (stored["user_id"], stored["lesson_id"], stored["block_id"]) != (
        user.pk,
        row.lesson_id,
        row.block_id,
    ) or not statements_match(stored["raw"], row.raw, ignore_timestamp=not sent_timestamp):
        raise ValidationError(
            _(
                "A different statement was already sent with the id %(id)s; a statement id "
                "cannot be reused."
            )
            % {"id": row.statement_id},
            code="statement_conflict",
        )
    return stored["pk"]


# The learner's activity row: attempts and time added (answered and completed count an
# attempt; passed and failed do not), last score set, best score raised, completion stamped
# once. It reads back the row, whether this statement stamped the completion (completion and
# update carry the same `now` only then: an earlier completion is older), and the lesson's
# row as it stands (its score; NULL when there is no row, else 0 or 1 for completed).
ACTIVITY_UPSERT = InsertSelect(
    H5PActivityProgress,
    source=ACTIVE_ENROLMENT,
    from_source={"enrolment": "id"},
    conflict=("enrolment", "lesson", "block_id"),
    merge={
        "package": Merge.NEW,
        "attempts": Merge.ADD,
        "seconds": Merge.ADD,
        "last_score": Merge.NEW,
        "best_score": Merge.MAX,
        "completed_at": Merge.FIRST,
        "updated_at": Merge.NEW,
    },
    returning=(
        "enrolment",
        "best_score",
        "completed_at",
        Equal("completed_at", "updated_at"),
        Related(
            LessonProgress,
            match={"enrolment": "enrolment", "lesson": "lesson"},
            columns=("score", IsSet("completed_at")),
        ),
    ),
)


def _activity_progress_update(
    *, user, lesson_activities: LessonActivities, activity: Activity, statement, statement_pk
) -> Recorded:
    """One upsert of the learner's activity row: attempts and time added (answered and
    completed count an attempt; passed and failed do not), last score set, best score
    raised, completion stamped once when the pass mark is met. It also returns the lesson's
    row as it stands, so the lesson is written only when its score or completion changes."""
    now = timezone.now()
    score = statement.percent
    attempt = statement.verb in ATTEMPT_VERBS
    row = H5PActivityProgress(
        lesson_id=lesson_activities.lesson.pk,
        block_id=activity.block_id,
        package_id=activity.package_id,
        best_score=score,
        last_score=score,
        attempts=1 if attempt else 0,
        seconds=(statement.duration_seconds or 0) if attempt else 0,
        completed_at=now if score >= activity.pass_mark else None,
        started_at=now,
        updated_at=now,
    )
    upserted = ACTIVITY_UPSERT.run(row, **_active_enrolment(user, lesson_activities))
    if upserted is None:  # withdrawn since the INSERT above, in another transaction
        raise _withdrawn()
    enrolment_id, best, completed_at, newly_done, lesson_score, lesson_done = upserted
    completed = completed_at is not None
    # A lower score changes neither the best score nor completion; an equal or higher one
    # may, and the lesson's row as it stood tells whether it must change.
    if newly_done or best == score:
        _lesson_progress_update(
            enrolment_id=enrolment_id, lesson_activities=lesson_activities,
            activity=activity, best=best, completed=completed, now=now,
            current=None if lesson_done is None else (lesson_score, bool(lesson_done)),
        )  # fmt: skip
    return Recorded(statement_pk, score=score, best=best, completed=completed)


def _lesson_progress_update(
    *, enrolment_id: int, lesson_activities: LessonActivities, activity: Activity, best: int,
    completed: bool, now, current: tuple[int | None, bool] | None,
) -> None:  # fmt: skip
    """The lesson's score is the mean best score of its scored activities; it completes when
    every required activity is done (a lesson with a quiz is scored and completed by the quiz,
    so only its row is ensured). `current` is the lesson row's (score, completed), None when
    it has none: nothing is written when that is already right.

    `current` may have been read before a concurrent answer of the same learner committed,
    so it can only be older than the row: a lesson's score and completion only grow, so when
    the older state is already the new one, the row is too.
    """
    lesson = lesson_activities.lesson
    if len(lesson_activities.activities) == 1:
        rows = {activity.block_id: (best, completed)}  # the usual lesson: no siblings to read
    else:
        rows = {
            block_id: (best_score, completed_at is not None)
            for block_id, best_score, completed_at in H5PActivityProgress.objects.filter(
                enrolment_id=enrolment_id, lesson_id=lesson.pk
            ).values_list("block_id", "best_score", "completed_at")
        }
    scores = [
        rows[block_id][0]
        for block_id in lesson_activities.activities
        if block_id in rows and rows[block_id][0] is not None
    ]
    required = lesson_activities.required
    done = bool(required) and all(a.block_id in rows and rows[a.block_id][1] for a in required)
    score = round(sum(scores) / len(scores)) if scores and not lesson.has_quiz else None
    done = done and not lesson.has_quiz
    if done and lesson.required_scorm:  # required SCORM blocks of the same lesson
        from ..models import ScormAttempt

        done = ScormAttempt.objects.filter(
            enrolment_id=enrolment_id,
            lesson_id=lesson.pk,
            block_id__in=lesson.required_scorm,
            completed_at__isnull=False,
        ).count() == len(lesson.required_scorm)
    if current is not None and score in (None, current[0]) and (current[1] or not done):
        return
    row = LessonProgress(
        enrolment_id=enrolment_id,
        lesson_id=lesson.pk,
        score=score,
        completed_at=now if done else None,
        updated_at=now,
    )
    upserted = LESSON_UPSERT.run(row)
    if upserted is not None and upserted[0]:
        enrolment = Enrolment.objects.select_related("course").get(pk=enrolment_id)
        enrolment_progress_update(enrolment=enrolment)


# The lesson's row: a new score replaces the stored one (none keeps it), completion is stamped
# once; updated only when the score or the completion changes (the check in
# `_lesson_progress_update` may be older than the row), and then it reads back whether this
# statement completed the lesson.
LESSON_UPSERT = InsertSelect(
    LessonProgress,
    conflict=("enrolment", "lesson"),
    merge={"score": Merge.NEW_IF_SET, "completed_at": Merge.FIRST, "updated_at": Merge.NEW},
    update_when=(Changed("score"), BecomesSet("completed_at")),
    returning=(Equal("completed_at", "updated_at"),),
)


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


# --- housekeeping ----------------------------------------------------------------------------
PRUNE_BATCH = 5000


def xapi_statements_prune(*, before, batch: int = PRUNE_BATCH) -> int:
    """Delete the raw statements stored before `before`, `batch` rows per transaction (a
    long delete would hold its locks against learners' clicks); returns how many.

    What they summarise stays: `H5PActivityProgress` (best score, attempts), `LessonProgress`
    and the enrolment. A replayed statement id older than the retention is then no longer
    recognised as a replay; being browser-reported, it can at most complete a lesson again.
    On PostgreSQL a BRIN index on `stored_at` (courses 0011) finds the old rows without a
    B-tree paid for on every click.
    """
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(
                XAPIStatement.objects.filter(stored_at__lt=before)
                .order_by()
                .values_list("pk", flat=True)[:batch]
            )
            if not ids:
                return deleted
            deleted += XAPIStatement.objects.filter(pk__in=ids).delete()[0]
