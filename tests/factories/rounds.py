"""Factories for candidates and interviews. Times are aware, in local time (Europe/Oslo)."""

from datetime import datetime, time, timedelta

import factory
from django.utils import timezone

from interviews.models import Candidate, Interview
from tests.factories import HiringRoundFactory


def local(day, at: time | str) -> datetime:
    """An aware local datetime for ``day`` at ``at`` ("09:30" or a ``time``)."""
    if isinstance(at, str):
        at = time.fromisoformat(at)
    return datetime.combine(day, at, tzinfo=timezone.get_current_timezone())


def in_days(days: int):
    """The local date ``days`` from today."""
    return timezone.localdate() + timedelta(days=days)


def working_day(days: int):
    """The first Norwegian working day (not a weekend, not a public holiday) at least
    ``days`` from today: the interview-day form warns about any other (issue 18, point 4)."""
    import holidays

    day = in_days(days)
    public = holidays.country_holidays("NO", years=[day.year, day.year + 1])
    while day.weekday() >= 5 or day in public:
        day += timedelta(days=1)
    return day


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    round = factory.SubFactory(HiringRoundFactory)
    name = factory.Sequence(lambda n: f"Søker Nummer {n}")


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    round = factory.SubFactory(HiringRoundFactory)
    candidate = None
    starts_at = factory.LazyFunction(lambda: local(in_days(7), "09:00"))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(minutes=45))
    location = "Møterom 1"
