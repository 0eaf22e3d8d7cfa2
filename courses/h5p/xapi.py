"""Parsing the xAPI statements the H5P player sends (through the lesson page).

We are not a full LRS: a statement must have an actor, a verb with an IRI `id` and an object,
and an optional result whose score, success, completion and duration have the right types.
Who the statement is about comes from the session, never from `actor` (the sandboxed player
does not know the learner); the activity comes from the lesson block the lesson page names.
A statement whose `context.contextActivities.parent` is set is about a sub-question of a
container (a question set) and never counts towards the activity's score.

Everything here is input from a browser that anyone can script: a wrong type at any level, a
number JSON cannot carry (NaN, Infinity, an overflowing 1e309), text PostgreSQL cannot store
(a lone surrogate, NUL) or nesting deeper than a statement needs is a ValidationError with
the reason, never an exception further down.
"""

import json
import math
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

RAW_CAP_BYTES = 16 * 1024  # a statement's stored JSON; longer ones keep their core fields only

VERB_ANSWERED = "http://adlnet.gov/expapi/verbs/answered"
VERB_COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
VERB_PASSED = "http://adlnet.gov/expapi/verbs/passed"
VERB_FAILED = "http://adlnet.gov/expapi/verbs/failed"
SCORING_VERBS = {VERB_ANSWERED, VERB_COMPLETED, VERB_PASSED, VERB_FAILED}
# An attempt is counted once: H5P sends answered (or completed) and may add passed/failed.
ATTEMPT_VERBS = {VERB_ANSWERED, VERB_COMPLETED}

IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")
DURATION = re.compile(
    r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)
AGENT_IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
# The properties xAPI 1.0.3 defines for a statement; any other is refused (an LRS must).
STATEMENT_KEYS = frozenset(
    ("id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority")
    + ("version", "attachments")
)
VERB_VOIDED = "http://adlnet.gov/expapi/verbs/voided"
# Real statements nest about 8 levels (an interaction's definition); JSON deeper than this is
# refused before anything walks it recursively.
MAX_DEPTH = 32


@dataclass
class ParsedStatement:
    verb: str
    object_id: str
    statement_id: uuid.UUID | None
    score_raw: float | None
    score_max: float | None
    score_scaled: float | None
    success: bool | None
    completion: bool | None
    duration_seconds: int | None
    is_child: bool
    timestamp: datetime | None
    raw: dict
    raw_truncated: bool

    @property
    def percent(self) -> int | None:
        """The score as 0..100, from `scaled`, else raw/max; None without a score."""
        if self.score_scaled is not None:
            scaled = self.score_scaled
        elif self.score_raw is not None and self.score_max is not None and self.score_max > 0:
            scaled = self.score_raw / self.score_max  # may overflow to ±inf: clamped below
        else:
            return None
        return round(max(0.0, min(1.0, scaled)) * 100)

    @property
    def counts(self) -> bool:
        """A top-level statement that scores the activity."""
        return not self.is_child and self.verb in SCORING_VERBS and self.percent is not None


def _bad(message, code: str):
    return ValidationError(message, code=code)


def _number(value) -> float | None:
    """A finite number (not a boolean), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer too large for a float
        return None
    return number if math.isfinite(number) else None


def _reject_constant(name: str):
    raise ValueError(name)


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):  # 1e309 and the like overflow to inf
        raise ValueError(text)
    return number


def json_parse(body: bytes):
    """The request body as JSON: UTF-8, standard JSON only (no NaN or Infinity, no number
    that overflows a float), text storable everywhere, at most MAX_DEPTH levels deep."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _bad(_("The request is not valid UTF-8."), "invalid_json") from error
    try:
        data = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except RecursionError as error:
        raise _too_deep() from error
    except ValueError as error:  # also JSONDecodeError
        if text.strip() and _has_non_finite(text):
            raise _bad(
                _("The request contains a number that is not finite (NaN, Infinity or too large)."),
                "non_finite_number",
            ) from error
        raise _bad(_("The request is not valid JSON."), "invalid_json") from error
    json_check(data)
    return data


