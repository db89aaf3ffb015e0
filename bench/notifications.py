"""Notifications benchmark: 10,000 emails through the outbox, one Celery worker process.

The real path, on PostgreSQL and Redis: ``message_queue`` writes the rows in one transaction and
publishes one ``outbox.send_batch`` task per 10 rows on commit; a ``celery worker --concurrency 1``
(prefork: one main process, one pool process) claims, sends and marks each row; the SMTP server is
an aiosmtpd sink that records every Message-ID, its own processes each serving one connection at
a time (``SINK_PROCESSES``), as a mail relay serves its clients side by side. Beside it, in the
same run, the raw throughput of that sink: a plain ``smtplib`` loop sending the same 10,000
messages, once with a connection per message (as Django's SMTP backend does per ``send()``) and
once over a single connection.

Reported: emails per second through the outbox (first claim to last *sent*, from the rows), the
time to queue and publish, the worker processes' peak RSS (``VmHWM`` in ``/proc``), whether every
email arrived exactly once, and the sink's raw rates.

Run from the repository root, with PostgreSQL on ``BENCH_POSTGRES`` (default
``postgres://postgres@127.0.0.1:5432``) and ``redis-server`` on the PATH:

    .venv/bin/python bench/notifications.py              # 10,000 messages, writes RESULTS.md
    .venv/bin/python bench/notifications.py --messages 500 --no-write
    .venv/bin/python bench/notifications.py --processes 1,2,4 --profile   # what make bench runs

It creates the database ``<BENCH_DB>_notifications`` (dropping an old one), migrates it, starts
its own ``redis-server`` on a free port, and drops the database and stops everything it started
at the end. It rewrites only the ``## Notifications`` section of ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import json
import os
import platform
import signal
import smtplib
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from functools import partial
from importlib import metadata
from pathlib import Path
from tempfile import TemporaryDirectory

from common import cpu_seconds
from results import write_section

ROOT = Path(__file__).resolve().parent.parent
HEADING = "## Notifications"
# Its own database; BENCH_DB (bench/common.py) names it apart when several people share a server.
DATABASE = os.environ.get("BENCH_DB", "navpanel") + "_notifications"

TEXT = (
    "Hei {name},\n\nNAV Rana inviterer deg til å sitte i intervjupanelet for stillingen "
    "Veileder, Team Voksen, tirsdag 9. mars 2027 kl. 09:00, Rana kontor, møterom 2.\n\n"
    "Svar ja eller nei her: https://navpanel.nav.no/r/s/{n}/{token}\n\n"
    "Du får honorar og dekket reise. For noen ytelser regnes honoraret som inntekt: "
    "spør veilederen din om det gjelder deg.\n\nHilsen NAV Rana\n"
)
HTML = (
    '<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8"></head>'
    '<body style="font-family: Arial, sans-serif; font-size: 16px; max-width: 36rem;">'
    "<p>Hei {name},</p><p>NAV Rana inviterer deg til å sitte i intervjupanelet for stillingen "
    "<strong>Veileder, Team Voksen</strong>, tirsdag 9. mars 2027 kl. 09:00, Rana kontor, "
    'møterom 2.</p><p><a href="https://navpanel.nav.no/r/s/{n}/{token}">Svar ja eller nei</a>'
    "</p><p>Du får honorar og dekket reise. For noen ytelser regnes honoraret som inntekt: "
    "spør veilederen din om det gjelder deg.</p><p>Hilsen NAV Rana</p></body></html>"
)
SMS_TEXT = (
    "NAV Rana inviterer deg til intervjupanel tirsdag 9. mars kl. 09:00. Svar her: "
    "https://navpanel.nav.no/r/k/{token}"
)
ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//navpanel//nb\r\nMETHOD:REQUEST\r\n"
    "BEGIN:VEVENT\r\nUID:seat-{n}@navpanel.nav.no\r\nSEQUENCE:0\r\n"
    "DTSTART;TZID=Europe/Oslo:20270309T090000\r\nDTEND;TZID=Europe/Oslo:20270309T113000\r\n"
    "SUMMARY:Intervjupanel: Veileder\\, Team Voksen\r\nLOCATION:Rana kontor\\, møterom 2\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


# --- the SMTP sink, run as its own process: ``notifications.py --sink PORT FILE`` -------------


# Processes of the sink, each serving one SMTP connection at a time, as an SMTP relay serves its
# connections side by side (Postfix runs an smtpd per connection): more than the most pool
# processes a run has, so that no two of the workers' connections wait on one process.
SINK_PROCESSES = 6


def run_sink(port: int, path: str) -> None:
    """The SMTP server: ``SINK_PROCESSES`` forked processes on one listening socket, each taking
    a connection with a blocking ``accept`` (so only an idle one takes it) and serving it with
    aiosmtpd to the end; each records the Message-ID of every email it accepts."""
    import asyncio

    from aiosmtpd.smtp import SMTP

    out = open(path, "a", buffering=1)  # one line per write: the processes' lines never mix

    class Recorder:
        async def handle_DATA(self, server, session, envelope) -> str:
            parsed = email.message_from_bytes(envelope.content, policy=email.policy.compat32)
            out.write(f"{parsed['Message-ID']}\n")
            return "250 2.0.0 Message accepted for delivery"

    class OneConnection(SMTP):
        def __init__(self, ended: asyncio.Future) -> None:
            super().__init__(Recorder(), hostname="127.0.0.1")
            self.ended = ended

        def connection_lost(self, error: Exception | None) -> None:
            super().connection_lost(error)
            if not self.ended.done():
                self.ended.set_result(None)

    def serve(listening: socket.socket) -> None:
        loop = asyncio.new_event_loop()
        while True:
            accepted, _address = listening.accept()
            # As asyncio's own servers do: replies go out at once, not after a delayed ACK.
            accepted.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            ended = loop.create_future()
            loop.run_until_complete(
                loop.connect_accepted_socket(partial(OneConnection, ended), accepted)
            )
            loop.run_until_complete(ended)

    serve_forked(port, serve)


def serve_forked(port: int, serve: Callable[[socket.socket], None]) -> None:
    """``serve`` in ``SINK_PROCESSES`` forked processes on one listening socket on ``port``,
    until this process is told to stop (SIGTERM), which stops them too."""
    listening = socket.create_server(("127.0.0.1", port), backlog=128)
    children = []
    for _ in range(SINK_PROCESSES):
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            serve(listening)
            os._exit(0)  # a child never runs on into the parent's loop
        children.append(pid)

    def stop(*_: object) -> None:
        for pid in children:
            os.kill(pid, signal.SIGTERM)
        for pid in children:
            os.waitpid(pid, 0)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    while True:
        signal.pause()


def run_gateway(port: int, path: str) -> None:
    """A stand-in for GatewayAPI's ``POST /rest/mtsms`` (``outbox.sms.GatewayApiBackend``):
    ``SINK_PROCESSES`` forked processes on one listening socket, each answering one request at
    a time as the gateway does (200 and the message's id) and recording the ``userref`` of
    every SMS it takes."""
    from http.server import BaseHTTPRequestHandler, HTTPServer

    out = open(path, "a", buffering=1)  # one line per write: the processes' lines never mix

    class Gateway(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            out.write(f"{body['userref']}\n")
            answer = b'{"ids": [1]}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *_args: object) -> None:
            pass

    def serve(listening: socket.socket) -> None:
        server = HTTPServer(("127.0.0.1", port), Gateway, bind_and_activate=False)
        server.socket = listening
        server.serve_forever()

    serve_forked(port, serve)


class Sink:
    """The SMTP sink (``kind`` *sink*) or the SMS gateway (*gateway*), in a process of its own,
    and what it received."""

    def __init__(self, directory: Path, name: str, kind: str = "sink") -> None:
        self.port = free_port()
        self.file = directory / f"{name}.ids"
        self.file.touch()
        self.process = subprocess.Popen(
            [sys.executable, __file__, f"--{kind}", str(self.port), str(self.file)]
        )
        if not wait_for(self._listening, 30):
            raise SystemExit(f"the {kind} did not start")

    def _listening(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def ids(self) -> Counter:
        return Counter(line for line in self.file.read_text().splitlines() if line)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


# --- helpers: processes, memory, versions ----------------------------------------------------


def peak_rss_kib(pid: int) -> int:
    """The process's peak resident set size (VmHWM), in KiB; 0 if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except FileNotFoundError:
        return 0
    return 0


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text().split()
        found.extend(int(child) for child in text)
    return found


class CpuMeter:
    """CPU seconds that groups of processes spent between ``start`` and ``stop``, for the
    processes each group has (read again at every ``sample``: pool processes and database
    backends appear after the start)."""

    def __init__(self) -> None:
        self.began: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.group: dict[int, str] = {}

    def sample(self, groups: dict[str, list[int]]) -> None:
        for name, pids in groups.items():
            for pid in pids:
                used = cpu_seconds(pid)
                self.group[pid] = name
                self.began.setdefault(pid, used)
                self.last[pid] = max(self.last.get(pid, 0.0), used)

    def spent(self) -> dict[str, float]:
        totals: dict[str, float] = {}
        for pid, name in self.group.items():
            totals[name] = totals.get(name, 0.0) + self.last[pid] - self.began[pid]
        return totals


def database_backends() -> list[int]:
    """The PostgreSQL backends of this database but ours (the worker's connections)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


def command_output(*args: str) -> str:
    try:
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def machine() -> str:
    model = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory = "?"
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    return f"{platform.node()}: {os.cpu_count()} CPUs ({model}), {memory} RAM, {platform.machine()}"


# --- the phases ------------------------------------------------------------------------------


def build_messages(count: int) -> list:
    """The benchmark's emails as Django builds them (text, HTML and a calendar file)."""
    from django.core.mail import EmailMultiAlternatives

    messages = []
    for n in range(count):
        fields = {"name": f"Bruker{n}", "n": n, "token": f"{n:08x}" * 4}
        message = EmailMultiAlternatives(
            subject=f"Invitasjon til intervjupanel hos NAV Rana ({n})",
            body=TEXT.format(**fields),
            from_email="NAV Rana <navpanel@nav.no>",
            to=[f"bruker{n}@example.no"],
            headers={"Message-ID": f"<raw-{n}@navpanel.nav.no>"},
        )
        message.attach_alternative(HTML.format(**fields), "text/html")
        message.attach("invitasjon.ics", ICS.format(n=n).encode(), "text/calendar")
        messages.append(message)
    return messages


def raw_smtplib(port: int, messages: list, *, reuse: bool) -> float:
    """Send with plain smtplib; returns seconds. ``reuse``: one connection for all."""
    started = time.perf_counter()
    server = smtplib.SMTP("127.0.0.1", port) if reuse else None
    for message in messages:
        data = message.message().as_bytes(linesep="\r\n")  # as Django's SMTP backend sends it
        if server is not None:
            server.sendmail(message.from_email, message.to, data)
        else:
            with smtplib.SMTP("127.0.0.1", port) as one:
                one.sendmail(message.from_email, message.to, data)
    if server is not None:
        server.quit()
    return time.perf_counter() - started


def chains_pin(worker_pid: int, processes: int, sink: Sink, *, sms: bool = False) -> bool:
    """Keep each of the worker's pool processes, the database backend serving it and the sink
    process serving its SMTP connection to a core of their own (pool process *i* to core *i*
    modulo the cores), once every pool process has both connections; whether it could.

    Each pool process is a chain (claim, send, record) whose three processes wait on one
    another: one chain keeps about one core busy, and sends as fast on one core as on two. In
    production two workers are two pods, each with its CPU, their database and mail relay on
    other machines. Here two chains share two cores with the harness, and left to the
    scheduler their processes often queued on one core while the other idled: that measured
    the scheduler, not whether the outbox scales out (``main`` still runs two pool processes
    unpinned, and the report shows both). ``sms``: each SMS goes over a connection of its own
    to the gateway, whose processes take each request as it comes: the chain is the pool
    process and its database backend."""
    import psutil
    from django.db import connection

    pool = sorted(children(worker_pid))
    if len(pool) < processes:
        return False
    database_port = int(connection.settings_dict["PORT"] or 5432)
    serving = {pid: psutil.Process(pid) for pid in children(sink.process.pid)}
    cores = sorted(os.sched_getaffinity(0))
    chains = []
    for index, pid in enumerate(pool):
        ports = {
            c.raddr.port: c.laddr.port
            for c in psutil.Process(pid).net_connections("tcp")
            if c.raddr
        }
        if database_port not in ports or (not sms and sink.port not in ports):
            return False
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE client_port = %s", [ports[database_port]]
            )
            backend = cursor.fetchone()
        smtp = [
            process.pid
            for process in serving.values()
            if not sms
            and any(
                c.raddr and c.raddr.port == ports[sink.port] for c in process.net_connections("tcp")
            )
        ]
        if backend is None or (not sms and not smtp):
            return False
        chains.append((cores[index % len(cores)], [pid, backend[0], *smtp]))
    for core, pids in chains:
        for pid in pids:
            os.sched_setaffinity(pid, {core})
    return True


