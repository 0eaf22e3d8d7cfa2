"""Page-type rules, the catalogue, course pages and the anonymous page cache."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase

from cms.models import HomePage, NewsIndexPage, StandardPage
from courses.models import CourseIndexPage, CoursePage, LessonPage, LessonProgress
from tests.factories import make_course, make_learner, make_unit

pytestmark = pytest.mark.django_db


class TestPageTree(WagtailPageTestCase):
    def test_page_type_rules(self):
        from library.models import CultureArchiveIndexPage, LibraryIndexPage

        self.assertAllowedSubpageTypes(
            HomePage,
            {
                CourseIndexPage,
                StandardPage,
                NewsIndexPage,
                LibraryIndexPage,
                CultureArchiveIndexPage,
            },
        )
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})
        self.assertAllowedSubpageTypes(CoursePage, {LessonPage})
        self.assertAllowedSubpageTypes(LessonPage, set())
        self.assertAllowedParentPageTypes(LessonPage, {CoursePage})
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})

    def test_pages_render(self):
        course = make_course()
        self.assertPageIsRenderable(course)
        self.assertPageIsRenderable(CourseIndexPage.objects.get())
        self.assertPageIsRenderable(HomePage.objects.get())


def cards(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text(strip=True) for a in soup.select(".course-card h3 a")]


def test_catalogue_lists_live_courses_with_filters(client, home):
    make_course("Tin học cơ bản", topic="it-basics")
    make_course("An toàn thông tin", topic="cybersecurity")
    make_course("Tiếng Jrai", topic="minority-language", language="jra")
    draft = make_course("Bản nháp")
    draft.unpublish()
    assert cards(client.get("/courses/")) == ["Tin học cơ bản", "An toàn thông tin", "Tiếng Jrai"]
    assert cards(client.get("/courses/?topic=cybersecurity")) == ["An toàn thông tin"]
    assert cards(client.get("/courses/?language=jra")) == ["Tiếng Jrai"]
    # Unknown filter values are ignored rather than failing.
    assert len(cards(client.get("/courses/?topic=nope&language=<x>"))) == 3
    soup = BeautifulSoup(client.get("/courses/").content, "html.parser")
    assert (
        "3 bài học" in soup.select_one(".course-card .meta:last-child").get_text()
        or "3 lessons" in soup.select_one(".course-card .meta:last-child").get_text()
    )


def test_course_page_shows_syllabus_and_enrol_button(client, course):
    soup = BeautifulSoup(client.get(course.url).content, "html.parser")
    assert [li.find(["a", "span"]).get_text() for li in soup.select(".syllabus li")] == [
        "Bài 1",
        "Bài 2",
        "Bài kiểm tra cuối khoá",
    ]
    # Anonymous visitors get a login link, never a form.
    assert soup.select_one(f"form[action='/learn/courses/{course.pk}/enrol/']") is None
    learner = make_learner(unit=make_unit("Gia Lai"))
    client.force_login(learner)
    soup = BeautifulSoup(client.get(course.url).content, "html.parser")
    form = soup.select_one(f"form[action='/learn/courses/{course.pk}/enrol/']")
    assert form is not None and form["method"] == "post"


class TestAnonymousPageCache:
    def test_catalogue_is_cached_and_invalidated_on_publish(self, client, course):
        first = client.get("/courses/")
        assert first["X-LMS-Cache"] == "miss"
        second = client.get("/courses/")
        assert second["X-LMS-Cache"] == "hit"
        assert second.content == first.content
        course.title = "Tin học cơ bản (mới)"
        course.save_revision().publish()
        third = client.get("/courses/")
        assert third["X-LMS-Cache"] == "miss"
        assert "Tin học cơ bản (mới)" in third.content.decode()

    def test_cache_is_keyed_by_language(self, client, course):
        vi = client.get(course.url)
        client.cookies["django_language"] = "en"
        en = client.get(course.url)
        assert en["X-LMS-Cache"] == "miss"
        assert vi.content != en.content
        assert client.get(course.url)["X-LMS-Cache"] == "hit"

    def test_logged_in_pages_are_never_cached(self, client, course):
        client.force_login(make_learner(unit=make_unit("Gia Lai")))
        assert "X-LMS-Cache" not in client.get(course.url)
        assert "X-LMS-Cache" not in client.get("/courses/")

    def test_unpublishing_a_lesson_updates_the_course_page(self, client, course):
        client.get(course.url)
        lesson = LessonPage.objects.child_of(course).first()
        lesson.unpublish()
        response = client.get(course.url)
        assert response["X-LMS-Cache"] == "miss"
        assert lesson.title not in [
            li.get_text()
            for li in BeautifulSoup(response.content, "html.parser").select(
                ".syllabus li span:first-child"
            )
        ]


class TestVersionedContentCache:
    """Logged-in pages read published pages and view restrictions from the versioned cache;
    every change that affects them must show on the next request."""

    @pytest.fixture
    def learner(self, client, course):
        from courses.services import enrolment_create

        user = make_learner(unit=make_unit("Gia Lai"))
        enrolment_create(user=user, course=course)
        client.force_login(user)
        return user

    def test_a_published_revision_shows_at_once(self, client, course, learner):
        lesson = LessonPage.objects.child_of(course).live().first()
        assert client.get(lesson.url).status_code == 200  # now cached
        lesson.title = "Bài 1 (sửa)"
        lesson.save_revision().publish()
        assert '<h1 lang="vi">Bài 1 (sửa)</h1>' in client.get(lesson.url).content.decode()

    def test_a_draft_is_not_served(self, client, course, learner):
        lesson = LessonPage.objects.child_of(course).live().first()
        client.get(lesson.url)
        lesson.title = "Bản nháp"
        lesson.save_revision()
        assert "Bản nháp" not in client.get(lesson.url).content.decode()

    def test_a_new_view_restriction_applies_at_once(self, client, course, learner):
        from django.contrib.auth.models import Group
        from wagtail.models import PageViewRestriction

        lesson = LessonPage.objects.child_of(course).live().first()
        assert client.get(lesson.url).status_code == 200
        restriction = PageViewRestriction.objects.create(
            page=course, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.add(Group.objects.create(name="Cán bộ dân tộc"))
        response = client.get(lesson.url)
        assert response.status_code == 302  # to the login page: not in the group
        restriction.delete()
        assert client.get(lesson.url).status_code == 200

    def test_the_admin_still_queries_restrictions(self, course):
        """The admin refines the queryset (order_by); it must see the database, not the cache."""
        from wagtail.models import PageViewRestriction

        lesson = LessonPage.objects.child_of(course).live().first()
        assert list(lesson.get_view_restrictions()) == []
        PageViewRestriction.objects.bulk_create(  # no signal: the cache is not bumped
            [PageViewRestriction(page=course, restriction_type=PageViewRestriction.LOGIN)]
        )
        assert list(lesson.get_view_restrictions()) == []  # the serving path: cached
        assert lesson.get_view_restrictions().order_by("-page__depth").count() == 1


class TestRestrictedCourses:
    def test_a_password_page_is_never_cached_for_the_next_visitor(self, client, course):
        from django.test import Client
        from wagtail.models import PageViewRestriction

        PageViewRestriction.objects.create(
            page=course, restriction_type=PageViewRestriction.PASSWORD, password="ia-grai"
        )
        restriction = PageViewRestriction.objects.get(page=course)
        form_url = reverse(
            "wagtailcore_authenticate_with_password", args=[restriction.pk, course.pk]
        )
        client.post(form_url, {"password": "ia-grai", "return_url": course.url})
        opened = client.get(course.url)
        assert opened.status_code == 200 and course.title in opened.content.decode()
        assert "X-LMS-Cache" not in opened
        stranger = Client().get(course.url)
        assert stranger.status_code == 200
        assert "X-LMS-Cache" not in stranger
        assert 'name="password"' in stranger.content.decode()  # the password form, not the page

    def test_actions_on_a_private_course_are_refused(self, client, course):
        from django.contrib.auth.models import Group
        from wagtail.models import PageViewRestriction

        from courses.models import Enrolment
        from courses.services import enrolment_create

        learner = make_learner(unit=make_unit("Gia Lai"))
        enrolment_create(user=learner, course=course)  # enrolled before the course went private
        restriction = PageViewRestriction.objects.create(
            page=course, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.add(Group.objects.create(name="Cán bộ dân tộc"))
        other = make_learner(unit=make_unit("Đắk Lắk"))
        client.force_login(other)
        assert client.post(reverse("courses:enrol", args=[course.pk])).status_code == 404
        assert not Enrolment.objects.filter(user=other).exists()
        client.force_login(learner)
        lesson = LessonPage.objects.child_of(course).live().first()
        response = client.post(reverse("courses:lesson_done", args=[lesson.pk]))
        assert response.status_code == 404
        assert not LessonProgress.objects.exists()

    def test_lessons_of_an_unpublished_course_are_closed(self, client, course):
        from courses.services import enrolment_create

        learner = make_learner(unit=make_unit("Gia Lai"))
        enrolment_create(user=learner, course=course)
        client.force_login(learner)
        lesson = LessonPage.objects.child_of(course).live().first()
        assert client.get(lesson.url).status_code == 200
        course.unpublish()
        assert client.get(lesson.url).status_code == 404
        client.post(reverse("courses:lesson_done", args=[lesson.pk]))
        assert not LessonProgress.objects.exists()

    @pytest.mark.parametrize(
        "name", ["courses:enrol", "courses:lesson_done", "courses:quiz_submit"]
    )
    def test_an_overlong_id_is_not_found(self, client, course, name):
        client.force_login(make_learner(unit=make_unit("Gia Lai")))
        url = reverse(name, args=[1]).replace("/1/", "/" + "9" * 30 + "/")
        assert client.post(url).status_code == 404
