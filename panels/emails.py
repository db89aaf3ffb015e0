"""The emails of the panels app. Each is queued in the outbox inside the caller's transaction.

Keys name the logical message, so calling a function twice queues one email.
"""

import hashlib
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation

from accounts.models import User
from interviews.selectors import office_leaders
from outbox.rendering import render_message
from outbox.services import message_queue

from . import calendar, links
from .calendar import Method
from .models import ConsentGiven, Panel, Representative, Seat, StaffInterviewer

if TYPE_CHECKING:
    from interviews.models import Office


def _sender(office_name: str) -> str:
    from django.conf import settings

    address = settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">")
    return f"{office_name} <{address}>"


def _seat_context(seat: Seat) -> dict[str, object]:
    panel = seat.panel
    hiring_round = panel.round
    with translation.override(seat.representative.language):
        when = formats.date_format(
            timezone.localtime(seat.starts_at), "l j. F Y H:i", use_l10n=True
        )
    return {
        "name": seat.representative.name.split(" ")[0],
        "office": hiring_round.office.name,
        "position": hiring_round.position_title,
        "when": when,
        "location": panel.location,
        "link": links.seat_url(seat.pk),
        "my_page_link": links.my_page_url(seat.representative_id),
    }


def consent_request(*, representative: Representative, key: str | None = None) -> None:
    """Ask for consent; ``key`` names a request sent again by a leader (a new message)."""
    offices = ", ".join(o.name for o in representative.offices.all()) or "NAV"
    context = {
        "name": representative.name.split(" ")[0],
        "offices": offices,
        "link": links.consent_url(representative.pk),
    }
    subject, text, html = render_message("consent_request", context, representative.language)
    message_queue(
        # A corrected address while consent is awaited is a new message; the key holds a digest,
        # never the address itself.
        key=key
        or f"consent-request:representative:{representative.pk}:"
        + hashlib.sha256(representative.email.encode()).hexdigest()[:12],
        kind="consent_request",
        to=representative.email,
        subject=subject,
        body_text=text,
        body_html=html,
        office=representative.offices.first(),
        from_email=_sender(offices),
        representative_id=representative.pk,
    )


def my_page_link(*, representative: Representative, office: "Office", key: str) -> None:
    """A new link to "my page", sent by a leader when the person's old one has expired."""
    context = {
        "name": representative.name.split(" ")[0],
        "office": office.name,
        "link": links.my_page_url(representative.pk),
    }
    subject, text, html = render_message("my_page_link", context, representative.language)
    message_queue(
        key=key,
        kind="my_page_link",
        to=representative.email,
        subject=subject,
        body_text=text,
        body_html=html,
        office=office,
        from_email=_sender(office.name),
        representative_id=representative.pk,
    )


def _seat_message(
    *, seat: Seat, name: str, key: str, method: Method, extra: dict[str, object] | None = None
) -> bool:
    office = seat.panel.round.office
    context = {**_seat_context(seat), **(extra or {})}
    subject, text, html = render_message(name, context, seat.representative.language)
    filename = "cancellation.ics" if method == "CANCEL" else "invitation.ics"
    return _queue(
        key=key,
        kind=name,
        to=seat.representative.email,
        subject=subject,
        body_text=text,
        body_html=html,
        office=office,
        from_email=_sender(office.name),
        representative_id=seat.representative_id,
        attachments=[
            (
                filename,
                calendar.seat_calendar(seat=seat, method=method),
                f"text/calendar; method={method}; charset=UTF-8",
            )
        ],
    )


def seat_invitation(*, seat: Seat) -> None:
    _seat_message(
        seat=seat, name="invitation", key=f"invitation:seat:{seat.pk}:v1", method="REQUEST"
    )


def seat_confirmation(*, seat: Seat) -> None:
    """After the representative said yes: the details once more, with the calendar entry."""
    _seat_message(
        seat=seat, name="confirmation", key=f"confirmation:seat:{seat.pk}", method="REQUEST"
    )


def seat_moved(*, seat: Seat) -> None:
    """Same UID as the invitation, with the raised sequence, so the entry moves in place."""
    _seat_message(
        seat=seat,
        name="moved",
        key=f"moved:seat:{seat.pk}:seq{seat.calendar_sequence}",
        method="REQUEST",
    )


