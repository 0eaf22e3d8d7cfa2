"""core.tables: the one cell neutraliser every CSV/XLSX export uses."""

import csv
import io
import unicodedata
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.tables import spreadsheet_row, spreadsheet_safe
from targets.exports import table_response

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
