"""Interview days: planned at once, shown by local date, moved and cancelled with their panels."""

from datetime import UTC, date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from interviews.enums import InterviewStatus, RoundState
from interviews.models import Interview
from interviews.services import interview_day_plan, round_transition
from outbox.models import OutboxMessage
from panels.enums import PanelStatus, RepresentativeStatus, SeatStatus
from panels.services import panel_create, seat_invite, seat_transition
from tests.factories import HiringRoundFactory, RepresentativeFactory
from tests.factories.rounds import CandidateFactory, InterviewFactory, in_days, local, working_day

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


def plan_url(hiring_round) -> str:
    return reverse("interview_day_create", args=[hiring_round.pk])


def day_data(day: date, **changes) -> dict[str, object]:
    """The form's fields; any day is planned (the weekday warning: tests further down)."""
    return {
        "plan_anyway": "on",
        "day": day.isoformat(),
        "first_start": "09:00",
        "minutes": 45,
        "break_minutes": 15,
        "count": 4,
        "location": "Møterom Saltfjellet",
        **changes,
    }


def local_times(interviews) -> list[tuple[str, str]]:
    return [
        (f"{timezone.localtime(i.starts_at):%H:%M}", f"{timezone.localtime(i.ends_at):%H:%M}")
        for i in interviews
    ]


def accepted_seat_on(panel, office):
    if panel.round.state == RoundState.DRAFT:
        # A draft invites nobody (issue 18, point 3).
        round_transition(hiring_round=panel.round, to=RoundState.OPEN, by=None)
        panel.round.refresh_from_db()
    representative = RepresentativeFactory(status=RepresentativeStatus.ACTIVE)
    representative.offices.add(office)
    seat = seat_invite(panel=panel, representative=representative, by=None)
    return seat_transition(seat=seat, to=SeatStatus.ACCEPTED, actor="representative")


# Planning a day -------------------------------------------------------------------------------


def test_leader_plans_four_interviews_back_to_back_with_breaks(client, leader_a, office_a):
    hiring_round = HiringRoundFactory(office=office_a)
    day = in_days(10)
    client.force_login(leader_a)

    response = client.post(plan_url(hiring_round), day_data(day))

    interviews = list(hiring_round.interviews.all())
    assert response.status_code == 302
    assert response["Location"].endswith(f"#day-{day.isoformat()}")
    assert local_times(interviews) == [
        ("09:00", "09:45"),
        ("10:00", "10:45"),
        ("11:00", "11:45"),
        ("12:00", "12:45"),
    ]
    assert {timezone.localdate(i.starts_at) for i in interviews} == {day}
    assert {i.location for i in interviews} == {"Møterom Saltfjellet"}


def test_the_day_form_offers_a_slot_per_candidate_filled_in_order_with_those_not_yet_planned(
    client, leader_a, office_a
):
    hiring_round = HiringRoundFactory(office=office_a)
    kari = CandidateFactory(round=hiring_round, name="Kari")
    ola = CandidateFactory(round=hiring_round, name="Ola")
    asha = CandidateFactory(round=hiring_round, name="Asha")
    InterviewFactory(round=hiring_round, candidate=ola, starts_at=local(in_days(3), "09:00"))
    client.force_login(leader_a)

    response = client.get(plan_url(hiring_round), headers=EN)

    form = response.context["form"]
    assert response.status_code == 200
    assert [f.label for f in form.candidate_fields()] == [
        "Interview 1",
        "Interview 2",
        "Interview 3",
        "Interview 4",
    ]
    assert [f.initial for f in form.candidate_fields()] == [kari.pk, asha.pk, None, None]


def test_the_day_form_as_it_comes_plans_one_interview_for_each_of_five_candidates(
    client, leader_a, office_a
):
    hiring_round = HiringRoundFactory(office=office_a)
    candidates = [CandidateFactory(round=hiring_round) for _ in range(5)]
    client.force_login(leader_a)
    form = client.get(plan_url(hiring_round)).context["form"]
    defaults = {
        name: field.initial for name, field in form.fields.items() if field.initial is not None
    }

    response = client.post(
        plan_url(hiring_round), {**defaults, "day": in_days(10).isoformat(), "first_start": "09:00"}
    )

    assert defaults["count"] == 5
    assert response.status_code == 302
    assert [i.candidate for i in hiring_round.interviews.order_by("starts_at")] == candidates


