"""The rotation benchmark's rare-background scenario (issue 18, point 9): with the office's cap,
nobody sits more panels than it allows without a recorded override; without it, the rare
background's holders carry far more. Runs ``bench/rotation.py --rare-only`` as a user would."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = 10


def _rare_scenario() -> dict[str, list[dict]]:
    finished = subprocess.run(
        [sys.executable, "bench/rotation.py", "--rare-only", "--seeds", str(SEEDS)],
        cwd=ROOT,
        capture_output=True,
        check=True,
        text=True,
        timeout=300,
    )
    return json.loads(finished.stdout)


def test_with_the_cap_nobody_is_over_it_without_a_recorded_override_and_the_most_is_reported():
    years = _rare_scenario()

    capped, uncapped = years["cap"], years["no cap"]
    assert len(capped) == SEEDS
    assert all(year["over_cap"] - year["overrides"] == 0 for year in capped)
    assert max(year["most_month"] for year in capped) <= 2
    assert max(year["most_quarter"] for year in capped) <= 4
    # The most panels any one person sat is reported, and the cap is what brings it down.
    assert all(year["most_year"] >= max(year["holders_year"]) for year in capped)
    assert sum(year["over_cap"] for year in uncapped) > 0
    assert max(year["most_month"] for year in uncapped) > 2
