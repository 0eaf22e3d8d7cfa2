"""Spreadsheet cells that stay data when a spreadsheet program opens them.

Excel, LibreOffice and Google Sheets read a cell that starts with `=`, `+`, `-` or `@` as a
formula, and a leading tab or carriage return can smuggle one past a quick look; a learner who
names themself `=HYPERLINK("http://…","…")` would otherwise put a live link (or worse) into a
manager's export. Every CSV and XLSX writer of the project passes its cells through
`spreadsheet_safe`, which prefixes such text with a single quote, as OWASP's CSV-injection
guidance advises. Numbers, dates and empty cells pass unchanged, so a negative score stays a
number; the rest of the text (Vietnamese diacritics included) is written as given.

Writing a table as a CSV (UTF-8 with a byte-order mark, so that Excel opens Vietnamese names
correctly) or XLSX (openpyxl) download is here too (`table_response`, `workbook_add_table`),
every cell through `spreadsheet_row`.

Reading is here too (`table_read`): every CSV/XLSX upload of the project (class rosters,
attendance sheets, population figures) goes through one reader with one set of errors.

Machinery only: imports nothing of ours.
"""

import csv
import datetime
import io
import unicodedata
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """`value` as it may be written into a CSV or XLSX cell: text that a spreadsheet would
    read as a formula gets a leading `'`; any other value is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def spreadsheet_row(values: Iterable) -> list:
    """A row of `spreadsheet_safe` cells (None stays None: an empty cell in either format)."""
    return [spreadsheet_safe(value) for value in values]


# --- reading ---------------------------------------------------------------------------------
class TableError(ValueError):
    """The file as a whole cannot be read; the message says why, in the user's language."""


def table_cell(value) -> str:
    """A cell as text: empty for nothing, `3` for a whole number a spreadsheet stored as 3.0,
    ISO for a date (a date-time at midnight is a date), NFC-normalised (names keep their
    diacritics in one form) and stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        value = value.date()  # a spreadsheet stores a date as midnight of that day
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return unicodedata.normalize("NFC", str(value)).strip()


def table_read(*, name: str, content: bytes, max_bytes: int, max_rows: int) -> list[list[str]]:
    """The rows of cell text of an uploaded .csv (UTF-8, comma or semicolon) or .xlsx (its
    first sheet), header row included. Reading stops one row past `max_rows` data rows, so the
    caller can tell the file is too long without reading all of it. Raises TableError."""
    if len(content) > max_bytes:
        raise TableError(
            _("The file is larger than %(size)s MB.") % {"size": max_bytes // (1024 * 1024)}
        )
    lower = (name or "").lower()
    if lower.endswith(".xlsx") or content[:2] == b"PK":
        return _read_xlsx(content, max_rows + 2)
    if lower.endswith((".csv", ".txt")):
        return _read_csv(content, max_rows + 2)
    raise TableError(_("Upload a .csv or .xlsx file."))


def _read_csv(content: bytes, limit: int) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableError(_("The CSV file is not UTF-8 text. Save it as “CSV UTF-8”.")) from error
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = []
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        rows.append([table_cell(cell) for cell in row])
        if len(rows) >= limit:
            break
    return rows


def _read_xlsx(content: bytes, limit: int) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged or foreign file
        raise TableError(_("The spreadsheet could not be read. Save it as .xlsx.")) from error
    try:
        rows = []
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            rows.append([table_cell(cell) for cell in row])
            if len(rows) >= limit:
                break
        return rows
    except Exception as error:  # a sheet that breaks while it is read
        raise TableError(_("The spreadsheet could not be read. Save it as .xlsx.")) from error
    finally:
        workbook.close()


# --- writing -----------------------------------------------------------------------------

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet_title(title: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join("-" if ch in "[]:*?/\\" else ch for ch in title).strip()
    return (cleaned or "Sheet")[:31]


def workbook_add_table(
    workbook: Workbook, *, title: str, headers: Sequence[str], rows: Iterable[Sequence], notes=()
):
    sheet = workbook.create_sheet(sheet_title(title))
    for note in notes:
        sheet.append(spreadsheet_row(note))
    if notes:
        sheet.append([])
    sheet.append(spreadsheet_row(str(h) for h in headers))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(spreadsheet_row(row))
    for index, header in enumerate(headers, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(12, min(48, len(str(header)) + 4))
    return sheet


def xlsx_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_response(*, fmt: str, filename: str, title: str, headers, rows) -> HttpResponse:
    """A download of one table as `fmt` ("csv" or "xlsx")."""
    if fmt == "xlsx":
        workbook = Workbook()
        workbook.remove(workbook.active)
        workbook_add_table(workbook, title=title, headers=headers, rows=rows)
        response = HttpResponse(xlsx_bytes(workbook), content_type=XLSX_TYPE)
    else:
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer)
        writer.writerow(spreadsheet_row(str(h) for h in headers))
        for row in rows:
            writer.writerow(spreadsheet_row(row))
        response = HttpResponse(
            buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
