"""Writes about quizzes: start an attempt (the draw), submit it (the grading), grant one more.

Each function is keyword-only and runs in one transaction that locks the learner's enrolment
row first, so two requests of one learner (a double tap, two tabs) are serialised: they can
neither open two attempts nor grade one twice. Refusals are `ValidationError`s with a reason
for the learner, and nothing is written then.
"""

import datetime
import random

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from people.models import Scope
from people.selectors import profiles_visible_to

from ..models import Enrolment, LessonPage, LessonProgress, QuizAttempt, QuizAttemptGrant
from ..services import _enrolment_for_lesson, course_of_lesson, enrolment_progress_update
from .policy import PolicyState, policy_state

# An attempt left open this long counts as used (see `policy`): long enough to come back after
# a dropped connection and submit, short enough that abandoning a draw is never free.
ATTEMPT_EXPIRY = datetime.timedelta(hours=24)
# Bounds on a submission, far above any real quiz, so a forged payload costs no work.
MAX_ANSWERED_QUESTIONS = 200
MAX_CHOICES_PER_ANSWER = 20
MAX_ID_LENGTH = 64
GRANT_REASON_MAX = 500

_random = random.SystemRandom()


def _counted(now) -> Q:
    """Attempts that count against the policy at `now`: graded, or expired unsubmitted."""
    return (
        Q(state=QuizAttempt.State.SUBMITTED)
        | Q(state=QuizAttempt.State.EXPIRED)
        | Q(state=QuizAttempt.State.STARTED, expires_at__lte=now)
    )


def attempt_used_at(attempt: QuizAttempt, now) -> datetime.datetime | None:
    """When `attempt` counted against the policy (None: it does not count, or not yet)."""
    if attempt.state == QuizAttempt.State.SUBMITTED:
        return attempt.submitted_at
    if attempt.state == QuizAttempt.State.EXPIRED:
        return attempt.expires_at
    if attempt.expires_at is not None and attempt.expires_at <= now:
        return attempt.expires_at
    return None


def quiz_policy_state(*, enrolment: Enrolment, lesson: LessonPage, now) -> PolicyState:
    """The policy state of a learner at a quiz, from the database (two queries)."""
    course = enrolment.course
    used_at = [
        submitted_at or expires_at
        for submitted_at, expires_at in QuizAttempt.objects.filter(
            _counted(now), enrolment=enrolment, lesson=lesson
        ).values_list("submitted_at", "expires_at")
    ]
    granted_at = QuizAttemptGrant.objects.filter(enrolment=enrolment, lesson=lesson).values_list(
        "granted_at", flat=True
    )
    return policy_state(
        attempts=course.quiz_attempts,
        wait=datetime.timedelta(hours=course.quiz_wait_hours),
        used_at=used_at,
        granted_at=list(granted_at),
        now=now,
    )


def locked_message(locked_until) -> str:
    return _("You have used your attempts at this quiz. You can try again from %(time)s.") % {
        "time": formats.date_format(timezone.localtime(locked_until), "SHORT_DATETIME_FORMAT")
    }


def _draw(quiz_value, rng: random.Random | None = None) -> list[dict]:
    """The questions of one attempt: `draw` of the bank at random (kept in the bank's order),
    each with its options shuffled. Correct flags stay in this server-side copy. `rng`: the
    offline quiz form (courses.offline.quiz) passes a seeded one, so its draw is stable."""
    rng = rng or _random
    bank = list(quiz_value["questions"].bound_blocks)
    size = quiz_value.get("draw") or 0
    if not size or size >= len(bank):
        size = len(bank)
    questions = []
    for index in sorted(rng.sample(range(len(bank)), size)):
        child = bank[index]
        question = child.value
        choices = [
            {"id": c.id, "text": c.value["text"], "correct": bool(c.value["correct"])}
            for c in question["choices"].bound_blocks
        ]
        rng.shuffle(choices)
        questions.append(
            {
                "id": child.id,
                "text": question["text"],
                "kind": question["kind"],
                "topic": question.get("topic") or "",
                "explanation": question.get("explanation") or "",
                "choices": choices,
            }
        )
    return questions


