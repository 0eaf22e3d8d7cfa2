"""Role matrix for every class URL: who may see, who may change, who gets a 404.

The class is held in Xã Ia Grai (Gia Lai). "in" roles cover it: the trainer of Ia Grai and
the manager of Gia Lai. "out" roles do not: the trainer of Xã Ia Le (the neighbouring commune,
same province) and the manager of Đắk Lắk. The learner is on the class roster. A class outside
a user's scopes is a 404; a manager who sees a class but does not run it gets 403 on the pages
that change it; people without a role get 403 on the class pages.
"""

import datetime
import json
import uuid
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from courses.classes.checkin import checkin_token
from courses.classes.services import roster_add, session_create
from courses.models.classes import AttendanceMark, ClassMember, TrainingSession
from tests.factories import (
    fresh,
    make_admin,
    make_course,
    make_learner,
    make_manager,
    make_trainer,
    make_unit,
    site_home,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "learner", "trainer_in", "trainer_out", "manager_in", "manager_out", "admin"]
TODAY = datetime.date(2026, 11, 3)
LOGIN = "login"


@pytest.fixture(scope="module")
def shared_world(module_db):
    """Built once per module (tests.conftest.module_db); each test gets fresh copies."""
    with module_db():
        site_home()
        gia_lai, dak_lak = make_unit("Gia Lai"), make_unit("Đắk Lắk")
        ia_grai, ia_le = (
            make_unit("Xã Ia Grai", parent=gia_lai),
            make_unit("Xã Ia Le", parent=gia_lai),
        )
        course = make_course(lessons=1)
        trainer_in = make_trainer(scope=ia_grai)
        trainer_out = make_trainer(scope=ia_le)
        session = session_create(
            user=trainer_in,
            course=course,
            title="Lớp Ia Grai",
            venue=ia_grai,
            start_date=TODAY,
            end_date=TODAY + datetime.timedelta(days=1),
            self_checkin=True,
            checkin_mode="daily",
        )
        learner = make_learner(unit=ia_grai)
        # As if the trainer had created the account (so the PIN reset applies).
        roster_add(user=trainer_in, session=session, learner=learner, account_created=True)
        users = {
            "anonymous": None,
            "learner": learner,
            "trainer_in": trainer_in,
            "trainer_out": trainer_out,
            "manager_in": make_manager(scope=gia_lai),
            "manager_out": make_manager(scope=dak_lak),
            "admin": make_admin(),
        }
        return {
            "session": session,
            "users": users,
            "learner": learner,
            "member": ClassMember.objects.get(),
            "day": session.days.first(),
            "ia_le": ia_le,
            "course": course,
        }


@pytest.fixture
def world(shared_world, home):
    return fresh(shared_world)


def outcome(response):
    if response.status_code == 302 and response["Location"].startswith(reverse("account_login")):
        return LOGIN
    return response.status_code


SEE = {  # pages that show a class (managers in scope may look)
    "anonymous": LOGIN,
    "learner": 403,
    "trainer_in": 200,
    "trainer_out": 404,
    "manager_in": 200,
    "manager_out": 404,
    "admin": 200,
}
RUN = {**SEE, "manager_in": 403}  # pages that run a class: its trainers and administrators


