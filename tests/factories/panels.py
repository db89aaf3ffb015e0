"""Factories for panels, seats and what they hang on: candidates, interviews, the pool."""

from datetime import datetime, timedelta

import factory
from django.utils import timezone

from interviews.enums import RoundState
from interviews.models import Candidate, HiringRound, Interview
from panels import services
from panels.enums import RepresentativeStatus, SeatStatus
from panels.models import BackgroundWant, Panel, Seat
from tests.factories import HiringRoundFactory, RepresentativeFactory


def day_at(days: int, hour: int, minute: int = 0) -> datetime:
    """A local (Europe/Oslo) time ``days`` from today: interviews are planned in local time."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


class OpenRoundFactory(HiringRoundFactory):
    state = RoundState.OPEN
    seats_per_panel = 3


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    round = factory.SubFactory(OpenRoundFactory)
    name = factory.Sequence(lambda n: f"Søker Nummer {n}")


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    round = factory.SubFactory(OpenRoundFactory)
    candidate = factory.SubFactory(CandidateFactory, round=factory.SelfAttribute("..round"))
    starts_at = factory.LazyFunction(lambda: day_at(14, 9))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
    location = "Møterom Saltfjellet"


class BackgroundWantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BackgroundWant

    round = factory.SubFactory(OpenRoundFactory)
    background = factory.SubFactory("tests.factories.BackgroundFactory")
    at_least = 1


class PoolRepresentativeFactory(RepresentativeFactory):
    """A representative who has given consent, in the pool of ``offices``."""

    class Meta:
        skip_postgeneration_save = True

    status = RepresentativeStatus.ACTIVE

    @factory.post_generation
    def offices(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted:
            self.offices.set(extracted)

    @factory.post_generation
    def backgrounds(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted:
            self.backgrounds.set(extracted)


def panel_for(
    hiring_round: HiringRound,
    *,
    days: int = 14,
    hour: int = 9,
    interviews: int = 1,
    seats_wanted: int | None = None,
) -> Panel:
    """A planned panel made by the service, on ``interviews`` back-to-back one-hour interviews."""
    planned = [
        InterviewFactory(round=hiring_round, starts_at=day_at(days, hour + index))
        for index in range(interviews)
    ]
    return services.panel_create(
        hiring_round=hiring_round, interviews=planned, seats_wanted=seats_wanted
    )


class SeatFactory(factory.django.DjangoModelFactory):
    """A seat written directly, for states the services only reach over days (a past panel)."""

    class Meta:
        model = Seat
        skip_postgeneration_save = True

    panel = factory.SubFactory("tests.factories.panels.PanelRowFactory")
    representative = factory.SubFactory(PoolRepresentativeFactory)
    status = SeatStatus.ACCEPTED
    starts_at = factory.SelfAttribute("panel.starts_at")
    ends_at = factory.SelfAttribute("panel.ends_at")

    @factory.post_generation
    def bookings(seat: Seat, create: bool, extracted: object, **kwargs: object) -> None:
        """The time the seat holds, as the services book it."""
        if create:
            services.seat_bookings_sync(seat=seat)


class PanelRowFactory(factory.django.DjangoModelFactory):
    """A panel row without interviews, for a past day."""

    class Meta:
        model = Panel

    round = factory.SubFactory(OpenRoundFactory)
    seats_wanted = 2
    starts_at = factory.LazyFunction(lambda: day_at(-1, 9))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
