"""Shared factories and named roles for tests (factory_boy; pages built through Wagtail)."""

import itertools
import uuid

import factory
from django.contrib.auth import get_user_model
from django.db.models import Model
from wagtail.blocks import StreamValue
from wagtail.models import Page, Site

from cms.models import HomePage
from courses.models import CourseIndexPage, CoursePage, LessonPage
from people.models import OrgUnit, Profile, Scope
from people.services import org_units_sync, scope_grant

PASSWORD = "test-pass-123"
_codes = itertools.count(1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def make_unit(name: str, *, parent: OrgUnit | None = None, kind: str | None = None) -> OrgUnit:
    code = f"T{next(_codes):05d}"
    kind = kind or (OrgUnit.Kind.PROVINCE if parent is None else OrgUnit.Kind.COMMUNE)
    org_units_sync(
        records=[
            {
                "code": code,
                "name": name,
                "kind": kind,
                "division_type": "",
                "parent_code": parent.code if parent else None,
            }
        ]
    )
    return OrgUnit.objects.get(code=code)


def make_learner(*, unit: OrgUnit | None = None, username: str | None = None, **profile):
    user = UserFactory(**({"username": username} if username else {}))
    Profile.objects.update_or_create(
        user=user,
        defaults={
            "full_name": profile.pop("full_name", f"Học viên {user.username}"),
            "org_unit": unit,
            **profile,
        },
    )
    return user


def make_trainer(*, scope: OrgUnit, username: str | None = None):
    user = make_learner(unit=scope, username=username)
    scope_grant(user=user, role=Scope.Role.TRAINER, org_unit=scope)
    return user


def make_manager(*, scope: OrgUnit, username: str | None = None):
    user = make_learner(unit=scope, username=username)
    scope_grant(user=user, role=Scope.Role.MANAGER, org_unit=scope)
    return user


def make_admin(username: str = "root"):
    user = UserFactory(username=username)
    user.is_superuser = user.is_staff = True
    user.save()
    return user


def site_home() -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        # Replace Wagtail's installation page (its Site goes with it and is recreated below).
        Page.objects.filter(depth=2, content_type__model="page").delete()
        root = Page.get_first_root_node()
        home = HomePage(title="Học Số", slug="home", hero_title="Học kỹ năng số")
        root.add_child(instance=home)
        home.save_revision().publish()
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": home},
        )
    return home


def course_index() -> CourseIndexPage:
    index = CourseIndexPage.objects.first()
    if index is None:
        index = CourseIndexPage(title="Khoá học", slug="courses")
        site_home().add_child(instance=index)
        index.save_revision().publish()
    return index


def quiz_raw(
    questions: list[dict], *, block_id: str | None = None, draw: int | None = None
) -> dict:
    """A quiz block in raw form. questions: [{"text", "kind", "topic", "choices": [(text,
    correct)]}]; `draw` questions per attempt (None: all)."""
    return {
        "type": "quiz",
        "id": block_id or str(uuid.uuid4()),
        "value": {
            "title": "Bài kiểm tra",
            "intro": "",
            "draw": draw,
            "questions": [
                {
                    "type": "item",
                    "id": str(uuid.uuid4()),
                    "value": {
                        "text": q["text"],
                        "kind": q.get("kind", "single"),
                        "topic": q.get("topic", ""),
                        "explanation": q.get("explanation", "Giải thích."),
                        "choices": [
                            {
                                "type": "item",
                                "id": str(uuid.uuid4()),
                                "value": {"text": text, "correct": correct},
                            }
                            for text, correct in q["choices"]
                        ],
                    },
                }
                for q in questions
            ],
        },
    }


DEFAULT_QUIZ = [
    {
        "text": "Mật khẩu nào mạnh nhất?",
        "choices": [("123456", False), ("Ia-Grai#2026!rain", True), ("matkhau", False)],
    },
    {
        "text": "Chọn các cách bảo vệ tài khoản.",
        "kind": "multiple",
        "choices": [
            ("Bật xác thực hai bước", True),
            ("Cho người lạ mượn mã OTP", False),
            ("Dùng mật khẩu khác nhau", True),
        ],
    },
]


def make_lesson(
    course: CoursePage,
    title: str,
    *,
    quiz: list[dict] | None = None,
    quiz_draw: int | None = None,
    required: bool = True,
    publish: bool = True,
    text: str | None = None,
) -> LessonPage:
    text = text if text is not None else f"Nội dung {title}."
    raw = [{"type": "text", "value": f"<p>{text}</p>", "id": str(uuid.uuid4())}]
    if quiz is not None:
        raw.append(quiz_raw(quiz, draw=quiz_draw))
    lesson = LessonPage(title=title, slug=f"bai-{uuid.uuid4().hex[:8]}", required=required)
    lesson.body = StreamValue(LessonPage.body.field.stream_block, raw, is_lazy=True)
    course.add_child(instance=lesson)
    if publish:
        lesson.save_revision().publish()
    else:
        lesson.save_revision()
        lesson.unpublish()
    return LessonPage.objects.get(pk=lesson.pk)


