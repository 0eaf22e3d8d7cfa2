"""Reads about quizzes: what a learner's quiz panel shows, and a learner's attempts for the
trainer who may grant one more.

What reaches the learner's browser is decided here: the open attempt's questions and option
texts in the drawn order (never the correct flags); after a graded attempt, the score and the
topics to review (sorted, not in question order, so they do not point at the wrong answers);
the correct answers and explanations only once the quiz is passed.
"""

import datetime
from dataclasses import dataclass, field

from django.shortcuts import get_object_or_404
from django.utils import timezone

from people.models import Scope
from people.selectors import profiles_visible_to

from ..models import Enrolment, LessonPage, QuizAttempt, QuizAttemptGrant
from .policy import PolicyState, policy_state
from .services import attempt_used_at


@dataclass
class ChoiceView:
    id: str
    text: str
    checked: bool
    correct: bool | None = None  # only in the review after passing
    lang: str = ""  # the text's language when it is a translation's (else the bank's)


@dataclass
class QuestionView:
    id: str
    number: int
    text: str
    kind: str
    choices: list[ChoiceView]
    error: str | None = None
    right: bool | None = None  # only in the review after passing
    explanation: str = ""
    lang: str = ""  # the text's language when it is a translation's (else the bank's)
    explanation_lang: str = ""


@dataclass
class QuizPanel:
    block_id: str
    title: str
    intro: str
    bank_size: int
    draw_size: int
    policy: PolicyState | None  # None in a trainer's preview
    open_attempt: QuizAttempt | None
    result: QuizAttempt | None  # the last graded attempt
    passed: bool
    topics: list[str] = field(default_factory=list)
    questions: list[QuestionView] = field(default_factory=list)
    form_error: str = ""
    preview: bool = False  # a trainer's preview: the whole bank with its answer key
    title_lang: str = ""
    intro_lang: str = ""

    @property
    def review(self) -> bool:
        return self.passed

    @property
    def can_start(self) -> bool:
        return self.open_attempt is None and not self.passed and self.policy.remaining > 0

    @property
    def locked(self) -> bool:
        return self.open_attempt is None and not self.passed and self.policy.remaining <= 0


def _policy(course, attempts, granted_at, now) -> PolicyState:
    return policy_state(
        attempts=course.quiz_attempts,
        wait=datetime.timedelta(hours=course.quiz_wait_hours),
        used_at=[t for t in (attempt_used_at(a, now) for a in attempts) if t is not None],
        granted_at=granted_at,
        now=now,
    )


def _open_questions(attempt: QuizAttempt, answers: dict, errors: dict) -> list[QuestionView]:
    questions = []
    for number, question in enumerate(attempt.questions, start=1):
        picked = set(answers.get(question["id"], []))
        choices = [ChoiceView(c["id"], c["text"], c["id"] in picked) for c in question["choices"]]
        questions.append(
            QuestionView(
                id=question["id"],
                number=number,
                text=question["text"],
                kind=question["kind"],
                choices=choices,
                error=errors.get(question["id"]),
            )
        )
    return questions


def _review_questions(attempt: QuizAttempt) -> list[QuestionView]:
    questions = []
    for number, question in enumerate(attempt.questions, start=1):
        picked = set(attempt.answers.get(question["id"], []))
        right = {c["id"] for c in question["choices"] if c["correct"]}
        questions.append(
            QuestionView(
                id=question["id"],
                number=number,
                text=question["text"],
                kind=question["kind"],
                choices=[
                    ChoiceView(c["id"], c["text"], c["id"] in picked, c["correct"])
                    for c in question["choices"]
                ],
                right=picked == right,
                explanation=question.get("explanation", ""),
            )
        )
    return questions


def topics_to_review(attempt: QuizAttempt) -> list[str]:
    """The topics of the questions answered wrong, deduplicated and sorted."""
    topics = set()
    for question in attempt.questions:
        picked = set(attempt.answers.get(question["id"], []))
        right = {c["id"] for c in question["choices"] if c["correct"]}
        if picked != right and question.get("topic"):
            topics.add(question["topic"])
    return sorted(topics)


def quiz_panel(
    *,
    lesson: LessonPage,
    enrolment: Enrolment,
    attempts: list[QuizAttempt],
    answers: dict | None = None,
    errors: dict | None = None,
    now=None,
) -> QuizPanel | None:
    """The quiz panel of a lesson for an enrolled learner, from their `attempts` at it (loaded
    by `courses.selectors.lesson_view`) and one query for their grants."""
    block = lesson.quiz_block
    if block is None:
        return None
    now = now or timezone.now()
    granted_at = list(
        QuizAttemptGrant.objects.filter(enrolment=enrolment, lesson=lesson).values_list(
            "granted_at", flat=True
        )
    )
    graded = [a for a in attempts if a.state == QuizAttempt.State.SUBMITTED]
    open_attempt = next(
        (a for a in attempts if a.state == QuizAttempt.State.STARTED and a.expires_at > now), None
    )
    passed_attempt = next((a for a in reversed(graded) if a.passed), None)
    result = graded[-1] if graded else None
    bank_size = len(block.value["questions"])
    draw = block.value.get("draw") or 0
    panel = QuizPanel(
        block_id=block.id,
        title=block.value["title"],
        intro=block.value["intro"],
        bank_size=bank_size,
        draw_size=draw if 0 < draw < bank_size else bank_size,
        policy=_policy(enrolment.course, attempts, granted_at, now),
        open_attempt=open_attempt,
        result=passed_attempt or result,
        passed=passed_attempt is not None,
    )
    if open_attempt is not None:
        panel.questions = _open_questions(open_attempt, answers or {}, errors or {})
    elif passed_attempt is not None:
        panel.questions = _review_questions(passed_attempt)
    elif result is not None:
        panel.topics = topics_to_review(result)
    return panel


