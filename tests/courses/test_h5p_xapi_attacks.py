"""The xAPI endpoint as an attacker uses it: numbers JSON should not carry (NaN, Infinity,
1e309), out-of-range scores, wrong types at any level, bodies that are not JSON, too deep or
too large, and replayed statement ids. Each is refused with a reason (400, or 409 for an id
reused for other content), writes nothing, and never answers 500; a fuzzer checks the last
part over arbitrary statements."""

import json
import uuid

import pytest
from django.conf import settings
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from courses.h5p import views as h5p_views
from courses.models import H5PActivityProgress, LessonProgress, XAPIStatement
from courses.services import enrolment_create
from tests.factories import make_course, make_learner, make_unit

from .h5p_support import H5P_NEGATIVE, import_file, make_h5p_lesson
from .test_h5p_xapi import post, scored

pytestmark = pytest.mark.django_db


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


def raw_post(client, body: bytes | str):
    return client.post(reverse("courses:h5p:xapi"), body, content_type="application/json")


def body_text(world, statement_json: str) -> str:
    """A request body with the statement spliced in as text (json.dumps writes NaN only
    when asked, and cannot write 1e309 at all)."""
    return (
        f'{{"lesson": {world["lesson"].pk}, "block": "{world["block"]}", '
        f'"statement": {statement_json}}}'
    )


def nothing_written():
    return (
        not XAPIStatement.objects.exists()
        and not H5PActivityProgress.objects.exists()
        and not LessonProgress.objects.exists()
    )


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e309", "-1e309"])
@pytest.mark.parametrize("field", ["raw", "min", "max", "scaled"])
def test_non_finite_scores_are_refused(english, world, field, number):
    english.force_login(world["learner"])
    statement = json.dumps(scored(9)).replace(
        f'"{field}": {scored(9)["result"]["score"][field]}', f'"{field}": {number}'
    )
    assert number in statement
    response = raw_post(english, body_text(world, statement))
    assert response.status_code == 400
    assert response.json()["code"] == "non_finite_number"
    assert "not finite" in response.json()["error"]
    assert nothing_written()


@pytest.mark.parametrize("number", ["NaN", "Infinity", "1e309"])
def test_non_finite_numbers_anywhere_are_refused(english, world, number):
    """Outside the score too: the row's JSON must be storable (PostgreSQL's jsonb has no NaN)."""
    english.force_login(world["learner"])
    statement = scored(5)
    statement["result"]["extensions"] = {"http://x/e": "PLACEHOLDER"}
    text = json.dumps(statement).replace('"PLACEHOLDER"', number)
    response = raw_post(english, body_text(world, text))
    assert response.status_code == 400 and "not finite" in response.json()["error"]
    assert nothing_written()


def test_non_finite_python_floats_are_refused_by_the_parser_too():
    """statement_parse on its own (not only the endpoint's JSON reader) refuses them."""
    from django.core.exceptions import ValidationError

    from courses.h5p.xapi import statement_parse

    for value in (float("nan"), float("inf"), float("-inf"), 10**400):
        statement = scored(5)
        statement["result"]["score"]["raw"] = value
        with pytest.raises(ValidationError):
            statement_parse(statement)


@pytest.mark.parametrize(
    "score,word",
    [
        ({"scaled": 1.0000001}, "scaled"),
        ({"scaled": -1.5}, "scaled"),
        ({"scaled": True}, "scaled"),
        ({"raw": True, "max": 1}, "raw"),
        ({"raw": 5, "min": 0, "max": False}, "max"),
        ({"raw": -1, "min": 0, "max": 10}, "raw"),
        ({"raw": 10.5, "min": 0, "max": 10}, "raw"),
        ({"raw": 5, "min": 10, "max": 0}, "min"),
        ({"raw": [5]}, "raw"),
        ({"raw": {"value": 5}}, "raw"),
        ({"raw": "5"}, "raw"),
        ({"raw": None}, "raw"),
    ],
)
def test_out_of_range_and_mistyped_scores_are_refused(english, world, score, word):
    english.force_login(world["learner"])
    statement = scored(5)
    statement["result"]["score"] = score
    response = post(english, world, statement)
    assert response.status_code == 400
    assert word in response.json()["error"]
    assert nothing_written()


