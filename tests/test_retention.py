"""Retention: candidates' names, representatives who do not renew consent, and old audit events
are erased by ``manage.py retention`` (and the nightly task); ``--dry-run`` only lists them."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.enums import ActorKind, AuditAction
from audit.models import AuditEvent
from audit.services import audit_record
from interviews.enums import RoundState
from interviews.models import Candidate
from outbox.models import OutboxMessage, OutboxStatus
from outbox.services import message_queue
from panels import links, services
from panels.emails import representative_deletion_requested
from panels.enums import SeatStatus
from panels.models import (
    ConflictOfInterest,
    ConsentGiven,
    Feedback,
    FeedbackRole,
    Representative,
    Seat,
    StaffInterviewer,
)
from panels.retention import representatives_inactive, representatives_not_answering
from panels.texts import consent_text_current
from reports.models import TravelClaim
from tests.factories import BackgroundFactory, HiringRoundFactory
from tests.factories.links import ConsentTextFactory
from tests.factories.panels import CandidateFactory, PoolRepresentativeFactory
from tests.factories.pool import PanelFactory
from tests.stored import every_stored_text

pytestmark = pytest.mark.django_db

NAME = "Gunnhild Glemt"
EMAIL = "gunnhild.glemt@example.no"
DAY = timedelta(days=1)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("retention", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def closed_long_ago(office_a):
    hiring_round = HiringRoundFactory(
        office=office_a, state=RoundState.CLOSED, closed_at=timezone.now() - 200 * DAY
    )
    return CandidateFactory(round=hiring_round, name="Sara Søker", reference="REF-17")


@pytest.fixture
def closed_recently(office_a):
    hiring_round = HiringRoundFactory(
        office=office_a, state=RoundState.CLOSED, closed_at=timezone.now() - 100 * DAY
    )
    return CandidateFactory(round=hiring_round, name="Siv Søker")


def _inactive_representative(
    office, *, name: str, email: str, asked_days_ago: int | None, delivered: bool = True
):
    """In the pool for three years, last consent and seat 30 months ago; asked to renew
    (the request delivered ``asked_days_ago``, or still waiting in the outbox)."""
    now = timezone.now()
    text = ConsentTextFactory()
    representative = PoolRepresentativeFactory(
        offices=[office], name=name, email=email, backgrounds=[BackgroundFactory(slug="aap")]
    )
    Representative.objects.filter(pk=representative.pk).update(created_at=now - 1100 * DAY)
    ConsentGiven.objects.create(
        representative=representative, text=text, given_at=now - 900 * DAY, via="consent_link"
    )
    panel = PanelFactory(round__office=office, starts_at=now - 900 * DAY)
    Seat.objects.create(
        panel=panel,
        representative=representative,
        status=SeatStatus.DECLINED,
        starts_at=panel.starts_at,
        ends_at=panel.ends_at,
        decline_reason=f"{name} er bortreist",
    )
    message_queue(
        key=f"invitation:old:{representative.pk}",
        kind="invitation",
        to=email,
        subject=f"Invitasjon til {name}",
        body_text=f"Hei {name}, du er invitert.",
        body_html=f"<p>Hei {name}</p>",
        office=office,
        representative_id=representative.pk,
    )
    if asked_days_ago is not None:
        message = message_queue(
            key=f"consent-renewal:{representative.pk}:1",
            kind="consent_renewal",
            about=("representative", representative.pk),
            to=email,
            subject="Vil du fortsatt være med?",
            body_text=f"Hei {name}, vil du fornye samtykket?",
            office=office,
            representative_id=representative.pk,
        )
        asked_at = now - asked_days_ago * DAY
        OutboxMessage.objects.filter(pk=message.pk).update(
            created_at=asked_at,
            **({"status": OutboxStatus.SENT, "sent_at": asked_at} if delivered else {}),
        )
    return representative


@pytest.fixture
def silent(office_a):
    return _inactive_representative(office_a, name=NAME, email=EMAIL, asked_days_ago=31)


@pytest.fixture
def asked_lately(office_a):
    return _inactive_representative(
        office_a, name="Per Purret", email="per@example.no", asked_days_ago=10
    )


@pytest.fixture
def old_event():
    return AuditEvent.objects.create(
        action=AuditAction.POOL_EXPORTED,
        actor_kind=ActorKind.SYSTEM,
        at=timezone.now() - 1900 * DAY,
    )


def test_dry_run_lists_what_is_due_and_changes_nothing(
    closed_long_ago, closed_recently, silent, talked_about, asked_lately, old_event
):
    everything = _every_table_row()
    before = (
        list(Candidate.objects.order_by("pk").values()),
        list(Representative.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
        list(OutboxMessage.objects.order_by("pk").values()),
    )

    output = run("--dry-run")

    assert f"candidate ids: {closed_long_ago.pk})" in output
    assert f"representatives would erase: 1 (ids: {silent.pk})" in output
    assert "audit events past retention: 1" in output
    assert NAME not in output and "Sara Søker" not in output
    assert _every_table_row() == everything
    assert before == (
        list(Candidate.objects.order_by("pk").values()),
        list(Representative.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
        list(OutboxMessage.objects.order_by("pk").values()),
    )


def test_a_candidate_name_is_erased_six_months_after_the_round_closed(
    closed_long_ago, closed_recently, silent
):
    ConflictOfInterest.objects.create(representative=silent, candidate=closed_long_ago)

    run()

    closed_long_ago.refresh_from_db()
    closed_recently.refresh_from_db()
    assert (closed_long_ago.name, closed_long_ago.reference) == ("", "")
    assert closed_recently.name == "Siv Søker"
    assert not ConflictOfInterest.objects.filter(candidate=closed_long_ago).exists()
    [event] = AuditEvent.objects.filter(action=AuditAction.CANDIDATES_ERASED)
    assert (event.detail["count"], event.office_id) == (1, closed_long_ago.round.office_id)


def test_a_representative_who_did_not_answer_in_30_days_is_erased(silent, asked_lately):
    output = run()

    assert f"representatives erased: 1 (ids: {silent.pk})" in output
    assert not Representative.objects.filter(pk=silent.pk).exists()
    assert Representative.objects.filter(pk=asked_lately.pk).exists()
    assert Seat.objects.filter(representative__isnull=True).count() == 1


def test_a_representative_whose_renewal_request_was_never_delivered_is_kept(office_a):
    never_asked = _inactive_representative(
        office_a, name="Ola Uvarslet", email="ola@example.no", asked_days_ago=31, delivered=False
    )

    output = run()

    assert "representatives erased: 0" in output
    assert Representative.objects.filter(pk=never_asked.pk).exists()


def test_an_inactive_representative_who_renewed_consent_is_kept(silent):
    ConsentGiven.objects.create(
        representative=silent,
        text=ConsentTextFactory(version=2),
        given_at=timezone.now() - 5 * DAY,
        via="consent_link",
    )

    run()

    assert Representative.objects.filter(pk=silent.pk).exists()


@pytest.mark.usefixtures("chose_english")
def test_an_inactive_representative_who_gives_consent_again_by_the_link_is_kept(client, silent):
    link = reverse("consent_link", args=[links.representative_token(silent.pk)])
    assert representatives_not_answering(now=timezone.now()).filter(pk=silent.pk).exists()
    page = client.get(link, headers={"accept-language": "en"})

    client.post(link, {"consent_text": consent_text_current().pk, "agree": "on"})
    output = run()

    assert "Give your consent again" in page.text
    assert "representatives erased: 0" in output
    assert Representative.objects.filter(pk=silent.pk).exists()
    assert not representatives_inactive(now=timezone.now()).filter(pk=silent.pk).exists()
    assert [c.text.version for c in ConsentGiven.objects.filter(representative=silent)] == [1, 1]


def test_a_representative_with_a_recent_seat_is_not_inactive(office_a, silent):
    panel = PanelFactory(round__office=office_a, starts_at=timezone.now() - 60 * DAY)
    Seat.objects.create(
        panel=panel,
        representative=silent,
        status=SeatStatus.ATTENDED,
        starts_at=panel.starts_at,
        ends_at=panel.ends_at,
    )

    run()

    assert Representative.objects.filter(pk=silent.pk).exists()


def test_old_audit_events_are_purged_and_recent_ones_kept(old_event):
    recent = audit_record(action=AuditAction.POOL_EXPORTED)

    run()

    assert list(
        AuditEvent.objects.exclude(action=AuditAction.CANDIDATES_ERASED).values_list(
            "pk", flat=True
        )
    ) == [recent.pk]


def test_running_twice_erases_nothing_the_second_time(closed_long_ago, silent):
    run()

    output = run()

    assert "candidates' names erased: 0" in output
    assert "representatives erased: 0" in output


def _every_table_row() -> dict[str, list[tuple]]:
    """Every row of every table of the database, each as text, sorted."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
        tables = sorted(table for (table,) in cursor.fetchall())
        rows = {}
        for table in tables:
            cursor.execute(f"SELECT t::text FROM {quote(table)} AS t")  # noqa: S608 - catalogue
            rows[table] = sorted(cursor.fetchall())
    return rows