def page_urls(w):
    s, d = w["session"].pk, w["day"].pk
    return {
        "detail": (reverse("classes:detail", args=[s]), SEE),
        "edit": (reverse("classes:edit", args=[s]), RUN),
        "learner_add": (reverse("classes:learner_add", args=[s]) + "?q=Học", RUN),
        "roster_import": (reverse("classes:roster_import", args=[s]), RUN),
        "attendance_import": (reverse("classes:attendance_import", args=[s]), RUN),
        "scores": (reverse("classes:scores", args=[s]), RUN),
        "day": (reverse("classes:day", args=[s, d]), RUN),
        # The check-in screen shows a code that lets anyone on the roster check in: runners only.
        "checkin_screen": (reverse("classes:checkin_screen", args=[s]), RUN),
        # Any signed-in user may try to type a code (it only finds their own classes).
        "checkin_enter": (reverse("classes:checkin_enter"), {**SEE, **dict.fromkeys(
            ["learner", "trainer_out", "manager_out"], 200)}),
        # Nothing was created in this login session, so even the trainer has no handout.
        "handout": (
            reverse("classes:handout", args=[s]),
            {**RUN, "trainer_in": 404, "admin": 404},
        ),
        "list": (
            reverse("classes:list"),
            {**SEE, "trainer_out": 200, "manager_out": 200},
        ),
        "create": (
            reverse("classes:create"),
            {**SEE, "trainer_out": 200, "manager_in": 403, "manager_out": 403},
        ),
    }  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_pages(client, world, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    got = {name: outcome(client.get(url)) for name, (url, _want) in page_urls(world).items()}
    want = {name: expected[role] for name, (_url, expected) in page_urls(world).items()}
    assert got == want


@pytest.mark.parametrize("role", ROLES)
def test_list_shows_only_classes_in_scope(client, world, role):
    user = world["users"][role]
    if user is None or role == "learner":
        return
    client.force_login(user)
    content = client.get(reverse("classes:list")).content.decode()
    assert ("Lớp Ia Grai" in content) == (SEE[role] == 200)


@pytest.mark.parametrize("role", ROLES)
def test_changes(client, world, role):
    """Every write, for every role: only the class's own trainers and administrators change
    anything; the others are turned away and nothing is written."""
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    w = world
    s, d, m = w["session"].pk, w["day"].pk, w["member"].pk
    mark = {
        "marks": [
            {"uuid": str(uuid.uuid4()), "day": d, "learner": w["learner"].pk, "status": "present"}
        ]
    }
    responses = {
        "marks": client.post(
            reverse("classes:marks_sync", args=[s]),
            json.dumps(mark),
            content_type="application/json",
        ),
        "day_form": client.post(
            reverse("classes:day", args=[s, d]), {f"s-{w['learner'].pk}": "absent"}
        ),
        "scores": client.post(reverse("classes:scores", args=[s]), {f"score-{m}": "90"}),
        "pin": client.post(reverse("classes:member_pin", args=[s, m])),
        "status": client.post(reverse("classes:status", args=[s]), {"status": "cancelled"}),
    }
    allowed = RUN[role] == 200
    for name, response in responses.items():
        if allowed:
            assert response.status_code in (200, 302), name
        else:
            assert outcome(response) == RUN[role], name
    session = TrainingSession.objects.get(pk=s)
    assert (session.status == "cancelled") == allowed
    assert AttendanceMark.objects.exists() == allowed
    assert (ClassMember.objects.get(pk=m).paper_score == 90) == allowed


@pytest.mark.parametrize("role", ROLES)
def test_remove_member(client, world, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    url = reverse("classes:member_remove", args=[world["session"].pk, world["member"].pk])
    response = client.post(url)
    removed = not ClassMember.objects.filter(pk=world["member"].pk).exists()
    assert removed == (RUN[role] == 200)
    if not removed:
        assert outcome(response) == RUN[role]


def test_trainer_of_another_commune_cannot_reach_its_learners(client, world):
    """Through a class of their own, the Ia Le trainer neither finds nor adds Ia Grai people."""
    trainer_out = world["users"]["trainer_out"]
    own = session_create(
        user=trainer_out,
        course=world["course"],
        title="Lớp Ia Le",
        venue=world["ia_le"],
        start_date=TODAY,
        end_date=TODAY,
    )
    client.force_login(trainer_out)
    url = reverse("classes:learner_add", args=[own.pk])
    learner = world["learner"]
    page = BeautifulSoup(client.get(url, {"q": learner.profile.full_name}).content, "html.parser")
    assert page.select(".result") == [] and page.select_one(".results .empty")
    # (The Ia Grai trainer's search does find them: the search itself works.)
    client.force_login(world["users"]["trainer_in"])
    other = session_create(
        user=world["users"]["trainer_in"],
        course=world["course"],
        title="Lớp Ia Grai 2",
        venue=world["session"].venue,
        start_date=TODAY,
        end_date=TODAY,
    )
    url_in = reverse("classes:learner_add", args=[other.pk])
    found = BeautifulSoup(
        client.get(url_in, {"q": learner.profile.full_name}).content, "html.parser"
    )
    assert [s.get_text() for s in found.select(".result strong")] == [learner.profile.full_name]
    client.force_login(trainer_out)
    response = client.post(url, {"action": "add", "user": learner.pk})
    assert response.status_code == 404
    assert not ClassMember.objects.filter(session=own).exists()
    # Nor through the import: a row naming Ia Grai is rejected as outside their units.
    from courses.classes.roster_import import REJECT, roster_import_plan

    row = {"line": 2, "full_name": "Người Ia Grai", "commune": "Xã Ia Grai"}
    [planned] = roster_import_plan(user=trainer_out, session=own, rows=[row]).rows
    assert planned.action == REJECT


@pytest.mark.parametrize("role", ROLES)
def test_checkin(client, world, role):
    """Today's code works for a learner on the roster; others are told they are not on it."""
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        url = reverse(
            "classes:checkin", args=[world["session"].pk, checkin_token(world["session"], TODAY)]
        )
        response = client.post(url)
    expected = {"anonymous": LOGIN, "learner": 200}.get(role, 403)
    assert outcome(response) == expected
    assert AttendanceMark.objects.exists() == (role == "learner")