def test_the_planned_interviews_get_the_chosen_candidates(client, leader_a, office_a):
    hiring_round = HiringRoundFactory(office=office_a)
    kari = CandidateFactory(round=hiring_round, name="Kari")
    ola = CandidateFactory(round=hiring_round, name="Ola")
    client.force_login(leader_a)

    client.post(
        plan_url(hiring_round),
        day_data(in_days(10), count=3, candidate_1=ola.pk, candidate_2="", candidate_3=kari.pk),
    )

    assert [i.candidate for i in hiring_round.interviews.all()] == [ola, None, kari]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"count": 0}, "count", "Plan between 1 and 20 interviews in a day."),
        (
            {"day_ends": "08:00"},
            "day_ends",
            "The day must end after the first interview starts.",
        ),
        (
            {"day_ends": "11:30"},
            "count",
            "Interview 3 would end at 11:45, outside the day. "
            "Plan fewer or shorter interviews, or start earlier.",
        ),
        (
            {"first_start": "22:00", "count": 3},
            "count",
            "Interview 3 would end at 00:45, outside the day. "
            "Plan fewer or shorter interviews, or start earlier.",
        ),
        ({"minutes": 5}, "minutes", "An interview lasts between 10 and 480 minutes."),
        ({"break_minutes": -5}, "break_minutes", "A break lasts between 0 and 240 minutes."),
        ({"first_start": "25:00"}, "first_start", "Enter a valid time."),
        ({"video_url": "not a link"}, "video_url", "Enter a valid URL."),
    ],
)
def test_a_day_that_does_not_work_is_refused_next_to_the_field_and_nothing_is_planned(
    client, leader_a, office_a, changes, field, message
):
    hiring_round = HiringRoundFactory(office=office_a)
    client.force_login(leader_a)

    response = client.post(plan_url(hiring_round), day_data(in_days(10), **changes), headers=EN)

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert message in response.text
    assert not Interview.objects.exists()


def test_a_date_in_the_past_is_refused(client, leader_a, office_a):
    hiring_round = HiringRoundFactory(office=office_a)
    client.force_login(leader_a)

    response = client.post(plan_url(hiring_round), day_data(in_days(-1)), headers=EN)

    assert response.context["form"].errors == {
        "day": ["The date has passed. Choose today or a later day."]
    }
    assert not Interview.objects.exists()


def test_a_candidate_who_already_has_an_interview_then_is_refused_by_name(
    client, leader_a, office_a
):
    hiring_round = HiringRoundFactory(office=office_a)
    kari = CandidateFactory(round=hiring_round, name="Kari Nordmann")
    day = in_days(10)
    InterviewFactory(
        round=hiring_round,
        candidate=kari,
        starts_at=local(day, "10:15"),
        ends_at=local(day, "11:00"),
    )
    client.force_login(leader_a)

    response = client.post(
        plan_url(hiring_round), day_data(day, count=2, candidate_2=kari.pk), headers=EN
    )

    assert response.context["form"].errors == {
        "candidate_2": [
            f"Kari Nordmann already has an interview at 10:15 on {day.day} {day:%B %Y}, "
            "which overlaps interview 2."
        ]
    }
    assert hiring_round.interviews.count() == 1


def test_one_candidate_chosen_for_two_interviews_is_refused(client, leader_a, office_a):
    hiring_round = HiringRoundFactory(office=office_a)
    kari = CandidateFactory(round=hiring_round, name="Kari Nordmann")
    client.force_login(leader_a)

    response = client.post(
        plan_url(hiring_round),
        day_data(in_days(10), count=2, candidate_1=kari.pk, candidate_2=kari.pk),
        headers=EN,
    )

    assert response.context["form"].errors == {
        "candidate_2": ["Kari Nordmann is already chosen for interview 1."]
    }
    assert not Interview.objects.exists()


def test_a_candidate_for_an_interview_that_is_not_planned_is_refused(client, leader_a, office_a):
    hiring_round = HiringRoundFactory(office=office_a)
    candidates = [CandidateFactory(round=hiring_round) for _ in range(4)]
    client.force_login(leader_a)

    response = client.post(
        plan_url(hiring_round),
        day_data(in_days(10), count=3, candidate_4=candidates[3].pk),
        headers=EN,
    )

    assert response.context["form"].errors == {
        "candidate_4": ["There is no interview 4: plan more interviews or leave this empty."]
    }


