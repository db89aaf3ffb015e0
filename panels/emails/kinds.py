"""Each email's kind, and the one call that renders and queues it."""

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from interviews.selectors import office_leaders
from outbox.rendering import render_message
from outbox.services import message_enqueue

from .. import calendar
from ..calendar import Method

if TYPE_CHECKING:
    from interviews.models import Office


class EmailKind(models.TextChoices):
    """Every email of the panels app. The value names its templates; ``about_type`` what its
    ``about_id`` is the id of; ``key`` the outbox key that makes it go once."""

    INVITATION = "invitation", _("Invitation")
    CONFIRMATION = "confirmation", _("Confirmation")
    MOVED = "moved", _("New time")
    CANCELLED = "cancelled", _("Cancellation")
    CONSENT_REQUEST = "consent_request", _("Consent request")
    CONSENT_REQUEST_RESENT = "consent_request_resent", _("Consent request, sent again")
    CONSENT_RENEWAL = "consent_renewal", _("Consent renewal")
    REMINDER = "reminder", _("Reminder")
    ANSWER_REMINDER = "answer_reminder", _("Reminder to answer")
    FEEDBACK_REQUEST = "feedback_request", _("Feedback request")
    STAFF_FEEDBACK_REQUEST = "staff_feedback_request", _("Feedback request (staff)")
    STAFF_INVITATION = "staff_invitation", _("Calendar invitation (staff)")
    STAFF_MOVED = "staff_moved", _("New time (staff)")
    STAFF_CANCELLED = "staff_cancelled", _("Cancellation (staff)")
    EXPIRED_NOTICE = "expired_notice", _("No answer (to leaders)")
    ATTENDANCE_REMINDER = "attendance_reminder", _("Attendance reminder (to leaders)")
    WITHDRAWN_NOTICE = "withdrawn_notice", _("Consent withdrawn (to leaders)")
    DELETION_REQUESTED = "deletion_requested", _("Deletion requested (to leaders)")
    MY_PAGE_LINK = "my_page_link", _("Link to my page")
    TAKEN_OFF = "taken_off", _("Taken off the panel")
    CANT_COME = "cant_come", _("Cannot come after all")
    ERASED_CONFIRMATION = "erased_confirmation", _("Erasure confirmed")
    SEAT_FREED_NOTICE = "seat_freed_notice", _("Seat freed (to leaders)")

    @property
    def template(self) -> str:
        return _TEMPLATES.get(self, self.value)

    @property
    def about_type(self) -> str:
        return _ABOUT[self]

    def key(self, about_id: int, *parts: object) -> str:
        """``invitation:seat:42``, ``reminder:seat:42:3d:2026-10-23``: unique per logical email."""
        return ":".join(
            [self.value.replace("_", "-"), self.about_type, str(about_id), *map(str, parts)]
        )


SEAT, PANEL, STAFF, REPRESENTATIVE = "seat", "panel", "staff", "representative"


_ABOUT: dict[str, str] = {
    EmailKind.INVITATION: SEAT,
    EmailKind.CONFIRMATION: SEAT,
    EmailKind.MOVED: SEAT,
    EmailKind.CANCELLED: SEAT,
    EmailKind.CONSENT_REQUEST: REPRESENTATIVE,
    EmailKind.CONSENT_REQUEST_RESENT: REPRESENTATIVE,
    EmailKind.CONSENT_RENEWAL: REPRESENTATIVE,
    EmailKind.REMINDER: SEAT,
    EmailKind.ANSWER_REMINDER: SEAT,
    EmailKind.FEEDBACK_REQUEST: SEAT,
    EmailKind.STAFF_FEEDBACK_REQUEST: STAFF,
    EmailKind.STAFF_INVITATION: STAFF,
    EmailKind.STAFF_MOVED: STAFF,
    EmailKind.STAFF_CANCELLED: STAFF,
    EmailKind.EXPIRED_NOTICE: SEAT,
    EmailKind.ATTENDANCE_REMINDER: PANEL,
    EmailKind.WITHDRAWN_NOTICE: REPRESENTATIVE,
    EmailKind.DELETION_REQUESTED: REPRESENTATIVE,
    EmailKind.MY_PAGE_LINK: REPRESENTATIVE,
    EmailKind.TAKEN_OFF: SEAT,
    EmailKind.CANT_COME: SEAT,
    EmailKind.ERASED_CONFIRMATION: REPRESENTATIVE,
    EmailKind.SEAT_FREED_NOTICE: SEAT,
}


