"""Refreshing the achievement rollup behind the targets list (see `AchievementRollup`)."""

from django.db import transaction
from django.utils import timezone

from ..models import AchievementRollup, TrainingTarget
from ..selectors.reports import live_figures


@transaction.atomic
def achievement_rollup_refresh() -> int:
    """Count every target live (one statement) and store the counts; returns how many."""
    targets = list(
        TrainingTarget.objects.select_related("scope_unit").prefetch_related("target_groups")
    )
    figures = live_figures(targets)
    now = timezone.now()
    AchievementRollup.objects.bulk_create(
        [
            AchievementRollup(
                target=target,
                people=figures[target.pk].people,
                population=figures[target.pk].population,
                missing_units=figures[target.pk].missing_units,
                target_updated_at=target.updated_at,
                refreshed_at=now,
            )
            for target in targets
        ],
        update_conflicts=True,
        unique_fields=["target"],
        update_fields=[
            "people",
            "population",
            "missing_units",
            "target_updated_at",
            "refreshed_at",
        ],
        batch_size=1000,
    )
    return len(targets)


def achievement_rollup_discard() -> None:
    """Forget every rollup row (after a population change): the list counts live until the
    next refresh, so a new figure shows at once."""
    AchievementRollup.objects.all().delete()