def raw_sms(port: int, count: int) -> float:
    """Send ``count`` SMS with the gateway backend alone (``GatewayApiBackend``, a connection
    per SMS, as it sends); returns seconds."""
    from outbox.sms import GatewayApiBackend, Sms

    backend = GatewayApiBackend(
        base_url=f"http://127.0.0.1:{port}",
        token="bench-token",  # noqa: S106 - the stand-in gateway's, on loopback
        timeout=10,
    )
    started = time.perf_counter()
    for n in range(count):
        token = f"{n:08x}" * 4
        backend.send(
            Sms(
                to=f"+479{n:07d}",
                sender="NAV Rana",
                text=SMS_TEXT.format(token=token),
                reference=f"raw-{n}",
            )
        )
    return time.perf_counter() - started


def outbox_run(
    count: int,
    sink: Sink,
    env: dict[str, str],
    log: Path,
    *,
    processes: int = 1,
    run: int = 0,
    profile: Path | None = None,
    redis_pid: int = 0,
    pinned: bool = True,
    sms: bool = False,
) -> dict:
    """Queue ``count`` emails (``sms``: SMS, to ``sink`` as the gateway) and send them with one
    worker of ``processes`` pool processes.

    ``run`` keeps each run's keys apart (the rows of earlier runs stay, sent). ``profile``: the
    worker runs its tasks in its own process (``--pool=solo``) under pyinstrument, which writes
    its text report there. ``pinned``: each pool process's chain keeps to a core of its own
    (``chains_pin``); else where each process runs is the scheduler's choice."""
    from django.db import transaction
    from django.db.models import Max, Min

    from interviews.enums import County
    from interviews.models import Office
    from outbox.models import Channel, OutboxMessage, OutboxStatus
    from outbox.services import message_queue

    # About an office, as every invitation is: its name is the sender's, its address Reply-To.
    office, _created = Office.objects.get_or_create(
        name="NAV Rana", defaults={"county": County.NORDLAND, "email": "nav.rana@nav.no"}
    )
    earlier = OutboxMessage.objects.count()
    last_pk = OutboxMessage.objects.aggregate(last=Max("pk"))["last"] or 0
    started = time.perf_counter()
    with transaction.atomic():
        for n in range(run * count, (run + 1) * count):
            fields = {"name": f"Bruker{n}", "n": n, "token": f"{n:08x}" * 4}
            if sms:
                message_queue(
                    key=f"bench:invitation-sms:seat:{n}:v1",
                    kind="invitation",
                    to=f"+479{n:07d}",
                    subject="",
                    body_text=SMS_TEXT.format(**fields),
                    office=office,
                    channel=Channel.SMS,
                )
                continue
            message_queue(
                key=f"bench:invitation:seat:{n}:v1",
                kind="invitation",
                to=f"bruker{n}@example.no",
                subject=f"Invitasjon til intervjupanel hos NAV Rana ({n})",
                body_text=TEXT.format(**fields),
                body_html=HTML.format(**fields),
                attachments=[("invitasjon.ics", ICS.format(n=n).encode(), "text/calendar")],
                office=office,
            )
    queued = time.perf_counter() - started

    pool = ["--pool=solo"] if profile else ["--pool=prefork", f"--concurrency={processes}"]
    wrap = [str(ROOT / ".venv" / "bin" / "pyinstrument"), "-r", "text", "-o", str(profile)]
    worker = subprocess.Popen(
        [
            *(wrap if profile else [sys.executable]),
            "-m",
            "celery",
            "-A",
            "navpanel",
            "worker",
            *pool,
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--hostname=bench@localhost",
        ],
        cwd=ROOT,
        env={
            **env,
            "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
            "SMS_URL": f"gatewayapi+http://bench-token@127.0.0.1:{sink.port}",
        },
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    peaks: dict[int, int] = {}
    # CPU per email in the steady state: from the first poll that finds emails sent (the
    # worker's start-up left out) to the last.
    meter = CpuMeter()
    metered_from = 0

    def processes_now() -> dict[str, list[int]]:
        return {
            "worker": [worker.pid, *children(worker.pid)],
            "database": database_backends(),
            "sink": [sink.process.pid, *children(sink.process.pid)],
            "redis": [redis_pid] if redis_pid else [],
        }

    sent = OutboxMessage.objects.filter(status=OutboxStatus.SENT)
    chains_pinned = not pinned or profile is not None
    deadline = time.monotonic() + max(600, count / 5)
    try:
        while (done := sent.count()) < earlier + count:
            if worker.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the worker stopped or took too long; see {log}")
            for pid in [worker.pid, *children(worker.pid)]:
                peaks[pid] = max(peaks.get(pid, 0), peak_rss_kib(pid))
            if not chains_pinned and done > earlier:  # each pool process has its connections
                chains_pinned = chains_pin(worker.pid, processes, sink, sms=sms)
            if done > earlier and not metered_from:
                meter.sample(processes_now())
                metered_from = done
            elif metered_from:
                meter.sample(processes_now())
            time.sleep(0.5)
        meter.sample(processes_now())
        for pid in [worker.pid, *children(worker.pid)]:
            peaks[pid] = max(peaks.get(pid, 0), peak_rss_kib(pid))
    finally:
        if profile:  # pyinstrument writes its report when the worker's process ends
            worker.send_signal(signal.SIGTERM)
        else:
            os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)

    mine = OutboxMessage.objects.filter(pk__gt=last_pk)
    span = mine.aggregate(first=Min("claimed_at"), last=Max("sent_at"))
    seconds = (span["last"] - span["first"]).total_seconds()
    ids = sink.ids()
    rows = {m.sms_reference if sms else m.message_id for m in mine.only("id")}
    return {
        "queued_s": queued,
        "send_s": seconds,
        "rate": count / seconds,
        "main_rss_mib": peaks.get(worker.pid, 0) / 1024,
        "pool_rss_mib": max((v for k, v in peaks.items() if k != worker.pid), default=0) / 1024,
        "exactly_once": set(ids) == rows and set(ids.values()) == {1},
        "received": sum(ids.values()),
        "attempts": sorted(set(mine.values_list("attempts", flat=True))),
        "processes": processes,
        "pinned": pinned,
        # CPU ms per email of each group, over the emails sent while metered.
        "cpu_ms": {
            name: used * 1000 / max(1, earlier + count - metered_from)
            for name, used in meter.spent().items()
        }
        if metered_from
        else {},
    }


