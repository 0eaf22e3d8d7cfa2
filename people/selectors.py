"""Reads about people, always scoped in SQL.

A manager or trainer sees the org units at or below the units of their scopes. The scope test
is a correlated `EXISTS (... WHERE unit.path LIKE scope.path || '%')`, so callers can chain it
onto any queryset and aggregate without ever pulling ids into Python. One unit already loaded
is tested in Python against the scopes' paths (`scope_paths`, `unit_within_paths`): the same
rule, checked equal to the SQL one for every unit of a tree in tests/people/test_scopes.py.
"""

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.lookups import StartsWith

from core.text import nfc, search_key

from .lockout import login_key, window_start
from .models import ApiClient, OrgUnit, Profile, Scope

STAFF_ROLES = (Scope.Role.TRAINER, Scope.Role.MANAGER)
# Where a learner lives or works: a commune/ward, or a village within one.
SELECTABLE_KINDS = (OrgUnit.Kind.COMMUNE, OrgUnit.Kind.VILLAGE)
# The 2025 reform's chains: commune -> merged commune -> renamed one, and a margin.
MAX_REPLACEMENT_STEPS = 3
MAX_QUERY_CHARS = 100
MAX_QUERY_WORDS = 6


def _roles(role: str | None) -> tuple[str, ...]:
    return (role,) if role else STAFF_ROLES


def _scope_exists(user, path_ref: str, role: str | None) -> Exists:
    """A unit is in scope when it lies in a scoped subtree, or when a unit that replaced it
    in the 2025 reform does: people registered under a merged commune still count for the
    new commune's managers, following `replaced_by` up to MAX_REPLACEMENT_STEPS steps (as
    the targets' achievement does)."""
    if not path_ref.endswith("path"):
        raise ValueError(f"{path_ref!r} must end with an org unit's 'path'")
    unit_ref = path_ref[: -len("path")]
    inside = Q()
    for step in range(MAX_REPLACEMENT_STEPS + 1):
        ref = unit_ref + "replaced_by__" * step + "path"
        inside |= Q(StartsWith(OuterRef(ref), F("org_unit__path")))
    return Exists(Scope.objects.filter(user=user, role__in=_roles(role)).filter(inside))


def user_is_unrestricted(user) -> bool:
    """Administrators see every unit."""
    return bool(user.is_authenticated and user.is_superuser)


