"""Helpers for files that people open in Excel: CSV and XLSX exports."""

from typing import Any, TypeVar, overload

_Cell = TypeVar("_Cell")

# OWASP "CSV Injection": a cell starting with one of these is read as a formula by spreadsheet
# programs, so that a name like "=HYPERLINK(...)" typed into a form would run on HR's machine.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# What goes before such a cell so that it is read as text.
FORMULA_PREFIX = "'"


@overload
def cell_safe(value: str) -> str: ...
@overload
def cell_safe(value: _Cell) -> _Cell: ...
def cell_safe(value: object) -> object:
    """Neutralise a text cell that a spreadsheet would run as a formula; leave others alone."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return FORMULA_PREFIX + value
    return value


def _sql_char(character: str) -> str:
    # chr(n) rather than a quoted literal: no quoting to get wrong, and tab and CR stay visible.
    return f"chr({ord(character)})"


def cell_safe_sql(expression: str) -> str:
    """``cell_safe`` as a PostgreSQL expression over the text ``expression`` (a column or an
    expression of the caller's own SQL, never user input), for exports that PostgreSQL writes
    itself (``COPY ... TO STDOUT``). Built from ``FORMULA_TRIGGERS`` and ``FORMULA_PREFIX``, so
    the rule has one source; ``tests/test_spreadsheets.py`` checks that both agree."""
    triggers = ", ".join(_sql_char(character) for character in FORMULA_TRIGGERS)
    return (
        f"CASE WHEN left({expression}, 1) IN ({triggers}) "
        f"THEN {_sql_char(FORMULA_PREFIX)} || {expression} ELSE {expression} END"
    )


def row_safe(row: list[Any] | tuple[Any, ...]) -> list[Any]:
    return [cell_safe(value) for value in row]
