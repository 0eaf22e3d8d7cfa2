"""Keeping `TargetAchiever` (one row per person counted by a target) in step with the facts.

Each write derives rows from `CompletionFact` with one INSERT ... SELECT per batch of targets,
built from `achievement.counted_facts` (the rule the pages count by) grouped by person: their
unit path and their first qualifying completion. Refreshing is delete-then-insert, so running
it twice changes nothing. Called inside the transaction that changed the facts or the target.
"""

from django.db import transaction
from django.db.models import IntegerField, Min, QuerySet, Value

from core.db import insert_from_select

from ..models import CompletionFact, TargetAchiever, TrainingTarget
from ..selectors.achievement import Criteria, counted_facts

COLUMNS = ("target_id", "user_id", "unit_path", "first_completed_at")
TARGETS_PER_STATEMENT = 100  # SQLite allows 500 terms in a compound SELECT


def _targets(qs: QuerySet[TrainingTarget]) -> list[TrainingTarget]:
    """The targets of `qs` that can count anyone (a target without groups counts no one)."""
    targets = qs.select_related("scope_unit").prefetch_related("target_groups").order_by("pk")
    return [target for target in targets if target.target_groups.all()]


def _select(target: TrainingTarget, user_ids) -> QuerySet[CompletionFact]:
    """The rows of `target`: its people with their unit path and first qualifying completion."""
    rows = counted_facts(Criteria.for_target(target), unit_path=target.scope_unit.path)
    if user_ids is not None:
        rows = rows.filter(user_id__in=user_ids)
    return (
        rows.values("user_id")
        .annotate(
            a_target=Value(target.pk, output_field=IntegerField()),
            a_path=Min("unit_path"),  # a person's facts all carry their one current unit
            a_first=Min("completed_at"),
        )
        .values("a_target", "user_id", "a_path", "a_first")
        .order_by()
    )


def _insert(targets: list[TrainingTarget], user_ids=None) -> int:
    written = 0
    for start in range(0, len(targets), TARGETS_PER_STATEMENT):
        parts = [_select(t, user_ids) for t in targets[start : start + TARGETS_PER_STATEMENT]]
        combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        written += insert_from_select(TargetAchiever, COLUMNS, combined)
    return written


@transaction.atomic
def achievers_for_users(*, user_ids) -> int:
    """(Re)write the rows of these people in every target: after their facts changed.
    `user_ids`: ids, or a query of them (read as a subquery)."""
    if not isinstance(user_ids, QuerySet):
        user_ids = list(user_ids)
        if not user_ids:
            return 0
    TargetAchiever.objects.filter(user_id__in=user_ids).delete()
    # Only targets whose unit contains one of their units can count them.
    paths = set(
        CompletionFact.objects.filter(user_id__in=user_ids)
        .exclude(unit_path="")
        .values_list("unit_path", flat=True)
        .distinct()
    )
    prefixes = {path[:end] for path in paths for end in range(1, len(path) + 1)}
    if not prefixes:
        return 0
    targets = _targets(TrainingTarget.objects.filter(scope_unit__path__in=prefixes))
    return _insert(targets, user_ids) if targets else 0


@transaction.atomic
def achievers_for_targets(*, target_ids) -> int:
    """(Re)write every row of these targets: after their settings, courses or groups changed."""
    target_ids = list(target_ids)
    if not target_ids:
        return 0
    TargetAchiever.objects.filter(target_id__in=target_ids).delete()
    targets = _targets(TrainingTarget.objects.filter(pk__in=target_ids))
    return _insert(targets) if targets else 0


@transaction.atomic
def achievers_rebuild() -> int:
    """Delete every row and derive them again from the facts; returns how many."""
    TargetAchiever.objects.all().delete()
    targets = _targets(TrainingTarget.objects.all())
    return _insert(targets) if targets else 0
