"""The xAPI 1.0.3 Statements resource (/xapi/statements) and what the H5P player stores.

ADL LRS conformance requirements (xAPI 1.0.3, adlnet/lrs-conformance-test-suite) covered
here, for the Statements resource (the suite's templates in ../shared/testdata are used as
statements):
- Every request names the version (X-Experience-API-Version, 400 without or
  with another major/minor); answers carry X-Experience-API-Version (test_version_header_*).
- Statements are stored with `id` (generated when absent, returned by POST), `stored`,
  `timestamp` (= stored when absent), `authority` (set by the LRS from the credentials,
  overriding the sender's) and `version` (test_post_*, test_captured_*).
- A statement with an id the LRS has: the same content is not stored twice (204/200); other
  content is 409 and changes nothing; PUT needs statementId (test_reused_id_*,
  test_put_*).
- Invalid statements are 400: no actor / verb / object, a verb without an IRI id, an agent
  with no or two identifiers, an account without homePage or name, an anonymous group
  without members, a sub-statement inside a sub-statement, context.revision/platform on an
  agent object, bad language maps, unknown properties, NaN/Infinity, scores outside their
  ranges, malformed timestamps, a wrong registration (test_invalid_*).
- GET: statementId and voidedStatementId return one statement (404 when it does not exist
  or is not the one asked for); they take no other filter but format/attachments (400).
  Filters agent (+related_agents), verb, activity (+related_activities), registration,
  since, until, limit, ascending, format=ids/exact/canonical; unknown parameters are 400;
  results are {"statements": [...], "more": "..."} with X-Experience-API-Consistent-Through; `more`
  pages through everything once (test_get_*, test_more_*).
- Voiding: a statement with verb voided and a StatementRef hides its target from lists and
  statementId, returns it by voidedStatementId; a voiding statement cannot be voided
  (test_voiding_*).
- Not covered (not built): attachments, the alternate request syntax, the other
  resources (state, activities, agents profiles).
"""

import json
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from certificates.models import Certificate
from courses.models import Enrolment, H5PActivityProgress, LessonProgress, XAPIStatement
from courses.xapi.identity import activity_iri, actor_name, actor_user_id
from tests.factories import tampered