def seat_cancelled(*, seat: Seat) -> None:
    _seat_message(seat=seat, name="cancelled", key=f"cancelled:seat:{seat.pk}", method="CANCEL")


def seat_taken_off(*, seat: Seat) -> None:
    """The leader took the person off a panel that goes ahead: its own words, not a
    cancellation of the panel, with the calendar entry cancelled."""
    _seat_message(seat=seat, name="taken_off", key=f"taken-off:seat:{seat.pk}", method="CANCEL")


def seat_cant_come_confirmation(*, seat: Seat) -> None:
    """The person said they cannot come after all: what they did, and the entry cancelled."""
    _seat_message(seat=seat, name="cant_come", key=f"cant-come:seat:{seat.pk}", method="CANCEL")


# To the office's leaders, about a representative's own choices on "my page" ----------------------


def _leader_notice(
    *,
    name: str,
    key: str,
    representative: Representative | None,
    office: "Office",
    seats: list[Seat],
) -> None:
    """One email to each active leader of ``office``, in the site's language (nb).

    With ``representative`` it names the person, so it carries ``representative_id`` and is
    scrubbed when the person is erased; without, it names nobody.
    """
    from interviews.enums import RoleKind
    from interviews.models import OfficeRole

    leaders = OfficeRole.objects.filter(
        kind=RoleKind.LEADER, office=office, user__is_active=True
    ).select_related("user")
    for role in leaders.order_by("user_id"):
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "leader": role.user.get_short_name(),
                "representative": representative.name if representative else "",
                "office": office.name,
                "seats": [
                    {
                        "position": seat.panel.round.position_title,
                        "when": formats.date_format(
                            timezone.localtime(seat.starts_at), "l j. F Y H:i", use_l10n=True
                        ),
                        "link": links.absolute(reverse("panel_detail", args=[seat.panel_id])),
                        "next_invited": getattr(seat, "next_seat", None) is not None,
                    }
                    for seat in seats
                ],
            }
        subject, text, html = render_message(name, context, settings.LANGUAGE_CODE)
        message_queue(
            key=f"{key}:office:{office.pk}:user:{role.user_id}",
            kind=name,
            to=role.user.email,
            subject=subject,
            body_text=text,
            body_html=html,
            office=office,
            representative_id=representative.pk if representative else None,
        )


def representative_withdrawn_notice(*, office: "Office", seats: list[Seat], key: str) -> None:
    """A representative withdrew consent and was erased; ``seats`` are this office's seats
    they left, each saying whether the next suggestion was invited. Without the name: the
    consent text promises it is deleted, and this email outlives the erasure."""
    _leader_notice(
        name="withdrawn_notice",
        key=f"withdrawn-notice:{key}",
        representative=None,
        office=office,
        seats=seats,
    )


def representative_erased_confirmation(
    *, representative: Representative, seats: list[Seat]
) -> None:
    """To the person who withdrew consent: what was deleted, what is kept, which panels they
    left. Queued before the erasure and still sent after it (``erasure.representative_erase``,
    ``farewell_since``); it holds no name, only the address it goes to."""
    offices = list(representative.offices.all())
    language = representative.language
    context = {
        "offices": ", ".join(office.name for office in offices) or "NAV",
        "seats": [
            {"position": seat.panel.round.position_title, "when": _when(seat.starts_at, language)}
            for seat in seats
        ],
    }
    subject, text, html = render_message("erased_confirmation", context, language)
    message_queue(
        key=f"erased-confirmation:representative:{representative.pk}",
        kind="erased_confirmation",
        to=representative.email,
        subject=subject,
        body_text=text,
        body_html=html,
        office=offices[0] if offices else None,
        from_email=_sender(offices[0].name if offices else "NAV"),
        representative_id=representative.pk,
    )


def representative_deletion_requested(
    *, representative: Representative, office: "Office", seats: list[Seat]
) -> None:
    """The representative asked to be deleted (and so left ``seats`` of this office)."""
    _leader_notice(
        name="deletion_requested",
        key=f"deletion-requested:representative:{representative.pk}",
        representative=representative,
        office=office,
        seats=seats,
    )


