"""Recording what a phone did offline: each action once, checked as if it came online.

`offline_actions_sync` takes the phone's batch, checks its shape (bounded: a forged or huge
payload costs no work) and records each action in its own transaction with its receipt
(`OfflineAction`). Every action gets a final answer: recorded, duplicate (this learner already
sent this id for this lesson: nothing changes), or refused with a reason for the learner. The
phone drops an action from its queue only once it has that answer.
"""

import uuid
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from ..models import LessonPage, OfflineAction, QuizAttempt
from ..quiz.services import quiz_attempt_submit
from ..services import lesson_progress_mark_done
from .quiz import quiz_attempt_from_draw

MAX_ACTIONS = 100  # per request; the phone sends more in the next one
MAX_BODY_BYTES = 256 * 1024


class PayloadError(ValueError):
    """The batch as a whole is unusable (not JSON, not a list, too many actions)."""


def _client_id(value) -> uuid.UUID | None:
    if not isinstance(value, str) or len(value) > 36:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _lesson_id(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value < 10**18 else None
    if isinstance(value, str) and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def _happened_at(value):
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = parse_datetime(value)
    except ValueError:
        return None
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_current_timezone())
    return min(moment, timezone.now())  # a phone clock in the future is not believed


def _answers(value) -> dict[str, list[str]]:
    if not isinstance(value, dict) or not all(
        isinstance(qid, str)
        and isinstance(chosen, list)
        and all(isinstance(cid, str) for cid in chosen)
        for qid, chosen in value.items()
    ):
        raise ValidationError(_("The answers could not be read."), code="bad_answers")
    return value


def _refused(message: str, code: str) -> dict:
    return {"ok": False, "status": "refused", "code": code, "error": message, "retry": False}


def _receipt_answer(receipt: OfflineAction, *, user, lesson_id: int, kind: str) -> dict:
    """A client id seen before: a duplicate when it is this learner's, for this lesson."""
    if receipt.user_id != user.pk or receipt.lesson_id != lesson_id or receipt.kind != kind:
        return _refused(
            _("This action's id was already used for another action. It was not recorded."),
            "id_reused",
        )
    answer = {"ok": True, "status": "duplicate", "retry": False}
    if receipt.attempt_id is not None:
        answer.update(_attempt_result(receipt.attempt))
    return answer


def _attempt_result(attempt: QuizAttempt) -> dict:
    return {"attempt": attempt.pk, "score": attempt.score, "passed": attempt.passed}


@transaction.atomic
def offline_action_record(
    *, user, client_id: uuid.UUID, kind: str, lesson: LessonPage, action: dict
) -> dict:
    """Record one action and its receipt in one transaction; ValidationError: nothing written."""
    attempt = None
    if kind == OfflineAction.Kind.LESSON_DONE:
        lesson_progress_mark_done(user=user, lesson=lesson)
    else:
        answers = _answers(action.get("answers"))
        if action.get("draw") is not None:
            opened = quiz_attempt_from_draw(user=user, lesson=lesson, token=action["draw"])
            attempt_id = opened.pk
        else:
            attempt_id = action.get("attempt")
            if isinstance(attempt_id, bool) or not isinstance(attempt_id, int | str):
                attempt_id = ""
        attempt, _graded_now = quiz_attempt_submit(
            user=user, lesson=lesson, attempt_id=attempt_id, answers=answers
        )
    OfflineAction.objects.create(
        client_id=client_id,
        user=user,
        lesson=lesson,
        kind=kind,
        attempt=attempt,
        happened_at=_happened_at(action.get("at")),
    )
    answer = {"ok": True, "status": "recorded", "retry": False}
    if attempt is not None:
        answer.update(_attempt_result(attempt))
    return answer


def _one(action, *, user, may_view: Callable[[LessonPage], bool]) -> dict:
    if not isinstance(action, dict):
        return _refused(_("This action could not be read."), "malformed")
    client_id = _client_id(action.get("id"))
    kind = action.get("kind")
    lesson_id = _lesson_id(action.get("lesson"))
    if client_id is None:
        return _refused(_("This action has no valid id."), "bad_id")
    if kind not in OfflineAction.Kind.values or lesson_id is None:
        return _refused(_("This action could not be read."), "malformed")
    receipt = OfflineAction.objects.filter(client_id=client_id).first()
    if receipt is not None:
        return _receipt_answer(receipt, user=user, lesson_id=lesson_id, kind=kind)
    lesson = LessonPage.objects.live().filter(pk=lesson_id).first()
    if lesson is None or not may_view(lesson):
        return _refused(_("This lesson is not available."), "no_lesson")
    try:
        return offline_action_record(
            user=user, client_id=client_id, kind=kind, lesson=lesson, action=action
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):  # one message per question: said once each
            message = " ".join(
                dict.fromkeys(m for errors in error.message_dict.values() for m in errors)
            )
            return _refused(message, "invalid_answers")
        return _refused(" ".join(error.messages), getattr(error, "code", None) or "invalid")
    except IntegrityError:
        # The same id arrived concurrently and its receipt was written first.
        receipt = OfflineAction.objects.filter(client_id=client_id).first()
        if receipt is None:
            raise
        return _receipt_answer(receipt, user=user, lesson_id=lesson_id, kind=kind)


def offline_actions_sync(*, user, payload, may_view: Callable[[LessonPage], bool]) -> list[dict]:
    """Answer every action of a phone's batch, in order (see the module).

    `may_view(lesson)`: whether this request passes the lesson's view restrictions (the view
    knows the request). Raises PayloadError when the batch as a whole is unusable.
    """
    actions = payload.get("actions") if isinstance(payload, dict) else None
    if not isinstance(actions, list):
        raise PayloadError(_("The request holds no list of actions."))
    if len(actions) > MAX_ACTIONS:
        raise PayloadError(
            _("Too many actions at once (at most %(n)s); send the rest next.") % {"n": MAX_ACTIONS}
        )
    results = []
    for action in actions:
        answer = _one(action, user=user, may_view=may_view)
        raw_id = action.get("id") if isinstance(action, dict) else None
        answer["id"] = raw_id if isinstance(raw_id, str) and len(raw_id) <= 36 else None
        results.append(answer)
    return results
