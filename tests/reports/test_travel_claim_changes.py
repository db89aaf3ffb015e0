"""Travel claims corrected and deleted until the honoraria are exported (issue 18, point 1)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.enums import AuditAction
from audit.models import AuditEvent
from panels.exported import honoraria_exports_record
from reports.honoraria import honoraria_lines
from reports.models import TravelClaim
from tests.factories.panels import PoolRepresentativeFactory
from tests.factories.reports import HonorariumRateFactory, TravelClaimFactory, past_seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def day():
    return timezone.localdate() - timedelta(days=1)


@pytest.fixture
def claim(office_a, day):
    HonorariumRateFactory()
    seat = past_seat(office=office_a, representative=PoolRepresentativeFactory(), day=day)
    return TravelClaimFactory(seat=seat, amount=Decimal("245.50"), description="Buss")


def _travel(hr, day) -> list[Decimal]:
    return [
        line.amount
        for line in honoraria_lines(user=hr, date_from=day, date_to=day)
        if line.kind == "travel"
    ]


def test_a_corrected_claim_is_paid_once_with_the_new_amount(client, leader_a, hr, claim, day):
    client.force_login(leader_a)

    response = client.post(
        reverse("travel_claim_edit", args=[claim.pk]), {"amount": "246", "description": "Buss"}
    )

    assert response.status_code == 302
    assert _travel(hr, day) == [Decimal("246.00")]
    page = client.get(reverse("seat_travel_claim", args=[claim.seat_id])).content.decode()
    assert "rettet fra kr 245,50 til kr 246,00" in page
    event = AuditEvent.objects.get(action=AuditAction.TRAVEL_CLAIM_CHANGED)
    assert (event.detail["amount_before"], event.detail["amount_after"]) == ("245.50", "246.00")


def test_a_deleted_claim_leaves_the_honoraria_and_stays_in_the_history(
    client, leader_a, hr, claim, day
):
    client.force_login(leader_a)

    asked = client.get(reverse("travel_claim_delete", args=[claim.pk]))
    response = client.post(reverse("travel_claim_delete", args=[claim.pk]), {"confirm": "yes"})

    assert asked.status_code == 200
    assert response.status_code == 302
    assert not TravelClaim.objects.exists()
    assert _travel(hr, day) == []
    page = client.get(reverse("seat_travel_claim", args=[claim.seat_id])).content.decode()
    assert "slettet kr 245,50" in page
    assert AuditEvent.objects.filter(action=AuditAction.TRAVEL_CLAIM_DELETED).exists()


def test_nothing_is_changed_deleted_or_added_after_the_day_is_exported(
    client, leader_a, hr, claim, day, office_a
):
    honoraria_exports_record(
        offices=[office_a], date_from=day, date_to=day, file_format="xlsx", by=hr
    )
    client.force_login(leader_a)

    edited = client.post(
        reverse("travel_claim_edit", args=[claim.pk]), {"amount": "1", "description": "x"}
    )
    client.post(reverse("travel_claim_delete", args=[claim.pk]), {"confirm": "yes"})
    added = client.post(
        reverse("seat_travel_claim", args=[claim.seat_id]), {"amount": "5", "description": "y"}
    )

    assert "Spør HR" in edited.content.decode()
    assert added.status_code == 200
    assert _travel(hr, day) == [Decimal("245.50")]
    page = client.get(reverse("seat_travel_claim", args=[claim.seat_id])).content.decode()
    assert reverse("travel_claim_edit", args=[claim.pk]) not in page


def test_the_honoraria_download_locks_the_period_for_its_offices(client, hr, leader_a, claim, day):
    client.force_login(hr)

    client.get(
        reverse("honoraria"),
        {"date_from": day.isoformat(), "date_to": day.isoformat(), "format": "csv"},
    )

    client.force_login(leader_a)
    response = client.get(reverse("seat_travel_claim", args=[claim.seat_id]))
    assert 'data-testid="exported"' in response.content.decode()


def test_leader_of_another_office_gets_404_correcting_a_claim(client, leader_b, claim):
    client.force_login(leader_b)

    responses = [
        client.get(reverse("travel_claim_edit", args=[claim.pk])),
        client.post(reverse("travel_claim_delete", args=[claim.pk]), {"confirm": "yes"}),
    ]

    assert [r.status_code for r in responses] == [404, 404]
    assert TravelClaim.objects.filter(pk=claim.pk).exists()


def test_hr_gets_403_correcting_a_claim(client, hr, claim):
    client.force_login(hr)

    response = client.post(reverse("travel_claim_delete", args=[claim.pk]), {"confirm": "yes"})

    assert response.status_code == 403
    assert TravelClaim.objects.filter(pk=claim.pk).exists()
