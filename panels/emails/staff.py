"""The emails to an office's leaders and to staff interviewers."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse

from accounts.models import User
from interviews.selectors import office_leaders

from .. import calendar, links
from ..calendar import Method
from ..models import Panel, Representative, Seat, StaffInterviewer

if TYPE_CHECKING:
    from interviews.models import Office
from .kinds import EmailKind, first_name, send, span


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
    return first_name(leader.name) if leader.name else leader.get_short_name()


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
        "name": first_name(staff.name),
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
