"""The consolidated report of a unit's accepted lower reports as a workbook (for LGSP and by
hand): a summary sheet per target with its sum, one row per included unit, and the units whose
report is missing or not yet accepted. Made from the frozen versions only."""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from ..exports import workbook_add_table, xlsx_bytes
from ..selectors.submissions import Consolidated

STATE_LABELS = {
    "accepted": lambda: _("Accepted"),
    "submitted": lambda: _("Submitted"),
    "returned": lambda: _("Returned for changes"),
    "missing": lambda: _("Missing (past the due date)"),
    "waiting": lambda: _("Not submitted yet"),
}


def _blank(value):
    return "" if value is None else value


def consolidated_xlsx(report: Consolidated) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook_add_table(
        workbook,
        title=_("Summary"),
        notes=[
            [_("Consolidated report"), report.year],
            [_("Unit"), report.unit.name],
            [_("Reports included"), len(report.included)],
            [_("Reports missing or not accepted"), len(report.missing)],
        ],
        headers=[
            _("Target"),
            _("Target (%)"),
            _("People"),
            _("Population"),
            _("Achieved (%)"),
            _("Units without population"),
        ],
        rows=[
            [
                t.name,
                t.target_percent,
                t.figure.people,
                _blank(t.figure.population),
                _blank(t.figure.percent),
                t.figure.missing_units,
            ]
            for t in report.targets
        ],
    )
    for number, t in enumerate(report.targets, start=1):
        workbook_add_table(
            workbook,
            title=f"{number}. {t.name}",
            notes=[[_("Target"), t.name]],
            headers=[_("Unit code"), _("Unit"), _("Version"), _("People"), _("Population"), "%"],
            rows=[
                [
                    u["unit_code"],
                    u["unit_name"],
                    u["version"],
                    u["people"],
                    _blank(u["population"]),
                    _blank(u["percent"]),
                ]
                for u in t.units
            ]
            + [
                [
                    "",
                    _("Total"),
                    "",
                    t.figure.people,
                    _blank(t.figure.population),
                    _blank(t.figure.percent),
                ]
            ],
        )
    workbook_add_table(
        workbook,
        title=_("Missing"),
        notes=[[_("Reports not included"), len(report.missing)]],
        headers=[_("Unit code"), _("Unit"), _("Due date"), _("State")],
        rows=[
            [
                r.unit.code,
                r.unit.name,
                r.due_date.isoformat() if r.due_date else "",
                STATE_LABELS[r.state](),
            ]
            for r in report.missing
        ],
    )
    return xlsx_bytes(workbook)
