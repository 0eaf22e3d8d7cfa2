"""Demo data helpers of the courses room (called by seeding; never in production)."""

from .models import CoursePage, Enrolment, LessonPage
from .services import (
    enrolment_create,
    lesson_progress_mark_done,
    quiz_attempt_submit,
)


def demo_course_complete(*, user, course: CoursePage, source: str = "self") -> Enrolment:
    """Take `user` through `course` as a learner would, through the same services: mark the
    reading lessons done and pass each quiz with its correct answers. The completion then
    carries the evidence the server judged (a passed final assessment), like a real one.
    Idempotent: a completed enrolment is returned as it is."""
    enrolment, _created = enrolment_create(user=user, course=course, source=source)
    if enrolment.status == Enrolment.Status.COMPLETED:
        return enrolment
    lessons = LessonPage.objects.live().child_of(course).filter(required=True).order_by("path")
    for lesson in lessons:
        if lesson.has_quiz:
            quiz = lesson.quiz_block
            answers = {
                question.id: [
                    choice.id
                    for choice in question.value["choices"].bound_blocks
                    if choice.value["correct"]
                ]
                for question in quiz.value["questions"].bound_blocks
            }
            quiz_attempt_submit(user=user, lesson=lesson, block_id=quiz.id, answers=answers)
        elif not lesson.has_required_activity:
            lesson_progress_mark_done(user=user, lesson=lesson)
    enrolment.refresh_from_db()
    return enrolment
