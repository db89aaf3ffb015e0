"""Reads of the seat page beside the seat itself: where the seat belongs (``seat_where``,
all the cached page needs before it is found) and what it shows of the panel (``panel_shown``).

Each is one statement, as a representative's first sight of an invitation is read (issue 20):
through the ORM these were queries that cost more to build than to run.
"""

import functools
from dataclasses import dataclass

from django.db import connection

from interviews.enums import InterviewStatus
from interviews.models import Interview

from ..models import Panel, Representative, Seat, StaffInterviewer


@dataclass(frozen=True)
class SeatWhere:
    """What a seat's cached page is kept under (its panel and its person, whose versions
    every change the page shows bumps) and the language its person reads."""

    panel_id: int
    representative_id: int
    language: str


@functools.cache
def _where_sql() -> str:
    """The seat's panel, its person and the person's language; no row for a seat that is not
    there or whose person was erased. Parameter: the seat."""
    return (
        "SELECT s.panel_id, s.representative_id, person.language "  # noqa: S608  # nosec B608: names from the models
        f'FROM "{Seat._meta.db_table}" s '
        f'JOIN "{Representative._meta.db_table}" person ON person.id = s.representative_id '
        "WHERE s.id = %s"
    )


def seat_where(*, seat_id: int) -> SeatWhere | None:
    """Where the seat belongs, or None when it is not there or its person was erased."""
    with connection.cursor() as cursor:
        cursor.execute(_where_sql(), [seat_id])
        row = cursor.fetchone()
    if row is None:
        return None
    panel_id, representative_id, language = row
    return SeatWhere(panel_id=panel_id, representative_id=representative_id, language=language)


@dataclass(frozen=True)
class StaffShown:
    """A member of staff on the panel as a representative sees them: first name and role."""

    first_name: str
    role: str


@dataclass(frozen=True)
class PanelShown:
    video_urls: list[str]
    staff: list[StaffShown]


@functools.cache
def _panel_shown_sql() -> str:
    """Video links of the scheduled interviews (kind 0), then the staff (kind 1) in their
    order; parameters: the panel, the status *scheduled*, the panel."""
    through = Panel.interviews.through._meta.db_table
    return (
        "SELECT 0, i.id, i.video_url, '' "  # noqa: S608  # nosec B608: names from the models
        f'FROM "{Interview._meta.db_table}" i JOIN "{through}" pi ON pi.interview_id = i.id '
        "WHERE pi.panel_id = %s AND i.status = %s AND i.video_url <> '' "
        f'UNION ALL SELECT 1, st.id, st.name, st.role FROM "{StaffInterviewer._meta.db_table}" st '
        "WHERE st.panel_id = %s"
    )


def panel_shown(*, panel_id: int) -> PanelShown:
    """The panel's video links (each once, sorted) and its staff (in the order they were added)."""
    with connection.cursor() as cursor:
        cursor.execute(_panel_shown_sql(), [panel_id, InterviewStatus.SCHEDULED.value, panel_id])
        rows = sorted(cursor.fetchall(), key=lambda row: (row[0], row[1]))
    return PanelShown(
        video_urls=sorted({url for kind, _id, url, _role in rows if kind == 0}),
        staff=[
            StaffShown(first_name=name.split(" ")[0], role=role)
            for kind, _id, name, role in rows
            if kind == 1
        ],
    )
