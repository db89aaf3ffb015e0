"""No log line holds a link token (issue 15, point 3): the logs show the route only.

A representative's whole journey by link — the invitation's seat page, the answer, a tampered
link, a link of a panel long over, my page, the feedback form, a post without its CSRF cookie —
goes to a real gunicorn with the image's configuration (its JSON access log and Django's
request logging) and to ``manage.py runserver`` (its request lines), as separate processes
on this test's database. Every line they wrote is searched for every token used.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from panels import links, texts
from panels.enums import SeatStatus
from tests.factories.links import invited_seat
from tests.factories.panels import PanelRowFactory, SeatFactory, day_at

pytestmark = [pytest.mark.xdist_group("servers"), pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment() -> dict[str, str]:
    db = settings.DATABASES["default"]
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "navpanel.settings_test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.CACHES["default"]["LOCATION"],
        "SECRET_KEY": settings.SECRET_KEY,
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }


def _serve(command: list[str], port: int, log: Path) -> Iterator[str]:
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=_environment(), stdout=out, stderr=out)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/internal/isalive", timeout=2)  # noqa: S310
            break
        except (OSError, urllib.error.URLError):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"{command[2]} did not start:\n{log.read_text()}")
            time.sleep(0.3)
    yield base
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture
def gunicorn(tmp_path) -> Iterator[str]:
    port = _free_port()
    command = [sys.executable, "-m", "gunicorn", "-c", "python:navpanel.gunicorn_conf"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "1", "navpanel.wsgi"]
    yield from _serve(command, port, tmp_path / "gunicorn.log")


@pytest.fixture
def runserver(tmp_path) -> Iterator[str]:
    port = _free_port()
    command = [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
    yield from _serve(command, port, tmp_path / "runserver.log")


def _journey(base: str, seat, past_seat) -> set[str]:
    """A representative's visits by link; returns every token it used."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    seat_token = links.seat_token(seat.pk)
    tokens = {
        seat_token,
        links.seat_token(past_seat.pk),
        links.my_page_token(seat.representative_id),
        links.representative_token(seat.representative_id),
    }

    def visit(path: str, data: dict | None = None, *, expect: int) -> str:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(  # noqa: S310 - our own server over http
            base + path, data=body, headers={"Accept-Language": "en"}
        )
        try:
            with opener.open(request, timeout=20) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode()
        assert status == expect, f"{path} answered {status}"
        return text

    page = visit(reverse("seat_link", args=[seat_token]), expect=200)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    declaration = texts.confidentiality_text_current()
    visit(
        reverse("seat_link_accept", args=[seat_token]),
        {"csrfmiddlewaretoken": csrf, "declaration": declaration.pk, "support_needs": ""},
        expect=200,  # followed to the seat page
    )
    visit(reverse("seat_link", args=[seat_token[:-4] + "abcd"]), expect=404)
    visit(reverse("seat_link", args=[links.seat_token(past_seat.pk)]), expect=410)
    visit(reverse("feedback_link", args=[links.seat_token(past_seat.pk)]), expect=410)
    visit(reverse("my_page", args=[links.my_page_token(seat.representative_id)]), expect=200)
    visit(
        reverse("consent_link", args=[links.representative_token(seat.representative_id)]),
        expect=200,
    )
    jar.clear()
    visit(reverse("seat_link_decline", args=[seat_token]), {"reason": ""}, expect=403)
    return tokens


@pytest.fixture
def seats(office_a):
    seat = invited_seat(office=office_a, signed=True)
    past = SeatFactory(
        panel=PanelRowFactory(round__office=office_a, starts_at=day_at(-30, 9)),
        status=SeatStatus.ATTENDED,
    )
    return seat, past


def _signature_parts(tokens: set[str]) -> set[str]:
    """What would give a token away: the whole token and its signature, raw and quoted."""
    parts = set()
    for token in tokens:
        parts |= {token, token.rsplit(":", 1)[1], urllib.parse.quote(token)}
    return parts


@pytest.mark.parametrize("server", ["gunicorn", "runserver"])
def test_no_log_line_of_a_link_journey_holds_a_token(request, tmp_path, seats, server):
    seat, past = seats
    base = request.getfixturevalue(server)

    tokens = _journey(base, seat, past)
    time.sleep(0.5)  # the last lines

    seat.refresh_from_db()
    assert seat.status == SeatStatus.ACCEPTED
    log = (tmp_path / f"{server}.log").read_text()
    assert "/r/plass/<token>/" in log, log  # the requests were logged, by route
    assert re.search(r"(Gone|Not Found|Forbidden).*<token>", log), log  # Django's warnings too
    leaks = [part for part in _signature_parts(tokens) if part in log]
    assert leaks == [], log