def test_a_candidate_of_another_round_cannot_be_chosen(client, leader_a, office_a):
    hiring_round = HiringRoundFactory(office=office_a)
    CandidateFactory(round=hiring_round)
    stranger = CandidateFactory(round=HiringRoundFactory(office=office_a))
    client.force_login(leader_a)

    response = client.post(
        plan_url(hiring_round), day_data(in_days(10), candidate_1=stranger.pk), headers=EN
    )

    assert "candidate_1" in response.context["form"].errors
    assert not hiring_round.interviews.exists()


def test_a_closed_round_takes_no_interview_day(client, leader_a, office_a):
    hiring_round = HiringRoundFactory(office=office_a)
    round_transition(hiring_round=hiring_round, to=RoundState.OPEN, by=leader_a)
    round_transition(hiring_round=hiring_round, to=RoundState.CLOSED, by=leader_a)
    client.force_login(leader_a)

    response = client.post(plan_url(hiring_round), day_data(in_days(10)), headers=EN)

    assert response.context["form"].non_field_errors() == [
        "The round is closed; it takes no more changes."
    ]
    assert not Interview.objects.exists()


def test_times_are_local_on_the_day_summer_time_begins():
    hiring_round = HiringRoundFactory()

    interviews = interview_day_plan(
        hiring_round=hiring_round,
        day=date(2026, 3, 29),
        first_start=time(9, 0),
        minutes=60,
        break_minutes=0,
        count=2,
    )

    assert [f"{i.starts_at.astimezone(UTC):%H:%M}" for i in interviews] == [
        "07:00",
        "08:00",
    ]
    assert local_times(interviews) == [("09:00", "10:00"), ("10:00", "11:00")]


def test_the_service_refuses_a_plan_with_nothing_written_when_one_slot_clashes(office_a):
    hiring_round = HiringRoundFactory(office=office_a)
    kari = CandidateFactory(round=hiring_round, name="Kari")
    day = in_days(10)
    InterviewFactory(round=hiring_round, candidate=kari, starts_at=local(day, "11:00"))

    with pytest.raises(ValidationError) as refused:
        interview_day_plan(
            hiring_round=hiring_round,
            day=day,
            first_start=time(9, 0),
            minutes=45,
            break_minutes=15,
            count=3,
            candidates=[None, None, kari],
        )

    assert list(refused.value.message_dict) == ["candidate_3"]
    assert hiring_round.interviews.count() == 1


def test_leader_of_another_office_gets_404_on_the_day_form(client, leader_b, office_a):
    hiring_round = HiringRoundFactory(office=office_a)
    client.force_login(leader_b)

    assert client.get(plan_url(hiring_round)).status_code == 404
    assert client.post(plan_url(hiring_round), day_data(in_days(10))).status_code == 404
    assert not Interview.objects.exists()


def test_hr_gets_403_on_the_day_form(client, hr, office_a):
    hiring_round = HiringRoundFactory(office=office_a)
    client.force_login(hr)

    assert client.get(plan_url(hiring_round)).status_code == 403
    assert client.post(plan_url(hiring_round), day_data(in_days(10))).status_code == 403
    assert not Interview.objects.exists()


def test_anonymous_user_on_the_day_form_is_sent_to_sign_in(client, office_a):
    hiring_round = HiringRoundFactory(office=office_a)

    response = client.post(plan_url(hiring_round), day_data(in_days(10)))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Interview.objects.exists()


# The round page -------------------------------------------------------------------------------


def test_the_round_page_groups_interviews_by_local_date_with_time_candidate_room_and_status(
    client, leader_a, office_a
):
    hiring_round = HiringRoundFactory(office=office_a)
    kari = CandidateFactory(round=hiring_round, name="Kari Nordmann")
    first, second = in_days(5), in_days(6)
    InterviewFactory(round=hiring_round, candidate=kari, starts_at=local(first, "09:00"))
    InterviewFactory(
        round=hiring_round,
        starts_at=local(first, "23:00"),
        ends_at=local(first, "23:45"),
        video_url="https://video.nav.no/rom/1",
        status=InterviewStatus.CANCELLED,
    )
    InterviewFactory(round=hiring_round, starts_at=local(second, "13:00"))
    client.force_login(leader_a)

    response = client.get(reverse("round_detail", args=[hiring_round.pk]), headers=EN)

    days = response.context["days"]
    assert [(d["day"], len(d["interviews"]), d["scheduled"]) for d in days] == [
        (first, 2, 1),
        (second, 1, 1),
    ]
    text = response.text
    assert f'id="day-{first.isoformat()}"' in text
    assert "09:00–09:45" in text
    assert "Kari Nordmann" in text
    assert "Møterom 1" in text
    assert "https://video.nav.no/rom/1" in text
    assert "Cancelled" in text
    assert f"{reverse('panel_create', args=[hiring_round.pk])}?day={first.isoformat()}" in text
    assert reverse("interview_day_cancel", args=[hiring_round.pk, first.isoformat()]) in text


