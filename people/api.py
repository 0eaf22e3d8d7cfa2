"""The people part of the REST API (mounted by lms.api at /api/v1/): org units and learners,
as far as the calling API key's units reach. An object outside them is answered 404, the
same as one that does not exist."""

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from core.api import Id, PageQuery, ProblemOut, not_found, paginate, problem_responses, too_many

from .apikeys import read_auth
from .models import OrgUnit, Profile, TargetGroup
from .selectors import filter_by_client_scope, units_visible_to_client

router = Router(tags=["people"], auth=read_auth)


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    division_type: str
    parent_id: int | None
    depth: int
    valid_from: str | None
    valid_to: str | None
    replaced_by_id: int | None


class UnitPage(Schema):
    items: list[UnitOut]
    next: str | None


class UnitFilter(PageQuery):
    parent: Id | None = None
    kind: str | None = None


def unit_json(unit: OrgUnit, parents: dict[str, int]) -> dict:
    return {
        "id": unit.pk,
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "division_type": unit.division_type,
        "parent_id": parents.get(unit.path[: -OrgUnit.steplen]) if unit.depth > 1 else None,
        "depth": unit.depth,
        "valid_from": unit.valid_from.isoformat() if unit.valid_from else None,
        "valid_to": unit.valid_to.isoformat() if unit.valid_to else None,
        "replaced_by_id": unit.replaced_by_id,
    }


def _parents(units: list[OrgUnit]) -> dict[str, int]:
    """The ids of the units' parents by path (one query for the page)."""
    paths = {u.path[: -OrgUnit.steplen] for u in units if u.depth > 1}
    if not paths:
        return {}
    return dict(OrgUnit.objects.filter(path__in=paths).values_list("path", "pk"))


@router.get(
    "/units",
    response={200: UnitPage, **problem_responses()},
    summary="List org units / Danh sách đơn vị",
    description=(
        "The org units the key may see (its granted units and everything below), in tree "
        "order. Filter by `parent` (direct children) or `kind`.\n\n"
        "Các đơn vị hành chính mà khóa API được xem (đơn vị được cấp và các đơn vị trực "
        "thuộc), theo thứ tự cây."
    ),
)
def unit_list(request: HttpRequest, params: Query[UnitFilter]):
    qs = units_visible_to_client(request.auth)
    if params.parent is not None:
        parent = units_visible_to_client(request.auth).filter(pk=params.parent).first()
        if parent is None:
            raise not_found()
        qs = qs.filter(path__startswith=parent.path, depth=parent.depth + 1)
    if params.kind:
        qs = qs.filter(kind=params.kind)
    page = paginate(request, qs, params, key="path", scope="units")
    parents = _parents(page.items)
    return page.as_json(lambda unit: unit_json(unit, parents))


@router.get(
    "/units/{unit_id}",
    response={200: UnitOut, **problem_responses()},
    summary="One org unit / Một đơn vị",
    description="One org unit within the key's scope.\n\nMột đơn vị trong phạm vi của khóa.",
)
def unit_detail(request: HttpRequest, unit_id: Id):
    unit = units_visible_to_client(request.auth).filter(pk=unit_id).first()
    if unit is None:
        raise not_found()
    return unit_json(unit, _parents([unit]))


class LearnerOut(Schema):
    id: int
    full_name: str
    unit_id: int | None
    unit_code: str | None
    unit_name: str | None
    ethnic_group: str | None  # GSO code
    ethnic_group_name: str | None
    target_groups: list[str]  # codes
    gender: str
    birth_year: int | None


class LearnerPage(Schema):
    items: list[LearnerOut]
    next: str | None


class LearnerFilter(PageQuery):
    unit: Id | None = None


def learners_visible_to_client(client) -> QuerySet[Profile]:
    """Profiles placed in the key's units; what a learner list needs in one query (plus one
    for the target groups of the page)."""
    return (
        filter_by_client_scope(Profile.objects.all(), client, unit_path="org_unit__path")
        .select_related("org_unit", "ethnic_group")
        .prefetch_related(
            Prefetch("target_groups", queryset=TargetGroup.objects.only("code").order_by())
        )
    )


