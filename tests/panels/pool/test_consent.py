"""Consent to be in the pool, through the service: who stays inactive, when a renewal is due."""

import pytest

from outbox.models import OutboxMessage
from panels import texts
from panels.enums import RepresentativeStatus
from panels.models import (
    ConsentGiven,
)
from panels.pool import consent
from tests.factories import RepresentativeFactory
from tests.factories.links import (
    ConsentTextFactory,
    consented_months_ago,
)

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


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
