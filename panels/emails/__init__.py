"""The emails of the panels app: one kind each, one call that renders and queues.

``EmailKind`` (``kinds``) owns each message's template (``emails/<kind>_subject.txt``,
``_body.txt``, ``_body.html``), what it is about (a seat, a panel, a representative, a staff
interviewer) and its outbox key, so that calling a function twice queues one email. ``send``
renders in the recipient's language and queues in the outbox inside the caller's transaction;
nobody else builds a key, and nobody reads one: other modules ask the outbox by kind and what a
message is about (``outbox.selectors``). The messages to representatives are in
``representatives``, those to leaders and staff interviewers in ``staff``.
"""

from .kinds import (
    RESENT_KINDS,
    EmailKind,
    send,
    span,
    when,
)
from .representatives import (
    consent_renewal,
    consent_request,
    consent_requests,
    my_page_link,
    representative_erased_confirmation,
    seat_answer_reminder,
    seat_cant_come_confirmation,
    seat_confirmation,
    seat_ended,
    seat_feedback_request,
    seat_invitation,
    seat_moved,
    seat_reminder,
    seat_taken_off,
)
from .sms import SmsKind, sms_render
from .staff import (
    panel_attendance_reminder,
    representative_deletion_requested,
    representative_withdrawn_notice,
    seat_expired_notice,
    seat_freed_notice,
    staff_cancelled,
    staff_feedback_request,
    staff_invitation,
    staff_moved,
)

__all__ = [
    "RESENT_KINDS",
    "EmailKind",
    "SmsKind",
    "consent_renewal",
    "consent_request",
    "consent_requests",
    "my_page_link",
    "panel_attendance_reminder",
    "representative_deletion_requested",
    "representative_erased_confirmation",
    "representative_withdrawn_notice",
    "seat_answer_reminder",
    "seat_cant_come_confirmation",
    "seat_confirmation",
    "seat_ended",
    "seat_expired_notice",
    "seat_feedback_request",
    "seat_freed_notice",
    "seat_invitation",
    "seat_moved",
    "seat_reminder",
    "seat_taken_off",
    "send",
    "sms_render",
    "span",
    "staff_cancelled",
    "staff_feedback_request",
    "staff_invitation",
    "staff_moved",
    "when",
]
