"""CSV export of every seat (~200,000 at 250 offices) through the roster's streaming export,
beside PostgreSQL's ``COPY (the same query) TO STDOUT`` in the same run.

The export runs in a process of its own as national HR, through the real view
(``rosters.views.roster_export_csv``: on PostgreSQL ``roster_for_user`` → ``csv_copy``, one
``COPY (SELECT ...) TO STDOUT`` into a spooled temporary file sent by a ``FileResponse``); its
body is read and thrown away. Its peak RSS growth is the
process's ``VmHWM`` at the end minus its ``VmRSS`` before the request. Targets (issue 9): within
3× COPY's time, peak RSS growth under 60 MB.

    .venv/bin/python -m bench.export [--offices 250] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import cast

from bench.common import machine, met, run_child
from bench.results import write_section

HEADING = "## Export"
TIME_FACTOR = 3
RSS_MB = 60


def _status(key: str) -> float:
    """A ``/proc/self/status`` figure in MB (VmRSS, VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


class _Sink:
    def __init__(self) -> None:
        self.bytes = 0
        self.lines = 0

    def write(self, data: str | bytes) -> None:
        self.bytes += len(data)
        self.lines += data.count("\n") if isinstance(data, str) else data.count(b"\n")


def child_export() -> None:
    from bench.common import django_setup

    django_setup()
    from django.http import StreamingHttpResponse
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from bench.dataset import sample_ids

    client = Client()
    client.force_login(User.objects.get(pk=sample_ids()["hr"]))
    client.get(reverse("roster"))  # imports, templates and connections warm
    before = _status("VmRSS")
    started = time.perf_counter()
    response = client.get(reverse("roster_export_csv"))
    sink = _Sink()
    # The CSV export streams; the test client's response type does not say so.
    for chunk in cast(StreamingHttpResponse, response):
        sink.write(chunk)
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "status": response.status_code,
                "rows": sink.lines - 1,
                "bytes": sink.bytes,
                "seconds": seconds,
                "rss_before": before,
                "hwm_after": _status("VmHWM"),
            }
        )
    )


def child_copy() -> None:
    from bench.common import django_setup

    django_setup()
    from django.db import connection

    from accounts.models import User
    from bench.dataset import sample_ids
    from rosters.selectors import RosterFilters, roster_for_user

    hr = User.objects.get(pk=sample_ids()["hr"])
    seats = roster_for_user(hr, filters=RosterFilters())
    sql, params = seats.query.sql_with_params()
    with connection.cursor() as cursor:
        query = cursor.cursor.mogrify(sql, params).decode()
        sink = _Sink()
        started = time.perf_counter()
        cursor.cursor.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)", sink)
        seconds = time.perf_counter() - started
    print(json.dumps({"rows": sink.lines, "bytes": sink.bytes, "seconds": seconds}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--offices", type=int, default=250)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--part", default="export")
    options = parser.parse_args()
    if options.child:
        child_export() if options.part == "export" else child_copy()
        return
    copy = run_child(options.offices, "export", "--part", "copy")
    export = run_child(options.offices, "export", "--part", "export")
    copy_again = run_child(options.offices, "export", "--part", "copy")
    copy_seconds = min(copy["seconds"], copy_again["seconds"])
    growth = export["hwm_after"] - export["rss_before"]
    ratio = export["seconds"] / copy_seconds
    text = "\n".join(
        [
            HEADING,
            "",
            f"`.venv/bin/python -m bench.export --offices {options.offices}`: every seat of the "
            f"{options.offices}-office dataset as CSV, as national HR, through the roster's "
            "CSV export view (`rosters.views.roster_export_csv` → `rosters.exports.csv_copy`: "
            "the honoraria computed once by the payroll rules, `reports.honoraria.seat_amounts`, "
            "and loaded into a temporary table with `COPY ... FROM STDIN`; then PostgreSQL "
            "writes the whole CSV with one `COPY (SELECT ...) TO STDOUT WITH (FORMAT csv)` "
            "of the roster query joined to them, with Oslo dates and times, the status labels "
            "of the active language as parameters and `cell_safe`'s rule in SQL, "
            "`navpanel.spreadsheets.cell_safe_sql`; into a temporary file spooled to disk past "
            "8 MB, sent by a `FileResponse`; with the backgrounds column, or on SQLite, Python "
            "writes the CSV as before) in a process of its own, "
            "beside `COPY (the same roster query) TO "
            "STDOUT WITH (FORMAT csv)` in the same run (the faster of one COPY before and one "
            f"after). Machine: {machine()}.",
            "",
            "| figure | export | COPY | target | |",
            "|---|---:|---:|---|---|",
            f"| rows | {export['rows']:,} | {copy['rows']:,} | same | "
            f"{met(export['rows'] == copy['rows'])} |",
            f"| seconds | {export['seconds']:.1f} | {copy_seconds:.2f} | ≤ {TIME_FACTOR}× COPY "
            f"({ratio:.1f}×) | {met(ratio <= TIME_FACTOR)} |",
            f"| rows/s | {export['rows'] / export['seconds']:,.0f} | "
            f"{copy['rows'] / copy_seconds:,.0f} | | |",
            f"| peak RSS growth, MB | {growth:.1f} (VmRSS {export['rss_before']:.0f} → VmHWM "
            f"{export['hwm_after']:.0f}) | – | < {RSS_MB} MB | {met(growth < RSS_MB)} |",
            "",
        ]
    )
    if ratio > TIME_FACTOR:
        text += (
            "\nNot met: beside COPY's plain dump of the same query the export also computes the "
            "honoraria of every seat in scope (one grouped query, "
            "`reports.honoraria.seat_amounts`, ~0.35 s at 250 offices, of which the query is "
            "~0.28 s), loads them into a temporary table (~0.05 s), and formats and sorts "
            "every row in its COPY (~0.25 s more than the plain COPY: dates, labels, "
            "`cell_safe_sql`). Next step: profile again on a quiet machine; the honoraria query "
            "(grouping every paid seat by representative, office and Oslo day) is the largest "
            "part left.\n"
        )
    if growth >= RSS_MB:
        text += (
            "\nPeak RSS growth not met: the honoraria of the export are held in memory (one "
            "entry per paid interview day); next step: read them in the export query.\n"
        )
    print(text)
    if not options.no_write:
        write_section(HEADING, text)


if __name__ == "__main__":
    main()