# --- Periodic emails (panels.jobs) and staff interviewers' calendar entries ---------------------


def _queue(**message: object) -> bool:
    """Queue through the outbox; True if this call queued it, False if the key was there."""
    before = timezone.now()
    return message_queue(**message).created_at >= before


def _when(moment: datetime, language: str) -> str:
    """A local (Europe/Oslo) date and time as the recipient reads it, right across DST."""
    with translation.override(language):
        return formats.date_format(timezone.localtime(moment), "l j. F Y H:i", use_l10n=True)


def seat_reminder(*, seat: Seat, days: int, day: date) -> bool:
    """``days`` (3 or 1) before the local ``day`` of the interview, with the calendar entry again.

    The key holds the day, so a panel moved to another day is reminded of again, and a move
    within the same day is not.
    """
    return _seat_message(
        seat=seat,
        name="reminder",
        key=f"reminder:seat:{seat.pk}:{days}d:{day.isoformat()}",
        method="REQUEST",
        extra={"days": days},
    )


def seat_answer_reminder(*, seat: Seat) -> bool:
    """Half-way to the answer deadline without an answer. A seat is invited once, so one key."""
    representative = seat.representative
    office = seat.panel.round.office
    context = {
        **_seat_context(seat),
        "answer_by": _when(seat.answer_by, representative.language),
    }
    subject, text, html = render_message("answer_reminder", context, representative.language)
    return _queue(
        key=f"answer-reminder:seat:{seat.pk}",
        kind="answer_reminder",
        to=representative.email,
        subject=subject,
        body_text=text,
        body_html=html,
        office=office,
        from_email=_sender(office.name),
        representative_id=representative.pk,
    )


def seat_feedback_request(*, seat: Seat) -> bool:
    representative = seat.representative
    office = seat.panel.round.office
    context = {**_seat_context(seat), "link": links.feedback_url(seat.pk)}
    subject, text, html = render_message("feedback_request", context, representative.language)
    return _queue(
        key=f"feedback-request:seat:{seat.pk}",
        kind="feedback_request",
        to=representative.email,
        subject=subject,
        body_text=text,
        body_html=html,
        office=office,
        from_email=_sender(office.name),
        representative_id=representative.pk,
    )


def consent_renewal(*, representative: Representative, consent: ConsentGiven) -> bool:
    """Ask for consent again; the key names the consent being renewed, so it is asked once."""
    offices = ", ".join(o.name for o in representative.offices.all()) or "NAV"
    context = {
        "name": representative.name.split(" ")[0],
        "offices": offices,
        "given": _date(consent.given_at, representative.language),
        "link": links.consent_url(representative.pk),
    }
    subject, text, html = render_message("consent_renewal", context, representative.language)
    return _queue(
        key=f"consent-renewal:representative:{representative.pk}:consent:{consent.pk}:"
        f"{timezone.localdate(consent.given_at).isoformat()}",
        kind="consent_renewal",
        to=representative.email,
        subject=subject,
        body_text=text,
        body_html=html,
        office=representative.offices.order_by("pk").first(),
        from_email=_sender(offices),
        representative_id=representative.pk,
    )


def _date(moment: datetime, language: str) -> str:
    with translation.override(language):
        return formats.date_format(timezone.localtime(moment), "DATE_FORMAT", use_l10n=True)


# Leaders: Norwegian (staff users have no language of their own), from the office.


def _leader_message(
    *,
    office: "Office",
    name: str,
    key: str,
    context: dict[str, object],
    leader: User,
    representative_id: int | None = None,
) -> bool:
    subject, text, html = render_message(
        name, {**context, "leader": leader.name.split(" ")[0]}, settings.LANGUAGE_CODE
    )
    return _queue(
        key=f"{key}:leader:{leader.pk}",
        kind=name,
        to=leader.email,
        subject=subject,
        body_text=text,
        body_html=html,
        office=office,
        from_email=_sender(office.name),
        representative_id=representative_id,
    )


def _panel_context(panel: Panel) -> dict[str, object]:
    return {
        "office": panel.round.office.name,
        "position": panel.round.position_title,
        "when": _when(panel.starts_at, settings.LANGUAGE_CODE),
        "link": links.absolute(reverse("panel_detail", args=[panel.pk])),
    }


