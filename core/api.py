"""The REST API's ground floor: RFC 9457 problem details, opaque cursor pagination and the
response language. Machinery only: the rooms' `api.py` routers use it, `lms.api` installs it.

Every error of the API is an `application/problem+json` document (RFC 9457): `type`, `title`,
`status`, `detail`, and for invalid input an `errors` list naming each field. Titles and
details follow the request's `Accept-Language` (Vietnamese unless English is asked for).

Lists page by an opaque cursor: a signed token holding the last row's ordering key and id,
so a page never shifts when rows are added before it and a client cannot forge a position
(a tampered cursor is a 400 problem, not a page of somebody else's rows).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any

from django.conf import settings
from django.core import signing
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://hocso.vn/problems/"
CURSOR_SALT = "core.api.cursor"
DEFAULT_LIMIT = 50
MAX_LIMIT = 500
# A row id in a path or filter: a 64-bit primary key (larger numbers are invalid input, not a
# database overflow).
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


# --- language -----------------------------------------------------------------------------
def activate_request_language(request: HttpRequest) -> str:
    """Activate the language the API client asked for in Accept-Language (the first one we
    have), else Vietnamese. The site's pages follow a cookie instead; an API client has none."""
    supported = {code for code, _name in settings.LANGUAGES}
    chosen = settings.LANGUAGE_CODE
    header = request.headers.get("Accept-Language", "")[:200]
    for code, _q in translation.trans_real.parse_accept_lang_header(header):
        base = code.split("-")[0].lower()
        if base in supported:
            chosen = base
            break
    translation.activate(chosen)
    request.LANGUAGE_CODE = chosen
    return chosen


# --- problems -----------------------------------------------------------------------------
class Problem(HttpError):
    """An error answered as a problem document. `title`/`detail` may be lazy: they are
    rendered in the request's language when the response is built."""

    def __init__(
        self,
        status: int,
        slug: str,
        title,
        detail="",
        *,
        errors: list[dict] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status, str(title))
        self.slug, self.title, self.detail = slug, title, detail
        self.errors = errors
        self.headers = headers or {}


class ProblemOut(Schema):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str = ""
    errors: list[dict[str, Any]] | None = None


# The status codes every authenticated operation may answer with a problem.
PROBLEM_STATUSES = (400, 401, 403, 404, 422, 429)


def problem_responses(*statuses: int) -> dict[int, type[ProblemOut]]:
    return {status: ProblemOut for status in (statuses or PROBLEM_STATUSES)}


def problem_response(request: HttpRequest, problem: Problem) -> HttpResponse:
    activate_request_language(request)
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + problem.slug,
        "title": str(problem.title),
        "status": problem.status_code,
        "detail": str(problem.detail or problem.title),
    }
    if problem.errors is not None:
        body["errors"] = [{k: str(v) for k, v in error.items()} for error in problem.errors]
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=problem.status_code,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    for name, value in problem.headers.items():
        response[name] = value
    response["Content-Language"] = translation.get_language()
    return response


def _validation_errors(errors: Iterable[dict]) -> list[dict]:
    """ninja's (pydantic's) errors as {field, message}: `field` is the dotted location
    (`query.limit`, `body.rows.2.learner`)."""
    found = []
    for error in errors:
        loc = ".".join(str(part) for part in error.get("loc", ()))
        found.append({"field": loc, "message": error.get("msg", "")})
    return found


def install_problem_handlers(api: NinjaAPI) -> None:
    """Answer every error of `api` with a problem document."""

    def on_problem(request, exc: Problem):
        return problem_response(request, exc)

    def on_validation(request, exc: ValidationError):
        return problem_response(
            request,
            Problem(
                422,
                "invalid-request",
                _("The request is not valid."),
                _("Some fields are missing or have the wrong form; see `errors`."),
                errors=_validation_errors(exc.errors),
            ),
        )

    def on_not_found(request, exc):
        return problem_response(request, not_found())

    def on_authentication(request, exc):
        return problem_response(
            request,
            Problem(
                401,
                "unauthenticated",
                _("Authentication required."),
                _("Send a valid, unrevoked API key as `Authorization: Bearer <key>`."),
                headers={"WWW-Authenticate": 'Bearer realm="hocso"'},
            ),
        )

    def on_authorization(request, exc):
        return problem_response(request, forbidden())

    def on_http_error(request, exc: HttpError):
        if exc.status_code == 429:
            wait = getattr(exc, "wait", None)
            return problem_response(request, too_many(math.ceil(wait or 60)))
        return problem_response(
            request, Problem(exc.status_code, "http-error", _("The request failed."), str(exc))
        )

    api.add_exception_handler(Problem, on_problem)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(AuthenticationError, on_authentication)
    api.add_exception_handler(AuthorizationError, on_authorization)
    api.add_exception_handler(HttpError, on_http_error)


