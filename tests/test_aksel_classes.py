"""`make lint` fails on an `aksel-*` class the installed ds-css lacks (issue 18, point 10)."""

import re
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def _lint_commands() -> list[str]:
    makefile = (BASE_DIR / "Makefile").read_text()
    recipe = re.search(r"^lint:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert recipe
    return [line.strip() for line in recipe.group(1).splitlines()]


def _check(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ops.aksel_classes", *map(str, paths)],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


def test_make_lint_runs_the_aksel_class_check():
    assert "$(PY) -m ops.aksel_classes" in _lint_commands()


def test_a_class_the_installed_css_lacks_fails_with_file_and_line(tmp_path):
    template = tmp_path / "page.html"
    template.write_text(
        '<div class="aksel-base-alert">\n<div class="aksel-alert aksel-alert--error">x</div>\n'
    )

    result = _check(tmp_path)

    assert result.returncode == 1
    assert f"{template}:2: aksel-alert--error is not a class" in result.stdout
    assert "aksel-base-alert" not in result.stdout


def test_a_class_built_in_the_template_must_start_a_real_class(tmp_path):
    (tmp_path / "ok.html").write_text('<span class="aksel-tag aksel-tag--{{ variant }}">')
    (tmp_path / "bad.html").write_text('<span class="aksel-nosuch--{{ variant }}">')

    result = _check(tmp_path)

    assert result.returncode == 1
    assert "aksel-nosuch--" in result.stdout
    assert "ok.html" not in result.stdout


def test_the_templates_use_only_classes_the_installed_css_has():
    result = _check()

    assert result.returncode == 0, result.stdout
