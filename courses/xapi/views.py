"""The xAPI 1.0.3 Statements resource for LRS clients: `/xapi/statements`, `/xapi/about`.

Every request but `about` names the xAPI version (`X-Experience-API-Version: 1.0.x`, else
400) and authenticates with HTTP Basic (the LrsClient's key and secret, else 401). GET needs
the client's read permission, POST and PUT its write permission (403). Answers carry
`X-Experience-API-Version: 1.0.3`; lists carry `X-Experience-API-Consistent-Through` and a
`more` URL, a signed token holding the query and where the page ended: altered, expired or
another client's, it is refused (400).

Not done: attachments (multipart), the alternate request syntax (`method=` in the query),
HEAD answers as GET.
"""

import base64
import binascii
import json
import uuid
from datetime import timedelta

from django.core import signing
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from ..h5p.xapi import json_parse
from ..models import LrsClient
from .identity import VERSION, activity_of, iso, learner_of
from .selectors import statements_visible_to
from .services import StatementConflict, since_until, statements_store
from .statements import accept_languages, statement_format

MAX_BODY_BYTES = 1024 * 1024
DEFAULT_LIMIT = 100
MAX_LIMIT = 500
MORE_SALT = "courses.xapi.more"
MORE_MAX_AGE = 24 * 3600
# Statements are stored with the time they are received and committed a moment later: a
# list is complete up to this long ago.
CONSISTENCY_MARGIN = timedelta(seconds=2)
QUERY_PARAMS = frozenset(
    ("agent", "verb", "activity", "registration", "related_activities", "related_agents")
    + ("since", "until", "limit", "format", "attachments", "ascending")
)
SINGLE_PARAMS = frozenset(("statementId", "voidedStatementId", "format", "attachments"))


class XapiError(Exception):
    def __init__(self, status: int, message: str, headers: dict | None = None):
        self.status, self.message, self.headers = status, message, headers or {}


def _answer(response: HttpResponse) -> HttpResponse:
    response["X-Experience-API-Version"] = VERSION
    response["Cache-Control"] = "no-store"
    return response


