"""Refreshing the achievement rollup behind the targets list (see `AchievementRollup`)."""

from django.db import transaction
from django.utils import timezone

from ..models import AchievementRollup, TrainingTarget
from ..selectors.reports import live_people_counts


@transaction.atomic
def achievement_rollup_refresh() -> int:
    """Count every target live (one statement) and store the counts; returns how many."""
    targets = list(TrainingTarget.objects.select_related("scope_unit"))
    counts = live_people_counts(targets)
    now = timezone.now()
    AchievementRollup.objects.bulk_create(
        [
            AchievementRollup(
                target=target,
                people=counts[target.pk],
                target_updated_at=target.updated_at,
                refreshed_at=now,
            )
            for target in targets
        ],
        update_conflicts=True,
        unique_fields=["target"],
        update_fields=["people", "target_updated_at", "refreshed_at"],
        batch_size=1000,
    )
    return len(targets)
