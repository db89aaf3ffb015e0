"""The periodic jobs: who gets what, when, in Oslo time, and nothing twice."""

import base64
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from outbox.models import OutboxMessage, OutboxStatus
from panels import emails, jobs, links, texts
from panels.enums import Language, RepresentativeStatus, SeatStatus
from panels.models import (
    ConsentGiven,
    LinkVia,
    Representative,
    Seat,
    SeatTransition,
    StaffInterviewer,
)
from tests.factories.links import ConsentTextFactory, invited_seat
from tests.factories.panels import (
    OpenRoundFactory,
    PanelRowFactory,
    PoolRepresentativeFactory,
    SeatFactory,
)

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
ALL_JOBS = [
    jobs.reminders_send,
    jobs.answer_reminders_send,
    jobs.invitations_expire,
    jobs.attendance_reminders_send,
    jobs.feedback_requests_send,
    jobs.consent_renewals_send,
    jobs.unanswered_consents_erase,
]


def oslo(*args: int) -> datetime:
    return datetime(*args, tzinfo=OSLO)


def _accepted_seat(office, start: datetime, *, accepted_at: datetime, **representative) -> Seat:
    """An accepted seat on a panel of ``office`` from ``start`` (two hours), accepted then."""
    panel = PanelRowFactory(
        round=OpenRoundFactory(office=office, position_title="Erfaringskonsulent"),
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        location="Møterom Saltfjellet",
    )
    seat = SeatFactory(
        panel=panel,
        representative=PoolRepresentativeFactory(offices=[office], **representative),
    )
    transition = SeatTransition.objects.create(
        seat=seat, from_status=SeatStatus.INVITED, to_status=SeatStatus.ACCEPTED, actor="system"
    )
    SeatTransition.objects.filter(pk=transition.pk).update(at=accepted_at)
    return seat


def _event(message: OutboxMessage):
    [attachment] = message.attachments
    [event] = Calendar.from_ical(base64.b64decode(attachment["content"])).events
    return event


def _keys() -> set[str]:
    return set(OutboxMessage.objects.values_list("key", flat=True))


# --- reminders -------------------------------------------------------------------------------


def test_the_3_day_reminder_is_due_from_eight_on_the_local_date_three_days_before(office_a):
    seat = _accepted_seat(office_a, oslo(2026, 10, 26, 10), accepted_at=oslo(2026, 10, 1, 12))

    before_eight = jobs.reminders_send(now=oslo(2026, 10, 23, 7, 59))
    at_eight = jobs.reminders_send(now=oslo(2026, 10, 23, 8, 0))
    again = jobs.reminders_send(now=oslo(2026, 10, 23, 8, 15))
    next_day = jobs.reminders_send(now=oslo(2026, 10, 24, 12, 0))

    assert (before_eight, at_eight, again, next_day) == (0, 1, 0, 0)
    [reminder] = OutboxMessage.objects.filter(kind="reminder")
    assert reminder.key == f"reminder:seat:{seat.pk}:3d:2026-10-26"
    assert reminder.to == seat.representative.email
    assert reminder.representative_id == seat.representative_id
    assert reminder.from_header == "NAV Rana <navpanel@nav.no>"
    assert "/r/plass/" in reminder.body_text


@pytest.mark.parametrize(
    ("start", "sunday", "utc_hour"),
    [
        # Winter time begins on Sunday 25 October 2026: the Monday is at 09:00 UTC.
        (oslo(2026, 10, 26, 10), (2026, 10, 25), 9),
        # Summer time begins on Sunday 29 March 2026: the Monday is at 08:00 UTC.
        (oslo(2026, 3, 30, 10), (2026, 3, 29), 8),
    ],
)
def test_the_1_day_reminder_is_due_on_the_sunday_and_says_ten_o_clock_across_daylight_saving(
    office_a, start, sunday, utc_hour
):
    _accepted_seat(office_a, start, accepted_at=start - timedelta(days=30))
    jobs.reminders_send(now=start - timedelta(days=3))

    saturday_night = jobs.reminders_send(now=oslo(*sunday, 0, 30) - timedelta(hours=1))
    sunday_early = jobs.reminders_send(now=oslo(*sunday, 7, 59))
    sunday_morning = jobs.reminders_send(now=oslo(*sunday, 8, 0))

    assert (saturday_night, sunday_early, sunday_morning) == (0, 0, 1)
    reminder = OutboxMessage.objects.get(kind="reminder", key__contains=":1d:")
    assert "10:00" in reminder.subject and "10:00" in reminder.body_text
    assert "10:00" in reminder.body_html
    dtstart = _event(reminder)["dtstart"].dt
    assert (dtstart.astimezone(OSLO).hour, dtstart.astimezone(UTC).hour) == (10, utc_hour)
    assert dtstart == start


