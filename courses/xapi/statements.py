"""Whole statements as xAPI 1.0.3 states them, for what LRS clients send and read.

`statement_validate` takes what `courses.h5p.xapi.statement_parse` checks on every
statement (actor with one identifier, verb IRI, object, score ranges including NaN and
Infinity, timestamp, known top-level properties, version) and adds the rules of the spec's
data model that an LRS must enforce: agent and group shapes, mailto/sha1/IRI forms,
language maps, activity definitions, context properties, sub-statements and statement
references. It raises ValidationError with the reason (the resource answers 400).

`statement_format` gives the `ids`, `exact` and `canonical` forms a GET may ask for.
"""

import re
import uuid

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from courses.h5p.xapi import IRI, ParsedStatement, statement_parse

LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
SHA1 = re.compile(r"^[0-9a-fA-F]{40}$")
INTERACTION_TYPES = frozenset(
    ("true-false", "choice", "fill-in", "long-fill-in", "matching", "performance")
    + ("sequencing", "likert", "numeric", "other")
)
CONTEXT_ACTIVITY_KEYS = frozenset(("parent", "grouping", "category", "other"))
CONTEXT_KEYS = frozenset(
    ("registration", "instructor", "team", "contextActivities", "revision", "platform")
    + ("language", "statement", "extensions")
)
ACTIVITY_DEFINITION_KEYS = frozenset(
    ("name", "description", "type", "moreInfo", "extensions", "interactionType")
    + ("correctResponsesPattern", "choices", "scale", "source", "target", "steps")
)
RESULT_KEYS = frozenset(("score", "success", "completion", "response", "duration", "extensions"))
AGENT_KEYS = frozenset(("objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"))
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")


def _bad(message: str, code: str = "invalid_statement") -> ValidationError:
    return ValidationError(message, code=code)


def _uuid(value) -> bool:
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _iri(value) -> bool:
    return isinstance(value, str) and bool(IRI.match(value))


def _language_map(value, where: str) -> None:
    if not isinstance(value, dict):
        raise _bad(_("%(where)s must be a language map.") % {"where": where})
    for tag, text in value.items():
        if not LANGUAGE_TAG.match(tag) or not isinstance(text, str):
            raise _bad(
                _("%(where)s: %(tag)s is not a language tag with a text.")
                % {"where": where, "tag": tag[:32]}
            )


def _extensions(value, where: str) -> None:
    if not isinstance(value, dict) or not all(_iri(key) for key in value):
        raise _bad(_("%(where)s must be an object whose keys are IRIs.") % {"where": where})


def _only(value: dict, allowed: frozenset, where: str) -> None:
    unknown = value.keys() - allowed
    if unknown:
        raise _bad(
            _("%(where)s has a property xAPI does not define: %(name)s.")
            % {"where": where, "name": sorted(unknown)[0][:64]}
        )


def _agent(value, where: str, *, group_allowed: bool = True) -> None:
    if not isinstance(value, dict):
        raise _bad(_("%(where)s must be an object.") % {"where": where})
    kind = value.get("objectType", "Agent")
    if kind == "Group" and group_allowed:
        _only(value, AGENT_KEYS | {"member"}, where)
        members = value.get("member")
        if members is not None:
            if not isinstance(members, list):
                raise _bad(_("%(where)s.member must be a list.") % {"where": where})
            for member in members:
                _agent(member, where + ".member", group_allowed=False)
        ifis = [key for key in IFIS if key in value]
        if len(ifis) > 1 or (not ifis and not members):
            raise _bad(
                _("%(where)s: a group has one identifier, or none and members.") % {"where": where}
            )
        if ifis:
            _ifi(value, ifis[0], where)
        return
    if kind != "Agent":
        raise _bad(_("%(where)s has an unknown objectType.") % {"where": where})
    _only(value, AGENT_KEYS, where)
    ifis = [key for key in IFIS if key in value]
    if len(ifis) != 1:
        raise _bad(
            _("%(where)s must identify the agent in exactly one way (mbox, account, ...).")
            % {"where": where}
        )
    _ifi(value, ifis[0], where)
    if "name" in value and not isinstance(value["name"], str):
        raise _bad(_("%(where)s.name must be text.") % {"where": where})


def _ifi(value: dict, ifi: str, where: str) -> None:
    found = value[ifi]
    ok = {
        "mbox": lambda v: isinstance(v, str) and v.startswith("mailto:") and "@" in v,
        "mbox_sha1sum": lambda v: isinstance(v, str) and bool(SHA1.match(v)),
        "openid": _iri,
        "account": lambda v: (
            isinstance(v, dict)
            and set(v) == {"homePage", "name"}
            and _iri(v["homePage"])
            and isinstance(v["name"], str)
            and bool(v["name"])
        ),
    }[ifi](found)
    if not ok:
        raise _bad(_("%(where)s.%(ifi)s is not valid.") % {"where": where, "ifi": ifi})


