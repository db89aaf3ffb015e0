"""Formula injection: ``cell_safe`` (Python) and ``cell_safe_sql`` (PostgreSQL, for exports that
PostgreSQL writes) are one rule, checked on random text through the real database; and a text
cell PostgreSQL writes as CSV is the same bytes as Python's ``csv`` writes for it."""

import csv
import io

import pytest
from django.db import connection
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from navpanel.spreadsheets import (
    FORMULA_TRIGGERS,
    amount_text,
    cell_safe,
    cell_safe_sql,
    phone_text,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="cell_safe_sql is PostgreSQL's dialect"
    ),
]

RANDOM = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Any text PostgreSQL can hold (no NUL), weighted towards the triggers, the CSV specials and
# control characters, each also in the first place.
CHARACTERS = st.one_of(
    st.sampled_from([*FORMULA_TRIGGERS, "'", '"', ",", ";", "\n", " ", "æ", "Ø", "å"]),
    st.characters(min_codepoint=1, max_codepoint=0x1F),
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
)
TEXT = st.text(CHARACTERS, max_size=12)
# The rule over one text parameter; built from constants only, the value is a parameter.
SAFE = f"SELECT {cell_safe_sql('v')} AS v FROM (SELECT %s::text AS v) AS t"  # noqa: S608
# As the roster's COPY writes a text cell: formula-safe, NULL when empty.
COPY = (
    f"COPY (SELECT NULLIF(v, ''), 1 FROM ({SAFE}) AS safe) "  # noqa: S608
    "TO STDOUT WITH (FORMAT csv, DELIMITER %s, ENCODING 'UTF8')"
)


def _sql_cell_safe(value: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(SAFE, [value])
        return cursor.fetchone()[0]


def _copy_csv_line(value: str, separator: str) -> bytes:
    """``value`` as the roster's COPY writes a text cell."""
    sink = io.BytesIO()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        raw.copy_expert(raw.mogrify(COPY, [value, separator]).decode(), sink)
    return sink.getvalue()


def _python_csv_line(value: str, separator: str) -> bytes:
    """``value`` as ``rosters.exports.csv_stream`` writes it (its line end is CRLF)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=separator).writerow([cell_safe(value), 1])
    return buffer.getvalue().removesuffix("\r\n").encode() + b"\n"


@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS)
def test_sql_and_python_neutralise_every_trigger_alike(trigger):
    value = f"{trigger}SUM(A1)"

    in_sql = _sql_cell_safe(value)

    assert in_sql == cell_safe(value) == f"'{value}"


@RANDOM
@given(value=TEXT)
@example(value="")
@example(value="\r\n=1")
@example(value="-")
def test_sql_and_python_cell_safe_agree_on_any_text(value):
    assert _sql_cell_safe(value) == cell_safe(value)


@RANDOM
@given(value=TEXT, separator=st.sampled_from([",", ";"]))
@example(value="", separator=",")
@example(value='=a;"b",\r\nc', separator=";")
def test_a_text_cell_written_by_copy_is_what_python_csv_writes(value, separator):
    assert _copy_csv_line(value, separator) == _python_csv_line(value, separator)


@pytest.mark.parametrize(
    ("stored", "written"),
    [
        ("004791234567", "912 34 567"),
        ("+4791234567", "912 34 567"),
        ("91234567", "912 34 567"),
        ("+47 22 33 44 55", "22 33 44 55"),
        ("0046701234567", "0046 70 12 34 56 7"),
        ("+46 70-123 45 67", "0046 70 12 34 56 7"),
        ("", ""),
        ("ring sentralbordet", "ring sentralbordet"),
    ],
)
def test_a_phone_number_is_written_as_a_spreadsheet_keeps_it_as_text(stored, written):
    assert phone_text(stored) == written


@pytest.mark.parametrize(("separator", "written"), [(";", "1500,00"), (",", "1500.00")])
def test_an_amount_has_a_decimal_comma_with_a_semicolon_and_a_point_with_a_comma(
    separator, written
):
    from decimal import Decimal

    assert amount_text(Decimal("1500"), separator=separator) == written
