"""Assemble a target's page and the targets list from the achievement queries.

A target page costs three queries whatever the number of units, learners or courses: the child
units, people per child and first completions per day (one pass, see `people_and_series`),
and the population figures of the subtree. The targets list reads the rollup rows (one
query) and counts the targets without a current one live: people (one statement whatever their
number, see `live_people_counts`), the population figures of their subtrees, their child units.
"""

import datetime

from django.db.models import Count, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Substr

from core.db import rows_by_keys, rows_compiled_once
from people.models import OrgUnit, Scope
from people.selectors import filter_by_unit_scope

from ..models import AchievementRollup, TrainingTarget
from .achievement import (
    PACE_WINDOW_DAYS,
    Criteria,
    Figure,
    Pace,
    TargetReport,
    UnitRow,
    as_of_date,
    counted_facts,
    people_and_series,
    people_by_bucket,
)
from .population import population_of, population_rows, subtree_population


def targets_loaded() -> QuerySet[TrainingTarget]:
    """Targets with what every page and report of them reads: their unit, ethnic group and
    target groups."""
    return TrainingTarget.objects.select_related("scope_unit", "ethnic_group").prefetch_related(
        "target_groups"
    )


def targets_visible_to(user) -> QuerySet[TrainingTarget]:
    """Targets whose unit lies in one of `user`'s manager scopes (administrators: all)."""
    return filter_by_unit_scope(
        targets_loaded(), user, unit_path="scope_unit__path", role=Scope.Role.MANAGER
    )


def child_units(unit: OrgUnit) -> list[tuple[int, str, str, str, int]]:
    """The current children of `unit` as (pk, code, name, path, depth), by name (units replaced
    in the reform count under their successor). Tuples: a province has over a hundred
    communes, and building model instances cost more than reading them; the statement is
    compiled once per process and unit (`rows_compiled_once`)."""
    return rows_compiled_once(
        ("targets.child_units", unit.path, unit.depth),
        lambda: (
            OrgUnit.objects.filter(
                path__startswith=unit.path, depth=unit.depth + 1, replaced_by__isnull=True
            )
            .order_by("name", "path")
            .values_list("pk", "code", "name", "path", "depth")
        ),
    )


def target_report(
    target: TrainingTarget,
    *,
    unit: OrgUnit | None = None,
    criteria: Criteria | None = None,
    with_series: bool = True,
    as_of: datetime.date | None = None,
) -> TargetReport:
    """The figures of `target` at `unit` (default: its own unit) and each unit below it."""
    unit = unit or target.scope_unit
    criteria = criteria or Criteria.for_target(target)
    children = child_units(unit)
    if with_series:
        people, series = people_and_series(criteria, unit=unit)
    else:
        people, series = people_by_bucket(criteria, unit=unit), []
    rows = population_rows(scopes=[(unit.path, criteria.target_group_ids, criteria.year)])
    percent = target.target_percent

    def figure(path: str, count: int) -> Figure:
        return Figure(
            people=count,
            population=population_of(rows, path, criteria),
            target_percent=percent,
            breakdown=criteria.breakdown,
        )

    unit_rows = [
        UnitRow(pk, code, name, path, depth, figure(path, people.get(path, 0)))
        for pk, code, name, path, depth in children
    ]
    direct = people.get(unit.path, 0)
    if direct:
        unit_rows.append(
            UnitRow(
                unit.pk,
                unit.code,
                unit.name,
                unit.path,
                unit.depth,
                Figure(
                    people=direct,
                    population=None,
                    target_percent=percent,
                    breakdown=criteria.breakdown,
                ),
                direct=True,
            )
        )
    population, missing = subtree_population(rows, unit.path, [c[3] for c in children], criteria)
    total = Figure(
        people=sum(people.values()),
        population=population,
        target_percent=percent,
        breakdown=criteria.breakdown,
    )
    total.missing_units = missing
    report = TargetReport(target=target, criteria=criteria, unit=unit, total=total, rows=unit_rows)
    if with_series:
        report.series = series
        as_of = as_of or as_of_date(criteria.year)
        since = as_of - datetime.timedelta(days=PACE_WINDOW_DAYS)
        recent = sum(n for day, n in report.series if since < day <= as_of)
        report.pace = Pace(window_days=PACE_WINDOW_DAYS, people=recent, as_of=as_of, gap=total.gap)
    return report


def _summary_key(target: TrainingTarget) -> tuple:
    """Targets that count the same people the same way at the same depth share one GROUP BY.

    A target counting a topic shares with others of that topic; one counting a set of courses
    counts alone (its set is read by a subquery, not compared in Python).
    """
    return (
        target.reporting_year,
        tuple(sorted(group.pk for group in target.target_groups.all())),
        target.ethnic_group_id,
        target.any_minority,
        target.gender,
        target.topic or f"#{target.pk}",
        target.scope_unit.depth,
    )