def test_the_round_page_lists_the_rounds_panels_with_seats_accepted(client, leader_a, office_a):
    hiring_round = HiringRoundFactory(office=office_a, seats_per_panel=3)
    interview = InterviewFactory(round=hiring_round, starts_at=local(in_days(8), "09:00"))
    panel = panel_create(hiring_round=hiring_round, interviews=[interview])
    accepted_seat_on(panel, office_a)
    client.force_login(leader_a)

    response = client.get(reverse("round_detail", args=[hiring_round.pk]), headers=EN)

    assert reverse("panel_detail", args=[panel.pk]) in response.text
    assert "1 of 3 seats accepted" in response.text


@pytest.mark.parametrize("count", [1, 3])
def test_the_round_page_makes_the_same_number_of_queries_for_one_or_three_of_each(
    client, leader_a, office_a, django_assert_num_queries, count
):
    hiring_round = HiringRoundFactory(office=office_a)
    for n in range(count):
        candidate = CandidateFactory(round=hiring_round)
        interview = InterviewFactory(
            round=hiring_round, candidate=candidate, starts_at=local(in_days(5 + n), "09:00")
        )
        panel_create(hiring_round=hiring_round, interviews=[interview])
    client.force_login(leader_a)
    url = reverse("round_detail", args=[hiring_round.pk])
    client.get(url)

    with django_assert_num_queries(9):
        client.get(url)


# Moving and cancelling ------------------------------------------------------------------------


def move_url(interview) -> str:
    return reverse("interview_move", args=[interview.pk])


def move_data(interview, day: date, starts: str, ends: str) -> dict[str, str]:
    """Any day is confirmed, as in ``day_data`` (the weekday warning: tests further down)."""
    prefix = f"move-{interview.pk}"
    return {
        f"{prefix}-plan_anyway": "on",
        f"{prefix}-day": day.isoformat(),
        f"{prefix}-starts_at": starts,
        f"{prefix}-ends_at": ends,
    }


def test_leader_moves_an_interview_and_its_panel_and_accepted_seat_follow(
    client, leader_a, office_a
):
    hiring_round = HiringRoundFactory(office=office_a)
    interview = InterviewFactory(round=hiring_round, starts_at=local(in_days(8), "09:00"))
    panel = panel_create(hiring_round=hiring_round, interviews=[interview])
    seat = accepted_seat_on(panel, office_a)
    new_day = in_days(9)
    client.force_login(leader_a)

    response = client.post(move_url(interview), move_data(interview, new_day, "13:00", "14:00"))

    interview.refresh_from_db()
    panel.refresh_from_db()
    seat.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"].endswith("#interview-days")
    assert (interview.starts_at, interview.ends_at) == (
        local(new_day, "13:00"),
        local(new_day, "14:00"),
    )
    assert (panel.starts_at, seat.starts_at) == (local(new_day, "13:00"), local(new_day, "13:00"))
    # One for the acceptance (tentative to confirmed), one for the move.
    assert seat.calendar_sequence == 2
    assert OutboxMessage.objects.filter(kind="moved", about_id=seat.pk).count() == 1


def test_a_move_that_ends_before_it_starts_is_refused_next_to_the_field(client, leader_a, office_a):
    hiring_round = HiringRoundFactory(office=office_a)
    interview = InterviewFactory(round=hiring_round, starts_at=local(in_days(8), "09:00"))
    client.force_login(leader_a)

    response = client.post(
        move_url(interview), move_data(interview, in_days(8), "14:00", "13:00"), headers=EN
    )

    assert response.status_code == 200
    assert response.context["days"][0]["interviews"][0].move_form.errors == {
        "ends_at": ["The interview must end after it starts."]
    }
    assert "The interview was not moved: The interview must end after it starts." in response.text
    interview.refresh_from_db()
    assert interview.starts_at == local(in_days(8), "09:00")