def _activity(value, where: str) -> None:
    if not isinstance(value, dict):
        raise _bad(_("%(where)s must be an object.") % {"where": where})
    _only(value, frozenset(("objectType", "id", "definition")), where)
    if value.get("objectType", "Activity") != "Activity" or not _iri(value.get("id")):
        raise _bad(_("%(where)s must be an activity with an IRI id.") % {"where": where})
    definition = value.get("definition")
    if definition is None:
        return
    if not isinstance(definition, dict):
        raise _bad(_("%(where)s.definition must be an object.") % {"where": where})
    _only(definition, ACTIVITY_DEFINITION_KEYS, where + ".definition")
    for key in ("name", "description"):
        if key in definition:
            _language_map(definition[key], f"{where}.definition.{key}")
    for key in ("type", "moreInfo"):
        if key in definition and not _iri(definition[key]):
            raise _bad(
                _("%(where)s.definition.%(key)s must be an IRI.") % {"where": where, "key": key}
            )
    if "extensions" in definition:
        _extensions(definition["extensions"], where + ".definition.extensions")
    kind = definition.get("interactionType")
    if kind is not None and kind not in INTERACTION_TYPES:
        raise _bad(_("%(where)s has an unknown interactionType.") % {"where": where})
    pattern = definition.get("correctResponsesPattern")
    if pattern is not None and not (
        isinstance(pattern, list) and all(isinstance(item, str) for item in pattern)
    ):
        raise _bad(
            _("%(where)s.correctResponsesPattern must be a list of texts.") % {"where": where}
        )
    for key in ("choices", "scale", "source", "target", "steps"):
        components = definition.get(key)
        if components is None:
            continue
        if kind is None or not isinstance(components, list):
            raise _bad(
                _("%(where)s.definition.%(key)s is not valid.") % {"where": where, "key": key}
            )
        for component in components:
            if not isinstance(component, dict) or not isinstance(component.get("id"), str):
                raise _bad(
                    _("%(where)s.definition.%(key)s is not valid.") % {"where": where, "key": key}
                )
            _only(component, frozenset(("id", "description")), f"{where}.definition.{key}")
            if "description" in component:
                _language_map(component["description"], f"{where}.definition.{key}")


def _object(value, where: str, *, sub: bool = False) -> str:
    kind = value.get("objectType", "Activity")
    if kind == "Activity":
        _activity(value, where)
    elif kind in ("Agent", "Group"):
        _agent(value, where)
    elif kind == "StatementRef":
        _only(value, frozenset(("objectType", "id")), where)
        if not _uuid(value.get("id")):
            raise _bad(_("A statement reference needs a statement id."))
    elif kind == "SubStatement" and not sub:
        _only(
            value,
            frozenset(("objectType", "actor", "verb", "object", "result", "context", "timestamp")),
            where,
        )
        _statement_body(value, where, sub=True)
    else:
        raise _bad(_("%(where)s has an unknown objectType.") % {"where": where})
    return kind


def _statement_body(data: dict, where: str, *, sub: bool) -> None:
    for key in ("actor", "verb", "object"):
        if not isinstance(data.get(key), dict):
            raise _bad(_("%(where)s has no %(field)s.") % {"where": where, "field": key})
    _agent(data["actor"], where + ".actor")
    verb = data["verb"]
    _only(verb, frozenset(("id", "display")), where + ".verb")
    if not _iri(verb.get("id")):
        raise _bad(_("The statement's verb needs an IRI id."))
    if "display" in verb:
        _language_map(verb["display"], where + ".verb.display")
    kind = _object(data["object"], where + ".object", sub=sub)
    result = data.get("result")
    if result is not None:
        if not isinstance(result, dict):
            raise _bad(_("result must be an object."))
        _only(result, RESULT_KEYS, where + ".result")
        score = result.get("score")
        if score is not None:
            _only(score, frozenset(("scaled", "raw", "min", "max")), where + ".result.score")
        if "response" in result and not isinstance(result["response"], str):
            raise _bad(_("result.response must be text."))
        if "extensions" in result:
            _extensions(result["extensions"], where + ".result.extensions")
    context = data.get("context")
    if context is not None:
        _context(context, where + ".context", object_kind=kind)