def quiz_panel_shown_in(panel: QuizPanel | None, *, shown, language: str) -> QuizPanel | None:
    """The panel's texts from `shown` (the lesson's translation the learner reads) where it
    translates them, found by block id: the questions, options and their ids stay the drawn
    ones, so grading (by option id, on the server) cannot depend on the language shown. A text
    the translation left in Vietnamese keeps no `lang` (the bank's, Vietnamese)."""
    block = getattr(shown, "quiz_block", None)
    if panel is None or block is None:
        return panel
    value = block.value
    questions, choices = {}, {}
    for child in value["questions"].bound_blocks:
        questions[child.id] = child.value
        for choice in child.value["choices"].bound_blocks:
            choices[choice.id] = choice.value["text"]

    def pick(source: str, translated: str | None) -> tuple[str, str]:
        if translated and translated != source:
            return translated, language
        return source, ""

    panel.title, panel.title_lang = pick(panel.title, value["title"])
    panel.intro, panel.intro_lang = pick(panel.intro, value["intro"])
    for question in panel.questions:
        found = questions.get(question.id)
        if found is None:
            continue
        question.text, question.lang = pick(question.text, found["text"])
        question.explanation, question.explanation_lang = pick(
            question.explanation, found.get("explanation")
        )
        for choice in question.choices:
            choice.text, choice.lang = pick(choice.text, choices.get(choice.id))
    return panel


def quiz_preview(*, lesson: LessonPage) -> QuizPanel | None:
    """The quiz of a lesson as a trainer previews it: every question of the bank with its
    answer key and explanation, nothing to submit. Reads only the lesson's body (which, in the
    preview of an unsaved lesson, is the form's content)."""
    block = lesson.quiz_block
    if block is None:
        return None
    questions = []
    for number, child in enumerate(block.value["questions"].bound_blocks, start=1):
        question = child.value
        questions.append(
            QuestionView(
                id=child.id or f"preview-{number}",
                number=number,
                text=question["text"],
                kind=question["kind"],
                choices=[
                    ChoiceView(c.id or "", c.value["text"], False, bool(c.value["correct"]))
                    for c in question["choices"].bound_blocks
                ],
                explanation=question.get("explanation") or "",
            )
        )
    bank_size = len(questions)
    draw = block.value.get("draw") or 0
    return QuizPanel(
        block_id=block.id or "",
        title=block.value["title"],
        intro=block.value["intro"],
        bank_size=bank_size,
        draw_size=draw if 0 < draw < bank_size else bank_size,
        policy=None,
        open_attempt=None,
        result=None,
        passed=False,
        questions=questions,
        preview=True,
    )


@dataclass
class LearnerQuiz:
    lesson: LessonPage
    policy: PolicyState
    attempts: list[QuizAttempt]
    grants: list[QuizAttemptGrant]
    passed: bool


def learner_quiz_attempts(user, *, course_id: int, learner_id: int):
    """A learner's attempts and grants at each quiz of a course, for a trainer in scope of the
    learner's unit or an administrator (404 otherwise, and when the learner is not enrolled).

    Five queries whatever the number of attempts: the profile (scoped), the enrolment, the
    quiz lessons, the attempts, the grants with who granted them.
    """
    profile = get_object_or_404(
        profiles_visible_to(user, role=Scope.Role.TRAINER).select_related("user", "org_unit"),
        user_id=learner_id,
    )
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("course"), user_id=learner_id, course_id=course_id
    )
    course = enrolment.course
    lessons = list(
        LessonPage.objects.filter(
            path__startswith=course.path, depth=course.depth + 1, has_quiz=True
        ).order_by("path")
    )
    attempts = list(
        QuizAttempt.objects.filter(enrolment=enrolment, lesson__in=lessons)
        .defer("questions", "answers")
        .order_by("pk")
    )
    grants = list(
        QuizAttemptGrant.objects.filter(enrolment=enrolment)
        .select_related("granted_by__profile")
        .order_by("pk")
    )
    now = timezone.now()
    quizzes = []
    for lesson in lessons:
        mine = [a for a in attempts if a.lesson_id == lesson.pk]
        granted = [g for g in grants if g.lesson_id == lesson.pk]
        quizzes.append(
            LearnerQuiz(
                lesson=lesson,
                policy=_policy(course, mine, [g.granted_at for g in granted], now),
                attempts=mine,
                grants=granted,
                passed=any(a.passed for a in mine),
            )
        )
    return profile, enrolment, quizzes
