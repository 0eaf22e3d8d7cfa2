"""Writes about people: profiles, scopes, org units."""

import logging

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from core.text import nfc, search_key
from core.trees import child_path, child_step

from .lockout import login_key, window_start
from .models import ApiClient, LoginUnlock, OrgUnit, Profile, Scope
from .selectors import login_unlock_allowed

log = logging.getLogger(__name__)

# Wagtail admin groups that mirror scopes: a trainer edits courses, a manager reviews them.
ROLE_GROUPS = {Scope.Role.TRAINER: "Trainers", Scope.Role.MANAGER: "Managers"}


def profile_get_or_create(*, user) -> Profile:
    """Every user has a profile; accounts made by createsuperuser get theirs on first use."""
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def profile_update(*, profile: Profile, target_groups=None, **fields) -> Profile:
    """Save profile fields with names NFC-normalised; `target_groups` replaces the set."""
    for name in ("full_name", "position"):
        if name in fields and fields[name] is not None:
            fields[name] = nfc(fields[name])
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean(exclude=["user"])
    profile.save()
    if target_groups is not None:
        profile.target_groups.set(target_groups)
    return profile


def user_roles_sync(*, user) -> None:
    """Make `user`'s Wagtail admin groups match their scopes (Trainers, Managers).

    Runs on every Scope save and delete (see `people.signals`), so scopes added or removed in
    the admin, or deleted with their org unit, change access at once. Staff status follows:
    it only shows the admin link and the Wagtail user bar (a free check on every page); the
    Django admin is for administrators alone (see `lms.urls`).
    """
    roles = set(Scope.objects.filter(user=user).values_list("role", flat=True))
    wanted = {ROLE_GROUPS[role] for role in roles}
    groups = list(Group.objects.filter(name__in=ROLE_GROUPS.values()))
    user.groups.add(*(group for group in groups if group.name in wanted))
    user.groups.remove(*(group for group in groups if group.name not in wanted))
    is_staff = user.is_superuser or bool(roles)
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])


@transaction.atomic
def scope_grant(*, user, role: str, org_unit: OrgUnit, granted_by=None) -> Scope:
    """Give `user` a role over `org_unit`'s subtree (and so the matching admin group).

    When `granted_by` is given it must be an administrator, or a manager whose own scope
    covers `org_unit`; nobody but an administrator changes an administrator's roles.
    """
    from .selectors import unit_in_scope, user_is_unrestricted

    if granted_by is not None and not user_is_unrestricted(granted_by):
        if user.is_superuser:
            raise ValidationError(_("Only an administrator can change an administrator's roles."))
        if not unit_in_scope(granted_by, org_unit, role=Scope.Role.MANAGER):
            raise ValidationError(
                _("You can only give roles within the units you manage."), code="out_of_scope"
            )
    scope, _created = Scope.objects.get_or_create(
        user=user, role=role, org_unit=org_unit, defaults={"granted_by": granted_by}
    )
    return scope


@transaction.atomic
def scope_revoke(*, scope: Scope) -> None:
    scope.delete()  # the post_delete signal takes the admin group away when it was the last