def make_course(
    title: str = "Tin học cơ bản",
    *,
    lessons: int = 2,
    quiz: list[dict] | None = None,
    quiz_draw: int | None = None,
    topic: str = "it-basics",
    language: str = "vi",
    pass_mark: int = 70,
    slug: str | None = None,
    hours: str | None = "4",
    certifying: bool = True,
) -> CoursePage:
    """A live course with `lessons` reading lessons and, unless quiz=[], a final quiz lesson.

    `hours` overrides the derived study time (with a reason); None keeps the derived one."""
    course = CoursePage(
        title=title,
        slug=slug or f"khoa-{uuid.uuid4().hex[:8]}",
        topic=topic,
        language=language,
        summary=f"Tóm tắt {title}",
        hours_override=hours,
        hours_override_reason="Theo chương trình đã duyệt" if hours is not None else "",
        certifying=certifying,
        pass_mark=pass_mark,
    )
    course_index().add_child(instance=course)
    course.save_revision().publish()
    for n in range(1, lessons + 1):
        make_lesson(course, f"Bài {n}")
    if quiz != []:
        make_lesson(
            course, "Bài kiểm tra cuối khoá", quiz=quiz or DEFAULT_QUIZ, quiz_draw=quiz_draw
        )
    return CoursePage.objects.get(pk=course.pk)


def quiz_answers(lesson: LessonPage, *, correct: bool = True, attempt=None) -> dict:
    """POST data answering every question of an attempt right (or all wrong).

    `attempt`: a started QuizAttempt (its drawn questions); without it, every question of
    the lesson's quiz and no attempt id (which the server refuses)."""
    if attempt is not None:
        data = {"attempt": str(attempt.pk)}
        for question in attempt.questions:
            picked = [c["id"] for c in question["choices"] if c["correct"] == correct]
            data[f"q-{question['id']}"] = picked[:1] if question["kind"] == "single" else picked
        return data
    data = {}
    for child in lesson.quiz_block.value["questions"].bound_blocks:
        choices = child.value["choices"].bound_blocks
        picked = [c.id for c in choices if bool(c.value["correct"]) == correct]
        if child.value["kind"] == "single":
            picked = picked[:1]
        data[f"q-{child.id}"] = picked
    return data


def quiz_start(client, lesson: LessonPage, user):
    """Start (or resume) `user`'s attempt at `lesson`'s quiz through the page's POST."""
    from django.urls import reverse

    from courses.models import QuizAttempt

    response = client.post(reverse("courses:quiz_start", args=[lesson.pk]))
    assert response.status_code == 302, response
    return QuizAttempt.objects.filter(
        enrolment__user=user, lesson=lesson, state=QuizAttempt.State.STARTED
    ).first()


def pass_quiz(client, lesson: LessonPage, user, *, correct: bool = True):
    """Start an attempt and submit it with every answer right (or wrong); the response."""
    from django.urls import reverse

    attempt = quiz_start(client, lesson, user)
    return client.post(
        reverse("courses:quiz_submit", args=[lesson.pk]),
        quiz_answers(lesson, correct=correct, attempt=attempt),
    )


def make_translation(
    page, language: str, *, title: str, text: str | None = None, publish: bool = True
):
    """A hand-made translation of a source course or lesson into `language` (Wagtail's own
    `copy_for_translation`, as wagtail-localize does it, copying the untranslated parents as
    drafts). A lesson's text blocks get `text`; its other blocks (quiz, H5P) stay as copied."""
    from wagtail.models import Locale

    locale = Locale.objects.get(language_code=language)
    translated = page.specific.get_translation_or_none(locale)  # copied as a parent before
    if translated is None:
        translated = page.specific.copy_for_translation(locale, copy_parents=True)
    elif translated.alias_of_id:  # a parent copied as an alias: now translated for real
        from wagtail.actions.convert_alias import ConvertAliasPageAction

        ConvertAliasPageAction(translated).execute(skip_permission_checks=True)
        translated = type(translated).objects.get(pk=translated.pk)
    translated.title = title
    if isinstance(translated, LessonPage) and text is not None:
        raw = [
            {"type": "text", "value": f"<p>{text}</p>", "id": block.id}
            if block.block_type == "text"
            else {"type": block.block_type, "value": block.block.get_prep_value(block.value),
                  "id": block.id}
            for block in translated.body
        ]  # fmt: skip
        translated.body = StreamValue(LessonPage.body.field.stream_block, raw, is_lazy=True)
    elif isinstance(translated, CoursePage) and text is not None:
        translated.summary = text
    translated.save()
    revision = translated.save_revision()
    if publish:
        revision.publish()
    return type(translated).objects.get(pk=translated.pk)


def fresh(value):
    """`value` with every model instance in it (dicts, lists, tuples) read again from the
    database: a test's own copies of shared rows (see `module_db`)."""
    if isinstance(value, Model):
        return type(value)._default_manager.get(pk=value.pk)
    if isinstance(value, dict):
        return {key: fresh(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(fresh(item) for item in value)
    return value


def complete_now(user, course):
    """Complete `user`'s enrolment in `course` through the service, running what it enqueues
    after commit (Celery is eager in tests), and return the enrolment's live certificate."""
    from django.test import TestCase

    from courses.services import enrolment_complete, enrolment_create

    enrolment, _created = enrolment_create(user=user, course=course)
    with TestCase.captureOnCommitCallbacks(execute=True):
        enrolment_complete(enrolment=enrolment, evidence="assessment")
    return enrolment.certificates.exclude(status="revoked").get()


def tampered(token: str, *, from_end: int = 6) -> str:
    """The token with one character changed `from_end` places before its end.

    Changing the last characters of base64url text is not always a change: the final character
    carries padding bits a decoder ignores, and 1 token in 256 already ends in "AA". A character
    further in carries six whole bits, so a different one always decodes to different bytes.
    """
    index = len(token) - from_end
    assert token[index] in BASE64URL, f"not a base64url character: {token[index]!r}"
    return token[:index] + ("B" if token[index] == "A" else "A") + token[index + 1 :]


BASE64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