def _has_non_finite(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True  # standard parsing succeeded: our finite-number hooks refused it


def _too_deep() -> ValidationError:
    return _bad(
        _("The request is nested more than %(depth)s levels deep.") % {"depth": MAX_DEPTH},
        "too_deep",
    )


def _text_ok(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a "\\ud800" escape
        return False
    return True


def json_check(data) -> None:
    """Refuse JSON values that cannot be stored as they are: too deep, non-finite numbers,
    text with NUL or lone surrogates (in keys too). Iterative, so depth cannot overflow it."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _too_deep()
        if isinstance(value, dict):
            for key, item in value.items():
                if not _text_ok(key):
                    raise _bad_text()
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            if not _text_ok(value):
                raise _bad_text()
        elif isinstance(value, float) and not math.isfinite(value):
            raise _bad(
                _("The request contains a number that is not finite (NaN, Infinity or too large)."),
                "non_finite_number",
            )


def _bad_text() -> ValidationError:
    return _bad(
        _("The request contains text that is not valid Unicode (a NUL or a lone surrogate)."),
        "invalid_text",
    )


def _check_agent(agent, field: str) -> None:
    if not isinstance(agent, dict):
        raise _bad(_("%(field)s must be an object.") % {"field": field}, "invalid_actor")
    if agent.get("objectType") == "Group" and isinstance(agent.get("member"), list):
        for member in agent["member"]:
            _check_agent(member, field)
        return
    if "member" in agent and not isinstance(agent["member"], list):
        raise _bad(_("%(field)s.member must be a list.") % {"field": field}, "invalid_actor")
    ifis = [key for key in AGENT_IFIS if key in agent]
    if len(ifis) != 1:
        raise _bad(
            _("%(field)s must identify the agent in exactly one way (mbox, account, ...).")
            % {"field": field},
            "invalid_actor",
        )
    account = agent.get("account")
    if "account" in agent and not (
        isinstance(account, dict) and isinstance(account.get("name"), str) and account["name"]
    ):
        raise _bad(_("%(field)s: the account needs a name.") % {"field": field}, "invalid_actor")
    for key in ("mbox", "mbox_sha1sum", "openid", "name"):
        if key in agent and not isinstance(agent[key], str):
            raise _bad(
                _("%(field)s.%(key)s must be text.") % {"field": field, "key": key},
                "invalid_actor",
            )


def _check_object(obj) -> str:
    if not isinstance(obj, dict):
        raise _bad(_("The statement's object must be an object."), "invalid_object")
    kind = obj.get("objectType", "Activity")
    if kind in ("Agent", "Group"):
        _check_agent(obj, "object")
        return ""
    if not isinstance(kind, str):
        raise _bad(_("The statement's object has an unknown objectType."), "invalid_object")
    if "definition" in obj and not isinstance(obj["definition"], dict):
        raise _bad(_("The object's definition must be an object."), "invalid_object")
    if kind == "SubStatement":
        for key in ("actor", "verb", "object"):
            if key not in obj:
                raise _bad(
                    _("The sub-statement has no %(field)s.") % {"field": key}, "invalid_object"
                )
        return ""
    object_id = obj.get("id")
    if kind == "StatementRef":
        if not isinstance(object_id, str) or not _is_uuid(object_id):
            raise _bad(_("A statement reference needs a statement id."), "invalid_object")
        return object_id
    if kind != "Activity" or not isinstance(object_id, str) or not IRI.match(object_id):
        raise _bad(_("The statement's object needs an IRI id."), "invalid_object")
    return object_id[:2048]


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        return False
    return True


def _duration_seconds(value) -> int | None:
    if value is None:
        return None
    match = DURATION.match(value) if isinstance(value, str) else None
    if not match or value in ("P", "PT"):
        raise _bad(_("result.duration must be an ISO 8601 duration."), "invalid_result")
    parts = {key: float(val) for key, val in match.groupdict(default="0").items()}
    seconds = parts["d"] * 86400 + parts["h"] * 3600 + parts["m"] * 60 + parts["s"]
    return int(min(seconds, 10 * 86400))  # "P1e400" digits parse to inf: clamp first


def _is_child(context) -> bool:
    """Whether `context.contextActivities.parent` names a parent (an object or a list)."""
    if not isinstance(context, dict):
        raise _bad(_("context must be an object."), "invalid_context")
    activities = context.get("contextActivities", {})
    if not isinstance(activities, dict):
        raise _bad(_("context.contextActivities must be an object."), "invalid_context")
    parent = activities.get("parent")
    if parent is not None and not isinstance(parent, dict | list):
        raise _bad(
            _("context.contextActivities.parent must be an object or a list."), "invalid_context"
        )
    return bool(parent)


def _timestamp(value) -> datetime | None:
    """An ISO 8601 timestamp (UTC when it names no offset) that converts to UTC."""
    if value is None:
        return None
    message = _("timestamp must be an ISO 8601 date and time.")
    if not isinstance(value, str):
        raise _bad(message, "invalid_timestamp")
    try:
        parsed = parse_datetime(value)
        if parsed is None:
            raise ValueError(value)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)
    except (ValueError, OverflowError) as error:  # 2026-13-45, or year 1 at +14:00
        raise _bad(message, "invalid_timestamp") from error


def statement_parse(data, *, json_checked: bool = False) -> ParsedStatement:
    """Check one statement and pull out what we store; ValidationError says what is wrong.

    `json_checked`: the caller read it with `json_parse`, which already walked it with
    `json_check` (one walk per request on the hot path, about 20 µs)."""
    if not isinstance(data, dict):
        raise _bad(_("A statement must be a JSON object."), "invalid_statement")
    if not json_checked:
        json_check(data)
    unknown = data.keys() - STATEMENT_KEYS
    if unknown:
        raise _bad(
            _("The statement has a property xAPI does not define: %(name)s.")
            % {"name": sorted(unknown)[0][:64]},
            "unknown_property",
        )
    version = data.get("version")
    if version is not None and not (
        isinstance(version, str) and re.match(r"^1\.0(\.\d+)?$", version)
    ):
        raise _bad(_("The statement's version must be 1.0.x."), "invalid_version")
    for key, message in (
        ("actor", _("The statement has no actor.")),
        ("verb", _("The statement has no verb.")),
        ("object", _("The statement has no object.")),
    ):
        if key not in data:
            raise _bad(message, f"missing_{key}")
    _check_agent(data["actor"], "actor")
    verb = data["verb"]
    if (
        not isinstance(verb, dict)
        or not isinstance(verb.get("id"), str)
        or not IRI.match(verb["id"])
    ):
        raise _bad(_("The statement's verb needs an IRI id."), "invalid_verb")
    object_id = _check_object(data["object"])

    result = data.get("result", {})
    if not isinstance(result, dict):
        raise _bad(_("result must be an object."), "invalid_result")
    score = result.get("score", {})
    if not isinstance(score, dict):
        raise _bad(_("result.score must be an object."), "invalid_result")
    values = {}
    for key in ("raw", "min", "max", "scaled"):
        if key in score:
            values[key] = _number(score[key])
            if values[key] is None:
                raise _bad(
                    _("result.score.%(field)s must be a finite number.") % {"field": key},
                    "invalid_result",
                )
    scaled = values.get("scaled")
    if scaled is not None and not -1 <= scaled <= 1:
        raise _bad(_("result.score.scaled must be between -1 and 1."), "invalid_result")
    raw, low, high = values.get("raw"), values.get("min"), values.get("max")
    if low is not None and high is not None and low > high:
        raise _bad(_("result.score.min is larger than max."), "invalid_result")
    if raw is not None and ((low is not None and raw < low) or (high is not None and raw > high)):
        raise _bad(_("result.score.raw is outside min..max."), "invalid_result")
    for key in ("success", "completion"):
        if key in result and not isinstance(result[key], bool):
            raise _bad(
                _("result.%(field)s must be true or false.") % {"field": key}, "invalid_result"
            )
    duration = _duration_seconds(result.get("duration"))

    is_child = _is_child(data.get("context", {}))

    statement_id = data.get("id")
    if statement_id is not None and (
        not isinstance(statement_id, str) or not _is_uuid(statement_id)
    ):
        raise _bad(_("The statement id must be a UUID."), "invalid_statement")
    parsed_time = _timestamp(data.get("timestamp"))

    raw_json = json.dumps(data, ensure_ascii=False)
    truncated = len(raw_json.encode("utf-8")) > RAW_CAP_BYTES
    stored = data
    if truncated:  # keep what reports need; drop definitions, extensions, responses
        stored = {
            "actor": data["actor"] if len(json.dumps(data["actor"])) < 2048 else {},
            "verb": {"id": verb["id"]},
            "object": {"id": object_id},
            "result": {
                k: v
                for k, v in result.items()
                if k in ("score", "success", "completion", "duration")
            },
        }
    return ParsedStatement(
        verb=verb["id"][:255],
        object_id=object_id,
        statement_id=uuid.UUID(statement_id) if statement_id else None,
        score_raw=raw,
        score_max=high,
        score_scaled=scaled,
        success=result.get("success"),
        completion=result.get("completion"),
        duration_seconds=duration,
        is_child=is_child,
        timestamp=parsed_time,
        raw=stored,
        raw_truncated=truncated,
    )