# Kinds that share another's templates.
_TEMPLATES: dict[str, str] = {EmailKind.CONSENT_REQUEST_RESENT: "consent_request"}


# What a leader sends again by hand (at most one a day per person, ``panels.pool``).
RESENT_KINDS = (EmailKind.CONSENT_REQUEST_RESENT, EmailKind.MY_PAGE_LINK)


def send(
    kind: EmailKind,
    *,
    about_id: int,
    key_parts: tuple[object, ...] = (),
    to: str,
    context: dict[str, object],
    language: str,
    office: "Office | None",
    representative_id: int | None = None,
    calendar_file: tuple[Method, bytes] | None = None,
    supersede: bool = False,
    reply_to: list[str] | None = None,
) -> bool:
    """Render ``kind`` in ``language`` and queue it; True if this call queued it.

    ``office`` is the office the email is about: its name is the sender's, and replies go to
    its address (else to its leaders). ``representative_id`` marks whose personal data the
    message holds, so that erasing them scrubs it. ``supersede``: an unsent email of this kind
    about the same thing is replaced by this one. ``reply_to``: the office's, when a caller
    sending many already looked it up (``reply_to_for``).
    """
    subject, text, html = render_message(kind.template, context, language)
    attachments = []
    if calendar_file is not None:
        method, content = calendar_file
        attachments.append(
            (
                calendar.filename(method, language),
                content,
                f"text/calendar; method={method}; charset=utf-8",
            )
        )
    _message, queued = message_enqueue(
        key=kind.key(about_id, *key_parts),
        kind=kind.value,
        about=(kind.about_type, about_id),
        to=to,
        subject=subject,
        body_text=text,
        body_html=html,
        office=office,
        reply_to=reply_to_for(office) if reply_to is None else reply_to,
        attachments=attachments,
        representative_id=representative_id,
        supersede=supersede,
    )
    return queued


def reply_to_for(office: "Office | None") -> list[str]:
    """Where replies go if the office has no address of its own: its leaders."""
    if office is None or office.email:
        return []
    return [leader.email for leader in office_leaders(office=office) if leader.email]


def when(moment: datetime, language: str) -> str:
    """A local (Europe/Oslo) date and time as the recipient reads it, right across DST."""
    with translation.override(language):
        local = timezone.localtime(moment)
        # The weekday, then the language's one date-and-time format (navpanel/formats/).
        weekday = formats.date_format(local, "l", use_l10n=True)
        return f"{weekday} {formats.date_format(local, 'DATETIME_FORMAT', use_l10n=True)}"


def span(starts_at: datetime, ends_at: datetime, language: str) -> str:
    """From start to end: ``mandag 12. oktober 2026 09:00–15:00`` on one day, both dates when
    the span holds several (a panel whose interviews are on different days)."""
    end = timezone.localtime(ends_at)
    if timezone.localdate(starts_at) == end.date():
        with translation.override(language):
            return f"{when(starts_at, language)}–{formats.time_format(end.time(), 'H:i')}"
    return f"{when(starts_at, language)} – {when(ends_at, language)}"


def date_text(moment: datetime, language: str) -> str:
    with translation.override(language):
        return formats.date_format(timezone.localtime(moment), "DATE_FORMAT", use_l10n=True)


def first_name(name: str) -> str:
    return name.split(" ")[0]
