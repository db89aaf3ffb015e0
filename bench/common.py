"""What the benchmark scripts share: databases per size, Django setup, machine facts."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/13")
PREFIX = os.environ.get("BENCH_DB", "np_bench")


def database_url(offices: int) -> str:
    """Each size has its own database, e.g. ``np_bench_25`` and ``np_bench_250``."""
    return f"{PG}/{PREFIX}_{offices}"


def env_for(offices: int, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url(offices),
        "REDIS_URL": REDIS,
        "PYTHONPATH": str(ROOT),
        "PYTHONHASHSEED": "0",
        # No page computed again after each write (navpanel.warming) unless a benchmark runs
        # a worker for it (bench/mixed.py): seeding would queue a task per save otherwise.
        "PAGES_WARM": "0",
        **extra,
    }


def django_setup() -> None:
    """For a child process started with ``env_for``."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def run_child(offices: int, module: str, *args: str, timeout: float = 900) -> dict:
    """Run ``python -m bench.<module> --child ...`` on the database of ``offices``; its last
    stdout line is JSON."""
    result = subprocess.run(
        [PYTHON, "-m", f"bench.{module}", "--child", *args],
        cwd=ROOT,
        env=env_for(offices),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"bench.{module} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    system = f"{platform.system()} {platform.release()}"
    return f"{system}, {os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}"


def met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def cpu_seconds(pid: int) -> float:
    """The process's CPU time so far (user + system), in seconds; 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
