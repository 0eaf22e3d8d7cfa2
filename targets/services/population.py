"""Importing population figures from CSV or XLSX: all or nothing, every bad row reported.

A file has a header row naming the columns `unit_code`, `target_group`, `year`, `count` (any
order, any case), and optionally `ethnic_group` (a GSO code such as `10`, or a name such as
`Gia-rai`, with or without diacritics) and `gender` (`F`/`M`, also `Nữ`/`Nam`); an empty cell
means "everyone". Every row is checked before anything is written: unknown unit code, unknown
target group, unknown ethnic group or gender, a year or count that is not a whole number, a
negative count, a unit outside the importing manager's scope, and the same (unit, group, year,
ethnic group, gender) twice in the file. With any error
nothing is written and every error is reported with its line number; otherwise existing figures
are updated and new ones created in one transaction.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.tables import TableError, table_read
from core.text import search_key
from people.models import EthnicGroup, OrgUnit, Scope, TargetGroup
from people.selectors import units_visible_to

from ..models import Population
from ..selectors.cache import data_version_bump
from .rollup import achievement_rollup_discard

COLUMNS = ("unit_code", "target_group", "year", "count")
OPTIONAL_COLUMNS = ("ethnic_group", "gender")
# What the gender column accepts (compared lowercase, without diacritics: "Nữ" -> "nu").
GENDERS = {
    "f": Population.Gender.FEMALE,
    "female": Population.Gender.FEMALE,
    "nu": Population.Gender.FEMALE,
    "m": Population.Gender.MALE,
    "male": Population.Gender.MALE,
    "nam": Population.Gender.MALE,
}
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
    ethnic_code: str = ""  # GSO code, "" for every ethnic group
    gender: str = ""  # Population.Gender value, "" for both
    unit_name: str = ""
    group_name: str = ""
    ethnic_name: str = ""
    gender_name: str = ""
    previous: int | None = None

    @property
    def key(self) -> tuple[str, str, int, str, str]:
        return (self.unit_code, self.target_group, self.year, self.ethnic_code, self.gender)


def population_file_rows(*, name: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    """(line number, {column: text}) for each data row of a CSV or XLSX file."""
    try:
        table = table_read(name=name, content=content, max_bytes=MAX_BYTES, max_rows=MAX_ROWS)
    except TableError as error:
        raise PopulationImportError([(0, str(error))]) from error
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
    index = {
        column: header.index(column) for column in COLUMNS + OPTIONAL_COLUMNS if column in header
    }
    rows = []
    for number, values in enumerate(table[1:], start=2):
        if not any(values):
            continue
        values = values + [""] * (len(header) - len(values))
        rows.append((number, {column: values[i] for column, i in index.items()}))
    return rows


def _ethnic_lookup() -> dict[str, EthnicGroup]:
    """Every way the file may name an ethnic group: its GSO code (with or without the leading
    zero), its name and other names, lowercase and without diacritics ("Gia-rai", "gia rai",
    "Jrai")."""
    lookup: dict[str, EthnicGroup] = {}
    for group in EthnicGroup.objects.all():
        lookup[group.code] = group
        lookup[group.code.lstrip("0")] = group
        names = [group.name, *group.other_names.split(",")]
        for name in names:
            key = search_key(name)
            if key:
                lookup.setdefault(key, group)
                lookup.setdefault(key.replace("-", " "), group)
                lookup.setdefault(key.replace("-", ""), group)
    return lookup


def _ethnic_key(text: str) -> str:
    return " ".join(search_key(text).replace("-", " ").split())


def population_validate(*, rows: list[tuple[int, dict[str, str]]], user=None) -> list[ImportRow]:
    """Check every row (three queries, four with ethnic groups); raise PopulationImportError
    listing each error."""
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
    ethnic_groups = _ethnic_lookup() if any(v.get("ethnic_group") for _l, v in rows) else {}
    seen: dict[tuple, int] = {}
    parsed = []
    for line, values in rows:
        code, group, year_text, count_text = (values[c] for c in COLUMNS)
        ethnic_text, gender_text = values.get("ethnic_group", ""), values.get("gender", "")
        problems = []
        ethnic = gender = None
        if ethnic_text:
            ethnic = ethnic_groups.get(ethnic_text) or ethnic_groups.get(_ethnic_key(ethnic_text))
            if ethnic is None:
                ethnic = ethnic_groups.get(_ethnic_key(ethnic_text).replace(" ", ""))
            if ethnic is None:
                problems.append(
                    _("unknown ethnic group “%(value)s” (give its GSO code or name)")
                    % {"value": ethnic_text}
                )
        if gender_text:
            gender = GENDERS.get(search_key(gender_text))
            if gender is None:
                problems.append(
                    _("unknown gender “%(value)s” (use F or M, Nữ or Nam)") % {"value": gender_text}
                )
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
        key = (code, group, year, ethnic.code if ethnic else "", gender or "")
        if key in seen and not problems:
            problems.append(
                _("duplicate of line %(line)s (same unit, group, year, ethnic group and gender)")
                % {"line": seen[key]}
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
                ethnic_code=ethnic.code if ethnic else "",
                gender=gender or "",
                unit_name=units[code].name,
                group_name=groups[group].name,
                ethnic_name=ethnic.name if ethnic else "",
                gender_name=str(Population.Gender(gender).label) if gender else "",
            )
        )
    if not rows:
        errors.append((0, _("The file has no data rows.")))
    if errors:
        raise PopulationImportError(errors)
    existing = {
        (
            p.org_unit.code,
            p.target_group.code,
            p.year,
            p.ethnic_group.code if p.ethnic_group else "",
            p.gender,
        ): p.count
        for p in Population.objects.filter(org_unit__code__in=codes).select_related(
            "org_unit", "target_group", "ethnic_group"
        )
    }
    for row in parsed:
        row.previous = existing.get(row.key)
    return parsed


@transaction.atomic
def population_import(*, rows: list[tuple[int, dict[str, str]]], user=None) -> dict[str, int]:
    """Validate then write every figure, or nothing. Returns counts created/updated."""
    parsed = population_validate(rows=rows, user=user)
    units = dict(
        OrgUnit.objects.filter(code__in={r.unit_code for r in parsed}).values_list("code", "pk")
    )
    groups = dict(TargetGroup.objects.values_list("code", "pk"))
    ethnic = dict(EthnicGroup.objects.values_list("code", "pk"))
    existing = {
        (p.org_unit_id, p.target_group_id, p.year, p.ethnic_group_id, p.gender): p
        # Unordered: the model's ordering joins the nullable ethnic group, and PostgreSQL
        # cannot lock rows on the nullable side of an outer join.
        for p in Population.objects.select_for_update(of=("self",))
        .order_by()
        .filter(org_unit_id__in=units.values())
    }
    to_create, to_update = [], []
    for row in parsed:
        key = (
            units[row.unit_code],
            groups[row.target_group],
            row.year,
            ethnic[row.ethnic_code] if row.ethnic_code else None,
            row.gender,
        )
        current = existing.get(key)
        if current is None:
            to_create.append(
                Population(
                    org_unit_id=key[0],
                    target_group_id=key[1],
                    year=key[2],
                    ethnic_group_id=key[3],
                    gender=key[4],
                    count=row.count,
                )
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