def _context(context, where: str, *, object_kind: str) -> None:
    if not isinstance(context, dict):
        raise _bad(_("context must be an object."))
    _only(context, CONTEXT_KEYS, where)
    if "registration" in context and not _uuid(context["registration"]):
        raise _bad(_("context.registration must be a UUID."))
    if "instructor" in context:
        _agent(context["instructor"], where + ".instructor")
    if "team" in context:
        team = context["team"]
        if not isinstance(team, dict) or team.get("objectType") != "Group":
            raise _bad(_("context.team must be a group."))
        _agent(team, where + ".team")
    # revision and platform describe an activity: not allowed when the object is not one
    for key in ("revision", "platform", "language"):
        if key in context and not isinstance(context[key], str):
            raise _bad(_("context.%(key)s must be text.") % {"key": key})
        if key in ("revision", "platform") and key in context and object_kind != "Activity":
            raise _bad(
                _("context.%(key)s is only allowed when the object is an activity.") % {"key": key}
            )
    if "language" in context and not LANGUAGE_TAG.match(context["language"]):
        raise _bad(_("context.language must be a language tag."))
    if "statement" in context:
        ref = context["statement"]
        if (
            not isinstance(ref, dict)
            or ref.get("objectType") != "StatementRef"
            or not _uuid(ref.get("id"))
        ):
            raise _bad(_("context.statement must be a statement reference."))
    if "extensions" in context:
        _extensions(context["extensions"], where + ".extensions")
    activities = context.get("contextActivities")
    if activities is not None:
        if not isinstance(activities, dict):
            raise _bad(_("context.contextActivities must be an object."))
        _only(activities, CONTEXT_ACTIVITY_KEYS, where + ".contextActivities")
        for key, value in activities.items():
            for activity in value if isinstance(value, list) else [value]:
                _activity(activity, f"{where}.contextActivities.{key}")


def statement_validate(data) -> ParsedStatement:
    """The statement checked against the spec's rules; ValidationError says what is wrong."""
    parsed = statement_parse(data, json_checked=True)  # the core rules, and what we store
    if "attachments" in data:
        raise _bad(
            _("Statements with attachments are not accepted here."), "attachments_unsupported"
        )
    _statement_body(data, "statement", sub=False)
    return parsed


# --- formats -----------------------------------------------------------------------------


def _agent_ids(agent):
    if not isinstance(agent, dict):
        return agent
    kept = {k: v for k, v in agent.items() if k in (*IFIS, "objectType")}
    if "member" in agent and agent.get("objectType") == "Group":
        kept["member"] = [_agent_ids(m) for m in agent["member"]]
    return kept


def _activity_ids(activity):
    if not isinstance(activity, dict):
        return activity
    return {k: v for k, v in activity.items() if k in ("id", "objectType")}


def _ids(statement: dict) -> dict:
    out = dict(statement)
    out["actor"] = _agent_ids(statement.get("actor"))
    if "verb" in statement:
        out["verb"] = {"id": statement["verb"].get("id")}
    obj = statement.get("object") or {}
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        out["object"] = _activity_ids(obj)
    elif kind in ("Agent", "Group"):
        out["object"] = _agent_ids(obj)
    elif kind == "SubStatement":
        out["object"] = _ids(obj)
    if "authority" in statement:
        out["authority"] = _agent_ids(statement["authority"])
    context = statement.get("context")
    if isinstance(context, dict):
        context = dict(context)
        for key in ("instructor", "team"):
            if key in context:
                context[key] = _agent_ids(context[key])
        activities = context.get("contextActivities")
        if isinstance(activities, dict):
            context["contextActivities"] = {
                key: [_activity_ids(a) for a in value]
                if isinstance(value, list)
                else _activity_ids(value)
                for key, value in activities.items()
            }
        out["context"] = context
    return out


def _canonical(value, languages: list[str]):
    """Every language map reduced to the one best language for the reader."""
    if isinstance(value, list):
        return [_canonical(item, languages) for item in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        if (
            key in ("display", "name", "description")
            and isinstance(item, dict)
            and item
            and all(isinstance(text, str) for text in item.values())
        ):
            out[key] = _one_language(item, languages)
        else:
            out[key] = _canonical(item, languages)
    return out


def _one_language(texts: dict, languages: list[str]) -> dict:
    lowered = {tag.lower(): tag for tag in texts}
    for wanted in languages:
        for tag_lower, tag in lowered.items():
            if tag_lower == wanted or tag_lower.split("-")[0] == wanted.split("-")[0]:
                return {tag: texts[tag]}
    first = next(iter(texts))
    return {first: texts[first]}


def accept_languages(header: str) -> list[str]:
    ranked = []
    for index, part in enumerate(header.split(",")):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and tag != "*":
            ranked.append((-quality, index, tag.lower()))
    return [tag for _q, _i, tag in sorted(ranked)]


def statement_format(statement: dict, fmt: str, *, languages: list[str] | None = None) -> dict:
    if fmt == "ids":
        return _ids(statement)
    if fmt == "canonical":
        return _canonical(statement, languages or [])
    return statement