from .xapi_support import (
    Lrs,
    assert_conforms,
    captured,
    make_client,
    make_world,
    new_id,
    player_post,
    public_url,
    template,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(home, settings, tmp_path):
    return make_world(settings, tmp_path)


@pytest.fixture
def lrs(client, world):
    lrs_client, secret = make_client(world["gia_lai"])
    return Lrs(client, lrs_client, secret)


def account(user) -> dict:
    return {
        "objectType": "Agent",
        "account": {"homePage": public_url(), "name": actor_name(user.pk)},
    }


def simple(actor=None, verb="http://adlnet.gov/expapi/verbs/experienced", **extra) -> dict:
    statement = {
        "actor": actor or template("agents/mbox.json"),
        "verb": {"id": verb, "display": {"vi-VN": "đã xem"}},
        "object": {"objectType": "Activity", "id": "http://example.com/activities/1"},
    }
    statement.update(extra)
    return statement


# --- statements from the H5P player, served conforming ------------------------------------


@pytest.mark.parametrize(
    "name", ["H5P.MultiChoice-1.14_statements.json", "H5P.TrueFalse-1.6_statements.json"]
)
def test_captured_statements_come_out_conforming(client, world, lrs, name):
    statements = captured(name)
    for statement in statements:
        assert player_post(client, world, statement).status_code == 201
    response = lrs.get(ascending="true")
    assert response.status_code == 200
    assert response["X-Experience-API-Version"] == "1.0.3"
    served = response.json()["statements"]
    assert len(served) == len(statements)
    expected_actor = account(world["learner"])
    for sent, statement in zip(statements, served, strict=True):
        assert_conforms(statement)
        # The learner's stable account, never the random id H5P made up, never an email.
        assert statement["actor"] == expected_actor
        assert sent["actor"]["account"]["name"] not in json.dumps(statement)
        assert "mbox" not in json.dumps(statement["actor"])
        assert statement["object"]["id"] == activity_iri(world["lesson"].pk, world["block"])
        assert statement["object"]["definition"] == sent["object"]["definition"]
        assert statement["verb"] == sent["verb"]
        assert statement.get("result") == sent.get("result")
        assert statement["timestamp"] == statement["stored"]  # H5P sends none
        assert statement["authority"]["account"]["homePage"] == public_url()
        assert statement["version"] == "1.0.0"
        assert uuid.UUID(statement["id"]).version == 4  # generated (time-ordered)
    # Each served id is the stored one, and names it for a single GET.
    single = lrs.get(statementId=served[-1]["id"])
    assert single.status_code == 200 and single.json() == served[-1]


def test_the_actor_is_stable_per_learner_and_opaque(client, world):
    statement = captured("H5P.TrueFalse-1.6_statements.json")[0]
    player_post(client, world, statement)
    player_post(client, world, {**statement, "actor": {"mbox": "mailto:giả@mạo.vn"}})
    player_post(client, world, statement, user=world["outsider"])
    names = [row.raw["actor"]["account"]["name"] for row in XAPIStatement.objects.order_by("pk")]
    assert names[0] == names[1] != names[2]
    assert actor_user_id(names[0]) == world["learner"].pk
    assert "hnuong" not in names[0]
    # A made-up or altered name names nobody.
    assert actor_user_id(names[0][:-1] + ("0" if names[0][-1] != "0" else "1")) is None
    assert actor_user_id("not-a-uuid") is None


def test_sub_questions_keep_their_sub_content_id_under_the_lesson_activity(client, world):
    statement = captured("H5P.MultiChoice-1.14_statements.json")[2]
    statement["object"]["definition"]["extensions"]["http://h5p.org/x-api/h5p-subContentId"] = (
        "abc-123"
    )
    statement["context"]["contextActivities"]["parent"] = [{"id": "http://127.0.0.1:8765/x"}]
    assert player_post(client, world, statement).status_code == 201
    raw = XAPIStatement.objects.get().raw
    activity = activity_iri(world["lesson"].pk, world["block"])
    assert raw["object"]["id"] == f"{activity}?subContentId=abc-123"
    assert raw["context"]["contextActivities"]["parent"] == [
        {"objectType": "Activity", "id": activity}
    ]
    assert_conforms(raw)


def test_the_player_timestamp_is_kept_in_utc(client, world):
    statement = {**captured("H5P.TrueFalse-1.6_statements.json")[0]}
    statement["timestamp"] = "2026-12-06T10:00:00.250+07:00"
    player_post(client, world, statement)
    row = XAPIStatement.objects.get()
    assert row.raw["timestamp"] == "2026-12-06T03:00:00.250Z"
    assert row.timestamp == parse_datetime("2026-12-06T03:00:00.250Z")


def test_unknown_top_level_properties_are_refused_by_the_player(client, world):
    statement = {**captured("H5P.TrueFalse-1.6_statements.json")[0], "score": 100}
    response = player_post(client, world, statement)
    assert response.status_code == 400 and response.json()["code"] == "unknown_property"


# --- version header and credentials ---------------------------------------------------------


@pytest.mark.parametrize("version", [None, "", "0.95", "2.0.0", "1.1.0", "1.0.3; x" * 4])
def test_version_header_is_required(client, world, version):
    lrs_client, secret = make_client(world["gia_lai"])
    response = Lrs(client, lrs_client, secret, version=version).get()
    assert response.status_code == 400
    assert response["X-Experience-API-Version"] == "1.0.3"


@pytest.mark.parametrize("version", ["1.0", "1.0.0", "1.0.3", "1.0.9"])
def test_version_header_accepts_1_0_x(lrs, version):
    lrs.headers["HTTP_X_EXPERIENCE_API_VERSION"] = version
    assert lrs.get().status_code == 200


def test_about_answers_without_credentials(client):
    response = client.get("/xapi/about")
    assert response.status_code == 200 and response.json() == {"version": ["1.0.3"]}


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer abc",
        "Basic !!!notbase64",
        "Basic " + "YWJjOmRlZg==",  # abc:def, no such client
    ],
)
def test_bad_credentials_are_401(client, world, header):
    headers = {"HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"}
    if header:
        headers["HTTP_AUTHORIZATION"] = header
    response = client.get("/xapi/statements", **headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="xAPI"'


def test_a_wrong_secret_or_an_inactive_client_is_401(client, world):
    lrs_client, secret = make_client(world["gia_lai"])
    assert Lrs(client, lrs_client, secret + "x").get().status_code == 401
    lrs_client.active = False
    lrs_client.save()
    assert Lrs(client, lrs_client, secret).get().status_code == 401


def test_permissions_are_per_client(client, world):
    reader, secret = make_client(world["gia_lai"], write=False)
    assert Lrs(client, reader, secret).post(simple()).status_code == 403
    writer, secret = make_client(world["gia_lai"], read=False)
    assert Lrs(client, writer, secret).get().status_code == 403
    assert Lrs(client, writer, secret).post(simple()).status_code == 200


# --- writing -------------------------------------------------------------------------------


def test_post_stores_with_id_stored_timestamp_authority_version(lrs):
    forged_authority = {"objectType": "Agent", "mbox": "mailto:admin@hocso.vn"}
    response = lrs.post(simple(authority=forged_authority))
    assert response.status_code == 200
    (statement_id,) = response.json()
    statement = lrs.get(statementId=statement_id).json()
    assert_conforms(statement)
    assert statement["id"] == statement_id
    assert statement["timestamp"] == statement["stored"]
    assert statement["authority"]["name"] == "Sở GD Gia Lai"  # the credentials', not sent
    assert statement["authority"]["account"]["name"].startswith("lrs-client:")
    assert statement["version"] == "1.0.0"


def test_post_a_batch_returns_ids_in_order(lrs):
    given = new_id()
    response = lrs.post([simple(), simple(id=given), simple()])
    assert response.status_code == 200
    ids = response.json()
    assert len(ids) == 3 and ids[1] == given and len(set(ids)) == 3
    assert XAPIStatement.objects.count() == 3


@pytest.mark.parametrize("name", [
    "statements/default.json", "statements/context.json",
    "statements/object_agent_default.json", "statements/object_group_default.json",
    "statements/object_statementref.json", "statements/object_substatement_default.json",
    "statements/result.json", "statements/unicode.json",
])  # fmt: skip
def test_conformance_templates_are_stored(lrs, name):
    statement = template(name)
    if statement.get("verb", {}).get("id") is None:
        statement["verb"] = template("verbs/default.json")
    response = lrs.post(statement)
    assert response.status_code == 200, response.content
    assert_conforms(lrs.get(statementId=response.json()[0]).json())


def test_reused_id_with_the_same_content_is_stored_once(lrs):
    statement = simple(id=new_id())
    assert lrs.post(statement).status_code == 200
    again = lrs.post(statement)
    assert again.status_code == 200 and again.json() == [statement["id"]]
    assert lrs.put(statement["id"], statement).status_code == 204
    assert XAPIStatement.objects.count() == 1


def test_reused_id_with_other_content_is_409_and_changes_nothing(lrs):
    statement = simple(id=new_id())
    lrs.post(statement)
    stored = XAPIStatement.objects.get().raw
    other = {**statement, "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"}}
    assert lrs.post(other).status_code == 409
    assert lrs.put(statement["id"], other).status_code == 409
    # In a batch: nothing of the batch is stored.
    assert lrs.post([simple(), other]).status_code == 409
    assert XAPIStatement.objects.count() == 1 and XAPIStatement.objects.get().raw == stored