def learner_json(profile: Profile) -> dict:
    unit, ethnic = profile.org_unit, profile.ethnic_group
    return {
        "id": profile.user_id,
        "full_name": profile.full_name,
        "unit_id": unit.pk if unit else None,
        "unit_code": unit.code if unit else None,
        "unit_name": unit.name if unit else None,
        "ethnic_group": ethnic.code if ethnic else None,
        "ethnic_group_name": ethnic.name if ethnic else None,
        "target_groups": sorted(group.code for group in profile.target_groups.all()),
        "gender": profile.gender,
        "birth_year": profile.birth_year,
    }


def unit_in_client_scope(client, unit_id: Id) -> OrgUnit:
    unit = units_visible_to_client(client).filter(pk=unit_id).first()
    if unit is None:
        raise not_found()
    return unit


@router.get(
    "/learners",
    response={200: LearnerPage, **problem_responses()},
    summary="List learners / Danh sách học viên",
    description=(
        "Learners whose unit lies within the key's scope (`unit`: only that unit's "
        "subtree). The id is the learner's account id, used by enrolments.\n\n"
        "Học viên thuộc các đơn vị trong phạm vi của khóa (`unit`: chỉ đơn vị đó và các đơn "
        "vị trực thuộc)."
    ),
)
def learner_list(request: HttpRequest, params: Query[LearnerFilter]):
    qs = learners_visible_to_client(request.auth)
    if params.unit is not None:
        unit = unit_in_client_scope(request.auth, params.unit)
        qs = qs.filter(org_unit__path__startswith=unit.path)
    page = paginate(request, qs, params, key="user_id", scope="learners")
    return page.as_json(learner_json)


@router.get(
    "/learners/{learner_id}",
    response={200: LearnerOut, **problem_responses()},
    summary="One learner / Một học viên",
    description="One learner within the key's scope.\n\nMột học viên trong phạm vi của khóa.",
)
def learner_detail(request: HttpRequest, learner_id: Id):
    profile = learners_visible_to_client(request.auth).filter(user_id=learner_id).first()
    if profile is None:
        raise not_found()
    return learner_json(profile)


class TokenOut(Schema):
    access_token: str
    token_type: str
    expires_in: int
    scope: str


class OAuthErrorOut(Schema):
    error: str
    error_description: str | None = None


@router.post(
    "/oauth/token",
    auth=None,
    response={200: TokenOut, 400: OAuthErrorOut, 401: OAuthErrorOut, 429: ProblemOut},
    tags=["oauth"],
    summary="OAuth 2.0 access token / Mã truy cập OAuth 2.0",
    description=(
        "OAuth 2.0 client credentials grant (RFC 6749 section 4.4). Send "
        "`application/x-www-form-urlencoded` `grant_type=client_credentials` and optionally "
        "`scope` (space-separated, among the key's permissions `read`, `enrol`, `report`; "
        "default: all of them), authenticated with HTTP Basic `client_id:client_secret` (or "
        "both in the form): `client_id` is the key's prefix (the 8 characters after `hs_`), "
        "`client_secret` the whole key. Answers a bearer token valid for an hour "
        "(`Authorization: Bearer hst_…`); errors follow RFC 6749 section 5.2.\n\n"
        "Lấy mã truy cập OAuth 2.0 (client credentials) bằng khóa API; mã có hiệu lực một giờ."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "required": ["grant_type"],
                        "properties": {
                            "grant_type": {"type": "string", "enum": ["client_credentials"]},
                            "scope": {"type": "string"},
                            "client_id": {"type": "string"},
                            "client_secret": {"type": "string"},
                        },
                    }
                }
            },
        }
    },
)
def oauth_token(request: HttpRequest):
    from django.conf import settings

    from core.ratelimit import window_hit

    from .oauth import token_response

    # Token requests per address and minute: guessing secrets costs as much as API calls.
    address = request.META.get("REMOTE_ADDR", "")
    wait = window_hit(f"oauth:{address}", limit=settings.LMS_API_RATE_PER_MINUTE, window=60)
    if wait:
        raise too_many(wait)
    headers, body, status = token_response(request)
    response = HttpResponse(body, status=status, content_type="application/json")
    for name, value in headers.items():
        if name.lower() != "content-type":
            response[name] = value
    return response
