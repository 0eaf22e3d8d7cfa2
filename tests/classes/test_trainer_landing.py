"""A trainer lands on their classes and the courses they author (issue 20)."""

import pytest
from django.urls import reverse

from tests.factories import make_course

pytestmark = pytest.mark.django_db


def test_the_trainer_sees_the_courses_they_author_with_the_way_into_the_editor(client, world):
    draft = make_course("Bảo vệ dữ liệu cá nhân", lessons=1)
    draft.unpublish()
    client.force_login(world["trainer"])
    body = client.get(reverse("classes:list")).content.decode()
    assert "Kỹ năng số cho trưởng thôn" in body and "Bảo vệ dữ liệu cá nhân" in body
    assert reverse("wagtailadmin_pages:edit", args=[draft.pk]) in body
    assert reverse("wagtailadmin_pages:edit", args=[world["course"].pk]) in body


def test_a_manager_sees_classes_but_no_authoring_list(client, world):
    client.force_login(world["manager"])
    body = client.get(reverse("classes:list")).content.decode()
    assert reverse("wagtailadmin_pages:edit", args=[world["course"].pk]) not in body