# --- the report ------------------------------------------------------------------------------


CPU_GROUPS = ("worker", "database", "sink", "redis")


def _ceiling(result: dict) -> float:
    """Emails a second the machine's cores could carry at this run's CPU per email."""
    total = sum(result["cpu_ms"].values())
    return (os.cpu_count() or 1) * 1000 / total if total else 0.0


def _scaling_rows(runs: list[dict], reused: float) -> list[str]:
    one = runs[0]["rate"]
    rows = []
    for result in runs:
        n = result["processes"]
        ratio = result["rate"] / one
        if not result["pinned"]:
            target, ok = "none: the scheduler's placement, for comparison", None
        elif n == 1:
            target, ok = (
                f"≥ 0.5× raw one connection ({reused / 2:.0f}/s)",
                result["rate"] >= reused / 2,
            )
        elif n == 2:
            target, ok = "≥ 1.7× one process", ratio >= 1.7
        else:
            target, ok = "", None
        verdict = "" if ok is None else ("met" if ok else "**not met**")
        label = f"{n}" if result["pinned"] else f"{n}, not pinned"
        once = "yes" if result["exactly_once"] else "NO"
        cpu = " / ".join(f"{result['cpu_ms'].get(name, 0):.2f}" for name in CPU_GROUPS)
        rows.append(
            f"| {label} | {result['rate']:.0f} | {ratio:.2f}× | {cpu} | {_ceiling(result):.0f} "
            f"({result['rate'] / _ceiling(result):.0%}) | {once} | {target} | {verdict} |"
            if result["cpu_ms"]
            else f"| {label} | {result['rate']:.0f} | {ratio:.2f}× | – | – | {once} | {target} "
            f"| {verdict} |"
        )
    return rows