def units_visible_to(user, *, role: str | None = None) -> QuerySet[OrgUnit]:
    """Org units inside any of `user`'s scopes (with `role`, only scopes of that role)."""
    qs = OrgUnit.objects.all()
    if user_is_unrestricted(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(_scope_exists(user, "path", role))


def profiles_visible_to(user, *, role: str | None = None) -> QuerySet[Profile]:
    """Learner profiles whose unit lies inside `user`'s scopes."""
    qs = Profile.objects.all()
    if user_is_unrestricted(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(_scope_exists(user, "org_unit__path", role))


def filter_by_unit_scope(qs: QuerySet, user, *, unit_path: str, role: str | None = None):
    """Restrict any queryset to rows whose unit (reached by `unit_path`) is in `user`'s scopes.

    `unit_path` is the lookup path to the org unit's `path`, e.g.
    "user__profile__org_unit__path" for enrolments.
    """
    if user_is_unrestricted(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(_scope_exists(user, unit_path, role))


def user_has_role(user, role: str | None = None) -> bool:
    if user_is_unrestricted(user):
        return True
    if not user.is_authenticated:
        return False
    return Scope.objects.filter(user=user, role__in=_roles(role)).exists()


LEARNER = "learner"
# Where each role's work is: the first of a person's roles is where they land after signing
# in (a manager's scope overview, a trainer's classes, a learner's courses). URL names, not
# imports: the pages live in the rooms above this one.
WORKSPACES = {
    Scope.Role.MANAGER: "targets:overview",
    Scope.Role.TRAINER: "classes:list",
    LEARNER: "courses:my_learning",
}


def user_roles(user) -> list[str]:
    """`user`'s roles, most specific first (manager, trainer, then learner, which everyone
    signed in is); administrators are managers everywhere. One query."""
    if not user.is_authenticated:
        return []
    held = set(Scope.objects.filter(user=user).values_list("role", flat=True).distinct())
    if user_is_unrestricted(user):
        held.add(Scope.Role.MANAGER)
    return [role for role in (Scope.Role.MANAGER, Scope.Role.TRAINER) if role in held] + [LEARNER]


def scope_paths(user, *, role: str | None = None) -> tuple[str, ...] | None:
    """The paths of the units of `user`'s scopes (with `role`, only scopes of that role), for
    testing units already loaded (`unit_within_paths`); None for administrators, who see every
    unit. One query; a view testing several units reads them once."""
    if user_is_unrestricted(user):
        return None
    if not user.is_authenticated:
        return ()
    return tuple(
        Scope.objects.filter(user=user, role__in=_roles(role))
        .order_by()
        .values_list("org_unit__path", flat=True)
        .distinct()
    )


def unit_within_paths(unit: OrgUnit, paths: tuple[str, ...] | None) -> bool:
    """`_scope_exists` for one unit already loaded, against `scope_paths`: the unit lies in a
    scoped subtree, or a unit that replaced it does (up to MAX_REPLACEMENT_STEPS steps). No
    query unless the unit was replaced (then one per step followed)."""
    if paths is None:
        return True
    for _step in range(MAX_REPLACEMENT_STEPS + 1):
        if unit is None:
            return False
        if unit.path.startswith(paths):
            return True
        unit = unit.replaced_by if unit.replaced_by_id else None
    return False


def unit_in_scope(user, unit: OrgUnit, *, role: str | None = None) -> bool:
    return unit_within_paths(unit, scope_paths(user, role=role))


def profile_search_condition(query: str) -> Q:
    """Profiles whose name has every word of `query`, with or without accents and in any
    order ("huong nguyen" finds "Nguyễn Thị Hương"), or whose username or phone matches."""
    query = nfc(query).strip()[:MAX_QUERY_CHARS]
    key = search_key(query)
    words = key.split()[:MAX_QUERY_WORDS]
    if not words:
        return Q(pk__in=[])
    name = Q()
    for word in words:
        name &= Q(search_name__contains=word)
    # The full name too, for rows written by raw SQL (seed_load) with no search_name.
    condition = name | Q(full_name__icontains=query) | Q(user__username__icontains="".join(words))
    digits = "".join(ch for ch in query if ch.isdigit())
    if len(digits) >= 6:
        condition |= Q(phone__contains=digits[-9:])
    return condition


def org_unit_search(query: str, *, limit: int = 20) -> list[dict]:
    """Find current communes/wards (and villages) by name, accent-insensitively.

    Returns dicts `{id, name, label}` where the label adds the province so that two communes
    with the same name can be told apart on a phone. Two queries whatever the result size.
    """
    key = " ".join(search_key(query)[:MAX_QUERY_CHARS].split()[:MAX_QUERY_WORDS])
    if len(key) < 2:
        return []
    condition = Q()
    for word in key.split():
        condition &= Q(search_name__contains=word)
    # Ranked in SQL before the cut, so no commune is crowded out by others sorting earlier:
    # the exact name, then names where the query starts a word ("thanh an" in "xa thanh an"),
    # then any other match.
    rank = Case(
        When(Q(search_name=key) | Q(search_name__endswith=f" {key}"), then=Value(0)),
        When(Q(search_name__startswith=key) | Q(search_name__contains=f" {key}"), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    units = list(
        OrgUnit.objects.filter(condition, valid_to__isnull=True)
        .filter(kind__in=SELECTABLE_KINDS)
        .annotate(rank=rank)
        .order_by("rank", "search_name", "pk")[:limit]
    )
    ancestor_paths = {u.path[: OrgUnit.steplen * i] for u in units for i in range(1, u.depth)}
    ancestors = {
        a.path: a.name for a in OrgUnit.objects.filter(path__in=ancestor_paths).only("path", "name")
    }
    results = []
    for unit in units:
        chain = [
            ancestors[unit.path[: OrgUnit.steplen * i]]
            for i in range(unit.depth - 1, 0, -1)
            if unit.path[: OrgUnit.steplen * i] in ancestors
        ]
        results.append({"id": unit.pk, "name": unit.name, "label": ", ".join([unit.name, *chain])})
    return results


def unit_label(unit: OrgUnit | None) -> str:
    """A unit's name followed by its ancestors' (one query)."""
    if unit is None:
        return ""
    ancestors = unit.get_ancestors().order_by("-depth").values_list("name", flat=True)
    return ", ".join([unit.name, *ancestors])


def login_unlock_allowed(*, by, user) -> bool:
    """May `by` lift `user`'s sign-in lock? Administrators, and trainers whose scope covers
    the unit of the account's profile."""
    if user_is_unrestricted(by):
        return True
    return profiles_visible_to(by, role=Scope.Role.TRAINER).filter(user=user).exists()


def logins_locked(usernames) -> set[str]:
    """Which of `usernames` are locked out of signing in now by their own failures (one
    query; a locked address is not an account's lock)."""
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.db.models import Sum

    keys = {login_key(None, {"username": name}): name for name in usernames if name}
    if not keys:
        return set()
    locked = (
        AccessAttempt.objects.filter(username__in=keys, attempt_time__gte=window_start())
        .values("username")
        .annotate(total=Sum("failures_since_start"))
        .filter(total__gte=settings.AXES_FAILURE_LIMIT)
        .values_list("username", flat=True)
    )
    return {keys[key] for key in locked}


# --- API keys ---------------------------------------------------------------------------
def _client_scope_exists(client: ApiClient, path_ref: str) -> Exists:
    """Like `_scope_exists`, for an API key's granted units (and units they replaced)."""
    if not path_ref.endswith("path"):
        raise ValueError(f"{path_ref!r} must end with an org unit's 'path'")
    unit_ref = path_ref[: -len("path")]
    inside = Q()
    for step in range(MAX_REPLACEMENT_STEPS + 1):
        ref = unit_ref + "replaced_by__" * step + "path"
        inside |= Q(StartsWith(OuterRef(ref), F("orgunit__path")))
    return Exists(ApiClient.units.through.objects.filter(apiclient_id=client.pk).filter(inside))


def filter_by_client_scope(qs: QuerySet, client: ApiClient, *, unit_path: str) -> QuerySet:
    """Rows of `qs` whose unit (reached by `unit_path`, ending in "path") lies at or below a
    unit granted to the API key `client`; in SQL, chainable like `filter_by_unit_scope`."""
    return qs.filter(_client_scope_exists(client, unit_path))


def units_visible_to_client(client: ApiClient) -> QuerySet[OrgUnit]:
    return filter_by_client_scope(OrgUnit.objects.all(), client, unit_path="path")


def profiles_visible_to_client(client: ApiClient) -> QuerySet[Profile]:
    return filter_by_client_scope(Profile.objects.all(), client, unit_path="org_unit__path")
