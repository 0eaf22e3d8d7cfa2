"""Shared set-up of the xAPI tests: a Gia Lai commune and a Kon Tum one with a learner
each, enrolled in a course with an H5P lesson; LRS clients; an HTTP helper for /xapi/; and an
independent check that a statement as served conforms to xAPI 1.0.3 (written from the spec,
not from our validator)."""

import base64
import json
import re
import uuid

import tincan
from django.conf import settings
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from courses.models import LrsClient
from courses.services import enrolment_create
from tests.factories import make_course, make_learner, make_unit
from tests.shared_data import shared

from .h5p_support import H5P_NEGATIVE, import_file, make_h5p_lesson

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def template(name: str) -> dict:
    return json.loads(shared("xapi", "lrs-conformance-v1_0_3-templates", name).read_text())


def captured(name: str) -> list[dict]:
    return json.loads(shared("xapi", "h5p-captured", name).read_text())


def make_world(settings, tmp_path) -> dict:
    """(Used by each test module's `world` fixture, which also asks for `home`.)"""
    settings.MEDIA_ROOT = tmp_path / "media"
    gia_lai = make_unit("Gia Lai")
    commune = make_unit("Xã Ia Grai", parent=gia_lai)
    kon_tum = make_unit("Kon Tum")
    learner = make_learner(unit=commune, username="hnuong")
    outsider = make_learner(unit=kon_tum, username="ktum")
    course = make_course("Tin học cơ bản", lessons=0, quiz=[])
    package = import_file(H5P_NEGATIVE / "valid2.h5p")
    lesson, block_id = make_h5p_lesson(course, package, pass_mark=80)
    enrolment_create(user=learner, course=course)
    enrolment_create(user=outsider, course=course)
    return {
        "gia_lai": gia_lai,
        "kon_tum": kon_tum,
        "learner": learner,
        "outsider": outsider,
        "course": course,
        "lesson": lesson,
        "block": block_id,
    }


def make_client(*units, name="Sở GD Gia Lai", read=True, write=True) -> tuple[LrsClient, str]:
    client = LrsClient(name=name, can_read=read, can_write=write)
    secret = client.set_new_secret()
    client.save()
    client.units.set(units)
    return client, secret


def auth(lrs_client: LrsClient, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{lrs_client.key}:{secret}".encode()).decode()


class Lrs:
    """Requests to /xapi/statements with a client's credentials and the version header."""

    def __init__(self, http, lrs_client, secret, version="1.0.3"):
        self.http, self.headers = http, {"HTTP_AUTHORIZATION": auth(lrs_client, secret)}
        if version:
            self.headers["HTTP_X_EXPERIENCE_API_VERSION"] = version

    def get(self, path="/xapi/statements", **params):
        return self.http.get(path, params, **self.headers)

    def post(self, body, *, raw: bytes | None = None):
        data = raw if raw is not None else json.dumps(body)
        return self.http.post(
            "/xapi/statements", data=data, content_type="application/json", **self.headers
        )

    def put(self, statement_id, body):
        return self.http.put(
            f"/xapi/statements?statementId={statement_id}",
            data=json.dumps(body),
            content_type="application/json",
            **self.headers,
        )


def player_post(http, world, statement, *, user=None):
    http.force_login(user or world["learner"])
    body = {"lesson": world["lesson"].pk, "block": world["block"], "statement": statement}
    return http.post(
        reverse("courses:h5p:xapi"), data=json.dumps(body), content_type="application/json"
    )


def _check_agent(agent, where):
    assert isinstance(agent, dict), where
    ifis = [k for k in ("mbox", "mbox_sha1sum", "openid", "account") if k in agent]
    if agent.get("objectType") == "Group" and not ifis:
        assert isinstance(agent.get("member"), list) and agent["member"], where
        return
    assert len(ifis) == 1, f"{where}: one inverse functional identifier"
    if ifis == ["account"]:
        assert set(agent["account"]) == {"homePage", "name"}, where
        assert re.match(r"^https?://", agent["account"]["homePage"]), where


def assert_conforms(statement: dict) -> None:
    """xAPI 1.0.3 (Data, section 2.4) for a statement an LRS returns; and Rustici's
    TinCanPython (`tincan`) reads it back into the same statement."""
    parsed = tincan.Statement.from_json(json.dumps(statement))
    assert str(parsed.id) == statement["id"]
    assert parsed.verb.id == statement["verb"]["id"]
    assert parsed.timestamp is not None and parsed.stored is not None
    assert parsed.authority is not None
    allowed = {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored"}
    allowed |= {"authority", "version", "attachments"}
    assert set(statement) <= allowed, set(statement) - allowed
    for required in ("id", "actor", "verb", "object", "timestamp", "stored", "authority"):
        assert required in statement, required
    assert UUID_RE.match(statement["id"]), "id: a lowercase UUID"
    for key in ("timestamp", "stored"):
        parsed = parse_datetime(statement[key])
        assert parsed is not None and parsed.tzinfo is not None, key
    assert statement.get("version", "1.0.0").startswith("1.0.")
    _check_agent(statement["actor"], "actor")
    _check_agent(statement["authority"], "authority")
    assert re.match(r"^[a-z][a-z0-9+.-]*:", statement["verb"]["id"]), "verb.id: an IRI"
    obj = statement["object"]
    if obj.get("objectType", "Activity") == "Activity":
        assert re.match(r"^[a-z][a-z0-9+.-]*:", obj["id"]), "object.id: an IRI"
        assert set(obj) <= {"objectType", "id", "definition"}
    score = statement.get("result", {}).get("score")
    if score:
        if "scaled" in score:
            assert -1 <= score["scaled"] <= 1
        if "raw" in score and "min" in score:
            assert score["raw"] >= score["min"]
        if "raw" in score and "max" in score:
            assert score["raw"] <= score["max"]


def public_url() -> str:
    return settings.LMS_PUBLIC_URL


def new_id() -> str:
    return str(uuid.uuid4())
