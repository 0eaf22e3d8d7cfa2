"""Tables as CSV or XLSX downloads, names with their diacritics intact.

CSV is UTF-8 with a byte-order mark so that Excel opens Vietnamese names correctly; XLSX is
written with openpyxl. Every exported table is a (headers, rows) pair built by the same code
that feeds the page, so the download and the screen cannot disagree.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from core.tables import spreadsheet_row

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
