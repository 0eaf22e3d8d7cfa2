"""Import a typed or scanned attendance sheet (CSV/XLSX), all or nothing.

The sheet is the paper one typed up: a row per learner, a column per class day. The first
column holds the username (as printed on the handout); every other column is headed by a date
(dd/mm/yyyy or yyyy-mm-dd) of a class day. A cell is "x"/"có" (present), "v"/"vắng"
(absent), "p"/"phép" (excused, as on Vietnamese sheets), or empty (not marked). Any bad row
or column stops the whole import, and every problem is listed with its line.
"""

import datetime
import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from people.accounts import compact_key

from ..models.classes import (
    ATTENDANCE_STATUSES,
    Attendance,
    AttendanceMark,
    AttendanceStatus,
    ClassMember,
    TrainingSession,
)
from .roster_import import FileError
from .services import MarkRequest, attendance_marks_record, can_run

CELL_STATUS = {
    **dict.fromkeys(["x", "co", "c", "comat", "present", "1", "✓"], AttendanceStatus.PRESENT),
    **dict.fromkeys(["v", "vang", "k", "khong", "absent", "0"], AttendanceStatus.ABSENT),
    **dict.fromkeys(["p", "phep", "cophep", "cp", "excused", "e"], AttendanceStatus.EXCUSED),
}
USERNAME_HEADERS = {"tendangnhap", "username", "taikhoan", "user"}


def _parse_date(value: str) -> datetime.date | None:
    value = value.strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def _cell_status(value: str) -> str | None:
    if value.strip() == "✓":
        return AttendanceStatus.PRESENT
    return CELL_STATUS.get(compact_key(value))


def attendance_sheet_plan(*, session: TrainingSession, table: list[list[str]]) -> list[dict]:
    """The marks a sheet holds: [{day, learner, status}]. Raises ValidationError listing every
    problem (unknown day column, unknown or non-roster username, unreadable cell)."""
    if not table or len(table) < 2:
        raise FileError(_("The file has no learners."))
    header = table[0]
    if compact_key(header[0] if header else "") not in USERNAME_HEADERS:
        raise FileError(_("The first column must be “Tên đăng nhập” (username)."))
    days = {day.date: day for day in session.days.all()}
    errors: list[str] = []
    columns = {}
    for index, title in enumerate(header[1:], start=1):
        if not title.strip():
            continue
        date = _parse_date(title)
        if date is None or date not in days:
            errors.append(
                _("Column %(col)s: “%(value)s” is not a day of this class.")
                % {"col": index + 1, "value": title}
            )
        else:
            columns[index] = days[date]
    User = get_user_model()
    usernames = {row[0].strip().lower() for row in table[1:] if row and row[0].strip()}
    members = dict(
        ClassMember.objects.filter(session=session, user__username__in=usernames).values_list(
            "user__username", "user_id"
        )
    )
    users = {
        u.pk: u for u in User.objects.filter(pk__in=members.values()).select_related("profile")
    }
    marks, seen = [], {}
    for line, row in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        username = (row[0] if row else "").strip().lower()
        if username not in members:
            errors.append(
                _("Line %(line)s: “%(value)s” is not on this class's roster.")
                % {"line": line, "value": username}
            )
            continue
        if username in seen:
            errors.append(
                _("Line %(line)s: duplicate of line %(first)s.")
                % {"line": line, "first": seen[username]}
            )
            continue
        seen[username] = line
        for index, day in columns.items():
            cell = row[index] if index < len(row) else ""
            if not cell.strip():
                continue
            status = _cell_status(cell)
            if status is None:
                errors.append(
                    _("Line %(line)s: “%(value)s” is not x (present), v (absent) or p (excused).")
                    % {"line": line, "value": cell}
                )
                continue
            marks.append({"day": day, "learner": users[members[username]], "status": status})
    if errors:
        raise ValidationError(errors, code="bad_sheet")
    return marks


@dataclass
class PreviewRow:
    learner: object
    cells: list[dict]  # per class day: status, label, and the label of a mark it replaces


@dataclass
class SheetPreview:
    days: list
    rows: list[PreviewRow]
    counts: dict[str, int] = field(default_factory=dict)  # marks per status
    changes: int = 0  # marks that replace a different earlier one


def attendance_sheet_preview(*, session: TrainingSession, table: list[list[str]]) -> SheetPreview:
    """What importing the sheet would do, with nothing written: each learner's marks per day,
    and which of them change a mark the class already has (raises like the plan)."""
    marks = attendance_sheet_plan(session=session, table=table)
    days = list(session.days.order_by("date"))
    learners = list({m["learner"].pk: m["learner"] for m in marks}.values())
    existing = {
        (day_id, learner_id): status
        for day_id, learner_id, status in Attendance.objects.filter(
            day__session=session, learner__in=learners
        ).values_list("day_id", "learner_id", "status")
    }
    wanted = {(m["day"].pk, m["learner"].pk): m["status"] for m in marks}
    preview = SheetPreview(days=days, rows=[], counts=dict.fromkeys(ATTENDANCE_STATUSES, 0))
    labels = dict(AttendanceStatus.choices)
    for learner in sorted(learners, key=lambda u: (u.profile.display_name, u.username)):
        cells = []
        for day in days:
            status = wanted.get((day.pk, learner.pk))
            before = existing.get((day.pk, learner.pk))
            if status is not None:
                preview.counts[status] += 1
                if before is not None and before != status:
                    preview.changes += 1
            replaces = before if status is not None and before != status else None
            cells.append(
                {
                    "status": status,
                    "label": labels.get(status, ""),
                    "replaces": labels.get(replaces, ""),
                }
            )
        preview.rows.append(PreviewRow(learner=learner, cells=cells))
    return preview


@transaction.atomic
def attendance_sheet_import(*, user, session: TrainingSession, table: list[list[str]]) -> int:
    """Apply a sheet's marks in one transaction (after checking every row). Returns the count."""
    if not can_run(user, session):
        raise PermissionDenied(_("Only a trainer of this class's unit can change it."))
    marks = attendance_sheet_plan(session=session, table=table)
    now = timezone.now()
    results = attendance_marks_record(
        user=user,
        session=session,
        marks=[
            MarkRequest(mark["day"], mark["learner"], mark["status"], uuid.uuid4(), now)
            for mark in marks
        ],
        source=AttendanceMark.Source.IMPORT,
    )
    for result in results:
        if result.error is not None:  # planned rows cannot fail; if one does, none is kept
            raise result.error
    return len(marks)
