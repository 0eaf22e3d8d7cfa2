"""Tables as CSV or XLSX downloads, names with their diacritics intact: the writers are the
ground floor's (`core.tables`); every exported table is a (headers, rows) pair built by the
same code that feeds the page, so the download and the screen cannot disagree."""

from core.tables import (  # noqa: F401  (the names the targets room's views and services use)
    FORMATS,
    XLSX_TYPE,
    sheet_title,
    table_response,
    workbook_add_table,
    xlsx_bytes,
)
