"""A trainer authors a course and a quiz lesson through the Wagtail admin forms."""

import pytest
from django.utils.translation import gettext, override
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import CourseIndexPage, CoursePage, LessonPage
from courses.services import authoring_roles_setup
from tests.factories import course_index, make_trainer, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(home):
    course_index()
    authoring_roles_setup()
    return make_trainer(scope=make_unit("Gia Lai"))


def quiz(correct_flags):
    return {
        "title": "Kiểm tra",
        "intro": "",
        "questions": streamfield(
            [
                (
                    "item",
                    {
                        "text": "Câu hỏi?",
                        "kind": "single",
                        "explanation": "",
                        "choices": streamfield(
                            [
                                ("item", {"text": f"Đáp án {n}", "correct": flag})
                                for n, flag in enumerate(correct_flags)
                            ]
                        ),
                    },
                )
            ]
        ),
    }


def test_trainer_creates_a_course_and_a_quiz_lesson(client, trainer):
    client.force_login(trainer)
    index = CourseIndexPage.objects.get()
    response = client.post(
        f"/admin/pages/add/courses/coursepage/{index.pk}/",
        nested_form_data(
            {
                "title": "Chuyển đổi số cho cán bộ xã",
                "slug": "chuyen-doi-so",
                "summary": "Những điều cán bộ xã cần biết.",
                "description": rich_text("<p>Mô tả.</p>"),
                "topic": "digital-transformation",
                "level": "beginner",
                "language": "vi",
                "hours": "4",
                "pass_mark": "80",
                "action-publish": "publish",
            }
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    course = CoursePage.objects.get(slug="chuyen-doi-so")
    assert course.live and course.pass_mark == 80

    def post_lesson(flags):
        return client.post(
            f"/admin/pages/add/courses/lessonpage/{course.pk}/",
            nested_form_data(
                {
                    "title": "Bài kiểm tra",
                    "slug": "kiem-tra",
                    "summary": "",
                    "minutes": "10",
                    "required": "True",
                    "body": streamfield(
                        [("text", rich_text("<p>Làm bài.</p>")), ("quiz", quiz(flags))]
                    ),
                    "action-publish": "publish",
                }
            ),
        )

    # A one-answer question with two correct answers is refused with a clear error.
    for flags, reason in (
        ([True, True, False], "A one-answer question must have exactly one correct answer."),
        ([False, False], "Mark at least one answer as correct."),
    ):
        with override("vi"):  # the admin speaks the site's default language
            reason = gettext(reason)
        response = post_lesson(flags)
        assert response.status_code == 200
        errors = response.context["form"].errors["body"].as_data()[0]
        assert reason in str(errors.as_json_data()), errors.as_json_data()
        assert not LessonPage.objects.filter(slug="kiem-tra").exists()

    response = post_lesson([False, True, False])
    assert response.status_code == 302
    lesson = LessonPage.objects.get(slug="kiem-tra")
    assert lesson.live and lesson.has_quiz
    question = lesson.quiz_block.value["questions"][0]
    assert [c["correct"] for c in question["choices"]] == [False, True, False]


def test_setup_roles_is_idempotent_and_satisfies_the_check(home):
    from django.core.management import call_command

    from courses.checks import course_catalogue_checks

    course_index()
    assert [w.id for w in course_catalogue_checks(None)] == ["courses.W001"]
    assert authoring_roles_setup()["created"] > 0
    assert authoring_roles_setup()["created"] == 0
    call_command("setup_roles", verbosity=0)
    assert course_catalogue_checks(None) == []


def test_a_first_translation_needs_no_setup_roles_rerun(home):
    """The first translation into a language copies the catalogue into that language's tree:
    the copy gets the role groups' permissions at once (courses.apps), so `manage.py check`
    stays quiet and trainers can edit the translation."""
    from wagtail.models import GroupPagePermission

    from courses.checks import course_catalogue_checks
    from tests.factories import make_course, make_translation

    course = make_course("Kỹ năng số", lessons=1)
    authoring_roles_setup()
    assert course_catalogue_checks(None) == []
    make_translation(course, "jra", title="Boh hiăp Jrai")
    jrai_index = CourseIndexPage.objects.get(locale__language_code="jra")
    assert course_catalogue_checks(None) == []
    granted = set(
        GroupPagePermission.objects.filter(page=jrai_index).values_list(
            "group__name", "permission__codename"
        )
    )
    assert {("Trainers", "add_page"), ("Trainers", "change_page")} <= granted
    assert ("Managers", "view_page") in granted
    assert authoring_roles_setup()["created"] == 0  # nothing left for setup_roles to do


def test_the_check_stays_honest_before_setup_roles(home):
    """Before the role groups exist nothing can be granted: the warning says so."""
    from courses.checks import course_catalogue_checks

    course_index()
    made = CourseIndexPage.objects.get()
    assert [w.id for w in course_catalogue_checks(None)] == ["courses.W001"]
    assert [w.obj for w in course_catalogue_checks(None)] == [made]