def live_people_counts(targets: list[TrainingTarget]) -> dict[int, int]:
    """People achieved per target id, counted now, in one statement whatever the number of
    targets: a UNION ALL of one GROUP BY per set of targets that count alike (34 provincial
    targets of one national indicator are one GROUP BY over the provinces)."""
    if not targets:
        return {}
    sets: dict[tuple, list[TrainingTarget]] = {}
    for target in targets:
        sets.setdefault(_summary_key(target), []).append(target)
    parts = []
    for number, members in enumerate(sets.values()):
        criteria = Criteria.for_target(members[0])
        length = members[0].scope_unit.depth * OrgUnit.steplen
        parts.append(
            counted_facts(criteria, unit_path="")
            .annotate(
                bucket=Substr("unit_path", 1, length),
                part=Value(number, output_field=IntegerField()),
            )
            .filter(bucket__in=[member.scope_unit.path for member in members])
            .values("part", "bucket")
            .annotate(people=Count("user_id", distinct=True))
            .order_by()
        )
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    people = {(row["part"], row["bucket"]): row["people"] for row in combined}
    return {
        member.pk: people.get((number, member.scope_unit.path), 0)
        for number, members in enumerate(sets.values())
        for member in members
    }


def targets_summary(
    targets: list[TrainingTarget], *, use_rollup: bool = False
) -> list[tuple[TrainingTarget, Figure]]:
    """Each target with its overall figure, in a fixed number of queries.

    Live (the default): people for every target (one statement, `live_people_counts`), the
    population figures and the child units of every target's unit (three queries). With
    `use_rollup` (the targets list), figures come from `AchievementRollup` (one query, a small
    table); only targets without a current row are counted live, with the same three queries.
    Each figure's `as_of` says when it was counted (None: now).
    """
    if not targets:
        return []
    figures = {}
    if use_rollup:
        by_id = {t.pk: t for t in targets}
        for target_id, people, population, missing, counted_for, refreshed_at in _rollup_rows(
            list(by_id)
        ):
            target = by_id[target_id]
            if _aware(counted_for) == target.updated_at:  # else edited since: counted live
                figures[target_id] = Figure(
                    people=people,
                    population=population,
                    target_percent=target.target_percent,
                    missing_units=missing,
                    as_of=_aware(refreshed_at),
                    breakdown=bool(target.ethnic_group_id or target.any_minority or target.gender),
                )
    if len(figures) < len(targets):
        figures.update(live_figures([t for t in targets if t.pk not in figures]))
    return [(target, figures[target.pk]) for target in targets]


def _rollup_rows(ids: list[int]) -> list[tuple]:
    """The rollup rows of `ids`: (target id, people, population, missing units, the target's
    `updated_at` they were counted for, refreshed at), the two times as SQL text.

    One plain SELECT (`core.db.rows_by_keys`): the list's hot path, where compiling the ORM
    query cost more than running it (see bench/README.md). The times come as text for
    `datetime.fromisoformat` (C): psycopg's timezone-aware loader, which Django installs, is
    Python code and cost more than the query itself for a few dozen rows.
    """
    return rows_by_keys(
        AchievementRollup,
        "target",
        ids,
        ("target", "people", "population", "missing_units", "target_updated_at", "refreshed_at"),
        as_text=("target_updated_at", "refreshed_at"),
    )


def _aware(text: str) -> datetime.datetime:
    """A timestamp's SQL text as an aware datetime: PostgreSQL prints the offset (the
    connection's time zone is UTC), SQLite stores naive UTC."""
    value = datetime.datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=datetime.UTC)


def live_figures(targets: list[TrainingTarget]) -> dict[int, Figure]:
    """Figures counted now: people, population and units missing one (three queries)."""
    if not targets:
        return {}
    people = live_people_counts(targets)
    criteria = {t.pk: Criteria.for_target(t) for t in targets}
    rows = population_rows(
        scopes={
            (t.scope_unit.path, criteria[t.pk].target_group_ids, t.reporting_year) for t in targets
        }
    )
    children: dict[str, list[str]] = {}
    condition = Q()
    for target in targets:
        unit = target.scope_unit
        condition |= Q(path__startswith=unit.path, depth=unit.depth + 1)
    for path in (
        OrgUnit.objects.filter(condition, replaced_by__isnull=True)
        .order_by("path")
        .values_list("path", flat=True)
    ):
        children.setdefault(path[: -OrgUnit.steplen], []).append(path)
    figures = {}
    for target in targets:
        path = target.scope_unit.path
        population, missing = subtree_population(
            rows, path, children.get(path, []), criteria[target.pk]
        )
        figures[target.pk] = Figure(
            people=people[target.pk],
            population=population,
            target_percent=target.target_percent,
            missing_units=missing,
            breakdown=criteria[target.pk].breakdown,
        )
    return figures
