"""core.tables: the one cell neutraliser every CSV/XLSX export uses."""

import csv
import io
import unicodedata
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.tables import spreadsheet_row, spreadsheet_safe, table_response

FORMULAS = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)", "\tX", "\rY"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_text_gets_a_quote(text):
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize(
    "value", [-2, -2.5, Decimal("-7.25"), 0, 12, None, True, "", "Nguyễn Thị Hạnh", "a=b", "'x"]
)
def test_other_values_pass_unchanged(value):
    assert spreadsheet_safe(value) is value


def test_diacritics_survive_in_nfc():
    name = unicodedata.normalize("NFC", "Đinh Thị Ngọc Ánh · Puih H'Nương · Ê-đê")
    assert spreadsheet_safe(name) == name
    assert unicodedata.is_normalized("NFC", spreadsheet_safe(name))
    # a diacritic name that starts like a formula is quoted, not rewritten
    assert spreadsheet_safe("-Ấn") == "'-Ấn"


def test_row_keeps_none_and_numbers():
    assert spreadsheet_row([None, "=1", -3]) == [None, "'=1", -3]


def _rows(fmt, content):
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(content)).worksheets[0]
        return [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows()]
    text = content.decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text, newline="")))


def test_writer_keeps_negative_numbers_numeric_and_quotes_text():
    rows = [["=1+1", -5, -2.5, "Hà Giang", None]]
    xlsx = _rows(
        "xlsx",
        table_response(
            fmt="xlsx", filename="t", title="T", headers=["@h", "b", "c", "d", "e"], rows=rows
        ).content,
    )
    assert xlsx[0][0] == ("'@h", "s")
    assert xlsx[1] == [("'=1+1", "s"), (-5, "n"), (-2.5, "n"), ("Hà Giang", "s"), (None, "n")]
    table = _rows(
        "csv",
        table_response(
            fmt="csv", filename="t", title="T", headers=["@h", "b", "c", "d", "e"], rows=rows
        ).content,
    )
    assert table == [["'@h", "b", "c", "d", "e"], ["'=1+1", "-5", "-2.5", "Hà Giang", ""]]


# --- reading ---------------------------------------------------------------------------------
def test_one_reader_for_every_upload():
    import datetime
    import io
    import unicodedata

    import pytest
    from django.utils import translation
    from openpyxl import Workbook

    from core.tables import TableError, table_read

    decomposed = unicodedata.normalize("NFD", "Siu H'Nương")
    csv = f"Họ và tên;Năm\n {decomposed} ;2001\n".encode()
    assert table_read(name="a.csv", content=csv, max_bytes=1000, max_rows=10) == [
        ["Họ và tên", "Năm"],
        ["Siu H'Nương", "2001"],  # NFC, stripped, semicolons understood
    ]
    workbook = Workbook()
    workbook.active.append(["Ngày", "Số"])
    workbook.active.append([datetime.date(2026, 12, 1), 3.0])
    for n in range(20):
        workbook.active.append([f"r{n}", n])
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = table_read(name="upload", content=buffer.getvalue(), max_bytes=10**6, max_rows=5)
    assert rows[1] == ["2026-12-01", "3"] and len(rows) == 7  # header + one past the limit
    for name, content, message in [
        ("a.csv", b"x" * 2_000_000, "larger than 1 MB"),
        ("a.csv", "Tên\n".encode("utf-16"), "not UTF-8"),
        ("a.xlsx", b"PK\x03\x04broken", "could not be read"),
        ("a.pdf", b"%PDF-1.4", "Upload a .csv or .xlsx"),
    ]:
        with translation.override("en"), pytest.raises(TableError, match=message):
            table_read(name=name, content=content, max_bytes=1024 * 1024, max_rows=10)
    with translation.override("vi"), pytest.raises(TableError, match="UTF-8"):
        table_read(name="a.csv", content=b"\xff\xfe", max_bytes=100, max_rows=1)
