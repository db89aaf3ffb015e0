"""Feedback after the interview day, from representatives and staff, and what the leader reads."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from interviews.models import Candidate
from panels import links, services
from panels.enums import PanelStatus, SeatStatus
from panels.models import ConflictOfInterest, Feedback, FeedbackRole, StaffInterviewer
from tests.factories.links import database_snapshot, invited_seat
from tests.factories.panels import PanelRowFactory, SeatFactory

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}
ANSWERS = {"well_prepared": "4", "full_member": "5", "practical": "3", "again": "5"}


def feedback_path(seat) -> str:
    return reverse("feedback_link", args=[links.seat_token(seat.pk)])


def staff_path(staff) -> str:
    return reverse("staff_feedback_link", args=[links.staff_token(staff.pk)])


@pytest.fixture
def past_panel(office_a):
    panel = PanelRowFactory(round__office=office_a)
    StaffInterviewer.objects.create(panel=panel, name="Tor Tillitsvalgt", email="tor@nav.no")
    return panel


@pytest.fixture
def sat(past_panel):
    return SeatFactory(panel=past_panel, status=SeatStatus.ATTENDED)


@pytest.mark.usefixtures("chose_english")
def test_the_form_asks_four_questions_after_the_day(client, sat):
    response = client.get(feedback_path(sat), headers=EN)

    assert response.status_code == 200
    for question in (
        "I was well prepared",
        "I was treated as a full member of the panel",
        "The practical arrangements worked",
        "I would take part again",
    ):
        assert question in response.text


def test_opening_the_form_changes_nothing(client, sat):
    before = database_snapshot()

    client.get(feedback_path(sat))

    assert database_snapshot() == before


@pytest.mark.usefixtures("chose_english")
def test_the_answers_are_recorded_once_and_the_second_is_thanked_and_ignored(client, sat):
    response = client.post(feedback_path(sat), {**ANSWERS, "comment": " Godt organisert. "})

    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.seat, feedback.panel, feedback.role) == (sat, sat.panel, "representative")
    assert (feedback.well_prepared, feedback.again, feedback.comment) == (4, 5, "Godt organisert.")

    before = database_snapshot()
    again = client.post(feedback_path(sat), {**ANSWERS, "practical": "1"}, headers=EN)

    assert again.status_code == 200
    assert "already received your answers" in again.text
    assert database_snapshot() == before


@pytest.mark.usefixtures("chose_english")
def test_a_missing_rating_shows_the_error_and_writes_nothing(client, sat):
    response = client.post(feedback_path(sat), {"well_prepared": "4"}, headers=EN)

    assert response.status_code == 200
    assert "Choose a number from 1 to 5." in response.text
    assert not Feedback.objects.exists()


def test_a_rating_outside_1_to_5_is_refused_by_the_form_and_the_database(client, sat):
    client.post(feedback_path(sat), {**ANSWERS, "again": "9"})

    assert not Feedback.objects.exists()
    with pytest.raises(IntegrityError):
        Feedback.objects.create(
            panel=sat.panel, seat=sat, role="representative", well_prepared=0,
            full_member=1, practical=1, again=1,
        )  # fmt: skip


@pytest.mark.usefixtures("chose_english")
def test_before_the_day_the_form_says_why_and_takes_nothing(client, office_a):
    seat = invited_seat(office=office_a, signed=True)

    response = client.post(feedback_path(seat), ANSWERS, headers=EN)

    assert "has not started yet" in response.text
    assert not Feedback.objects.exists()


@pytest.mark.usefixtures("chose_english")
@pytest.mark.parametrize("status", [SeatStatus.DECLINED, SeatStatus.WITHDRAWN, SeatStatus.EXPIRED])
def test_a_seat_that_never_sat_cannot_give_feedback(client, past_panel, status):
    seat = SeatFactory(panel=past_panel, status=status)

    response = client.post(feedback_path(seat), ANSWERS, headers=EN)

    assert "did not have a seat on this interview panel" in response.text
    assert not Feedback.objects.exists()


@pytest.mark.usefixtures("chose_english")
def test_a_cancelled_panel_takes_no_feedback(client, sat):
    sat.panel.status = PanelStatus.CANCELLED
    sat.panel.save()

    response = client.post(feedback_path(sat), ANSWERS, headers=EN)

    assert "was cancelled" in response.text
    assert not Feedback.objects.exists()


def test_the_link_of_seat_a_answers_for_seat_a_only(client, past_panel, sat):
    other = SeatFactory(panel=past_panel, status=SeatStatus.ATTENDED)

    client.post(feedback_path(sat), ANSWERS)

    assert list(Feedback.objects.values_list("seat", flat=True)) == [sat.pk]
    assert client.get(feedback_path(other), headers=EN).status_code == 200
    assert "already received" not in client.get(feedback_path(other), headers=EN).text


def test_a_tampered_feedback_link_shows_the_friendly_page(client, sat):
    response = client.get(feedback_path(sat)[:-3] + "xx/", headers=EN)

    assert response.status_code == 404
    assert "The link is not valid" in response.text


def test_a_staff_interviewer_answers_once_by_their_own_link(client, past_panel):
    staff = past_panel.staff.get()

    client.post(staff_path(staff), ANSWERS)
    client.post(staff_path(staff), ANSWERS)

    feedback = Feedback.objects.get()
    assert (feedback.staff_interviewer, feedback.role, feedback.seat) == (staff, "staff", None)


def test_a_seat_token_is_not_a_staff_token(client, sat):
    response = client.get(reverse("staff_feedback_link", args=[links.seat_token(sat.pk)]))

    assert response.status_code == 404


@pytest.mark.usefixtures("chose_english")
def test_the_leader_reads_averages_counts_and_texts_without_names(client, leader_a, past_panel):
    for answers, comment in ((("4", "5", "3", "5"), "Bra dag"), (("2", "3", "5", "4"), "")):
        seat = SeatFactory(
            panel=past_panel, status=SeatStatus.ATTENDED, representative__name="Navn Navnesen"
        )
        client.post(
            feedback_path(seat),
            {**dict(zip(ANSWERS, answers, strict=True)), "comment": comment},
        )
    client.post(staff_path(past_panel.staff.get()), {**ANSWERS, "comment": "Nyttig"})
    client.force_login(leader_a)

    response = client.get(reverse("panel_detail", args=[past_panel.pk]), headers=EN)

    text = response.text
    section = text[text.index("Evaluation of the day") : text.index('id="seats"')]
    assert "Answers from 2 representatives and 1 staff interviewers" in section
    assert "3.0" in section and "4.5" in section
    assert "Bra dag" in section and "Nyttig" in section
    assert "Navn Navnesen" not in section
    assert Feedback.objects.filter(role=FeedbackRole.REPRESENTATIVE).count() == 2


def test_another_office_sees_no_feedback(client, leader_b, sat):
    client.force_login(leader_b)

    assert client.get(reverse("panel_detail", args=[sat.panel.pk])).status_code == 404


# The leader sees reasons and conflicts ----------------------------------------------------------


@pytest.mark.usefixtures("chose_english")
def test_the_leader_sees_the_reason_a_representative_gave_for_saying_no(client, office_a, leader_a):
    seat = invited_seat(office=office_a)
    client.post(
        reverse("seat_link_decline", args=[links.seat_token(seat.pk)]),
        {"reason": "Bortreist den uka"},
    )
    client.force_login(leader_a)

    response = client.get(reverse("panel_detail", args=[seat.panel_id]), headers=EN)

    assert "Reason given: Bortreist den uka" in response.text


def test_the_leader_sees_who_will_not_sit_on_which_interview(client, office_a, leader_a):
    seat = invited_seat(office=office_a, candidates=("Siri Søker", "Petter Søker"), signed=True)
    seat.representative.name = "Kari Nordmann"
    seat.representative.save()
    services.seat_transition(seat=seat, to=SeatStatus.ACCEPTED, actor="representative")
    ConflictOfInterest.objects.create(
        representative=seat.representative, candidate=Candidate.objects.get(name="Petter Søker")
    )
    client.force_login(leader_a)

    response = client.get(reverse("panel_detail", args=[seat.panel_id]), headers=EN)

    text = response.text
    row_siri = text[text.index("Siri Søker") : text.index("Petter Søker")]
    row_petter = text[text.index("Petter Søker") :].split("</tr>")[0]
    warning = "Kari Nordmann has declared a conflict of interest – will not sit on this interview"
    assert warning not in row_siri
    assert warning in row_petter


def test_hr_sees_neither_reasons_nor_conflicts(client, office_a, hr):
    seat = invited_seat(office=office_a)
    seat.decline_reason = "Privat grunn"
    seat.status = SeatStatus.DECLINED
    seat.save()
    client.force_login(hr)

    response = client.get(reverse("panel_detail", args=[seat.panel_id]), headers=EN)

    assert response.status_code == 200
    assert "Privat grunn" not in response.text
