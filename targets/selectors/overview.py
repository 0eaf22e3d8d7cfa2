"""What a manager needs to act on: where each target stands against the time it has, and
which units are furthest behind.

**Time elapsed**: the share of the time from 1 January of the target's reporting year to its
deadline that has passed (the plans are annual and count cumulatively, see `achievement`); 100
once the deadline has passed. **On track**: the share of the goal already reached (people
achieved ÷ people needed) is at least the share of time elapsed; **behind** otherwise; **no
data** without a population figure (a percentage would be invented). A unit of a target page
is judged by the same rule with its target's time.

The scope overview reads every target's headline figure from the rollup (`targets_summary(
use_rollup=True)`) and adds, in one statement whatever the number of targets, the people per
child unit and how many of them reached the target in the pace window (for the three units
furthest behind and the projected date), then the child units and population figures of every
target's unit (one query each): a fixed number of queries for any number of targets and units.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Exists, Min, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from core.db import Window, grouped_counts
from courses.models import Enrolment
from courses.models.classes import TrainingSession
from people.models import OrgUnit

from ..models import TrainingTarget
from .achievement import (
    PACE_WINDOW_DAYS,
    Criteria,
    Figure,
    Pace,
    UnitRow,
    _course_condition,
    _people_condition,
    as_of_date,
    counted_facts,
    effective_unit_path,
)
from .population import population_of, population_rows
from .reports import targets_summary

SOON_DAYS = 60
OVERVIEW_BEHIND = 3


class Status:
    ON_TRACK = "on-track"
    BEHIND = "behind"
    NO_DATA = "no-data"


def elapsed_percent(target: TrainingTarget, today: datetime.date | None = None) -> int:
    """The share of the target's time that has passed, 0–100 (see the module docstring)."""
    today = today or timezone.localdate()
    start = datetime.date(target.reporting_year, 1, 1)
    if target.deadline <= start or today >= target.deadline:
        return 100 if today >= target.deadline else 0
    if today <= start:
        return 0
    return round((today - start).days * 100 / (target.deadline - start).days)


def goal_share(figure: Figure) -> float | None:
    """People achieved as a share (0–100) of the people needed; None without a population."""
    if figure.needed is None or not figure.has_population:
        return None
    if figure.needed == 0:
        return 100.0
    return min(100.0, figure.people * 100 / figure.needed)


def status_of(figure: Figure, elapsed: int) -> str:
    share = goal_share(figure)
    if share is None:
        return Status.NO_DATA
    return Status.ON_TRACK if figure.reached or share >= elapsed else Status.BEHIND


def points_behind(figure: Figure) -> Decimal | None:
    """Percentage points between the target and the share achieved (None without data)."""
    if figure.percent is None:
        return None
    return max(Decimal(0), figure.target_percent - Decimal(str(figure.percent)))


@dataclass
class UnitSummary:
    """A target page's units sorted for action: the furthest behind (largest gap in people,
    then the lowest share), those on track, and those without a population figure."""

    behind: list[UnitRow] = field(default_factory=list)
    on_track: list[UnitRow] = field(default_factory=list)
    missing: list[UnitRow] = field(default_factory=list)


def unit_summary(rows: list[UnitRow], elapsed: int, *, limit: int = 10) -> UnitSummary:
    """One pass over a report's rows (no query). `behind` keeps the `limit` largest gaps.
    Each figure's `needed` is read once: a province page has a row per commune."""
    summary = UnitSummary()
    behind = []
    for row in rows:
        if row.direct:
            continue
        figure = row.figure
        population = figure.population
        if population is None:
            summary.missing.append(row)
            continue
        if population <= 0:
            continue  # "population is 0": no data, and not missing either
        needed = figure.needed
        people = figure.people
        if people >= needed or (needed and people * 100 / needed >= elapsed) or not needed:
            summary.on_track.append(row)
        if people < needed:
            behind.append(row)
    behind.sort(key=lambda r: (-r.figure.gap, r.figure.percent or 0, r.name))
    summary.behind = behind[:limit]
    return summary


# --- the scope overview --------------------------------------------------------------------
@dataclass
class OverviewLine:
    target: TrainingTarget
    figure: Figure
    elapsed: int
    status: str
    pace: Pace | None
    behind: list[UnitRow]
    soon: bool

    @property
    def projected_date(self) -> datetime.date | None:
        return self.pace.projected_date if self.pace else None

    @property
    def projected_late(self) -> bool:
        return bool(self.projected_date and self.projected_date > self.target.deadline)