def test_no_3_day_reminder_when_the_seat_was_accepted_less_than_3_days_before(office_a):
    start = oslo(2026, 10, 26, 10)
    _accepted_seat(office_a, start, accepted_at=oslo(2026, 10, 24, 9))

    saturday = jobs.reminders_send(now=oslo(2026, 10, 24, 12))
    sunday = jobs.reminders_send(now=oslo(2026, 10, 25, 8))

    assert (saturday, sunday) == (0, 1)
    [reminder] = OutboxMessage.objects.filter(kind="reminder")
    assert ":1d:" in reminder.key


def test_no_reminder_at_all_when_the_seat_was_accepted_after_the_1_day_reminder_was_due(
    office_a,
):
    start = oslo(2026, 10, 26, 10)
    _accepted_seat(office_a, start, accepted_at=oslo(2026, 10, 25, 9))

    assert jobs.reminders_send(now=oslo(2026, 10, 25, 12)) == 0


def test_a_job_that_was_down_on_the_morning_still_sends_the_3_day_reminder_later(office_a):
    _accepted_seat(office_a, oslo(2026, 10, 26, 10), accepted_at=oslo(2026, 10, 1, 12))

    assert jobs.reminders_send(now=oslo(2026, 10, 24, 23, 0)) == 1
    assert OutboxMessage.objects.get(kind="reminder").key.endswith(":3d:2026-10-26")


def test_an_english_speaking_representative_gets_an_english_reminder(office_a):
    start = oslo(2026, 10, 26, 10)
    _accepted_seat(office_a, start, accepted_at=oslo(2026, 10, 1, 12), language=Language.EN)

    jobs.reminders_send(now=oslo(2026, 10, 25, 8))

    reminder = OutboxMessage.objects.get(kind="reminder")
    assert reminder.subject.startswith("Reminder: interview panel at NAV Rana tomorrow")
    assert "Monday" in reminder.body_text and "10:00" in reminder.body_text


def test_seats_not_accepted_and_cancelled_panels_get_no_reminder(office_a):
    start = oslo(2026, 10, 26, 10)
    declined = _accepted_seat(office_a, start, accepted_at=oslo(2026, 10, 1, 12))
    Seat.objects.filter(pk=declined.pk).update(status=SeatStatus.DECLINED)
    cancelled = _accepted_seat(office_a, start, accepted_at=oslo(2026, 10, 1, 12))
    cancelled.panel.status = "cancelled"
    cancelled.panel.save(update_fields=["status"])

    assert jobs.reminders_send(now=oslo(2026, 10, 25, 8)) == 0


# --- answer reminders and expiry -------------------------------------------------------------


def test_an_invited_representative_is_reminded_once_past_half_the_time_to_answer(office_a):
    seat = invited_seat(office=office_a)
    invited_at = seat.transitions.get(to_status=SeatStatus.INVITED).at
    halfway = invited_at + (seat.answer_by - invited_at) / 2

    early = jobs.answer_reminders_send(now=halfway - timedelta(minutes=1))
    due = jobs.answer_reminders_send(now=halfway + timedelta(minutes=1))
    again = jobs.answer_reminders_send(now=halfway + timedelta(hours=1))

    assert (early, due, again) == (0, 1, 0)
    reminder = OutboxMessage.objects.get(kind="answer_reminder")
    assert reminder.key == f"answer-reminder:seat:{seat.pk}"
    assert reminder.to == seat.representative.email
    assert "/r/plass/" in reminder.body_text


def test_an_unanswered_invitation_expires_the_leader_is_told_and_the_next_is_invited(
    office_a, leader_a, leader_b
):
    seat = invited_seat(office=office_a)
    spare = PoolRepresentativeFactory(offices=[office_a], name="Vara Reserve")
    # The next invitation is made at the real time, so the deadline is moved, not the clock.
    Seat.objects.filter(pk=seat.pk).update(answer_by=timezone.now() - timedelta(minutes=1))

    expired = jobs.invitations_expire(now=timezone.now())
    again = jobs.invitations_expire(now=timezone.now() + timedelta(minutes=15))

    assert (expired, again) == (1, 0)
    seat.refresh_from_db()
    assert seat.status == SeatStatus.EXPIRED
    assert seat.transitions.last().actor == "system"
    notice = OutboxMessage.objects.get(kind="expired_notice")
    assert notice.to == leader_a.email
    assert seat.representative.name in notice.body_text
    assert f"/paneler/{seat.panel_id}/" in notice.body_text
    assert notice.representative_id == seat.representative_id
    assert not OutboxMessage.objects.filter(to=leader_b.email).exists()
    next_seat = Seat.objects.get(panel=seat.panel, representative=spare)
    assert next_seat.status == SeatStatus.INVITED
    assert next_seat.transitions.get().actor == "system"
    assert OutboxMessage.objects.filter(kind="invitation", to=spare.email).count() == 1