def _error(status: int, message: str, headers: dict | None = None) -> HttpResponse:
    response = JsonResponse({"error": message}, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return _answer(response)


def about(request):
    if request.method not in ("GET", "HEAD"):
        return _error(405, _("Method not allowed."))
    return _answer(JsonResponse({"version": [VERSION]}))


def _client(request) -> LrsClient:
    challenge = {"WWW-Authenticate": 'Basic realm="xAPI"'}
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        raise XapiError(401, _("Credentials are required (HTTP Basic)."), challenge)
    try:
        key, _sep, secret = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise XapiError(401, _("The credentials are not valid."), challenge) from None
    client = LrsClient.objects.filter(key=key[:64], active=True).first() if key else None
    if client is None or not client.check_secret(secret):
        raise XapiError(401, _("The credentials are not valid."), challenge)
    return client


@csrf_exempt
def statements(request):
    """GET (a statement or a list), POST (one or many; their ids), PUT (one, by id)."""
    try:
        version = request.META.get("HTTP_X_EXPERIENCE_API_VERSION", "")
        if not (version == "1.0" or version.startswith("1.0.")) or len(version) > 16:
            raise XapiError(400, _("The X-Experience-API-Version header must be 1.0.x."))
        client = _client(request)
        if request.method in ("GET", "HEAD"):
            if not client.can_read:
                raise XapiError(403, _("This client may not read statements."))
            return _answer(_get(request, client))
        if request.method in ("POST", "PUT"):
            if not client.can_write:
                raise XapiError(403, _("This client may not write statements."))
            return _answer(_write(request, client))
        raise XapiError(405, _("Method not allowed."))
    except XapiError as error:
        return _error(error.status, error.message, error.headers)
    except ValidationError as error:
        return _error(400, " ".join(error.messages))
    except PermissionDenied as error:
        return _error(403, str(error) or _("Not allowed."))


# --- writing -----------------------------------------------------------------------------


def _body(request):
    if request.content_type != "application/json":
        raise XapiError(400, _("Statements must be sent as application/json."))
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    too_large = XapiError(
        413, _("The request is too large (the limit is %(n)s KB).") % {"n": MAX_BODY_BYTES // 1024}
    )
    if declared > MAX_BODY_BYTES:
        raise too_large
    try:
        body = request.body
    except RequestDataTooBig:
        raise too_large from None
    if len(body) > MAX_BODY_BYTES:
        raise too_large
    return json_parse(body)


def _uuid_param(value, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except (ValueError, TypeError, AttributeError):
        raise XapiError(400, _("%(name)s must be a UUID.") % {"name": name}) from None


def _write(request, client) -> HttpResponse:
    if request.method == "PUT":
        unknown = set(request.GET) - {"statementId"}
        if unknown or "statementId" not in request.GET:
            raise XapiError(400, _("PUT takes one parameter, statementId."))
        statement_id = _uuid_param(request.GET["statementId"], "statementId")
        data = _body(request)
        if not isinstance(data, dict):
            raise XapiError(400, _("PUT takes one statement."))
        try:
            statements_store(client, [data], put_id=statement_id)
        except StatementConflict:
            raise _conflict() from None
        return HttpResponse(status=204)
    if request.GET:
        raise XapiError(400, _("POST takes no parameters."))
    data = _body(request)
    batch = data if isinstance(data, list) else [data]
    if not all(isinstance(item, dict) for item in batch):
        raise XapiError(400, _("A statement must be a JSON object."))
    try:
        ids = statements_store(client, batch)
    except StatementConflict:
        raise _conflict() from None
    return JsonResponse(ids, safe=False)


def _conflict() -> XapiError:
    return XapiError(
        409, _("A different statement was already stored with this id; an id cannot be reused.")
    )


# --- reading -----------------------------------------------------------------------------


def _get(request, client) -> HttpResponse:
    params = request.GET
    fmt = params.get("format", "exact")
    if fmt not in ("exact", "ids", "canonical"):
        raise XapiError(400, _("format must be ids, exact or canonical."))
    languages = accept_languages(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
    if "statementId" in params or "voidedStatementId" in params:
        return _single(params, client, fmt, languages)
    if "more" in params:
        if len(params) != 1:
            raise XapiError(400, _("more is the only parameter of its URL."))
        query, cursor = _more_load(params["more"], client)
    else:
        unknown = set(params) - QUERY_PARAMS
        if unknown:
            raise XapiError(
                400, _("Unknown parameter: %(name)s.") % {"name": sorted(unknown)[0][:64]}
            )
        query, cursor = {key: params[key] for key in params}, None
    now = timezone.now()
    rows, next_cursor = _page(client, query, cursor)
    body = {
        "statements": [
            statement_format(row, query.get("format", "exact"), languages=languages) for row in rows
        ],
        "more": "",
    }
    if next_cursor is not None:
        token = signing.dumps(
            {"c": client.pk, "q": query, "a": next_cursor}, salt=MORE_SALT, compress=True
        )
        body["more"] = f"/xapi/statements?more={token}"
    response = JsonResponse(body)
    response["X-Experience-API-Consistent-Through"] = iso(now - CONSISTENCY_MARGIN)
    return response


def _single(params, client, fmt, languages) -> HttpResponse:
    if set(params) - SINGLE_PARAMS or ("statementId" in params and "voidedStatementId" in params):
        raise XapiError(400, _("statementId and voidedStatementId take no other filters."))
    voided = "voidedStatementId" in params
    name = "voidedStatementId" if voided else "statementId"
    statement_id = _uuid_param(params[name], name)
    raw = (
        statements_visible_to(client)
        .filter(statement_id=statement_id, voided=voided)
        .values_list("raw", flat=True)
        .first()
    )
    if raw is None:
        raise XapiError(404, _("No such statement."))
    response = JsonResponse(statement_format(raw, fmt, languages=languages))
    response["X-Experience-API-Consistent-Through"] = iso(timezone.now() - CONSISTENCY_MARGIN)
    return response


def _bool(query, name: str) -> bool:
    value = query.get(name, "false")
    if value not in ("true", "false"):
        raise XapiError(400, _("%(name)s must be true or false.") % {"name": name})
    return value == "true"


def _filtered(client, query: dict):
    qs = statements_visible_to(client).filter(voided=False)
    if "agent" in query:
        try:
            agent = json.loads(query["agent"])
        except ValueError:
            raise XapiError(400, _("agent must be a JSON agent.")) from None
        qs = qs.filter(_agent_q(agent, related=_bool(query, "related_agents")))
    if "verb" in query:
        qs = qs.filter(verb=query["verb"])
    if "activity" in query:
        activity = query["activity"]
        match = Q(object_id=activity)
        if _bool(query, "related_activities"):
            ours = activity_of(activity)
            if ours is not None:
                match |= Q(lesson_id=ours[0], block_id=ours[1])
            match |= Q(object_id__startswith=activity + "?")
        qs = qs.filter(match)
    if "registration" in query:
        qs = qs.filter(
            raw__context__registration=str(_uuid_param(query["registration"], "registration"))
        )
    if "since" in query:
        qs = qs.filter(stored_at__gt=since_until(query["since"], "since"))
    if "until" in query:
        qs = qs.filter(stored_at__lte=since_until(query["until"], "until"))
    _bool(query, "attachments")
    return qs


# Where else an agent appears, for `related_agents=true` (besides the actor).
RELATED_AGENT_PATHS = ("object", "authority", "context__instructor", "context__team")


def _agent_match(agent: dict, path: str) -> Q:
    for ifi in ("mbox", "mbox_sha1sum", "openid"):
        if isinstance(agent.get(ifi), str):
            return Q(**{f"raw__{path}__{ifi}": agent[ifi]})
    account = agent.get("account")
    if isinstance(account, dict) and isinstance(account.get("name"), str):
        return Q(
            **{
                f"raw__{path}__account__name": account["name"],
                f"raw__{path}__account__homePage": account.get("homePage"),
            }
        )
    raise XapiError(400, _("agent must identify the agent (mbox, account, ...)."))


def _agent_q(agent, *, related: bool) -> Q:
    """Statements whose actor is `agent` (one of our learners: by the user column); with
    `related`, also where it is the object, the authority, the instructor or the team."""
    if not isinstance(agent, dict):
        raise XapiError(400, _("agent must be a JSON agent."))
    user_id = learner_of(agent)
    match = Q(user_id=user_id) if user_id is not None else _agent_match(agent, "actor")
    if related:
        for path in RELATED_AGENT_PATHS:
            match |= _agent_match(agent, path)
    return match


def _limit(query) -> int:
    try:
        limit = int(query.get("limit", DEFAULT_LIMIT))
    except ValueError:
        raise XapiError(400, _("limit must be a whole number.")) from None
    if limit < 0:
        raise XapiError(400, _("limit must be a whole number."))
    return MAX_LIMIT if limit == 0 else min(limit, MAX_LIMIT)


def _page(client, query: dict, cursor):
    ascending = _bool(query, "ascending")
    limit = _limit(query)
    qs = _filtered(client, query)
    if cursor is not None:
        stored, pk = since_until(cursor[0], "more"), int(cursor[1])
        after = Q(stored_at__gt=stored) | Q(stored_at=stored, pk__gt=pk)
        before = Q(stored_at__lt=stored) | Q(stored_at=stored, pk__lt=pk)
        qs = qs.filter(after if ascending else before)
    order = ("stored_at", "pk") if ascending else ("-stored_at", "-pk")
    rows = list(qs.order_by(*order).values_list("raw", "stored_at", "pk")[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = [rows[-1][1].isoformat(), rows[-1][2]]
    return [raw for raw, _stored, _pk in rows], next_cursor


def _more_load(token: str, client):
    try:
        data = signing.loads(token, salt=MORE_SALT, max_age=MORE_MAX_AGE)
    except signing.BadSignature:
        raise XapiError(400, _("The more link is not valid or has expired.")) from None
    if not isinstance(data, dict) or data.get("c") != client.pk:
        raise XapiError(400, _("The more link is not valid or has expired."))
    return data["q"], data["a"]
