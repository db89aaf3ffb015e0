"""Factories for the representative's link pages: texts, and seats invited by the real service."""

from datetime import datetime, timedelta

import factory
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from interviews.enums import RoundState
from interviews.models import Candidate, Interview, Office
from panels import links, services
from panels.enums import RepresentativeStatus
from panels.models import (
    ConfidentialitySigned,
    ConfidentialityText,
    ConsentGiven,
    ConsentText,
    LinkVia,
    Representative,
    Seat,
)
from tests.factories import BackgroundFactory, HiringRoundFactory, RepresentativeFactory
from tests.factories.panels import PoolRepresentativeFactory


def local(days: int, hour: int, minute: int = 0) -> datetime:
    """An aware Europe/Oslo time ``days`` from today."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


class ConsentTextFactory(factory.django.DjangoModelFactory):
    """Version 1 is also published by migration 0004; get_or_create keeps one of each version."""

    class Meta:
        model = ConsentText
        django_get_or_create = ("version",)

    version = 1
    body = "# Hva vi lagrer om deg\nNavn og kontaktopplysninger.\n\n- navn\n- e-post"
    body_nn = "# Kva vi lagrar om deg\nNamn og kontaktopplysningar.\n\n- namn\n- e-post"
    body_en = "# What we store about you\nName and contact details.\n\n- name\n- email"
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))


class ConfidentialityTextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConfidentialityText
        django_get_or_create = ("version",)

    version = 1
    body = "Jeg lover at\n- jeg ikke forteller noen hvem som har søkt\n\nAlt blir i rommet."
    body_nn = "Eg lovar at\n- eg ikkje fortel nokon kven som har søkt\n\nAlt blir i rommet."
    body_en = "I promise that\n- I will not tell who applied\n\nEverything stays in the room."
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))


class LinkRoundFactory(HiringRoundFactory):
    state = RoundState.OPEN
    position_title = "Veileder"
    team = "Team Ung"
    info_for_representatives = "Stillingen er i et team som følger opp unge under 30."


class ActiveRepresentativeFactory(RepresentativeFactory):
    """Someone in an office's pool who has given consent."""

    class Meta:
        skip_postgeneration_save = True

    status = RepresentativeStatus.ACTIVE

    @factory.post_generation
    def offices(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted:
            self.offices.set(extracted)


def invited_seat(
    *,
    office: Office,
    representative: Representative | None = None,
    candidates: tuple[str, ...] = ("Siri Søker",),
    days: int = 14,
    signed: bool = False,
    video_url: str = "",
) -> Seat:
    """A seat invited by ``seat_invite`` on a new panel of ``office`` (the invitation is queued).

    The panel has one one-hour interview per candidate from 09:00 local time, ``days`` ahead,
    and two staff interviewers. ``signed`` signs the current declaration first.
    """
    ConsentTextFactory()
    declaration = ConfidentialityTextFactory()
    hiring_round = LinkRoundFactory(office=office)
    interviews = [
        Interview.objects.create(
            round=hiring_round,
            candidate=Candidate.objects.create(round=hiring_round, name=name),
            starts_at=local(days, 9 + index),
            ends_at=local(days, 10 + index),
            location="Møterom Saltfjellet",
            video_url=video_url,
        )
        for index, name in enumerate(candidates)
    ]
    panel = services.panel_create(
        hiring_round=hiring_round,
        interviews=interviews,
        seats_wanted=2,
        staff=[
            {"name": "Kari Leder", "role": "Leder", "email": "kari.leder@nav.no"},
            {"name": "Tor Tillitsvalgt", "role": "Tillitsvalgt", "email": "tor@nav.no"},
        ],
    )
    representative = representative or ActiveRepresentativeFactory(offices=[office])
    if signed:
        ConfidentialitySigned.objects.get_or_create(
            representative=representative,
            text=declaration,
            defaults={"signed_at": timezone.now(), "via": LinkVia.SEAT_LINK},
        )
    return services.seat_invite(panel=panel, representative=representative, by=None)


def database_snapshot() -> dict[str, object]:
    """Row counts of every table, and every row of the tables a link page could touch."""
    snapshot: dict[str, object] = {
        model._meta.db_table: model.objects.count() for model in apps.get_models()
    }
    snapshot["seats"] = list(Seat.objects.order_by("pk").values())
    snapshot["representatives"] = list(
        apps.get_model("panels", "Representative").objects.order_by("pk").values()
    )
    snapshot["sessions"] = list(
        apps.get_model("sessions", "Session").objects.order_by("pk").values()
    )
    return snapshot


def consented_months_ago(office: Office, months: int) -> Representative:
    """An active representative whose consent to the current text is ``months`` old."""
    person = PoolRepresentativeFactory(offices=[office], backgrounds=[BackgroundFactory()])
    ConsentGiven.objects.create(
        representative=person,
        text=ConsentTextFactory(),
        given_at=timezone.now() - timedelta(days=months * 31),
        via=LinkVia.CONSENT_LINK,
    )
    return person


def consent_path(representative: Representative, action: str = "") -> str:
    """The address of the consent page (or one of its actions) that a consent request links to.

    Each call signs a new token (its time is in it): a test that compares two addresses of
    one link signs the token once and reverses both from it."""
    name = f"consent_link_{action}" if action else "consent_link"
    return reverse(name, args=[links.representative_token(representative.pk)])