def _scaling_reason(runs: list[dict]) -> list[str]:
    """How the runs were placed on the cores, and what two processes reached of them."""
    one = next((r for r in runs if r["processes"] == 1 and r["cpu_ms"]), None)
    two = next((r for r in runs if r["processes"] == 2 and r["pinned"] and r["cpu_ms"]), None)
    free = next((r for r in runs if not r["pinned"] and r["cpu_ms"]), None)
    if one is None or two is None:
        return []
    cores = os.cpu_count() or 1
    busy = one["rate"] * sum(one["cpu_ms"].values()) / 1000
    lines = [
        "",
        "*Pinned*: each pool process, the database backend serving it and the sink process "
        "serving its SMTP connection keep to a core of their own (`chains_pin`; pool process "
        f"*i* on core *i* modulo {cores}). One pool process is a chain (claim, send, record) "
        "whose three processes wait on one another: at "
        f"{one['rate']:.0f} a second it kept {busy:.2f} of a core busy, all on one core. "
        "In production two workers are two pods, each with its CPU, and their database "
        "and mail relay are on other machines; here they share "
        f"{cores} cores with the sink and PostgreSQL. Pinned, two processes reached "
        f"{two['rate']:.0f} a second ({two['rate'] / one['rate']:.2f}× one): nothing the outbox "
        "shares (the queue, the claims, the database's locks) holds the second back.",
    ]
    if free is not None:
        lines[-1] += (
            f" Left to the scheduler, two processes reached {free['rate']:.0f} a second "
            f"({free['rate'] / one['rate']:.2f}×, {free['rate'] / _ceiling(free):.0%} of what "
            f"the cores could carry at {sum(free['cpu_ms'].values()):.2f} ms of CPU per email): "
            "the two chains' processes often queued on one core while the other idled."
        )
    lines += [
        "",
        "*CPU ms per email* is each group's CPU time over the emails sent while it was "
        "metered (from the first poll that found emails sent, so start-up is left out): the "
        "worker's processes (main and pool), the database backends serving them, the SMTP "
        f"sink and Redis. *Ceiling* is what the machine's {cores} cores could carry at that "
        "cost, and the share of it the run reached.",
    ]
    return lines


