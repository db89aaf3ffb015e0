"""Honoraria: attended days × the rate in force, late cancellations, travel, scope."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from panels.enums import SeatStatus
from reports.enums import LineKind
from reports.honoraria import honoraria_lines, honoraria_totals
from reports.models import TravelClaim
from tests.factories.reports import past_seat

pytestmark = pytest.mark.django_db


def _period(scenario) -> dict:
    return {"date_from": scenario["first"], "date_to": scenario["last"]}


def _person_total(totals, representative) -> Decimal:
    return next(p.total for p in totals.representatives if p.representative_id == representative.pk)


def test_totals_match_the_hand_computed_figure(hr, scenario):
    totals = honoraria_totals(user=hr, **_period(scenario))

    assert totals.total == scenario["total"] == Decimal("6850.50")
    assert _person_total(totals, scenario["kari"]) == scenario["kari_total"]
    assert _person_total(totals, scenario["ola"]) == scenario["ola_total"]
    assert _person_total(totals, scenario["per"]) == scenario["per_total"]
    assert [(o.office_name, o.total) for o in totals.offices] == [
        ("NAV Hadeland", scenario["hadeland_total"]),
        ("NAV Rana", scenario["rana_total"]),
    ]


def test_the_rate_in_force_on_each_day_is_used_when_it_changes_mid_period(hr, scenario):
    lines = honoraria_lines(user=hr, **_period(scenario))

    kari_days = [
        (line.date - scenario["first"]).days
        for line in lines
        if line.representative_id == scenario["kari"].pk and line.kind == LineKind.DAY
    ]
    amounts = {
        (line.date - scenario["first"]).days: line.amount
        for line in lines
        if line.kind == LineKind.DAY
    }
    assert kari_days == [9, 40]
    assert amounts[9] == Decimal("1500.00")
    assert amounts[40] == Decimal("1800.00")


def test_two_panels_on_one_day_at_one_office_are_one_interview_day(hr, scenario):
    lines = honoraria_lines(user=hr, **_period(scenario))

    day_nine = [
        line
        for line in lines
        if line.representative_id == scenario["kari"].pk
        and line.date == scenario["first"] + timedelta(days=9)
    ]
    assert len(day_nine) == 1
    assert len(day_nine[0].seat_ids) == 2


def test_no_show_and_early_cancellation_are_unpaid_and_late_cancellation_is_paid(hr, scenario):
    lines = honoraria_lines(user=hr, **_period(scenario))

    ola = [
        ((line.date - scenario["first"]).days, line.amount, line.description)
        for line in lines
        if line.representative_id == scenario["ola"].pk
    ]
    assert ola == [(45, Decimal("1800.00"), "Interview day (cancelled at short notice)")]


def test_the_late_cancellation_window_is_configurable(hr, scenario):
    with override_settings(HONORARIUM_PAY_LATE_CANCELLATION_HOURS=2):
        totals = honoraria_totals(user=hr, **_period(scenario))

    assert "Ola Rana" not in [p.representative_name for p in totals.representatives]
    assert totals.total == scenario["total"] - Decimal("1800.00")


def test_a_seat_the_representative_cancelled_is_not_paid(hr, office_a, scenario):
    seat = past_seat(
        office=office_a,
        representative=scenario["per"],
        day=scenario["first"] + timedelta(days=60),
        status=SeatStatus.CANCELLED,
        cancelled_at=None,
    )
    seat.transitions.filter(to_status=SeatStatus.CANCELLED).update(actor="representative")

    totals = honoraria_totals(user=hr, **_period(scenario))

    assert totals.total == scenario["total"]


def test_travel_claims_are_their_own_lines(hr, scenario):
    lines = honoraria_lines(user=hr, **_period(scenario))

    travel = [line for line in lines if line.kind == LineKind.TRAVEL]
    assert [(line.representative_name, line.amount, line.description) for line in travel] == [
        ("Kari Rana", Decimal("250.50"), "Travel: Buss Korgen")
    ]
    assert travel[0].reference == f"R-{scenario['kari'].pk}"


def test_leader_sees_only_their_own_office(leader_b, scenario):
    totals = honoraria_totals(user=leader_b, **_period(scenario))

    assert [o.office_name for o in totals.offices] == ["NAV Hadeland"]
    assert totals.total == scenario["hadeland_total"]


def test_hr_with_county_scope_sees_only_that_county(hr_b, scenario):
    totals = honoraria_totals(user=hr_b, **_period(scenario))

    assert [p.representative_name for p in totals.representatives] == ["Per Hådeland"]


def test_asking_for_an_office_out_of_scope_never_widens_it(leader_b, office_a, scenario):
    lines = honoraria_lines(user=leader_b, offices=[office_a], **_period(scenario))

    assert lines == []


def test_page_shows_the_totals_for_the_quarter(client, hr, scenario, quarter_query):
    client.force_login(hr)

    response = client.get(reverse("honoraria"), quarter_query)

    assert response.status_code == 200
    text = response.content.decode()
    assert "Kari Rana" in text and "Per Hådeland" in text
    assert "6\xa0850,50" in text


def test_leader_asking_for_another_office_gets_a_form_error(
    client, leader_b, office_a, scenario, quarter_query
):
    client.force_login(leader_b)

    response = client.get(reverse("honoraria"), {**quarter_query, "offices": office_a.pk})

    assert response.status_code == 200
    assert response.context["form"].errors["offices"]
    assert "Kari Rana" not in response.content.decode()


def test_leader_cannot_export_another_office_by_url(
    client, leader_b, office_a, scenario, quarter_query
):
    client.force_login(leader_b)

    response = client.get(
        reverse("honoraria"), {**quarter_query, "offices": office_a.pk, "format": "csv"}
    )

    assert response["Content-Type"].startswith("text/html")
    assert "Kari Rana" not in response.content.decode()


def test_period_with_the_to_date_before_the_from_date_is_refused(client, hr):
    client.force_login(hr)

    response = client.get(
        reverse("honoraria"), {"date_from": "2026-03-31", "date_to": "2026-01-01"}
    )

    assert response.context["form"].errors["date_to"]


def test_leader_adds_a_travel_claim_to_an_attended_seat(client, leader_a, scenario):
    seat = scenario["travelled"]
    client.force_login(leader_a)

    response = client.post(
        reverse("seat_travel_claim", args=[seat.pk]),
        {"amount": "99.90", "description": "Parkering"},
    )

    assert response.status_code == 302
    assert seat.travel_claims.filter(amount=Decimal("99.90"), entered_by=leader_a).exists()


def test_travel_cannot_be_claimed_for_a_no_show(client, leader_a, scenario):
    seat = scenario["ola"].seats.get(status=SeatStatus.NO_SHOW)
    client.force_login(leader_a)

    response = client.post(
        reverse("seat_travel_claim", args=[seat.pk]), {"amount": "50", "description": "Buss"}
    )

    assert response.status_code == 200
    assert not TravelClaim.objects.filter(seat=seat).exists()


def test_a_negative_travel_claim_is_refused(client, leader_a, scenario):
    client.force_login(leader_a)

    response = client.post(
        reverse("seat_travel_claim", args=[scenario["travelled"].pk]),
        {"amount": "-10", "description": "Buss"},
    )

    assert response.context["form"].errors["amount"]


def test_leader_of_another_office_gets_404_on_the_travel_claim_page(client, leader_b, scenario):
    client.force_login(leader_b)

    response = client.get(reverse("seat_travel_claim", args=[scenario["travelled"].pk]))

    assert response.status_code == 404


def test_hr_gets_403_on_the_travel_claim_page_and_changes_nothing(client, hr, scenario):
    client.force_login(hr)
    url = reverse("seat_travel_claim", args=[scenario["travelled"].pk])

    responses = [client.get(url), client.post(url, {"amount": "10", "description": "x"})]

    assert [r.status_code for r in responses] == [403, 403]
    assert TravelClaim.objects.count() == 1


def test_page_queries_do_not_grow_with_the_number_of_representatives(client, hr, office_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories.panels import PoolRepresentativeFactory
    from tests.factories.reports import HonorariumRateFactory, TravelClaimFactory, previous_quarter

    HonorariumRateFactory()
    year, quarter, first, _last = previous_quarter(timezone.localdate())
    query = {"quarter": f"{year}-Q{quarter}"}
    client.force_login(hr)

    def add_people(count: int) -> int:
        for _ in range(count):
            person = PoolRepresentativeFactory(offices=[office_a])
            seat = past_seat(office=office_a, representative=person, day=first)
            TravelClaimFactory(seat=seat)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("honoraria"), query)
        assert response.status_code == 200
        return len(queries)

    # Warm first: the header's office switcher is cached, and adding people does not touch it.
    client.get(reverse("honoraria"), query)
    one, three = add_people(1), add_people(2)

    assert one == three


def test_seat_amounts_pay_the_same_seats_as_the_honoraria_lines(hr, leader_b, scenario):
    # The roster and its exports read the amounts per seat; payroll reads the lines. Late and
    # early cancellations, two panels on one day, a rate change and travel are all in the
    # scenario: both must pay the same seats the same amounts.
    from reports.honoraria import seat_amounts

    for user in (hr, leader_b):
        expected: dict[int, Decimal] = {}
        for line in honoraria_lines(user=user, **_period(scenario)):
            first = line.seat_ids[0]
            expected[first] = expected.get(first, Decimal("0.00")) + line.amount

        per_seat = seat_amounts(user=user, **_period(scenario))
        unbounded = seat_amounts(user=user)

        assert per_seat == expected
        # Without a period every seat ever paid is in, those of the period with the same amounts.
        assert {pk: unbounded.get(pk) for pk in expected} == expected
        assert sum(per_seat.values()) == honoraria_totals(user=user, **_period(scenario)).total
