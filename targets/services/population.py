"""Importing population figures from CSV or XLSX: all or nothing, every bad row reported.

A file has a header row naming the columns `unit_code`, `target_group`, `year`, `count` (any
order, any case). Every row is checked before anything is written: unknown unit code, unknown
target group, a year or count that is not a whole number, a negative count, a unit outside the
importing manager's scope, and the same (unit, group, year) twice in the file. With any error
nothing is written and every error is reported with its line number; otherwise existing figures
are updated and new ones created in one transaction.
"""

import csv
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import OrgUnit, Scope, TargetGroup
from people.selectors import units_visible_to

from ..models import Population
from ..selectors.cache import data_version_bump
from .rollup import achievement_rollup_discard

COLUMNS = ("unit_code", "target_group", "year", "count")
MAX_ROWS = 50_000
MAX_BYTES = 10 * 1024 * 1024


class PopulationImportError(Exception):
    """The file cannot be imported; `errors` lists (line number, message)."""

    def __init__(self, errors: list[tuple[int, str]]):
        super().__init__("; ".join(f"{line}: {message}" for line, message in errors))
        self.errors = errors


@dataclass
class ImportRow:
    line: int
    unit_code: str
    target_group: str
    year: int
    count: int
    unit_name: str = ""
    group_name: str = ""
    previous: int | None = None


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def population_file_rows(*, name: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    """(line number, {column: text}) for each data row of a CSV or XLSX file."""
    if len(content) > MAX_BYTES:
        raise PopulationImportError([(0, _("The file is larger than 10 MB."))])
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
            table = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        except Exception as error:  # openpyxl raises many kinds on a damaged file
            raise PopulationImportError([(0, _("This is not a readable XLSX file."))]) from error
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise PopulationImportError([(0, _("The CSV file must be UTF-8."))]) from error
        table = [[_cell(v) for v in row] for row in csv.reader(io.StringIO(text))]
    if not table:
        raise PopulationImportError([(0, _("The file is empty."))])
    header = [h.lower() for h in table[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise PopulationImportError(
            [(1, _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})]
        )
    if len(table) - 1 > MAX_ROWS:
        raise PopulationImportError([(0, _("At most 50,000 rows per file."))])
    index = {column: header.index(column) for column in COLUMNS}
    rows = []
    for number, values in enumerate(table[1:], start=2):
        if not any(values):
            continue
        values = values + [""] * (len(header) - len(values))
        rows.append((number, {column: values[i] for column, i in index.items()}))
    return rows


def population_validate(*, rows: list[tuple[int, dict[str, str]]], user=None) -> list[ImportRow]:
    """Check every row (three queries in all); raise PopulationImportError listing each error."""
    errors: list[tuple[int, str]] = []
    codes = {values["unit_code"] for _line, values in rows}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=codes).only("pk", "code", "name")}
    allowed = None
    if user is not None:
        allowed = set(
            units_visible_to(user, role=Scope.Role.MANAGER)
            .filter(code__in=codes)
            .values_list("code", flat=True)
        )
    groups = {g.code: g for g in TargetGroup.objects.all()}
    seen: dict[tuple[str, str, int], int] = {}
    parsed = []
    for line, values in rows:
        code, group, year_text, count_text = (values[c] for c in COLUMNS)
        problems = []
        if code not in units:
            problems.append(_("unknown unit code “%(code)s”") % {"code": code})
        elif allowed is not None and code not in allowed:
            problems.append(_("unit “%(code)s” is outside your scope") % {"code": code})
        if group not in groups:
            problems.append(_("unknown target group “%(group)s”") % {"group": group})
        year = count = None
        try:
            year = int(year_text)
            if not 2000 <= year <= 2100:
                problems.append(_("year must be between 2000 and 2100"))
        except ValueError:
            problems.append(_("year “%(value)s” is not a whole number") % {"value": year_text})
        try:
            count = int(count_text)
            if count < 0:
                problems.append(_("count must not be negative"))
        except ValueError:
            problems.append(_("count “%(value)s” is not a whole number") % {"value": count_text})
        key = (code, group, year)
        if key in seen and not problems:
            problems.append(
                _("duplicate of line %(line)s (same unit, group and year)") % {"line": seen[key]}
            )
        seen.setdefault(key, line)
        if problems:
            errors.extend((line, problem) for problem in problems)
            continue
        parsed.append(
            ImportRow(
                line=line,
                unit_code=code,
                target_group=group,
                year=year,
                count=count,
                unit_name=units[code].name,
                group_name=groups[group].name,
            )
        )
    if not rows:
        errors.append((0, _("The file has no data rows.")))
    if errors:
        raise PopulationImportError(errors)
    existing = {
        (p.org_unit.code, p.target_group.code, p.year): p.count
        for p in Population.objects.filter(org_unit__code__in=codes).select_related(
            "org_unit", "target_group"
        )
    }
    for row in parsed:
        row.previous = existing.get((row.unit_code, row.target_group, row.year))
    return parsed


@transaction.atomic
def population_import(*, rows: list[tuple[int, dict[str, str]]], user=None) -> dict[str, int]:
    """Validate then write every figure, or nothing. Returns counts created/updated."""
    parsed = population_validate(rows=rows, user=user)
    units = dict(
        OrgUnit.objects.filter(code__in={r.unit_code for r in parsed}).values_list("code", "pk")
    )
    groups = dict(TargetGroup.objects.values_list("code", "pk"))
    existing = {
        (p.org_unit_id, p.target_group_id, p.year): p
        for p in Population.objects.select_for_update().filter(org_unit_id__in=units.values())
    }
    to_create, to_update = [], []
    for row in parsed:
        key = (units[row.unit_code], groups[row.target_group], row.year)
        current = existing.get(key)
        if current is None:
            to_create.append(
                Population(org_unit_id=key[0], target_group_id=key[1], year=key[2], count=row.count)
            )
        elif current.count != row.count:
            current.count = row.count
            current.updated_at = timezone.now()  # bulk_update skips auto_now
            to_update.append(current)
    Population.objects.bulk_create(to_create, batch_size=1000)
    Population.objects.bulk_update(to_update, ["count", "updated_at"], batch_size=1000)
    # Bulk writes send no signals: cached target pages and the list's rollup count again.
    data_version_bump()
    achievement_rollup_discard()
    return {"created": len(to_create), "updated": len(to_update), "rows": len(parsed)}
