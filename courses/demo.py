"""Demo data helpers of the courses room (called by seeding; never in production)."""

from .models import CoursePage, Enrolment, LessonPage
from .quiz.services import quiz_attempt_start, quiz_attempt_submit
from .services import enrolment_create, lesson_progress_mark_done


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
            if lesson.attempts.filter(enrolment=enrolment, passed=True).exists():
                continue
            attempt = quiz_attempt_start(user=user, lesson=lesson)
            answers = {
                question["id"]: [c["id"] for c in question["choices"] if c["correct"]]
                for question in attempt.questions
            }
            quiz_attempt_submit(user=user, lesson=lesson, attempt_id=attempt.pk, answers=answers)
        elif not lesson.has_required_activity:
            lesson_progress_mark_done(user=user, lesson=lesson)
    enrolment.refresh_from_db()
    return enrolment


def demo_documents_seed(*, trainer, files_dir) -> None:
    """A roster in the trainer's province collection (private to that province) and a guide in
    the national library (public), from the files in `files_dir`; idempotent by title."""
    from django.core.files import File
    from wagtail.documents import get_document_model

    from people.models import OrgUnit, Scope

    from .collections import unit_collection_setup
    from .models import UnitCollection

    Document = get_document_model()
    national = UnitCollection.objects.get(national=True).collection
    scope = Scope.objects.filter(user=trainer, role=Scope.Role.TRAINER).first()
    province = OrgUnit.objects.get(depth=1, path=scope.org_unit.path[: OrgUnit.steplen])
    unit = unit_collection_setup(unit=province).collection
    for title, name, collection, user in (
        ("Danh sách lớp tập huấn Ia Grai", "danh-sach-lop-ia-grai.csv", unit, trainer),
        ("Cẩm nang an toàn trên không gian mạng", "cam-nang-an-toan-so.txt", national, None),
    ):
        if Document.objects.filter(title=title).exists():
            continue
        with open(files_dir / name, "rb") as handle:
            Document.objects.create(
                title=title,
                file=File(handle, name=name),
                collection=collection,
                uploaded_by_user=user,
            )
