"""The xAPI endpoint and what it changes: statements validated and stored (self-reported),
only top-level scoring statements move progress, the pass mark completes the lesson and then
the course through the normal machinery, resume state is capped, requests are rate-limited."""

import json
import uuid

import pytest
from django.conf import settings
from django.urls import reverse

from courses.h5p import views as h5p_views
from courses.h5p.services import RESUME_STATE_CAP
from courses.models import Enrolment, H5PActivityProgress, LessonProgress, XAPIStatement
from courses.services import enrolment_create, lesson_progress_mark_done
from tests.factories import make_course, make_learner, make_unit
from tests.shared_data import shared, shared_files

from .h5p_support import H5P_NEGATIVE, import_file, make_h5p_lesson

pytestmark = pytest.mark.django_db


def template(name: str) -> dict:
    """An xAPI statement (or part) of the LRS conformance suite's templates."""
    return json.loads(shared("xapi", "lrs-conformance-v1_0_3-templates", name).read_text())


ANSWERED = "http://adlnet.gov/expapi/verbs/answered"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(home):
    learner = make_learner(unit=make_unit("Gia Lai"), username="hnuong")
    course = make_course("Tin học cơ bản", lessons=0, quiz=[])
    package = import_file(H5P_NEGATIVE / "valid2.h5p")
    lesson, block_id = make_h5p_lesson(course, package, pass_mark=80)
    enrolment_create(user=learner, course=course)
    return {"learner": learner, "course": course, "lesson": lesson, "block": block_id}


def post(client, world, statement, **extra):
    body = {"lesson": world["lesson"].pk, "block": world["block"], "statement": statement}
    body.update(extra)
    return client.post(
        reverse("courses:h5p:xapi"), data=json.dumps(body), content_type="application/json"
    )


def scored(raw, maximum=10, *, verb=ANSWERED, parent=False):
    statement = {
        "actor": {"account": {"name": str(uuid.uuid4())}, "objectType": "Agent"},
        "verb": {"id": verb},
        "object": {"id": "http://127.0.0.1/content/x", "objectType": "Activity"},
        "result": {
            "score": {"raw": raw, "min": 0, "max": maximum, "scaled": raw / maximum},
            "success": raw == maximum,
            "completion": True,
            "duration": "PT12.5S",
        },
    }
    if parent:
        statement["context"] = {"contextActivities": {"parent": [{"id": "http://x/parent"}]}}
    return statement


@pytest.mark.parametrize("path", shared_files("xapi/h5p-captured", "*.json"), ids=lambda p: p.name)
def test_captured_h5p_statements_are_accepted(client, world, path):
    client.force_login(world["learner"])
    statements = json.loads(path.read_text())
    for statement in statements:
        assert post(client, world, statement).status_code == 201
    rows = XAPIStatement.objects.filter(user=world["learner"])
    assert rows.count() == len(statements)
    assert all(row.self_reported for row in rows)
    answered = rows.get(verb=ANSWERED)
    final = statements[-1]["result"]["score"]
    assert answered.score_raw == final["raw"] and answered.score_max == final["max"]
    activity = H5PActivityProgress.objects.get(block_id=world["block"])
    assert activity.attempts == 1
    assert activity.last_score == round(100 * final["scaled"])


VALID_TEMPLATES = [
    "statements/default.json",
    "statements/context.json",
    "statements/context_sans_objectType.json",
    "statements/object_agent_default.json",
    "statements/object_group_default.json",
    "statements/object_substatement_default.json",
    "statements/result.json",
    "statements/unicode.json",
]
INVALID_TEMPLATES = {
    "statements/no_actor.json": "actor",
    "statements/no_verb.json": "verb",
    "statements/no_object.json": "object",
    "statements/object_statementref_no_id.json": "statement id",
    # Templates the conformance suite fills in before use: as they stand, they lack an id.
    "statements/object_activity.json": "object",
    "statements/verb.json": "verb",
}


@pytest.mark.parametrize("name", VALID_TEMPLATES)
def test_conformance_statements_are_accepted(client, world, name):
    client.force_login(world["learner"])
    response = post(
        client,
        world,
        template(name),
    )
    assert response.status_code == 201, response.content