@transaction.atomic
def org_units_sync(*, records: list[dict]) -> dict[str, int]:
    """Create or update org units from `records` in one transaction; re-running is a no-op.

    Each record has `code`, `name`, `kind`, `division_type`, `parent_code` (None for a root)
    and optional `valid_from`. Parents must come before their children. New nodes get their
    materialised path computed here and are bulk-inserted (3,000+ communes in seconds); units
    that exist are updated only when a field differs. Returns counts of created/updated rows.
    """
    existing = {unit.code: unit for unit in OrgUnit.objects.all()}
    created = updated = 0
    # Next free child position per parent path ('' for roots).
    next_step: dict[str, int] = {}

    def allocate(parent: OrgUnit | None) -> tuple[str, int]:
        key = parent.path if parent else ""
        if key not in next_step:
            siblings = (
                OrgUnit.objects.filter(
                    path__startswith=key, depth=(parent.depth + 1 if parent else 1)
                )
                .order_by("-path")
                .values_list("path", flat=True)[:1]
            )
            last = siblings[0] if siblings else None
            next_step[key] = child_step(OrgUnit, last) + 1
        step = next_step[key]
        next_step[key] = step + 1
        depth = parent.depth + 1 if parent else 1
        return child_path(OrgUnit, key, depth, step), depth

    to_create: list[OrgUnit] = []
    children_added: dict[str, int] = {}
    for record in records:
        name = nfc(record["name"])
        unit = existing.get(record["code"])
        if unit is not None:
            changed = False
            for field in ("name", "kind", "division_type"):
                value = name if field == "name" else record[field]
                if getattr(unit, field) != value:
                    setattr(unit, field, value)
                    changed = True
            if changed:
                unit.save()
                updated += 1
            continue
        parent = existing.get(record["parent_code"]) if record["parent_code"] else None
        if record["parent_code"] and parent is None:
            raise ValueError(f"Unknown parent {record['parent_code']} for {record['code']}")
        path, depth = allocate(parent)
        unit = OrgUnit(
            code=record["code"],
            name=name,
            kind=record["kind"],
            division_type=record["division_type"],
            valid_from=record.get("valid_from"),
            path=path,
            depth=depth,
            numchild=0,
        )
        unit.search_name = search_key(name)
        if parent is None:
            # Roots are few; saving one by one lets children find their parent's path.
            unit.save()
        else:
            to_create.append(unit)
            children_added[parent.path] = children_added.get(parent.path, 0) + 1
        existing[unit.code] = unit
        created += 1
    OrgUnit.objects.bulk_create(to_create, batch_size=500)
    for path, added in children_added.items():
        OrgUnit.objects.filter(path=path).update(numchild=models.F("numchild") + added)
    return {"created": created, "updated": updated}


@transaction.atomic
def login_unlock(*, user, by) -> LoginUnlock:
    """Lift `user`'s sign-in lock before it expires: forget the account's failed sign-ins
    (from every address) and record who did it. Administrators, and trainers whose scope
    covers the account's unit (PermissionDenied otherwise). A locked address is not lifted:
    it belongs to no one account."""
    from axes.models import AccessAttempt

    if not login_unlock_allowed(by=by, user=user):
        raise PermissionDenied(_("You may not unlock this account."))
    attempts = AccessAttempt.objects.filter(username=login_key(None, {"username": user.username}))
    failures = (
        attempts.filter(attempt_time__gte=window_start()).aggregate(
            total=models.Sum("failures_since_start")
        )["total"]
        or 0
    )
    attempts.delete()
    log.info("Sign-in unlocked: %s by %s (%d failures)", user.username, by.username, failures)
    return LoginUnlock.objects.create(user=user, unlocked_by=by, failures=failures)


@transaction.atomic
def api_client_create(
    *,
    name: str,
    units,
    can_read: bool = True,
    can_enrol: bool = False,
    can_report: bool = False,
    created_by=None,
    secret: str | None = None,
) -> tuple[ApiClient, str]:
    """Make an API key for an outside system. Returns (client, key): the key is shown once
    and never stored (only its hash). `secret` is for the demo's fixed key only."""
    from .apikeys import key_generate, key_hash, key_prefix

    name = nfc((name or "").strip())
    if not name:
        raise ValidationError(_("Give the API key a name."))
    units = list(units)
    if not units:
        raise ValidationError(_("Grant the API key at least one unit."))
    key = secret or key_generate()
    client = ApiClient.objects.create(
        name=name,
        prefix=key_prefix(key),
        secret_hash=key_hash(key),
        can_read=can_read,
        can_enrol=can_enrol,
        can_report=can_report,
        created_by=created_by,
    )
    client.units.set(units)
    return client, key


@transaction.atomic
def api_client_revoke(*, client: ApiClient, by=None) -> ApiClient:
    """Stop a key at once (its next request is refused). Revoking twice keeps the first date."""
    from django.utils import timezone

    locked = ApiClient.objects.select_for_update().get(pk=client.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.revoked_by = by
        locked.save(update_fields=["revoked_at", "revoked_by"])
    return locked
