"""Undo until the honoraria are exported (issue 18, point 1): attendance corrected, a candidate
removed; each in the history and the audit log, each refused once the day is exported."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.enums import AuditAction
from audit.models import AuditEvent
from interviews.models import Candidate, Interview, RoundTransition
from panels import services
from panels.enums import SeatStatus
from panels.exported import honoraria_exports_record
from panels.rounds.services import candidate_remove
from reports.honoraria import honoraria_totals
from tests.factories.panels import InterviewFactory, OpenRoundFactory, PoolRepresentativeFactory
from tests.factories.reports import HonorariumRateFactory, TravelClaimFactory, past_seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def yesterday():
    return timezone.localdate() - timedelta(days=1)


@pytest.fixture
def no_show(office_a, yesterday):
    HonorariumRateFactory()
    kari = PoolRepresentativeFactory(name="Kari Nordmann", offices=[office_a])
    return past_seat(office=office_a, representative=kari, day=yesterday, status=SeatStatus.NO_SHOW)


def _export(office, day, by) -> None:
    honoraria_exports_record(offices=[office], date_from=day, date_to=day, file_format="csv", by=by)


def _paid(hr, day) -> Decimal:
    return honoraria_totals(user=hr, date_from=day, date_to=day).total


def test_a_no_show_corrected_to_came_is_paid_and_the_history_says_corrected(
    client, leader_a, hr, no_show, yesterday
):
    client.force_login(leader_a)

    response = client.post(
        reverse("seat_attendance_correct", args=[no_show.pk]), {"confirm": "yes"}
    )

    no_show.refresh_from_db()
    assert response.status_code == 302
    assert no_show.status == SeatStatus.ATTENDED
    assert _paid(hr, yesterday) == Decimal("1500.00")
    last = no_show.transitions.last()
    assert (last.from_status, last.to_status, last.by) == (
        SeatStatus.NO_SHOW,
        SeatStatus.ATTENDED,
        leader_a,
    )
    event = AuditEvent.objects.filter(action=AuditAction.SEAT_CHANGED, object_id=no_show.pk).last()
    assert event.detail["correction"] is True
    page = client.get(reverse("panel_detail", args=[no_show.panel_id])).content.decode()
    assert "Kom ikke → Møtte (rettet)" in page


def test_opening_the_correction_page_changes_nothing(client, leader_a, no_show):
    client.force_login(leader_a)

    response = client.get(reverse("seat_attendance_correct", args=[no_show.pk]))

    no_show.refresh_from_db()
    assert response.status_code == 200
    assert no_show.status == SeatStatus.NO_SHOW


def test_attendance_cannot_be_corrected_after_the_day_is_exported(
    client, leader_a, hr, no_show, yesterday, office_a
):
    _export(office_a, yesterday, hr)
    client.force_login(leader_a)

    response = client.post(
        reverse("seat_attendance_correct", args=[no_show.pk]), {"confirm": "yes"}, follow=True
    )

    no_show.refresh_from_db()
    assert no_show.status == SeatStatus.NO_SHOW
    assert "Spør HR" in response.content.decode()


def test_an_export_of_another_office_or_period_does_not_lock_the_day(
    leader_a, hr, no_show, yesterday, office_b, office_a
):
    _export(office_b, yesterday, hr)
    _export(office_a, yesterday - timedelta(days=1), hr)

    seat = services.seat_attendance_correct(seat=no_show, attended=True, by=leader_a)

    assert seat.status == SeatStatus.ATTENDED


def test_came_is_not_corrected_to_did_not_come_while_a_travel_claim_stands(
    leader_a, office_a, yesterday
):
    seat = past_seat(office=office_a, representative=PoolRepresentativeFactory(), day=yesterday)
    TravelClaimFactory(seat=seat)

    with pytest.raises(ValidationError, match="Delete them first"):
        services.seat_attendance_correct(seat=seat, attended=False, by=leader_a)


def test_a_seat_not_yet_marked_has_nothing_to_correct(leader_a, office_a, yesterday):
    seat = past_seat(
        office=office_a,
        representative=PoolRepresentativeFactory(),
        day=yesterday,
        status=SeatStatus.ACCEPTED,
    )

    with pytest.raises(ValidationError, match="nothing to correct"):
        services.seat_attendance_correct(seat=seat, attended=True, by=leader_a)


def test_marking_attendance_again_does_not_flip_a_marked_seat(leader_a, no_show):
    with pytest.raises(ValidationError):
        services.seat_mark_attendance(seat=no_show, attended=True, by=leader_a)


def test_did_not_come_asks_for_confirmation_first(client, leader_a, office_a, yesterday):
    seat = past_seat(
        office=office_a,
        representative=PoolRepresentativeFactory(name="Ola Rana"),
        day=yesterday,
        status=SeatStatus.ACCEPTED,
    )
    client.force_login(leader_a)
    url = reverse("seat_attendance", args=[seat.pk])

    asked = client.post(url, {"attended": "no"})
    seat.refresh_from_db()
    status_after_asking = seat.status
    done = client.post(url, {"attended": "no", "confirm": "yes"})

    seat.refresh_from_db()
    assert asked.status_code == 200
    assert "Kom ikke Ola Rana?" in asked.content.decode()
    assert status_after_asking == SeatStatus.ACCEPTED
    assert done.status_code == 302
    assert seat.status == SeatStatus.NO_SHOW


def test_leader_of_another_office_gets_404_correcting_attendance(client, leader_b, no_show):
    client.force_login(leader_b)

    response = client.post(
        reverse("seat_attendance_correct", args=[no_show.pk]), {"confirm": "yes"}
    )

    assert response.status_code == 404


def test_hr_gets_403_correcting_attendance(client, hr, no_show):
    client.force_login(hr)

    response = client.post(
        reverse("seat_attendance_correct", args=[no_show.pk]), {"confirm": "yes"}
    )

    no_show.refresh_from_db()
    assert response.status_code == 403
    assert no_show.status == SeatStatus.NO_SHOW


# --- candidates ------------------------------------------------------------------------------


@pytest.fixture
def rana_round(office_a):
    return OpenRoundFactory(office=office_a)


def test_a_candidate_without_a_held_interview_is_removed_and_recorded(client, leader_a, rana_round):
    interview = InterviewFactory(round=rana_round, candidate__name="Dobbel Dobbelsen")
    candidate = interview.candidate
    client.force_login(leader_a)

    response = client.post(reverse("candidate_remove", args=[candidate.pk]), follow=True)

    page = response.content.decode()
    assert not Candidate.objects.filter(pk=candidate.pk).exists()
    assert Interview.objects.get(pk=interview.pk).candidate is None
    assert "Dobbel Dobbelsen ble fjernet" in page
    assert "En søker ble fjernet" in page
    assert RoundTransition.objects.filter(
        round=rana_round, event=RoundTransition.Event.CANDIDATE_REMOVED, by=leader_a
    ).exists()
    event = AuditEvent.objects.get(action=AuditAction.CANDIDATE_REMOVED)
    assert event.detail["candidate_id"] == candidate.pk
    assert "Dobbel" not in str(event.detail)


def test_a_candidate_whose_interview_was_held_is_not_removed(leader_a, rana_round):
    start = timezone.now() - timedelta(hours=2)
    interview = InterviewFactory(
        round=rana_round, starts_at=start, ends_at=start + timedelta(hours=1)
    )

    with pytest.raises(ValidationError, match="can no longer be removed"):
        candidate_remove(candidate=interview.candidate, by=leader_a)

    assert Candidate.objects.filter(pk=interview.candidate_id).exists()


def test_a_candidate_is_not_removed_once_their_interview_day_is_exported(
    leader_a, hr, rana_round, office_a
):
    interview = InterviewFactory(round=rana_round)
    _export(office_a, timezone.localdate(interview.starts_at), hr)

    with pytest.raises(ValidationError, match="Ask HR"):
        candidate_remove(candidate=interview.candidate, by=leader_a)


def test_leader_of_another_office_gets_404_removing_a_candidate(client, leader_b, rana_round):
    candidate = InterviewFactory(round=rana_round).candidate
    client.force_login(leader_b)

    response = client.post(reverse("candidate_remove", args=[candidate.pk]))

    assert response.status_code == 404
    assert Candidate.objects.filter(pk=candidate.pk).exists()
