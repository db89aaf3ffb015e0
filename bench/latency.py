"""Latency under load: gunicorn (2 workers) on PostgreSQL, driven by wrk with 16 connections.

For every page marked ``latency=True`` in ``bench/pages.py`` and for the floor (the base template
rendered with no query, ``bench/urls.py``), in the same run and one after the other: p50, p95,
p99 and requests per second over a fixed time. Target (issue 9): each page's p95 within 4× the
floor's p95 and under 150 ms.

    .venv/bin/python -m bench.latency [--offices 250] [--seconds 10] [--no-write]

wrk (Debian's ``wrk`` package) runs as a second process on loopback: 2 threads, 16 connections
(16 concurrent users, keep-alive), each page for ``--seconds`` after a short warm-up.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from importlib import metadata

from bench.common import ROOT, env_for, machine, met, run_child
from bench.results import write_section

HEADING = "## Latency under load"
FLOOR = "floor: base template, no query"
# The same floor as the first office's leader: what signing in costs every page (the session,
# the user, the roles, two-factor, the header's offices). A reference, not the target's base.
SIGNED_IN_FLOOR = "floor, signed in as a leader"
CONNECTIONS = 16
WORKERS = 2
TARGET_FACTOR = 4
TARGET_MS = 150


def child() -> None:
    from bench.common import django_setup

    django_setup()
    from django.test import Client

    from accounts.models import User
    from bench.dataset import sample_ids
    from bench.pages import PAGES

    sample = sample_ids()
    cookies = {}
    for who in ("leader", "hr"):
        client = Client()
        client.force_login(User.objects.get(pk=sample[who]))
        cookies[who] = f"sessionid={client.cookies['sessionid'].value}"
    pages = [
        {"name": FLOOR, "path": "/bench/floor/", "cookie": ""},
        {"name": SIGNED_IN_FLOOR, "path": "/bench/floor/", "cookie": cookies["leader"]},
    ]
    for page in PAGES:
        path = page.path(sample) if page.latency else None
        if path:
            pages.append({"name": page.name, "path": path, "cookie": cookies.get(page.who, "")})
    print(json.dumps(pages))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, cookie: str) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _wrk(url: str, cookie: str, seconds: int) -> dict:
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(ROOT / "bench" / "latency.lua"),
            url,
        ],
        env={**os.environ, "BENCH_COOKIE": cookie},
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    )
    line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT "))
    requests, duration, p50, p95, p99, top, errors, bad_status, _bytes, _mean = (
        float(v) for v in line.split()[1:]
    )
    return {
        "requests": int(requests),
        "rps": requests / (duration / 1e6),
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "p99": p99 / 1000,
        "max": top / 1000,
        "errors": int(errors),
        "bad_status": int(bad_status),
    }


def measure(offices: int, seconds: int) -> tuple[list[dict], str]:
    pages = run_child(offices, "latency")
    port = _free_port()
    env = env_for(offices)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "navpanel.wsgi:application",
            f"--workers={WORKERS}",
            f"--bind=127.0.0.1:{port}",
            "--timeout=120",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if _get(base + "/internal/isalive", "") == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError("gunicorn did not start")
        results = []
        for page in pages:
            status = _get(base + page["path"], page["cookie"])
            for _ in range(3):  # warm both workers' caches and connections
                _get(base + page["path"], page["cookie"])
            figures = _wrk(base + page["path"], page["cookie"], seconds)
            figures.update(name=page["name"], status=status)
            results.append(figures)
            print(
                f"{page['name']:<40} HTTP {status} p50 {figures['p50']:7.1f} ms  "
                f"p95 {figures['p95']:7.1f} ms  p99 {figures['p99']:7.1f} ms  "
                f"{figures['rps']:6.1f} req/s",
                flush=True,
            )
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    wrk_version = subprocess.run(
        ["wrk", "--version"], capture_output=True, text=True, check=False
    ).stdout.splitlines()[0:1]
    return results, (wrk_version[0] if wrk_version else "wrk")


def _ok(result: dict, limit: float) -> bool:
    return result["p95"] <= limit and result["errors"] == 0 and result["bad_status"] == 0


# Why a page is slower than the target, from its profile (cProfile of Client().get on the
# 250-office dataset), and what would come next. Read them beside the figures of the run.
REASONS = {
    "leader: dashboard": "its lists and rounds come from Redis; what is left is signing in "
    "(the signed-in floor above: the session, read from Redis; the user and their roles, two "
    "queries; the header's office switcher, from Redis), the offices, the failed emails "
    "(always read fresh: the outbox marks them with UPDATE, which bumps no version) and the "
    "template, ~9 ms in one process. Next: render the cached lists once per entry.",
    "leader: panel page": "its seats and invitation sections come rendered from Redis "
    "(`navpanel.fragments`, each viewer's CSRF token put in on the way out); 5 queries are "
    "left (panel, interviews, staff, user and roles) and the rest of the template with the "
    "move form (~10 ms in one process). Next: read interviews and staff with the panel, and "
    "render the move form once per version.",
    "representative: invitation": "after its first open (and once the worker has rendered it "
    "after a change) the page comes from the cache: one statement (where the seat belongs) "
    "and the link's and the visitor's tokens put in, ~2.6 ms in one process; rendering it "
    "takes ~17 ms; it is kept under its panel's and person's versions, so other seats' "
    "writes leave it. Next: the answer forms written once per version of the texts.",
    "hr: roster": "the first page of every seat in national HR's scope (~200,000): as for the "
    "filtered roster below, its rows, their count and honoraria and the header come from "
    "Redis; what is left is the filter form and the template. Next: as for the filtered "
    "roster.",
    "hr: statistics": "the county overview comes rendered from Redis (computed again by a "
    "worker after each write, `navpanel.warming`); what is left is the filter form (the 250 "
    "offices by `LongSelect`), the office reads of the view and the two-factor check HR "
    "always makes, ~12 ms in one process. Next: as for the roster.",
    "hr: roster filtered": "the page's seats, their count, honoraria and rendered rows come "
    "from Redis, and so do the header's office switcher (written in Python, cached per "
    "scope) and the session; what is left is the filter form (its 250 offices are written by "
    "`LongSelect`, the other fields each through a template), ~11 ms in one process. Next: an "
    "office filter that searches rather than lists, and the form's fields written like "
    "`LongSelect`.",
    "hr: statistics, one office": "the rendered report and the header's office switcher come "
    "from Redis; what is left is the filter form (the 250 offices by `LongSelect`), the "
    "four office reads of the view and the two-factor check HR always makes, ~9 ms in one "
    "process. Next: as for the roster.",
}
NEXT_STEP = "profile the page (cProfile of Client().get) and fix what dominates."


def report(results: list[dict], offices: int, seconds: int, wrk_version: str) -> str:
    floor = next(r for r in results if r["name"] == FLOOR)
    limit = min(TARGET_FACTOR * floor["p95"], TARGET_MS)
    lines = [
        HEADING,
        "",
        f"`.venv/bin/python -m bench.latency --offices {offices} --seconds {seconds}`: gunicorn "
        f"{metadata.version('gunicorn')} with {WORKERS} sync workers on the {offices}-office "
        f"dataset, driven by {wrk_version.split(' [')[0]} on loopback with {CONNECTIONS} "
        f"connections (16 concurrent users) for {seconds} s per page, pages one after the "
        f"other in the same run. Machine: {machine()}. Target: p95 ≤ {TARGET_FACTOR}× the "
        f"floor's p95 and < {TARGET_MS} ms, i.e. ≤ {limit:.1f} ms in this run. Latency "
        "includes waiting for a free worker (16 users on 2 workers).",
        "",
        "| page | HTTP | p50 ms | p95 ms | p99 ms | req/s | ms of work | p95 / floor | target | |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in results:
        ratio = r["p95"] / floor["p95"] if floor["p95"] else 0
        reference = r["name"] in (FLOOR, SIGNED_IN_FLOOR)
        verdict = "reference" if reference else met(_ok(r, limit))
        lines.append(
            f"| {r['name']} | {r['status']} | {r['p50']:.1f} | {r['p95']:.1f} | "
            f"{r['p99']:.1f} | {r['rps']:.1f} | {1000 * WORKERS / r['rps']:.0f} | {ratio:.1f}× | "
            f"{'–' if reference else f'≤ {limit:.1f} ms'} | {verdict} |"
        )
    lines += [
        "",
        "*ms of work* is the workers' time per request (2 workers / req/s), which includes the "
        "CPU PostgreSQL and wrk take from the same 2 cores. With 16 users on 2 sync workers a "
        "request waits for about 7 others, so p95 ≈ 8× the work: the target needs ≤ "
        f"~{limit / 8:.1f} ms of work per page here. The pages read what is costly from Redis "
        "(`navpanel.cache_versions`: the data version is bumped by every change, so a cached "
        "entry is never stale), and this run measures them warm, as users meet them between "
        "changes. The signed-in floor is the same base template for a signed-in leader: what "
        "signing in costs every page before it does anything (session, user, roles, "
        "two-factor, the header's offices); a page within 4× the anonymous floor must cost "
        "little more than that.",
        "",
    ]
    missed = [r for r in results if r["name"] not in (FLOOR, SIGNED_IN_FLOOR) and not _ok(r, limit)]
    if missed:
        lines += ["Reasons and next steps where not met:", ""]
        lines += [f"- {r['name']}: {REASONS.get(r['name'], NEXT_STEP)}" for r in missed]
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--offices", type=int, default=250)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--child", action="store_true")
    options = parser.parse_args()
    if options.child:
        child()
        return
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    results, version = measure(options.offices, options.seconds)
    text = report(results, options.offices, options.seconds, version)
    print(text)
    if not options.no_write:
        write_section(HEADING, text)


if __name__ == "__main__":
    main()
