"""The emails of the panels app. Each is queued in the outbox inside the caller's transaction.

Keys name the logical message, so calling a function twice queues one email.
"""

import hashlib

from django.utils import formats, timezone, translation

from outbox.rendering import render_message
from outbox.services import message_queue

from . import calendar, links
from .calendar import Method
from .models import Representative, Seat


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
    }


def consent_request(*, representative: Representative) -> None:
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
        key=f"consent-request:representative:{representative.pk}:"
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


def _seat_message(*, seat: Seat, name: str, key: str, method: Method) -> None:
    office = seat.panel.round.office
    subject, text, html = render_message(name, _seat_context(seat), seat.representative.language)
    filename = "cancellation.ics" if method == "CANCEL" else "invitation.ics"
    message_queue(
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