def test_an_id_the_player_used_cannot_be_taken_by_a_client(client, world, lrs):
    statement_id = new_id()
    statement = {**captured("H5P.TrueFalse-1.6_statements.json")[0], "id": statement_id}
    assert player_post(client, world, statement).status_code == 201
    assert lrs.post(simple(id=statement_id)).status_code == 409


def test_put_needs_the_statement_id(lrs, client):
    statement_id = new_id()
    assert lrs.put(statement_id, simple()).status_code == 204
    assert XAPIStatement.objects.get().statement_id.hex == statement_id.replace("-", "")
    assert lrs.put("not-a-uuid", simple()).status_code == 400
    assert lrs.put(new_id(), simple(id=new_id())).status_code == 400  # body id differs
    response = client.put(
        "/xapi/statements", data=json.dumps(simple()), content_type="application/json",
        **lrs.headers,
    )  # fmt: skip
    assert response.status_code == 400


INVALID = {
    "statements/no_actor.json": None,
    "statements/no_verb.json": None,
    "statements/no_object.json": None,
    "statements/object_statementref_no_id.json": None,
    # Templates the suite fills in before use: as they stand, an agent without identifier
    # and an empty sub-statement.
    "statements/actor.json": None,
    "statements/object_substatement.json": None,
}


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_conformance_templates_are_400(lrs, name):
    response = lrs.post(template(name))
    assert response.status_code == 400 and response.json()["error"]
    assert not XAPIStatement.objects.exists()