def seat_expired_notice(*, seat: Seat, next_invited: bool) -> int:
    """Tell each leader of the office that an invitation expired (one email per seat)."""
    panel = seat.panel
    office = panel.round.office
    context = {
        **_panel_context(panel),
        "representative": seat.representative.name if seat.representative else "",
        "next_invited": next_invited,
    }
    queued = 0
    for leader in office_leaders(office=office):
        queued += _leader_message(
            office=office,
            name="expired_notice",
            key=f"expired-notice:seat:{seat.pk}",
            context=context,
            leader=leader,
            representative_id=seat.representative_id,
        )
    return queued


def seat_freed_notice(*, seat: Seat, next_seat: Seat | None) -> int:
    """Tell each leader of the office that a representative declined, or cannot come after
    all, and whether the next suggestion (``next_seat``) was invited in their place."""
    panel = seat.panel
    office = panel.round.office
    context = {
        **_panel_context(panel),
        "reason": "declined" if seat.status == "declined" else "cant_come",
        "representative": seat.representative.name if seat.representative else "",
        "next_invited": next_seat is not None,
    }
    queued = 0
    for leader in office_leaders(office=office):
        queued += _leader_message(
            office=office,
            name="seat_freed_notice",
            key=f"seat-freed-notice:seat:{seat.pk}",
            context=context,
            leader=leader,
            representative_id=seat.representative_id,
        )
    return queued


def panel_attendance_reminder(*, panel: Panel, unmarked: int) -> int:
    """The day after: remind each leader of the office to mark attendance on ``panel``."""
    office = panel.round.office
    context = {**_panel_context(panel), "unmarked": unmarked}
    queued = 0
    for leader in office_leaders(office=office):
        queued += _leader_message(
            office=office,
            name="attendance_reminder",
            key=f"attendance-reminder:panel:{panel.pk}",
            context=context,
            leader=leader,
        )
    return queued


# Staff interviewers: Norwegian, one calendar entry per panel and person.


def _staff_message(*, staff: StaffInterviewer, name: str, key: str, method: Method | None) -> bool:
    panel = staff.panel
    office = panel.round.office
    context = {
        **_panel_context(panel),
        "name": staff.name.split(" ")[0],
        "location": calendar.panel_location(panel),
    }
    if name == "staff_feedback_request":
        context["link"] = links.staff_feedback_url(staff.pk)
    else:
        context.pop("link")
    subject, text, html = render_message(name, context, settings.LANGUAGE_CODE)
    attachments = []
    if method is not None:
        attachments.append(
            (
                "cancellation.ics" if method == "CANCEL" else "invitation.ics",
                calendar.staff_calendar(staff=staff, method=method),
                f"text/calendar; method={method}; charset=UTF-8",
            )
        )
    return _queue(
        key=key,
        kind=name,
        to=staff.email,
        subject=subject,
        body_text=text,
        body_html=html,
        office=office,
        from_email=_sender(office.name),
        attachments=attachments,
    )


def staff_invitation(*, staff: StaffInterviewer) -> bool:
    return _staff_message(
        staff=staff,
        name="staff_invitation",
        key=f"staff-invitation:staff:{staff.pk}",
        method="REQUEST",
    )


def staff_moved(*, staff: StaffInterviewer) -> bool:
    """Same UID as the invitation with the panel's raised sequence, so the entry moves."""
    return _staff_message(
        staff=staff,
        name="staff_moved",
        key=f"staff-moved:staff:{staff.pk}:seq{staff.panel.calendar_sequence}",
        method="REQUEST",
    )


def staff_cancelled(*, staff: StaffInterviewer) -> bool:
    return _staff_message(
        staff=staff,
        name="staff_cancelled",
        key=f"staff-cancelled:staff:{staff.pk}",
        method="CANCEL",
    )


def staff_feedback_request(*, staff: StaffInterviewer) -> bool:
    return _staff_message(
        staff=staff,
        name="staff_feedback_request",
        key=f"feedback-request:staff:{staff.pk}",
        method=None,
    )