def test_without_automatic_invitation_the_leader_is_told_and_nobody_is_invited(office_a, leader_a):
    seat = invited_seat(office=office_a)
    seat.panel.round.invite_next_automatically = False
    seat.panel.round.save(update_fields=["invite_next_automatically"])
    PoolRepresentativeFactory(offices=[office_a])

    assert jobs.invitations_expire(now=seat.answer_by + timedelta(minutes=1)) == 1

    assert seat.panel.seats.count() == 1
    assert OutboxMessage.objects.filter(kind="expired_notice", to=leader_a.email).count() == 1
    assert OutboxMessage.objects.filter(kind="invitation").count() == 1


def test_an_invitation_answered_before_its_deadline_does_not_expire(office_a, leader_a):
    seat = invited_seat(office=office_a)

    assert jobs.invitations_expire(now=seat.answer_by - timedelta(minutes=1)) == 0

    seat.refresh_from_db()
    assert seat.status == SeatStatus.INVITED


# --- the day after ---------------------------------------------------------------------------


def _past_day(office, start: datetime) -> Seat:
    seat = _accepted_seat(office, start, accepted_at=start - timedelta(days=10))
    StaffInterviewer.objects.create(
        panel=seat.panel, name="Tor Tillitsvalgt", role="Tillitsvalgt", email="tor@nav.no"
    )
    return seat


def test_the_leaders_are_reminded_to_mark_attendance_the_day_after(office_a, leader_a, leader_b):
    seat = _past_day(office_a, oslo(2026, 11, 10, 9))
    marked = _past_day(office_a, oslo(2026, 11, 10, 13))
    Seat.objects.filter(pk=marked.pk).update(status=SeatStatus.ATTENDED)

    same_day = jobs.attendance_reminders_send(now=oslo(2026, 11, 10, 20))
    early = jobs.attendance_reminders_send(now=oslo(2026, 11, 11, 7, 59))
    due = jobs.attendance_reminders_send(now=oslo(2026, 11, 11, 8))
    again = jobs.attendance_reminders_send(now=oslo(2026, 11, 12, 8))

    assert (same_day, early, due, again) == (0, 0, 1, 0)
    reminder = OutboxMessage.objects.get(kind="attendance_reminder")
    assert reminder.to == leader_a.email
    assert f"/paneler/{seat.panel_id}/" in reminder.body_text
    assert reminder.representative_id is None


def test_interview_days_long_past_are_not_reminded_of(office_a, leader_a):
    _past_day(office_a, oslo(2026, 10, 1, 9))

    assert jobs.attendance_reminders_send(now=oslo(2026, 11, 11, 8)) == 0
    assert jobs.feedback_requests_send(now=oslo(2026, 11, 11, 8)) == 0


def test_feedback_is_asked_of_those_who_sat_and_of_the_staff_the_day_after(office_a):
    seat = _past_day(office_a, oslo(2026, 11, 10, 9))
    attended = SeatFactory(panel=seat.panel, status=SeatStatus.ATTENDED)
    SeatFactory(panel=seat.panel, status=SeatStatus.NO_SHOW)
    SeatFactory(panel=seat.panel, status=SeatStatus.DECLINED)

    early = jobs.feedback_requests_send(now=oslo(2026, 11, 11, 7, 59))
    due = jobs.feedback_requests_send(now=oslo(2026, 11, 11, 8))
    again = jobs.feedback_requests_send(now=oslo(2026, 11, 11, 9))

    assert (early, due, again) == (0, 3, 0)
    requests = OutboxMessage.objects.filter(kind="feedback_request")
    assert {m.to for m in requests} == {seat.representative.email, attended.representative.email}
    assert all("/r/tilbakemelding/" in m.body_text for m in requests)
    staff = OutboxMessage.objects.get(kind="staff_feedback_request")
    assert staff.to == "tor@nav.no"
    assert "/r/tilbakemelding/intervjuer/" in staff.body_text


# --- consent ---------------------------------------------------------------------------------


def _consented(office_list, *, months_ago: int, now: datetime) -> Representative:
    person = PoolRepresentativeFactory(offices=office_list)
    ConsentGiven.objects.create(
        representative=person,
        text=ConsentTextFactory(),
        given_at=now - timedelta(days=months_ago * 31),
        via=LinkVia.CONSENT_LINK,
    )
    return person


