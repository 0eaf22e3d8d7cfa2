"""The quiz form a learner can answer offline, graded on the server when it arrives.

Online, an attempt's draw is stored on the server when the learner starts it (and it expires
after a day). Offline there is no server to start one, so the offline form carries its draw in a
signed token instead: the drawn question ids and the order of their choices, never which choice
is right (the answers stay on the server). The draw is seeded from the learner, the quiz and how
many attempts they have had, so reloading the form shows the same questions until an attempt
counts: fetching the form again draws nothing new, and a form drawn before the learner's last
attempt is refused (it would show the same questions twice).

When the answers arrive, `quiz_attempt_from_draw` opens the attempt with that draw under the
same rules as `quiz_attempt_start` (passed already, open attempt, attempt limit and wait), and
`quiz_attempt_submit` grades it: the existing grading and policy code, nothing of its own.
"""

import copy
import hashlib
import hmac
import random
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Enrolment, LessonPage, QuizAttempt
from ..quiz.policy import PolicyState
from ..quiz.services import (
    _draw,
    attempt_create,
    locked_message,
    quiz_policy_state,
)
from ..services import _enrolment_for_lesson

TOKEN_SALT = "hocso.offline-quiz"
TOKEN_MAX_AGE = 60 * 24 * 3600  # a form saved for offline stays answerable for 60 days
TOKEN_MAX_LENGTH = 8000


@dataclass
class OfflineDraw:
    questions: list[dict]  # as `_draw` makes them, but without "correct" (sent to the phone)
    token: str  # empty when the form answers the open attempt instead
    policy: PolicyState
    passed: bool
    attempt: QuizAttempt | None = None  # the attempt open on the server, if any


def _seeded(enrolment: Enrolment, lesson: LessonPage, block_id: str, count: int) -> random.Random:
    key = settings.SECRET_KEY.encode("utf-8")
    message = f"offline-draw:{enrolment.pk}:{lesson.pk}:{block_id}:{count}".encode()
    return random.Random(hmac.new(key, message, hashlib.sha256).digest())


def _public(questions: list[dict]) -> list[dict]:
    """What the phone may see of a draw: no correct flags, no explanations."""
    return [
        {
            "id": q["id"],
            "text": q["text"],
            "kind": q["kind"],
            "choices": [{"id": c["id"], "text": c["text"]} for c in q["choices"]],
        }
        for q in questions
    ]


def offline_draw(*, enrolment: Enrolment, lesson: LessonPage) -> OfflineDraw | None:
    """The offline form's draw for this learner (None: the lesson has no quiz)."""
    quiz = lesson.quiz_block
    if quiz is None:
        return None
    now = timezone.now()
    attempts = QuizAttempt.objects.filter(enrolment=enrolment, lesson=lesson)
    policy = quiz_policy_state(enrolment=enrolment, lesson=lesson, now=now)
    passed = attempts.filter(passed=True).exists()
    # An attempt started online and still open: the form answers that one (its draw).
    open_attempt = attempts.filter(state=QuizAttempt.State.STARTED, expires_at__gt=now).first()
    if open_attempt is not None:
        return OfflineDraw(
            questions=_public(copy.deepcopy(open_attempt.questions)),
            token="",
            policy=policy,
            passed=passed,
            attempt=open_attempt,
        )
    count = attempts.count()
    questions = _draw(quiz.value, _seeded(enrolment, lesson, quiz.id, count))
    token = signing.dumps(
        {
            "u": enrolment.user_id,
            "l": lesson.pk,
            "b": quiz.id,
            "q": [[q["id"], [c["id"] for c in q["choices"]]] for q in questions],
            "n": count,
        },
        salt=TOKEN_SALT,
        compress=True,
    )
    return OfflineDraw(questions=_public(questions), token=token, policy=policy, passed=passed)


def _changed() -> ValidationError:
    return ValidationError(
        _("The quiz was changed while you were offline. Open it again online and answer again."),
        code="quiz_changed",
    )


def _questions_from_token(quiz, drawn) -> list[dict]:
    """The attempt's questions (with correct flags) rebuilt from the live quiz, in the order
    the phone showed them; refused when a question or its choices are no longer the same."""
    bank = {child.id: child.value for child in quiz.value["questions"].bound_blocks}
    questions = []
    for qid, choice_ids in drawn:
        question = bank.get(qid)
        if question is None:
            raise _changed()
        choices = {c.id: c.value for c in question["choices"].bound_blocks}
        if sorted(choices) != sorted(choice_ids):
            raise _changed()
        questions.append(
            {
                "id": qid,
                "text": question["text"],
                "kind": question["kind"],
                "topic": question.get("topic") or "",
                "explanation": question.get("explanation") or "",
                "choices": [
                    {
                        "id": cid,
                        "text": choices[cid]["text"],
                        "correct": bool(choices[cid]["correct"]),
                    }
                    for cid in choice_ids
                ],
            }
        )
    return questions


def _token_data(token, *, user, lesson: LessonPage) -> dict:
    bad = ValidationError(
        _("This quiz form is not valid. Open the quiz again online."), code="bad_draw"
    )
    if not isinstance(token, str) or not token or len(token) > TOKEN_MAX_LENGTH:
        raise bad
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(
            _("This quiz form is too old. Open the quiz again online."), code="bad_draw"
        ) from None
    except signing.BadSignature:
        raise bad from None
    if not isinstance(data, dict) or data.get("u") != user.pk or data.get("l") != lesson.pk:
        raise bad
    return data


@transaction.atomic
def quiz_attempt_from_draw(*, user, lesson: LessonPage, token: str) -> QuizAttempt:
    """Open the attempt the offline form drew (see the module), or refuse as
    `quiz_attempt_start` would: not enrolled, passed already, out of attempts."""
    enrolment = _enrolment_for_lesson(user=user, lesson=lesson)
    data = _token_data(token, user=user, lesson=lesson)
    quiz = lesson.quiz_block
    if quiz is None:
        raise ValidationError(_("This lesson has no quiz."), code="no_quiz")
    if quiz.id != data.get("b"):
        raise _changed()
    questions = _questions_from_token(quiz, data.get("q") or [])
    now = timezone.now()
    attempts = QuizAttempt.objects.filter(enrolment=enrolment, lesson=lesson)
    if attempts.filter(passed=True).exists():
        raise ValidationError(_("You have already passed this quiz."), code="passed")
    attempts.filter(state=QuizAttempt.State.STARTED, expires_at__lte=now).update(
        state=QuizAttempt.State.EXPIRED
    )
    open_attempt = attempts.filter(state=QuizAttempt.State.STARTED).first()
    if open_attempt is not None:
        if [q["id"] for q in open_attempt.questions] == [q["id"] for q in questions]:
            return open_attempt
        raise ValidationError(
            _(
                "You have a quiz attempt open on the server. Finish it online, then the "
                "offline answers can be sent for a new attempt."
            ),
            code="open_attempt",
        )
    state = quiz_policy_state(enrolment=enrolment, lesson=lesson, now=now)
    if state.remaining <= 0:
        raise ValidationError(locked_message(state.locked_until), code="locked")
    # A form drawn before the learner's last attempt: answering it again would give the same
    # questions a second time, where a new attempt draws anew.
    if data.get("n") != attempts.count():
        raise ValidationError(
            _("This quiz form has already been used. Open the quiz again online."),
            code="stale_draw",
        )
    return attempt_create(
        enrolment=enrolment, lesson=lesson, quiz=quiz, questions=questions, now=now
    )
