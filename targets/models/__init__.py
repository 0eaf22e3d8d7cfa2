"""The targets room's models: targets and their numbers (`targets`), and annual reports sent
up the org tree (`submissions`)."""

from .submissions import ReportDeadline, ReportEvent, ReportSubmission, ReportVersion
from .targets import (
    AchievementRollup,
    CompletionFact,
    Population,
    ReportSnapshot,
    TargetAchiever,
    TrainingTarget,
)

__all__ = [
    "AchievementRollup",
    "CompletionFact",
    "Population",
    "ReportDeadline",
    "ReportEvent",
    "ReportSnapshot",
    "ReportSubmission",
    "ReportVersion",
    "TargetAchiever",
    "TrainingTarget",
]