def test_consent_older_than_the_strictest_office_requires_is_asked_again_once(office_a, office_b):
    office_b.consent_renewal_months = 12
    office_b.save(update_fields=["consent_renewal_months"])
    now = timezone.now()
    in_both = _consented([office_a, office_b], months_ago=13, now=now)
    _consented([office_a], months_ago=13, now=now)
    _consented([office_b], months_ago=11, now=now)

    first = jobs.consent_renewals_send(now=now)
    second = jobs.consent_renewals_send(now=now + timedelta(hours=1))

    assert (first, second) == (1, 0)
    renewal = OutboxMessage.objects.get(kind="consent_renewal")
    assert renewal.to == in_both.email
    assert renewal.key.startswith(f"consent-renewal:representative:{in_both.pk}:")
    assert renewal.representative_id == in_both.pk
    assert "/r/samtykke/" in renewal.body_text


def test_a_consent_of_24_months_is_renewed_by_default_and_a_withdrawn_one_is_not(office_a):
    now = timezone.now()
    old = _consented([office_a], months_ago=25, now=now)
    withdrawn = _consented([office_a], months_ago=25, now=now)
    ConsentGiven.objects.filter(representative=withdrawn).update(withdrawn_at=now)

    assert jobs.consent_renewals_send(now=now) == 1
    assert OutboxMessage.objects.get(kind="consent_renewal").to == old.email


def test_after_giving_consent_again_the_renewal_job_asks_nothing_more(client, office_a):
    now = timezone.now()
    person = _consented([office_a], months_ago=25, now=now)
    assert jobs.consent_renewals_send(now=now) == 1
    text = texts.consent_text_current()
    link = reverse("consent_link", args=[links.representative_token(person.pk)])

    renewed = client.post(link, {"consent_text": text.pk, "agree": "on"})
    again = client.post(link, {"consent_text": text.pk, "agree": "on"})
    later = [jobs.consent_renewals_send(now=now + timedelta(days=days)) for days in (0, 1, 300)]

    assert (renewed.status_code, again.status_code) == (302, 302)
    assert later == [0, 0, 0]
    assert OutboxMessage.objects.filter(kind="consent_renewal").count() == 1
    assert ConsentGiven.objects.filter(representative=person).count() == 2
    assert jobs.consent_renewals_send(now=now + timedelta(days=25 * 31)) == 1


def _consent_requested(person, *, delivered_days_ago: int | None) -> None:
    """The consent request the pool sent ``person``: delivered so many days ago, or not yet."""
    emails.consent_request(representative=person)
    if delivered_days_ago is not None:
        sent_at = timezone.now() - timedelta(days=delivered_days_ago)
        OutboxMessage.objects.filter(representative_id=person.pk).update(
            status=OutboxStatus.SENT, sent_at=sent_at
        )


def test_people_awaiting_consent_30_days_after_their_request_was_delivered_are_erased(office_a):
    now = timezone.now()
    silent, recent, undelivered = (
        PoolRepresentativeFactory(offices=[office_a], status=RepresentativeStatus.AWAITING_CONSENT)
        for _ in range(3)
    )
    active = PoolRepresentativeFactory(offices=[office_a])
    Representative.objects.update(created_at=now - timedelta(days=60))
    _consent_requested(silent, delivered_days_ago=31)
    _consent_requested(recent, delivered_days_ago=29)
    _consent_requested(undelivered, delivered_days_ago=None)

    first = jobs.unanswered_consents_erase(now=now)
    second = jobs.unanswered_consents_erase(now=now)

    assert (first, second) == (1, 0)
    assert set(Representative.objects.values_list("pk", flat=True)) == {
        recent.pk,
        undelivered.pk,
        active.pk,
    }


# --- all together ----------------------------------------------------------------------------


def test_running_every_job_twice_in_a_row_queues_nothing_new(office_a, leader_a):
    now = timezone.now()
    invited = invited_seat(office=office_a)
    Seat.objects.filter(pk=invited.pk).update(answer_by=now - timedelta(minutes=1))
    PoolRepresentativeFactory(offices=[office_a])
    _past_day(office_a, now - timedelta(days=2))
    _accepted_seat(office_a, now + timedelta(days=2), accepted_at=now - timedelta(days=10))
    _consented([office_a], months_ago=25, now=now)
    silent = PoolRepresentativeFactory(
        offices=[office_a], status=RepresentativeStatus.AWAITING_CONSENT
    )
    _consent_requested(silent, delivered_days_ago=31)
    before = _keys()

    first = [job(now=now) for job in ALL_JOBS]
    after_first = _keys()
    second = [job(now=now) for job in ALL_JOBS]

    assert all(first[2:]) and first[0] == 1
    assert after_first - before
    assert second == [0] * len(ALL_JOBS)
    assert _keys() == after_first
