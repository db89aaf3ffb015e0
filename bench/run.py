"""``make bench``: seed what is missing, run every benchmark, rewrite ``bench/RESULTS.md``.

    .venv/bin/python -m bench.run [--sizes 25,250] [--quick] [--seed-only]

Each size has its own database (``np_bench_25``, ``np_bench_250``; prefix ``BENCH_DB``),
created, migrated and seeded with ``manage.py seed_scale`` only when it is not there yet.
Queries per page are counted at every size; latency, mixed load, export and query plans run on
the largest. ``--quick`` shortens the runs (latency 3 s a page, mixed load 20 s a phase, 20
suggestion instances, 1,000 emails, 1 rotation seed) for a look, not for the record.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib import metadata

from bench.common import PG, PREFIX, PYTHON, ROOT, database_url, env_for, machine
from bench.results import RESULTS, write_section


def _psql(database: str, sql: str) -> str:
    result = subprocess.run(
        ["psql", f"{PG}/{database}", "-Atqc", sql],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() if result.returncode == 0 else ""


def _manage(offices: int, *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args, "--skip-checks"],
        cwd=ROOT,
        env=env_for(offices),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def ensure_dataset(offices: int) -> str:
    """Create, migrate and seed the size's database if needed; a line for the report."""
    name = f"{PREFIX}_{offices}"
    if name not in _psql("postgres", "SELECT datname FROM pg_database").split():
        subprocess.run(["createdb", f"--maintenance-db={PG}/postgres", name], check=True)
    _manage(offices, "migrate", "--noinput")
    started = time.perf_counter()
    output = _manage(offices, "seed_scale", "--offices", str(offices), "--if-missing")
    seconds = time.perf_counter() - started
    seeded = "already there" not in output
    seats = _psql(name, "SELECT count(*) FROM panels_seat")
    rows = _psql(
        name,
        "SELECT sum(n_live_tup) FROM pg_stat_user_tables",
    )
    how = f"seeded in this run in {seconds:.0f} s" if seeded else "seeded before this run"
    print(f"{offices} offices: {how}", flush=True)
    return f"| {offices} | `{name}` | {int(seats or 0):,} | {int(float(rows or 0)):,} | {how} |"


def step(title: str, command: list[str], log: list[str]) -> None:
    print(f"\n== {title}: {' '.join(command)}", flush=True)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, check=False)
    seconds = time.perf_counter() - started
    status = "ok" if result.returncode == 0 else f"**failed** (exit {result.returncode})"
    log.append(f"| {title} | `{' '.join(command[1:])}` | {seconds:.0f} s | {status} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="25,250")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--seed-only", action="store_true")
    options = parser.parse_args()
    sizes = sorted(int(s) for s in options.sizes.split(","))
    largest = str(sizes[-1])
    began = time.perf_counter()
    datasets = [ensure_dataset(size) for size in sizes]
    if options.seed_only:
        return

    RESULTS.write_text("# Benchmark results\n")
    py = [PYTHON, "-m"]
    quick = options.quick
    log: list[str] = []
    steps = [
        ("queries per page", [*py, "bench.queries", "--sizes", ",".join(map(str, sizes))]),
        (
            "latency",
            [*py, "bench.latency", "--offices", largest, "--seconds", "3" if quick else "10"],
        ),
        (
            "mixed load",
            [*py, "bench.mixed", "--offices", largest, "--seconds", "20" if quick else "180"],
        ),
        ("export", [*py, "bench.export", "--offices", largest]),
        ("suggestions", [*py, "bench.suggestions", "--instances", "20" if quick else "100"]),
        (
            "notifications",
            [
                PYTHON,
                "bench/notifications.py",
                "--messages",
                "1000" if quick else "10000",
                "--profile",
            ],
        ),
        (
            "rotation",
            # Ten seeds, run side by side on the CPUs (--jobs), take 2-6 minutes depending on
            # the machine's load; bench/rotation.py alone runs 20.
            [PYTHON, "bench/rotation.py", "--seeds", "1" if quick else "10", "--timing", "20"],
        ),
        ("query plans", [*py, "bench.explain", "--offices", largest]),
    ]
    # The run's own section goes first; the others follow in the order they run.
    write_section("## Run", "## Run\n\n(running…)\n")
    for title, command in steps:
        step(title, command, log)
    minutes = (time.perf_counter() - began) / 60
    versions = ", ".join(
        f"{name} {metadata.version(name)}"
        for name in ("Django", "psycopg2-binary", "gunicorn", "celery", "ortools", "locust")
    )
    postgres = _psql("postgres", "SHOW server_version")
    text = "\n".join(
        [
            "## Run",
            "",
            f"- **Command**: `make bench` (`.venv/bin/python -m bench.run --sizes "
            f"{options.sizes}{' --quick' if quick else ''}`), {minutes:.1f} minutes in all "
            "(target: under 30).",
            f"- **Date**: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
            f"- **Machine**: {machine()}; shared with other work, so absolute times drift; "
            "every figure stands beside its reference measured in the same run.",
            f"- **Versions**: PostgreSQL {postgres}, {versions}, Python {sys.version.split()[0]}.",
            f"- **Data**: `manage.py seed_scale --offices N --years 3` (`bench/dataset.py`, "
            f"seeded random, COPY); databases on `{database_url(0).rsplit('/', 1)[0]}`.",
            "",
            "| offices | database | seats | rows in all tables | seeding |",
            "|---:|---|---:|---:|---|",
            *datasets,
            "",
            "| step | command | time | |",
            "|---|---|---:|---|",
            *log,
            "",
        ]
    )
    write_section("## Run", text)
    print(f"\nbench/RESULTS.md rewritten in {minutes:.1f} minutes")


if __name__ == "__main__":
    main()
