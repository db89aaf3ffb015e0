"""Calendar files (RFC 5545 / iTIP RFC 5546) sent with a seat's emails.

One seat is one calendar event: its UID never changes, so the invitation, every move and the
cancellation update the same entry in the representative's calendar. ``Seat.calendar_sequence``
is raised by the panel services on every move; clients ignore an update whose SEQUENCE is not
higher than the one they hold, which is how "a moved interview whose entry never updates" happens.

Times are written in Europe/Oslo with the VTIMEZONE included, so a calendar shows 09:00 on
both sides of a change to or from summer time. The file names the office, the position, the
place and the seat link; never a candidate, a background or support needs.
"""

from datetime import date
from typing import Literal

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from interviews.enums import InterviewStatus

from . import links
from .models import Seat

Method = Literal["REQUEST", "CANCEL"]

PRODID = "-//NAV//navpanel//NO"
UID_DOMAIN = "navpanel.nav.no"


def seat_uid(seat: Seat) -> str:
    return f"seat-{seat.pk}@{UID_DOMAIN}"


def _organizer_address(seat: Seat) -> str:
    office = seat.panel.round.office
    return office.email or settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">")


def _location(seat: Seat) -> str:
    """The room or address; for a panel held on video, the first interview's video link."""
    if seat.panel.location:
        return seat.panel.location
    video = (
        seat.panel.interviews.filter(status=InterviewStatus.SCHEDULED)
        .exclude(video_url="")
        .order_by("starts_at")
        .values_list("video_url", flat=True)
        .first()
    )
    return video or ""


def seat_calendar(*, seat: Seat, method: Method) -> bytes:
    """The .ics for ``seat``: METHOD:REQUEST adds or updates the entry, CANCEL removes it."""
    hiring_round = seat.panel.round
    office = hiring_round.office
    representative = seat.representative
    oslo = timezone.get_default_timezone()

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)

    event = Event()
    event.add("uid", seat_uid(seat))
    # A cancellation is itself a change: a higher SEQUENCE makes every client apply it. The
    # seat is final once cancelled, so no later message can reuse this number.
    event.add("sequence", seat.calendar_sequence + (1 if method == "CANCEL" else 0))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", seat.starts_at.astimezone(oslo))
    event.add("dtend", seat.ends_at.astimezone(oslo))
    with translation.override(representative.language):
        event.add(
            "summary",
            _("Interview panel: %(position)s, %(office)s")
            % {"position": hiring_round.position_title, "office": office.name},
        )
        event.add(
            "description",
            _("You are a user representative on the interview panel. Details: %(link)s")
            % {"link": links.seat_url(seat.pk)},
        )
    location = _location(seat)
    if location:
        event.add("location", location)
    organizer = vCalAddress(f"mailto:{_organizer_address(seat)}")
    organizer.params["cn"] = vText(office.name)
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{representative.email}")
    attendee.params["cn"] = vText(representative.name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    # Answers go through the seat link, never as calendar replies nobody would read.
    attendee.params["rsvp"] = vText("FALSE")
    event.add("attendee", attendee)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add("transp", "OPAQUE")
    calendar.add_component(event)
    # Only the years around the event: a VTIMEZONE from 1970 makes a file some mail clients clip.
    year = seat.starts_at.astimezone(oslo).year
    calendar.add_missing_timezones(first_date=date(year - 1, 1, 1), last_date=date(year + 2, 1, 1))
    return calendar.to_ical()