@pytest.fixture
def talked_about(silent, office_a, leader_a, client):
    """Everything the system holds that was written by ``silent`` or about them, by the real
    code where it writes the audit log: a leader reads and edits them, they download their
    data, they sat on a panel, gave feedback, had a travel claim and support needs, declared
    a conflict, and their leaders were emailed about them."""
    Representative.objects.filter(pk=silent.pk).update(
        phone="+47 912 34 567",
        organisation=f"Forening for {NAME}",
        suggested_by=f"Veileder som kjenner {NAME}",
        support_needs=f"{NAME} trenger trinnfri adkomst; svar til {EMAIL}",
        note=f"{NAME} ringte fra {EMAIL}",
    )
    panel = PanelFactory(round__office=office_a, starts_at=timezone.now() - 800 * DAY)
    staff = StaffInterviewer.objects.create(panel=panel, name="Tora Tillitsvalgt", email="t@nav.no")
    seat = Seat.objects.create(
        panel=panel,
        representative=silent,
        status=SeatStatus.INVITED,
        starts_at=panel.starts_at,
        ends_at=panel.ends_at,
    )
    services.seat_transition(seat=seat, to=SeatStatus.ACCEPTED, actor="representative")
    services.seat_transition(
        seat=seat, to=SeatStatus.ATTENDED, by=leader_a, note=f"{NAME} kom tidlig"
    )
    Seat.objects.filter(pk=seat.pk).update(starts_at=panel.starts_at, ends_at=panel.ends_at)
    ratings = {"well_prepared": 4, "full_member": 5, "practical": 3, "again": 5}
    Feedback.objects.create(
        panel=panel,
        seat=seat,
        role=FeedbackRole.REPRESENTATIVE,
        comment=f"Hilsen {NAME}, {EMAIL}",
        **ratings,
    )
    Feedback.objects.create(
        panel=panel,
        staff_interviewer=staff,
        role=FeedbackRole.STAFF,
        comment=f"Godt samarbeid med {NAME.upper()} ({EMAIL}). Gjerne igjen.",
        **ratings,
    )
    TravelClaim.objects.create(
        seat=seat, amount=Decimal("250.00"), description=f"Buss for {NAME}", entered_by=leader_a
    )
    candidate = CandidateFactory(round=panel.round, name="Kari Kandidat")
    ConflictOfInterest.objects.create(representative=silent, candidate=candidate)
    representative_deletion_requested(representative=silent, office=office_a, seats=[seat])
    client.force_login(leader_a)
    client.get(reverse("representative_detail", args=[silent.pk]))
    Client().post(reverse("my_page", args=[links.my_page_token(silent.pk)]), {"action": "download"})
    assert Session.objects.exists()
    assert AuditEvent.objects.filter(object_id=silent.pk).count() >= 2
    return silent


