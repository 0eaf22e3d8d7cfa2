"""The evidence rule, tried as an attacker would: browser-reported results (forged or
replayed xAPI, bare "mark as done" POSTs) complete lessons and courses but never earn a
certificate; a passed server-graded final assessment or a class completed by attendance does.
Also: a certifying course cannot be published without a final assessment; honest hours."""

import datetime
import json
import uuid
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from certificates.models import Certificate
from courses.classes.services import attendance_mark, roster_add, session_create
from courses.demo import demo_course_complete
from courses.models import CourseIndexPage, CoursePage, Enrolment, LessonPage
from courses.services import authoring_roles_setup, enrolment_create
from tests.factories import make_course, make_learner, make_trainer, make_unit

from .h5p_support import H5P_NEGATIVE, import_file, make_h5p_lesson

pytestmark = pytest.mark.django_db

ANSWERED = "http://adlnet.gov/expapi/verbs/answered"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def learner(home):
    return make_learner(unit=make_unit("Xã Ia Grai", parent=make_unit("Gia Lai")))


def forged(raw=10, maximum=10):
    """A hand-written statement claiming a perfect score, as an attacker would POST it."""
    return {
        "actor": {"account": {"name": "me"}, "objectType": "Agent"},
        "verb": {"id": ANSWERED},
        "object": {"id": "http://evil.example/x", "objectType": "Activity"},
        "result": {
            "score": {"raw": raw, "min": 0, "max": maximum, "scaled": raw / maximum},
            "success": True,
            "completion": True,
        },
    }


def post_xapi(client, lesson, block, statement):
    body = {"lesson": lesson.pk, "block": block, "statement": statement}
    return client.post(
        reverse("courses:h5p:xapi"), data=json.dumps(body), content_type="application/json"
    )


def mark_done(client, lesson):
    return client.post(reverse("courses:lesson_done", args=[lesson.pk]))


def h5p_and_reading_course(*, quiz):
    course = make_course("Kỹ năng số", lessons=1, quiz=quiz, hours=None)
    lesson, block = make_h5p_lesson(course, import_file(H5P_NEGATIVE / "valid2.h5p"))
    return course, lesson, block


def certificates_of(user):
    return Certificate.objects.filter(enrolment__user=user)


def test_forged_xapi_and_bare_posts_complete_the_course_but_earn_no_certificate(
    client, learner, django_capture_on_commit_callbacks
):
    course, h5p_lesson, block = h5p_and_reading_course(quiz=[])
    enrolment, _ = enrolment_create(user=learner, course=course)
    client.force_login(learner)
    with django_capture_on_commit_callbacks(execute=True):
        assert post_xapi(client, h5p_lesson, block, forged()).status_code == 201
        # Replayed: the same forged statement again changes nothing more.
        assert post_xapi(client, h5p_lesson, block, forged()).status_code in (200, 201, 204)
        for lesson in LessonPage.objects.child_of(course).exclude(pk=h5p_lesson.pk):
            assert mark_done(client, lesson).status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED  # the lessons are complete
    assert enrolment.evidence == ""  # but nothing the server judged
    assert not certificates_of(learner).exists()
    assert not Enrolment.objects.filter(pk=enrolment.pk).with_evidence().exists()
    # The course says so on its page.
    page = client.get(course.url)
    assert b'data-certificate="no"' in page.content


def test_forged_xapi_does_not_replace_the_final_assessment(
    client, learner, django_capture_on_commit_callbacks
):
    course, h5p_lesson, block = h5p_and_reading_course(quiz=None)  # with a final quiz
    enrolment, _ = enrolment_create(user=learner, course=course)
    client.force_login(learner)
    assert b'data-certificate="yes"' in client.get(course.url).content
    with django_capture_on_commit_callbacks(execute=True):
        post_xapi(client, h5p_lesson, block, forged())
        for lesson in LessonPage.objects.child_of(course).filter(has_quiz=False):
            mark_done(client, lesson)  # the H5P lesson refuses: done by its activity
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE  # the final quiz is still to pass
    assert not certificates_of(learner).exists()

    with django_capture_on_commit_callbacks(execute=True):
        demo_course_complete(user=learner, course=course)  # passes the quiz on the server
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.evidence == Enrolment.Evidence.ASSESSMENT
    assert certificates_of(learner).get().status == Certificate.Status.ISSUED


def test_non_certifying_course_issues_nothing_even_with_a_passed_quiz(learner):
    course = make_course("Tìm hiểu thêm", lessons=1, certifying=False)
    enrolment = demo_course_complete(user=learner, course=course)
    assert enrolment.evidence == Enrolment.Evidence.ASSESSMENT
    assert not certificates_of(learner).exists()