def _invalid_cases():
    def agent(name):
        return lambda s: s.update(actor=template(f"agents/{name}.json"))

    def group(name):
        return lambda s: s.update(actor=template(f"groups/{name}.json"))

    return {
        "verb without id": lambda s: s.update(verb={"display": {"en-US": "x"}}),
        "verb id not an IRI": lambda s: s.update(verb={"id": "not an iri"}),
        "account without homePage": agent("account_no_homepage"),
        "account without name": agent("account_no_name"),
        "anonymous group without members": group("anonymous_no_member"),
        "two identifiers": lambda s: s["actor"].update(openid="http://openid.example.org/1"),
        "mbox without mailto": lambda s: s["actor"].update(mbox="xapi@adlnet.gov"),
        "bad sha1": lambda s: s.update(actor={"mbox_sha1sum": "xyz"}),
        "unknown top-level": lambda s: s.update(colour="red"),
        "unknown actor property": lambda s: s["actor"].update(age=3),
        "display not a language map": lambda s: s["verb"].update(display={"en US": "x"}),
        "display value not text": lambda s: s["verb"].update(display={"en-US": 3}),
        "object without id": lambda s: s.update(object={"objectType": "Activity"}),
        "unknown interaction type": lambda s: s["object"].update(
            definition={"interactionType": "essay"}
        ),
        "scaled > 1": lambda s: s.update(result={"score": {"scaled": 1.5}}),
        "raw > max": lambda s: s.update(result={"score": {"raw": 11, "max": 10}}),
        "min > max": lambda s: s.update(result={"score": {"min": 5, "max": 1}}),
        "success not boolean": lambda s: s.update(result={"success": "yes"}),
        "bad duration": lambda s: s.update(result={"duration": "12 seconds"}),
        "bad timestamp": lambda s: s.update(timestamp="2026-13-45T10:00:00Z"),
        "timestamp not text": lambda s: s.update(timestamp=1700000000),
        "id not a UUID": lambda s: s.update(id="123"),
        "registration not a UUID": lambda s: s.update(context={"registration": "abc"}),
        "revision on an agent object": lambda s: s.update(
            object=template("agents/mbox.json"), context={"revision": "1"}
        ),
        "sub-statement in a sub-statement": lambda s: s.update(
            object={
                "objectType": "SubStatement",
                "actor": template("agents/mbox.json"),
                "verb": {"id": "http://adlnet.gov/expapi/verbs/x"},
                "object": {
                    "objectType": "SubStatement",
                    "actor": template("agents/mbox.json"),
                    "verb": {"id": "http://adlnet.gov/expapi/verbs/x"},
                    "object": {"id": "http://example.com/a"},
                },
            }
        ),
        "contextActivities with an unknown key": lambda s: s.update(
            context={"contextActivities": {"sibling": {"id": "http://example.com/a"}}}
        ),
        "version 2.0": lambda s: s.update(version="2.0.0"),
        "attachments": lambda s: s.update(
            attachments=[{"usageType": "http://x", "display": {}, "contentType": "text/plain"}]
        ),
    }


@pytest.mark.parametrize("case", sorted(_invalid_cases()))
def test_invalid_statements_are_400_with_the_reason(lrs, case):
    statement = simple(actor=template("agents/mbox.json"))
    _invalid_cases()[case](statement)
    response = lrs.post(statement)
    assert response.status_code == 400, case
    assert response.json()["error"]
    assert not XAPIStatement.objects.exists()


@pytest.mark.parametrize(
    "body",
    [b"{", b"[1, 2", b'{"actor": NaN}', b"\xff\xfe", b'"a string"', b"[]", b"[[]]"],
)
def test_malformed_json_is_400(lrs, body):
    assert lrs.post(None, raw=body).status_code == 400


def test_non_finite_numbers_are_400(lrs):
    text = json.dumps(simple(result={"score": {"raw": 1, "max": 2}})).replace(
        '"raw": 1', '"raw": Infinity'
    )
    assert lrs.post(None, raw=text.encode()).status_code == 400
    text = text.replace("Infinity", "1e999")
    assert lrs.post(None, raw=text.encode()).status_code == 400