def test_a_move_into_the_past_is_refused(client, leader_a, office_a):
    hiring_round = HiringRoundFactory(office=office_a)
    interview = InterviewFactory(round=hiring_round, starts_at=local(in_days(8), "09:00"))
    client.force_login(leader_a)

    response = client.post(
        move_url(interview), move_data(interview, in_days(-2), "09:00", "10:00"), headers=EN
    )

    assert "The date has passed. Choose today or a later day." in response.text
    interview.refresh_from_db()
    assert interview.starts_at == local(in_days(8), "09:00")


def test_a_move_onto_another_interview_of_the_candidate_is_refused_by_name(
    client, leader_a, office_a
):
    hiring_round = HiringRoundFactory(office=office_a)
    kari = CandidateFactory(round=hiring_round, name="Kari Nordmann")
    day = in_days(8)
    InterviewFactory(round=hiring_round, candidate=kari, starts_at=local(day, "09:00"))
    later = InterviewFactory(round=hiring_round, candidate=kari, starts_at=local(day, "13:00"))
    client.force_login(leader_a)

    response = client.post(move_url(later), move_data(later, day, "09:30", "10:15"), headers=EN)

    assert response.status_code == 200
    assert "Kari Nordmann already has an interview at that time." in response.text
    later.refresh_from_db()
    assert later.starts_at == local(day, "13:00")


def test_a_move_that_double_books_a_representative_changes_nothing(client, leader_a, office_a):
    hiring_round = HiringRoundFactory(office=office_a)
    day = in_days(8)
    morning = InterviewFactory(round=hiring_round, starts_at=local(day, "09:00"))
    afternoon = InterviewFactory(round=hiring_round, starts_at=local(day, "13:00"))
    morning_panel = panel_create(hiring_round=hiring_round, interviews=[morning])
    afternoon_panel = panel_create(hiring_round=hiring_round, interviews=[afternoon])
    seat = accepted_seat_on(morning_panel, office_a)
    seat_invite(panel=afternoon_panel, representative=seat.representative, by=None)
    client.force_login(leader_a)

    response = client.post(move_url(morning), move_data(morning, day, "13:00", "13:45"), headers=EN)

    assert response.status_code == 200
    assert "is booked elsewhere at the new time" in response.text
    morning.refresh_from_db()
    morning_panel.refresh_from_db()
    assert morning.starts_at == morning_panel.starts_at == local(day, "09:00")


def test_a_cancelled_interview_cannot_be_moved(client, leader_a, office_a):
    hiring_round = HiringRoundFactory(office=office_a)
    interview = InterviewFactory(round=hiring_round, status=InterviewStatus.CANCELLED)
    client.force_login(leader_a)

    response = client.post(
        move_url(interview), move_data(interview, in_days(9), "09:00", "10:00"), headers=EN
    )

    assert "A cancelled interview cannot be moved." in response.text
    interview.refresh_from_db()
    assert timezone.localdate(interview.starts_at) == in_days(7)


def test_leader_cancels_an_interview_and_a_panel_left_without_interviews_is_cancelled(
    client, leader_a, office_a
):
    hiring_round = HiringRoundFactory(office=office_a)
    interview = InterviewFactory(round=hiring_round)
    panel = panel_create(hiring_round=hiring_round, interviews=[interview])
    seat = accepted_seat_on(panel, office_a)
    client.force_login(leader_a)

    response = client.post(
        reverse("interview_cancel", args=[interview.pk]), headers=EN, follow=True
    )

    interview.refresh_from_db()
    panel.refresh_from_db()
    seat.refresh_from_db()
    assert interview.status == InterviewStatus.CANCELLED
    assert panel.status == PanelStatus.CANCELLED
    assert seat.status == SeatStatus.CANCELLED
    assert OutboxMessage.objects.filter(key=f"cancelled:seat:{seat.pk}").exists()
    assert "was cancelled." in response.text


def test_cancelling_a_cancelled_interview_again_says_so_and_changes_nothing(
    client, leader_a, office_a
):
    interview = InterviewFactory(
        round=HiringRoundFactory(office=office_a), status=InterviewStatus.CANCELLED
    )
    client.force_login(leader_a)

    response = client.post(
        reverse("interview_cancel", args=[interview.pk]), headers=EN, follow=True
    )

    assert "The interview was already cancelled." in response.text


