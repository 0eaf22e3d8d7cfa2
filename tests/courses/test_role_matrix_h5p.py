"""Role matrix for the H5P URLs: the trainer reports (scoped to the reader's units), the CSV
export, the player document and the endpoints; plus the query budget of the report."""

import json

import pytest
from django.urls import reverse

from courses.services import authoring_roles_setup, enrolment_create
from tests.factories import (
    make_admin,
    make_course,
    make_learner,
    make_manager,
    make_trainer,
    make_unit,
)
from tests.shared_data import shared

from .h5p_support import H5P_NEGATIVE, import_file, make_h5p_lesson

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "learner", "trainer_in", "trainer_out", "manager_in", "manager_out", "admin"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(home, client):
    authoring_roles_setup()
    gia_lai, dak_lak = make_unit("Gia Lai"), make_unit("Đắk Lắk")
    commune = make_unit("Xã Ia Grai", parent=gia_lai)
    course = make_course(lessons=0, quiz=[])
    package = import_file(H5P_NEGATIVE / "valid2.h5p")
    lesson, block = make_h5p_lesson(course, package)
    users = {
        "anonymous": None,
        "learner": make_learner(unit=commune, full_name="Siu H'Nương"),
        "trainer_in": make_trainer(scope=gia_lai),
        "trainer_out": make_trainer(scope=dak_lak),
        "manager_in": make_manager(scope=gia_lai),
        "manager_out": make_manager(scope=dak_lak),
        "admin": make_admin(),
    }
    enrolment_create(user=users["learner"], course=course)
    client.force_login(users["learner"])
    statement = json.loads(
        (shared("xapi", "h5p-captured", "H5P.TrueFalse-1.6_statements.json")).read_text()
    )[-1]
    response = client.post(
        reverse("courses:h5p:xapi"),
        json.dumps({"lesson": lesson.pk, "block": block, "statement": statement}),
        content_type="application/json",
    )
    assert response.status_code == 201
    client.logout()
    return {"lesson": lesson, "block": block, "users": users}


def as_role(client, world, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)


# (role) -> (status of the list, status of the report, learner's row visible)
REPORT = {
    "anonymous": (302, 302, False),
    "learner": (403, 403, False),
    "trainer_in": (200, 200, True),
    "trainer_out": (200, 200, False),
    "manager_in": (200, 200, True),
    "manager_out": (200, 200, False),
    "admin": (200, 200, True),
}


@pytest.mark.parametrize("role", ROLES)
def test_reports(client, world, role):
    as_role(client, world, role)
    expected_list, expected_report, sees_learner = REPORT[role]
    listing = client.get(reverse("courses:h5p:reports"))
    assert listing.status_code == expected_list
    args = [world["lesson"].pk, world["block"]]
    report = client.get(reverse("courses:h5p:report", args=args))
    assert report.status_code == expected_report
    export = client.get(reverse("courses:h5p:report_csv", args=args))
    assert export.status_code == expected_report
    if expected_report == 200:
        assert ("H&#x27;Nương" in report.content.decode()) == sees_learner
        text = export.content.decode("utf-8")
        assert text.startswith("\ufeff")
        assert ("Siu H'Nương" in text) == sees_learner
        if sees_learner:
            row = next(line for line in text.splitlines() if "Siu H'Nương" in line)
            assert ",100,100,1," in row  # best, last, attempts


@pytest.mark.parametrize("role", ROLES)
def test_player_and_endpoints(client, world, role):
    as_role(client, world, role)
    play = client.get(reverse("courses:h5p:play", args=[world["lesson"].pk, world["block"]]))
    # Only enrolled learners get a player with their state; others get one with no state
    # (the page is the same package content anyone may read), anonymous must log in.
    assert play.status_code == (302 if role == "anonymous" else 200)
    body = {"lesson": world["lesson"].pk, "block": world["block"], "state": "{}"}
    state = client.post(reverse("courses:h5p:state"), json.dumps(body), "application/json")
    expected = {"anonymous": 302, "learner": 200}.get(role, 403)
    assert state.status_code == expected


def test_report_query_budget(client, world, django_assert_num_queries):
    for n in range(5):
        learner = make_learner(unit=world["users"]["learner"].profile.org_unit)
        enrolment_create(user=learner, course=world["lesson"].get_parent().specific)
        client.force_login(learner)
        client.post(
            reverse("courses:h5p:xapi"),
            json.dumps(
                {
                    "lesson": world["lesson"].pk,
                    "block": world["block"],
                    "statement": {
                        "actor": {"mbox": "mailto:a@b.c"},
                        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
                        "object": {"id": "http://x/y"},
                        "result": {"score": {"raw": n, "max": 5}},
                    },
                }
            ),
            content_type="application/json",
        )
    client.force_login(world["users"]["trainer_in"])
    url = reverse("courses:h5p:report", args=[world["lesson"].pk, world["block"]])
    client.get(url)  # warm up: site settings and the Wagtail user profile are created once
    # The user (the session is cached), the scope check (user_has_role), the lesson with its
    # body, the package behind the block, the scoped results with learners, profiles and units
    # in one join: 5, whatever the number of learners. The base template's Wagtail user bar
    # adds 4 for a staff user (user and group permissions, the Wagtail profile twice).
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == 1 + 6  # header + six learners
