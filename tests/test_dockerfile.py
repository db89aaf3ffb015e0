"""The Dockerfile passes hadolint and says what NAIS expects of an image.

No container engine runs on this machine, so the image is not built here; tests/test_entrypoint.py
runs what the image runs, the way NAIS runs it.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HADOLINT = Path(sys.executable).parent / "hadolint"


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def test_hadolint_finds_nothing():
    result = subprocess.run(
        [str(HADOLINT), "--config", str(ROOT / ".hadolint.yaml"), str(ROOT / "Dockerfile")],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_runtime_stage_runs_the_entrypoint_as_uid_1069_on_port_8080():
    instructions = _instructions()
    stages = [i for i, (name, _) in enumerate(instructions) if name == "FROM"]
    runtime = instructions[stages[-1] :]

    assert len(stages) >= 3
    assert ("USER", "1069:1069") in runtime
    assert ("EXPOSE", "8080") in runtime
    assert ("ENTRYPOINT", '["/app/.venv/bin/python", "-m", "navpanel.entrypoint"]') in runtime
    assert not any(name == "RUN" for name, _ in runtime)
    assert any(name == "RUN" and "collectstatic" in args for name, args in instructions)
    assert "chainguard/python" in runtime[0][1]


def test_the_build_context_leaves_out_secrets_and_local_state():
    ignored = (ROOT / ".dockerignore").read_text().split()

    assert {".env", ".git", ".venv", "node_modules", "var", "staticfiles"} <= set(ignored)