def test_leader_cancels_the_whole_day_and_only_that_days_interviews(client, leader_a, office_a):
    hiring_round = HiringRoundFactory(office=office_a)
    day, next_day = in_days(8), in_days(9)
    on_day = [
        InterviewFactory(round=hiring_round, starts_at=local(day, "09:00")),
        InterviewFactory(
            round=hiring_round, starts_at=local(day, "23:00"), ends_at=local(day, "23:45")
        ),
    ]
    other_day = InterviewFactory(round=hiring_round, starts_at=local(next_day, "00:30"))
    panel = panel_create(hiring_round=hiring_round, interviews=on_day)
    client.force_login(leader_a)

    response = client.post(
        reverse("interview_day_cancel", args=[hiring_round.pk, day.isoformat()]),
        headers=EN,
        follow=True,
    )

    assert [i.status for i in Interview.objects.filter(pk__in=[i.pk for i in on_day])] == [
        InterviewStatus.CANCELLED,
        InterviewStatus.CANCELLED,
    ]
    other_day.refresh_from_db()
    panel.refresh_from_db()
    assert other_day.status == InterviewStatus.SCHEDULED
    assert panel.status == PanelStatus.CANCELLED
    assert "2 interviews on" in response.text


def test_cancelling_a_day_without_interviews_says_there_was_nothing_to_cancel(
    client, leader_a, office_a
):
    hiring_round = HiringRoundFactory(office=office_a)
    client.force_login(leader_a)

    response = client.post(
        reverse("interview_day_cancel", args=[hiring_round.pk, in_days(3).isoformat()]),
        headers=EN,
        follow=True,
    )

    assert "was left to cancel" in response.text


def test_a_day_that_is_not_a_date_answers_404(client, leader_a, office_a):
    hiring_round = HiringRoundFactory(office=office_a)
    client.force_login(leader_a)

    response = client.post(reverse("interview_day_cancel", args=[hiring_round.pk, "2026-02-30"]))

    assert response.status_code == 404


@pytest.fixture
def rana_interview(office_a):
    return InterviewFactory(round=HiringRoundFactory(office=office_a))


def write_requests(interview) -> list[tuple[str, dict[str, str]]]:
    day = timezone.localdate(interview.starts_at)
    return [
        (move_url(interview), move_data(interview, in_days(9), "13:00", "14:00")),
        (reverse("interview_cancel", args=[interview.pk]), {}),
        (reverse("interview_day_cancel", args=[interview.round_id, day.isoformat()]), {}),
    ]


def assert_unchanged(interview) -> None:
    before = (interview.starts_at, interview.status)
    interview.refresh_from_db()
    assert (interview.starts_at, interview.status) == before


def test_leader_of_another_office_gets_404_when_moving_or_cancelling(
    client, leader_b, rana_interview
):
    client.force_login(leader_b)

    for url, data in write_requests(rana_interview):
        assert client.post(url, data).status_code == 404, url
    assert_unchanged(rana_interview)


def test_hr_gets_403_when_moving_or_cancelling(client, hr, rana_interview):
    client.force_login(hr)

    for url, data in write_requests(rana_interview):
        assert client.post(url, data).status_code == 403, url
    assert_unchanged(rana_interview)


def test_anonymous_user_moving_or_cancelling_is_sent_to_sign_in(client, rana_interview):
    for url, data in write_requests(rana_interview):
        response = client.post(url, data)

        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login"))
    assert_unchanged(rana_interview)


def test_moving_and_cancelling_answer_only_post(client, leader_a, rana_interview):
    client.force_login(leader_a)

    for url, _data in write_requests(rana_interview):
        assert client.get(url).status_code == 405, url


def test_hr_reads_the_interview_days_without_names_or_change_buttons(client, hr, rana_interview):
    rana_interview.candidate = CandidateFactory(round=rana_interview.round, name="Kari Nordmann")
    rana_interview.save()
    client.force_login(hr)

    response = client.get(reverse("round_detail", args=[rana_interview.round_id]), headers=EN)

    assert "09:00–09:45" in response.text
    assert "Kari Nordmann" not in response.text
    assert move_url(rana_interview) not in response.text
    assert plan_url(rana_interview.round) not in response.text


# Weekends and public holidays (issue 18, point 4) -------------------------------------------


def _next(weekday: int) -> date:
    day = in_days(7)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


