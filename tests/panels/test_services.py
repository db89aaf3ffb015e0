"""The life of a seat through the services alone: transitions, invitations, moves, cancelling."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from interviews.enums import RoundState
from outbox.models import OutboxMessage
from panels import selectors, services
from panels.enums import SEAT_TRANSITIONS, PanelStatus, RepresentativeStatus, SeatStatus
from panels.models import ConflictOfInterest, Seat, SeatBooking, SeatTransition
from tests.factories import BackgroundFactory
from tests.factories.panels import (
    InterviewFactory,
    OpenRoundFactory,
    PanelRowFactory,
    PoolRepresentativeFactory,
    SeatFactory,
    day_at,
    panel_for,
)

pytestmark = pytest.mark.django_db

ALLOWED = [(start, end) for start, ends in SEAT_TRANSITIONS.items() for end in sorted(ends)]
REFUSED = [
    (SeatStatus.WITHDRAWN, SeatStatus.INVITED),
    (SeatStatus.INVITED, SeatStatus.ATTENDED),
    (SeatStatus.DECLINED, SeatStatus.ACCEPTED),
    (SeatStatus.EXPIRED, SeatStatus.INVITED),
    (SeatStatus.CANCELLED, SeatStatus.ACCEPTED),
    (SeatStatus.ATTENDED, SeatStatus.CANCELLED),
    (SeatStatus.NO_SHOW, SeatStatus.ATTENDED),
]


@pytest.fixture
def rana_round(office_a):
    return OpenRoundFactory(office=office_a)


@pytest.fixture
def panel(rana_round):
    return panel_for(rana_round, seats_wanted=3)


@pytest.fixture
def kari(office_a):
    return PoolRepresentativeFactory(name="Kari Nordmann", offices=[office_a])


def _messages(kind: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(kind=kind))


@pytest.mark.parametrize(("start", "end"), ALLOWED)
def test_every_allowed_transition_changes_the_seat_and_records_who_from_and_to(
    leader_a, office_a, start, end
):
    seat = SeatFactory(panel__round__office=office_a, status=start)

    services.seat_transition(seat=seat, to=end, by=leader_a, actor="leader", note="test")

    seat.refresh_from_db()
    assert seat.status == end
    history = list(seat.transitions.values_list("from_status", "to_status", "by", "actor", "note"))
    assert history == [(start, end, leader_a.pk, "leader", "test")]


@pytest.mark.parametrize(("start", "end"), REFUSED)
def test_a_transition_outside_the_seats_life_is_refused_and_records_nothing(
    leader_a, office_a, start, end
):
    seat = SeatFactory(panel__round__office=office_a, status=start)

    with pytest.raises(ValidationError):
        services.seat_transition(seat=seat, to=end, by=leader_a)

    seat.refresh_from_db()
    assert seat.status == start
    assert not SeatTransition.objects.exists()


def test_a_representatives_answer_is_recorded_as_theirs_without_a_user(panel, kari, leader_a):
    seat = services.seat_invite(panel=panel, representative=kari, by=leader_a)

    services.seat_transition(seat=seat, to=SeatStatus.DECLINED, by=None, actor="representative")

    history = list(seat.transitions.values_list("from_status", "to_status", "by", "actor"))
    assert history == [
        ("", SeatStatus.INVITED, leader_a.pk, "leader"),
        (SeatStatus.INVITED, SeatStatus.DECLINED, None, "representative"),
    ]


def test_invite_makes_an_invited_seat_with_a_deadline_and_queues_one_invitation(
    panel, kari, leader_a
):
    seat = services.seat_invite(panel=panel, representative=kari, by=leader_a)

    assert seat.status == SeatStatus.INVITED
    assert (seat.starts_at, seat.ends_at) == (panel.starts_at, panel.ends_at)
    assert timezone.now() < seat.answer_by <= panel.starts_at - timedelta(days=1)
    invitations = _messages("invitation")
    assert [m.to for m in invitations] == [kari.email]
    assert invitations[0].key == f"invitation:seat:{seat.pk}:v1"


def test_inviting_the_same_person_twice_is_refused_and_queues_one_invitation(panel, kari, leader_a):
    services.seat_invite(panel=panel, representative=kari, by=leader_a)

    with pytest.raises(ValidationError, match="already has a seat on this panel"):
        services.seat_invite(panel=panel, representative=kari, by=leader_a)

    assert panel.seats.count() == 1
    assert len(_messages("invitation")) == 1


def test_invite_refuses_a_representative_awaiting_consent(panel, office_a, leader_a):
    waiting = PoolRepresentativeFactory(
        status=RepresentativeStatus.AWAITING_CONSENT, offices=[office_a]
    )

    with pytest.raises(ValidationError, match="has not given consent"):
        services.seat_invite(panel=panel, representative=waiting, by=leader_a)

    assert not Seat.objects.exists()
    assert _messages("invitation") == []


def test_invite_refuses_a_representative_from_another_offices_pool(panel, office_b, leader_a):
    hadeland_only = PoolRepresentativeFactory(offices=[office_b])

    with pytest.raises(ValidationError, match="not in this office's pool"):
        services.seat_invite(panel=panel, representative=hadeland_only, by=leader_a)

    assert not Seat.objects.exists()


def test_invite_refuses_a_representative_booked_on_an_overlapping_panel(
    rana_round, panel, kari, leader_a
):
    same_time = panel_for(rana_round, seats_wanted=2)
    services.seat_invite(panel=panel, representative=kari, by=leader_a)

    with pytest.raises(ValidationError, match="already booked at that time"):
        services.seat_invite(panel=same_time, representative=kari, by=leader_a)

    assert not same_time.seats.exists()
    assert len(_messages("invitation")) == 1


def test_invite_accepts_the_same_person_on_a_panel_at_another_time(
    rana_round, panel, kari, leader_a
):
    next_day = panel_for(rana_round, days=15)
    services.seat_invite(panel=panel, representative=kari, by=leader_a)

    seat = services.seat_invite(panel=next_day, representative=kari, by=leader_a)

    assert seat.status == SeatStatus.INVITED


def test_the_database_refuses_an_overlapping_booking_even_past_the_service(
    rana_round, panel, kari, leader_a
):
    same_time = panel_for(rana_round)
    services.seat_invite(panel=panel, representative=kari, by=leader_a)

    seat = Seat.objects.create(
        panel=same_time,
        representative=kari,
        status=SeatStatus.INVITED,
        starts_at=same_time.starts_at,
        ends_at=same_time.ends_at,
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        SeatBooking.objects.create(
            seat=seat,
            representative=kari,
            starts_at=same_time.starts_at + timedelta(minutes=30),
            ends_at=same_time.ends_at + timedelta(minutes=30),
        )


def test_invite_refuses_a_representative_who_knows_a_candidate_of_the_panel(panel, kari, leader_a):
    candidate = panel.interviews.get().candidate
    ConflictOfInterest.objects.create(representative=kari, candidate=candidate)

    with pytest.raises(ValidationError, match="knows a candidate"):
        services.seat_invite(panel=panel, representative=kari, by=leader_a)


@pytest.mark.parametrize("answer", [SeatStatus.DECLINED, SeatStatus.EXPIRED])
def test_invite_refuses_a_representative_who_declined_or_did_not_answer_in_this_round(
    rana_round, panel, kari, leader_a, answer
):
    first = services.seat_invite(panel=panel, representative=kari, by=leader_a)
    services.seat_transition(seat=first, to=answer, actor="representative")
    later = panel_for(rana_round, days=16)

    with pytest.raises(ValidationError, match="in this round") as refused:
        services.seat_invite(panel=later, representative=kari, by=leader_a)

    assert refused.value.code == "said_no"
    assert not later.seats.exists()
    assert len(_messages("invitation")) == 1


def test_invite_refuses_a_cancelled_panel(panel, kari, leader_a):
    services.panel_cancel(panel=panel, by=leader_a)

    with pytest.raises(ValidationError, match="cancelled"):
        services.seat_invite(panel=panel, representative=kari, by=leader_a)


def test_invite_refuses_a_panel_that_has_started(office_a, kari, leader_a):
    started = PanelRowFactory(round__office=office_a, starts_at=timezone.now() - timedelta(hours=1))

    with pytest.raises(ValidationError, match="already started"):
        services.seat_invite(panel=started, representative=kari, by=leader_a)


def test_an_invitation_the_day_before_may_be_answered_until_the_panel_starts(rana_round):
    tomorrow = panel_for(rana_round, days=0, hour=23)
    now = tomorrow.starts_at - timedelta(hours=5)

    deadline = selectors.invitation_deadline(panel=tomorrow, now=now)

    assert deadline == tomorrow.starts_at


def test_an_invitation_has_the_rounds_days_to_answer(rana_round):
    far = panel_for(rana_round, days=30)
    now = timezone.now()

    deadline = selectors.invitation_deadline(panel=far, now=now)

    assert deadline == now + timedelta(days=rana_round.answer_deadline_days)


def test_acceptance_takes_a_snapshot_of_the_backgrounds_that_later_edits_do_not_change(
    panel, office_a, leader_a
):
    substance = BackgroundFactory(slug="substance_use")
    young = BackgroundFactory(slug="young_adult")
    ola = PoolRepresentativeFactory(offices=[office_a], backgrounds=[young, substance])
    seat = services.seat_invite(panel=panel, representative=ola, by=leader_a)

    services.seat_transition(seat=seat, to=SeatStatus.ACCEPTED, actor="representative")
    ola.backgrounds.set([young])

    seat.refresh_from_db()
    assert seat.backgrounds_snapshot == ["substance_use", "young_adult"]


def test_moving_an_interview_moves_the_booked_seats_and_queues_one_moved_message_each(
    rana_round, office_a, leader_a
):
    panel = panel_for(rana_round, interviews=2)
    kari = PoolRepresentativeFactory(offices=[office_a])
    ola = PoolRepresentativeFactory(offices=[office_a])
    per = PoolRepresentativeFactory(offices=[office_a])
    accepted = services.seat_invite(panel=panel, representative=kari, by=leader_a)
    services.seat_transition(seat=accepted, to=SeatStatus.ACCEPTED, actor="representative")
    invited = services.seat_invite(panel=panel, representative=ola, by=leader_a)
    declined = services.seat_invite(panel=panel, representative=per, by=leader_a)
    services.seat_transition(seat=declined, to=SeatStatus.DECLINED, actor="representative")
    last = panel.interviews.order_by("starts_at").last()

    services.interview_move(
        interview=last, starts_at=day_at(14, 13), ends_at=day_at(14, 14), by=leader_a
    )

    panel.refresh_from_db()
    assert (panel.starts_at, panel.ends_at) == (day_at(14, 9), day_at(14, 14))
    for seat, sequence in ((accepted, 2), (invited, 1)):
        seat.refresh_from_db()
        assert (seat.starts_at, seat.ends_at) == (panel.starts_at, panel.ends_at)
        # One more for the accepted seat: its tentative entry became a confirmed one.
        assert seat.calendar_sequence == sequence
    declined.refresh_from_db()
    assert declined.calendar_sequence == 0
    assert sorted(m.to for m in _messages("moved")) == sorted([kari.email, ola.email])


def test_moving_an_interview_twice_raises_the_sequence_again_and_queues_a_new_message(
    panel, kari, leader_a
):
    seat = services.seat_invite(panel=panel, representative=kari, by=leader_a)
    interview = panel.interviews.get()

    services.interview_move(
        interview=interview, starts_at=day_at(14, 10), ends_at=day_at(14, 11), by=leader_a
    )
    services.interview_move(
        interview=interview, starts_at=day_at(14, 12), ends_at=day_at(14, 13), by=leader_a
    )

    seat.refresh_from_db()
    assert seat.calendar_sequence == 2
    assert len(_messages("moved")) == 2


def test_cancelling_the_panel_cancels_its_seats_and_queues_cancellations(panel, office_a, leader_a):
    kari = PoolRepresentativeFactory(offices=[office_a])
    ola = PoolRepresentativeFactory(offices=[office_a])
    per = PoolRepresentativeFactory(offices=[office_a])
    accepted = services.seat_invite(panel=panel, representative=kari, by=leader_a)
    services.seat_transition(seat=accepted, to=SeatStatus.ACCEPTED, actor="representative")
    invited = services.seat_invite(panel=panel, representative=ola, by=leader_a)
    declined = services.seat_invite(panel=panel, representative=per, by=leader_a)
    services.seat_transition(seat=declined, to=SeatStatus.DECLINED, actor="representative")

    services.panel_cancel(panel=panel, by=leader_a)

    panel.refresh_from_db()
    assert panel.status == PanelStatus.CANCELLED
    statuses = {s.pk: s.status for s in panel.seats.all()}
    assert statuses == {
        accepted.pk: SeatStatus.CANCELLED,
        invited.pk: SeatStatus.CANCELLED,
        declined.pk: SeatStatus.DECLINED,
    }
    last = accepted.transitions.last()
    assert (last.from_status, last.to_status, last.by) == (
        SeatStatus.ACCEPTED,
        SeatStatus.CANCELLED,
        leader_a,
    )
    # Per's tentative entry was cancelled when he declined; the others' now.
    cancelled_to = sorted(m.to for m in _messages("cancelled"))
    assert cancelled_to == sorted([kari.email, ola.email, per.email])


def test_taking_off_one_seat_records_the_leader_and_tells_the_representative(panel, kari, leader_a):
    seat = services.seat_invite(panel=panel, representative=kari, by=leader_a)
    services.seat_transition(seat=seat, to=SeatStatus.ACCEPTED, actor="representative")

    services.seat_cancel(seat=seat, by=leader_a)

    seat.refresh_from_db()
    assert seat.status == SeatStatus.CANCELLED
    assert seat.transitions.last().by == leader_a
    assert [m.to for m in _messages("taken_off")] == [kari.email]
    assert _messages("cancelled") == []


def test_a_cancelled_representative_can_be_invited_again(panel, kari, leader_a):
    seat = services.seat_invite(panel=panel, representative=kari, by=leader_a)
    services.seat_cancel(seat=seat, by=leader_a)

    again = services.seat_invite(panel=panel, representative=kari, by=leader_a)

    assert again.pk != seat.pk
    assert again.status == SeatStatus.INVITED


def test_attendance_cannot_be_marked_before_the_day_begins(panel, kari, leader_a):
    seat = services.seat_invite(panel=panel, representative=kari, by=leader_a)
    services.seat_transition(seat=seat, to=SeatStatus.ACCEPTED, actor="representative")

    with pytest.raises(ValidationError, match="once the interview day has begun"):
        services.seat_mark_attendance(seat=seat, attended=True, by=leader_a)

    seat.refresh_from_db()
    assert seat.status == SeatStatus.ACCEPTED


@pytest.mark.parametrize(("attended", "status"), [(True, "attended"), (False, "no_show")])
def test_attendance_is_marked_after_the_day_with_who_marked_it(
    office_a, leader_a, attended, status
):
    seat = SeatFactory(panel__round__office=office_a, status=SeatStatus.ACCEPTED)

    services.seat_mark_attendance(seat=seat, attended=attended, by=leader_a)

    seat.refresh_from_db()
    assert seat.status == status
    assert seat.transitions.get().by == leader_a


def test_panel_create_spans_its_interviews_and_lists_its_staff(rana_round):
    first = InterviewFactory(round=rana_round, starts_at=day_at(14, 9))
    second = InterviewFactory(round=rana_round, starts_at=day_at(14, 11))

    panel = services.panel_create(
        hiring_round=rana_round,
        interviews=[second, first],
        staff=[{"name": "Tor Tillitsvalgt", "role": "Union", "email": "tor@nav.no"}],
    )

    assert (panel.starts_at, panel.ends_at) == (day_at(14, 9), day_at(14, 12))
    assert panel.seats_wanted == rana_round.seats_per_panel
    assert panel.location == first.location
    assert list(panel.staff.values_list("name", flat=True)) == ["Tor Tillitsvalgt"]


def test_panel_create_refuses_an_interview_that_already_has_a_panel(rana_round, panel):
    interview = panel.interviews.get()

    with pytest.raises(ValidationError, match="already has a panel"):
        services.panel_create(hiring_round=rana_round, interviews=[interview])


def test_panel_create_refuses_a_closed_round(office_a):
    closed = OpenRoundFactory(office=office_a, state=RoundState.CLOSED, closed_at=timezone.now())
    interview = InterviewFactory(round=closed)

    with pytest.raises(ValidationError, match="closed"):
        services.panel_create(hiring_round=closed, interviews=[interview])


def test_panel_create_refuses_an_interview_of_another_round(rana_round, office_a):
    other = InterviewFactory(round=OpenRoundFactory(office=office_a))

    with pytest.raises(ValidationError, match="belong to the round"):
        services.panel_create(hiring_round=rana_round, interviews=[other])
