"""The panel pages over HTTP: make a panel, invite, take off, mark attendance, cancel."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from navpanel.cache_versions import data_version_bump
from outbox.models import OutboxMessage
from panels import services
from panels.enums import PanelStatus, RepresentativeStatus, SeatStatus
from panels.models import Panel, Seat
from tests.factories import BackgroundFactory, OfficeRoleFactory
from tests.factories.links import database_snapshot
from tests.factories.panels import (
    BackgroundWantFactory,
    InterviewFactory,
    OpenRoundFactory,
    PoolRepresentativeFactory,
    SeatFactory,
    day_at,
    panel_for,
)

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}
HTMX = {"accept-language": "en", "HX-Request": "true"}


def _offered(text: str, table: str) -> list[tuple[str, str]]:
    """The representatives a suggestion table of the panel page offers ("suggested" or
    "other"), each with the first words of why, as the leader reads them."""
    rows = re.findall(
        rf'for="{table}-\d+" class="aksel-checkbox__label"><span class="aksel-body-short">'
        r'([^<]+)</span>.*?<td class="aksel-table__data-cell aksel-body-short">([^<]+)</td>',
        text,
        flags=re.S,
    )
    return [(name, why[: len("Covers Substance use")]) for name, why in rows]


@pytest.fixture
def rana_round(office_a):
    return OpenRoundFactory(office=office_a, position_title="Veileder, Team Ung")


@pytest.fixture
def panel(rana_round):
    return panel_for(rana_round, seats_wanted=3)


@pytest.fixture
def substance(db):
    return BackgroundFactory(slug="substance_use", name="Rus og recovery", name_en="Substance use")


@pytest.fixture
def kari(office_a):
    return PoolRepresentativeFactory(name="Kari Nordmann", offices=[office_a])


@pytest.fixture
def past_seat(rana_round, kari):
    return SeatFactory(panel__round=rana_round, representative=kari, status=SeatStatus.ACCEPTED)


def _form(interviews, **extra):
    data = {
        "interviews": [i.pk for i in interviews],
        "seats_wanted": 2,
        "location": "",
        "staff-TOTAL_FORMS": 4,
        "staff-INITIAL_FORMS": 0,
        "staff-MIN_NUM_FORMS": 0,
        "staff-MAX_NUM_FORMS": 4,
    }
    for index in range(4):
        data.update({f"staff-{index}-name": "", f"staff-{index}-role": ""})
        data[f"staff-{index}-email"] = ""
    data.update(extra)
    return data


# --- panel_create ------------------------------------------------------------------------------


def test_new_panel_page_preselects_the_interviews_of_the_day_in_the_link(
    client, leader_a, rana_round
):
    on_the_day = InterviewFactory(round=rana_round, starts_at=day_at(14, 9))
    other_day = InterviewFactory(round=rana_round, starts_at=day_at(15, 9))
    client.force_login(leader_a)

    response = client.get(
        reverse("panel_create", args=[rana_round.pk]) + f"?day={day_at(14, 9).date()}",
        headers=EN,
    )

    assert response.status_code == 200
    assert response.context["form"]["interviews"].initial == [on_the_day.pk]
    assert on_the_day.candidate.name in response.text
    assert other_day.candidate.name in response.text


def test_new_panel_page_ignores_a_malformed_day(client, leader_a, rana_round):
    InterviewFactory(round=rana_round)
    client.force_login(leader_a)

    response = client.get(reverse("panel_create", args=[rana_round.pk]) + "?day=nonsense")

    assert response.status_code == 200
    assert not response.context["form"]["interviews"].initial


def test_new_panel_page_leaves_out_interviews_that_already_have_a_panel(
    client, leader_a, rana_round, panel
):
    taken = panel.interviews.get()
    free = InterviewFactory(round=rana_round, starts_at=day_at(20, 9))
    client.force_login(leader_a)

    response = client.get(reverse("panel_create", args=[rana_round.pk]), headers=EN)

    choices = [value for value, _label in response.context["form"].fields["interviews"].choices]
    assert [c.value for c in choices] == [free.pk]
    assert taken.candidate.name not in response.text


def test_leader_creates_a_panel_with_staff_and_lands_on_it(client, leader_a, rana_round):
    first = InterviewFactory(round=rana_round, starts_at=day_at(14, 9))
    second = InterviewFactory(round=rana_round, starts_at=day_at(14, 10))
    client.force_login(leader_a)
    data = _form(
        [first, second],
        location="Møterom Svartisen",
        **{
            "staff-0-name": "Tor Tillitsvalgt",
            "staff-0-role": "Union representative",
            "staff-0-email": "tor@nav.no",
        },
    )

    response = client.post(reverse("panel_create", args=[rana_round.pk]), data)

    panel = Panel.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("panel_detail", args=[panel.pk])
    assert set(panel.interviews.all()) == {first, second}
    assert (panel.seats_wanted, panel.location) == (2, "Møterom Svartisen")
    assert list(panel.staff.values_list("name", "role", "email")) == [
        ("Tor Tillitsvalgt", "Union representative", "tor@nav.no")
    ]


def test_a_staff_row_without_email_is_an_error_next_to_the_field_and_nothing_is_made(
    client, leader_a, rana_round
):
    interview = InterviewFactory(round=rana_round)
    client.force_login(leader_a)

    response = client.post(
        reverse("panel_create", args=[rana_round.pk]),
        _form([interview], **{"staff-1-name": "Tor Tillitsvalgt"}),
        headers=EN,
    )

    assert response.status_code == 200
    assert response.context["staff"].forms[1].errors == {"email": ["This field is required."]}
    assert not Panel.objects.exists()


def test_a_panel_without_interviews_is_refused_with_a_message(client, leader_a, rana_round):
    InterviewFactory(round=rana_round)
    client.force_login(leader_a)

    response = client.post(reverse("panel_create", args=[rana_round.pk]), _form([]), headers=EN)

    assert response.status_code == 200
    assert "Choose at least one interview." in response.text
    assert not Panel.objects.exists()


def test_seats_out_of_range_are_refused_next_to_the_field(client, leader_a, rana_round):
    interview = InterviewFactory(round=rana_round)
    client.force_login(leader_a)

    response = client.post(
        reverse("panel_create", args=[rana_round.pk]), _form([interview], seats_wanted=9)
    )

    assert response.status_code == 200
    assert "seats_wanted" in response.context["form"].errors
    assert not Panel.objects.exists()


def test_another_offices_interview_id_is_not_a_valid_choice(client, leader_a, rana_round, office_b):
    hadeland = InterviewFactory(round=OpenRoundFactory(office=office_b))
    client.force_login(leader_a)

    response = client.post(reverse("panel_create", args=[rana_round.pk]), _form([hadeland]))

    assert response.status_code == 200
    assert "interviews" in response.context["form"].errors
    assert not Panel.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_leader_of_another_office_gets_404_on_new_panel(client, leader_b, rana_round, method):
    interview = InterviewFactory(round=rana_round)
    client.force_login(leader_b)

    response = getattr(client, method)(
        reverse("panel_create", args=[rana_round.pk]), _form([interview])
    )

    assert response.status_code == 404
    assert not Panel.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_hr_gets_403_on_new_panel(client, hr, rana_round, method):
    interview = InterviewFactory(round=rana_round)
    client.force_login(hr)

    response = getattr(client, method)(
        reverse("panel_create", args=[rana_round.pk]), _form([interview])
    )

    assert response.status_code == 403
    assert not Panel.objects.exists()


# --- panel_detail ------------------------------------------------------------------------------


def test_panel_page_shows_interviews_staff_seats_history_and_suggestions_with_reasons(
    client, leader_a, office_a, rana_round, substance
):
    BackgroundWantFactory(round=rana_round, background=substance, at_least=1)
    panel = panel_for(rana_round, seats_wanted=2)
    panel.staff.create(name="Tor Tillitsvalgt", role="Union", email="tor@nav.no")
    invited = PoolRepresentativeFactory(name="Ola Invitert", offices=[office_a])
    services.seat_invite(panel=panel, representative=invited, by=leader_a)
    PoolRepresentativeFactory(name="Siri Rus", offices=[office_a], backgrounds=[substance])
    PoolRepresentativeFactory(name="Per Annen", offices=[office_a])
    PoolRepresentativeFactory(
        name="Vera Venter",
        offices=[office_a],
        backgrounds=[substance],
        status=RepresentativeStatus.AWAITING_CONSENT,
    )
    client.force_login(leader_a)

    response = client.get(reverse("panel_detail", args=[panel.pk]), headers=EN)

    assert response.status_code == 200
    assert panel.interviews.get().candidate.name in response.text
    assert "Tor Tillitsvalgt" in response.text
    assert "Ola Invitert" in response.text
    assert "Invited" in response.text
    assert "Rita Rana" in response.text  # who invited, in the seat's history
    assert _offered(response.text, "suggested") == [("Siri Rus", "Covers Substance use")]
    assert [name for name, _why in _offered(response.text, "other")] == ["Per Annen"]
    assert "Covers Substance use" in response.text
    assert "Vera Venter" not in response.text


def test_panel_page_states_a_shortfall_when_nobody_has_the_wanted_background(
    client, leader_a, office_a, rana_round, substance
):
    BackgroundWantFactory(round=rana_round, background=substance, at_least=1)
    panel = panel_for(rana_round, seats_wanted=2)
    PoolRepresentativeFactory(name="Per Annen", offices=[office_a])
    client.force_login(leader_a)

    response = client.get(reverse("panel_detail", args=[panel.pk]), headers=EN)

    assert "Substance use: 1 short" in response.text
    assert "Substance use: at least 1 wanted" in response.text


def test_hr_reads_the_panel_without_candidate_names_suggestions_or_buttons(
    client, hr, leader_a, panel, kari
):
    services.seat_invite(panel=panel, representative=kari, by=leader_a)
    client.force_login(hr)

    response = client.get(reverse("panel_detail", args=[panel.pk]), headers=EN)

    assert response.status_code == 200
    assert "Kari Nordmann" in response.text
    assert panel.interviews.get().candidate.name not in response.text
    assert 'id="suggestions-heading"' not in response.text
    assert reverse("panel_invite", args=[panel.pk]) not in response.text
    assert reverse("panel_cancel", args=[panel.pk]) not in response.text


@pytest.mark.parametrize("name", ["panel_detail", "panel_seats"])
def test_leader_of_another_office_gets_404_on_panel_pages(client, leader_b, panel, name):
    client.force_login(leader_b)

    response = client.get(reverse(name, args=[panel.pk]))

    assert response.status_code == 404


def test_hr_of_another_county_gets_404_on_the_panel(client, hr_b, panel):
    client.force_login(hr_b)

    response = client.get(reverse("panel_detail", args=[panel.pk]))

    assert response.status_code == 404


def test_seats_partial_is_the_seats_section_alone(client, leader_a, panel, kari):
    services.seat_invite(panel=panel, representative=kari, by=leader_a)
    client.force_login(leader_a)

    response = client.get(reverse("panel_seats", args=[panel.pk]), headers=HTMX)

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="seats"')
    assert "<html" not in response.text
    assert 'hx-trigger="every 30s"' in response.text
    assert "Kari Nordmann" in response.text


def test_anonymous_visitor_is_sent_to_sign_in_from_the_panel(client, panel):
    response = client.get(reverse("panel_detail", args=[panel.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- panel_invite ------------------------------------------------------------------------------


def test_leader_invites_the_ticked_representatives_and_is_sent_back_to_the_panel(
    client, leader_a, office_a, panel, kari
):
    ola = PoolRepresentativeFactory(name="Ola Nordmann", offices=[office_a])
    client.force_login(leader_a)

    response = client.post(
        reverse("panel_invite", args=[panel.pk]), {"representative": [kari.pk, ola.pk]}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("panel_detail", args=[panel.pk])
    invited = set(
        panel.seats.filter(status=SeatStatus.INVITED).values_list("representative", flat=True)
    )
    assert invited == {kari.pk, ola.pk}
    assert OutboxMessage.objects.filter(kind="invitation").count() == 2


def test_a_refused_invitation_is_reported_by_name_and_the_others_still_go_out(
    client, leader_a, office_a, rana_round, panel, kari
):
    elsewhere = panel_for(rana_round)
    services.seat_invite(panel=elsewhere, representative=kari, by=leader_a)
    ola = PoolRepresentativeFactory(name="Ola Nordmann", offices=[office_a])
    client.force_login(leader_a)

    response = client.post(
        reverse("panel_invite", args=[panel.pk]),
        {"representative": [kari.pk, ola.pk]},
        headers=EN,
        follow=True,
    )

    assert "Kari Nordmann was not invited: Kari Nordmann is already booked at that time." in (
        response.text
    )
    assert "Invited: Ola Nordmann." in response.text
    assert list(panel.seats.values_list("representative", flat=True)) == [ola.pk]


def test_invite_with_nobody_ticked_says_so(client, leader_a, panel):
    client.force_login(leader_a)

    response = client.post(reverse("panel_invite", args=[panel.pk]), {}, headers=EN, follow=True)

    assert "Tick at least one representative to invite." in response.text
    assert not Seat.objects.exists()


def test_invite_ignores_the_id_of_another_offices_representative(client, leader_a, office_b, panel):
    hadeland = PoolRepresentativeFactory(offices=[office_b])
    client.force_login(leader_a)

    client.post(reverse("panel_invite", args=[panel.pk]), {"representative": [hadeland.pk]})

    assert not Seat.objects.exists()


def test_invite_by_htmx_answers_with_the_seats_and_the_outcome(client, leader_a, panel, kari):
    client.force_login(leader_a)

    response = client.post(
        reverse("panel_invite", args=[panel.pk]), {"representative": [kari.pk]}, headers=HTMX
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="seats"')
    assert "<html" not in response.text
    assert "Invited" in response.text
    assert '<div id="panel-status" hx-swap-oob="innerHTML">' in response.text
    assert "Invited: Kari Nordmann." in response.text
    assert (
        '<section id="suggestions" aria-labelledby="suggestions-heading" hx-swap-oob="true">'
        in (response.text)
    )


def test_hr_gets_403_when_inviting(client, hr, panel, kari):
    client.force_login(hr)

    response = client.post(reverse("panel_invite", args=[panel.pk]), {"representative": [kari.pk]})

    assert response.status_code == 403
    assert not Seat.objects.exists()


def test_leader_of_another_office_gets_404_when_inviting(client, leader_b, panel, kari):
    client.force_login(leader_b)

    response = client.post(reverse("panel_invite", args=[panel.pk]), {"representative": [kari.pk]})

    assert response.status_code == 404
    assert not Seat.objects.exists()


def test_inviting_needs_a_post(client, leader_a, panel):
    client.force_login(leader_a)

    response = client.get(reverse("panel_invite", args=[panel.pk]))

    assert response.status_code == 405


# --- seat_cancel -------------------------------------------------------------------------------


@pytest.fixture
def invited_seat(panel, kari, leader_a):
    return services.seat_invite(panel=panel, representative=kari, by=leader_a)


def test_taking_off_first_asks_the_leader_to_confirm_and_changes_nothing(
    client, leader_a, invited_seat
):
    client.force_login(leader_a)
    before = database_snapshot()

    shown = client.get(reverse("seat_cancel", args=[invited_seat.pk]), headers=EN)
    unconfirmed = client.post(reverse("seat_cancel", args=[invited_seat.pk]), headers=EN)

    for response in (shown, unconfirmed):
        assert response.status_code == 200
        assert "Take Kari Nordmann off the panel?" in response.text
        assert "no longer needed on the panel" in response.text
        assert "Yes, take them off" in response.text
    assert database_snapshot() == before


def test_leader_takes_a_representative_off_the_panel(client, leader_a, panel, invited_seat):
    client.force_login(leader_a)

    response = client.post(reverse("seat_cancel", args=[invited_seat.pk]), {"confirm": "yes"})

    assert response.status_code == 302
    assert response["Location"] == reverse("panel_detail", args=[panel.pk])
    invited_seat.refresh_from_db()
    assert invited_seat.status == SeatStatus.CANCELLED
    [email] = OutboxMessage.objects.filter(kind="taken_off")
    assert email.to == invited_seat.representative.email
    assert not OutboxMessage.objects.filter(kind="cancelled").exists()


def test_taking_off_a_seat_twice_reports_it_and_changes_nothing(client, leader_a, invited_seat):
    client.force_login(leader_a)
    client.post(reverse("seat_cancel", args=[invited_seat.pk]), {"confirm": "yes"})

    response = client.post(
        reverse("seat_cancel", args=[invited_seat.pk]),
        {"confirm": "yes"},
        headers=EN,
        follow=True,
    )

    assert "A seat that is cancelled cannot change to cancelled." in response.text
    assert invited_seat.transitions.count() == 2


def test_hr_gets_403_when_taking_off_a_seat(client, hr, invited_seat):
    client.force_login(hr)

    response = client.post(reverse("seat_cancel", args=[invited_seat.pk]), {"confirm": "yes"})

    assert response.status_code == 403
    invited_seat.refresh_from_db()
    assert invited_seat.status == SeatStatus.INVITED


def test_leader_of_another_office_gets_404_when_taking_off_a_seat(client, leader_b, invited_seat):
    client.force_login(leader_b)

    response = client.post(reverse("seat_cancel", args=[invited_seat.pk]))

    assert response.status_code == 404
    invited_seat.refresh_from_db()
    assert invited_seat.status == SeatStatus.INVITED


# --- seat_attendance ---------------------------------------------------------------------------


@pytest.mark.parametrize(("answer", "status"), [("yes", "attended"), ("no", "no_show")])
def test_leader_marks_attendance_after_the_day(client, leader_a, past_seat, answer, status):
    client.force_login(leader_a)

    # "Did not come" is confirmed on a page of its own (tests/panels/test_undo.py).
    response = client.post(
        reverse("seat_attendance", args=[past_seat.pk]), {"attended": answer, "confirm": "yes"}
    )

    assert response.status_code == 302
    past_seat.refresh_from_db()
    assert past_seat.status == status


def test_marking_attendance_by_htmx_answers_with_the_seats_partial(client, leader_a, past_seat):
    client.force_login(leader_a)

    response = client.post(
        reverse("seat_attendance", args=[past_seat.pk]), {"attended": "yes"}, headers=HTMX
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="seats"')
    assert "Attended" in response.text


def test_attendance_before_the_day_is_refused_with_a_message(client, leader_a, invited_seat):
    services.seat_transition(seat=invited_seat, to=SeatStatus.ACCEPTED, actor="representative")
    client.force_login(leader_a)

    response = client.post(
        reverse("seat_attendance", args=[invited_seat.pk]),
        {"attended": "yes"},
        headers=EN,
        follow=True,
    )

    assert "Attendance can be marked once the interview day has begun." in response.text
    invited_seat.refresh_from_db()
    assert invited_seat.status == SeatStatus.ACCEPTED


def test_attendance_without_an_answer_is_refused_with_a_message(client, leader_a, past_seat):
    client.force_login(leader_a)

    response = client.post(
        reverse("seat_attendance", args=[past_seat.pk]),
        {"attended": "maybe"},
        headers=EN,
        follow=True,
    )

    assert "Choose whether the representative came." in response.text
    past_seat.refresh_from_db()
    assert past_seat.status == SeatStatus.ACCEPTED


def test_hr_gets_403_when_marking_attendance(client, hr, past_seat):
    client.force_login(hr)

    response = client.post(reverse("seat_attendance", args=[past_seat.pk]), {"attended": "yes"})

    assert response.status_code == 403
    past_seat.refresh_from_db()
    assert past_seat.status == SeatStatus.ACCEPTED


def test_leader_of_another_office_gets_404_when_marking_attendance(client, leader_b, past_seat):
    client.force_login(leader_b)

    response = client.post(reverse("seat_attendance", args=[past_seat.pk]), {"attended": "yes"})

    assert response.status_code == 404


# --- panel_cancel ------------------------------------------------------------------------------


def test_leader_cancels_the_panel_and_the_representatives_are_told(
    client, leader_a, panel, invited_seat
):
    client.force_login(leader_a)

    response = client.post(reverse("panel_cancel", args=[panel.pk]), headers=EN, follow=True)

    assert "The panel was cancelled" in response.text
    panel.refresh_from_db()
    invited_seat.refresh_from_db()
    assert (panel.status, invited_seat.status) == (PanelStatus.CANCELLED, SeatStatus.CANCELLED)
    assert OutboxMessage.objects.filter(kind="cancelled").count() == 1


def test_hr_gets_403_when_cancelling_a_panel(client, hr, panel):
    client.force_login(hr)

    response = client.post(reverse("panel_cancel", args=[panel.pk]))

    assert response.status_code == 403
    panel.refresh_from_db()
    assert panel.status == PanelStatus.PLANNED


def test_leader_of_another_office_gets_404_when_cancelling_a_panel(client, leader_b, panel):
    client.force_login(leader_b)

    response = client.post(reverse("panel_cancel", args=[panel.pk]))

    assert response.status_code == 404
    panel.refresh_from_db()
    assert panel.status == PanelStatus.PLANNED


def test_panel_page_makes_the_same_queries_for_one_and_three_seats(
    client, leader_a, office_a, panel, substance
):
    BackgroundWantFactory(round=panel.round, background=substance)
    for _ in range(3):
        PoolRepresentativeFactory(offices=[office_a], backgrounds=[substance])
    client.force_login(leader_a)
    counts = []
    for number in (1, 2):  # 1 seat, then 3
        for _ in range(number):
            services.seat_invite(
                panel=panel,
                representative=PoolRepresentativeFactory(
                    offices=[office_a], backgrounds=[substance]
                ),
                by=leader_a,
            )
        data_version_bump()  # both visits miss everything, the header's offices included
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("panel_detail", args=[panel.pk]), headers=EN)
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_cached_suggestions_drop_a_representative_booked_elsewhere_at_once(
    client, leader_a, office_a, rana_round
):
    panel = panel_for(rana_round, seats_wanted=1)
    per = PoolRepresentativeFactory(name="Per Annen", offices=[office_a])
    PoolRepresentativeFactory(name="Siri Rus", offices=[office_a])
    client.force_login(leader_a)
    url = reverse("panel_detail", args=[panel.pk])

    def names() -> set[str]:
        text = client.get(url, headers=EN).text
        return {name for name, _why in [*_offered(text, "suggested"), *_offered(text, "other")]}

    before = names()
    # The same time in another round of the office: Per is booked then.
    other = panel_for(OpenRoundFactory(office=office_a))
    services.seat_invite(panel=other, representative=per, by=leader_a)

    assert before == {"Per Annen", "Siri Rus"}
    assert names() == {"Siri Rus"}


def test_cached_suggestions_last_until_midnight_only(leader_a, office_a, rana_round):
    # A seat a year ago today counts in "the last 12 months" until midnight, not after.
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from panels.selectors import panel_seats
    from panels.suggestions import ReasonCode
    from panels.suggestions.pool import panel_suggestions, panel_wants

    panel = panel_for(rana_round, seats_wanted=1, days=30)
    per = PoolRepresentativeFactory(name="Per Annen", offices=[office_a])
    today = timezone.localdate()
    year_ago = timezone.make_aware(datetime.combine(today - timedelta(days=365), time(12)))
    SeatFactory(
        panel__round=rana_round,
        representative=per,
        status=SeatStatus.ATTENDED,
        starts_at=year_ago,
        ends_at=year_ago + timedelta(hours=2),
    )
    evening = timezone.make_aware(datetime.combine(today, time(23)))
    seats, wants = panel_seats(panel=panel), panel_wants(panel=panel)

    def seats_last_12_months(now) -> int:
        suggestions = panel_suggestions(panel=panel, seats=seats, wants=wants, now=now)
        [(_person, suggestion)] = suggestions.suggested
        return next(r.count for r in suggestion.reasons if r.code == ReasonCode.LOAD)

    assert seats_last_12_months(evening) == 1
    assert seats_last_12_months(evening + timedelta(minutes=30)) == 1
    assert seats_last_12_months(evening + timedelta(hours=2)) == 0


def test_the_polled_seats_show_an_answer_at_once_although_they_are_cached(
    client, leader_a, office_a, rana_round
):
    panel = panel_for(rana_round, seats_wanted=1)
    kari = PoolRepresentativeFactory(name="Kari Svar", offices=[office_a])
    seat = services.seat_invite(panel=panel, representative=kari, by=leader_a)
    client.force_login(leader_a)
    url = reverse("panel_seats", args=[panel.pk])

    def status() -> str:
        text = client.get(url, headers=HTMX).text
        return re.search(r'aksel-tag[^>]*data-color="\w+">([^<]+)</span>', text).group(1)

    before, again = status(), status()
    services.seat_transition(seat=seat, to=SeatStatus.ACCEPTED, actor="representative")

    assert before == again == "Invited"
    assert status() == "Accepted"


def test_the_cached_seats_carry_each_viewers_own_csrf_token(
    client, leader_a, office_a, panel, kari
):
    """The seats section is rendered once and served to every leader of the office: each page
    carries its own session's token in the section's forms, and the form is accepted."""
    ola = PoolRepresentativeFactory(name="Ola Nordmann", offices=[office_a])
    seats = {
        leader_a.pk: services.seat_invite(panel=panel, representative=kari, by=leader_a),
    }
    other_leader = OfficeRoleFactory(office=office_a).user
    seats[other_leader.pk] = services.seat_invite(panel=panel, representative=ola, by=leader_a)
    browsers, tokens = {}, {}
    for leader in (leader_a, other_leader):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(leader)
        page = browser.get(reverse("panel_detail", args=[panel.pk]), headers=EN)
        action = reverse("seat_phone_answer", args=[seats[leader.pk].pk])
        form = page.text[page.text.index(f'action="{action}"') :]
        tokens[leader.pk] = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
        browsers[leader.pk] = browser

    for leader_pk, browser in browsers.items():
        browser.post(
            reverse("seat_phone_answer", args=[seats[leader_pk].pk]),
            {"answer": "declined", "csrfmiddlewaretoken": tokens[leader_pk]},
        )

    assert tokens[leader_a.pk] != tokens[other_leader.pk]
    assert {seat.status for seat in panel.seats.all()} == {SeatStatus.DECLINED}


@pytest.mark.parametrize("name", ["panel_detail", "panel_seats"])
def test_a_decline_reason_is_read_by_the_offices_leaders_and_never_by_hr(
    client, hr, leader_a, panel, kari, name
):
    seat = services.seat_invite(panel=panel, representative=kari, by=leader_a)
    services.seat_decline(seat=seat, reason="Sønnen min har bursdag den dagen")

    client.force_login(leader_a)
    leaders_view = client.get(reverse(name, args=[panel.pk]), headers=EN)
    client.force_login(hr)
    hrs_view = client.get(reverse(name, args=[panel.pk]), headers=EN)

    assert "Sønnen min har bursdag" in leaders_view.text
    assert hrs_view.status_code == 200
    assert "Kari Nordmann" in hrs_view.text
    assert "Sønnen min har bursdag" not in hrs_view.text
