"""Erasure reaches everywhere (issue 15, point 4), whoever starts it.

A representative is invited (the invitation waits in the outbox), has sat on a panel, was
changed in the admin, is in an Excel roster the real worker built into storage, and is in
pages cached in Redis (the leader's panel page, HR's roster). Then they are erased — by the
erasure service, by the admin's Delete, or by the admin's bulk "Delete selected" — and every
table (the admin log included), every stored file and every Redis key is searched for their
name and address.
"""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.enums import AuditAction
from audit.models import AuditEvent
from outbox.models import Channel, OutboxMessage
from panels import services
from panels.enums import Contact, SeatStatus
from panels.erasure import representative_erase
from panels.models import Representative, ShortLink
from rosters.models import ExportJob, ExportStatus
from rosters.services import export_job_build
from tests.factories.panels import (
    OpenRoundFactory,
    PanelRowFactory,
    PoolRepresentativeFactory,
    SeatFactory,
    panel_for,
)
from tests.stored import every_redis_value, every_stored_file_text, every_stored_text

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

NAME = "Gunnhild Glemmeboka"
EMAIL = "gunnhild.glemmeboka@example.no"
# She chose email and SMS (issue 19): her SMS rows and their short links are erased as well.
PHONE = "+4791234567"


def _wait_for(predicate, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "the worker did not finish in time"
        time.sleep(0.3)


@pytest.fixture
def administrator(db) -> User:
    return User.objects.create_superuser(
        email="admin@navpanel.no", password="a-long-admin-password-1", name="Ada Admin"
    )


@pytest.fixture
def everywhere(celery_worker, office_a, leader_a, hr, administrator, settings) -> Representative:
    """The person, present in every place the issue names, checked to be there."""
    person = PoolRepresentativeFactory(
        name=NAME, email=EMAIL, phone=PHONE, contact=Contact.BOTH, offices=[office_a]
    )
    hiring_round = OpenRoundFactory(office=office_a)
    panel = panel_for(hiring_round)
    services.seat_invite(panel=panel, representative=person, by=leader_a)
    assert OutboxMessage.objects.filter(channel=Channel.SMS, to=PHONE).exists()
    assert ShortLink.objects.filter(representative=person).exists()
    SeatFactory(
        panel=PanelRowFactory(round=hiring_round), representative=person, status=SeatStatus.ATTENDED
    )
    LogEntry.objects.log_actions(
        user_id=administrator.pk,
        queryset=[person],
        action_flag=CHANGE,
        change_message=f'[{{"changed": {{"fields": ["Name"]}}}}] {NAME}',
    )
    leader = Client()
    leader.force_login(leader_a)
    assert leader.get(reverse("panel_detail", args=[panel.pk])).status_code == 200
    hr_client = Client()
    hr_client.force_login(hr)
    roster = hr_client.get(reverse("roster"), {"date_from": "2020-01-01"})
    assert NAME in roster.text
    settings.ROSTER_EXPORT_SYNC_MAX_ROWS = 1
    hr_client.get(reverse("roster_export_xlsx"), {"date_from": "2020-01-01"})
    job = ExportJob.objects.get()
    _wait_for(lambda: ExportJob.objects.get(pk=job.pk).status == ExportStatus.DONE)

    assert NAME.lower() in every_stored_text() and EMAIL in every_stored_text()
    assert PHONE in every_stored_text()
    assert LogEntry.objects.filter(object_repr=NAME).exists()
    assert NAME.lower() in every_stored_file_text()
    assert NAME.lower().encode() in every_redis_value(settings.CACHES["default"]["LOCATION"])
    return person


def _erase_by_service(person: Representative, administrator: User) -> None:
    representative_erase(representative=person, reason="request")


def _erase_by_admin_delete(person: Representative, administrator: User) -> None:
    browser = Client()
    browser.force_login(administrator)
    response = browser.post(
        reverse("admin:panels_representative_delete", args=[person.pk]), {"post": "yes"}
    )
    assert response.status_code == 302


def _erase_by_admin_bulk_delete(person: Representative, administrator: User) -> None:
    browser = Client()
    browser.force_login(administrator)
    other = PoolRepresentativeFactory(name="Bjarne Bulk", email="bjarne.bulk@example.no")
    response = browser.post(
        reverse("admin:panels_representative_changelist"),
        {"action": "delete_selected", "_selected_action": [person.pk, other.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Representative.objects.filter(pk=other.pk).exists()
    assert "bjarne" not in every_stored_text()


@pytest.mark.parametrize(
    "erase", [_erase_by_service, _erase_by_admin_delete, _erase_by_admin_bulk_delete]
)
def test_after_erasure_no_table_file_or_redis_key_holds_the_name_or_the_address(
    everywhere, administrator, erase
):
    erase(everywhere, administrator)
    time.sleep(0.5)  # the worker's email tasks of the erased rows, if any, come and go

    stored = every_stored_text()
    files = every_stored_file_text()
    cached = every_redis_value(settings.CACHES["default"]["LOCATION"])
    assert NAME.lower() not in stored and EMAIL not in stored and PHONE not in stored
    assert not ShortLink.objects.exists()
    assert NAME.lower() not in files and EMAIL not in files
    assert NAME.lower().encode() not in cached and EMAIL.encode() not in cached
    assert not Representative.objects.filter(pk=everywhere.pk).exists()
    assert ExportJob.objects.get().status == ExportStatus.FAILED
    erased = AuditEvent.objects.get(
        action=AuditAction.REPRESENTATIVE_ERASED, object_id=everywhere.pk
    )
    if erase is not _erase_by_service:
        assert erased.actor_id == administrator.pk


def test_an_export_queued_before_the_erasure_is_never_built(office_a, hr):
    person = PoolRepresentativeFactory(name=NAME, email=EMAIL, offices=[office_a])
    SeatFactory(panel__round__office=office_a, representative=person, status=SeatStatus.ATTENDED)
    job = ExportJob.objects.create(
        requested_by=hr,
        filters={"date_from": "2020-01-01"},
        expires_at=timezone.now() + timedelta(hours=24),
    )

    representative_erase(representative=person, reason="request")
    export_job_build(job=job)

    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert not job.file
