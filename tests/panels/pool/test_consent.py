"""Consent to be in the pool, through the service: who stays inactive, when a renewal is due."""

import pytest
from django.urls import reverse

from outbox.models import OutboxMessage
from panels import links, texts
from panels.enums import RepresentativeStatus
from panels.models import (
    ConsentGiven,
    Representative,
)
from panels.pool import consent
from panels.pool.services import representative_create
from tests.factories import BackgroundFactory, RepresentativeFactory
from tests.factories.links import (
    ConsentTextFactory,
    consented_months_ago,
)

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


def consent_path(representative: Representative, action: str = "") -> str:
    name = f"consent_link_{action}" if action else "consent_link"
    return reverse(name, args=[links.representative_token(representative.pk)])


@pytest.fixture
def newcomer(office_a):
    """Someone the leader just added: awaiting consent, with the backgrounds the leader noted."""
    office_a.contact_name = "Nils Kontakt"
    office_a.contact_phone = "75 12 34 56"
    office_a.save()
    representative = representative_create(
        offices=[office_a],
        backgrounds=[BackgroundFactory(slug="senior", name_en="Senior (55+)")],
        by=None,
        name="Kari Nordmann",
        email="Kari@Example.no",
        phone="912 34 567",
        birth_year=1961,
        organisation="FFO",
    )
    ConsentTextFactory()
    return representative


def test_consent_keeps_a_representative_the_office_set_inactive_inactive(office_a):
    representative = RepresentativeFactory(status=RepresentativeStatus.INACTIVE)

    consent.consent_give(
        representative=representative,
        text=ConsentTextFactory(),
        backgrounds=[],
    )

    representative.refresh_from_db()
    assert representative.status == RepresentativeStatus.INACTIVE


def test_a_renewal_request_makes_the_consent_due_before_the_period_is_over(office_a):
    person = consented_months_ago(office_a, 13)
    standing = ConsentGiven.objects.get(representative=person)
    assert consent.consent_renewal_due(representative=person) is None
    OutboxMessage.objects.create(
        key=f"consent-renewal:representative:{person.pk}:consent:{standing.pk}:x",
        about_type="representative",
        about_id=person.pk,
        kind="consent_renewal",
        to=person.email,
        subject="Vil du fortsatt være med?",
        body_text="…",
        representative_id=person.pk,
    )

    assert consent.consent_renewal_due(representative=person) == standing


def test_the_service_renews_only_a_consent_that_is_due(office_a):
    recent = consented_months_ago(office_a, 2)
    [standing] = ConsentGiven.objects.filter(representative=recent)

    given = consent.consent_give(
        representative=recent,
        text=texts.consent_text_current(),
        backgrounds=recent.backgrounds.all(),
        renew=True,
    )

    assert given == standing
    assert ConsentGiven.objects.filter(representative=recent).count() == 1