@transaction.atomic
def quiz_attempt_start(*, user, lesson: LessonPage) -> QuizAttempt:
    """Open an attempt at the lesson's quiz and store its draw; returns the open attempt.

    Starting again while an attempt is open returns that attempt (same draw): a reload or a
    lost connection resumes it, and a new draw costs an attempt. Refused once the quiz is
    passed and while the attempt policy locks the learner out (the reason says until when).
    """
    enrolment = _enrolment_for_lesson(user=user, lesson=lesson)
    quiz = lesson.quiz_block
    if quiz is None:
        raise ValidationError(_("This lesson has no quiz."), code="no_quiz")
    now = timezone.now()
    attempts = QuizAttempt.objects.filter(enrolment=enrolment, lesson=lesson)
    if attempts.filter(passed=True).exists():
        raise ValidationError(_("You have already passed this quiz."), code="passed")
    # Expired attempts are closed lazily, here: they already count (see `_counted`).
    attempts.filter(state=QuizAttempt.State.STARTED, expires_at__lte=now).update(
        state=QuizAttempt.State.EXPIRED
    )
    open_attempt = attempts.filter(state=QuizAttempt.State.STARTED).first()
    if open_attempt is not None:
        return open_attempt
    state = quiz_policy_state(enrolment=enrolment, lesson=lesson, now=now)
    if state.remaining <= 0:
        raise ValidationError(locked_message(state.locked_until), code="locked")
    return attempt_create(
        enrolment=enrolment, lesson=lesson, quiz=quiz, questions=_draw(quiz.value), now=now
    )


def attempt_create(
    *, enrolment, lesson: LessonPage, quiz, questions: list[dict], now
) -> QuizAttempt:
    """A started attempt at the lesson's live quiz with the questions drawn for it (online,
    or the form a learner took offline), open for ATTEMPT_EXPIRY."""
    return QuizAttempt.objects.create(
        enrolment=enrolment,
        lesson=lesson,
        block_id=quiz.id,
        revision_id=lesson.live_revision_id,
        state=QuizAttempt.State.STARTED,
        questions=questions,
        question_count=len(questions),
        started_at=now,
        expires_at=now + ATTEMPT_EXPIRY,
    )


def _attempt_id(value) -> int | None:
    text = str(value or "").strip()
    if not text.isdigit() or len(text) > 18:
        return None
    return int(text)


def _normalised(answers: dict) -> dict[str, list[str]]:
    if len(answers) > MAX_ANSWERED_QUESTIONS or any(
        len(chosen) > MAX_CHOICES_PER_ANSWER or len(qid) > MAX_ID_LENGTH
        for qid, chosen in answers.items()
    ):
        raise ValidationError(_("This submission is too large."), code="too_large")
    return {qid: list(dict.fromkeys(chosen)) for qid, chosen in answers.items()}


def _as_sets(answers: dict) -> dict[str, frozenset]:
    return {qid: frozenset(chosen) for qid, chosen in answers.items() if chosen}


def _same_answers(first: dict, second: dict) -> bool:
    """The same choices for the same questions, whatever their order."""
    return _as_sets(first) == _as_sets(second)


