"""Roster import from CSV or XLSX: read, plan (preview), then apply in one transaction.

A trainer types the class list in a spreadsheet (or gets it from the commune). Reading turns
the file into rows of text keyed by column (headers in Vietnamese or English, any case, with
or without diacritics). Planning decides, for every row, what would happen: create an
account, match an existing person (same accent-free name, birth year and commune, or same
phone), already on the roster, or rejected with a reason (unknown commune, unknown ethnic
group, bad birth year, duplicate of an earlier line...). The preview shows that plan and
writes nothing. Applying plans again inside the transaction (the database may have changed
since the preview) and writes everything or nothing: with rejected rows it refuses unless the
trainer chose to leave those rows out.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.tables import TableError, table_read
from core.text import nfc
from people.accounts import (
    NewLearner,
    ReferenceLookup,
    communes_lookup,
    compact_key,
    learner_account_create,
    people_index,
    person_key,
    phone_normalise,
)
from people.models import Profile, Scope, phone_validator
from people.selectors import profiles_visible_to, units_visible_to

from ..models.classes import ClassMember, TrainingSession
from .services import roster_add

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000

COLUMNS = {
    "full_name": ["hovaten", "hoten", "ten", "fullname", "name"],
    "birth_year": ["namsinh", "birthyear", "year", "nam"],
    "gender": ["gioitinh", "gender", "sex"],
    "ethnic_group": ["dantoc", "ethnicgroup", "ethnicity", "madantoc"],
    "commune": ["xa", "xaphuong", "phuongxa", "donvi", "commune", "unit", "maxa"],
    "target_groups": ["doituong", "nhomdoituong", "targetgroups", "targetgroup"],
    "phone": ["dienthoai", "sodienthoai", "sdt", "phone", "mobile"],
}
HEADER_MAP = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}
GENDERS = {
    "nam": "male",
    "male": "male",
    "m": "male",
    "nu": "female",
    "female": "female",
    "f": "female",
    "khac": "other",
    "other": "other",
}


class FileError(ValidationError):
    """The file as a whole cannot be read (format, size, headers)."""


def read_table(upload) -> list[list[str]]:
    """Rows of cell text from an uploaded .csv or .xlsx (first sheet). Raises FileError."""
    try:
        return table_read(
            name=upload.name or "", content=upload.read(), max_bytes=MAX_BYTES, max_rows=MAX_ROWS
        )
    except TableError as error:
        raise FileError(str(error)) from error


def rows_from_table(table: list[list[str]]) -> list[dict]:
    """Dicts {line, full_name, birth_year, ...} from a table whose first row has the headers."""
    if not table:
        raise FileError(_("The file is empty."))
    headers = [HEADER_MAP.get(compact_key(h)) for h in table[0]]
    if "full_name" not in headers or "commune" not in headers:
        raise FileError(
            _("The first row must name the columns; “Họ và tên” and “Xã” are required.")
        )
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        row = {"line": number}
        for header, value in zip(headers, cells, strict=False):
            if header and not row.get(header):
                row[header] = value.strip()
        rows.append(row)
    if len(rows) > MAX_ROWS:
        raise FileError(_("At most %(n)s learners per file.") % {"n": MAX_ROWS})
    if not rows:
        raise FileError(_("The file has no learners."))
    return rows


CREATE, MATCH, ON_ROSTER, REJECT = "create", "match", "on_roster", "reject"


@dataclass
class PlannedRow:
    line: int
    raw: dict
    action: str = CREATE
    reasons: list[str] = field(default_factory=list)
    profile: Profile | None = None
    fields: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.raw.get("full_name", "")


@dataclass
class Plan:
    rows: list[PlannedRow]

    def of(self, action: str) -> list[PlannedRow]:
        return [row for row in self.rows if row.action == action]

    @property
    def counts(self) -> dict[str, int]:
        return {a: len(self.of(a)) for a in (CREATE, MATCH, ON_ROSTER, REJECT)}


def _birth_year(value: str, row: PlannedRow) -> int | None:
    value = value.strip()
    if not value:
        return None
    this_year = datetime.date.today().year
    if re.fullmatch(r"\d{4}(\.0+)?", value):
        year = int(float(value))
        if 1900 <= year <= this_year - 5:
            return year
    row.reasons.append(_("bad birth year “%(value)s”") % {"value": value})
    return None


def roster_import_plan(*, user, session: TrainingSession, rows: list[dict]) -> Plan:
    """What importing `rows` would do, row by row. Reads only (a fixed number of queries)."""
    refs = ReferenceLookup()
    communes = communes_lookup(units_visible_to(user, role=Scope.Role.TRAINER))
    planned: list[PlannedRow] = []
    for raw in rows:
        row = PlannedRow(line=raw["line"], raw=raw)
        name = nfc(raw.get("full_name", ""))
        if not name:
            row.reasons.append(_("the full name is missing"))
        elif len(name) > 128:
            row.reasons.append(_("the full name is too long"))
        year = _birth_year(raw.get("birth_year", ""), row)
        gender = ""
        if raw.get("gender"):
            gender = GENDERS.get(compact_key(raw["gender"]), "")
            if not gender:
                row.reasons.append(_("unknown gender “%(value)s”") % {"value": raw["gender"]})
        ethnic = None
        if raw.get("ethnic_group"):
            ethnic = refs.ethnic_group(raw["ethnic_group"])
            if ethnic is None:
                row.reasons.append(
                    _("unknown ethnic group “%(value)s”") % {"value": raw["ethnic_group"]}
                )
        unit = None
        commune = raw.get("commune", "")
        if not commune:
            row.reasons.append(_("the commune is missing"))
        else:
            found = communes.get(commune.strip().lower()) or communes.get(compact_key(commune))
            if not found:
                row.reasons.append(
                    _("unknown commune “%(value)s” (not among the units you train in)")
                    % {"value": commune}
                )
            elif len(found) > 1:
                row.reasons.append(
                    _("several communes are called “%(value)s”: use the commune code")
                    % {"value": commune}
                )
            else:
                unit = found[0]
        groups, unknown = refs.target_group_list(raw.get("target_groups", ""))
        for value in unknown:
            row.reasons.append(_("unknown target group “%(value)s”") % {"value": value})
        phone = phone_normalise(raw.get("phone", ""))
        if phone:
            try:
                phone_validator(phone)
            except ValidationError:
                row.reasons.append(_("bad phone number “%(value)s”") % {"value": raw["phone"]})
                phone = ""
        row.fields = {
            "full_name": name,
            "birth_year": year,
            "gender": gender,
            "ethnic_group": ethnic,
            "org_unit": unit,
            "target_groups": groups,
            "phone": phone,
        }
        if row.reasons:
            row.action = REJECT
        planned.append(row)

    valid = [r for r in planned if r.action != REJECT]
    by_person, by_phone = people_index(
        unit_ids={r.fields["org_unit"].pk for r in valid},
        birth_years={r.fields["birth_year"] for r in valid if r.fields["birth_year"]},
        phones={r.fields["phone"] for r in valid if r.fields["phone"]},
    )
    visible = set(
        profiles_visible_to(user, role=Scope.Role.TRAINER)
        .filter(pk__in=[p.pk for p in (*by_person.values(), *by_phone.values())])
        .values_list("pk", flat=True)
    )
    on_roster = set(ClassMember.objects.filter(session=session).values_list("user_id", flat=True))
    seen_people: dict[tuple, int] = {}
    seen_phones: dict[str, int] = {}
    seen_users: dict[int, int] = {}
    for row in valid:
        f = row.fields
        key = person_key(f["full_name"], f["birth_year"], f["org_unit"].pk)
        first = (seen_people.get(key) if f["birth_year"] else None) or (
            seen_phones.get(f["phone"]) if f["phone"] else None
        )
        if first:
            row.action = REJECT
            row.reasons.append(_("duplicate of line %(line)s in this file") % {"line": first})
            continue
        if f["birth_year"]:
            seen_people[key] = row.line
        if f["phone"]:
            seen_phones[f["phone"]] = row.line
        profile = (by_person.get(key) if f["birth_year"] else None) or (
            by_phone.get(f["phone"]) if f["phone"] else None
        )
        if profile is None:
            continue
        if profile.pk not in visible:
            row.action = REJECT
            row.reasons.append(_("this phone number belongs to an account outside your units"))
            continue
        if profile.user_id in seen_users:
            row.action = REJECT
            row.reasons.append(
                _("same person as line %(line)s in this file")
                % {"line": seen_users[profile.user_id]}
            )
            continue
        seen_users[profile.user_id] = row.line
        row.profile = profile
        row.action = ON_ROSTER if profile.user_id in on_roster else MATCH
    return Plan(rows=planned)


@dataclass
class ImportResult:
    plan: Plan
    created: list[NewLearner]
    added: int


@transaction.atomic
def roster_import_apply(
    *, user, session: TrainingSession, rows: list[dict], skip_rejected: bool = False
) -> ImportResult:
    """Import the roster: all rows or none. Rejected rows stop it unless `skip_rejected`."""
    plan = roster_import_plan(user=user, session=session, rows=rows)
    rejected = plan.of(REJECT)
    if rejected and not skip_rejected:
        raise ValidationError(
            [
                _("Line %(line)s: %(reasons)s") % {"line": r.line, "reasons": "; ".join(r.reasons)}
                for r in rejected
            ],
            code="rejected_rows",
        )
    joining = len(plan.of(CREATE)) + len(plan.of(MATCH))
    if session.capacity is not None and session.members.count() + joining > session.capacity:
        raise ValidationError(
            _("The class has room for %(capacity)s learners; this import would exceed it.")
            % {"capacity": session.capacity},
            code="full",
        )
    created: list[NewLearner] = []
    added = 0
    taken: set[str] = set()
    for row in plan.rows:
        if row.action == CREATE:
            new = learner_account_create(**row.fields, taken_usernames=taken)
            roster_add(user=user, session=session, learner=new.user, account_created=True)
            created.append(new)
            added += 1
        elif row.action == MATCH:
            roster_add(user=user, session=session, learner=row.profile.user)
            added += 1
    return ImportResult(plan=plan, created=created, added=added)


@transaction.atomic
def roster_person_add(*, user, session: TrainingSession, fields: dict) -> tuple[str, ImportResult]:
    """Add one person typed into the form, with the same checks and matching as an import.

    `fields` are the form's cleaned values. Returns the action taken (CREATE, MATCH or
    ON_ROSTER) and the result; a person already known is matched, not created twice.
    """
    unit, ethnic = fields.get("org_unit"), fields.get("ethnic_group")
    row = {
        "line": 1,
        "full_name": fields.get("full_name", ""),
        "birth_year": str(fields.get("birth_year") or ""),
        "gender": fields.get("gender", ""),
        "ethnic_group": ethnic.code if ethnic else "",
        "commune": unit.code if unit else "",
        "target_groups": ";".join(g.code for g in fields.get("target_groups") or []),
        "phone": fields.get("phone", ""),
    }
    planned = roster_import_plan(user=user, session=session, rows=[row]).rows[0]
    if planned.action == REJECT:
        raise ValidationError("; ".join(planned.reasons), code="rejected")
    return planned.action, roster_import_apply(user=user, session=session, rows=[row])
