"""Seats for roster tests: one call makes a round, a past panel, a representative and a seat."""

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.utils import timezone

from interviews.models import HiringRound, Office
from panels.enums import SeatStatus
from panels.models import Background, Seat
from rosters.models import ApiToken
from rosters.services import api_token_create
from tests.factories.panels import OpenRoundFactory, PanelRowFactory, PoolRepresentativeFactory
from tests.factories.panels import SeatFactory as PanelSeatFactory


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware Europe/Oslo time on ``day``."""
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def roster_seat(
    *,
    office: Office,
    day: date,
    hour: int = 9,
    minute: int = 0,
    name: str = "Åse Ødegård",
    organisation: str = "Mental Helse Ørsta",
    status: str = SeatStatus.ATTENDED,
    snapshot: Sequence[str] = (),
    backgrounds: Sequence[Background] = (),
    hiring_round: HiringRound | None = None,
    position: str = "Veileder, Team Voksen",
    support_needs: str = "",
) -> Seat:
    """A seat on a three-hour panel starting at ``hour`` local time on ``day`` at ``office``."""
    hiring_round = hiring_round or OpenRoundFactory(office=office, position_title=position)
    starts_at = local(day, hour, minute)
    panel = PanelRowFactory(
        round=hiring_round, starts_at=starts_at, ends_at=starts_at + timedelta(hours=3)
    )
    representative = PoolRepresentativeFactory(
        name=name,
        organisation=organisation,
        offices=[office],
        backgrounds=list(backgrounds),
        support_needs=support_needs,
    )
    return PanelSeatFactory(
        panel=panel,
        representative=representative,
        status=status,
        backgrounds_snapshot=list(snapshot),
    )


def api_token_for(user, *, name: str = "Lønnssystemet") -> tuple[ApiToken, str]:
    return api_token_create(user=user, name=name)
