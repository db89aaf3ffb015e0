"""A fake GatewayAPI (``POST /rest/mtsms``) that the suite starts on loopback.

It logs every SMS it takes (number, sender, text, the outbox's reference) and answers as the
test scripts it: a status to give once (``answers``), a delay longer than the client's time-out
(``delay``), or no answer at all (``closed_url``, a port nobody listens on). Tests read what a
person received from ``received_by``, as a phone would show it.
"""

import base64
import json
import socket
import threading
import time
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

TOKEN = "fake-gateway-token"


@dataclass(frozen=True)
class Received:
    to: str
    sender: str
    text: str
    reference: str


@dataclass
class FakeGateway:
    server: ThreadingHTTPServer
    received: list[Received] = field(default_factory=list)
    requests: int = 0
    answers: deque[tuple[int, dict]] = field(default_factory=deque)
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"gatewayapi+http://{TOKEN}@{host}:{port}"

    def received_by(self, number: str) -> list[Received]:
        with self.lock:
            return [sms for sms in self.received if sms.to == number]

    def references(self) -> Counter:
        with self.lock:
            return Counter(sms.reference for sms in self.received)


def closed_url() -> str:
    """A gateway URL on a loopback port that refuses connections."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"gatewayapi+http://{TOKEN}@127.0.0.1:{port}"


def _handler(gateway_ref: list[FakeGateway]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _answer(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            gateway = gateway_ref[0]
            payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            expected = "Basic " + base64.b64encode(f"{TOKEN}:".encode()).decode()
            with gateway.lock:
                gateway.requests += 1
                scripted = gateway.answers.popleft() if gateway.answers else None
            if gateway.delay:
                time.sleep(gateway.delay)
            if self.path != "/rest/mtsms" or self.headers.get("Authorization") != expected:
                self._answer(401, {"code": "0x0213", "message": "Unauthorized"})
                return
            if scripted is not None:
                self._answer(*scripted)
                return
            [recipient] = payload["recipients"]
            with gateway.lock:
                gateway.received.append(
                    Received(
                        to=f"+{recipient['msisdn']}",
                        sender=payload["sender"],
                        text=payload["message"],
                        reference=payload["userref"],
                    )
                )
                number = len(gateway.received)
            self._answer(200, {"ids": [number], "usage": {"total_cost": 0.0}})

    return Handler


@pytest.fixture
def sms_gateway() -> Iterator[FakeGateway]:
    ref: list[FakeGateway] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(ref))
    server.daemon_threads = True
    gateway = FakeGateway(server=server)
    ref.append(gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield gateway
    server.shutdown()
    server.server_close()


@pytest.fixture
def sms_settings(settings, sms_gateway) -> FakeGateway:
    """This process's SMS backend pointing at the fake gateway."""
    settings.SMS_URL = sms_gateway.url
    settings.SMS_TIMEOUT = 2
    return sms_gateway
