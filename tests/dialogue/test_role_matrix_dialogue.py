"""Role matrix of the dialogue's protected pages: anonymous, the enrolled learner, a learner
of another province, the course's trainer, a trainer and managers in and out of scope, and
an administrator."""

import pytest
from django.urls import reverse

from dialogue.services import thread_create
from tests.factories import make_admin

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "learner",
    "outsider",
    "trainer",
    "trainer_out",
    "manager",
    "manager_out",
    "admin",
]
LOGIN = 302
MATRIX = {
    #                  anon  learner outsider trainer tr_out manager mgr_out admin
    "moderation": [LOGIN, 403, 403, 200, 200, 200, 200, 200],
    "survey_results": [LOGIN, 403, 403, 403, 403, 200, 200, 200],
    "course": [LOGIN, 200, 403, 200, 403, 403, 403, 200],
    "course_thread": [403, 200, 404, 200, 404, 404, 404, 200],
    "ask": [LOGIN, 200, 200, 200, 200, 200, 200, 200],
}


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_dialogue_role_matrix(client, world, name):
    world["admin"] = make_admin()
    course = world["course"]
    thread = thread_create(author=world["learner"], title="Hỏi bài 1", body="b", course=course)
    urls = {
        "moderation": reverse("dialogue:moderation"),
        "survey_results": reverse("dialogue:survey_results"),
        "course": reverse("dialogue:course", args=[course.pk]),
        "course_thread": reverse("dialogue:thread", args=[thread.pk]),
        "ask": reverse("dialogue:ask"),
    }
    got = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(world[role])
        got.append(client.get(urls[name]).status_code)
    assert got == MATRIX[name]
