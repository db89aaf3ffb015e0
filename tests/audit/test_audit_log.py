"""The audit log: a row for every sensitive read and write, append-only, purged after retention,
and never holding a person's name or email."""

import io
import json
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from audit.enums import ActorKind, AuditAction
from audit.models import AuditEvent
from audit.services import audit_events_purge, audit_record
from panels import links, services, texts
from panels.enums import SeatStatus
from panels.pool import consent
from panels.pool.services import representative_create
from panels.public import answers
from tests.factories import BackgroundFactory
from tests.factories.links import ConsentTextFactory, invited_seat
from tests.factories.panels import PoolRepresentativeFactory

pytestmark = pytest.mark.django_db

NAME = "Kari Nordmann"
EMAIL = "kari.nordmann@example.no"


def events(action: AuditAction) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


@pytest.fixture
def kari(office_a):
    return PoolRepresentativeFactory(
        offices=[office_a], name=NAME, email=EMAIL, backgrounds=[BackgroundFactory(slug="aap")]
    )


# Rows for each action -----------------------------------------------------------------------------


def test_viewing_a_representative_is_recorded_with_who_and_from_where(client, leader_a, kari):
    client.force_login(leader_a)

    client.get(reverse("representative_detail", args=[kari.pk]), REMOTE_ADDR="10.1.2.3")

    [event] = events(AuditAction.REPRESENTATIVE_VIEWED)
    assert (event.actor, event.actor_kind, event.remote_addr) == (
        leader_a,
        ActorKind.STAFF,
        "10.1.2.3",
    )
    assert (event.object_type, event.object_id, event.office_id) == (
        "representative",
        kari.pk,
        kari.offices.get().pk,
    )


def test_the_pool_list_records_which_representatives_were_shown(client, leader_a, kari):
    client.force_login(leader_a)

    client.get(reverse("representative_list"))

    [event] = events(AuditAction.REPRESENTATIVE_VIEWED)
    assert event.detail["representative_ids"] == [kari.pk]


def test_exporting_the_pool_is_recorded(client, leader_a, office_a, kari):
    client.force_login(leader_a)

    client.get(reverse("representative_export"))

    [event] = events(AuditAction.POOL_EXPORTED)
    assert (event.actor, event.office_id, event.detail["office_ids"]) == (
        leader_a,
        office_a.pk,
        [office_a.pk],
    )


def test_importing_representatives_is_recorded_with_a_count(client, leader_a, office_a):
    ConsentTextFactory()
    client.force_login(leader_a)
    csv_file = io.BytesIO(b"name;email\nOla Olsen;ola@example.no\nEva Li;eva@example.no\n")
    csv_file.name = "pool.csv"

    client.post(
        reverse("representative_import"), {"office": office_a.pk, "file": csv_file}, follow=True
    )

    [event] = events(AuditAction.POOL_IMPORTED)
    assert (event.office_id, event.detail["count"]) == (office_a.pk, 2)


def test_adding_and_changing_a_representative_is_recorded(client, leader_a, office_a):
    ConsentTextFactory()
    client.force_login(leader_a)
    form = {"name": NAME, "email": EMAIL, "offices": [office_a.pk], "language": "nb"}

    client.post(reverse("representative_create"), form)
    [created] = events(AuditAction.REPRESENTATIVE_CREATED)
    client.post(
        reverse("representative_edit", args=[created.object_id]), {**form, "phone": "99999999"}
    )

    [changed] = events(AuditAction.REPRESENTATIVE_CHANGED)
    assert (created.actor, created.office_id) == (leader_a, office_a.pk)
    assert (changed.actor, changed.object_id, changed.detail["fields"]) == (
        leader_a,
        created.object_id,
        ["phone"],
    )


