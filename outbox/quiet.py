"""Quiet hours: no SMS is sent between 21:00 and 08:00 Oslo time (issue 19).

An SMS due in the quiet hours waits until 08:00. The hours are local, so across a change to
or from summer time the wait is one hour longer or shorter in UTC: 22:30 on the Saturday a
change happens is followed by 08:00 on the Sunday, whatever the offset on each side.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

OSLO = ZoneInfo("Europe/Oslo")


def _hour(name: str, default: int) -> time:
    return time(getattr(settings, name, default))


def sms_quiet_until(moment: datetime) -> datetime | None:
    """When the quiet hours around ``moment`` end, or None if ``moment`` is not in them.

    Equal start and end hours mean no quiet hours (the test settings', so that a test that
    sends an SMS does not depend on the time of day it runs at).
    """
    start, end = _hour("SMS_QUIET_START_HOUR", 21), _hour("SMS_QUIET_END_HOUR", 8)
    if start == end:
        return None
    local = moment.astimezone(OSLO)
    if local.time() >= start:
        day = local.date() + timedelta(days=1)
    elif local.time() < end:
        day = local.date()
    else:
        return None
    return datetime.combine(day, end, tzinfo=OSLO)
