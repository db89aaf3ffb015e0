"""Email through Microsoft Graph (outbox/graph.py), against a fake Graph and Entra ID token
endpoint that the suite starts on loopback: it can accept, refuse, throttle with 429 and
Retry-After, and take longer than the time-out."""

import base64
import email
import email.policy
import json
import threading
import time
import urllib.parse
from collections import deque
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from outbox import graph
from outbox.models import OutboxMessage, OutboxStatus
from outbox.services import message_deliver, message_queue

pytestmark = pytest.mark.django_db

TOKEN = "graph-token-for-navpanel"


class FakeGraph:
    """``POST /token`` (client credentials) and ``POST /v1.0/users/{sender}/sendMail`` (MIME).

    ``script`` holds what sendMail answers next: ``202``, ``(429, seconds)`` for a throttle
    with Retry-After, ``"timeout"`` (answers after the client gave up, taking nothing), or
    ``(status, code)`` for a refusal. When it is empty, sendMail accepts.
    """

    def __init__(self) -> None:
        self.script: deque = deque()
        self.accepted: list[email.message.EmailMessage] = []
        self.calls: list[tuple[float, str, str]] = []
        self.token_requests: list[dict[str, list[str]]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if self.path == "/token":
                    fake.token_requests.append(urllib.parse.parse_qs(body.decode()))
                    self._answer(200, {"access_token": TOKEN, "expires_in": 3599})
                    return
                step = fake.script.popleft() if fake.script else 202
                fake.calls.append((time.monotonic(), self.path, self.headers["Authorization"]))
                if step == "timeout":
                    time.sleep(2.5)
                    return
                if step == 202:
                    fake.accepted.append(
                        email.message_from_bytes(
                            base64.b64decode(body), policy=email.policy.default
                        )
                    )
                    self.send_response(202)
                    self.end_headers()
                    return
                status, detail = step
                if status == 429:
                    self._answer(
                        429,
                        {"error": {"code": "ApplicationThrottled", "message": "slow down"}},
                        {"Retry-After": str(detail)},
                    )
                    return
                self._answer(status, {"error": {"code": detail, "message": "refused"}})

            def _answer(self, status: int, payload: dict, headers: dict | None = None) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def fake_graph(settings) -> Iterator[FakeGraph]:
    fake = FakeGraph()
    settings.EMAIL_BACKEND = "outbox.graph.GraphEmailBackend"
    settings.EMAIL_TIMEOUT = 1
    settings.GRAPH_API_URL = f"{fake.url}/v1.0"
    settings.GRAPH_SENDER = ""
    settings.DEFAULT_FROM_EMAIL = "navpanel <navpanel@nav.no>"
    settings.AZURE_OPENID_CONFIG_TOKEN_ENDPOINT = f"{fake.url}/token"
    settings.AZURE_APP_CLIENT_ID = "navpanel-client-id"
    settings.AZURE_APP_CLIENT_SECRET = "navpanel-client-secret"
    graph.token_forget()
    yield fake
    graph.token_forget()
    fake.close()


def _invitation(key: str = "graph:1") -> OutboxMessage:
    return message_queue(
        key=key,
        kind="invitation",
        to="kari.nordmann@example.no",
        subject="Invitasjon til intervjupanel",
        body_text="Hei Kari",
        body_html="<p>Hei Kari</p>",
        attachments=[("invitasjon.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")],
    )


def test_a_message_goes_out_once_through_a_throttle_and_a_time_out(fake_graph):
    message = _invitation()
    fake_graph.script.extend([(429, 1), "timeout", 202])

    first = message_deliver(message_id=message.pk)
    second = message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert (first, second) == (OutboxStatus.QUEUED, OutboxStatus.SENT)
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 2
    assert [m["Message-ID"] for m in fake_graph.accepted] == [message.message_id]
    (throttled_at, _, _), (retried_at, _, _) = fake_graph.calls[:2]
    assert retried_at - throttled_at >= 1.0, "the Retry-After was not waited out"


def test_graph_sends_the_email_the_outbox_rendered_as_the_configured_mailbox(fake_graph):
    message = _invitation()

    message_deliver(message_id=message.pk)

    (sent,) = fake_graph.accepted
    assert fake_graph.calls[0][1] == "/v1.0/users/navpanel%40nav.no/sendMail"
    assert fake_graph.calls[0][2] == f"Bearer {TOKEN}"
    assert sent["To"] == "kari.nordmann@example.no"
    assert sent["Message-ID"] == message.message_id
    parts = {part.get_content_type(): part for part in sent.walk()}
    assert "Hei Kari" in parts["text/html"].get_content()
    assert parts["text/calendar"] in parts["multipart/alternative"].get_payload()
    assert parts["application/ics"].get_filename() == "invitasjon.ics"


def test_the_application_token_is_fetched_once_by_client_credentials_for_many_messages(
    fake_graph,
):
    messages = [_invitation(f"graph:{n}") for n in range(3)]

    for message in messages:
        message_deliver(message_id=message.pk)

    assert len(fake_graph.accepted) == 3
    (request,) = fake_graph.token_requests
    assert request["grant_type"] == ["client_credentials"]
    assert request["client_id"] == ["navpanel-client-id"]
    assert request["scope"] == ["https://graph.microsoft.com/.default"]


def test_a_permanent_refusal_ends_failed_after_one_attempt_with_the_address_masked(fake_graph):
    message = _invitation()
    fake_graph.script.append((400, "ErrorInvalidRecipients kari.nordmann@example.no"))

    status = message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert status == OutboxStatus.FAILED
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 1
    assert "400 ErrorInvalidRecipients" in message.last_error
    assert "kari.nordmann" not in message.last_error
    assert fake_graph.accepted == []


@pytest.mark.parametrize("status", [401, 403, 500, 503])
def test_credentials_permissions_and_graphs_own_errors_pass_and_are_tried_again(fake_graph, status):
    message = _invitation()
    fake_graph.script.append((status, "SomethingWrong"))

    first = message_deliver(message_id=message.pk)
    second = message_deliver(message_id=message.pk)

    assert (first, second) == (OutboxStatus.QUEUED, OutboxStatus.SENT)
    assert len(fake_graph.accepted) == 1


def test_a_long_retry_after_ends_the_attempt_and_the_next_waits_at_least_that_long(fake_graph):
    message = _invitation()
    fake_graph.script.append((429, 900))

    status = message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert status == OutboxStatus.QUEUED
    assert message.next_attempt_at >= timezone.now() + timedelta(seconds=890)
    assert fake_graph.accepted == []
