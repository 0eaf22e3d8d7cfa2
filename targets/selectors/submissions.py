"""Reads about annual reports sent up the org tree: who reports to whom, by when, who may act,
what has come in, and the consolidated report of the unit above.

Acting is tied to a manager scope *at* a unit, not merely above it: a unit's managers submit
its report, and the managers of the unit it goes to accept or return it. So a province's
manager (whose scope covers every commune) can neither submit a commune's report nor decide
one addressed to a district, and nobody decides a report of a unit they manage. Seeing follows
the usual subtree scopes (`filter_by_unit_scope`), in SQL.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Q, QuerySet, Value
from django.db.models.lookups import StartsWith
from django.utils import timezone

from people.models import OrgUnit, Scope
from people.selectors import (
    MAX_REPLACEMENT_STEPS,
    filter_by_client_scope,
    filter_by_unit_scope,
    user_is_unrestricted,
)

from ..models import ReportDeadline, ReportSubmission, ReportVersion
from ..models.submissions import ReportLevel
from .achievement import Figure

LEVELS = tuple(ReportLevel.values)


def unit_above(unit: OrgUnit) -> OrgUnit | None:
    """Where `unit` sends its report: its parent in the tree, or the unit that replaced the
    parent in the 2025 reform (a district merged away: its successor). None at the top."""
    if unit.depth <= 1:
        return None
    parent = OrgUnit.objects.filter(path=unit.path[: -OrgUnit.steplen]).first()
    steps = 0
    while parent is not None and parent.replaced_by_id and steps < MAX_REPLACEMENT_STEPS:
        parent = OrgUnit.objects.filter(pk=parent.replaced_by_id).first()
        steps += 1
    return parent


def deadlines_for_year(year: int) -> list[tuple[str, str | None, datetime.date]]:
    """(level, unit path or None, due date) of every deadline of `year` (a small table)."""
    return list(
        ReportDeadline.objects.filter(year=year).values_list("level", "unit__path", "due_date")
    )


def deadline_pick(deadlines, *, kind: str, path: str) -> datetime.date | None:
    """The deadline for a unit of `kind` at `path`: the one set at the deepest unit above it,
    else the one set for everywhere."""
    best, best_len = None, -1
    for level, unit_path, due in deadlines:
        if level != kind:
            continue
        length = len(unit_path) if unit_path else 0
        if (unit_path is None or path.startswith(unit_path)) and length > best_len:
            best, best_len = due, length
    return best


def deadline_for(unit: OrgUnit, year: int) -> datetime.date | None:
    return deadline_pick(deadlines_for_year(year), kind=unit.kind, path=unit.path)


def _managed_exactly(user) -> QuerySet[Scope]:
    return Scope.objects.filter(user=user, role=Scope.Role.MANAGER)


def may_submit(user, unit: OrgUnit) -> bool:
    """A manager scope at `unit` itself (administrators: any unit), for a level that reports."""
    if unit.kind not in LEVELS or not user.is_authenticated:
        return False
    return user_is_unrestricted(user) or _managed_exactly(user).filter(org_unit=unit).exists()


def may_review(user, submission: ReportSubmission) -> bool:
    """A manager scope at the unit the report was sent to (administrators: any), and not a
    report of a unit the user manages or whose current version they sent."""
    if not user.is_authenticated:
        return False
    if _managed_exactly(user).filter(org_unit_id=submission.unit_id).exists():
        return False
    if ReportVersion.objects.filter(
        submission=submission, number=submission.version, submitted_by=user
    ).exists():
        return False
    return (
        user_is_unrestricted(user)
        or _managed_exactly(user).filter(org_unit_id=submission.recipient_id).exists()
    )


def units_reporting_by(user) -> QuerySet[OrgUnit]:
    """The units whose report `user` sends: a manager scope at a commune or district."""
    return OrgUnit.objects.filter(
        pk__in=_managed_exactly(user).values("org_unit"), kind__in=LEVELS, depth__gt=1
    ).order_by("path")


def units_receiving_by(user) -> QuerySet[OrgUnit]:
    """The units whose incoming reports `user` decides: a manager scope at the unit."""
    return OrgUnit.objects.filter(pk__in=_managed_exactly(user).values("org_unit")).order_by("path")


def submissions_visible_to(user) -> QuerySet[ReportSubmission]:
    """Reports of units inside the user's manager scopes (their own, and those below)."""
    qs = ReportSubmission.objects.select_related("unit", "recipient", "decided_by")
    return filter_by_unit_scope(qs, user, unit_path="unit__path", role=Scope.Role.MANAGER)


def submissions_visible_to_client(client) -> QuerySet[ReportSubmission]:
    qs = ReportSubmission.objects.select_related("unit", "recipient")
    return filter_by_client_scope(qs, client, unit_path="unit__path")