def test_a_lesson_cannot_void_statements(client, world):
    """Voiding is for LRS clients (`/xapi/statements`): the player's object is always the
    lesson activity, so a voiding statement from a lesson is refused, not stored."""
    client.force_login(world["learner"])
    response = post(client, world, template("statements/voiding.json"))
    assert response.status_code == 400 and response.json()["code"] == "voiding_refused"
    assert not XAPIStatement.objects.exists()


@pytest.mark.parametrize("name,word", sorted(INVALID_TEMPLATES.items()))
def test_conformance_statements_without_actor_verb_object_are_refused(client, world, name, word):
    client.force_login(world["learner"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = post(
        client,
        world,
        template(name),
    )
    assert response.status_code == 400
    assert word in response.json()["error"].lower()
    assert not XAPIStatement.objects.exists()


@pytest.mark.parametrize(
    "part,name,ok",
    [
        ("actor", "agents/account.json", True),
        ("actor", "agents/mbox.json", True),
        ("actor", "agents/mbox_sha1sum.json", True),
        ("actor", "agents/openid.json", True),
        ("actor", "agents/account_no_name.json", False),
        ("verb", "verbs/default.json", True),
        ("verb", "verbs/no_id.json", False),
        ("result", "results/default.json", True),
        ("result", "results/no_extensions.json", True),
        ("object", "activities/default.json", True),
        ("object", "activities/no_id.json", False),
    ],
)
def test_conformance_building_blocks(client, world, part, name, ok):
    client.force_login(world["learner"])
    statement = json.loads(
        shared("xapi", "lrs-conformance-v1_0_3-templates", "statements/default.json").read_text()
    )
    statement[part] = json.loads(
        shared("xapi", "lrs-conformance-v1_0_3-templates", name).read_text()
    )
    response = post(client, world, statement)
    assert response.status_code == (201 if ok else 400), response.content


def test_bad_results_are_refused_with_a_message(client, world):
    client.force_login(world["learner"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for result, word in [
        ({"score": {"scaled": 2}}, "scaled"),
        ({"score": {"raw": "ten"}}, "raw"),
        ({"score": {"raw": 11, "min": 0, "max": 10}}, "raw"),
        ({"success": "yes"}, "success"),
        ({"duration": "ten minutes"}, "duration"),
    ]:
        statement = scored(5)
        statement["result"] = result
        response = post(client, world, statement)
        assert response.status_code == 400
        assert word in response.json()["error"]
    assert post(client, world, "not a statement").status_code == 400
    response = client.post(reverse("courses:h5p:xapi"), "{", content_type="application/json")
    assert response.status_code == 400


def test_pass_mark_completes_lesson_and_course(client, world):
    client.force_login(world["learner"])
    assert post(client, world, scored(6)).json() == {
        "stored": XAPIStatement.objects.get().pk,
        "score": 60,
        "best": 60,
        "completed": False,
    }
    enrolment = Enrolment.objects.get()
    progress = LessonProgress.objects.get(enrolment=enrolment)
    assert progress.score == 60 and progress.completed_at is None
    # A sub-question's statement (context.contextActivities.parent) is stored, never counted.
    assert post(client, world, scored(10, parent=True)).status_code == 201
    assert XAPIStatement.objects.filter(is_child=True).count() == 1
    progress.refresh_from_db()
    assert progress.score == 60 and progress.completed_at is None
    # passed/failed update the score without counting another attempt.
    body = post(client, world, scored(9, verb="http://adlnet.gov/expapi/verbs/passed")).json()
    assert body["completed"] is True and body["best"] == 90
    progress.refresh_from_db()
    assert progress.completed_at is not None and progress.score == 90
    assert H5PActivityProgress.objects.get().attempts == 1  # passed is not another attempt
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    # A lower score later keeps the best; completion is sticky.
    post(client, world, scored(2))
    activity = H5PActivityProgress.objects.get()
    assert (activity.best_score, activity.last_score, activity.attempts) == (90, 20, 2)
    assert activity.seconds == 24  # two answered statements of PT12.5S


def test_required_activity_replaces_mark_as_done(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        lesson_progress_mark_done(user=world["learner"], lesson=world["lesson"])
    assert caught.value.code == "h5p_required"


def test_not_enrolled_unknown_block_and_anonymous(client, world):
    stranger = make_learner(unit=make_unit("Đắk Lắk"))
    client.force_login(stranger)
    response = post(client, world, scored(5))
    assert response.status_code == 403 and response.json()["code"] == "not_enrolled"
    client.force_login(world["learner"])
    response = client.post(
        reverse("courses:h5p:xapi"),
        data=json.dumps({"lesson": world["lesson"].pk, "block": "nope", "statement": scored(5)}),
        content_type="application/json",
    )
    assert response.status_code == 404
    client.logout()
    assert post(client, world, scored(5)).status_code == 302
    assert not XAPIStatement.objects.exists()


def test_csrf_is_required(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world["learner"])
    assert post(client, world, scored(5)).status_code == 403


def test_rate_limit(client, world, monkeypatch):
    monkeypatch.setattr(h5p_views, "RATE_LIMIT", 3)
    client.force_login(world["learner"])
    codes = [post(client, world, scored(5)).status_code for _ in range(5)]
    assert codes == [201, 201, 201, 429, 429]
    assert XAPIStatement.objects.count() == 3


def test_long_statements_are_capped(client, world):
    client.force_login(world["learner"])
    statement = scored(5)
    statement["result"]["response"] = "x" * 50_000
    assert post(client, world, statement).status_code == 201
    row = XAPIStatement.objects.get()
    assert row.raw_truncated and "response" not in row.raw["result"]
    assert row.score_raw == 5


def test_resume_state_is_saved_capped_and_served_to_the_player(client, world):
    client.force_login(world["learner"])
    url = reverse("courses:h5p:state")
    body = {"lesson": world["lesson"].pk, "block": world["block"], "state": '{"answers":[0]}'}
    assert client.post(url, json.dumps(body), content_type="application/json").status_code == 200
    assert H5PActivityProgress.objects.get().resume_state == '{"answers":[0]}'
    body["state"] = "x" * (RESUME_STATE_CAP + 1)
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert H5PActivityProgress.objects.get().resume_state == '{"answers":[0]}'
    play = client.get(reverse("courses:h5p:play", args=[world["lesson"].pk, world["block"]]))
    assert play.status_code == 200
    assert play["Content-Security-Policy"] == "sandbox allow-scripts"
    assert play["X-Frame-Options"] == "SAMEORIGIN"
    config = json.loads(
        play.content.decode().split('id="h5p-config" type="application/json">')[1].split("<")[0]
    )
    assert config["state"] == '{"answers":[0]}'


def test_lesson_page_embeds_a_sandboxed_frame(client, world):
    from bs4 import BeautifulSoup

    client.force_login(world["learner"])
    response = client.get(world["lesson"].url)
    soup = BeautifulSoup(response.content, "html.parser")
    frame = soup.select_one("section.h5p-activity iframe")
    assert frame["sandbox"] == ["allow-scripts"]  # nothing else: no allow-same-origin
    # Loaded when the learner opens it (the lesson's weight budget): no src until then.
    assert frame["data-src"] == reverse(
        "courses:h5p:play", args=[world["lesson"].pk, world["block"]]
    )
    assert not frame.has_attr("src") and soup.select_one("button[data-h5p-open]")
    assert soup.select_one("#h5p-endpoints input[name=csrfmiddlewaretoken]")
    assert not soup.select("form[action$='/done/']")  # completed by the activity instead


def test_lesson_with_two_activities_needs_both(client, world):
    from wagtail.blocks import StreamValue

    from courses.models import LessonPage

    lesson = world["lesson"]
    raw = list(lesson.body.raw_data)
    second = str(uuid.uuid4())
    raw.append({**raw[-1], "id": second, "value": {**raw[-1]["value"], "pass_mark": 50}})
    lesson.body = StreamValue(LessonPage.body.field.stream_block, raw, is_lazy=True)
    lesson.save_revision().publish()
    client.force_login(world["learner"])
    first = post(client, world, scored(10)).json()
    assert first["completed"] is True
    progress = LessonProgress.objects.get()
    assert progress.completed_at is None  # the second activity is still to do
    other = {**world, "block": second}
    assert post(client, other, scored(6)).json()["completed"] is True
    progress.refresh_from_db()
    assert progress.completed_at is not None and progress.score == 80  # mean of 100 and 60


def attempted():
    return {**scored(5), "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted"}}


def test_withdrawn_learner_is_refused_from_the_next_statement_on(client, world):
    client.force_login(world["learner"])
    assert post(client, world, attempted()).status_code == 201
    Enrolment.objects.update(status=Enrolment.Status.WITHDRAWN)
    # Every statement, scoring or not, is stored only while the enrolment is active: the
    # check is part of its INSERT, so nothing remembered from earlier requests can let one in.
    for statement in (attempted(), scored(10)):
        response = post(client, world, statement)
        assert response.status_code == 403 and response.json()["code"] == "withdrawn"
    assert XAPIStatement.objects.count() == 1
    assert not H5PActivityProgress.objects.exists()
    Enrolment.objects.update(status=Enrolment.Status.ACTIVE)  # re-enrolled: accepted again
    assert post(client, world, attempted()).status_code == 201


def test_query_budget_per_statement(client, world, django_assert_num_queries):
    client.force_login(world["learner"])
    assert post(client, world, attempted()).status_code == 201  # caches the lesson's data
    # Not scoring: the session's user, then one INSERT ... SELECT that checks the enrolment
    # while it stores the row.
    with django_assert_num_queries(2):
        assert post(client, world, attempted()).status_code == 201
    # Scoring, the first time: the user; in a transaction (a savepoint inside the test's
    # own, 2 queries) the statement, the activity's upsert and the lesson's upsert.
    with django_assert_num_queries(6):
        assert post(client, world, scored(6)).json()["best"] == 60
    # A lower score changes neither the best score nor completion, and an equal one leaves
    # the lesson as the upsert returned it: the lesson's row is not written.
    lesson_row = LessonProgress.objects.values_list("score", "updated_at").get()
    for raw in (3, 6):
        with django_assert_num_queries(5):
            assert post(client, world, scored(raw)).json()["best"] == 60
    assert LessonProgress.objects.values_list("score", "updated_at").get() == lesson_row
    # A higher one changes the lesson: its upsert is back.
    with django_assert_num_queries(6):
        body = post(client, world, scored(7)).json()
    assert body["best"] == 70 and LessonProgress.objects.get().score == 70
    # The id RETURNING gave is the statement's (not the enrolment's, also in the INSERT): the
    # row it names is the one just sent. (Comparing with the enrolment's id is not enough: on
    # PostgreSQL the two sequences can meet, as they did once.)
    stored = XAPIStatement.objects.latest("pk")
    assert body["stored"] == stored.pk and stored.score_raw == 7
    activity = H5PActivityProgress.objects.get()
    assert (activity.attempts, activity.last_score, activity.seconds) == (4, 70, 48)


def test_an_equal_score_still_repairs_a_lesson_row_that_disagrees(client, world):
    """The lesson is skipped only when its row, as the upsert returned it, is already right."""
    client.force_login(world["learner"])
    post(client, world, scored(6))
    LessonProgress.objects.update(score=10)  # e.g. written before the lesson's activities changed
    post(client, world, scored(6))
    assert LessonProgress.objects.get().score == 60
    LessonProgress.objects.all().delete()
    post(client, world, scored(6))
    assert LessonProgress.objects.get().score == 60


def test_resume_state_row_is_scored_by_the_upsert(client, world):
    """The player may save state before the first answer: the upsert finds that row."""
    client.force_login(world["learner"])
    url = reverse("courses:h5p:state")
    body = {"lesson": world["lesson"].pk, "block": world["block"], "state": '{"a":1}'}
    assert client.post(url, json.dumps(body), content_type="application/json").status_code == 200
    assert post(client, world, scored(9)).json()["completed"] is True
    activity = H5PActivityProgress.objects.get()
    assert (activity.best_score, activity.attempts, activity.resume_state) == (90, 1, '{"a":1}')
    assert activity.completed_at is not None
    assert LessonProgress.objects.get().completed_at is not None
    assert Enrolment.objects.get().status == Enrolment.Status.COMPLETED


def test_refusals_are_in_vietnamese_by_default(client, world):
    client.force_login(world["learner"])
    statement = scored(5)
    del statement["actor"]
    response = post(client, world, statement)
    assert response.status_code == 400
    assert response.json() == {
        "error": "Bản ghi không có người thực hiện (actor).",
        "code": "missing_actor",
    }


def test_deleted_package_no_longer_blocks_the_lesson(client, world):
    from courses.models import H5PPackage, LessonPage

    H5PPackage.objects.all().delete()
    lesson = LessonPage.objects.get(pk=world["lesson"].pk)
    assert not lesson.has_required_activity  # "mark as done" is offered again
    client.force_login(world["learner"])
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert b"h5p-activity" not in response.content or b"<iframe" not in response.content
    assert post(client, world, scored(5)).status_code == 404