def _day_start(day: datetime.date):
    """The first instant of `day` (project time zone) as the database expects a parameter."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    return connection.ops.adapt_datetimefield_value(moment)


def _children_people(targets: list[TrainingTarget], criteria: dict) -> dict:
    """{(target id, child path): (people, people first reaching it in the pace window)} for
    every target, one statement: a UNION ALL of one GROUP BY per target over its facts."""
    querysets, windows = [], []
    for target in targets:
        unit = target.scope_unit
        as_of = as_of_date(target.reporting_year)
        since = as_of - datetime.timedelta(days=PACE_WINDOW_DAYS)
        querysets.append(
            counted_facts(criteria[target.pk], unit_path=unit.path)
            .annotate(bucket=Substr("unit_path", 1, (unit.depth + 1) * OrgUnit.steplen))
            .values("user_id", "bucket")
            .annotate(first_at=Min("completed_at"))
            .order_by()
        )
        windows.append(
            Window(
                "first_at",
                _day_start(since + datetime.timedelta(days=1)),
                _day_start(as_of + datetime.timedelta(days=1)),
            )
        )
    rows = grouped_counts(querysets, by=("bucket",), windows=windows)
    return {
        (targets[part].pk, bucket): (people, recent or 0) for part, bucket, people, recent in rows
    }


def scope_overview(targets: list[TrainingTarget]) -> list[OverviewLine]:
    """One line per target (see the module docstring); targets whose deadline is within
    `SOON_DAYS` (or passed) first, by deadline, then the others in the order given.

    Queries: the rollup (one, plus three for targets without a current rollup row), people per
    child unit (one statement), child units (one), population figures (one).
    """
    if not targets:
        return []
    summary = targets_summary(targets, use_rollup=True)
    criteria = {t.pk: Criteria.for_target(t) for t in targets}
    people = _children_people(targets, criteria)
    children: dict[int, list[OrgUnit]] = {t.pk: [] for t in targets}
    by_parent: dict[str, list[OrgUnit]] = {}
    condition = Q()
    for target in targets:
        unit = target.scope_unit
        condition |= Q(path__startswith=unit.path, depth=unit.depth + 1)
    for child in (
        OrgUnit.objects.filter(condition, replaced_by__isnull=True)
        .order_by("name", "path")
        .only("pk", "code", "name", "path", "depth")
    ):
        by_parent.setdefault(child.path[: -OrgUnit.steplen], []).append(child)
    for target in targets:
        children[target.pk] = by_parent.get(target.scope_unit.path, [])
    rows = population_rows(
        scopes={
            (t.scope_unit.path, criteria[t.pk].target_group_ids, t.reporting_year) for t in targets
        }
    )
    today = timezone.localdate()
    lines = []
    for target, figure in summary:
        crit = criteria[target.pk]
        unit_rows = []
        recent = 0
        for child in children[target.pk]:
            count, new = people.get((target.pk, child.path), (0, 0))
            recent += new
            unit_rows.append(
                UnitRow(
                    child.pk,
                    child.code,
                    child.name,
                    child.path,
                    child.depth,
                    Figure(
                        people=count,
                        population=population_of(rows, child.path, crit),
                        target_percent=target.target_percent,
                        breakdown=crit.breakdown,
                    ),
                )
            )
        recent += people.get((target.pk, target.scope_unit.path), (0, 0))[1]
        elapsed = elapsed_percent(target, today)
        behind = sorted(
            (row for row in unit_rows if row.figure.gap),
            key=lambda r: (-r.figure.gap, r.figure.percent or 0, r.name),
        )[:OVERVIEW_BEHIND]
        pace = Pace(
            window_days=PACE_WINDOW_DAYS,
            people=recent,
            as_of=as_of_date(target.reporting_year),
            gap=figure.gap,
        )
        lines.append(
            OverviewLine(
                target=target,
                figure=figure,
                elapsed=elapsed,
                status=status_of(figure, elapsed),
                pace=pace,
                behind=behind,
                soon=target.deadline <= today + datetime.timedelta(days=SOON_DAYS),
            )
        )
    soon = sorted((line for line in lines if line.soon), key=lambda line: line.target.deadline)
    return soon + [line for line in lines if not line.soon]


# --- acting on a unit that is behind -------------------------------------------------------
def not_finished(criteria: Criteria, *, unit: OrgUnit) -> QuerySet[Enrolment]:
    """Enrolments in what counts for `criteria`, of its people in the subtree at `unit`
    (where achievement counts them, after the 2025 reform), not completed with evidence, of
    people not yet counted by any other completion: who to call. Longest idle first (the
    enrolment's `updated_at`, touched by every recorded progress, is the last activity)."""
    counted = counted_facts(criteria, unit_path=unit.path).filter(user_id=OuterRef("user_id"))
    return (
        Enrolment.objects.filter(_course_condition(criteria))
        .filter(_people_condition(criteria))
        .annotate(unit_path=effective_unit_path())
        .filter(unit_path__startswith=unit.path)
        .exclude(status=Enrolment.Status.COMPLETED, evidence__gt="")
        .exclude(Exists(counted))
        .select_related("user__profile__org_unit", "course")
        .order_by("updated_at", "pk")
    )


def classes_planned(criteria: Criteria, *, unit: OrgUnit) -> QuerySet[TrainingSession]:
    """Classes of what counts, at a venue in the subtree, planned or running, not yet over."""
    return (
        TrainingSession.objects.filter(_course_condition(criteria))
        .filter(
            venue__path__startswith=unit.path,
            status__in=[TrainingSession.Status.PLANNED, TrainingSession.Status.RUNNING],
            end_date__gte=timezone.localdate(),
        )
        .select_related("course", "venue")
        .order_by("start_date", "pk")
    )
