"""The emails to a representative: about a seat, and about their consent and data.

Each goes the ways the person chose (``Representative.contact``): by email, and by SMS for the
kinds that have one (``sms.SmsKind``), from the same call, so that no caller has to know.
"""

import hashlib
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.apps import apps
from django.utils import timezone

from .. import calendar, links
from ..calendar import Method
from ..models import ConsentGiven, Representative, Seat

if TYPE_CHECKING:
    from interviews.models import Office
from .kinds import EmailKind, date_text, first_name, reply_to_for, send, span, when
from .sms import SmsKind, send_sms, sms_date, sms_when


def _sms_kind(kind: EmailKind) -> SmsKind | None:
    return SmsKind(kind.value) if kind.value in SmsKind.values else None


def honorarium_on(day: date) -> str:
    """The day rate in force on ``day`` as text ("1500.00"), or "" when none is set.

    The rates are ``reports.HonorariumRate``; ``reports`` sits above ``panels`` in the app
    layers, so the model is read by name here rather than imported.
    """
    rate = (
        apps.get_model("reports", "HonorariumRate")
        .objects.filter(valid_from__lte=day)
        .order_by("-valid_from")
        .values_list("day_rate", flat=True)
        .first()
    )
    return f"{rate:.2f}" if rate is not None else ""