def not_found() -> Problem:
    # The same answer for "does not exist" and "outside your scope": existence never leaks.
    return Problem(
        404, "not-found", _("Not found."), _("There is no such object within your scope.")
    )


def forbidden(detail=None) -> Problem:
    return Problem(
        403,
        "forbidden",
        _("Not allowed."),
        detail or _("This API key does not have the permission this operation needs."),
    )


def too_many(retry_after: int) -> Problem:
    return Problem(
        429,
        "rate-limited",
        _("Too many requests."),
        _("This API key sent too many requests. Try again in %(seconds)s seconds.")
        % {"seconds": retry_after},
        headers={"Retry-After": str(retry_after)},
    )


class ProblemNinjaAPI(NinjaAPI):
    """A NinjaAPI whose errors are problem documents, documented as such in the OpenAPI
    schema (`application/problem+json` for every 4xx answer)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        install_problem_handlers(self)

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if str(status).startswith("4") and "application/json" in content:
                        if "Problem" in json.dumps(content["application/json"]):
                            response["content"] = {
                                PROBLEM_CONTENT_TYPE: content.pop("application/json")
                            }
        return schema


# --- cursor pagination --------------------------------------------------------------------
class PageQuery(Schema):
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


@dataclass
class Page:
    items: list
    next: str | None
    limit: int

    def as_json(self, serialise: Callable[[Any], Any]) -> dict:
        return {"items": [serialise(item) for item in self.items], "next": self.next}


def _invalid_cursor(detail) -> Problem:
    return Problem(
        400,
        "invalid-cursor",
        _("The paging cursor is not valid."),
        detail,
        errors=[{"field": "query.cursor", "message": detail}],
    )


def _check_limit(limit: int) -> int:
    if limit < 1 or limit > MAX_LIMIT:
        message = _("`limit` must be between 1 and %(max)s.") % {"max": MAX_LIMIT}
        raise Problem(
            400,
            "invalid-limit",
            _("The page size is not valid."),
            message,
            errors=[{"field": "query.limit", "message": message}],
        )
    return limit


def paginate(
    request: HttpRequest, qs: QuerySet, params: PageQuery, *, key: str = "pk", scope: str = ""
) -> Page:
    """One page of `qs` ordered by (`key`, pk) after the cursor's position.

    `key` must hold a string or an integer (a tree path, a name, a pk). The cursor is
    signed with the site's secret and bound to `scope` (the list it came from), so one from
    another list, an edited one or an expired one is refused with a 400 problem.
    """
    limit = _check_limit(params.limit)
    ordering = [key, "pk"] if key != "pk" else ["pk"]
    qs = qs.order_by(*ordering)
    if params.cursor:
        if len(params.cursor) > 512:
            raise _invalid_cursor(_("The cursor is too long."))
        try:
            position = signing.loads(params.cursor, salt=f"{CURSOR_SALT}:{scope}:{key}")
            last_key, last_pk = position
            if not isinstance(last_pk, int) or not isinstance(last_key, str | int):
                raise ValueError
        except (signing.BadSignature, ValueError, TypeError):
            raise _invalid_cursor(
                _("Use the `next` link of the previous page unchanged.")
            ) from None
        if key == "pk":
            qs = qs.filter(pk__gt=last_pk)
        else:
            qs = qs.filter(Q(**{f"{key}__gt": last_key}) | Q(**{key: last_key, "pk__gt": last_pk}))
    rows = list(qs[: limit + 1])
    items = rows[:limit]
    next_url = None
    if len(rows) > limit:
        last = items[-1]
        last_key = last.pk if key == "pk" else getattr(last, key)
        cursor = signing.dumps([last_key, last.pk], salt=f"{CURSOR_SALT}:{scope}:{key}")
        query = request.GET.copy()
        query["cursor"] = cursor
        query["limit"] = str(limit)
        next_url = request.build_absolute_uri(request.path) + "?" + query.urlencode()
    return Page(items=items, next=next_url, limit=limit)