@pytest.mark.parametrize(
    "path,value,word",
    [
        (("actor",), [], "actor"),
        (("actor",), "someone", "actor"),
        (("actor", "mbox"), 42, "mbox"),
        (("actor", "member"), "all", "member"),
        (("actor", "account"), "hnuong", "account"),
        (("verb",), "answered", "verb"),
        (("verb", "id"), ["http://x"], "verb"),
        (("object",), [], "object"),
        (("object", "id"), 7, "object"),
        (("object", "objectType"), {"a": 1}, "objectType"),
        (("object", "definition"), "a question", "definition"),
        (("result",), [1], "result"),
        (("result", "score"), 5, "score"),
        (("result", "success"), "true", "success"),
        (("result", "completion"), 1, "completion"),
        (("result", "duration"), 12, "duration"),
        (("result", "duration"), "P", "duration"),
        (("context",), "parent", "context"),
        (("context", "contextActivities"), [], "contextActivities"),
        (("context", "contextActivities", "parent"), "http://x/p", "parent"),
        (("timestamp",), 1700000000, "timestamp"),
        (("timestamp",), "2026-13-45T10:00:00Z", "timestamp"),
        (("timestamp",), "0001-01-01T00:00:00+14:00", "timestamp"),
        (("timestamp",), "yesterday", "timestamp"),
        (("id",), 12345, "id"),
        (("id",), "not-a-uuid", "id"),
    ],
)
def test_wrong_types_at_any_level_are_refused(english, world, path, value, word):
    english.force_login(world["learner"])
    statement = scored(5)
    statement["context"] = {"contextActivities": {}}
    target = statement
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    response = post(english, world, statement)
    assert response.status_code == 400, response.content
    assert word in response.json()["error"]
    assert nothing_written()


@pytest.mark.parametrize(
    "body,code",
    [
        (b"[1, 2, 3]", "invalid_json"),
        (b'"a statement"', "invalid_json"),
        (b"null", "invalid_json"),
        (b"42", "invalid_json"),
        (b"", "invalid_json"),
        (b"{", "invalid_json"),
        (b'{"lesson": 1, "block": "b", "statement": {}}\xff', "invalid_json"),
        ('{"lesson": 1, "block": "b"}'.encode("utf-16"), "invalid_json"),
        (b"\xc3\x28", "invalid_json"),
        (b"[" * 100_000 + b"]" * 100_000, "too_deep"),
        (b"[" * 5_000 + b"]" * 5_000, "too_deep"),
        (b'{"a":' * 40 + b"1" + b"}" * 40, "too_deep"),
    ],
)
def test_malformed_bodies_are_refused(english, world, body, code):
    english.force_login(world["learner"])
    response = raw_post(english, body)
    assert response.status_code == 400
    assert response.json()["code"] == code and response.json()["error"]
    assert nothing_written()


def test_non_object_statements_and_names_are_refused(english, world):
    english.force_login(world["learner"])
    for statement in ([scored(5)], "x", 5, None, True):
        response = post(english, world, statement)
        assert response.status_code == 400 and "JSON object" in response.json()["error"]
    for lesson in (True, 1.5, [world["lesson"].pk], None, "1e3", "-1"):
        response = post(english, world, scored(5), lesson=lesson)
        assert response.status_code == 400 and response.json()["code"] == "no_lesson"
    # A lesson id beyond any database id is no lesson (SQLite and PostgreSQL would overflow).
    for lesson in (2**31, 10**30, "9" * 40):
        assert post(english, world, scored(5), lesson=lesson).status_code == 404
    for block in (None, 5, "", "b" * 65, ["x"]):
        response = post(english, world, scored(5), block=block)
        assert response.status_code == 400 and response.json()["code"] == "no_activity"
    assert nothing_written()


