"""Calendar files (RFC 5545 / iTIP RFC 5546) sent with a seat's and a staff interviewer's emails.

One seat is one calendar event: its UID never changes, so the invitation, every move and the
cancellation update the same entry in the representative's calendar. ``Seat.calendar_sequence``
is raised by the panel services on every move; clients ignore an update whose SEQUENCE is not
higher than the one they hold, which is how "a moved interview whose entry never updates" happens.

A person's calendar holds a busy entry only for a seat they accepted (issue 14): the
invitation's file is ``METHOD:PUBLISH``, ``STATUS:TENTATIVE``, ``TRANSP:TRANSPARENT``, with no
ATTENDEE, so no calendar offers reply buttons whose answers would reach nobody (the person
answers on the seat's page). After a yes, the confirmation is a ``METHOD:REQUEST`` meeting,
busy, with the person as an ATTENDEE who has already accepted (``PARTSTAT=ACCEPTED``,
``RSVP=FALSE``) and a reminder the day before (VALARM). Every entry that was sent is cancelled
(``METHOD:CANCEL``, same UID, higher SEQUENCE) when the seat ends before the day, whatever
ends it (``panels.services.seat_transition``).

Times are written in Europe/Oslo with its VTIMEZONE as yearly rules (RRULE, the EU rule in
force since 1996), so a calendar shows 09:00 on both sides of a change to or from summer time
in any year. The file names the office, the position, the place and the seat link; never a
candidate, a background or support needs.

Staff interviewers get one entry per panel and person (``panel-<panel>-staff-<staff>``); its
SEQUENCE is ``Panel.calendar_sequence``, which ``panel_sync_times`` raises when the times change.
"""

from datetime import datetime, timedelta
from typing import Literal

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from icalendar import (
    Alarm,
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vRecur,
    vText,
)

from interviews.enums import InterviewStatus
from outbox.addresses import sender_address

from . import links
from .models import Panel, Seat, StaffInterviewer

Method = Literal["PUBLISH", "REQUEST", "CANCEL"]

PRODID = "-//NAV//navpanel//NO"
UID_DOMAIN = "navpanel.nav.no"


def seat_uid(seat: Seat) -> str:
    return f"seat-{seat.pk}@{UID_DOMAIN}"


def staff_uid(staff: StaffInterviewer) -> str:
    return f"panel-{staff.panel_id}-staff-{staff.pk}@{UID_DOMAIN}"


def filename(method: Method, language: str) -> str:
    """The attachment's name in the recipient's language, ASCII only so that every mail client
    shows it as written ("invitasjon.ics", "avlysning.ics")."""
    with translation.override(language):
        if method == "CANCEL":
            return pgettext("file name, ASCII only", "cancellation") + ".ics"
        return pgettext("file name, ASCII only", "invitation") + ".ics"


def _organizer_address(panel: Panel) -> str:
    return panel.round.office.email or sender_address()


def oslo_timezone() -> Timezone:
    """Europe/Oslo as RFC 5545 yearly rules: summer time from the last Sunday of March at
    02:00 to the last Sunday of October at 03:00 (the EU rule, in force since 1996)."""
    zone = Timezone()
    zone.add("tzid", "Europe/Oslo")
    daylight = TimezoneDaylight()
    daylight.add("dtstart", datetime(1970, 3, 29, 2, 0))
    daylight.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    daylight.add("tzoffsetfrom", timedelta(hours=1))
    daylight.add("tzoffsetto", timedelta(hours=2))
    daylight.add("tzname", "CEST")
    standard = TimezoneStandard()
    standard.add("dtstart", datetime(1970, 10, 25, 3, 0))
    standard.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    standard.add("tzoffsetfrom", timedelta(hours=2))
    standard.add("tzoffsetto", timedelta(hours=1))
    standard.add("tzname", "CET")
    zone.add_component(daylight)
    zone.add_component(standard)
    return zone


