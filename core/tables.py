"""Spreadsheet cells that stay data when a spreadsheet program opens them.

Excel, LibreOffice and Google Sheets read a cell that starts with `=`, `+`, `-` or `@` as a
formula, and a leading tab or carriage return can smuggle one past a quick look; a learner who
names themself `=HYPERLINK("http://…","…")` would otherwise put a live link (or worse) into a
manager's export. Every CSV and XLSX writer of the project passes its cells through
`spreadsheet_safe`, which prefixes such text with a single quote, as OWASP's CSV-injection
guidance advises. Numbers, dates and empty cells pass unchanged, so a negative score stays a
number; the rest of the text (Vietnamese diacritics included) is written as given.

Machinery only: imports nothing of ours.
"""

from collections.abc import Iterable

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
