"""The player's static files come from npm, the activity list keeps to its query budget, and
view restrictions and unpublished lessons close the H5P endpoints too."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from wagtail.models import PageViewRestriction

from courses.services import authoring_roles_setup, enrolment_create
from tests.factories import make_admin, make_course, make_learner, make_unit

from .h5p_support import H5P_NEGATIVE, import_file, make_h5p_lesson


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_h5p_standalone_is_served_from_node_modules():
    for name in ("main.bundle.js", "frame.bundle.js", "styles/h5p.css"):
        found = finders.find(f"h5p-standalone/{name}")
        assert found and "node_modules" in found, name


@pytest.mark.django_db
def test_activity_list_query_budget(home, client, django_assert_num_queries):
    authoring_roles_setup()
    course = make_course(lessons=0, quiz=[])
    package = import_file(H5P_NEGATIVE / "valid2.h5p")
    for n in range(4):
        make_h5p_lesson(course, package, title=f"Bài {n}")
    client.force_login(make_admin())
    url = reverse("courses:h5p:reports")
    client.get(url)  # warm up: site settings, the Wagtail profile
    # The user, the reference-index rows, the lessons, the packages: 4 whatever the number of
    # activities (the content types are cached after the first request); the Wagtail user
    # bar of the base template reads the admin's Wagtail profile twice.
    with django_assert_num_queries(6):
        response = client.get(url)
    assert len(re.findall(r"/learn/h5p/reports/\d+/", response.content.decode())) == 4


@pytest.mark.django_db
def test_restricted_or_unpublished_lesson_refuses_statements(home, client):
    learner = make_learner(unit=make_unit("Gia Lai"))
    course = make_course(lessons=0, quiz=[])
    lesson, block = make_h5p_lesson(course, import_file(H5P_NEGATIVE / "valid2.h5p"))
    enrolment_create(user=learner, course=course)
    client.force_login(learner)
    body = {
        "lesson": lesson.pk,
        "block": block,
        "statement": {
            "actor": {"mbox": "mailto:a@b.c"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted"},
            "object": {"id": "http://x/y"},
        },
    }
    url = reverse("courses:h5p:xapi")
    assert client.post(url, json.dumps(body), "application/json").status_code == 201
    PageViewRestriction.objects.create(page=course, restriction_type="password", password="x")
    assert client.post(url, json.dumps(body), "application/json").status_code == 404
    PageViewRestriction.objects.all().delete()
    lesson.unpublish()
    assert client.post(url, json.dumps(body), "application/json").status_code == 404
