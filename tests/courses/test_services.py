"""The learning services: grading, progress, the completion rule and its hook."""

import pytest
from django.core.exceptions import ValidationError

from courses.models import Enrolment, LessonPage, LessonProgress, QuizAttempt
from courses.quiz.services import quiz_attempt_start, quiz_attempt_submit
from courses.services import (
    enrolment_complete,
    enrolment_create,
    lesson_progress_mark_done,
)
from courses.signals import course_completed
from tests.factories import make_course, make_learner, make_lesson, make_unit

pytestmark = pytest.mark.django_db

QUIZ = [
    {"text": "Một đáp án", "choices": [("Đúng", True), ("Sai", False), ("Sai nữa", False)]},
    {
        "text": "Nhiều đáp án",
        "kind": "multiple",
        "choices": [("A", True), ("B", True), ("C", False)],
    },
    {"text": "Câu ba", "choices": [("X", False), ("Y", True)]},
    {"text": "Câu bốn", "choices": [("M", True), ("N", False)]},
]


@pytest.fixture
def learner(db):
    return make_learner(unit=make_unit("Gia Lai"))


def ids(lesson):
    """{question_index: (question_id, [choice ids])}"""
    return [
        (q.id, [c.id for c in q.value["choices"].bound_blocks])
        for q in lesson.quiz_block.value["questions"].bound_blocks
    ]


def submit(learner, lesson, picks):
    """Start an attempt (every question: the bank has no draw) and answer it by bank index."""
    attempt = quiz_attempt_start(user=learner, lesson=lesson)
    questions = ids(lesson)
    answers = {questions[i][0]: [questions[i][1][c] for c in chosen] for i, chosen in picks.items()}
    attempt, graded_now = quiz_attempt_submit(
        user=learner, lesson=lesson, attempt_id=attempt.pk, answers=answers
    )
    assert graded_now
    return attempt


def test_grading_needs_the_exact_set_for_multiple_choice(home, learner):
    course = make_course(lessons=0, quiz=QUIZ, pass_mark=75)
    final = LessonPage.objects.child_of(course).get()
    enrolment_create(user=learner, course=course)
    # Q2 half right (only A) counts as wrong: 3 of 4 = 75% -> passes exactly at the mark.
    attempt = submit(learner, final, {0: [0], 1: [0], 2: [1], 3: [0]})
    assert (attempt.correct_count, attempt.question_count, attempt.score) == (3, 4, 75)
    assert attempt.passed
    enrolment = Enrolment.objects.get(user=learner)
    assert enrolment.status == "completed" and enrolment.final_score == 75


def test_best_score_is_kept_and_attempts_counted(home, learner):
    course = make_course(lessons=1, quiz=QUIZ, pass_mark=80)
    final = LessonPage.objects.child_of(course).live().order_by("path").last()
    enrolment_create(user=learner, course=course)
    submit(learner, final, {0: [0], 1: [0, 1], 2: [1], 3: [1]})  # 75%
    submit(learner, final, {0: [1], 1: [2], 2: [0], 3: [1]})  # 0%
    progress = LessonProgress.objects.get(lesson=final)
    assert progress.attempts == 2 and progress.score == 75
    assert QuizAttempt.objects.filter(enrolment__user=learner).count() == 2


def test_optional_and_unpublished_lessons_do_not_count(home, learner):
    course = make_course(lessons=1, quiz=[])
    optional = make_lesson(course, "Đọc thêm", required=False)
    make_lesson(course, "Bản nháp", publish=False)
    required = LessonPage.objects.child_of(course).live().filter(required=True).get()
    enrolment_create(user=learner, course=course)
    lesson_progress_mark_done(user=learner, lesson=required)
    enrolment = Enrolment.objects.get(user=learner)
    assert enrolment.status == "completed" and enrolment.progress == 1.0
    # Optional reading can still be marked done afterwards.
    lesson_progress_mark_done(user=learner, lesson=optional)


def test_completion_is_announced_once(home, learner):
    seen = []

    def receiver(sender, enrolment, **kwargs):
        seen.append(enrolment.pk)

    course_completed.connect(receiver)
    try:
        course = make_course(lessons=1, quiz=[])
        lesson = LessonPage.objects.child_of(course).get()
        enrolment, _ = enrolment_create(user=learner, course=course)
        lesson_progress_mark_done(user=learner, lesson=lesson)
        lesson_progress_mark_done(user=learner, lesson=lesson)
        enrolment_complete(enrolment=Enrolment.objects.get(pk=enrolment.pk))
    finally:
        course_completed.disconnect(receiver)
    assert seen == [enrolment.pk]


def test_a_failing_receiver_rolls_the_completion_back(home, learner):
    """Receivers run inside the completing transaction: if one fails, nothing is saved."""

    def broken(sender, enrolment, **kwargs):
        raise RuntimeError("certificate row could not be written")

    course = make_course(lessons=1, quiz=[])
    lesson = LessonPage.objects.child_of(course).get()
    enrolment_create(user=learner, course=course)
    course_completed.connect(broken)
    try:
        with pytest.raises(RuntimeError):
            lesson_progress_mark_done(user=learner, lesson=lesson)
    finally:
        course_completed.disconnect(broken)
    enrolment = Enrolment.objects.get(user=learner)
    assert enrolment.status == "active" and enrolment.progress == 0
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()


def test_enrolment_rules(home, learner):
    course = make_course()
    first, created = enrolment_create(user=learner, course=course)
    again, created_again = enrolment_create(user=learner, course=course)
    assert created and not created_again and first.pk == again.pk
    nobody = make_learner(unit=None)
    with pytest.raises(ValidationError) as error:
        enrolment_create(user=nobody, course=course)
    assert error.value.code == "profile_incomplete"
    # A trainer may enrol someone whose profile is not complete yet.
    enrolment, _ = enrolment_create(user=nobody, course=course, source="trainer")
    assert enrolment.source == "trainer"
    course.unpublish()
    with pytest.raises(ValidationError):
        enrolment_create(user=make_learner(unit=make_unit("Huế")), course=course)


def test_database_constraints_hold(home, learner):
    from django.db import IntegrityError, transaction

    course = make_course()
    enrolment, _ = enrolment_create(user=learner, course=course)
    for change in (
        {"progress": 1.5},
        {"progress": -0.1},
        {"status": "completed"},
        {"final_score": 101},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Enrolment.objects.filter(pk=enrolment.pk).update(**change)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(user=learner, course=course)


def test_page_titles_are_stored_nfc(course):
    course.title = "Tie\u0302\u0301ng Jrai"  # "Tiếng Jrai" decomposed
    course.save_revision().publish()
    course.refresh_from_db()
    assert course.title == "Tiếng Jrai" and course.draft_title == "Tiếng Jrai"
