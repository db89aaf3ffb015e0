"""The users of ``bench/mixed.py``: leaders, representatives, HR and the two floors.

Run by ``bench/mixed.py`` (``locust --headless``); it never imports Django. What the users open
and write comes from the JSON file named by ``BENCH_MIXED_DATA`` (sessions, panels, seats and
links of a copy of the scale dataset); ``BENCH_MIXED_WRITES=0`` leaves every write out (the
read-only phase), and ``BENCH_MIXED_RATES`` holds each kind of request's rate per second.
Each user class sends its kinds at the rates asked (``poisson_throughput`` per user, the kind
drawn by weight), so the mix is the one ``bench/mixed.py`` derives from NAV's figures, and the
requests arrive as independent people's do: at random moments, not on the tick of a clock that
every simulated user started at the same instant.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable
from typing import TypeVar

from locust import FastHttpUser, task

DATA = json.loads(open(os.environ["BENCH_MIXED_DATA"]).read())
WRITES = os.environ.get("BENCH_MIXED_WRITES", "1") == "1"
RATES: dict[str, float] = json.loads(os.environ["BENCH_MIXED_RATES"])
# A 32-character CSRF secret, sent as the cookie and as the header (Django accepts the unmasked
# secret as the token); a browser gets its own from the first form it opens.
CSRF = "benchbenchbenchbenchbenchbenchbe"
PER_USER = 1.0  # requests per second a user sends at most

LEADER_READS = ("leader: dashboard", "leader: panel page", "leader: pool list")
LEADER_WRITES = ("write: invite", "write: attendance", "write: travel claim")
REPRESENTATIVE = ("representative: invitation", "write: answer")
HR = ("hr: roster", "hr: roster filtered", "hr: statistics", "hr: statistics, one office")
FLOORS = ("floor: base template, no query", "floor, signed in as a leader")


def poisson_throughput(rate: float) -> Callable[[FastHttpUser], float]:
    """A ``wait_time`` for ``rate`` requests a second on average, each gap drawn from the
    exponential distribution (a Poisson process, as the requests of many independent people
    arrive). Locust's ``constant_throughput`` ticks at fixed intervals from each user's start,
    and its users start together, so every user's request arrived in the same few milliseconds
    each second and queued behind the others'. The schedule runs on from the last planned
    moment, so a slow response does not lower the rate."""

    planned: dict[int, float] = {}  # each user's next planned moment, by the user's id

    def wait_time(user: FastHttpUser) -> float:
        now = time.monotonic()
        last = max(planned.get(id(user), now), now - 1 / rate)
        planned[id(user)] = last + random.expovariate(rate)
        return max(0.0, planned[id(user)] - now)

    return wait_time


def _users(kinds: tuple[str, ...]) -> int:
    return max(1, round(sum(RATES.get(kind, 0) for kind in kinds) / PER_USER + 0.49))


_Item = TypeVar("_Item")


def _pop(items: list[_Item]) -> _Item | None:
    return items.pop() if items else None


class _User(FastHttpUser):
    abstract = True
    kinds: tuple[str, ...] = ()

    def on_start(self) -> None:
        # Each request names its own session: no cookie set by one office's answer may ride along
        # with the next request, which may be another office's.
        self.client.client.cookiejar = None

    def _kind(self) -> str:
        kinds = [k for k in self.kinds if WRITES or not k.startswith("write:")]
        return random.choices(kinds, weights=[RATES.get(k, 0) for k in kinds])[0]

    def _get(self, path: str, name: str, cookie: str = "") -> None:
        self.client.get(path, name=name, headers={"Cookie": cookie} if cookie else {})

    def _post(self, path: str, name: str, data: dict, cookie: str = "") -> None:
        cookies = f"{cookie}; csrftoken={CSRF}" if cookie else f"csrftoken={CSRF}"
        self.client.post(
            path,
            name=name,
            data=data,
            headers={"Cookie": cookies, "X-CSRFToken": CSRF},
            allow_redirects=False,
        )


class Leader(_User):
    """One of ~1,000 leaders: any office's, drawn per request (the rates are the country's)."""

    kinds = LEADER_READS + LEADER_WRITES
    fixed_count = _users(kinds)
    wait_time = poisson_throughput(
        sum(RATES.get(k, 0) for k in kinds if WRITES or not k.startswith("write:")) / fixed_count
    )

    @task
    def act(self) -> None:
        office = random.choice(DATA["offices"])
        kind = self._kind()
        cookie = office["cookie"]
        if kind == "leader: dashboard":
            self._get(office["dashboard_path"], kind, cookie)
        elif kind == "leader: panel page":
            self._get(office["panel_path"], kind, cookie)
        elif kind == "leader: pool list":
            self._get(office["pool_path"], kind, cookie)
        elif kind == "write: invite":
            person = _pop(office["invitable"])
            if person is not None:
                self._post(office["invite_path"], kind, {"representative": person}, cookie)
        elif kind == "write: attendance":
            path = _pop(office["to_mark"])
            if path is not None:
                self._post(path, kind, {"attended": "yes"}, cookie)
        elif kind == "write: travel claim":
            path = _pop(office["attended"])
            if path is not None:
                data = {"amount": "342.50", "description": "Buss Mo i Rana–Korgen, tur-retur"}
                self._post(path, kind, data, cookie)


class Representative(_User):
    """A representative opening the invitation from the email, and answering it."""

    kinds = REPRESENTATIVE
    fixed_count = _users(kinds)
    wait_time = poisson_throughput(
        sum(RATES.get(k, 0) for k in kinds if WRITES or not k.startswith("write:")) / fixed_count
    )

    @task
    def act(self) -> None:
        kind = self._kind()
        if kind == "representative: invitation":
            self._get(random.choice(DATA["invitation_pages"]), kind)
            return
        link = _pop(DATA["to_answer"])
        if link is None:
            return
        if random.random() < 0.85:
            data = {
                "declaration": DATA["declaration"],
                "consent_text": DATA["consent_text"],
                "sign_declaration": "on",
                "agree_consent": "on",
            }
            self._post(link + "ja/", kind, data)
        else:
            self._post(link + "nei/", kind, {"reason": "Jeg er bortreist den dagen."})


class Hr(_User):
    """National and county HR reading the roster and the statistics."""

    kinds = HR
    fixed_count = _users(kinds)
    wait_time = poisson_throughput(sum(RATES.get(k, 0) for k in kinds) / fixed_count)

    @task
    def act(self) -> None:
        kind = self._kind()
        self._get(DATA["hr_pages"][kind], kind, DATA["hr_cookie"])


class Floor(_User):
    """The two references, sent alongside so they meet the same load."""

    kinds = FLOORS
    fixed_count = _users(kinds)
    wait_time = poisson_throughput(sum(RATES.get(k, 0) for k in kinds) / fixed_count)

    @task
    def act(self) -> None:
        kind = self._kind()
        cookie = DATA["offices"][0]["cookie"] if kind == FLOORS[1] else ""
        self._get("/bench/floor/", kind, cookie)
