"""Writes for panels and seats: every change of a seat's status starts here.

One path for web, Celery and commands: the leader's pages (invite, cancel, attendance), the
representative's answers (``panels.public.answers``, then ``seat_accept``/``seat_decline``),
withdrawn consent (``representative_seats_withdraw``), the periodic jobs (``seat_expire``) and
moves or cancellations of interviews all go through ``seat_transition`` (``seats``, with the
invitation). What becomes of an invited seat is in ``outcomes``, a leader's correction of
attendance in ``corrections``, and the panel's own life (created, its times kept in step,
moved, cancelled) in ``schedule``.
"""

from .corrections import seat_attendance_correct
from .outcomes import (
    representative_seats_withdraw,
    seat_accept,
    seat_answer_by_phone,
    seat_cancel,
    seat_cant_come,
    seat_decline,
    seat_expire,
    seat_mark_attendance,
)
from .schedule import (
    interview_cancel,
    interview_day_cancel,
    interview_move,
    panel_cancel,
    panel_create,
    panel_move,
    panel_sync_times,
)
from .seats import (
    seat_bookings_sync,
    seat_invite,
    seat_invite_next,
    seat_transition,
)

__all__ = [
    "interview_cancel",
    "interview_day_cancel",
    "interview_move",
    "panel_cancel",
    "panel_create",
    "panel_move",
    "panel_sync_times",
    "representative_seats_withdraw",
    "seat_accept",
    "seat_answer_by_phone",
    "seat_attendance_correct",
    "seat_bookings_sync",
    "seat_cancel",
    "seat_cant_come",
    "seat_decline",
    "seat_expire",
    "seat_invite",
    "seat_invite_next",
    "seat_mark_attendance",
    "seat_transition",
]
