"""Demo data helpers of the courses room (called by seeding; never in production)."""

import uuid

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


SYNTHETIC_LABEL = "Giọng đọc tổng hợp (máy đọc)"


def demo_narration_seed(*, course, lessons: list[dict]) -> str:
    """Give the lessons whose demo data has a `narration` text a synthesised voice (espeak-ng,
    courses.narration): an audio document in the national collection and an audio block marked
    as the lesson's narration and as synthetic, first in the lesson. Idempotent: a lesson that
    already has a narration is left alone. Without espeak-ng it changes nothing and says so."""
    from math import ceil

    from django.core.files.base import ContentFile
    from django.utils.html import escape
    from wagtail.blocks import StreamValue
    from wagtail.documents import get_document_model
    from wagtail.models import Collection

    from .models import UnitCollection
    from .narration import narration_available, narration_synthesise

    wanted = [data for data in lessons if data.get("narration")]
    if not wanted:
        return ""
    if not narration_available():
        return (
            "espeak-ng is not installed: the demo lessons have no narration "
            "(apt-get install espeak-ng, then run seed_demo again).\n"
        )
    Document = get_document_model()
    # The national collection (public to every trainer); the root one before it exists.
    link = UnitCollection.objects.filter(national=True).select_related("collection").first()
    national = link.collection if link else Collection.get_first_root_node()
    made = 0
    for data in wanted:
        lesson = LessonPage.objects.child_of(course).filter(slug=data["slug"]).first()
        if lesson is None or lesson.narration is not None:
            continue
        title = f"{SYNTHETIC_LABEL}: {lesson.title}"
        document = Document.objects.filter(title=title).first()
        voice = narration_synthesise(data["narration"])
        if document is None:
            document = Document.objects.create(
                title=title,
                file=ContentFile(voice.data, name=f"nghe-{lesson.slug}.{voice.extension}"),
                collection=national,
            )
        block = {
            "type": "audio",
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"hocso-demo-narration/{lesson.slug}")),
            "value": {
                "title": f"Nghe bài – {SYNTHETIC_LABEL}",
                "file": document.pk,
                "transcript": f"<p>{escape(data['narration'])}</p>",
                "narration": True,
                "synthetic": True,
                "duration_minutes": max(1, ceil(voice.seconds / 60)),
            },
        }
        lesson.body = StreamValue(
            LessonPage.body.field.stream_block, [block, *lesson.body.raw_data], is_lazy=True
        )
        lesson.save_revision().publish()
        made += 1
    return f"Narration (espeak-ng, {SYNTHETIC_LABEL}): {made} lessons of {course.title}.\n"
