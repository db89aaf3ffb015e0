"""The real parts the outbox tests break: their own Redis server, SMTP sink and Celery workers.

Each test that uses them starts its own, on free ports, so that stopping or killing one touches
nothing else on the machine (not the suite's Redis, not another test's worker).

- ``redis_server``: a ``redis-server`` process that a test can stop, start again and freeze.
- ``broker``: this process's Celery app publishing to that server (the sweep and the publish on
  commit run here, as they do in a web or beat process).
- ``smtp_sink``: an aiosmtpd server in a thread that records every message with its Message-ID;
  it can answer DATA with scripted replies, refuse recipients and take its time.
- ``start_worker``: starts ``celery worker`` processes on the test database, that Redis and
  that sink; they are killed at the end of the test.
"""

import asyncio
import base64
import email
import email.policy
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from uuid import uuid4

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from kombu import pools as kombu_pools

from navpanel.celery import app as celery_app
from outbox import services

# aiosmtpd logs every SMTP command at INFO.
logging.getLogger("mail.log").setLevel(logging.WARNING)

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate: Callable[[], bool], timeout: float = 30.0, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


class RedisServer:
    def __init__(self, log_dir: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = log_dir / f"redis-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--logfile",
                str(self.log),
            ]
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        if not wait_for(lambda: self._pings(client), timeout=10):
            pytest.fail(f"redis-server on port {self.port} did not start")

    @staticmethod
    def _pings(client: redis.Redis) -> bool:
        try:
            return client.ping()
        except redis.ConnectionError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            self.process.wait(timeout=10)

    def freeze(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def queue_length(self, queue: str = "celery") -> int:
        return redis.Redis.from_url(self.url).llen(queue)

    def messages_waiting(self, queue: str = "celery") -> list[int]:
        """The outbox messages the tasks in ``queue`` carry, in order (a task carries a batch)."""
        ids: list[int] = []
        for raw in redis.Redis.from_url(self.url).lrange(queue, 0, -1):
            envelope = json.loads(raw)
            _args, kwargs, _embed = json.loads(base64.b64decode(envelope["body"]))
            ids.extend(kwargs["message_ids"])
        return ids


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def _reset_broker_pools() -> None:
    """Forget every broker connection, including kombu's process-wide producer pools.

    Those are keyed by connection details, so without ``pools.reset()`` a later test on the
    original broker would be handed the producer pool closed here ("Acquire on closed pool").
    """
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
        celery_app._pool = None
    celery_app.amqp._producer_pool = None
    kombu_pools.reset()


@pytest.fixture
def broker(redis_server, monkeypatch) -> Iterator[RedisServer]:
    """Point this process's Celery app at the test's own Redis for the length of the test.

    The pause after a failed publish belongs to the broker that failed: a new one starts without.
    """
    monkeypatch.setattr(services, "_publish_paused_until", 0.0)
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = redis_server.url
    _reset_broker_pools()
    yield redis_server
    celery_app.conf.broker_url = previous
    _reset_broker_pools()


@dataclass
class Received:
    message_id: str
    to: list[str]
    subject: str
    text: str
    parsed: email.message.Message
    peer: tuple[str, int] | None = None


@dataclass
class RecordingHandler:
    """An SMTP server's behaviour, set by the test: replies, refusals, slowness."""

    received: list[Received] = field(default_factory=list)
    data_replies: deque[str] = field(default_factory=deque)
    refused: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address in self.refused:
            return self.refused[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            if self.data_replies:
                return self.data_replies.popleft()
            parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self.received.append(
                Received(
                    message_id=parsed["Message-ID"],
                    to=list(envelope.rcpt_tos),
                    subject=str(parsed["Subject"]),
                    text=parsed.get_body(preferencelist=("plain",)).get_content(),
                    parsed=parsed,
                    peer=session.peer,
                )
            )
        return "250 2.0.0 Message accepted for delivery"

    def message_ids(self) -> Counter:
        with self.lock:
            return Counter(r.message_id for r in self.received)


class SmtpSink:
    def __init__(self) -> None:
        self.handler = RecordingHandler()
        self.port = free_port()
        self.url = f"smtp://127.0.0.1:{self.port}"
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def received(self) -> list[Received]:
        return self.handler.received


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    sink.controller.start()
    yield sink
    sink.controller.stop()


@pytest.fixture
def smtp_settings(settings, smtp_sink) -> SmtpSink:
    """This process's email settings pointing at the sink (pytest-django sets locmem)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_sink.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    return smtp_sink


class Worker:
    def __init__(self, process: subprocess.Popen, log: Path) -> None:
        self.process = process
        self.log = log

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once, as a lost machine would."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture
def start_worker(transactional_db, redis_server, smtp_sink, tmp_path) -> Iterator[Callable]:
    """Start ``celery worker`` processes; they read the committed rows of this test database."""
    workers: list[Worker] = []
    db = settings.DATABASES["default"]

    def start(*, concurrency: int = 1, **outbox_settings: int | str) -> Worker:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.outbox.worker_settings",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "REDIS_URL": redis_server.url,
            "EMAIL_URL": smtp_sink.url,
            **{name: str(value) for name, value in outbox_settings.items()},
        }
        log = tmp_path / f"worker-{len(workers)}.log"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "navpanel",
                "worker",
                "--pool=prefork",
                f"--concurrency={concurrency}",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                f"--hostname=outbox-{uuid4().hex[:8]}@localhost",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        worker = Worker(process, log)
        workers.append(worker)
        if not wait_for(lambda: " ready." in log.read_text() or process.poll() is not None, 60):
            pytest.fail(f"the Celery worker did not become ready:\n{worker.output()}")
        if process.poll() is not None:
            pytest.fail(f"the Celery worker stopped:\n{worker.output()}")
        return worker

    yield start
    # Nothing is left to finish: the test has seen what it needed, and Redis goes with it.
    for worker in workers:
        worker.kill()