@transaction.atomic
def quiz_attempt_submit(
    *, user, lesson: LessonPage, attempt_id, answers: dict[str, list[str]]
) -> tuple[QuizAttempt, bool]:
    """Grade an open attempt against its stored draw. Returns (attempt, graded_now).

    `answers` maps the drawn question ids to chosen choice ids. The same answers sent again
    for a graded attempt (a double tap, a retry after a dropped connection) return the stored
    result, graded_now False, and count nothing. Refused with a reason, writing nothing: an
    attempt that is not this learner's at this lesson, one already graded with other answers,
    an expired one, answers to questions outside the draw, a choice outside its question, a
    missing answer, two answers to a one-answer question. A question scores when the chosen
    set equals the correct set; passing (score >= the course pass mark) completes the lesson.
    """
    enrolment = _enrolment_for_lesson(user=user, lesson=lesson)
    pk = _attempt_id(attempt_id)
    attempt = (
        QuizAttempt.objects.select_for_update()
        .filter(pk=pk, enrolment=enrolment, lesson=lesson)
        .first()
        if pk is not None
        else None
    )
    if attempt is None:
        raise ValidationError(
            _("This attempt is not one of yours at this quiz. Start the quiz again."),
            code="unknown_attempt",
        )
    answers = _normalised(answers)
    now = timezone.now()
    if attempt.state == QuizAttempt.State.SUBMITTED:
        if _same_answers(answers, attempt.answers):
            return attempt, False
        raise ValidationError(
            _("This attempt has already been submitted; its result is below."), code="finished"
        )
    if attempt.state == QuizAttempt.State.EXPIRED or (
        attempt.expires_at is not None and attempt.expires_at <= now
    ):
        raise ValidationError(
            _("This attempt has expired and counts as used. Start a new one."), code="expired"
        )

    drawn = {question["id"]: question for question in attempt.questions}
    if set(answers) - set(drawn):
        raise ValidationError(
            _("The answers refer to questions that are not in this attempt."),
            code="unknown_question",
        )
    errors: dict[str, str] = {}
    correct_count = 0
    for qid, question in drawn.items():
        chosen = answers.get(qid) or []
        choices = {choice["id"]: choice for choice in question["choices"]}
        if not chosen:
            errors[qid] = _("Choose an answer.")
        elif any(cid not in choices for cid in chosen):
            errors[qid] = _("This answer is not one of the choices for this question.")
        elif question["kind"] == "single" and len(chosen) > 1:
            errors[qid] = _("Choose only one answer.")
        elif set(chosen) == {cid for cid, choice in choices.items() if choice["correct"]}:
            correct_count += 1
    if errors:
        raise ValidationError(errors, code="invalid_answers")

    course = enrolment.course
    total = len(drawn)
    score = round(100 * correct_count / total) if total else 0
    attempt.state = QuizAttempt.State.SUBMITTED
    attempt.answers = {qid: answers[qid] for qid in drawn}
    attempt.correct_count = correct_count
    attempt.question_count = total
    attempt.score = score
    attempt.passed = score >= course.pass_mark
    attempt.submitted_at = now
    attempt.save(
        update_fields=[
            "state", "answers", "correct_count", "question_count", "score", "passed",
            "submitted_at",
        ]
    )  # fmt: skip
    progress, _created = LessonProgress.objects.select_for_update().get_or_create(
        enrolment=enrolment, lesson=lesson
    )
    progress.attempts += 1
    progress.score = max(progress.score or 0, score)
    if attempt.passed and progress.completed_at is None:
        progress.completed_at = now
    progress.save(update_fields=["attempts", "score", "completed_at", "updated_at"])
    enrolment_progress_update(enrolment=enrolment)
    return attempt, True


def can_grant_attempts(user, learner) -> bool:
    """Administrators, and trainers whose scope holds the learner's unit."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return profiles_visible_to(user, role=Scope.Role.TRAINER).filter(user_id=learner.pk).exists()


@transaction.atomic
def quiz_attempt_grant(
    *, by, enrolment: Enrolment, lesson: LessonPage, reason: str
) -> QuizAttemptGrant:
    """Give a learner one more attempt at a quiz, with the audit row (who, when, why).

    Only an administrator or a trainer in scope of the learner's unit (`PermissionDenied`
    otherwise). The extra attempt is usable at once, even while the learner waits.
    """
    if not can_grant_attempts(by, enrolment.user):
        raise PermissionDenied
    enrolment = Enrolment.objects.select_for_update().select_related("course").get(pk=enrolment.pk)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why the learner gets another attempt.")})
    if len(reason) > GRANT_REASON_MAX:
        raise ValidationError(
            {"reason": _("Keep the reason under %(n)s characters.") % {"n": GRANT_REASON_MAX}}
        )
    if not lesson.has_quiz or course_of_lesson(lesson).pk != enrolment.course_id:
        raise ValidationError(_("This quiz is not part of the learner's course."), code="no_quiz")
    if QuizAttempt.objects.filter(enrolment=enrolment, lesson=lesson, passed=True).exists():
        raise ValidationError(_("The learner has already passed this quiz."), code="passed")
    return QuizAttemptGrant.objects.create(
        enrolment=enrolment, lesson=lesson, granted_by=by, reason=reason
    )