def section(count: int, figures: dict, took: float, command: str) -> str:
    from outbox.services import PUBLISH_BATCH

    outbox = figures["outbox"]
    per_connection = count / figures["raw_per_connection_s"]
    reused = count / figures["raw_reused_s"]
    versions = (
        f"Python {platform.python_version()}, Django {version('Django')}, Celery "
        f"{version('celery')}, kombu {version('kombu')}, redis-py {version('redis')}, "
        f"psycopg2 {version('psycopg2-binary')}, aiosmtpd {version('aiosmtpd')}; "
        f"{command_output('redis-server', '--version').split(' sha=')[0]}; "
        f"{figures['postgres']}"
    )
    return "\n".join(
        [
            HEADING,
            "",
            f"Run {date.today().isoformat()} on {machine()}. Took {took:.0f} s. Load average "
            f"(1 min) {figures['load'][0]:.1f} at the start, {figures['load'][1]:.1f} at the end: "
            "other work on the machine slows every figure here alike.",
            "",
            f"Versions: {versions}.",
            "",
            f"Command: `{command}`",
            "",
            f"{count:,} invitation emails about an office (text, HTML and a calendar file, about "
            "3 KB each; the office's name is the sender's, its address Reply-To) "
            "queued with `message_queue` in one transaction on PostgreSQL, published to Redis "
            f"after the commit (one task per {PUBLISH_BATCH} emails, "
            "`outbox.services.PUBLISH_BATCH`, all over one producer), sent by one "
            "`celery worker --pool=prefork --concurrency=1` (one pool process; "
            "`--loglevel=INFO`, acks late, reject on worker lost, prefetch 1) into an aiosmtpd "
            f"sink on the same machine ({SINK_PROCESSES} processes, each serving one connection "
            "at a time, as a mail relay serves its clients side by side; one process for all "
            "connections held two pool processes to 1.49× one). Rate = emails / (last *sent* "
            "− first claim), from the rows.",
            "",
            "| what | figure |",
            "|---|---|",
            f"| outbox: emails per second (1 worker process) | {outbox['rate']:.0f} |",
            f"| outbox: time to send all | {outbox['send_s']:.1f} s |",
            f"| outbox: time to queue and publish all (one transaction) | "
            f"{outbox['queued_s']:.1f} s |",
            f"| worker pool process: peak RSS | {outbox['pool_rss_mib']:.0f} MiB |",
            f"| worker main process: peak RSS | {outbox['main_rss_mib']:.0f} MiB |",
            f"| every email received exactly once (by Message-ID) | "
            f"{'yes' if outbox['exactly_once'] else 'NO'} ({outbox['received']:,} received, "
            f"attempts {outbox['attempts']}) |",
            f"| raw sink: plain smtplib, a connection per email | {per_connection:.0f} per s |",
            f"| raw sink: plain smtplib, one connection | {reused:.0f} per s |",
            "",
            "The same, with more pool processes (each its own database and SMTP connection), "
            "one run after the other on fresh rows and a fresh sink:",
            "",
            "| pool processes | emails per second | × one process | CPU ms per email: worker "
            "/ database / sink / Redis | ceiling on the cores (reached) | exactly once | "
            "target | |",
            "|---:|---:|---:|---|---:|---|---|---|",
            *_scaling_rows(figures["runs"], reused),
            *_scaling_reason(figures["runs"]),
            "",
            "The outbox's cost per email: the claim (one conditional `UPDATE … RETURNING`, "
            "committed), building the MIME message, the SMTP transaction over the connection "
            "the worker process keeps open, the *sent* `UPDATE` (committed), a health check of "
            "the database connection, and Celery's own work per task (prefork: the main "
            "process hands each task to the pool process and acknowledges it after), paid once "
            f"per batch of {PUBLISH_BATCH} (it was once per email: 192 emails a second on one "
            "process; batches of 10 made it 241, and of 50 with the *sent* record as plain SQL "
            "and our own MIME boundaries 265; see docs/decisions.md). The raw "
            "loops build and send the same messages with nothing else, so the gap to them is "
            "the price of the guarantees: a claim and a record per email, each durable before "
            "the next step. Queuing is one `INSERT … ON CONFLICT (key) DO NOTHING RETURNING id` "
            "per email, then one publish round trip to Redis per batch after the commit.",
            *_sms_lines(count, figures),
            *_profile_lines(figures.get("profile", "")),
        ]
    )


