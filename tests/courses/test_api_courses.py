"""REST API v1: courses, enrolments, completions with evidence, classes and attendance, and
idempotent bulk enrolment."""

import datetime
import uuid

import pytest

from courses.classes.services import attendance_mark, roster_add, session_create
from courses.models import Enrolment
from courses.services import enrolment_complete, enrolment_create
from people.models import ApiIdempotency
from tests.api_support import assert_problem, get, post_json, walk
from tests.factories import make_course, make_learner, make_trainer

pytestmark = pytest.mark.django_db

BULK = "/api/v1/enrolments/bulk"


@pytest.fixture
def learning(api_world):
    w = api_world
    done, _ = enrolment_create(user=w["hblin"], course=w["course"])
    enrolment_complete(enrolment=done, evidence="assessment")
    active, _ = enrolment_create(user=w["nam"], course=w["course"])
    hidden, _ = enrolment_create(user=w["out"], course=w["course"])
    enrolment_complete(enrolment=hidden, evidence="assessment")
    return {"done": done, "active": active, "hidden": hidden}


@pytest.mark.parametrize(
    "url", ["/api/v1/courses", "/api/v1/enrolments", "/api/v1/completions", "/api/v1/classes"]
)
def test_lists_need_a_valid_readable_key(client, api_world, url):
    assert_problem(get(client, url), 401)
    assert_problem(get(client, url, api_world["revoked_key"]), 401)
    assert_problem(get(client, url, api_world["enrol_only_key"]), 403)
    assert get(client, url, api_world["read_key"]).status_code == 200


def test_courses_lists_live_courses(client, api_world):
    make_course("Khoá nháp").unpublish()
    courses = walk(client, "/api/v1/courses", api_world["read_key"])
    assert [c["title"] for c in courses] == ["Kỹ năng số cho trưởng thôn"]
    assert courses[0]["url"].startswith("http") and courses[0]["url"].endswith(
        f"/{api_world['course'].slug}/"
    )


def test_enrolments_are_scoped_by_the_learner_unit(client, api_world, learning):
    key = api_world["read_key"]
    ids = {e["id"] for e in walk(client, "/api/v1/enrolments", key)}
    assert ids == {learning["done"].pk, learning["active"].pk}
    other = {e["id"] for e in walk(client, "/api/v1/enrolments", api_world["other_key"])}
    assert other == {learning["hidden"].pk}
    assert_problem(get(client, f"/api/v1/enrolments/{learning['hidden'].pk}", key), 404)


def test_enrolment_filters(client, api_world, learning):
    key = api_world["read_key"]
    rows = walk(client, "/api/v1/enrolments", key, unit=api_world["ia_le"].pk)
    assert [r["id"] for r in rows] == [learning["active"].pk]
    rows = walk(client, "/api/v1/enrolments", key, status="completed")
    assert [r["id"] for r in rows] == [learning["done"].pk]
    rows = walk(client, "/api/v1/enrolments", key, learner=api_world["out"].pk)
    assert rows == []


def test_completions_only_with_evidence(client, api_world, learning):
    no_evidence, _ = enrolment_create(user=api_world["nam"], course=make_course("Khác"))
    enrolment_complete(enrolment=no_evidence, evidence="")
    rows = walk(client, "/api/v1/completions", api_world["read_key"])
    assert [(r["id"], r["evidence"]) for r in rows] == [(learning["done"].pk, "assessment")]


def test_enrolment_detail_has_its_evidence(client, api_world, learning):
    body = get(client, f"/api/v1/enrolments/{learning['done'].pk}", api_world["read_key"]).json()
    assert body["status"] == "completed" and body["evidence"] == "assessment"
    assert body["learner_id"] == api_world["hblin"].pk
    assert body["course_title"] == "Kỹ năng số cho trưởng thôn"
    assert body["hours"] == 4.0
    assert body["lessons"] == [] and body["quiz_attempts"] == [] and body["attendance"] == []


def test_classes_and_attendance(client, api_world):
    w = api_world
    trainer = make_trainer(scope=w["ia_grai"])
    start = datetime.date(2026, 11, 2)
    session = session_create(
        user=trainer,
        course=w["course"],
        title="Lớp tập huấn Ia Grai",
        venue=w["ia_grai"],
        address="Hội trường UBND xã",
        start_date=start,
        end_date=start + datetime.timedelta(days=1),
    )
    roster_add(user=trainer, session=session, learner=w["hblin"])
    day = session.days.order_by("date").first()
    attendance_mark(
        user=trainer, day=day, learner=w["hblin"], status="present", client_uuid=uuid.uuid4()
    )
    key = w["read_key"]
    rows = walk(client, "/api/v1/classes", key)
    assert [(r["id"], r["member_count"], r["venue_name"]) for r in rows] == [
        (session.pk, 1, "Xã Ia Grai")
    ]
    body = get(client, f"/api/v1/classes/{session.pk}", key).json()
    assert body["members"] == [w["hblin"].pk]
    assert body["days"][0] == {
        "date": "2026-11-02",
        "attendance": [{"learner_id": w["hblin"].pk, "status": "present"}],
    }
    assert body["days"][1]["attendance"] == []
    assert walk(client, "/api/v1/classes", w["other_key"]) == []
    assert_problem(get(client, f"/api/v1/classes/{session.pk}", w["other_key"]), 404)
    enrolment = Enrolment.objects.get(user=w["hblin"], course=w["course"])
    detail = get(client, f"/api/v1/enrolments/{enrolment.pk}", key).json()
    assert detail["attendance"] == [
        {"class_id": session.pk, "date": "2026-11-02", "status": "present"}
    ]