@pytest.mark.parametrize("text", ["\\u0000", "a\\ud800b", "\\udfff"])
def test_text_that_cannot_be_stored_is_refused(english, world, text):
    english.force_login(world["learner"])
    for where in ("value", "key"):
        statement = scored(5)
        statement["result"]["response"] = "PLACEHOLDER"
        dumped = json.dumps(statement)
        if where == "value":
            dumped = dumped.replace("PLACEHOLDER", text)
        else:
            dumped = dumped.replace('"response"', f'"{text}"')
        response = raw_post(english, body_text(world, dumped))
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_text"
    assert nothing_written()


def test_oversized_bodies_are_refused_before_reading(english, world, settings):
    english.force_login(world["learner"])
    statement = scored(5)
    statement["result"]["response"] = "x" * h5p_views.MAX_BODY_BYTES
    response = post(english, world, statement)
    assert response.status_code == 400 and response.json()["code"] == "too_large"
    assert "256 KB" in response.json()["error"]
    # Larger than Django's own limit: still our JSON answer, not Django's 400 page.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    statement["result"]["response"] = "x" * 2048
    response = post(english, world, statement)
    assert response.status_code == 400 and response.json()["code"] == "too_large"
    assert nothing_written()


def test_overflowing_durations_and_extreme_finite_scores_do_not_break(english, world):
    """Finite but extreme values are valid xAPI: stored, clamped, no overflow."""
    english.force_login(world["learner"])
    statement = scored(5)
    statement["result"]["duration"] = "P" + "9" * 400 + "D"
    statement["result"]["score"] = {"raw": -1e308, "min": -1e308, "max": 1e-308}
    assert post(english, world, statement).json()["score"] == 0
    row = XAPIStatement.objects.get()
    assert row.duration_seconds == 10 * 86400
    # A negative maximum gives no percentage from raw/max (it would read as 100%).
    statement["result"]["score"] = {"raw": -5, "min": -10, "max": -1}
    assert "score" not in post(english, world, statement).json()
    assert not H5PActivityProgress.objects.filter(completed_at__isnull=False).exists()


def with_id(statement, statement_id):
    statement["id"] = str(statement_id)
    return statement


def test_a_replayed_statement_is_not_counted_again(english, world):
    english.force_login(world["learner"])
    statement = with_id(scored(6), uuid.uuid4())
    first = post(english, world, statement)
    assert first.status_code == 201 and first.json()["best"] == 60
    for _ in range(3):  # a resend after a lost answer, or a script replaying it
        again = post(english, world, statement)
        assert again.status_code == 200
        assert again.json() == {"stored": first.json()["stored"], "duplicate": True}
    assert XAPIStatement.objects.count() == 1
    activity = H5PActivityProgress.objects.get()
    assert (activity.attempts, activity.seconds, activity.best_score) == (1, 12, 60)


def test_an_id_reused_for_other_content_is_a_conflict(english, world):
    english.force_login(world["learner"])
    statement_id = uuid.uuid4()
    statement = with_id(scored(6), statement_id)
    assert post(english, world, statement).status_code == 201
    # A forged higher score under the id of a counted statement: refused, nothing changes.
    forged = json.loads(json.dumps(statement))
    forged["result"]["score"].update(raw=10, scaled=1)
    response = post(english, world, forged)
    assert response.status_code == 409
    assert response.json()["code"] == "statement_conflict"
    assert str(statement_id) in response.json()["error"]
    assert "cannot be reused" in response.json()["error"]
    # The same content on another activity of the lesson is other content too.
    response = post(english, world, statement, block="other-block")
    assert response.status_code in (404, 409)
    assert XAPIStatement.objects.count() == 1
    activity = H5PActivityProgress.objects.get()
    assert (activity.attempts, activity.best_score, activity.completed_at) == (1, 60, None)
    assert LessonProgress.objects.get().completed_at is None


def test_ids_are_unique_in_the_whole_lrs(english, world):
    """xAPI: an id names one statement in the LRS. Another learner sending a used id gets
    the same 409 as anyone reusing an id (nothing about the first statement is revealed)
    and changes nothing."""
    other = make_learner(unit=make_unit("Kon Tum"), username="other")
    enrolment_create(user=other, course=world["course"])
    statement_id = uuid.uuid4()
    english.force_login(world["learner"])
    assert post(english, world, with_id(scored(6), statement_id)).status_code == 201
    english.force_login(other)
    response = post(english, world, with_id(scored(6), statement_id))
    assert response.status_code == 409 and response.json()["code"] == "statement_conflict"
    assert XAPIStatement.objects.filter(statement_id=statement_id).count() == 1
    assert not H5PActivityProgress.objects.filter(enrolment__user=other).exists()