def test_backfill_command_skips_completions_without_evidence(
    learner, django_capture_on_commit_callbacks
):
    course, _lesson, _block = h5p_and_reading_course(quiz=[])
    other = make_learner(unit=learner.profile.org_unit)
    for user in (learner, other):
        enrolment, _ = enrolment_create(user=user, course=course)
        Enrolment.objects.filter(pk=enrolment.pk).update(
            status="completed", completed_at=datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC)
        )
    Enrolment.objects.filter(user=other).update(evidence="attendance")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("issue_certificates", course=course.slug, stdout=open("/dev/null", "w"))
    assert not certificates_of(learner).exists()
    assert certificates_of(other).count() == 1


def test_completions_without_evidence_are_listed_not_revoked(
    learner, capsys, django_capture_on_commit_callbacks
):
    course, _lesson, _block = h5p_and_reading_course(quiz=[])
    enrolment, _ = enrolment_create(user=learner, course=course)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        status="completed", completed_at=datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC)
    )
    good = make_course("Có kiểm tra", lessons=1)
    demo_course_complete(user=learner, course=good)
    call_command("completions_without_evidence")
    out = capsys.readouterr().out
    assert course.slug in out and good.slug not in out
    assert "1 completion(s) without evidence; 0 hold a certificate." in out
    assert Enrolment.objects.get(pk=enrolment.pk).status == "completed"  # nothing changed


# --- classes ------------------------------------------------------------------------------


def run_class(learners, *, course, trainer, venue, days, present, hours_per_day):
    start = datetime.date(2026, 11, 2)
    session = session_create(
        user=trainer,
        course=course,
        title="Lớp Ia Grai",
        venue=venue,
        address="Hội trường",
        start_date=start,
        end_date=start + datetime.timedelta(days=days - 1),
        hours_per_day=Decimal(hours_per_day),
    )
    for learner in learners:
        roster_add(user=trainer, session=session, learner=learner)
    for learner in learners:
        for n, day in enumerate(session.days.all()):
            attendance_mark(
                user=trainer,
                day=day,
                learner=learner,
                status="present" if n < present else "absent",
                client_uuid=uuid.uuid4(),
            )
    return session


def test_class_completion_has_attendance_evidence_and_prints_the_days_attended(
    learner, django_capture_on_commit_callbacks
):
    course = make_course("Kỹ năng số cho trưởng thôn", lessons=1, hours="6")
    trainer = make_trainer(scope=learner.profile.org_unit)
    with django_capture_on_commit_callbacks(execute=True):
        run_class(
            [learner],
            course=course,
            trainer=trainer,
            venue=learner.profile.org_unit,
            days=5,
            present=4,  # 4 of 5 = 80 %
            hours_per_day="3.5",
        )
    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert enrolment.evidence == Enrolment.Evidence.ATTENDANCE
    assert enrolment.hours == Decimal("14.0")  # 4 days x 3.5 h, not the course's 6
    certificate = certificates_of(learner).get()
    assert certificate.hours == Decimal("14.0")
    assert certificate.status == Certificate.Status.ISSUED


def test_a_class_gives_evidence_to_an_earlier_completion_without_it(
    client, learner, django_capture_on_commit_callbacks
):
    course, h5p_lesson, block = h5p_and_reading_course(quiz=[])
    enrolment, _ = enrolment_create(user=learner, course=course)
    client.force_login(learner)
    with django_capture_on_commit_callbacks(execute=True):
        post_xapi(client, h5p_lesson, block, forged())
        for lesson in LessonPage.objects.child_of(course).filter(has_quiz=False):
            mark_done(client, lesson)  # the H5P lesson refuses: done by its activity
    enrolment.refresh_from_db()
    assert enrolment.status == "completed" and enrolment.evidence == ""
    trainer = make_trainer(scope=learner.profile.org_unit)
    CoursePage.objects.filter(pk=course.pk).update(certifying=True)
    with django_capture_on_commit_callbacks(execute=True):
        run_class(
            [learner],
            course=CoursePage.objects.get(pk=course.pk),
            trainer=trainer,
            venue=learner.profile.org_unit,
            days=2,
            present=2,
            hours_per_day="4",
        )
    enrolment.refresh_from_db()
    assert enrolment.evidence == Enrolment.Evidence.ATTENDANCE
    assert enrolment.hours == Decimal("8.0")
    assert certificates_of(learner).get().hours == Decimal("8.0")


# --- authoring: publishing a certifying course, hours -----------------------------------


@pytest.fixture
def trainer(home):
    from tests.factories import course_index

    course_index()
    authoring_roles_setup()
    return make_trainer(scope=make_unit("Gia Lai"))


