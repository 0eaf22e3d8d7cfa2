"""Query budgets for the learner pages. Counts are measured on a warm cache (the second
request), which is the steady state in production, and must not grow with the number of
lessons, courses or enrolments."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import LessonPage
from courses.quiz.services import quiz_attempt_start, quiz_attempt_submit
from courses.services import enrolment_create, lesson_progress_mark_done
from tests.factories import make_course, make_learner, make_unit, quiz_answers

pytestmark = pytest.mark.django_db


def warm_count(client, url):
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def learner_in_two_courses(home):
    learner = make_learner(unit=make_unit("Gia Lai"))
    small = make_course("Nhỏ", lessons=2)
    big = make_course("Lớn", lessons=15)
    for course in (small, big):
        enrolment_create(user=learner, course=course)
        for lesson in LessonPage.objects.child_of(course).live().order_by("path")[:2]:
            lesson_progress_mark_done(user=learner, lesson=lesson)
    return learner, small, big


def lessons(course):
    return list(LessonPage.objects.child_of(course).live().order_by("path"))


def test_lesson_page(client, learner_in_two_courses):
    learner, small, big = learner_in_two_courses
    client.force_login(learner)
    for course in (small, big):
        # 1 user (the session itself is served from the cache), 2 the enrolment with its
        # course, 3 the outline with this learner's progress per lesson (one query whatever
        # the number of lessons). Published content comes from the cache, keyed by content
        # version: the Site with its root page, the lesson itself (routing), the view
        # restrictions of the lesson and its ancestors, and the site settings.
        assert warm_count(client, lessons(course)[0].url) == 3
        # A quiz lesson adds two queries: this learner's attempts at the quiz (the open one
        # with its draw, the graded ones; bounded by the attempt policy) and the extra
        # attempts trainers granted (the policy needs both). The same before starting, with
        # an open attempt, and after grading.
        final = lessons(course)[-1]
        assert warm_count(client, final.url) == 5
        attempt = quiz_attempt_start(user=learner, lesson=final)
        assert warm_count(client, final.url) == 5
        data = quiz_answers(final, attempt=attempt, correct=False)
        quiz_attempt_submit(
            user=learner,
            lesson=final,
            attempt_id=attempt.pk,
            answers={k[2:]: v for k, v in data.items() if k.startswith("q-")},
        )
        assert warm_count(client, final.url) == 5
        quiz_attempt_start(user=learner, lesson=final)
        assert warm_count(client, final.url) == 5


def test_course_page(client, learner_in_two_courses):
    learner, small, big = learner_in_two_courses
    client.force_login(learner)
    for course in (small, big):
        # 1 user, 2 the enrolment, 3 the outline with progress (the page and its view
        # restrictions come from the versioned cache).
        assert warm_count(client, course.url) == 3
    client.logout()
    # Anonymous: served from the page cache, no query at all.
    assert warm_count(client, small.url) == 0


def test_catalogue(client, learner_in_two_courses):
    learner, small, big = learner_in_two_courses
    for n in range(3):
        make_course(f"Thêm {n}", lessons=4)
    client.force_login(learner)
    # 1 user, 2 the five courses with their lesson counts (a subquery); the catalogue page and
    # its view restrictions come from the versioned cache. Cover images would add one prefetch
    # query for the images and their renditions together; these courses have none.
    assert warm_count(client, "/courses/") == 2
    client.logout()
    assert warm_count(client, "/courses/") == 0


def test_my_learning(client, learner_in_two_courses):
    learner, small, big = learner_in_two_courses
    client.force_login(learner)
    # 1 user, 2 enrolments with their course and next lesson id (subquery), 3 their
    # certificates (one prefetch), 4 those next lessons, 5 in-person classes with their counts.
    # The same with two or five enrolments.
    assert warm_count(client, reverse("courses:my_learning")) == 5
    for n in range(3):
        enrolment_create(user=learner, course=make_course(f"Thêm {n}", lessons=3))
    assert warm_count(client, reverse("courses:my_learning")) == 5


def test_learner_quiz_attempts_page(client, home):
    from courses.quiz.services import quiz_attempt_grant
    from tests.factories import make_trainer

    province = make_unit("Gia Lai")
    learner = make_learner(unit=make_unit("Xã Ia Grai", parent=province))
    trainer = make_trainer(scope=province)
    course = make_course("Có kiểm tra", lessons=1)
    enrolment, _ = enrolment_create(user=learner, course=course)
    final = lessons(course)[-1]
    url = reverse("courses:quiz_attempts", args=[course.pk, learner.pk])
    client.force_login(trainer)
    before = warm_count(client, url)
    for _ in range(3):
        attempt = quiz_attempt_start(user=learner, lesson=final)
        data = quiz_answers(final, attempt=attempt, correct=False)
        quiz_attempt_submit(
            user=learner,
            lesson=final,
            attempt_id=attempt.pk,
            answers={k[2:]: v for k, v in data.items() if k.startswith("q-")},
        )
    quiz_attempt_grant(by=trainer, enrolment=enrolment, lesson=final, reason="Mất mạng")
    quiz_attempt_grant(by=trainer, enrolment=enrolment, lesson=final, reason="Ốm")
    # 1 user, 2 the learner's profile in the trainer's scope (an EXISTS over the scopes), 3 the
    # enrolment with its course, 4 the course's quiz lessons, 5 the attempts, 6 the grants with
    # who granted them (user and profile joined). The same with no attempt or with three
    # attempts and two grants.
    assert before == 6
    assert warm_count(client, url) == 6
