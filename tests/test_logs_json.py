"""Logs of a whole journey on the demo data: every line is JSON, and none names a person.

The leader signs in and invites a representative of the demo pool; the real Celery worker
sends the invitation; the representative opens the emailed link and accepts; HR signs in and
exports an Excel roster the worker builds, and downloads it. The web side logs through
``navpanel.logs.JsonFormatter`` as production does, the worker runs with ``LOG_FORMAT=json``
(tests/conftest.py), and every line of both is checked against every name, email address and
phone number of the demo's people.
"""

import io
import json
import logging
import re
import time
from collections.abc import Callable, Iterator

import pytest
from django.apps import apps
from django.core.management import call_command
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from navpanel.logs import JsonFormatter, RequestContextMiddleware

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "navpanel-demo-2026"  # the README's published demo password


def _wait_for(predicate: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "the worker did not finish in time"
        time.sleep(0.3)


@pytest.fixture
def web_log() -> Iterator[io.StringIO]:
    """The web side's log, formatted as in production, at production's level."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


def _personal_data() -> set[str]:
    """Every name, email address and phone number of the demo's people and candidates."""
    found: set[str] = set()
    for model, fields in (
        (apps.get_model("panels", "Representative"), ("name", "email", "phone")),
        (apps.get_model("accounts", "User"), ("name", "email")),
        (apps.get_model("interviews", "Candidate"), ("name",)),
    ):
        for row in model.objects.values_list(*fields):
            for value in filter(None, row):
                found.add(value)
                if value.replace(" ", "").lstrip("+").isdigit():
                    found.add(value.replace(" ", ""))
    return {value for value in found if len(value) >= 4}


def _sign_in(email: str) -> Client:
    browser = Client()
    response = browser.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, "the demo login did not sign in"
    return browser


def test_a_journeys_log_lines_are_json_with_ids_and_name_no_one(
    celery_worker, mail_dir, settings, web_log
):
    call_command("seed_demo")
    worker_log = mail_dir.parent / "worker.log"
    worker_start = worker_log.stat().st_size
    Seat = apps.get_model("panels", "Seat")
    Panel = apps.get_model("panels", "Panel")
    Representative = apps.get_model("panels", "Representative")
    panel = Panel.objects.filter(
        round__office__name="NAV Rana", round__state="open", starts_at__gt=timezone.now()
    ).first()
    seated = Seat.objects.filter(panel=panel).values_list("representative", flat=True)
    representative = (
        Representative.objects.filter(offices=panel.round.office, status="active")
        .exclude(pk__in=seated)
        .order_by("pk")
        .first()
    )

    leader = _sign_in("leder.rana@navpanel.no")
    invited = leader.post(
        reverse("panel_invite", args=[panel.pk]), {"representative": [representative.pk]}
    )
    seat = Seat.objects.get(panel=panel, representative=representative)
    _wait_for(lambda: any(representative.email in p.read_text() for p in mail_dir.iterdir()))
    email = next(p.read_text() for p in mail_dir.iterdir() if representative.email in p.read_text())
    link = re.search(r"https?://[^\s\"<>]+(/r/plass/[^/\s\"<>]+/)", email).group(1)
    phone = Client()
    opened = phone.get(link)
    texts = {
        "declaration": apps.get_model("panels", "ConfidentialityText").objects.latest("version"),
        "consent_text": apps.get_model("panels", "ConsentText").objects.latest("version"),
    }
    accepted = phone.post(
        link + "ja/",
        {
            "declaration": texts["declaration"].pk,
            "sign_declaration": "on",
            "consent_text": texts["consent_text"].pk,
            "agree_consent": "on",
            "support_needs": "",
        },
    )
    seat.refresh_from_db()
    settings.ROSTER_EXPORT_SYNC_MAX_ROWS = 1
    hr = _sign_in("hr@navpanel.no")
    exported = hr.get(reverse("roster_export_xlsx"), {"date_from": "2020-01-01"})
    job = apps.get_model("rosters", "ExportJob").objects.get()
    _wait_for(lambda: type(job).objects.get(pk=job.pk).status in ("done", "failed"))
    download = hr.get(reverse("roster_export_download", args=[job.pk]))
    time.sleep(1)  # the worker's last lines

    assert invited.status_code == 302 and opened.status_code == 200
    assert accepted.status_code == 302 and seat.status == "accepted"
    assert exported.status_code == 302 and download.status_code == 200
    web = [line for line in web_log.getvalue().splitlines() if line.strip()]
    worker = worker_log.read_text()[worker_start:].splitlines()
    worker = [line for line in worker if line.strip()]
    # Django logs no request that went well (gunicorn's access log does, tests/test_entrypoint.py).
    assert worker, "the worker logged its tasks"
    records = [json.loads(line) for line in web + worker]
    assert all({"level", "logger", "message", "timestamp"} <= r.keys() for r in records)
    assert any(r["logger"].startswith("celery") for r in records)
    assert all("request_id" in r and "trace_id" in r for r in records)
    assert any(r["request_id"] for r in records[len(web) :]), "a task's lines carry its id"
    personal = _personal_data()
    assert {representative.name, representative.email} <= personal
    leaks = sorted({value for value in personal for line in web + worker if value in line})
    assert leaks == []


def test_a_requests_lines_carry_its_request_id_and_the_traceparents_trace_id(web_log):
    trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    request = RequestFactory().get(
        "/", HTTP_X_REQUEST_ID="req-87654321", HTTP_TRACEPARENT=f"00-{trace}-00f067aa0ba902b7-01"
    )

    def view(request: HttpRequest) -> HttpResponse:
        logging.getLogger("navpanel.test").info("inside the request")
        return HttpResponse()

    response = RequestContextMiddleware(view)(request)

    [line] = [json.loads(x) for x in web_log.getvalue().splitlines() if "inside" in x]
    assert response["X-Request-Id"] == "req-87654321"
    assert (line["level"], line["logger"], line["request_id"], line["trace_id"]) == (
        "INFO",
        "navpanel.test",
        "req-87654321",
        trace,
    )


def test_a_request_without_an_id_gets_a_new_one_and_a_forged_one_is_replaced(client):
    plain = client.get("/konto/login/")
    forged = client.get("/konto/login/", headers={"X-Request-Id": "x\n{injected}"})

    assert re.fullmatch(r"[0-9a-f]{32}", plain["X-Request-Id"])
    assert re.fullmatch(r"[0-9a-f]{32}", forged["X-Request-Id"])
