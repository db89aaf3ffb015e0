"""Factories for the pool tests: panels and seats to give representatives a history."""

from datetime import timedelta

import factory
from django.utils import timezone

from panels import services
from panels.enums import SeatStatus
from panels.models import Panel, Seat
from tests.factories import HiringRoundFactory, RepresentativeFactory


class PanelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Panel

    round = factory.SubFactory(HiringRoundFactory)
    seats_wanted = 2
    # Four hours apart, so that one representative's seats never overlap (the database refuses).
    starts_at = factory.Sequence(lambda n: timezone.now() - timedelta(days=30, hours=4 * n))
    ends_at = factory.LazyAttribute(lambda panel: panel.starts_at + timedelta(hours=3))


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seat
        skip_postgeneration_save = True

    panel = factory.SubFactory(PanelFactory)
    representative = factory.SubFactory(RepresentativeFactory)
    status = SeatStatus.ATTENDED
    starts_at = factory.SelfAttribute("panel.starts_at")
    ends_at = factory.SelfAttribute("panel.ends_at")

    @factory.post_generation
    def bookings(seat: Seat, create: bool, extracted: object, **kwargs: object) -> None:
        """The time the seat holds, as the services book it."""
        if create:
            services.seat_bookings_sync(seat=seat)