def reporting_units_below(recipient: OrgUnit, year: int) -> QuerySet[OrgUnit]:
    """The units expected to report to `recipient` for `year`: its current children that
    report (communes, districts), not merged away and still existing at the year's end."""
    year_end = datetime.date(year, 12, 31)
    return OrgUnit.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=year_end),
        path__startswith=recipient.path,
        depth=recipient.depth + 1,
        replaced_by__isnull=True,
        kind__in=LEVELS,
    ).order_by("name", "path")


@dataclass
class IncomingRow:
    unit: OrgUnit
    due_date: datetime.date | None
    submission: ReportSubmission | None = None

    @property
    def state(self) -> str:
        """accepted, submitted, returned, missing (due date passed) or waiting (not yet)."""
        if self.submission is not None:
            return self.submission.status
        if self.due_date is not None and timezone.localdate() > self.due_date:
            return "missing"
        return "waiting"


def incoming_reports(recipient: OrgUnit, year: int) -> list[IncomingRow]:
    """Every unit expected to report to `recipient` for `year`, with its report if any, plus
    reports sent there by units no longer below it (three queries)."""
    deadlines = deadlines_for_year(year)
    submissions = {
        s.unit_id: s
        for s in ReportSubmission.objects.filter(recipient=recipient, year=year).select_related(
            "unit"
        )
    }
    rows = []
    for unit in reporting_units_below(recipient, year):
        rows.append(
            IncomingRow(
                unit=unit,
                due_date=deadline_pick(deadlines, kind=unit.kind, path=unit.path),
                submission=submissions.pop(unit.pk, None),
            )
        )
    for submission in submissions.values():
        rows.append(IncomingRow(submission.unit, submission.due_date, submission))
    return rows


@dataclass
class ConsolidatedTarget:
    id: int
    name: str
    target_percent: float
    units: list[dict] = field(default_factory=list)
    figure: Figure | None = None


@dataclass
class Consolidated:
    unit: OrgUnit
    year: int
    rows: list[IncomingRow]
    included: list[IncomingRow]
    missing: list[IncomingRow]
    targets: list[ConsolidatedTarget]

    def as_json(self) -> dict:
        return {
            "unit": {"id": self.unit.pk, "code": self.unit.code, "name": self.unit.name},
            "year": self.year,
            "included": [
                {
                    "unit_code": r.unit.code,
                    "unit_name": r.unit.name,
                    "version": r.submission.version,
                }
                for r in self.included
            ],
            "missing": [
                {"unit_code": r.unit.code, "unit_name": r.unit.name, "state": r.state}
                for r in self.missing
            ],
            "targets": [
                {
                    "id": t.id,
                    "name": t.name,
                    "target_percent": t.target_percent,
                    "people": t.figure.people,
                    "population": t.figure.population,
                    "percent": t.figure.percent,
                    "units_without_population": t.figure.missing_units,
                    "units": t.units,
                }
                for t in self.targets
            ],
        }


def consolidated_report(recipient: OrgUnit, year: int) -> Consolidated:
    """The report of `recipient` made of its accepted lower reports: for each target in them,
    the sum of the units' frozen figures (people; population of the units that have one, the
    others counted in `missing_units`), and which units are included or missing (four
    queries)."""
    rows = incoming_reports(recipient, year)
    included = [r for r in rows if r.state == ReportSubmission.Status.ACCEPTED]
    missing = [r for r in rows if r.state != ReportSubmission.Status.ACCEPTED]
    snapshots = dict(
        ReportVersion.objects.filter(
            submission__in=[r.submission.pk for r in included],
            number=F("submission__version"),
        ).values_list("submission_id", "snapshot__data")
    )
    targets: dict[int, ConsolidatedTarget] = {}
    for row in included:
        data = snapshots.get(row.submission.pk) or {}
        for entry in data.get("targets", []):
            target = targets.setdefault(
                entry["id"],
                ConsolidatedTarget(entry["id"], entry["name"], entry["target_percent"]),
            )
            total = entry["total"]
            target.units.append(
                {
                    "unit_code": row.unit.code,
                    "unit_name": row.unit.name,
                    "version": row.submission.version,
                    "people": total["people"],
                    "population": total["population"],
                    "percent": total["percent"],
                }
            )
    for target in targets.values():
        known = [u["population"] for u in target.units if u["population"] is not None]
        figure = Figure(
            people=sum(u["people"] for u in target.units),
            population=sum(known) if known else None,
            target_percent=Decimal(str(target.target_percent)),
        )
        figure.missing_units = len(target.units) - len(known)
        target.figure = figure
    return Consolidated(recipient, year, rows, included, missing, list(targets.values()))


def targets_covering(unit: OrgUnit, year: int):
    """Targets of `year` set at `unit` or above it (what its report counts)."""
    from ..models import TrainingTarget

    return TrainingTarget.objects.filter(
        StartsWith(Value(unit.path), F("scope_unit__path")), reporting_year=year
    )