def _sms_lines(count: int, figures: dict) -> list[str]:
    """The same invitations by SMS: the worker against the gateway backend alone."""
    runs = figures["sms_runs"]
    if not runs:
        return []
    raw = count / figures["raw_sms_s"]
    one = runs[0]["rate"]
    rows = []
    for result in runs:
        cpu = " / ".join(f"{result['cpu_ms'].get(name, 0):.2f}" for name in CPU_GROUPS)
        rows.append(
            f"| {result['processes']} | {result['rate']:.0f} | {result['rate'] / one:.2f}× | "
            f"{result['rate'] / raw:.2f}× | {cpu or '–'} | "
            f"{'yes' if result['exactly_once'] else 'NO'} |"
        )
    return [
        "",
        f"The same {count:,} invitations by SMS (one segment each, the office's name as the "
        "sender), queued and sent the same way through `outbox.sms.GatewayApiBackend` "
        "(`POST /rest/mtsms`, a connection per SMS, as GatewayAPI is called) to a stand-in "
        f"gateway on the same machine ({SINK_PROCESSES} processes, 200 and an id for each), "
        "quiet hours off; pinned as above, each pool process with its database backend (an "
        f"SMS has no kept connection, so no gateway process is a chain's). The gateway backend "
        f"alone, in a loop in one process: {raw:.0f} SMS a second. No target: the issue asks "
        "for SMS to be measured as the emails are.",
        "",
        "| pool processes | SMS per second | × one process | × the backend alone | CPU ms "
        "per SMS: worker / database / gateway / Redis | exactly once (by reference) |",
        "|---:|---:|---:|---:|---|---|",
        *rows,
    ]