def course_form(**extra):
    data = {
        "title": "Chuyển đổi số cho cán bộ xã",
        "slug": "chuyen-doi-so",
        "summary": "Những điều cán bộ xã cần biết.",
        "description": rich_text("<p>Mô tả.</p>"),
        "topic": "digital-transformation",
        "level": "beginner",
        "language": "vi",
        "pass_mark": "80",
        "certifying": "on",
    }
    data.update(extra)
    return nested_form_data({k: v for k, v in data.items() if v is not None})


def quiz_lesson_form():
    question = {
        "text": "Cổng Dịch vụ công quốc gia dùng để làm gì?",
        "kind": "single",
        "explanation": "",
        "choices": streamfield(
            [
                ("item", {"text": "Nộp hồ sơ thủ tục hành chính trực tuyến", "correct": True}),
                ("item", {"text": "Xem phim", "correct": False}),
            ]
        ),
    }
    return nested_form_data(
        {
            "title": "Bài kiểm tra cuối khoá",
            "slug": "kiem-tra",
            "summary": "",
            "required": "True",
            "body": streamfield(
                [
                    ("text", rich_text("<p>Làm bài.</p>")),
                    (
                        "quiz",
                        {
                            "title": "Kiểm tra",
                            "intro": "",
                            "questions": streamfield([("item", question)]),
                        },
                    ),
                ]
            ),
            "action-publish": "publish",
        }
    )


def test_a_certifying_course_is_published_only_with_a_final_assessment(client, trainer):
    client.force_login(trainer)
    index = CourseIndexPage.objects.get()
    add_url = f"/admin/pages/add/courses/coursepage/{index.pk}/"
    response = client.post(add_url, course_form(**{"action-publish": "publish"}))
    assert response.status_code == 200
    # The reason, in the admin's language (Vietnamese): a final quiz is missing.
    assert "bài kiểm tra cuối khoá" in str(response.context["form"].errors["certifying"])
    assert not CoursePage.objects.filter(slug="chuyen-doi-so").exists()

    # Saved as a draft, given its final quiz lesson, then published: accepted.
    assert client.post(add_url, course_form()).status_code == 302
    course = CoursePage.objects.get(slug="chuyen-doi-so")
    lesson_url = f"/admin/pages/add/courses/lessonpage/{course.pk}/"
    assert client.post(lesson_url, quiz_lesson_form()).status_code == 302
    edit = f"/admin/pages/{course.pk}/edit/"
    response = client.post(edit, course_form(**{"action-publish": "publish"}))
    assert response.status_code == 302, response.context["form"].errors
    course.refresh_from_db()
    assert course.live and course.certifying
    assert course.hours == Decimal("0.1")  # a one-question quiz and three words: minutes


def test_an_hours_override_needs_a_reason_and_managers_see_it(client, trainer, learner):
    client.force_login(trainer)
    index = CourseIndexPage.objects.get()
    add_url = f"/admin/pages/add/courses/coursepage/{index.pk}/"
    response = client.post(add_url, course_form(certifying=None, hours_override="6"))
    assert response.status_code == 200
    assert "hours_override_reason" in response.context["form"].errors
    response = client.post(
        add_url,
        course_form(
            certifying=None,
            hours_override="6",
            hours_override_reason="Kèm 4 giờ thực hành tại xã",
            **{"action-publish": "publish"},
        ),
    )
    assert response.status_code == 302
    course = CoursePage.objects.get(slug="chuyen-doi-so")
    assert course.hours == Decimal("6.0")
    staff_page = client.get(course.url).content.decode()
    assert "Kèm 4 giờ thực hành tại xã" in staff_page
    client.force_login(learner)
    assert "Kèm 4 giờ thực hành tại xã" not in client.get(course.url).content.decode()


def test_course_hours_follow_the_lessons(home):
    from courses.hours import READING_WPM

    course = make_course("Đọc", lessons=0, quiz=[], hours=None)
    from tests.factories import make_lesson

    words = " ".join(["chữ"] * (READING_WPM * 30))  # 30 minutes of reading
    make_lesson(course, "Bài đọc", text=words)
    course.refresh_from_db()
    assert course.hours == Decimal("0.5")
    make_lesson(course, "Bài đọc 2", text=f"{words} {words}")
    course.refresh_from_db()
    assert course.hours == Decimal("1.5")  # 30 + 60 minutes
    optional = make_lesson(course, "Đọc thêm", text=words)
    LessonPage.objects.filter(pk=optional.pk).update(required=False)
    from courses.services import course_hours_refresh

    assert course_hours_refresh(course=course) == Decimal("1.5")  # optional: not counted
