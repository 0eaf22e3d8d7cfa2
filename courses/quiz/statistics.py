"""Question statistics for trainers: how each question of a quiz's bank performs.

Per question, over the submitted attempts of learners in the viewer's scope: how many times it
was drawn, the facility index (share answered right), the discrimination index (share right
among the top 27% of attempts by score minus the share among the bottom 27%; Kelley's groups),
and how often each option was chosen. A question is flagged too easy (facility above 0.9), too
hard (below 0.3) or not discriminating (index below 0.2) once it has `MIN_ATTEMPTS` answers,
so a trainer can fix bad questions.

Each attempt keeps its own draw (questions, options and correct flags as shown) and answers as
JSON, so the rows are read once (two columns, streamed) and counted here; the database filters
by lesson, state and the viewer's scope.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from people.selectors import filter_by_unit_scope

from ..models import QuizAttempt

MIN_ATTEMPTS = 10
EASY, HARD, WEAK = 0.9, 0.3, 0.2
GROUP_SHARE = 0.27


@dataclass
class OptionStats:
    id: str
    text: str
    correct: bool
    chosen: int = 0

    def share(self, total: int) -> int:
        return round(100 * self.chosen / total) if total else 0


@dataclass
class QuestionStats:
    id: str
    text: str
    topic: str = ""
    attempts: int = 0
    right: int = 0
    options: dict[str, OptionStats] = field(default_factory=dict)
    discrimination: float | None = None
    in_bank: bool = True

    @property
    def facility(self) -> float | None:
        return self.right / self.attempts if self.attempts else None

    @property
    def percent_right(self) -> int | None:
        return None if self.facility is None else round(self.facility * 100)

    @property
    def flags(self) -> list[str]:
        if self.attempts < MIN_ATTEMPTS:
            return []
        found = []
        if self.facility > EASY:
            found.append(str(_("too easy")))
        if self.facility < HARD:
            found.append(str(_("too hard")))
        if self.discrimination is not None and self.discrimination < WEAK:
            found.append(str(_("does not separate strong from weak learners")))
        return found

    @property
    def option_rows(self) -> list[tuple[OptionStats, int]]:
        return [(option, option.share(self.attempts)) for option in self.options.values()]


def quiz_attempts_visible_to(user, *, lesson):
    """Submitted attempts at `lesson`'s quiz by learners in `user`'s scopes (all for an
    administrator)."""
    attempts = QuizAttempt.objects.filter(lesson=lesson, state=QuizAttempt.State.SUBMITTED)
    return filter_by_unit_scope(
        attempts, user, unit_path="enrolment__user__profile__org_unit__path"
    )


def question_statistics(*, user, lesson) -> tuple[list[QuestionStats], int]:
    """(statistics per question, number of attempts): the bank's questions in their order,
    then questions drawn in earlier attempts that are no longer in it."""
    stats: dict[str, QuestionStats] = {}
    quiz = lesson.quiz_block
    bank = []
    if quiz is not None:
        for item in quiz.value["questions"].bound_blocks:
            question = item.value
            qid = str(item.id)
            bank.append(qid)
            stats[qid] = QuestionStats(
                id=qid,
                text=str(question["text"]),
                topic=str(question.get("topic") or ""),
                options={
                    str(choice.id): OptionStats(
                        id=str(choice.id),
                        text=str(choice.value["text"]),
                        correct=bool(choice.value["correct"]),
                    )
                    for choice in question["choices"].bound_blocks
                },
            )
    per_attempt: list[tuple[int, dict[str, bool]]] = []
    rows = quiz_attempts_visible_to(user, lesson=lesson).values_list(
        "score", "questions", "answers"
    )
    for score, questions, answers in rows.iterator(chunk_size=500):
        outcome: dict[str, bool] = {}
        answers = answers if isinstance(answers, dict) else {}
        for drawn in questions or []:
            qid = str(drawn.get("id"))
            entry = stats.get(qid)
            if entry is None:
                entry = stats[qid] = QuestionStats(
                    id=qid, text=str(drawn.get("text", "")), in_bank=False
                )
            chosen = {str(c) for c in answers.get(qid, []) or []}
            correct = {str(c["id"]) for c in drawn.get("choices", []) if c.get("correct")}
            for choice in drawn.get("choices", []):
                cid = str(choice["id"])
                option = entry.options.get(cid)
                if option is None:
                    option = entry.options[cid] = OptionStats(
                        id=cid,
                        text=str(choice.get("text", "")),
                        correct=bool(choice.get("correct")),
                    )
                if cid in chosen:
                    option.chosen += 1
            entry.attempts += 1
            right = chosen == correct
            entry.right += right
            outcome[qid] = right
        per_attempt.append((score or 0, outcome))
    _discrimination(stats, per_attempt)
    ordered = [stats[qid] for qid in bank] + [s for s in stats.values() if not s.in_bank]
    return ordered, len(per_attempt)


def _discrimination(stats: dict[str, QuestionStats], per_attempt) -> None:
    if len(per_attempt) < 2:
        return
    ranked = sorted(per_attempt, key=lambda pair: pair[0])
    size = max(1, round(len(ranked) * GROUP_SHARE))
    lower, upper = ranked[:size], ranked[-size:]
    for qid, entry in stats.items():
        up = [outcome[qid] for _score, outcome in upper if qid in outcome]
        low = [outcome[qid] for _score, outcome in lower if qid in outcome]
        if up and low:
            entry.discrimination = round(sum(up) / len(up) - sum(low) / len(low), 2)