def _profile_lines(profile: str) -> list[str]:
    """The task's part of pyinstrument's report (``--profile``): where one worker's time goes."""
    if not profile:
        return []
    lines = profile.splitlines()
    start = next((i for i, line in enumerate(lines) if "send_message" in line), 0)
    return [
        "",
        "Where one worker's time goes: the same emails once more, the tasks run in the "
        "worker's own process (`--pool=solo`) under pyinstrument (wall-clock, so waiting on "
        "PostgreSQL, the SMTP sink and the machine's other work counts):",
        "",
        "```",
        *[line.rstrip() for line in lines[start : start + 24]],
        "```",
    ]


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--sink":
        run_sink(int(sys.argv[2]), sys.argv[3])
        return
    if len(sys.argv) == 4 and sys.argv[1] == "--gateway":
        run_gateway(int(sys.argv[2]), sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument(
        "--processes", default="1,2,4", help="pool processes of the worker, one run each"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="one more run, tasks in the worker's own process under pyinstrument",
    )
    args = parser.parse_args()
    counts = [int(n) for n in args.processes.split(",")]
    began = time.perf_counter()
    load_at_start = os.getloadavg()[0]

    postgres = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    redis_port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "navpanel.settings",
        "DEBUG": "0",
        "DATABASE_URL": f"{postgres}/{DATABASE}",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "EMAIL_URL": "smtp://127.0.0.1:1",
        # Whatever the hour the benchmark runs at, its SMS are queued and go out at once.
        "SMS_QUIET_START_HOUR": "0",
        "SMS_QUIET_END_HOUR": "0",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    admin = f"{postgres}/postgres"
    subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"])
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {DATABASE}"], check=True)
    redis = subprocess.Popen(
        [
            "redis-server",
            *("--port", str(redis_port), "--bind", "127.0.0.1", "--save", ""),
            *("--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"),
        ],
        stdout=subprocess.DEVNULL,
    )
    sinks: list[Sink] = []
    try:
        manage = [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"]
        subprocess.run(manage, cwd=ROOT, env=env, check=True)
        import django

        django.setup()
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            postgres_version = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"

        with TemporaryDirectory() as directory:
            tmp = Path(directory)
            messages = build_messages(args.messages)
            sinks.append(Sink(tmp, "raw-per-connection"))
            per_connection = raw_smtplib(sinks[-1].port, messages, reuse=False)
            sinks.append(Sink(tmp, "raw-reused"))
            reused = raw_smtplib(sinks[-1].port, messages, reuse=True)
            assert all(len(sink.ids()) == args.messages for sink in sinks)
            runs = []
            for run, processes in enumerate(counts):
                sinks.append(Sink(tmp, f"outbox-{processes}"))
                runs.append(
                    outbox_run(
                        args.messages,
                        sinks[-1],
                        env,
                        tmp / f"worker-{processes}.log",
                        processes=processes,
                        run=run,
                        redis_pid=redis.pid,
                    )
                )
            if 2 in counts:
                sinks.append(Sink(tmp, "outbox-2-unpinned"))
                runs.append(
                    outbox_run(
                        args.messages,
                        sinks[-1],
                        env,
                        tmp / "worker-2-unpinned.log",
                        processes=2,
                        run=len(runs),
                        redis_pid=redis.pid,
                        pinned=False,
                    )
                )
            sinks.append(Sink(tmp, "raw-sms", kind="gateway"))
            raw_sms_s = raw_sms(sinks[-1].port, args.messages)
            sms_runs: list[dict] = []
            for processes in counts:
                sinks.append(Sink(tmp, f"sms-{processes}", kind="gateway"))
                sms_runs.append(
                    outbox_run(
                        args.messages,
                        sinks[-1],
                        env,
                        tmp / f"worker-sms-{processes}.log",
                        processes=processes,
                        run=len(runs) + len(sms_runs),
                        redis_pid=redis.pid,
                        sms=True,
                    )
                )
            profile = ""
            if args.profile:
                sinks.append(Sink(tmp, "outbox-profiled"))
                report = tmp / "profile.txt"
                outbox_run(
                    args.messages,
                    sinks[-1],
                    env,
                    tmp / "worker-profiled.log",
                    run=len(runs) + len(sms_runs),
                    profile=report,
                )
                profile = report.read_text() if report.exists() else ""
        connection.close()
    finally:
        for sink in sinks:
            sink.stop()
        redis.terminate()
        redis.wait(timeout=10)
        drop = f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"
        subprocess.run(["psql", admin, "-qc", drop], check=True)

    figures = {
        "outbox": runs[0],
        "runs": runs,
        "raw_per_connection_s": per_connection,
        "raw_reused_s": reused,
        "sms_runs": sms_runs,
        "raw_sms_s": raw_sms_s,
        "postgres": postgres_version,
        "profile": profile,
        "load": (load_at_start, os.getloadavg()[0]),
    }
    command = ".venv/bin/python bench/notifications.py" + (
        f" --messages {args.messages}" if args.messages != 10_000 else ""
    )
    if args.processes != "1,2,4":
        command += f" --processes {args.processes}"
    text = section(args.messages, figures, time.perf_counter() - began, command)
    print(text)
    if not args.no_write:
        write_section(HEADING, text)


if __name__ == "__main__":
    main()