def test_huge_requests_are_413(lrs):
    statement = simple(result={"response": "x" * (1024 * 1024)})
    response = lrs.post(statement)
    assert response.status_code == 413
    assert not XAPIStatement.objects.exists()


def test_a_statement_about_a_learner_outside_the_units_is_403(lrs, world):
    response = lrs.post(simple(actor=account(world["outsider"])))
    assert response.status_code == 403
    assert lrs.post(simple(actor=account(world["learner"]))).status_code == 200


def test_a_forged_account_on_our_home_page_is_400(lrs):
    forged = {"account": {"homePage": public_url(), "name": new_id()}}
    response = lrs.post(simple(actor=forged))
    assert response.status_code == 400


# --- records only --------------------------------------------------------------------------


def test_statements_from_clients_never_complete_lessons_or_certify(lrs, world):
    activity = activity_iri(world["lesson"].pk, world["block"])
    for verb in ("completed", "passed"):
        statement = simple(
            actor=account(world["learner"]),
            verb=f"http://adlnet.gov/expapi/verbs/{verb}",
            object={"objectType": "Activity", "id": activity},
            result={"score": {"scaled": 1, "raw": 10, "min": 0, "max": 10}, "success": True,
                    "completion": True},
        )  # fmt: skip
        assert lrs.post(statement).status_code == 200
    assert XAPIStatement.objects.filter(client__isnull=False).count() == 2
    assert not H5PActivityProgress.objects.exists()
    assert not LessonProgress.objects.exists()
    enrolment = Enrolment.objects.get(user=world["learner"])
    assert enrolment.completed_at is None and enrolment.progress == 0
    assert not Certificate.objects.exists()


# --- reading -------------------------------------------------------------------------------


def test_a_client_sees_only_its_units_and_its_own(client, world, lrs):
    statement = captured("H5P.TrueFalse-1.6_statements.json")[0]
    player_post(client, world, statement)
    player_post(client, world, statement, user=world["outsider"])
    own = lrs.post(simple()).json()[0]
    other, secret = make_client(world["kon_tum"], name="Kon Tum")
    foreign = Lrs(client, other, secret).post(simple()).json()[0]
    served = lrs.get().json()["statements"]
    ids = {s["id"] for s in served}
    assert len(served) == 2 and own in ids and foreign not in ids
    assert {s["actor"].get("account", {}).get("name") for s in served} >= {
        actor_name(world["learner"].pk)
    }
    outsider_row = XAPIStatement.objects.get(user=world["outsider"])
    assert lrs.get(statementId=str(outsider_row.statement_id)).status_code == 404
    assert lrs.get(statementId=foreign).status_code == 404


def test_an_agent_query_outside_the_units_finds_nothing(client, world, lrs):
    player_post(client, world, captured("H5P.TrueFalse-1.6_statements.json")[0],
                user=world["outsider"])  # fmt: skip
    response = lrs.get(agent=json.dumps(account(world["outsider"])))
    assert response.status_code == 200 and response.json()["statements"] == []


def test_get_filters(client, world, lrs):
    for statement in captured("H5P.MultiChoice-1.14_statements.json"):
        player_post(client, world, statement)
    lrs.post(simple(actor=template("agents/mbox.json")))
    answered = "http://adlnet.gov/expapi/verbs/answered"
    activity = activity_iri(world["lesson"].pk, world["block"])

    def count(**params):
        response = lrs.get(**params)
        assert response.status_code == 200, response.content
        assert parse_datetime(response["X-Experience-API-Consistent-Through"]) is not None
        return len(response.json()["statements"])

    assert count() == 4
    assert count(verb=answered) == 1
    assert count(activity=activity) == 3
    assert count(activity=activity, related_activities="true") == 3
    assert count(agent=json.dumps(account(world["learner"]))) == 3
    assert count(agent=json.dumps({"mbox": "mailto:xapi@adlnet.gov"})) == 1
    assert count(agent=json.dumps(account(world["learner"])), verb=answered) == 1
    instructor = {"mbox": "mailto:giangvien@example.com"}
    lrs.post(simple(context={"instructor": instructor}))
    assert count(agent=json.dumps(instructor)) == 0
    assert count(agent=json.dumps(instructor), related_agents="true") == 1
    assert count(agent=json.dumps({"mbox": "mailto:xapi@adlnet.gov"}), related_agents="true") == 2
    later = timezone.now() + timedelta(minutes=1)
    assert count(since=later.isoformat()) == 0
    assert count(until=later.isoformat()) == 5
    assert count(limit="1") == 1
    ids = lrs.get(format="ids", verb=answered).json()["statements"][0]
    assert ids["verb"] == {"id": answered}
    assert set(ids["object"]) == {"id", "objectType"}
    assert set(ids["actor"]) == {"objectType", "account"}
    canonical = lrs.get(verb=answered, format="canonical").json()["statements"][0]
    assert len(canonical["verb"]["display"]) == 1


