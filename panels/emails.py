"""The emails of the panels app: one kind each, one call that renders and queues.

``EmailKind`` owns each message's template (``emails/<kind>_subject.txt``, ``_body.txt``,
``_body.html``), what it is about (a seat, a panel, a representative, a staff interviewer) and
its outbox key, so that calling a function twice queues one email. ``send`` renders in the
recipient's language and queues in the outbox inside the caller's transaction; nobody else
builds a key, and nobody reads one: other modules ask the outbox by kind and what a message is
about (``outbox.selectors``).
"""

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from interviews.selectors import office_leaders
from outbox.rendering import render_message
from outbox.services import message_enqueue

from . import calendar, links
from .calendar import Method
from .models import ConsentGiven, Panel, Representative, Seat, StaffInterviewer

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
) -> bool:
    """Render ``kind`` in ``language`` and queue it; True if this call queued it.

    ``office`` is the office the email is about: its name is the sender's, and replies go to
    its address (else to its leaders). ``representative_id`` marks whose personal data the
    message holds, so that erasing them scrubs it. ``supersede``: an unsent email of this kind
    about the same thing is replaced by this one.
    """
    subject, text, html = render_message(kind.template, context, language)
    attachments = []
    if calendar_file is not None:
        method, content = calendar_file
        attachments.append(
            (
                calendar.filename(method),
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
        reply_to=_reply_to(office),
        attachments=attachments,
        representative_id=representative_id,
        supersede=supersede,
    )
    return queued


def _reply_to(office: "Office | None") -> list[str]:
    """Where replies go if the office has no address of its own: its leaders."""
    if office is None or office.email:
        return []
    return [leader.email for leader in office_leaders(office=office) if leader.email]


def when(moment: datetime, language: str) -> str:
    """A local (Europe/Oslo) date and time as the recipient reads it, right across DST."""
    with translation.override(language):
        return formats.date_format(timezone.localtime(moment), "l j. F Y H:i", use_l10n=True)


def span(starts_at: datetime, ends_at: datetime, language: str) -> str:
    """From start to end: ``mandag 12. oktober 2026 09:00–15:00`` on one day, both dates when
    the span holds several (a panel whose interviews are on different days)."""
    end = timezone.localtime(ends_at)
    if timezone.localdate(starts_at) == end.date():
        with translation.override(language):
            return f"{when(starts_at, language)}–{formats.time_format(end.time(), 'H:i')}"
    return f"{when(starts_at, language)} – {when(ends_at, language)}"


def _date(moment: datetime, language: str) -> str:
    with translation.override(language):
        return formats.date_format(timezone.localtime(moment), "DATE_FORMAT", use_l10n=True)


def _first_name(name: str) -> str:
    return name.split(" ")[0]


# --- To representatives, about a seat --------------------------------------------------------


def _seat_context(seat: Seat) -> dict[str, object]:
    panel = seat.panel
    hiring_round = panel.round
    return {
        "name": _first_name(seat.representative.name),
        "office": hiring_round.office.name,
        "position": hiring_round.position_title,
        "when": span(seat.starts_at, seat.ends_at, seat.representative.language),
        "location": panel.location,
        "link": links.seat_url(seat.pk),
        "my_page_link": links.my_page_url(seat.representative_id),
    }


def _seat_email(
    kind: EmailKind,
    *,
    seat: Seat,
    method: Method | None,
    key_parts: tuple[object, ...] = (),
    extra: dict[str, object] | None = None,
    supersede: bool = False,
) -> bool:
    representative = seat.representative
    return send(
        kind,
        about_id=seat.pk,
        key_parts=key_parts,
        to=representative.email,
        context={**_seat_context(seat), **(extra or {})},
        language=representative.language,
        office=seat.panel.round.office,
        representative_id=representative.pk,
        calendar_file=(
            (method, calendar.seat_calendar(seat=seat, method=method)) if method else None
        ),
        supersede=supersede,
    )


def seat_invitation(*, seat: Seat) -> bool:
    """The invitation; its calendar file is a tentative, free entry the person cannot answer
    in their calendar (``calendar.seat_calendar``): they answer on the seat's page."""
    return _seat_email(EmailKind.INVITATION, seat=seat, method="PUBLISH", key_parts=("v1",))


def seat_confirmation(*, seat: Seat) -> bool:
    """After the representative said yes: the details once more, with the busy entry."""
    return _seat_email(EmailKind.CONFIRMATION, seat=seat, method="REQUEST")


def seat_moved(*, seat: Seat) -> bool:
    """Same UID as before with the raised sequence, so the entry moves in place. One email per
    change the person would notice: a move that is not sent yet is replaced by the next one."""
    method: Method = "REQUEST" if seat.status == "accepted" else "PUBLISH"
    return _seat_email(
        EmailKind.MOVED,
        seat=seat,
        method=method,
        key_parts=(f"seq{seat.calendar_sequence}",),
        supersede=True,
    )


def seat_ended(*, seat: Seat, ended_as: str) -> bool:
    """The seat ended before the day (``ended_as``: its new status, or ``panel_cancelled``):
    the calendar entry the person was sent is cancelled (same UID, higher SEQUENCE)."""
    return _seat_email(
        EmailKind.CANCELLED, seat=seat, method="CANCEL", extra={"ended_as": ended_as}
    )


def seat_taken_off(*, seat: Seat) -> bool:
    """The leader took the person off a panel that goes ahead: its own words, not a
    cancellation of the panel, with the calendar entry cancelled."""
    return _seat_email(EmailKind.TAKEN_OFF, seat=seat, method="CANCEL")


def seat_cant_come_confirmation(*, seat: Seat) -> bool:
    """The person said they cannot come after all: what they did, and the entry cancelled."""
    return _seat_email(EmailKind.CANT_COME, seat=seat, method="CANCEL")


def seat_reminder(*, seat: Seat, days: int, day: date) -> bool:
    """``days`` (3 or 1) before the local ``day`` of the interview, with the calendar entry again.

    The key holds the day, so a panel moved to another day is reminded of again, and a move
    within the same day is not.
    """
    return _seat_email(
        EmailKind.REMINDER,
        seat=seat,
        method="REQUEST",
        key_parts=(f"{days}d", day.isoformat()),
        extra={"days": days},
    )


def seat_answer_reminder(*, seat: Seat) -> bool:
    """Half-way to the answer deadline without an answer. A seat is invited once, so one key."""
    return _seat_email(
        EmailKind.ANSWER_REMINDER,
        seat=seat,
        method=None,
        extra={"answer_by": when(seat.answer_by, seat.representative.language)},
    )


def seat_feedback_request(*, seat: Seat) -> bool:
    return _seat_email(
        EmailKind.FEEDBACK_REQUEST,
        seat=seat,
        method=None,
        extra={"link": links.feedback_url(seat.pk)},
    )


# --- To representatives, about their consent --------------------------------------------------


def _consent_email(
    kind: EmailKind,
    *,
    representative: Representative,
    office: "Office | None",
    key_parts: tuple[object, ...],
    extra: dict[str, object] | None = None,
) -> bool:
    offices = [o.name for o in representative.offices.order_by("name", "pk")]
    if office is None:
        office = representative.offices.order_by("pk").first()
    return send(
        kind,
        about_id=representative.pk,
        key_parts=key_parts,
        to=representative.email,
        context={
            "name": _first_name(representative.name),
            "offices": ", ".join(offices) or "NAV",
            "link": links.consent_url(representative.pk),
            **(extra or {}),
        },
        language=representative.language,
        office=office,
        representative_id=representative.pk,
    )


def consent_request(
    *,
    representative: Representative,
    office: "Office | None" = None,
    again: str = "",
    resent: bool = False,
) -> bool:
    """Ask for consent to be in the pool; from ``office`` (the one that added the person), else
    the first of their offices. A corrected address while consent is awaited is a new message:
    the key holds a digest of it, never the address itself."""
    import hashlib

    digest = hashlib.sha256(representative.email.encode()).hexdigest()[:12]
    return _consent_email(
        EmailKind.CONSENT_REQUEST_RESENT if resent else EmailKind.CONSENT_REQUEST,
        representative=representative,
        office=office,
        key_parts=(digest, *((again,) if again else ())),
    )


def my_page_link(*, representative: Representative, office: "Office", again: str) -> bool:
    """A new link to "my page", sent by a leader when the person's old one has expired;
    ``again`` tells one sending from the next (the day it was sent)."""
    return send(
        EmailKind.MY_PAGE_LINK,
        about_id=representative.pk,
        key_parts=(again,),
        to=representative.email,
        context={
            "name": _first_name(representative.name),
            "office": office.name,
            "link": links.my_page_url(representative.pk),
        },
        language=representative.language,
        office=office,
        representative_id=representative.pk,
    )


def representative_erased_confirmation(
    *, representative: Representative, seats: list[Seat]
) -> bool:
    """To the person who withdrew consent: what was deleted, what is kept, which panels they
    left. Queued before the erasure and still sent after it (``outbox.services.messages_erase``); it
    holds no name, only the address it goes to."""
    offices = list(representative.offices.order_by("pk"))
    language = representative.language
    return send(
        EmailKind.ERASED_CONFIRMATION,
        about_id=representative.pk,
        to=representative.email,
        context={
            "offices": ", ".join(office.name for office in offices) or "NAV",
            "seats": [
                {
                    "position": seat.panel.round.position_title,
                    "when": span(seat.starts_at, seat.ends_at, language),
                }
                for seat in seats
            ],
        },
        language=language,
        office=offices[0] if offices else None,
        representative_id=representative.pk,
    )


def consent_renewal(*, representative: Representative, consent: ConsentGiven) -> bool:
    """Ask for consent again; the key names the consent being renewed, so it is asked once.
    From the office whose period is the strictest (the one that asks)."""
    office = representative.offices.order_by("consent_renewal_months", "pk").first()
    return _consent_email(
        EmailKind.CONSENT_RENEWAL,
        representative=representative,
        office=office,
        key_parts=("consent", consent.pk, timezone.localdate(consent.given_at).isoformat()),
        extra={"given": _date(consent.given_at, representative.language)},
    )


# --- To the office's leaders (Norwegian: staff users have no language of their own) ------------


def _leaders_email(
    kind: EmailKind,
    *,
    office: "Office",
    about_id: int,
    key_parts: tuple[object, ...] = (),
    context: dict[str, object],
    representative_id: int | None = None,
) -> int:
    """One email to each active leader of ``office``; how many this call queued."""
    queued = 0
    for leader in office_leaders(office=office):
        queued += send(
            kind,
            about_id=about_id,
            key_parts=(*key_parts, "leader", leader.pk),
            to=leader.email,
            context={**context, "leader": _leader_name(leader)},
            language=settings.LANGUAGE_CODE,
            office=office,
            representative_id=representative_id,
        )
    return queued


def _leader_name(leader: User) -> str:
    return _first_name(leader.name) if leader.name else leader.get_short_name()


def _panel_context(panel: Panel) -> dict[str, object]:
    return {
        "office": panel.round.office.name,
        "position": panel.round.position_title,
        "when": span(panel.starts_at, panel.ends_at, settings.LANGUAGE_CODE),
        "link": links.absolute(reverse("panel_detail", args=[panel.pk])),
    }


def _representative_notice(
    kind: EmailKind,
    *,
    representative: Representative | None,
    about_id: int,
    office: "Office",
    seats: list[Seat],
    key_parts: tuple[object, ...] = (),
) -> int:
    """About a representative's own choices on "my page"; the name (if any) is in the body,
    never in the subject (subjects show in lock screens and mail lists)."""
    return _leaders_email(
        kind,
        office=office,
        about_id=about_id,
        key_parts=(*key_parts, "office", office.pk),
        context={
            "representative": representative.name if representative else "",
            "office": office.name,
            "seats": [
                {
                    "position": seat.panel.round.position_title,
                    "when": span(seat.starts_at, seat.ends_at, settings.LANGUAGE_CODE),
                    "link": links.absolute(reverse("panel_detail", args=[seat.panel_id])),
                    "next_invited": getattr(seat, "next_seat", None) is not None,
                }
                for seat in seats
            ],
        },
        representative_id=representative.pk if representative else None,
    )


def representative_withdrawn_notice(
    *, representative_id: int, office: "Office", seats: list[Seat], key: str
) -> int:
    """A representative withdrew consent and was erased; ``seats`` are this office's seats
    they left, each saying whether the next suggestion was invited. Without the name: the
    consent text promises it is deleted, and this email outlives the erasure."""
    return _representative_notice(
        EmailKind.WITHDRAWN_NOTICE,
        representative=None,
        about_id=representative_id,
        office=office,
        seats=seats,
        key_parts=(key,),
    )


def representative_deletion_requested(
    *, representative: Representative, office: "Office", seats: list[Seat]
) -> int:
    """The representative asked to be deleted (and so left ``seats`` of this office)."""
    return _representative_notice(
        EmailKind.DELETION_REQUESTED,
        representative=representative,
        about_id=representative.pk,
        office=office,
        seats=seats,
    )


def seat_expired_notice(*, seat: Seat, next_invited: bool) -> int:
    """Tell each leader of the office that an invitation expired (one email per seat)."""
    panel = seat.panel
    return _leaders_email(
        EmailKind.EXPIRED_NOTICE,
        office=panel.round.office,
        about_id=seat.pk,
        context={
            **_panel_context(panel),
            "representative": seat.representative.name if seat.representative else "",
            "next_invited": next_invited,
        },
        representative_id=seat.representative_id,
    )


def seat_freed_notice(*, seat: Seat, next_seat: Seat | None) -> int:
    """Tell each leader of the office that a representative declined, or cannot come after
    all, and whether the next suggestion (``next_seat``) was invited in their place."""
    panel = seat.panel
    return _leaders_email(
        EmailKind.SEAT_FREED_NOTICE,
        office=panel.round.office,
        about_id=seat.pk,
        context={
            **_panel_context(panel),
            "reason": "declined" if seat.status == "declined" else "cant_come",
            "representative": seat.representative.name if seat.representative else "",
            "next_invited": next_seat is not None,
        },
        representative_id=seat.representative_id,
    )


def panel_attendance_reminder(*, panel: Panel, unmarked: int) -> int:
    """The day after: remind each leader of the office to mark attendance on ``panel``."""
    return _leaders_email(
        EmailKind.ATTENDANCE_REMINDER,
        office=panel.round.office,
        about_id=panel.pk,
        context={**_panel_context(panel), "unmarked": unmarked},
    )


# --- Staff interviewers: Norwegian, one calendar entry per panel and person --------------------


def _staff_email(
    kind: EmailKind,
    *,
    staff: StaffInterviewer,
    method: Method | None,
    key_parts: tuple[object, ...] = (),
    supersede: bool = False,
) -> bool:
    panel = staff.panel
    context = {
        **_panel_context(panel),
        "name": _first_name(staff.name),
        "location": calendar.panel_location(panel),
    }
    if kind == EmailKind.STAFF_FEEDBACK_REQUEST:
        context["link"] = links.staff_feedback_url(staff.pk)
    else:
        context.pop("link")
    return send(
        kind,
        about_id=staff.pk,
        key_parts=key_parts,
        to=staff.email,
        context=context,
        language=settings.LANGUAGE_CODE,
        office=panel.round.office,
        calendar_file=(
            (method, calendar.staff_calendar(staff=staff, method=method)) if method else None
        ),
        supersede=supersede,
    )


def staff_invitation(*, staff: StaffInterviewer) -> bool:
    return _staff_email(EmailKind.STAFF_INVITATION, staff=staff, method="REQUEST")


def staff_moved(*, staff: StaffInterviewer) -> bool:
    """Same UID as the invitation with the panel's raised sequence, so the entry moves."""
    return _staff_email(
        EmailKind.STAFF_MOVED,
        staff=staff,
        method="REQUEST",
        key_parts=(f"seq{staff.panel.calendar_sequence}",),
        supersede=True,
    )


def staff_cancelled(*, staff: StaffInterviewer) -> bool:
    return _staff_email(EmailKind.STAFF_CANCELLED, staff=staff, method="CANCEL")


def staff_feedback_request(*, staff: StaffInterviewer) -> bool:
    return _staff_email(EmailKind.STAFF_FEEDBACK_REQUEST, staff=staff, method=None)
