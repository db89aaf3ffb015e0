"""/internal/metrics: what requests cost, and navpanel's own work as it stands in the database."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from outbox.models import OutboxMessage, OutboxStatus
from outbox.tasks import sweep
from panels.enums import SeatStatus
from rosters.models import ExportJob
from tests.factories.outbox import OutboxMessageFactory
from tests.factories.panels import SeatFactory

pytestmark = pytest.mark.django_db


def _scrape(client) -> str:
    response = client.get("/internal/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return response.content.decode()


def _value(text: str, sample: str) -> float:
    match = re.search(rf"^{re.escape(sample)} (\S+)$", text, re.MULTILINE)
    assert match, f"{sample} is not in the scrape"
    return float(match.group(1))


def test_outbox_gauges_count_by_status_the_oldest_unsent_and_the_failures_of_the_hour(client):
    now = timezone.now()
    for status in ["queued", "queued", "sending", "sent", "failed", "failed"]:
        OutboxMessageFactory(status=status)
    OutboxMessage.objects.filter(status="queued").update(created_at=now - timedelta(minutes=10))
    failed = OutboxMessage.objects.filter(status=OutboxStatus.FAILED)
    failed.filter(pk=failed.first().pk).update(claimed_at=now - timedelta(minutes=5))
    failed.exclude(pk=failed.first().pk).update(claimed_at=now - timedelta(hours=3))

    text = _scrape(client)

    assert _value(text, 'navpanel_outbox_messages{status="queued"}') == 2
    assert _value(text, 'navpanel_outbox_messages{status="sending"}') == 1
    assert _value(text, 'navpanel_outbox_messages{status="sent"}') == 1
    assert _value(text, 'navpanel_outbox_messages{status="failed"}') == 2
    assert 600 <= _value(text, "navpanel_outbox_oldest_unsent_age_seconds") < 660
    assert _value(text, "navpanel_outbox_failed_last_hour") == 1


def test_seats_awaiting_an_answer_and_export_jobs_are_counted(client, hr):
    SeatFactory(status=SeatStatus.INVITED)
    SeatFactory(status=SeatStatus.INVITED)
    SeatFactory(status=SeatStatus.ACCEPTED)
    ExportJob.objects.create(requested_by=hr, status="pending", expires_at=timezone.now())

    text = _scrape(client)

    assert _value(text, "navpanel_seats_awaiting_answer") == 2
    assert _value(text, 'navpanel_export_jobs{status="pending"}') == 1
    assert _value(text, 'navpanel_export_jobs{status="done"}') == 0


def test_a_periodic_job_that_ran_reports_when(client):
    before = timezone.now().timestamp()

    sweep.apply()

    text = _scrape(client)
    at = _value(text, 'navpanel_beat_job_last_success_timestamp_seconds{job="outbox.sweep"}')
    assert before <= at <= timezone.now().timestamp()


def test_requests_are_counted_by_view_name_never_by_a_path_with_a_token(client):
    client.get("/r/plass/NQ:1xa4EU:tampered/")
    client.get("/konto/login/")

    text = _scrape(client)

    assert (
        _value(text, 'navpanel_http_requests_total{method="GET",status="200",view="account_login"}')
        >= 1
    )
    assert 'view="seat_link"' in text
    assert "tampered" not in text
    assert 'navpanel_db_query_duration_seconds_count{vendor="postgresql"}' in text
    assert "navpanel_cache_round_trip_seconds " in text