def test_an_erased_representative_is_nowhere_in_the_database(talked_about):
    background_links = Representative.backgrounds.through.objects.filter(
        representative_id=talked_about.pk
    )
    assert background_links.exists()
    stored = every_stored_text()
    assert (NAME.lower() in stored, EMAIL.lower() in stored) == (True, True)

    run()

    stored = every_stored_text()
    assert NAME.lower() not in stored
    assert EMAIL.lower() not in stored
    assert "gunnhild" not in stored
    assert "912 34 567" not in stored
    assert not background_links.exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.REPRESENTATIVE_ERASED, object_id=talked_about.pk
    ).exists()


def test_erasure_keeps_the_anonymous_counts_and_blanks_their_free_text(talked_about):
    run()

    [seat] = Seat.objects.filter(status=SeatStatus.ATTENDED, representative__isnull=True)
    [claim] = TravelClaim.objects.filter(seat=seat)
    mine, staff = Feedback.objects.filter(panel=seat.panel).order_by("role")
    assert (claim.amount, claim.description) == (Decimal("250.00"), "")
    assert (mine.role, mine.comment, mine.again) == (FeedbackRole.REPRESENTATIVE, "", 5)
    assert staff.comment == "Godt samarbeid med [slettet] ([slettet]). Gjerne igjen."
    assert list(seat.transitions.values_list("note", flat=True)) == ["", ""]


def test_the_nightly_task_runs_the_same_retention(closed_long_ago, silent):
    from panels.tasks import retention_nightly

    counts = retention_nightly()

    assert counts == {"candidates": 1, "representatives": 1, "audit_events": 0}
    assert not Representative.objects.filter(pk=silent.pk).exists()
