"""Annual report snapshots: the numbers frozen as JSON, then rendered to XLSX from the JSON.

The report is built from the snapshot alone, never from live data, so a report sent in
December can be downloaded again later and say exactly the same thing, with who made it and
when. A snapshot covers the targets of one reporting year whose unit lies at or below the
chosen unit (without a unit: every target of the year); each target is reported at its own
unit with one row per unit directly below it, and its total broken down the way the plans'
indicators are (Kinh, minorities, the target's own ethnic group if it names one; women, men),
each breakdown divided by the population of exactly that breakdown (see
`selectors.population`). Optional filters (ethnic group or minorities, gender, one target
group) narrow every figure of the report the way the target page's filters do.
"""

from django.db import transaction
from django.db.models import F, Value
from django.db.models.lookups import StartsWith
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from people.models import EthnicGroup, OrgUnit

from ..exports import workbook_add_table, xlsx_bytes
from ..models import ReportSnapshot
from ..selectors.achievement import Criteria
from ..selectors.population import KINH
from ..selectors.reports import target_report, targets_loaded, targets_visible_to


def _figure(figure) -> dict:
    return {
        "people": figure.people,
        "population": figure.population,
        "percent": figure.percent,
        "needed": figure.needed,
        "gap": figure.gap,
        "missing_units": figure.missing_units,
        "breakdown": figure.breakdown,
    }


def _breakdowns(target, kinh_id: int | None) -> list[tuple[str, str, dict]]:
    """(key, label, criteria overrides) of the report's breakdown columns for `target`."""
    named = (
        [("named", target.ethnic_group.name, {"ethnic_group_id": target.ethnic_group_id})]
        if target.ethnic_group_id and target.ethnic_group.code != KINH
        else [("named", "", None)]
    )
    return [
        ("kinh", _("Kinh"), {"ethnic_group_id": kinh_id}),
        ("minority", _("Minorities"), {"minority": True}),
        *named,
        ("female", _("Women"), {"gender": "female"}),
        ("male", _("Men"), {"gender": "male"}),
    ]


BREAKDOWN_KEYS = ("kinh", "minority", "named", "female", "male")


@transaction.atomic
def report_snapshot_create(
    *,
    year: int,
    unit: OrgUnit | None = None,
    user=None,
    filters: dict | None = None,
    filter_labels: dict | None = None,
    covering: bool = False,
) -> ReportSnapshot:
    """Compute and freeze the annual report for `year` (and `unit`). With `user`, only the
    targets in that user's manager scopes are included (the dashboard button). `filters` are
    Criteria overrides (`ethnic_group_id`, `minority`, `gender`, `target_group_id`) applied to
    every figure, recorded in the snapshot's parameters as `filter_labels` (codes).

    With `covering` (a unit's report sent up the chain), the report holds every target of the
    year set at `unit` or above it, each counted at `unit` (a commune's share of the
    province's targets, one row per unit below it); the caller has checked `unit`."""
    filters = filters or {}
    kinh_id = EthnicGroup.objects.filter(code=KINH).values_list("pk", flat=True).first()
    targets = targets_loaded()
    if covering:
        targets = targets.filter(StartsWith(Value(unit.path), F("scope_unit__path")))
    elif user is not None:
        targets = targets_visible_to(user)
    targets = targets.filter(reporting_year=year)
    if unit is not None and not covering:
        targets = targets.filter(scope_unit__path__startswith=unit.path)
    at = unit if covering else None
    as_of = timezone.localdate()
    entries = []
    for target in targets.order_by("scope_unit__path", "name", "pk"):
        report = target_report(
            target, unit=at, criteria=Criteria.for_target(target, **filters), as_of=as_of
        )
        pace = report.pace
        breakdown = {}
        for key, label, overrides in _breakdowns(target, kinh_id):
            if overrides is None:
                breakdown[key] = None  # the target names no ethnic group (or names Kinh)
                continue
            criteria = Criteria.for_target(target, **{**filters, **overrides})
            if "ethnic_group_id" in overrides or "minority" in overrides:
                criteria = _replace_ethnic(criteria, overrides)
            total = target_report(target, unit=at, criteria=criteria, with_series=False).total
            breakdown[key] = {"label": str(label), **_figure(total)}
        entries.append(
            {
                "id": target.pk,
                "name": target.name,
                "unit": {
                    "code": (at or target.scope_unit).code,
                    "name": (at or target.scope_unit).name,
                },
                "target_unit": {"code": target.scope_unit.code, "name": target.scope_unit.name},
                "target_group": target.groups_label,
                "ethnic_group": target.ethnic_label,
                "gender": target.get_gender_display() if target.gender else "",
                "what": target.get_topic_display()
                if target.topic
                else ", ".join(target.courses.order_by("title").values_list("title", flat=True)),
                "target_percent": float(target.target_percent),
                "deadline": target.deadline.isoformat(),
                "total": _figure(report.total),
                "breakdown": breakdown,
                "pace_per_month": pace.per_month if pace else None,
                "projected_date": pace.projected_date.isoformat()
                if pace and pace.projected_date
                else None,
                "rows": [
                    {
                        "code": row.code,
                        "name": row.name,
                        "direct": row.direct,
                        **_figure(row.figure),
                    }
                    for row in report.rows
                ],
            }
        )
    return ReportSnapshot.objects.create(
        year=year,
        org_unit=unit,
        parameters={
            "year": year,
            "unit": unit.code if unit else None,
            "as_of": as_of.isoformat(),
            "filters": filter_labels or {},
            **({"covering": True} if covering else {}),
        },
        data={"targets": entries},
        created_by=user,
    )