def test_every_seat_change_is_recorded_by_whoever_made_it(office_a, leader_a):
    seat = invited_seat(office=office_a, signed=True)

    services.seat_cancel(seat=seat, by=leader_a)

    invited, cancelled = events(AuditAction.SEAT_CHANGED)
    assert (invited.actor_kind, invited.detail["to_status"]) == (ActorKind.STAFF, "invited")
    assert (cancelled.actor, cancelled.detail["from_status"], cancelled.detail["to_status"]) == (
        leader_a,
        SeatStatus.INVITED,
        SeatStatus.CANCELLED,
    )
    assert cancelled.office_id == office_a.pk


def test_a_representative_accepting_is_recorded_as_the_representative(office_a):
    seat = invited_seat(office=office_a)

    answers.invitation_accept(
        seat=seat, declaration=texts.confidentiality_text_current(), sign_declaration=True
    )

    accepted = events(AuditAction.SEAT_CHANGED)[-1]
    [signed] = events(AuditAction.CONFIDENTIALITY_SIGNED)
    assert (accepted.actor_kind, accepted.detail["to_status"]) == (
        ActorKind.REPRESENTATIVE,
        "accepted",
    )
    assert (signed.object_id, signed.office_id) == (seat.representative_id, office_a.pk)


def test_consent_given_is_recorded_once(office_a):
    text = ConsentTextFactory()
    representative = representative_create(offices=[office_a], by=None, name=NAME, email=EMAIL)

    consent.consent_give(representative=representative, text=text, backgrounds=[])
    consent.consent_give(representative=representative, text=text, backgrounds=[])

    [given] = events(AuditAction.CONSENT_GIVEN)
    assert (given.object_id, given.detail["text_version"]) == (representative.pk, 1)


def test_a_service_without_a_request_records_the_user_it_was_given(leader_a):
    event = audit_record(action=AuditAction.ROSTER_EXPORTED, actor=leader_a, rows=3)

    assert (event.actor, event.actor_kind, event.detail) == (leader_a, ActorKind.STAFF, {"rows": 3})


def test_no_request_and_no_user_is_the_system():
    event = audit_record(action=AuditAction.CANDIDATES_ERASED, count=2)

    assert (event.actor, event.actor_kind) == (None, ActorKind.SYSTEM)


# Append-only on PostgreSQL ------------------------------------------------------------------------


@pytest.fixture
def event():
    return audit_record(action=AuditAction.POOL_EXPORTED, office_ids=[1])


def _refused(statement) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        statement()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_orm_cannot_change_or_delete_an_audit_row(event):
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(action="roster_viewed"))
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())
    event.detail = {"changed": True}
    _refused(event.save)

    assert AuditEvent.objects.get(pk=event.pk).detail == {"office_ids": [1]}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_raw_sql_cannot_change_or_delete_an_audit_row(event):
    def update() -> None:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET detail = '{}' WHERE id = %s", [event.pk])

    def delete() -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])

    _refused(update)
    _refused(delete)

    assert AuditEvent.objects.filter(pk=event.pk).exists()


# Retention ----------------------------------------------------------------------------------------


def test_the_purge_deletes_only_rows_past_retention():
    now = timezone.now()
    old = AuditEvent.objects.create(
        action=AuditAction.POOL_EXPORTED, actor_kind=ActorKind.SYSTEM, at=now - timedelta(days=1827)
    )
    recent = AuditEvent.objects.create(
        action=AuditAction.POOL_EXPORTED, actor_kind=ActorKind.SYSTEM, at=now - timedelta(days=1825)
    )

    deleted = audit_events_purge(before=now - timedelta(days=1826))

    assert deleted == 1
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not AuditEvent.objects.filter(pk=old.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_purge_cannot_delete_a_row_younger_than_retention_whatever_it_is_told():
    now = timezone.now()
    old = AuditEvent.objects.create(
        action=AuditAction.POOL_EXPORTED, actor_kind=ActorKind.SYSTEM, at=now - timedelta(days=1827)
    )
    young = [
        AuditEvent.objects.create(
            action=AuditAction.POOL_EXPORTED,
            actor_kind=ActorKind.SYSTEM,
            at=now - timedelta(days=d),
        )
        for d in (0, 365, 1825)
    ]

    deleted = audit_events_purge(before=now + timedelta(days=1))

    assert deleted == 1
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk__in=[e.pk for e in young]).count() == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_old_session_switch_no_longer_lets_a_young_row_be_deleted(event):
    def delete_with_switch() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL navpanel.audit_purge = 'on'")
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])

    _refused(delete_with_switch)

    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_truncate_audit_auditevent_raises_and_the_log_keeps_its_rows(event):
    def truncate() -> None:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE audit_auditevent")

    def truncate_cascade() -> None:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE audit_auditevent, accounts_user RESTART IDENTITY CASCADE")

    _refused(truncate)
    _refused(truncate_cascade)

    assert AuditEvent.objects.filter(pk=event.pk).exists()


