"""Helpers for files that people open in Excel: CSV and XLSX exports."""

import re
from decimal import Decimal
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


def xlsx_guard(cell: Any) -> Any:
    """Guard an openpyxl cell whose text a spreadsheet would run as a formula: the quote-prefix
    cell style (Excel's own "this is text" mark, as typing an apostrophe sets it), so the cell
    shows ``=1+1`` as written, with no visible apostrophe, and is stored as text, not a formula
    (openpyxl reads a string starting with ``=`` as a formula unless told)."""
    value = cell.value
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def amount_text(value: Decimal, *, separator: str) -> str:
    """An amount as a CSV holds it: with a decimal comma when the separator is ``;`` (Norwegian
    Excel and LibreOffice read "1500,00" as a number), with a point when it is ``,``."""
    text = f"{value:.2f}"
    return text.replace(".", ",") if separator == ";" else text


_NORWEGIAN = re.compile(r"^(?:\+47|0047)?(\d{8})$")


def phone_text(phone: str) -> str:
    """A phone number as a spreadsheet keeps it as text: a Norwegian number in the usual groups
    ("912 34 567", "22 33 44 55"), any other number of only digits (and a leading +) in pairs
    after its country prefix ("0046 70 12 34 56"). Digits alone ("004791234567") a spreadsheet
    opens as a number and drops the leading zeros; a leading "+" it reads as a formula."""
    compact = re.sub(r"[\s.-]", "", phone)
    national = _NORWEGIAN.match(compact)
    if national:
        digits = national.group(1)
        if digits[0] in "49":
            return f"{digits[:3]} {digits[3:5]} {digits[5:]}"
        return " ".join(digits[i : i + 2] for i in range(0, 8, 2))
    if re.fullmatch(r"(?:\+|00)\d{6,15}", compact):
        digits = compact.removeprefix("+").removeprefix("00")
        return (
            "00" + digits[:2] + " " + " ".join(digits[i : i + 2] for i in range(2, len(digits), 2))
        )
    return phone