def test_enrolment_list_query_budget(client, api_world, django_assert_max_num_queries):
    key = api_world["read_key"]
    courses = [make_course(f"Khoá {n}", lessons=1, quiz=[]) for n in range(3)]
    for _n in range(10):
        learner = make_learner(unit=api_world["ia_le"])
        for course in courses:
            enrolment_create(user=learner, course=course)
    get(client, "/api/v1/courses", key)  # the site (cached) and the last-used mark
    # The key (1) and the page with its course titles (1), whatever the number of rows.
    with django_assert_max_num_queries(2):
        assert len(get(client, "/api/v1/enrolments", key).json()["items"]) == 30
    with django_assert_max_num_queries(2):
        get(client, "/api/v1/completions", key)
    with django_assert_max_num_queries(2):
        get(client, "/api/v1/classes", key)


# --- bulk enrolment ---------------------------------------------------------------------
def _rows(*pairs):
    return {"rows": [{"learner": learner, "course": course} for learner, course in pairs]}


def test_bulk_enrolment_is_idempotent(client, api_world):
    w = api_world
    course = w["course"]
    enrolment_create(user=w["nam"], course=course)  # already enrolled: not created again
    data = _rows((w["hblin"].pk, course.pk), (w["nam"].pk, course.pk))
    first = post_json(client, BULK, w["enrol_key"], data, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == 201, first.content
    body = first.json()
    assert (body["created"], body["existing"]) == (1, 1)
    assert Enrolment.objects.get(pk=body["results"][0]["enrolment_id"]).source == "import"
    again = post_json(client, BULK, w["enrol_key"], data, headers={"Idempotency-Key": "k-1"})
    assert again.status_code == 201 and again.json() == body
    assert again["Idempotent-Replayed"] == "true"
    assert Enrolment.objects.filter(course=course).count() == 2
    # The same key in the body is the same request.
    in_body = post_json(client, BULK, w["enrol_key"], {**data, "idempotency_key": "k-1"})
    assert in_body.json() == body


def test_bulk_key_reused_with_another_body_is_409(client, api_world):
    w = api_world
    course = w["course"]
    post_json(
        client,
        BULK,
        w["enrol_key"],
        _rows((w["hblin"].pk, course.pk)),
        headers={"Idempotency-Key": "k-2"},
    )
    forged = post_json(
        client,
        BULK,
        w["enrol_key"],
        _rows((w["nam"].pk, course.pk)),
        headers={"Idempotency-Key": "k-2"},
    )
    assert assert_problem(forged, 409)["type"].endswith("/idempotency-key-reused")
    assert not Enrolment.objects.filter(user=w["nam"]).exists()


def test_bulk_keys_are_per_api_key(client, api_world):
    """Another system's request with the same key is its own request."""
    from people.services import api_client_create

    w = api_world
    _c, second = api_client_create(name="Khác", units=[w["gia_lai"]], can_enrol=True)
    post_json(
        client,
        BULK,
        w["enrol_key"],
        _rows((w["hblin"].pk, w["course"].pk)),
        headers={"Idempotency-Key": "same"},
    )
    response = post_json(
        client,
        BULK,
        second,
        _rows((w["nam"].pk, w["course"].pk)),
        headers={"Idempotency-Key": "same"},
    )
    assert response.status_code == 201


def test_bulk_is_all_or_nothing(client, api_world):
    w = api_world
    course = w["course"]
    draft = make_course("Khoá nháp")
    draft.unpublish()
    data = _rows(
        (w["hblin"].pk, course.pk),
        (w["out"].pk, course.pk),  # outside the key's units
        (w["nam"].pk, draft.pk),  # not open
        (w["hblin"].pk, course.pk),  # repeated
        (999999, course.pk),
    )
    response = post_json(client, BULK, w["enrol_key"], data, headers={"Idempotency-Key": "k-3"})
    body = assert_problem(response, 422)
    assert {(e["row"], e["field"]) for e in body["errors"]} == {
        ("1", "learner"),
        ("2", "course"),
        ("3", "row"),
        ("4", "learner"),
    }
    assert not Enrolment.objects.exists()
    assert not ApiIdempotency.objects.exists()


def test_bulk_needs_enrol_permission_and_a_key(client, api_world):
    w = api_world
    data = _rows((w["hblin"].pk, w["course"].pk))
    assert_problem(post_json(client, BULK, None, data), 401)
    assert_problem(
        post_json(client, BULK, w["read_key"], data, headers={"Idempotency-Key": "x"}), 403
    )
    assert_problem(
        post_json(client, BULK, w["revoked_key"], data, headers={"Idempotency-Key": "x"}), 401
    )
    missing = assert_problem(post_json(client, BULK, w["enrol_key"], data), 400)
    assert missing["type"].endswith("/idempotency-key-required")
    mismatch = post_json(
        client,
        BULK,
        w["enrol_key"],
        {**data, "idempotency_key": "a"},
        headers={"Idempotency-Key": "b"},
    )
    assert_problem(mismatch, 400)
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"rows": []},
        {"rows": [{"learner": 1, "course": 1}] * 1001},
        {"rows": [{"learner": "x", "course": 1}]},
        {"rows": "nope"},
        {},
        {"rows": [{"learner": 1, "course": 1}], "idempotency_key": "k" * 129},
    ],
)
def test_bulk_malformed_bodies_are_422(client, api_world, data):
    response = post_json(client, BULK, api_world["enrol_key"], data)
    body = assert_problem(response, 422)
    assert body["errors"]
    assert not Enrolment.objects.exists()


def test_bulk_not_json_is_a_problem(client, api_world):
    response = client.post(
        BULK,
        data=b"{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {api_world['enrol_key']}", "Idempotency-Key": "z"},
    )
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.status_code in (400, 422)