def test_a_saturday_is_warned_about_and_nothing_is_planned_until_confirmed(
    client, leader_a, office_a
):
    hiring_round = HiringRoundFactory(office=office_a)
    saturday = _next(5)
    client.force_login(leader_a)
    data = {k: v for k, v in day_data(saturday).items() if k != "plan_anyway"}

    warned = client.post(plan_url(hiring_round), data)
    planned_after_warning = hiring_round.interviews.count()
    confirmed = client.post(plan_url(hiring_round), {**data, "plan_anyway": "on"})

    assert warned.status_code == 200
    assert "er ikke en arbeidsdag (lørdag)" in warned.text
    assert "Planlegg likevel den dagen" in warned.text
    assert planned_after_warning == 0
    assert confirmed.status_code == 302
    assert hiring_round.interviews.count() == 4


def test_a_norwegian_public_holiday_is_named_in_the_warning(client, leader_a, office_a):
    hiring_round = HiringRoundFactory(office=office_a)
    year = timezone.localdate().year + 1
    client.force_login(leader_a)
    data = {k: v for k, v in day_data(date(year, 5, 17)).items() if k != "plan_anyway"}

    response = client.post(plan_url(hiring_round), data)

    assert "Grunnlovsdag" in response.text
    assert not hiring_round.interviews.exists()


def test_a_working_day_is_planned_without_a_word_and_no_checkbox_is_shown(
    client, leader_a, office_a
):
    hiring_round = HiringRoundFactory(office=office_a)
    client.force_login(leader_a)
    form = client.get(plan_url(hiring_round)).text
    data = {k: v for k, v in day_data(working_day(7)).items() if k != "plan_anyway"}

    response = client.post(plan_url(hiring_round), data)

    assert "plan_anyway" not in form
    assert response.status_code == 302


def test_moving_an_interview_to_a_saturday_is_warned_about_and_moves_only_when_confirmed(
    client, leader_a, office_a
):
    hiring_round = HiringRoundFactory(office=office_a)
    interview = InterviewFactory(round=hiring_round, starts_at=local(working_day(7), "09:00"))
    panel = panel_create(hiring_round=hiring_round, interviews=[interview])
    seat = accepted_seat_on(panel, office_a)
    saturday = _next(5)
    client.force_login(leader_a)
    data = move_data(interview, saturday, "10:00", "11:00")
    del data[f"move-{interview.pk}-plan_anyway"]

    warned = client.post(move_url(interview), data)
    interview.refresh_from_db()
    after_warning = (interview.starts_at, OutboxMessage.objects.filter(kind="moved").count())
    confirmed = client.post(move_url(interview), {**data, f"move-{interview.pk}-plan_anyway": "on"})

    assert warned.status_code == 200
    assert "er ikke en arbeidsdag (lørdag)" in warned.text
    assert "Planlegg likevel den dagen" in warned.text
    assert after_warning == (local(working_day(7), "09:00"), 0)
    assert confirmed.status_code == 302
    interview.refresh_from_db()
    assert interview.starts_at == local(saturday, "10:00")
    assert OutboxMessage.objects.filter(kind="moved", about_id=seat.pk).count() == 1


def test_moving_an_interview_to_another_working_day_asks_nothing(client, leader_a, office_a):
    hiring_round = HiringRoundFactory(office=office_a)
    interview = InterviewFactory(round=hiring_round, starts_at=local(working_day(7), "09:00"))
    new_day = working_day(8)
    client.force_login(leader_a)
    data = move_data(interview, new_day, "10:00", "11:00")
    del data[f"move-{interview.pk}-plan_anyway"]

    page = client.get(reverse("round_detail", args=[hiring_round.pk])).text
    response = client.post(move_url(interview), data)

    assert "plan_anyway" not in page
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.starts_at == local(new_day, "10:00")


def test_a_new_time_on_a_saturday_already_confirmed_is_not_warned_about_again(
    client, leader_a, office_a
):
    hiring_round = HiringRoundFactory(office=office_a)
    saturday = _next(5)
    interview = InterviewFactory(round=hiring_round, starts_at=local(saturday, "09:00"))
    client.force_login(leader_a)
    data = move_data(interview, saturday, "12:00", "13:00")
    del data[f"move-{interview.pk}-plan_anyway"]

    response = client.post(move_url(interview), data)

    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.starts_at == local(saturday, "12:00")
