"""Reads of the Statements resource, scoped in SQL to an LRS client.

A client sees the statements of learners whose unit lies in one of its units' subtrees
(and, following the 2025 reform, whose unit was replaced by one that does), plus the ones
it sent itself; voided statements are left out unless asked for by `voidedStatementId`.
"""

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.lookups import StartsWith

from people.models import OrgUnit, Profile

from ..models import XAPIStatement

REPLACEMENT_STEPS = 2


def _in_units(client, path_ref: str) -> Exists:
    unit_ref = path_ref[: -len("path")]
    inside = Q()
    for step in range(REPLACEMENT_STEPS + 1):
        inside |= Q(StartsWith(OuterRef(unit_ref + "replaced_by__" * step + "path"), F("path")))
    return Exists(OrgUnit.objects.filter(lrs_clients=client).filter(inside))


def users_in_scope(client, user_ids) -> list[int]:
    """Those of `user_ids` whose unit is in the client's units."""
    return list(
        Profile.objects.filter(user_id__in=user_ids)
        .filter(_in_units(client, "org_unit__path"))
        .values_list("user_id", flat=True)
    )


def statements_visible_to(client) -> QuerySet[XAPIStatement]:
    return XAPIStatement.objects.filter(
        Q(client=client) | Q(_in_units(client, "user__profile__org_unit__path"))
    )
