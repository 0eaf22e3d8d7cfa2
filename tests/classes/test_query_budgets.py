"""Query budgets of the class pages: fixed whatever the number of classes, learners or days."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.classes.conftest import add_learners, make_class

pytestmark = pytest.mark.django_db


def grow(world, classes: int, learners: int):
    sessions = []
    for n in range(classes):
        session = make_class(world, title=f"Lớp {n}", days=4)
        add_learners(world, session, learners)
        sessions.append(session)
    return sessions


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_class_list_budget(client, world, django_assert_num_queries):
    grow(world, 2, 3)
    client.force_login(world["trainer"])
    url = reverse("classes:list")
    client.get(url)  # warm the session cache
    # 8 = the user (session auth) + "has a staff role" + the page's count + the classes with
    # course, venue and roster size in one query + "may create" (trainer role) + the courses
    # they author (one query) + the Wagtail user bar's two permission reads (staff users see
    # it in every page's base template).
    with django_assert_num_queries(8):
        client.get(url)
    grow(world, 3, 5)
    assert count(client, url) == 8


def test_class_detail_budget(client, world, django_assert_num_queries):
    [session] = grow(world, 1, 3)
    client.force_login(world["trainer"])
    url = reverse("classes:detail", args=[session.pk])
    client.get(url)
    # 11 = user + staff role + the class (scoped, with venue and course) + "runs it" (scope)
    # + day count + roster (profiles, units, days present and enrolment status annotated)
    # + who on the roster is locked out of signing in (one grouped read, for the runner)
    # + days + trainers + the user bar's two permission reads. Check-in is off: no QR query.
    with django_assert_num_queries(11):
        client.get(url)
    add_learners(world, session, 12)
    assert count(client, url) == 11


def test_attendance_day_budget(client, world, django_assert_num_queries):
    [session] = grow(world, 1, 3)
    client.force_login(world["trainer"])
    day = session.days.first()
    url = reverse("classes:day", args=[session.pk, day.pk])
    client.get(url)
    # 9 = user + staff role + the class (scoped) + "runs it" + the day + the roster with each
    # learner's status for the day (one query) + the days for the day switcher + the user
    # bar's two permission reads.
    with django_assert_num_queries(9):
        client.get(url)
    add_learners(world, session, 20)
    assert count(client, url) == 9