def _seat_context(seat: Seat) -> dict[str, object]:
    panel = seat.panel
    hiring_round = panel.round
    representative = seat.holder()
    return {
        "name": first_name(representative.name),
        "office": hiring_round.office.name,
        "position": hiring_round.position_title,
        "when": span(seat.starts_at, seat.ends_at, representative.language),
        "location": panel.location,
        "street_address": hiring_round.office.street_address,
        "link": links.seat_url(seat.pk),
        "my_page_link": links.my_page_url(representative.pk),
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
    representative = seat.holder()
    queued = False
    if representative.by_email:
        queued = send(
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
    sms_kind = _sms_kind(kind)
    if representative.by_sms and sms_kind is not None:
        queued = _seat_sms(sms_kind, seat=seat, key_parts=key_parts, extra=extra) or queued
    return queued


def _seat_sms(
    kind: SmsKind,
    *,
    seat: Seat,
    key_parts: tuple[object, ...],
    extra: dict[str, object] | None,
) -> bool:
    representative = seat.holder()
    language = representative.language
    context = {
        **_seat_context(seat),
        "when": sms_when(seat.starts_at, seat.ends_at, language),
        "answer_by": sms_date(seat.answer_by) if seat.answer_by else "",
        **{k: v for k, v in (extra or {}).items() if k not in ("link", "answer_by")},
    }
    link = (extra or {}).get("link") or links.seat_url(seat.pk)
    return send_sms(
        kind,
        representative=representative,
        about_id=seat.pk,
        key_parts=key_parts,
        context=context,
        link=str(link),
        seat=seat,
        office=seat.panel.round.office,
        supersede=kind == SmsKind.MOVED,
    )


def seat_invitation(*, seat: Seat) -> bool:
    """The invitation; its calendar file is a tentative, free entry the person cannot answer
    in their calendar (``calendar.seat_calendar``): they answer on the seat's page. It states
    the street address and the honorarium in force on the day (issue 18, point 4)."""
    return _seat_email(
        EmailKind.INVITATION,
        seat=seat,
        method="PUBLISH",
        key_parts=("v1",),
        extra={"honorarium": honorarium_on(timezone.localdate(seat.starts_at))},
    )


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
    if seat.answer_by is None:
        raise ValueError(f"Seat {seat.pk} has no answer deadline to remind of.")
    return _seat_email(
        EmailKind.ANSWER_REMINDER,
        seat=seat,
        method=None,
        extra={"answer_by": when(seat.answer_by, seat.holder().language)},
    )


def seat_feedback_request(*, seat: Seat) -> bool:
    return _seat_email(
        EmailKind.FEEDBACK_REQUEST,
        seat=seat,
        method=None,
        extra={"link": links.feedback_url(seat.pk)},
    )


def _consent_email(
    kind: EmailKind,
    *,
    representative: Representative,
    office: "Office | None",
    key_parts: tuple[object, ...],
    extra: dict[str, object] | None = None,
    reply_to: list[str] | None = None,
    sms_key_parts: tuple[object, ...] | None = None,
) -> bool:
    # Sorted here, not by the database, so that offices prefetched by a bulk caller (the pool
    # import) cost no query per person.
    offices = list(representative.offices.all())
    if office is None:
        office = min(offices, key=lambda o: o.pk, default=None)
    names = [o.name for o in sorted(offices, key=lambda o: (o.name, o.pk))]
    context = {
        "name": first_name(representative.name),
        "offices": ", ".join(names) or "NAV",
        "link": links.consent_url(representative.pk),
        **(extra or {}),
    }
    queued = False
    if representative.by_email:
        queued = send(
            kind,
            about_id=representative.pk,
            key_parts=key_parts,
            to=representative.email,
            context=context,
            language=representative.language,
            office=office,
            representative_id=representative.pk,
            reply_to=reply_to,
        )
    sms_kind = _sms_kind(kind)
    if representative.by_sms and sms_kind is not None:
        queued = (
            send_sms(
                sms_kind,
                representative=representative,
                about_id=representative.pk,
                key_parts=sms_key_parts if sms_key_parts is not None else key_parts,
                context=context,
                link=str(context["link"]),
                office=office,
            )
            or queued
        )
    return queued


def consent_request(
    *,
    representative: Representative,
    office: "Office | None" = None,
    again: str = "",
    resent: bool = False,
    reply_to: list[str] | None = None,
) -> bool:
    """Ask for consent to be in the pool; from ``office`` (the one that added the person), else
    the first of their offices. A corrected address while consent is awaited is a new message:
    the key holds a digest of it, never the address itself."""
    digest = hashlib.sha256(representative.email.encode()).hexdigest()[:12]
    # A corrected number is a new SMS in the same way.
    sms_digest = hashlib.sha256(representative.phone.encode()).hexdigest()[:12]
    again_parts = (again,) if again else ()
    return _consent_email(
        EmailKind.CONSENT_REQUEST_RESENT if resent else EmailKind.CONSENT_REQUEST,
        representative=representative,
        office=office,
        key_parts=(digest, *again_parts),
        sms_key_parts=(sms_digest, *again_parts),
        reply_to=reply_to,
    )


def consent_requests(*, representatives: Iterable[Representative], office: "Office") -> int:
    """Ask each of ``representatives``, just added together to ``office``'s pool (the pool
    import), for consent; how many were queued. The office's Reply-To is looked up once, not
    once a person: at 50,000 people that query was half the import's time."""
    reply_to = reply_to_for(office)
    return sum(
        consent_request(representative=person, office=office, reply_to=reply_to)
        for person in representatives
    )


def my_page_link(*, representative: Representative, office: "Office", again: str) -> bool:
    """A new link to "my page", sent by a leader when the person's old one has expired;
    ``again`` tells one sending from the next (the day it was sent)."""
    context: dict[str, object] = {
        "name": first_name(representative.name),
        "office": office.name,
        "link": links.my_page_url(representative.pk),
    }
    queued = False
    if representative.by_email:
        queued = send(
            EmailKind.MY_PAGE_LINK,
            about_id=representative.pk,
            key_parts=(again,),
            to=representative.email,
            context=context,
            language=representative.language,
            office=office,
            representative_id=representative.pk,
        )
    if representative.by_sms:
        queued = (
            send_sms(
                SmsKind.MY_PAGE_LINK,
                representative=representative,
                about_id=representative.pk,
                key_parts=(again,),
                context=context,
                link=str(context["link"]),
                office=office,
            )
            or queued
        )
    return queued


def representative_erased_confirmation(
    *, representative: Representative, seats: list[Seat]
) -> bool:
    """To the person who withdrew consent: what was deleted, what is kept, which panels they
    left. Queued before the erasure and still sent after it (``outbox.services.messages_erase``); it
    holds no name, only the address it goes to."""
    offices = list(representative.offices.order_by("pk"))
    language = representative.language
    queued = False
    if representative.by_sms:
        # Short, and without a link: what it would lead to is being deleted.
        queued = send_sms(
            SmsKind.ERASED_CONFIRMATION,
            representative=representative,
            about_id=representative.pk,
            context={"offices": ", ".join(office.name for office in offices) or "NAV"},
            link=None,
            office=offices[0] if offices else None,
        )
    if not representative.by_email:
        return queued
    return (
        send(
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
        or queued
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
        extra={"given": date_text(consent.given_at, representative.language)},
    )
