"""The dashboard: what needs the leader's action, in the offices the user sees."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from interviews.enums import RoundState
from panels import services
from panels.enums import SeatStatus
from panels.models import SeatTransition
from tests.factories import HiringRoundFactory
from tests.factories.panels import (
    InterviewFactory,
    OpenRoundFactory,
    PoolRepresentativeFactory,
    SeatFactory,
    panel_for,
)

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


def _actions(client):
    return client.get(reverse("dashboard"), headers=EN).context["actions"]


def _invited_long_ago(*, panel, representative, by, days_ago: int, answer_in_days: int):
    """An invitation sent ``days_ago`` with ``answer_in_days`` left to answer."""
    seat = services.seat_invite(panel=panel, representative=representative, by=by)
    now = timezone.now()
    SeatTransition.objects.filter(seat=seat).update(at=now - timedelta(days=days_ago))
    seat.answer_by = now + timedelta(days=answer_in_days)
    seat.save(update_fields=["answer_by"])
    return seat


def _one_of_each(office, leader, number: int) -> None:
    """``number`` items of every kind the dashboard lists, in ``office``."""
    for index in range(number):
        hiring_round = OpenRoundFactory(office=office, position_title=f"Runde {index}")
        panel = panel_for(hiring_round, days=10 + index)
        representative = PoolRepresentativeFactory(offices=[office])
        _invited_long_ago(
            panel=panel, representative=representative, by=leader, days_ago=4, answer_in_days=1
        )
        SeatFactory(panel__round=hiring_round, status=SeatStatus.ACCEPTED)
        OpenRoundFactory(office=office, position_title=f"Uten panel {index}")


def test_panel_short_of_accepted_representatives_is_listed_with_its_counts(
    client, leader_a, office_a
):
    hiring_round = OpenRoundFactory(office=office_a)
    panel = panel_for(hiring_round, seats_wanted=3)
    kari = PoolRepresentativeFactory(offices=[office_a])
    ola = PoolRepresentativeFactory(offices=[office_a])
    accepted = services.seat_invite(panel=panel, representative=kari, by=leader_a)
    services.seat_transition(seat=accepted, to=SeatStatus.ACCEPTED, actor="representative")
    services.seat_invite(panel=panel, representative=ola, by=leader_a)
    client.force_login(leader_a)

    response = client.get(reverse("dashboard"), headers=EN)

    [short] = response.context["actions"].short_panels
    assert (short.pk, short.accepted, short.invited) == (panel.pk, 1, 1)
    assert "1 of 3 accepted, 1 invited" in response.text
    assert reverse("panel_detail", args=[panel.pk]) in response.text


def test_a_full_panel_a_cancelled_panel_and_a_past_panel_are_not_short(client, leader_a, office_a):
    hiring_round = OpenRoundFactory(office=office_a)
    full = panel_for(hiring_round, seats_wanted=1)
    seat = services.seat_invite(
        panel=full, representative=PoolRepresentativeFactory(offices=[office_a]), by=leader_a
    )
    services.seat_transition(seat=seat, to=SeatStatus.ACCEPTED, actor="representative")
    services.panel_cancel(panel=panel_for(hiring_round, days=20), by=leader_a)
    SeatFactory(panel__round=hiring_round, status=SeatStatus.ATTENDED)
    client.force_login(leader_a)

    assert _actions(client).short_panels == []


def test_an_invitation_past_half_its_deadline_is_listed_and_a_fresh_one_is_not(
    client, leader_a, office_a
):
    panel = panel_for(OpenRoundFactory(office=office_a), seats_wanted=3)
    late = _invited_long_ago(
        panel=panel,
        representative=PoolRepresentativeFactory(name="Kari Sen", offices=[office_a]),
        by=leader_a,
        days_ago=3,
        answer_in_days=2,
    )
    _invited_long_ago(
        panel=panel,
        representative=PoolRepresentativeFactory(name="Ola Fersk", offices=[office_a]),
        by=leader_a,
        days_ago=1,
        answer_in_days=4,
    )
    client.force_login(leader_a)

    response = client.get(reverse("dashboard"), headers=EN)

    assert response.context["actions"].waiting_invitations == [late]
    assert f"{reverse('panel_detail', args=[panel.pk])}#seat-{late.pk}" in response.text
    assert "Ola Fersk" not in response.text


def test_a_past_day_with_attendance_not_marked_is_listed_until_it_is_marked(
    client, leader_a, office_a
):
    hiring_round = OpenRoundFactory(office=office_a)
    seat = SeatFactory(panel__round=hiring_round, status=SeatStatus.ACCEPTED)
    client.force_login(leader_a)

    assert _actions(client).attendance_to_mark == [seat.panel]

    services.seat_mark_attendance(seat=seat, attended=True, by=leader_a)

    assert _actions(client).attendance_to_mark == []


def test_an_open_round_without_a_panel_is_listed_and_drafts_and_rounds_with_panels_are_not(
    client, leader_a, office_a
):
    lonely = OpenRoundFactory(office=office_a, position_title="Erfaringskonsulent")
    panel_for(OpenRoundFactory(office=office_a))
    HiringRoundFactory(office=office_a, state=RoundState.DRAFT)
    client.force_login(leader_a)

    response = client.get(reverse("dashboard"), headers=EN)

    assert response.context["actions"].rounds_without_panel == [lonely]
    assert "Open rounds without a panel" in response.text


def test_nothing_to_do_is_said_plainly(client, leader_a, office_a):
    client.force_login(leader_a)

    response = client.get(reverse("dashboard"), headers=EN)

    assert "Nothing needs your action right now." in response.text
    assert "New hiring round" in response.text


def test_leader_sees_no_other_offices_items(client, leader_a, leader_b, office_a, office_b):
    _one_of_each(office_b, leader_b, 1)
    client.force_login(leader_a)

    assert _actions(client).count == 0


def test_hr_sees_the_same_items_read_only(client, hr, leader_a, office_a):
    _one_of_each(office_a, leader_a, 1)
    client.force_login(hr)

    response = client.get(reverse("dashboard"), headers=EN)

    actions = response.context["actions"]
    assert [len(actions.short_panels), len(actions.waiting_invitations)] == [1, 1]
    assert [len(actions.attendance_to_mark), len(actions.rounds_without_panel)] == [1, 1]
    assert reverse("round_create") not in response.text


def test_the_office_chosen_in_the_header_narrows_the_items(
    client, hr, leader_a, leader_b, office_a, office_b
):
    _one_of_each(office_a, leader_a, 1)
    _one_of_each(office_b, leader_b, 2)
    client.force_login(hr)
    session = client.session
    session["office_id"] = office_b.pk
    session.save()

    actions = _actions(client)

    assert {p.round.office for p in actions.short_panels} == {office_b}
    assert len(actions.rounds_without_panel) == 2


# One more than the lists: the failed emails of the offices the user leads.
DASHBOARD_QUERIES = 12


@pytest.mark.parametrize("number", [1, 3])
def test_dashboard_queries_do_not_grow_with_the_items(
    client, leader_a, office_a, django_assert_max_num_queries, number
):
    _one_of_each(office_a, leader_a, number)
    client.force_login(leader_a)
    # The first request of a session also saves it (the idle-timeout stamp): not the page's cost.
    client.get(reverse("dashboard"), headers=EN)

    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        actions = _actions(client)

    assert len(actions.short_panels) == number
    assert len(actions.waiting_invitations) == number
    assert len(actions.attendance_to_mark) == number
    assert len(actions.rounds_without_panel) == number


def test_dashboard_makes_the_same_queries_for_one_and_three_items(client, leader_a, office_a):
    client.force_login(leader_a)
    client.get(reverse("dashboard"), headers=EN)  # the session's first request also saves it
    counts = []
    for number in (1, 2):
        _one_of_each(office_a, leader_a, number)  # 1, then 3 of each
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("dashboard"), headers=EN)
        counts.append(len(queries))

    assert counts[0] == counts[1]


# --- failed emails -----------------------------------------------------------------------------


@pytest.fixture
def refusing_smtp(settings):
    """A real SMTP server (aiosmtpd) that refuses every recipient with a 550."""
    from aiosmtpd.controller import Controller

    from tests.outbox.conftest import free_port

    class Refuse:
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"

    controller = Controller(Refuse(), hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield controller
    controller.stop()


def test_an_invitation_refused_with_a_5xx_shows_on_its_office_leaders_dashboard_only(
    client, leader_a, leader_b, office_a, refusing_smtp
):
    from outbox.models import OutboxMessage, OutboxStatus
    from outbox.services import message_deliver

    panel = panel_for(OpenRoundFactory(office=office_a, position_title="Erfaringskonsulent"))
    kari = PoolRepresentativeFactory(offices=[office_a], name="Kari Nordmann")
    seat = services.seat_invite(panel=panel, representative=kari, by=leader_a)
    invitation = OutboxMessage.objects.get(key=f"invitation:seat:{seat.pk}:v1")

    assert message_deliver(message_id=invitation.pk) == OutboxStatus.FAILED

    client.force_login(leader_a)
    response = client.get(reverse("dashboard"), headers=EN)
    [failed] = response.context["actions"].failed_emails
    assert (failed.kind, failed.recipient, failed.panel_id) == (
        "Invitation",
        "Kari Nordmann",
        panel.pk,
    )
    assert "550 5.1.1 <[address]>: Recipient address rejected" in failed.error
    assert "Emails and SMS that could not be sent" in response.text
    assert "Recipient address rejected" in response.text
    assert reverse("panel_detail", args=[panel.pk]) in response.text
    assert kari.email not in response.text

    client.force_login(leader_b)
    assert _actions(client).failed_emails == []


def test_a_failed_staff_email_shows_the_address_masked(client, leader_a, office_a):
    from outbox.models import OutboxMessage, OutboxStatus

    hiring_round = OpenRoundFactory(office=office_a)
    panel = services.panel_create(
        hiring_round=hiring_round,
        interviews=[InterviewFactory(round=hiring_round)],
        staff=[{"name": "Tor Tillitsvalgt", "role": "", "email": "tor.tillitsvalgt@nav.no"}],
    )
    OutboxMessage.objects.filter(kind="staff_invitation").update(
        status=OutboxStatus.FAILED, last_error="SMTPRecipientsRefused: 550 User unknown"
    )
    client.force_login(leader_a)

    [failed] = _actions(client).failed_emails

    assert (failed.recipient, failed.panel_id) == ("t***@nav.no", panel.pk)
    assert failed.kind == "Calendar invitation (staff)"


def test_hr_does_not_get_the_failed_emails(client, hr, office_a):
    from tests.factories.outbox import OutboxMessageFactory

    OutboxMessageFactory(office=office_a, status="failed", last_error="550")
    client.force_login(hr)

    assert _actions(client).failed_emails == []


def test_a_cached_dashboard_drops_a_short_panel_as_soon_as_a_representative_accepts(
    client, leader_a, office_a
):
    panel = panel_for(OpenRoundFactory(office=office_a), seats_wanted=1)
    seat = services.seat_invite(
        panel=panel, representative=PoolRepresentativeFactory(offices=[office_a]), by=leader_a
    )
    client.force_login(leader_a)
    before = _actions(client).short_panels
    again = _actions(client).short_panels

    services.seat_transition(seat=seat, to=SeatStatus.ACCEPTED, actor="representative")

    assert [p.pk for p in before] == [p.pk for p in again] == [panel.pk]
    assert _actions(client).short_panels == []


def test_a_cached_dashboard_follows_the_clock(leader_a, office_a):
    # Nothing is written between the reads: only time passes. An invitation reaches half its
    # time to answer, a panel with an accepted seat ends, a short panel starts.
    from interviews.models import Office
    from panels.dashboard import dashboard_actions

    offices = Office.objects.filter(pk=office_a.pk)
    hiring_round = OpenRoundFactory(office=office_a)
    short = panel_for(hiring_round, days=2, seats_wanted=3)
    invited = _invited_long_ago(
        panel=short,
        representative=PoolRepresentativeFactory(offices=[office_a]),
        by=leader_a,
        days_ago=1,
        answer_in_days=3,
    )
    accepted = SeatFactory(panel__round=hiring_round, status=SeatStatus.ACCEPTED)
    now = timezone.now()
    accepted.panel.starts_at, accepted.panel.ends_at = now, now + timedelta(hours=2)
    accepted.panel.save(update_fields=["starts_at", "ends_at"])

    def read(moment):
        actions = dashboard_actions(offices=offices, now=moment)
        return (
            [p.pk for p in actions.short_panels],
            [s.pk for s in actions.waiting_invitations],
            [p.pk for p in actions.attendance_to_mark],
        )

    assert read(now) == ([short.pk], [], [])
    assert read(now + timedelta(hours=1)) == ([short.pk], [], [])
    assert read(now + timedelta(hours=3)) == ([short.pk], [], [accepted.panel.pk])
    assert read(now + timedelta(days=1, hours=1)) == ([short.pk], [invited.pk], [accepted.panel.pk])
    assert read(now + timedelta(days=3)) == ([], [invited.pk], [accepted.panel.pk])


def test_a_cached_dashboard_moves_a_round_from_drafts_to_open_as_soon_as_it_opens(
    client, leader_a, office_a
):
    from interviews.services import round_transition

    draft = HiringRoundFactory(office=office_a, state=RoundState.DRAFT)
    client.force_login(leader_a)

    def rounds() -> tuple[list[int], list[int]]:
        context = client.get(reverse("dashboard"), headers=EN).context
        return [r.pk for r in context["open_rounds"]], [r.pk for r in context["draft_rounds"]]

    before, again = rounds(), rounds()
    round_transition(hiring_round=draft, to=RoundState.OPEN, by=leader_a)

    assert before == again == ([], [draft.pk])
    assert rounds() == ([draft.pk], [])
