"""make prod's topology, started for the tests: ``python -m ops.prod`` on this test run's
PostgreSQL database, a Redis server of its own and an aiosmtpd sink, reached through its TLS
proxy as a browser would (``requests``, trusting the certificate the proxy made at start).

The data a test needs is made here, with the factories, and committed (``transactional_db``):
the processes of the topology read the same database.
"""

import base64
import hashlib
import hmac
import json
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
import requests
from celery import Celery
from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from requests.adapters import HTTPAdapter

from tests.outbox.conftest import RedisServer, SmtpSink, free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a-long-topology-password-42"


def production_password() -> str:
    """PASSWORD hashed for the production settings (the test settings hash with MD5, which
    production does not accept)."""
    return PBKDF2PasswordHasher().encode(PASSWORD, "topologysalt", iterations=1000)


def totp(secret: str, *, at: float | None = None) -> str:
    """RFC 6238 code (SHA-1, 6 digits, 30 s), as an authenticator app shows it."""
    key = base64.b32decode(secret)
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{code % 1_000_000:06d}"


class _SourceAddressAdapter(HTTPAdapter):
    def __init__(self, source: str) -> None:
        self.source = source
        super().__init__()

    def init_poolmanager(self, *args: object, **kwargs: object) -> None:
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


class Forms(HTMLParser):
    """The forms of a page: action, and the named inputs with their values."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attributes.get("action") or "", "fields": {}})
        elif tag in ("input", "textarea") and self.forms and attributes.get("name"):
            kind = attributes.get("type", "text")
            if kind == "checkbox":
                self.forms[-1]["fields"][attributes["name"]] = attributes.get("value") or "on"
            elif kind != "submit":
                self.forms[-1]["fields"][attributes["name"]] = attributes.get("value") or ""

    def with_action(self, ending: str) -> dict:
        return next(form for form in self.forms if form["action"].endswith(ending))


class Visitor:
    """One person's browser against the proxy: cookies, CSRF, and a fixed source address."""

    def __init__(self, site: str, *, certificate: Path, source: str = "127.0.0.1") -> None:
        self.site = site
        self.session = requests.Session()
        self.session.verify = str(certificate)
        self.session.trust_env = False  # else REQUESTS_CA_BUNDLE outranks ``verify``
        self.session.mount("https://", _SourceAddressAdapter(source))
        self.session.headers.update(
            {"Origin": site, "Referer": f"{site}/", "Accept-Language": "en"}
        )

    def get(self, path: str, **kwargs: object) -> requests.Response:
        return self.session.get(self._url(path), timeout=60, **kwargs)

    def post(self, path: str, data: dict, **kwargs: object) -> requests.Response:
        if "csrftoken" not in self.session.cookies:
            self.get("/konto/login/")
        data = {**data, "csrfmiddlewaretoken": self.session.cookies["csrftoken"]}
        return self.session.post(
            self._url(path), data=data, timeout=60, allow_redirects=False, **kwargs
        )

    def sign_in(self, email: str, password: str = PASSWORD) -> requests.Response:
        self.get("/konto/login/")
        return self.post("/konto/login/", {"login": email, "password": password})

    def _url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self.site}{path}"


