"""`make lint`'s check that every `aksel-*` class we use exists in the installed @navikt/ds-css.

A class the stylesheet lacks styles nothing, silently: the page still renders, only without the
look it was written for (issue 18, point 10: `aksel-alert--error`, `aksel-fieldset--error` …).
This reads the class names the installed `dist/index.css` defines and every `aksel-*` token in
the templates and our JavaScript, and fails, naming file and line, on any the CSS does not have.
A token that runs into a template tag (`aksel-tag--{{ variant }}`) is a prefix: some class in the
CSS must start with it.

Run: `python -m ops.aksel_classes [path …]` (default: `templates/` and `static/js/`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
CSS = BASE_DIR / "node_modules" / "@navikt" / "ds-css" / "dist" / "index.css"
DEFAULT_PATHS = (BASE_DIR / "templates", BASE_DIR / "static" / "js")
SUFFIXES = {".html", ".txt", ".js"}

_DEFINED = re.compile(r"\.(aksel-[A-Za-z0-9_-]+)")
_USED = re.compile(r"(?<![A-Za-z0-9_.-])(aksel-[A-Za-z0-9_-]+)(\{)?")


def defined_classes(css: Path = CSS) -> set[str]:
    """Every `aksel-*` class the stylesheet names in a selector."""
    return set(_DEFINED.findall(css.read_text(encoding="utf-8")))


def _files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_file():
            yield path
        elif path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file())


def unknown_classes(paths: Iterable[Path], defined: set[str]) -> list[tuple[Path, int, str]]:
    """(file, line, class) for each `aksel-*` class used in `paths` that `defined` lacks."""
    found = []
    for path in _files(paths):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in _USED.finditer(line):
                name, dynamic = match.group(1), match.group(2)
                if dynamic:
                    known = any(cls.startswith(name) for cls in defined)
                else:
                    known = name in defined
                if not known:
                    found.append((path, number, name))
    return found


def main(argv: list[str]) -> int:
    if not CSS.exists():
        print(f"aksel classes: {CSS} is missing; run `make assets` first", file=sys.stderr)
        return 2
    paths = [Path(arg) for arg in argv] or list(DEFAULT_PATHS)
    unknown = unknown_classes(paths, defined_classes())
    for path, number, name in unknown:
        shown = path.relative_to(BASE_DIR) if path.is_relative_to(BASE_DIR) else path
        print(f"{shown}:{number}: {name} is not a class of the installed @navikt/ds-css")
    if unknown:
        print(f"aksel classes: {len(unknown)} unknown", file=sys.stderr)
        return 1
    print("aksel classes: all exist in the installed @navikt/ds-css")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