# No personal data ---------------------------------------------------------------------------------


def test_no_audit_row_holds_a_name_or_an_email(client, leader_a, office_a, kari):
    seat = invited_seat(office=office_a, representative=kari, signed=True)
    client.force_login(leader_a)
    client.get(reverse("representative_list"))
    client.get(reverse("representative_detail", args=[kari.pk]))
    client.get(reverse("representative_export"))
    services.seat_decline(seat=seat, reason=f"{NAME} er syk, skriv til {EMAIL}")
    client.post(
        reverse("representative_edit", args=[kari.pk]),
        {"name": "Kari N.", "email": EMAIL, "offices": [office_a.pk], "language": "nb"},
    )

    stored = json.dumps(list(AuditEvent.objects.values()), default=str).lower()

    assert AuditEvent.objects.count() >= 6
    for secret in (NAME, "Kari N.", EMAIL, "syk"):
        assert secret.lower() not in stored


@pytest.mark.parametrize(
    ("address", "kept"),
    [("203.0.113.77", "203.0.113.0/24"), ("2001:db8:1234:5678::9", "2001:db8:1234::/48")],
)
def test_a_representatives_answer_keeps_only_the_network_it_came_from(
    client, office_a, address, kept
):
    seat = invited_seat(office=office_a)
    token = links.seat_token(seat.pk)

    client.post(
        reverse("seat_link_decline", args=[token]), {"reason": "Passer ikke"}, REMOTE_ADDR=address
    )

    declined = events(AuditAction.SEAT_CHANGED)[-1]
    assert (declined.actor_kind, declined.detail["to_status"], declined.remote_addr) == (
        ActorKind.REPRESENTATIVE,
        SeatStatus.DECLINED,
        kept,
    )


@pytest.mark.parametrize(
    ("address", "network", "prefix"),
    [("198.51.100.23", "198.51.100.0/24", 24), ("2001:db8:abcd:12::7", "2001:db8:abcd::/48", 48)],
)
def test_saying_no_thanks_to_the_consent_request_stores_only_the_network_with_its_prefix(
    client, office_a, address, network, prefix
):
    """README, "Retention": of a representative's own actions only the network is kept. Saying
    no thanks erases the person, which the erasure records as the system in the same request;
    that row too must not hold the address, and PostgreSQL must hold a network (``masklen``),
    not a host address ending in 0 (a /32)."""
    ConsentTextFactory()
    person = representative_create(offices=[office_a], by=None, name=NAME, email=EMAIL)
    token = links.representative_token(person.pk)

    client.post(reverse("consent_link_decline", args=[token]), REMOTE_ADDR=address)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT action, host(remote_addr), masklen(remote_addr) FROM audit_auditevent"
            " WHERE remote_addr IS NOT NULL ORDER BY id"
        )
        rows = cursor.fetchall()
    assert AuditAction.REPRESENTATIVE_ERASED in [action for action, _, _ in rows]
    assert {(host, length) for _, host, length in rows} == {(network.split("/")[0], prefix)}
    assert {event.remote_addr for event in AuditEvent.objects.exclude(remote_addr=None)} == {
        network
    }
