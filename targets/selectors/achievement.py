"""Achievement: how many people of a target's group completed what counts, per unit.

Everything is counted in the database. A person counts once per unit however many qualifying
courses they completed (COUNT DISTINCT user). The rules, chosen so that the figure answers
"what share of the village heads of this commune has been trained":

- **What counts**: an enrolment completed with evidence the server judged (`evidence`: a passed
  server-graded final assessment, or a class completed by attendance; browser-reported
  results alone never count), whatever its source, in one of the target's courses, or in any
  course of its topic when the target names a topic.
- **When**: completions up to the end of the reporting year (31 December, Vietnam time),
  cumulatively: the plans measure the share of people trained, not trained this year. The
  deadline is used for the projection, not as a cut-off.
- **Who**: the learner's profile must be in one of the target's groups (a person in two groups
  counts once, and for targets of either) and, when the target says so, of its ethnic group
  (or any minority: everyone with an ethnic group other than Kinh, GSO 01) and gender.
- **Where**: the learner's current unit (moves are not historised: someone who moved counts
  where they are now). The 2025 reform: a unit that was merged has `replaced_by`; people
  registered under it count for the unit that replaced it, following `replaced_by` up to
  `MAX_REPLACEMENT_STEPS` steps (the real reform needs two: commune -> merged commune ->
  renamed one), so a target set on a new province counts people of the units it replaced.

The pages count from `CompletionFact` (one row per completion with evidence and target group
of its learner, kept in step in the completing transaction: see `targets.signals`), so a
drill-down under any filter reads one narrow indexed table; `qualifying_enrolments` states the
same rule over the source tables and is the recount the facts are checked against. A target
under its own settings (no filter, `Criteria.own`) reads `TargetAchiever` instead: the same
people, one row each with their first qualifying completion, derived from the facts.
"""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.db.models import (
    CharField,
    Count,
    DateField,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce, Substr, TruncDate
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext

from core.db import grouped_counts, rows_compiled_once
from courses.models import CoursePage, Enrolment
from people.models import OrgUnit, Profile
from people.selectors import MAX_REPLACEMENT_STEPS

from ..models import CompletionFact, TargetAchiever, TrainingTarget
from .population import KINH

PACE_WINDOW_DAYS = 90
_UNIT = "user__profile__org_unit"


def effective_unit_path():
    """The path of the learner's unit after following `replaced_by` (at most N steps)."""
    chains = [
        _UNIT + "__replaced_by" * step + "__path" for step in range(MAX_REPLACEMENT_STEPS, 0, -1)
    ]
    return Coalesce(*chains, F(_UNIT + "__path"))


def year_end(year: int) -> datetime.datetime:
    """The first instant after the reporting year, in the project's time zone."""
    return timezone.make_aware(datetime.datetime(year + 1, 1, 1))


@dataclass(frozen=True)
class Criteria:
    """Who and what a count is about: a target's own settings, possibly narrowed by filters.

    A filter replaces the target's own setting of that dimension: a target group filter counts
    that one group, an ethnic group filter that group (or every minority), a gender filter that
    gender. The population divides by exactly the same breakdown (see `selectors.population`).
    """

    target_id: int
    year: int
    target_group_ids: tuple[int, ...]
    ethnic_group_id: int | None = None
    minority: bool = False  # everyone but the Kinh (GSO 01); excludes `ethnic_group_id`
    gender: str = ""
    topic: str = ""
    course_id: int | None = None  # a filter: one of the courses that count
    # The target's own settings, no filter: its people are in `TargetAchiever` (one row each).
    own: bool = False

    @property
    def breakdown(self) -> bool:
        """Counted under an ethnic or gender breakdown: its population is that breakdown's."""
        return bool(self.ethnic_group_id or self.minority or self.gender)

    @classmethod
    def for_target(cls, target: TrainingTarget, **overrides) -> "Criteria":
        """The target's criteria; reads its groups from the prefetch cache when there is one."""
        values = {
            "target_id": target.pk,
            "year": target.reporting_year,
            "target_group_ids": tuple(sorted(group.pk for group in target.target_groups.all())),
            "ethnic_group_id": target.ethnic_group_id,
            "minority": target.any_minority,
            "gender": target.gender,
            "topic": target.topic,
        }
        overrides = {k: v for k, v in overrides.items() if v not in (None, "", False, ())}
        values["own"] = not overrides
        if "target_group_id" in overrides:
            overrides["target_group_ids"] = (overrides.pop("target_group_id"),)
        if "ethnic_group_id" in overrides or "minority" in overrides:
            values["ethnic_group_id"], values["minority"] = None, False
        values.update(overrides)
        return cls(**values)


def _course_condition(criteria: Criteria, prefix: str = "") -> Q:
    """What counts: the target's topic, else its courses (read by a subquery, not in Python)."""
    if criteria.topic:
        condition = Q(**{f"{prefix}course__topic": criteria.topic})
    else:
        through = TrainingTarget.courses.through.objects.filter(
            trainingtarget_id=criteria.target_id
        ).values("coursepage_id")
        condition = Q(**{f"{prefix}course_id__in": through})
    if criteria.course_id:
        condition &= Q(**{f"{prefix}course_id": criteria.course_id})
    return condition


def _people_condition(criteria: Criteria) -> Q:
    """In any of the criteria's target groups (an EXISTS: a person in two counts once)."""
    in_group = Profile.target_groups.through.objects.filter(
        profile__user_id=OuterRef("user_id"), targetgroup_id__in=criteria.target_group_ids
    )
    condition = Q(Exists(in_group))
    if criteria.minority:
        condition &= Q(user__profile__ethnic_group__isnull=False) & ~Q(
            user__profile__ethnic_group__code=KINH
        )
    elif criteria.ethnic_group_id:
        condition &= Q(user__profile__ethnic_group_id=criteria.ethnic_group_id)
    if criteria.gender:
        condition &= Q(user__profile__gender=criteria.gender)
    return condition


def qualifying_enrolments(criteria: Criteria, *, unit_path: str) -> QuerySet[Enrolment]:
    """Completed enrolments with evidence that count for `criteria` in the subtree at
    `unit_path`, read from the source tables: the recount that `CompletionFact` must equal.

    Annotated with `unit_path`, the learner's effective unit (after the 2025 reform).
    """
    return (
        Enrolment.objects.with_evidence()
        .filter(completed_at__lt=year_end(criteria.year))
        .filter(_course_condition(criteria))
        .filter(_people_condition(criteria))
        .annotate(unit_path=effective_unit_path())
        .filter(unit_path__startswith=unit_path)
    )


def counted_facts(criteria: Criteria, *, unit_path: str) -> QuerySet[CompletionFact]:
    """The `CompletionFact` rows that count for `criteria` in the subtree at `unit_path`: the
    same rule as `qualifying_enrolments`, answered from one narrow table and its covering index
    instead of joining every enrolment to profiles, groups and units."""
    qs = CompletionFact.objects.filter(
        target_group_id__in=criteria.target_group_ids,
        unit_path__startswith=unit_path,
        completed_at__lt=year_end(criteria.year),
    )
    if criteria.topic:
        qs = qs.filter(course_id__in=CoursePage.objects.filter(topic=criteria.topic).values("pk"))
    else:
        qs = qs.filter(
            course_id__in=TrainingTarget.courses.through.objects.filter(
                trainingtarget_id=criteria.target_id
            ).values("coursepage_id")
        )
    if criteria.course_id:
        qs = qs.filter(course_id=criteria.course_id)
    if criteria.minority:
        qs = qs.filter(minority=True)
    elif criteria.ethnic_group_id:
        qs = qs.filter(ethnic_group_id=criteria.ethnic_group_id)
    if criteria.gender:
        qs = qs.filter(gender=criteria.gender)
    return qs


def recount_people_by_bucket(criteria: Criteria, *, unit: OrgUnit) -> dict[str, int]:
    """`people_by_bucket` counted from the source tables (tests and audits compare them)."""
    length = (unit.depth + 1) * OrgUnit.steplen
    rows = (
        qualifying_enrolments(criteria, unit_path=unit.path)
        .annotate(bucket=Substr("unit_path", 1, length))
        .values("bucket")
        .annotate(people=Count("user_id", distinct=True))
        .order_by()
    )
    return {row["bucket"]: row["people"] for row in rows}


def people_by_bucket(
    criteria: Criteria, *, unit: OrgUnit, from_facts: bool = False
) -> dict[str, int]:
    """Distinct people per child subtree of `unit` (one GROUP BY query).

    Keys are the child's path; people registered at `unit` itself come under `unit.path`.
    Under the target's own settings, read from its achievers (`from_facts`: from the facts
    anyway, to check one against the other).
    """
    length = (unit.depth + 1) * OrgUnit.steplen
    if criteria.own and not from_facts:
        rows = (
            _achievers(criteria, unit=unit)
            .annotate(bucket=Substr("unit_path", 1, length))
            .values("bucket")
            .annotate(people=Count("*"))
            .order_by()
        )
    else:
        rows = (
            counted_facts(criteria, unit_path=unit.path)
            .annotate(bucket=Substr("unit_path", 1, length))
            .values("bucket")
            .annotate(people=Count("user_id", distinct=True))
            .order_by()
        )
    return {row["bucket"]: row["people"] for row in rows}


def _achievers(criteria: Criteria, *, unit: OrgUnit) -> QuerySet[TargetAchiever]:
    return TargetAchiever.objects.filter(
        target_id=criteria.target_id, unit_path__startswith=unit.path
    )


def people_and_series(
    criteria: Criteria, *, unit: OrgUnit, from_facts: bool = False
) -> tuple[dict[str, int], list[tuple[datetime.date, int]]]:
    """People per child subtree of `unit` and first completions per day, in one query.

    Inside: one row per person (their child subtree, the day of their first qualifying
    completion); outside: a count per (subtree, day). Summed by subtree it gives the people of
    `people_by_bucket`; summed by day, how many people reached the target each day (the chart
    and the pace). One pass over the enrolments instead of two.
    """
    length = (unit.depth + 1) * OrgUnit.steplen
    if criteria.own and not from_facts:
        # One row per person already (no MIN at read time), so people per subtree and per
        # day are two small GROUP BYs (a hundred subtrees, a few hundred days) in one
        # statement, rather than a row per (subtree, day) pair: nearly one per person.
        def both():
            achievers = _achievers(criteria, unit=unit).order_by()
            by_unit = (
                achievers.annotate(bucket=Substr("unit_path", 1, length))
                .values("bucket")
                .annotate(day=Value(None, output_field=DateField()), people=Count("*"))
                .values_list("bucket", "day", "people")
            )
            by_day = (
                achievers.annotate(day=TruncDate("first_completed_at"))
                .values("day")
                .annotate(bucket=Value(None, output_field=CharField()), people=Count("*"))
                .values_list("bucket", "day", "people")
            )
            return by_unit.union(by_day, all=True)

        # The same statement for the same target and unit: compiled once per process.
        key = ("targets.people_and_series", criteria.target_id, unit.path, length)
        people: dict[str, int] = {}
        days: dict[datetime.date, int] = {}
        for bucket, day, count in rows_compiled_once(key, both):
            if bucket is not None:
                people[bucket] = count
            else:
                days[_date(day)] = count
        return people, sorted(days.items())
    per_person = (
        counted_facts(criteria, unit_path=unit.path)
        .annotate(bucket=Substr("unit_path", 1, length))
        .values("user_id", "bucket")
        .annotate(day=TruncDate(Min("completed_at")))
        .order_by()
    )
    rows = grouped_counts([per_person], by=("bucket", "day"))
    return _people_and_days([(bucket, day, count) for _part, bucket, day, count in rows])


def _people_and_days(rows) -> tuple[dict[str, int], list[tuple[datetime.date, int]]]:
    """(bucket, day, people) rows summed by bucket and by day."""
    people: dict[str, int] = defaultdict(int)
    days: dict[datetime.date, int] = defaultdict(int)
    for bucket, day, count in rows:
        people[bucket] += count
        days[_date(day)] += count
    return dict(people), sorted(days.items())


def _date(day) -> datetime.date:
    """A day from raw SQL: SQLite returns dates as text."""
    return datetime.date.fromisoformat(day) if isinstance(day, str) else day


# --- figures -----------------------------------------------------------------------------
# A share is `round(people * 100 / population, 1)`, at most 100: a float whose shortest text
# has one decimal. The two helpers print it as `Decimal.quantize(1, ROUND_HALF_UP)` and
# `number_format(share, 1)` would (tests/targets/test_share_text.py checks every share from
# 0.0 to 100.0 in each language), without their per-call costs: a province page prints a share
# per commune, and number_format's lookups (language, format module) were its costliest call.
def share_rounded(share: float) -> str:
    """The share as a whole number, halves rounded up (52.5 -> "53")."""
    return str(int(share + 0.5))  # x.5 is exact in binary; x.4 + 0.5 stays below x + 1


def share_text(share: float, separator: str | None = None) -> str:
    """The share with one decimal and the active language's decimal separator (or
    `separator`, read once by a caller printing many): no grouping, three digits at most."""
    if separator is None:
        separator = get_format("DECIMAL_SEPARATOR")
    return f"{share:.1f}".replace(".", separator)


@dataclass
class Figure:
    """Achieved people against the population of one unit (or a whole target)."""

    people: int
    population: int | None
    target_percent: Decimal
    missing_units: int = 0  # current child units without a population figure
    as_of: datetime.datetime | None = None  # when it was counted (None: now)
    breakdown: bool = False  # counted under an ethnic group or gender breakdown

    @property
    def missing_label(self) -> str:
        """What to show instead of a population that is unknown."""
        if self.breakdown:
            return gettext("no population data for this breakdown")
        return gettext("no population data")

    @property
    def has_population(self) -> bool:
        return self.population is not None and self.population > 0

    @cached_property  # read by the bar, its name, the sort key and the summary of every row
    def percent(self) -> float | None:
        """Share achieved, None without a population; never above 100 (see `over`).
        A figure's people and population are set once, when it is made."""
        if not self.has_population:
            return None
        return min(100.0, round(self.people * 100 / self.population, 1))

    # Display values, computed once here rather than by template filters on every row (a
    # province page has a row per commune: floatformat and number_format cost more than the
    # query behind the page).
    @property
    def percent_rounded(self) -> str:
        """The share as a whole number (bar width, aria-valuenow), "" without a population."""
        return "" if self.percent is None else share_rounded(self.percent)

    @property
    def percent_text(self) -> str:
        """The share with one decimal in the active language's format ("52,9" in Vietnamese)."""
        return "" if self.percent is None else share_text(self.percent)

    @property
    def goal_rounded(self) -> str:
        return str(int(self.target_percent.quantize(Decimal(1), ROUND_HALF_UP)))

    @property
    def over(self) -> bool:
        """More people achieved than the population says: the figure needs checking."""
        return self.population is not None and self.people > self.population

    @cached_property
    def needed(self) -> int | None:
        """People needed to reach the target (rounded up), None without a population."""
        if self.population is None:
            return None
        return math.ceil(self.population * self.target_percent / 100)

    @property
    def gap(self) -> int | None:
        if self.needed is None:
            return None
        return max(self.needed - self.people, 0)

    @property
    def reached(self) -> bool:
        return self.gap == 0 and self.has_population


@dataclass
class UnitRow:
    unit_id: int
    code: str
    name: str
    path: str
    depth: int
    figure: Figure
    direct: bool = False  # people registered at the viewed unit itself

    @property
    def has_children(self) -> bool:
        return not self.direct


@dataclass
class Pace:
    window_days: int
    people: int
    as_of: datetime.date
    gap: int | None

    @property
    def per_month(self) -> float:
        return round(self.people * 30 / self.window_days, 1)

    @property
    def projected_date(self) -> datetime.date | None:
        """When the gap closes at the pace of the last window; None if never at that pace."""
        if self.gap is None:
            return None
        if self.gap == 0:
            return self.as_of
        if self.people == 0:
            return None
        return self.as_of + datetime.timedelta(
            days=math.ceil(self.gap * self.window_days / self.people)
        )


@dataclass
class TargetReport:
    """Everything a target page (and the annual report) shows for one unit of a target."""

    target: TrainingTarget
    criteria: Criteria
    unit: OrgUnit
    total: Figure
    rows: list[UnitRow]
    series: list[tuple[datetime.date, int]] = field(default_factory=list)
    pace: Pace | None = None
    computed_at: datetime.datetime | None = None  # set when served from the cache
    cache_key: str | None = None  # the cache entry it came from (None: counted for this view)

    @property
    def rows_missing_population(self) -> list[UnitRow]:
        return [row for row in self.rows if row.figure.population is None]

    @property
    def furthest_behind(self) -> list[UnitRow]:
        """Units with a population, the largest gap first (then the lowest share)."""
        known = [row for row in self.rows if row.figure.gap]
        return sorted(known, key=lambda r: (-r.figure.gap, r.figure.percent or 0, r.name))[:5]


def as_of_date(year: int) -> datetime.date:
    today = timezone.localdate()
    return min(today, datetime.date(year, 12, 31))