@dataclass
class Topology:
    base: Path
    launcher: subprocess.Popen
    sink: SmtpSink
    redis: RedisServer
    mfa_key: str

    @property
    def state(self) -> dict:
        return json.loads((self.base / "state.json").read_text())

    @property
    def site(self) -> str:
        return self.state["site"]

    def process(self, name: str) -> dict:
        return self.state["processes"][name]

    def log(self, name: str) -> str:
        return Path(self.process(name)["log"]).read_text(errors="replace")

    def proxy_lines(self) -> list[dict]:
        return [
            json.loads(line)
            for line in self.log("proxy").splitlines()
            if line.startswith("{") and '"method"' in line
        ]

    def upstream_name(self, upstream: str) -> str:
        port = int(upstream.rsplit(":", 1)[1])
        return next(name for name, p in self.state["processes"].items() if p.get("port") == port)

    def alive(self, name: str) -> bool:
        try:
            os.kill(self.process(name)["pid"], 0)
        except ProcessLookupError:
            return False
        return True

    def signal(self, name: str, signum: int) -> None:
        """Signal the process group: the "pod" with every process it started."""
        os.killpg(self.process(name)["pid"], signum)

    def totp_data(self, secret: str) -> dict[str, str]:
        """An authenticator's data as the topology's processes store it (encrypted)."""
        return {"secret": Fernet(self.mfa_key.encode()).encrypt(secret.encode()).decode()}

    def visitor(self, source: str = "127.0.0.1") -> Visitor:
        return Visitor(self.site, source=source, certificate=self.base / "proxy" / "proxy.crt")

    @contextmanager
    def consuming_nothing(self, worker: str) -> Iterator[None]:
        """The worker stops taking tasks from the queue (Celery's ``cancel_consumer``) and
        takes them again afterwards; each change is confirmed by the worker's reply."""
        node = f"{worker}@{socket.gethostname()}"
        app = Celery(broker=self.redis.url)
        control, queue = app.control, app.conf.task_default_queue
        replies = control.cancel_consumer(queue, destination=[node], reply=True, timeout=10)
        assert [list(reply) for reply in replies] == [[node]], replies
        try:
            yield
        finally:
            replies = control.add_consumer(queue, destination=[node], reply=True, timeout=10)
            assert [list(reply) for reply in replies] == [[node]], replies

    def worker_that_sent(self, message_id: int) -> str | None:
        """The worker whose log says it sent ``message_id`` (one line a batch, with the ids)."""
        sent = re.compile(rf"outbox: sent \d+ message\(s\):(?: \d+)* {message_id}\b")
        return next(
            (name for name in ("worker-1", "worker-2") if sent.search(self.log(name))), None
        )


@pytest.fixture(scope="module")
def topology(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Topology]:
    base = tmp_path_factory.mktemp("prod")
    redis_server = RedisServer(base)
    redis_server.start()
    sink = SmtpSink()
    sink.controller.start()
    db = settings.DATABASES["default"]
    mfa_key = Fernet.generate_key().decode()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": redis_server.url,
        "EMAIL_URL": sink.url,
        # Shorter than production's, so that a killed worker's emails are swept up in minutes.
        "OUTBOX_REPUBLISH_AFTER_SECONDS": "10",
        "OUTBOX_SENDING_TIMEOUT_SECONDS": "20",
        "ROSTER_EXPORT_SYNC_MAX_ROWS": "50",
        "MFA_ENCRYPTION_KEYS": mfa_key,
    }
    for name in ("DJANGO_SETTINGS_MODULE", "NAVPANEL_VAR_DIR", "MEDIA_ROOT"):
        env.pop(name, None)
    ports = [free_port() for _ in range(4)]
    output = (base / "launcher.log").open("w")
    launcher = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ops.prod",
            f"--base-dir={base / 'navpanel-prod'}",
            f"--port={ports[0]}",
            "--web-ports",
            str(ports[1]),
            str(ports[2]),
            f"--mail-port={ports[3]}",
            "--no-seed",
        ],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    state = base / "navpanel-prod" / "state.json"

    def ready() -> bool:
        if launcher.poll() is not None:
            return True
        return state.exists() and json.loads(state.read_text()).get("ready") is True

    try:
        wait_for(ready, timeout=240, interval=0.5)
        if launcher.poll() is not None or not ready():
            pytest.fail(f"make prod did not start:\n{(base / 'launcher.log').read_text()[-5000:]}")
        yield Topology(
            base=base / "navpanel-prod",
            launcher=launcher,
            sink=sink,
            redis=redis_server,
            mfa_key=mfa_key,
        )
    finally:
        launcher.send_signal(signal.SIGTERM)  # make prod stops every process it started
        try:
            launcher.wait(timeout=60)
        except subprocess.TimeoutExpired:
            launcher.kill()
        sink.controller.stop()
        redis_server.stop()


def link_in(text: str, marker: str) -> str:
    return next(word for word in re.split(r"\s+", text) if marker in word)