def panel_location(panel: Panel) -> str:
    """The room or address; for a panel held on video, the first interview's video link."""
    if panel.location:
        return panel.location
    video = (
        panel.interviews.filter(status=InterviewStatus.SCHEDULED)
        .exclude(video_url="")
        .order_by("starts_at")
        .values_list("video_url", flat=True)
        .first()
    )
    return video or ""


def _calendar(
    *,
    panel: Panel,
    uid: str,
    sequence: int,
    method: Method,
    starts_at: datetime,
    ends_at: datetime,
    description: str,
    attendee_email: str,
    attendee_name: str,
    language: str,
) -> bytes:
    """One VEVENT in a VCALENDAR with its VTIMEZONE: the part every entry shares."""
    hiring_round = panel.round
    office = hiring_round.office
    oslo = timezone.get_default_timezone()

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)

    event = Event()
    event.add("uid", uid)
    # A cancellation is itself a change: a higher SEQUENCE makes every client apply it. The
    # entry is final once cancelled, so no later message can reuse this number.
    event.add("sequence", sequence + (1 if method == "CANCEL" else 0))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", starts_at.astimezone(oslo))
    event.add("dtend", ends_at.astimezone(oslo))
    with translation.override(language):
        summary = _("Interview panel: %(position)s, %(office)s") % {
            "position": hiring_round.position_title,
            "office": office.name,
        }
        if method == "PUBLISH":
            summary = _("Not answered yet: %(summary)s") % {"summary": summary}
        event.add("summary", summary, parameters={"LANGUAGE": language})
        reminder = _("Tomorrow: %(summary)s") % {"summary": summary}
    event.add("description", description, parameters={"LANGUAGE": language})
    location = panel_location(panel)
    if location:
        event.add("location", location)
    organizer = vCalAddress(f"mailto:{_organizer_address(panel)}")
    organizer.params["cn"] = vText(office.name)
    event.add("organizer", organizer)
    if method == "PUBLISH":
        # Not yet answered: shown, but neither busy nor a meeting to answer in the calendar.
        event.add("status", "TENTATIVE")
        event.add("transp", "TRANSPARENT")
    else:
        attendee = vCalAddress(f"mailto:{attendee_email}")
        attendee.params["cn"] = vText(attendee_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        # The person answered on navpanel's page; the calendar has nothing left to ask.
        attendee.params["partstat"] = vText("ACCEPTED")
        attendee.params["rsvp"] = vText("FALSE")
        event.add("attendee", attendee)
        event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
        event.add("transp", "OPAQUE")
    if method == "REQUEST":
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", reminder)
        alarm.add("trigger", timedelta(days=-1))
        event.add_component(alarm)
    calendar.add_component(oslo_timezone())
    calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical


def seat_calendar(*, seat: Seat, method: Method) -> bytes:
    """The .ics for ``seat``: PUBLISH shows the unanswered invitation (tentative, free),
    REQUEST adds or updates the accepted, busy entry, CANCEL removes it."""
    representative = seat.holder()
    with translation.override(representative.language):
        description = _(
            "You are a user representative on the interview panel. Details: %(link)s"
        ) % {"link": links.seat_url(seat.pk)}
    return _calendar(
        panel=seat.panel,
        uid=seat_uid(seat),
        sequence=seat.calendar_sequence,
        method=method,
        starts_at=seat.starts_at,
        ends_at=seat.ends_at,
        description=description,
        attendee_email=representative.email,
        attendee_name=representative.name,
        language=representative.language,
    )


def staff_calendar(*, staff: StaffInterviewer, method: Method) -> bytes:
    """The .ics for a staff interviewer on ``staff.panel``; the panel's times and sequence."""
    panel = staff.panel
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        description = _(
            "You are an interviewer on this panel, together with user representatives. "
            "Questions go to %(office)s."
        ) % {"office": panel.round.office.name}
    return _calendar(
        panel=panel,
        uid=staff_uid(staff),
        sequence=panel.calendar_sequence,
        method=method,
        starts_at=panel.starts_at,
        ends_at=panel.ends_at,
        description=description,
        attendee_email=staff.email,
        attendee_name=staff.name,
        language=language,
    )