def _replace_ethnic(criteria: Criteria, overrides: dict) -> Criteria:
    """A breakdown column sets the ethnic dimension exactly (a named group, or minorities)."""
    from dataclasses import replace

    return replace(
        criteria,
        ethnic_group_id=overrides.get("ethnic_group_id"),
        minority=bool(overrides.get("minority")),
    )


def _breakdown_cells(entry: dict) -> list:
    """People, population (or why there is none) and % for each breakdown column."""
    cells = []
    breakdown = entry.get("breakdown") or {}
    for key in BREAKDOWN_KEYS:
        figure = breakdown.get(key)
        if figure is None:
            cells += ["", "", ""]
        else:
            people, population, percent = _cells(figure)[:3]
            cells += [people, population, percent]
    return cells


def _breakdown_headers() -> list[str]:
    headers = []
    for label in (_("Kinh"), _("Minorities"), _("Named ethnic group"), _("Women"), _("Men")):
        headers += [
            _("%(breakdown)s: people") % {"breakdown": label},
            _("%(breakdown)s: population") % {"breakdown": label},
            _("%(breakdown)s: %%") % {"breakdown": label},
        ]
    return headers


def _cells(figure: dict) -> list:
    return [
        figure["people"],
        figure["population"]
        if figure["population"] is not None
        else _("no population data for this breakdown")
        if figure.get("breakdown")
        else _("no population data"),
        figure["percent"] if figure["percent"] is not None else "",
        figure["needed"] if figure["needed"] is not None else "",
        figure["gap"] if figure["gap"] is not None else "",
    ]


def report_xlsx(snapshot: ReportSnapshot) -> bytes:
    """The annual report workbook, from the frozen numbers only."""
    from ..tables import _figure_headers

    made_by = snapshot.created_by.get_username() if snapshot.created_by else _("command line")
    notes = [
        [_("Annual training report"), snapshot.year],
        [_("Unit"), snapshot.org_unit.name if snapshot.org_unit else _("All units")],
        [_("Made by"), made_by],
        [_("Made at"), timezone.localtime(snapshot.created_at).strftime("%Y-%m-%d %H:%M")],
        [_("Snapshot"), snapshot.pk],
    ]
    filters = snapshot.parameters.get("filters") or {}
    if filters:
        notes.append(
            [_("Filters"), ", ".join(f"{name}={value}" for name, value in sorted(filters.items()))]
        )
    workbook = Workbook()
    workbook.remove(workbook.active)
    targets = snapshot.data.get("targets", [])
    workbook_add_table(
        workbook,
        title=_("Summary"),
        notes=notes,
        headers=[
            _("Target"),
            _("Unit"),
            _("Target group"),
            _("Counts"),
            _("Target (%)"),
            _("Deadline"),
            *_figure_headers(),
            _("Projected date"),
            *_breakdown_headers(),
        ],
        rows=[
            [
                t["name"],
                t["unit"]["name"],
                t["target_group"],
                t["what"],
                t["target_percent"],
                t["deadline"],
                *_cells(t["total"]),
                t["projected_date"] or "",
                *_breakdown_cells(t),
            ]
            for t in targets
        ],
    )
    for number, t in enumerate(targets, start=1):
        rows = [
            [
                row["code"],
                row["name"]
                if not row["direct"]
                else _("%(unit)s (registered directly)") % {"unit": row["name"]},
                *_cells(row),
            ]
            for row in t["rows"]
        ]
        rows.append(["", _("Total"), *_cells(t["total"])])
        workbook_add_table(
            workbook,
            title=f"{number}. {t['name']}",
            notes=[
                [_("Target"), t["name"]],
                [_("Unit"), t["unit"]["name"]],
                *(
                    [[_("Named ethnic group"), t["breakdown"]["named"]["label"]]]
                    if (t.get("breakdown") or {}).get("named")
                    else []
                ),
            ],
            headers=[_("Unit code"), _("Unit"), *_figure_headers()],
            rows=rows,
        )
    return xlsx_bytes(workbook)