@pytest.mark.parametrize(
    "params",
    [
        {"colour": "red"},
        {"format": "full"},
        {"limit": "-1"},
        {"limit": "ten"},
        {"ascending": "yes"},
        {"since": "yesterday"},
        {"agent": "not json"},
        {"agent": json.dumps({"name": "no identifier"})},
        {"statementId": "not-a-uuid"},
        {"statementId": "00000000-0000-4000-8000-000000000000", "verb": "http://x/y"},
        {"registration": "abc"},
    ],
)
def test_bad_query_parameters_are_400(lrs, params):
    assert lrs.get(**params).status_code == 400


def test_more_pages_through_everything_once(lrs):
    ids = lrs.post([simple() for _ in range(7)]).json()
    for ascending in ("true", "false"):
        seen, response = [], lrs.get(limit="3", ascending=ascending)
        pages = 0
        while True:
            body = response.json()
            seen += [s["id"] for s in body["statements"]]
            pages += 1
            if not body["more"]:
                break
            assert body["more"].startswith("/xapi/statements?more=")
            response = lrs.http.get(body["more"], **lrs.headers)
            assert response.status_code == 200
        assert pages == 3 and sorted(seen) == sorted(ids) and len(set(seen)) == 7
        if ascending == "true":
            assert seen == ids  # stored together: in id order


def test_more_tokens_cannot_be_tampered_with_or_shared(client, world, lrs):
    lrs.post([simple() for _ in range(3)])
    more = lrs.get(limit="1").json()["more"]
    token = more.split("more=", 1)[1]
    forged = tampered(token)
    assert lrs.get(more=forged).status_code == 400
    assert lrs.get(more=token, limit="5").status_code == 400  # more stands alone
    other, secret = make_client(world["kon_tum"], name="Kon Tum")
    assert Lrs(client, other, secret).get(more=token).status_code == 400
    assert lrs.get(more=token).status_code == 200


def test_voiding_hides_the_target(lrs):
    target = lrs.post(simple()).json()[0]
    voiding = template("statements/voiding.json")
    voiding["object"]["id"] = target
    voiding_id = lrs.post(voiding).json()[0]
    assert lrs.get(statementId=target).status_code == 404
    assert lrs.get(voidedStatementId=target).json()["id"] == target
    listed = [s["id"] for s in lrs.get().json()["statements"]]
    assert target not in listed and voiding_id in listed
    # A voiding statement cannot be voided.
    again = template("statements/voiding.json")
    again["object"]["id"] = voiding_id
    assert lrs.post(again).status_code == 400
    assert lrs.get(voidedStatementId=voiding_id).status_code == 404


def test_voiding_a_statement_out_of_scope_is_403(client, world, lrs):
    other, secret = make_client(world["kon_tum"], name="Kon Tum")
    target = Lrs(client, other, secret).post(simple()).json()[0]
    voiding = template("statements/voiding.json")
    voiding["object"]["id"] = target
    assert lrs.post(voiding).status_code == 403
    assert not XAPIStatement.objects.get(statement_id=target).voided


def test_the_player_cannot_void(client, world):
    voiding = template("statements/voiding.json")
    response = player_post(client, world, voiding)
    assert response.status_code == 400


def test_get_statements_query_budget(client, world, lrs, django_assert_num_queries):
    lrs.post([simple() for _ in range(5)])
    # 1 the client's credentials, 1 the page (scope as an EXISTS in the same query)
    with django_assert_num_queries(2):
        assert len(lrs.get().json()["statements"]) == 5
