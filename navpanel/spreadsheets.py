"""Helpers for files that people open in Excel: CSV and XLSX exports."""

from typing import Any

# OWASP "CSV Injection": a cell starting with one of these is read as a formula by spreadsheet
# programs, so that a name like "=HYPERLINK(...)" typed into a form would run on HR's machine.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def cell_safe(value: Any) -> Any:
    """Neutralise a text cell that a spreadsheet would run as a formula; leave others alone."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def row_safe(row: list[Any] | tuple[Any, ...]) -> list[Any]:
    return [cell_safe(value) for value in row]
