"""Small promises from docs/promises.md that had no test of their own, followed as the person
meets them."""

import pytest
from django.urls import reverse

from panels import links
from panels.enums import RepresentativeStatus
from panels.pool.services import representative_update
from tests.factories import RepresentativeFactory
from tests.factories.links import ConsentTextFactory

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


def test_what_the_office_corrects_is_what_the_consent_page_then_shows(client, office_a, leader_a):
    """Consent page: "If something here is wrong, tell the office and they will correct it"."""
    ConsentTextFactory()
    person = RepresentativeFactory(
        name="Kari Nordman", phone="41234567", status=RepresentativeStatus.AWAITING_CONSENT
    )
    person.offices.add(office_a)
    page = reverse("consent_link", args=[links.representative_token(person.pk)])
    before = client.get(page, headers=EN).text

    representative_update(
        representative=person,
        offices=[office_a],
        backgrounds=[],
        by=leader_a,
        name="Kari Nordmann",
        phone="98765432",
    )
    after = client.get(page, headers=EN).text

    # The page writes a Norwegian number in its groups (issue 19 stores it as E.164).
    assert "Kari Nordman<" in before and "412 34 567" in before
    assert "Kari Nordmann<" in after and "987 65 432" in after
    assert "412 34 567" not in after
