"""Logs of a whole journey on the demo data: every line is JSON, and none names a person.

Through gunicorn (the image's ``web`` role, production settings, behind a stand-in for the
ingress) the leader signs in and invites a representative of the demo pool; the real Celery
worker sends the invitation; the representative opens the emailed link and accepts; HR signs in
and exports an Excel roster the worker builds, and downloads it. gunicorn's and Django's lines
and the worker's (``LOG_FORMAT=json``, tests/conftest.py) are all read back, and every line is
checked against every name, email address and phone number of the demo's people.
"""

import http.client
import io
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.management import call_command
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from navpanel.logs import JsonFormatter, RequestContextMiddleware
from tests.factories.links import ConfidentialityTextFactory, ConsentTextFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
STAFF_HOST = "navpanel.intern.nav.no"
PUBLIC_HOST = "navpanel.nav.no"
DEMO_PASSWORD = "navpanel-demo-2026"
ARGON2 = Argon2PasswordHasher()  # the README's published demo password


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


def _is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


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


class Browser:
    """A person's browser talking to gunicorn through the ingress: https as the proxy says,
    the person's address in X-Forwarded-For, cookies and the CSRF token kept by hand (the
    cookies are Secure, and this connection is the proxy's plain http)."""

    def __init__(self, port: int, host: str, address: str) -> None:
        self.port, self.host, self.address = port, host, address
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        headers = {
            "Host": self.host,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "Referer": f"https://{self.host}/",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie = SimpleCookie(value)
                for key, morsel in cookie.items():
                    self.cookies[key] = morsel.value
        connection.close()
        return response.status, response.getheader("Location", ""), text

    def get(self, path: str) -> tuple[int, str, str]:
        return self.request("GET", path)

    def post(self, path: str, form: dict) -> tuple[int, str, str]:
        if "csrftoken" not in self.cookies:
            self.get(path if path.startswith("/konto/") else "/konto/login/")
        return self.request("POST", path, form)


def _sign_in(port: int, email: str, address: str) -> Browser:
    browser = Browser(port, STAFF_HOST, address)
    browser.get("/konto/login/")
    status, _location, _text = browser.post(
        "/konto/login/", {"login": email, "password": DEMO_PASSWORD}
    )
    assert status == 302, "the demo login did not sign in"
    return browser


@pytest.fixture
def gunicorn(tmp_path, settings) -> Iterator[tuple[int, Path]]:
    """navpanel's web role with production settings and JSON logs, on the test database."""
    db = settings.DATABASES["default"]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "HOME")}
    env = {
        **keep,
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": f"{STAFF_HOST},{PUBLIC_HOST}",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.CELERY_BROKER_URL,
        "NAVPANEL_VAR_DIR": str(tmp_path / "var"),
        # Where the test worker writes export files (in production: the GCS bucket).
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "NAVPANEL_TRUSTED_PROXIES": "1",
        "ROSTER_EXPORT_SYNC_MAX_ROWS": "1",
        "PORT": str(port),
        "BIND_ADDRESS": "127.0.0.1",
        "GUNICORN_WORKERS": "2",
        "MFA_REQUIRED": "false",
    }
    log_path = tmp_path / "web.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "navpanel.entrypoint", "web"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/internal/isalive")
            if connection.getresponse().status == 200:
                break
        except OSError:
            pass
        assert process.poll() is None and time.monotonic() < deadline, log_path.read_text()
        time.sleep(0.3)
    yield port, log_path
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def test_a_journeys_log_lines_are_json_with_ids_and_name_no_one(celery_worker, mail_dir, gunicorn):
    port, web_log = gunicorn
    # The texts the data migrations publish, again if an earlier transactional test's flush
    # emptied them (get_or_create by version).
    ConsentTextFactory()
    ConfidentialityTextFactory()
    call_command("seed_demo")
    # The test settings hash with MD5 for speed; production settings know Argon2 and PBKDF2.
    apps.get_model("accounts", "User").objects.filter(
        email__in=["leder.rana@navpanel.no", "hr@navpanel.no"]
    ).update(password=ARGON2.encode(DEMO_PASSWORD, ARGON2.salt()))
    # The demo HR has an authenticator; this journey signs in with the password alone
    # (MFA_REQUIRED=false), as tests/e2e do for HR.
    apps.get_model("mfa", "Authenticator").objects.filter(user__email="hr@navpanel.no").delete()
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

    leader = _sign_in(port, "leder.rana@navpanel.no", "198.51.100.10")
    # The session's worker writes every test's mail here, and the demo's people have the same
    # addresses in every test that seeds it: only a file written after this invitation is hers.
    earlier = set(mail_dir.iterdir())
    invited, _, _ = leader.post(
        reverse("panel_invite", args=[panel.pk]), {"representative": [representative.pk]}
    )
    seat = Seat.objects.get(panel=panel, representative=representative)

    def invitations() -> list[str]:
        new = [p.read_text() for p in set(mail_dir.iterdir()) - earlier]
        return [text for text in new if representative.email in text and "/r/plass/" in text]

    _wait_for(lambda: bool(invitations()))
    [email] = invitations()
    link = re.search(r"https?://[^\s\"<>]+(/r/plass/[^/\s\"<>]+/)", email).group(1)
    phone = Browser(port, PUBLIC_HOST, "203.0.113.20")
    opened, _, _ = phone.get(link)
    texts = {
        "declaration": apps.get_model("panels", "ConfidentialityText").objects.latest("version"),
        "consent_text": apps.get_model("panels", "ConsentText").objects.latest("version"),
    }
    accepted, _, _ = phone.request(
        "POST",
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
    hr = _sign_in(port, "hr@navpanel.no", "198.51.100.11")
    exported, job_page, _ = hr.get(reverse("roster_export_xlsx") + "?date_from=2020-01-01")
    job = apps.get_model("rosters", "ExportJob").objects.get()
    _wait_for(lambda: type(job).objects.get(pk=job.pk).status in ("done", "failed"))
    download, _, _ = hr.get(reverse("roster_export_download", args=[job.pk]))
    time.sleep(1)  # the last lines of both

    assert invited == 302 and opened == 200
    assert accepted == 302 and seat.status == "accepted"
    assert exported == 302 and job_page.endswith(reverse("roster_export_job", args=[job.pk]))
    assert download == 200
    web = [line for line in web_log.read_text().splitlines() if line.strip()]
    worker = worker_log.read_text()[worker_start:].splitlines()
    worker = [line for line in worker if line.strip()]
    assert web and worker, "both sides logged"
    assert [line for line in web + worker if not _is_json_object(line)] == []
    records = [json.loads(line) for line in web + worker]
    assert all({"level", "logger", "message", "timestamp"} <= r.keys() for r in records)
    assert all("request_id" in r and "trace_id" in r for r in records)
    access = [r for r in records if r["logger"] == "gunicorn.access"]
    assert {r["path"] for r in access} >= {
        "/konto/login/",
        link.replace(link.split("/")[3], "<token>"),
    }
    assert all(r["request_id"] for r in access)
    assert any(r["logger"].startswith("celery") and r["request_id"] for r in records)
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
