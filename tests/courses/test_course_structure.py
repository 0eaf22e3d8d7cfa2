"""Course structure a trainer controls: new lessons before the final quiz, an explicit
"required" choice, ASCII slugs from Vietnamese titles, reordering, and the course outline."""

import pytest
from bs4 import BeautifulSoup
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms.models import NewsIndexPage, NewsPage, StandardPage
from core.text import ascii_slug
from courses.models import CourseIndexPage, CoursePage, LessonPage
from courses.selectors import course_outline
from courses.services import authoring_roles_setup
from tests.factories import (
    course_index,
    make_course,
    make_learner,
    make_lesson,
    make_trainer,
    make_unit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(home):
    course_index()
    authoring_roles_setup()
    return make_trainer(scope=make_unit("Gia Lai"))


def lesson_form(title, *, required="False", action="action-publish", slug=""):
    data = {
        "title": title,
        "slug": slug,
        "summary": "",
        "body": streamfield([("text", rich_text("<p>Nội dung.</p>"))]),
        action: "1",
    }
    if required is not None:
        data["required"] = required
    return nested_form_data(data)


def titles(course):
    return list(
        LessonPage.objects.child_of(course).order_by("path").values_list("title", flat=True)
    )


def test_a_new_lesson_goes_before_the_final_quiz(client, trainer):
    course = make_course(lessons=2)
    client.force_login(trainer)
    response = client.post(
        f"/admin/pages/add/courses/lessonpage/{course.pk}/", lesson_form("Bài mới", required="True")
    )
    assert response.status_code == 302, response.context["form"].errors
    assert titles(course) == ["Bài 1", "Bài 2", "Bài mới", "Bài kiểm tra cuối khoá"]
    # Learners see the same order (the move started a new content version).
    assert [item.lesson.title for item in course_outline(course=course, enrolment=None)] == [
        "Bài 1", "Bài 2", "Bài mới", "Bài kiểm tra cuối khoá",
    ]  # fmt: skip
    lesson = LessonPage.objects.get(title="Bài mới")
    assert lesson.slug == "bai-moi" and lesson.url_path.endswith("/bai-moi/")


def test_a_course_without_a_final_quiz_appends(client, trainer):
    course = make_course(lessons=1, quiz=[])
    client.force_login(trainer)
    client.post(f"/admin/pages/add/courses/lessonpage/{course.pk}/", lesson_form("Bài thêm"))
    assert titles(course) == ["Bài 1", "Bài thêm"]


def test_required_is_an_explicit_choice(client, trainer):
    course = make_course(lessons=1)
    client.force_login(trainer)
    add = f"/admin/pages/add/courses/lessonpage/{course.pk}/"
    soup = BeautifulSoup(client.get(add).content, "html.parser")
    radios = soup.select("input[name=required][type=radio]")
    assert sorted(r["value"] for r in radios) == ["False", "True"]
    assert not [r for r in radios if r.has_attr("checked")]  # no default

    response = client.post(add, lesson_form("Bài chưa chọn", required=None))
    assert response.status_code == 200
    assert "required" in response.context["form"].errors
    assert not LessonPage.objects.filter(title="Bài chưa chọn").exists()

    # A draft may wait for the choice; it counts as optional until published with one.
    response = client.post(add, lesson_form("Bài nháp", required=None, action="action-save"))
    assert response.status_code == 302
    draft = LessonPage.objects.get(title="Bài nháp")
    assert draft.required is None

    response = client.post(add, lesson_form("Bài đọc thêm", required="False"))
    assert response.status_code == 302
    optional = LessonPage.objects.get(title="Bài đọc thêm")
    assert optional.required is False and optional.live
    soup = BeautifulSoup(client.get(f"/admin/pages/{optional.pk}/edit/").content, "html.parser")
    assert soup.select_one("input[name=required][checked]")["value"] == "False"

    # Forged values are refused, not read as "true".
    response = client.post(add, lesson_form("Bài giả", required="yes"))
    assert response.status_code == 200 and "required" in response.context["form"].errors


@pytest.mark.parametrize(
    "title, slug",
    [
        ("Bài mới", "bai-moi"),
        ("Đắk Lắk: đường đi", "dak-lak-duong-di"),
        ("An toàn thông tin cho trưởng thôn", "an-toan-thong-tin-cho-truong-thon"),
        ("Ưu đãi   ĐỒNG BÀO", "uu-dai-dong-bao"),
    ],
)
def test_ascii_slug(title, slug):
    assert ascii_slug(title) == slug


def test_pages_made_in_code_get_ascii_slugs(home):
    course = make_course(lessons=0, quiz=[])
    pages = []
    for parent, page in (
        (home, StandardPage(title="Giới thiệu Đề án", body="<p>x</p>")),
        (home, NewsIndexPage(title="Tin tức")),
        (course, LessonPage(title="Bài mới", body=[])),
        (course, LessonPage(title="Bài mới", body=[])),  # a sibling with the same title
        (course_index(), CoursePage(title="Kỹ năng số", summary="x", topic="other")),
    ):
        parent.add_child(instance=page)
        pages.append(page)
    news = NewsPage(title="Đón Tết ở Ia Grai", summary="x", body="<p>x</p>")
    pages[1].add_child(instance=news)
    assert [p.slug for p in pages] + [news.slug] == [
        "gioi-thieu-de-an", "tin-tuc", "bai-moi", "bai-moi-2", "ky-nang-so", "don-tet-o-ia-grai",
    ]  # fmt: skip
    # A Vietnamese slug given in code is transliterated too.
    lesson = LessonPage(title="x", slug="bài-đọc", body=[])
    course.add_child(instance=lesson)
    assert lesson.slug == "bai-doc"


def test_a_typed_vietnamese_slug_is_transliterated(client, trainer):
    course = make_course(lessons=1)
    client.force_login(trainer)
    response = client.post(
        f"/admin/pages/add/courses/lessonpage/{course.pk}/",
        lesson_form("Bài học", slug="bài-đặc-biệt"),
    )
    assert response.status_code == 302
    assert LessonPage.objects.get(title="Bài học").slug == "bai-dac-biet"
    # ... and a typed slug that is nothing but symbols is refused with a reason.
    response = client.post(
        f"/admin/pages/add/courses/lessonpage/{course.pk}/", lesson_form("Bài 9", slug="???")
    )
    assert response.status_code == 200 and "slug" in response.context["form"].errors


def test_trainer_reorders_lessons_from_the_course(client, trainer):
    course = make_course(lessons=2)
    client.force_login(trainer)
    response = client.get(f"/admin/pages/{course.pk}/?ordering=ord")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    # Wagtail's explorer in "sort menu order" mode: draggable rows (the handle for each lesson).
    assert len(soup.select("[data-w-orderable-target=handle]")) == 3
    second = LessonPage.objects.get(title="Bài 2")
    response = client.post(f"/admin/pages/{second.pk}/set_position/?position=0")
    assert response.status_code == 200
    assert titles(course) == ["Bài 2", "Bài 1", "Bài kiểm tra cuối khoá"]
    assert [item.lesson.title for item in course_outline(course=course, enrolment=None)][0] == (
        "Bài 2"
    )


def test_reordering_needs_the_right_to_publish(client, home):
    course = make_course(lessons=2)
    outsider = make_learner()
    client.force_login(outsider)
    lesson = LessonPage.objects.get(title="Bài 2")
    response = client.post(f"/admin/pages/{lesson.pk}/set_position/?position=0")
    assert response.status_code in (302, 403)
    assert titles(course) == ["Bài 1", "Bài 2", "Bài kiểm tra cuối khoá"]


def test_course_outline_view(client, trainer, django_assert_max_num_queries):
    course = make_course(lessons=2)
    make_lesson(course, "Bài đọc thêm", required=False, publish=False)
    client.force_login(trainer)
    url = f"/admin/courses/{course.pk}/outline/"
    response = client.get(url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    rows = soup.select("tr[data-lesson]")
    assert [r.select_one("a").get_text(strip=True) for r in rows] == [
        "Bài 1", "Bài 2", "Bài kiểm tra cuối khoá", "Bài đọc thêm",
    ]  # fmt: skip
    assert [r.select_one("[data-required]")["data-required"] for r in rows] == [
        "yes", "yes", "yes", "no",
    ]  # fmt: skip
    assert rows[2].has_attr("data-final")
    assert soup.select_one("[data-certificate]")["data-certificate"] == "yes"
    # The course's menus in the explorer link to it.
    explorer = client.get(f"/admin/pages/{course_index().pk}/").content.decode()
    assert url in explorer


def test_course_outline_query_budget(client, trainer, django_assert_max_num_queries):
    course = make_course(lessons=6)
    client.force_login(trainer)
    url = f"/admin/courses/{course.pk}/outline/"
    client.get(url)
    # Session and user, the course, the trainer's page permissions (groups), the lessons in
    # one query, and Wagtail's admin chrome (menu items asking for the user's scopes, the
    # locale, collection permissions): bounded, and the same with more lessons.
    with django_assert_max_num_queries(25) as captured:
        client.get(url)
    few = len(captured)
    make_lesson(course, "Bài thêm 1")
    make_lesson(course, "Bài thêm 2")
    client.get(url)  # publishing started a new content version: refill the site caches
    with django_assert_max_num_queries(few):
        client.get(url)


def test_course_outline_refuses_others(client, home):
    course = make_course(lessons=1)
    url = f"/admin/courses/{course.pk}/outline/"
    assert client.get(url).status_code == 302  # anonymous: to the login
    client.force_login(make_learner())
    assert client.get(url).status_code in (302, 403)
    authoring_roles_setup()
    manager_only = make_trainer(scope=make_unit("Đắk Lắk"))
    client.force_login(manager_only)
    assert client.get(url).status_code == 200  # trainers edit every course of the catalogue
    assert (
        client.get(f"/admin/courses/{CourseIndexPage.objects.get().pk}/outline/").status_code == 404
    )


def test_the_admin_slug_field_keeps_vietnamese_letters_for_the_server(client, trainer):
    """The slug field's script, with ASCII slugs, drops the letters it cannot transliterate
    ("Kỹ năng số" -> "k-nang-s"): it is told to keep them, and the server makes them ASCII
    (tests/browser/test_trainer_studio_journey.py types a title and checks both)."""
    course = make_course(lessons=0, quiz=[])
    client.force_login(trainer)
    for url in (
        f"/admin/pages/add/courses/lessonpage/{course.pk}/",
        f"/admin/pages/add/courses/coursepage/{course_index().pk}/",
        f"/admin/pages/{course.pk}/edit/",
    ):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        slug = soup.select_one("input[name=slug]")
        assert slug["data-controller"] == "w-slug"
        assert slug.has_attr("data-w-slug-allow-unicode-value"), url
        assert slug["data-w-slug-allow-unicode-value"] in ("", "true", "True")
    # What the browser then sends is transliterated (as a typed Vietnamese slug is).
    response = client.post(
        f"/admin/pages/add/courses/lessonpage/{course.pk}/",
        lesson_form("Kỹ năng số", slug="kỹ-năng-số"),
    )
    assert response.status_code == 302
    assert LessonPage.objects.get(title="Kỹ năng số").slug == "ky-nang-so"
