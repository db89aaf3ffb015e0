"""What a person received through the SMTP sink (``tests/outbox/conftest.py``), read as their
mail program would: the text part, the headers, and the calendar parts in arrival order.

Tests of other packages use the real parts by importing the fixtures from here::

    from tests.mail import broker, redis_server, smtp_sink, start_worker  # noqa: F401
"""

from email.message import EmailMessage

from icalendar import Calendar

from tests.outbox.conftest import (  # noqa: F401 - fixtures, re-exported for other packages
    Received,
    SmtpSink,
    broker,
    redis_server,
    smtp_sink,
    start_worker,
    wait_for,
)


def received_by(sink: SmtpSink, address: str) -> list[Received]:
    """Every email the sink took for ``address``, in arrival order."""
    with sink.handler.lock:
        return [r for r in sink.received if address in r.to]


def calendar_parts(message: EmailMessage) -> list[tuple[str, Calendar]]:
    """Each ``text/calendar`` part of ``message``: its Content-Type header and its calendar."""
    return [
        (part["Content-Type"], Calendar.from_ical(part.get_payload(decode=True)))
        for part in message.walk()
        if part.get_content_type() == "text/calendar"
    ]


def calendars_for(sink: SmtpSink, address: str) -> list[Calendar]:
    """Every calendar ``address`` received, in arrival order."""
    return [
        calendar for r in received_by(sink, address) for _type, calendar in calendar_parts(r.parsed)
    ]


def last_calendar_for(sink: SmtpSink, address: str) -> Calendar:
    """The last calendar ``address`` received: what their calendar now shows."""
    calendars = calendars_for(sink, address)
    assert calendars, f"no calendar reached {address}"
    return calendars[-1]


def event_of(calendar: Calendar):
    [event] = calendar.events
    return event
