"""bench/RESULTS.md is shared: each benchmark rewrites only its own section."""

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def write_section(heading: str, text: str) -> None:
    """Replace the section under ``heading`` (up to the next ``## `` or the end), or append it."""
    old = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n\n"
    start = old.find(heading + "\n")
    if start < 0:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        end = old.find("\n## ", start + len(heading))
        new = old[:start] + text + ("\n" + old[end + 1 :] if end >= 0 else "")
    RESULTS.write_text(new.rstrip("\n") + "\n")
