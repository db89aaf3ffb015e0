"""``EXPLAIN ANALYZE`` of the hot pages' queries on the seeded dataset.

Each page in ``HOT`` is opened as its user with the queries captured (exactly as executed);
every SELECT is then run again under ``EXPLAIN (ANALYZE, BUFFERS)``. The section lists each
page's queries by time, names any sequential scan of a large table, and shows the plans of the
slowest ones.

    .venv/bin/python -m bench.explain [--offices 250] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any

from bench.common import run_child
from bench.results import write_section

HEADING = "## Query plans (EXPLAIN ANALYZE)"
HOT = [
    "leader: dashboard",
    "leader: panel page",
    "leader: representative detail",
    "hr: roster filtered",
    "hr: statistics, one office",
]
LARGE_TABLE_ROWS = 10_000
# Indexes the plans ask for but the code does not have yet: created for a second measurement
# only, then dropped (the panels app's migrations are the lead's). name: (table, definition, why)
CANDIDATES = {
    "bench_seat_roster_order": (
        "panels_seat",
        "(starts_at, panel_id, id)",
        "the roster's default order (date, panel, seat): its first page could be read in index "
        "order instead of sorting every seat of the filter",
    ),
}
SHOWN_PLANS = 2


def child() -> None:
    from bench.common import django_setup

    django_setup()
    from django.db import connection

    from bench.dataset import sample_ids

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_live_tup FROM pg_stat_user_tables WHERE n_live_tup >= %s",
            [LARGE_TABLE_ROWS],
        )
        large = dict(cursor.fetchall())
    sample = sample_ids()
    with_candidates = "--with-candidates" in sys.argv
    if with_candidates:
        with connection.cursor() as cursor:
            for name, (table, definition, _why) in CANDIDATES.items():
                cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {definition}")
                cursor.execute(f"ANALYZE {table}")
    out: dict[str, Any] = {}
    try:
        _explain_pages(out, sample, large)
    finally:
        if with_candidates:
            with connection.cursor() as cursor:
                for name in CANDIDATES:
                    cursor.execute(f"DROP INDEX IF EXISTS {name}")
    print(json.dumps({"pages": out, "large": large}))


def _explain_pages(out: dict, sample: dict, large: dict) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from bench.pages import PAGES
    from navpanel.cache_versions import data_version_bump

    for page in PAGES:
        path = page.path(sample) if page.name in HOT else None
        if path is None:
            continue
        client = Client()
        if page.who in ("leader", "hr"):
            client.force_login(User.objects.get(pk=sample[page.who]))
        client.get(path)
        # The pages cache what is costly (navpanel.cache_versions): a new data version empties
        # that cache, so the plans are those of a page computed afresh, with Python warm.
        data_version_bump()
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        plans = []
        for query in captured.captured_queries:
            sql = query["sql"]
            if sql.startswith("DECLARE"):
                sql = sql.split(" FOR ", 1)[1]
            if not sql.startswith("SELECT") or "django_session" in sql:
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            timing = re.search(r"Execution Time: ([\d.]+) ms", plan)
            if timing is None:
                raise ValueError(f"EXPLAIN ANALYZE gave no execution time:\n{plan}")
            ms = float(timing.group(1))
            seq = sorted({t for t in re.findall(r"Seq Scan on (\w+)", plan) if t in large})
            plans.append({"sql": sql, "plan": plan, "ms": ms, "seq": seq})
        out[page.name] = {"path": path, "plans": plans}


def _short(sql: str) -> str:
    text = re.sub(r'"(\w+)"\."(\w+)"', r"\2", sql)
    text = re.sub(r"\s+", " ", text)
    return text[:140] + ("…" if len(text) > 140 else "")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--offices", type=int, default=250)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--with-candidates", action="store_true", help="(child) try CANDIDATES")
    options = parser.parse_args()
    if options.child:
        child()
        return
    result = run_child(options.offices, "explain")
    trial = run_child(options.offices, "explain", "--with-candidates")
    large = ", ".join(f"{name} ({rows:,})" for name, rows in sorted(result["large"].items()))
    lines = [
        HEADING,
        "",
        f"`.venv/bin/python -m bench.explain --offices {options.offices}`: every read query of "
        "the hot pages, captured from a real request and run again under `EXPLAIN (ANALYZE, "
        f"BUFFERS)` on the {options.offices}-office dataset. The request is made just after the "
        "data version was bumped, so what the pages cache in Redis is computed afresh: these "
        "are the queries of a cache miss (a hit skips the costly ones). Large tables (≥ "
        f"{LARGE_TABLE_ROWS:,} rows): {large}.",
        "",
    ]
    for name, page in result["pages"].items():
        plans = sorted(page["plans"], key=lambda p: -p["ms"])
        total = sum(p["ms"] for p in plans)
        lines += [
            f"### {name} (`{page['path']}`): {len(plans)} queries, {total:.1f} ms in the database",
            "",
            "| ms | sequential scans of large tables | query |",
            "|---:|---|---|",
        ]
        for p in plans:
            seq = ", ".join(p["seq"]) or "–"
            lines.append(f"| {p['ms']:.2f} | {seq} | `{_short(p['sql'])}` |")
        lines.append("")
        for p in plans[:SHOWN_PLANS]:
            lines += ["```", p["plan"], "```", ""]
    lines += [
        "### Indexes",
        "",
        "The plans above are on the indexes the code has. Candidate indexes, created for a "
        "second measurement in the same run and dropped again:",
        "",
        "| index | why | page: ms in the database without → with |",
        "|---|---|---|",
    ]
    for name, (table, definition, why) in CANDIDATES.items():
        effect = ", ".join(
            f"{page}: {sum(p['ms'] for p in result['pages'][page]['plans']):.1f} → "
            f"{sum(p['ms'] for p in trial['pages'][page]['plans']):.1f}"
            for page in result["pages"]
        )
        lines.append(f"| `{name}` on `{table} {definition}` | {why} | {effect} |")
    lines += [
        "",
        "`seat_booked_ends_at` (the panel page's overlap check) is in `panels.Seat.Meta.indexes` "
        "since migration `panels/0007`. A candidate that shortens a page's database time by "
        "more than a few ms belongs in `panels.Seat.Meta.indexes` too (a `panels` migration, "
        "left to the lead); otherwise the plans above need no new index.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if not options.no_write:
        write_section(HEADING, text)


if __name__ == "__main__":
    main()
