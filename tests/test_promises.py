"""docs/promises.md names, for each promise navpanel makes to a representative, the tests that
prove it (issue 14, point 12). A name that is not a test in the suite fails here.

The check reads the test files with ``ast``, not by collecting or running them: it costs
milliseconds, and it cannot be fooled by a name that appears only in a comment or a string.
The named tests themselves run (and must pass) with the rest of the suite.
"""

import ast
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROMISES = ROOT / "docs" / "promises.md"
# `tests/some/test_file.py::test_name`, optionally `::Class::test_name` or with `[param]`.
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)::((?:\w+::)?\w+)(?:\[[^\]`]*\])?`")
UNPROVEN = "**unproven**"


@cache
def defined_tests(path: Path) -> frozenset[str]:
    """``test_x`` and ``TestClass::test_x`` for every test function the file defines."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
            "test"
        ):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            names.update(
                f"{node.name}::{item.name}"
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                and item.name.startswith("test")
            )
    return frozenset(names)


def missing_tests(text: str) -> list[str]:
    """Every test ``text`` names that the suite does not define."""
    missing = []
    for path, name in REFERENCE.findall(text):
        file = ROOT / path
        if not file.is_file() or name not in defined_tests(file):
            missing.append(f"{path}::{name}")
    return missing


def promise_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("- ")]


def test_every_test_named_in_promises_md_exists():
    text = PROMISES.read_text()

    assert len(REFERENCE.findall(text)) >= 30
    assert missing_tests(text) == []


def test_every_promise_names_its_tests_or_says_plainly_it_is_unproven():
    lines = promise_lines(PROMISES.read_text())

    without = [line for line in lines if not REFERENCE.search(line) and UNPROVEN not in line]

    assert len(lines) >= 20
    assert without == []


def test_the_check_catches_a_name_that_is_no_test(tmp_path):
    text = (
        "- real: `tests/test_promises.py::test_the_check_catches_a_name_that_is_no_test`\n"
        "- renamed: `tests/test_promises.py::test_that_was_renamed`\n"
        "- helper, not a test: `tests/test_promises.py::missing_tests`\n"
        "- no such file: `tests/nowhere/test_gone.py::test_anything`\n"
    )

    assert missing_tests(text) == [
        "tests/test_promises.py::test_that_was_renamed",
        "tests/test_promises.py::missing_tests",
        "tests/nowhere/test_gone.py::test_anything",
    ]