def test_a_replay_after_withdrawal_is_refused_as_withdrawn(client, world):
    from courses.models import Enrolment

    client.force_login(world["learner"])
    statement_id = uuid.uuid4()
    assert post(client, world, with_id(scored(6), statement_id)).status_code == 201
    Enrolment.objects.update(status=Enrolment.Status.WITHDRAWN)
    response = post(client, world, with_id(scored(6), statement_id))
    assert response.status_code == 403 and response.json()["code"] == "withdrawn"


def test_refusal_reasons_are_translated(client, world):
    client.force_login(world["learner"])
    response = raw_post(client, body_text(world, json.dumps(scored(5)).replace("0.5", "NaN")))
    assert response.status_code == 400
    assert response.json()["error"] != (
        "The request contains a number that is not finite (NaN, Infinity or too large)."
    )
    assert "NaN" in response.json()["error"]


# -- fuzzing ------------------------------------------------------------------------------

json_leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(["http://adlnet.gov/expapi/verbs/answered", str(uuid.uuid4()), "PT5S"])
)
json_values = st.recursive(
    json_leaves,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@st.composite
def statements(draw):
    """Statements near the valid shape, with any part replaced by arbitrary JSON."""
    statement = scored(draw(st.integers(min_value=-5, max_value=15)))
    statement["context"] = {"contextActivities": {"parent": [{"id": "http://x/p"}]}}
    statement["id"] = str(uuid.uuid4())
    statement["timestamp"] = "2026-12-06T10:00:00+07:00"
    paths = [
        (),
        ("actor",),
        ("actor", "account"),
        ("verb",),
        ("verb", "id"),
        ("object",),
        ("object", "id"),
        ("object", "objectType"),
        ("result",),
        ("result", "score"),
        ("result", "score", "raw"),
        ("result", "score", "min"),
        ("result", "score", "max"),
        ("result", "score", "scaled"),
        ("result", "success"),
        ("result", "duration"),
        ("context",),
        ("context", "contextActivities"),
        ("context", "contextActivities", "parent"),
        ("id",),
        ("timestamp",),
    ]
    for path in draw(st.lists(st.sampled_from(paths), max_size=3)):
        value = draw(json_values)
        if not path:
            return value
        target = statement
        for key in path[:-1]:
            if not isinstance(target, dict) or not isinstance(target.get(key), dict):
                break
            target = target[key]
        else:
            if isinstance(target, dict):
                target[path[-1]] = value
    return statement


NUMBER_TEXT = st.sampled_from(["NaN", "Infinity", "-Infinity", "1e309", "-1e400", "1E999"])


@hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(statement=statements(), number=st.none() | NUMBER_TEXT)
def test_fuzzed_statements_never_answer_500(client, world, monkeypatch, statement, number):
    monkeypatch.setattr(h5p_views, "RATE_LIMIT", 10**9)
    client.force_login(world["learner"])
    before = XAPIStatement.objects.count()
    text = json.dumps(statement)
    if number is not None and "0.5" in text:
        text = text.replace("0.5", number, 1)
    # The test client raises the view's exception instead of answering 500.
    response = raw_post(client, body_text(world, text))
    assert response.status_code in (200, 201, 400, 409), response.content
    body = response.json()
    if response.status_code in (400, 409):
        assert body["error"] and body["code"]
        assert XAPIStatement.objects.count() == before
    elif response.status_code == 201:
        assert XAPIStatement.objects.count() == before + 1


@hypothesis_settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode()))
def test_fuzzed_bodies_never_answer_500(client, world, monkeypatch, body):
    monkeypatch.setattr(h5p_views, "RATE_LIMIT", 10**9)
    client.force_login(world["learner"])
    for url in (reverse("courses:h5p:xapi"), reverse("courses:h5p:state")):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code in (400, 404), response.content
    assert nothing_written()
