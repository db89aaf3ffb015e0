"""What the seat page shows of the panel beside the seat: its video links and its staff.

Read in one statement, as a representative's first sight of an invitation is read (issue 20):
through the ORM these were two queries, each costing more to build than to run.
"""

import functools
from dataclasses import dataclass

from django.db import connection

from interviews.enums import InterviewStatus
from interviews.models import Interview

from ..models import Panel, StaffInterviewer


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
def _sql() -> str:
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
        cursor.execute(_sql(), [panel_id, InterviewStatus.SCHEDULED.value, panel_id])
        rows = sorted(cursor.fetchall(), key=lambda row: (row[0], row[1]))
    return PanelShown(
        video_urls=sorted({url for kind, _id, url, _role in rows if kind == 0}),
        staff=[
            StaffShown(first_name=name.split(" ")[0], role=role)
            for kind, _id, name, role in rows
            if kind == 1
        ],
    )
