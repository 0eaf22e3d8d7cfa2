"""Every REST API v1 endpoint against every kind of key: none, revoked, without the
permission, of another province, of the right province. A signed-in administrator's session
is no key."""

import datetime
import uuid

import pytest

from courses.classes.services import attendance_mark, roster_add, session_create
from courses.services import enrolment_complete, enrolment_create
from targets.models import TrainingTarget
from tests.api_support import assert_problem, get
from tests.factories import make_admin, make_trainer

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(api_world):
    w = api_world
    enrolment, _ = enrolment_create(user=w["hblin"], course=w["course"])
    trainer = make_trainer(scope=w["ia_grai"])
    start = datetime.date(2026, 11, 2)
    session = session_create(
        user=trainer,
        course=w["course"],
        title="Lớp Ia Grai",
        venue=w["ia_grai"],
        address="UBND xã",
        start_date=start,
        end_date=start,
    )
    roster_add(user=trainer, session=session, learner=w["hblin"])
    attendance_mark(
        user=trainer,
        day=session.days.get(),
        learner=w["hblin"],
        status="present",
        client_uuid=uuid.uuid4(),
    )
    enrolment_complete(enrolment=enrolment, evidence="attendance")
    target = TrainingTarget.objects.create(
        name="Trưởng thôn Gia Lai",
        scope_unit=w["gia_lai"],
        target_percent=80,
        deadline=datetime.date(2026, 12, 31),
        reporting_year=2026,
    )
    return {
        "unit": w["ia_grai"].pk,
        "learner": w["hblin"].pk,
        "enrolment": enrolment.pk,
        "class": session.pk,
        "target": target.pk,
    }


LISTS = [
    "/api/v1/units",
    "/api/v1/learners",
    "/api/v1/enrolments",
    "/api/v1/completions",
    "/api/v1/classes",
    "/api/v1/targets",
    "/api/v1/certificates/",
]
DETAILS = {
    "unit": "/api/v1/units/{}",
    "learner": "/api/v1/learners/{}",
    "enrolment": "/api/v1/enrolments/{}",
    "class": "/api/v1/classes/{}",
    "target": "/api/v1/targets/{}",
}


@pytest.mark.parametrize("url", LISTS)
def test_lists(client, api_world, objects, url):
    w = api_world
    assert_problem(get(client, url), 401)
    assert_problem(get(client, url, w["revoked_key"]), 401)
    assert_problem(get(client, url, w["enrol_only_key"]), 403)
    mine = get(client, url, w["read_key"])
    assert mine.status_code == 200 and mine.json()["items"], url
    theirs = get(client, url, w["other_key"]).json()["items"]
    if "units" in url or "learners" in url:
        assert {i["id"] for i in theirs}.isdisjoint({i["id"] for i in mine.json()["items"]})
    else:
        assert theirs == [], url
    client.force_login(make_admin())
    assert_problem(client.get(url), 401)  # a session is no key


@pytest.mark.parametrize("kind", list(DETAILS))
def test_details(client, api_world, objects, kind):
    w = api_world
    url = DETAILS[kind].format(objects[kind])
    assert_problem(get(client, url), 401)
    assert_problem(get(client, url, w["revoked_key"]), 401)
    assert_problem(get(client, url, w["enrol_only_key"]), 403)
    assert get(client, url, w["read_key"]).status_code == 200
    hidden = assert_problem(get(client, url, w["other_key"]), 404)
    missing = assert_problem(get(client, DETAILS[kind].format(10**9), w["other_key"]), 404)
    assert hidden == missing
