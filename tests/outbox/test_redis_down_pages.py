"""Redis is a cache, not a dependency (issue 15, point 2).

The suite's own ``redis-server`` (``redis_server`` in this folder's conftest: a private process
this test starts, stops, freezes and thaws) is the cache, the session cache and the broker, as in
production. With it stopped, and again frozen (SIGSTOP), a signed-in leader's dashboard, the
invite POST, signing in and a representative's seat page each answer within 2 s; after Redis
returns, each invitation made meanwhile reaches the SMTP sink once, through a real worker.
"""

import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from navpanel import cache as navpanel_cache
from outbox.models import OutboxMessage, OutboxStatus
from outbox.services import messages_sweep
from panels import links
from panels.enums import SeatStatus
from panels.models import Seat
from tests.factories import PASSWORD
from tests.factories.links import invited_seat
from tests.factories.panels import OpenRoundFactory, PoolRepresentativeFactory, panel_for

from .conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

BOUND = 2.0


@pytest.fixture
def redis_cache(settings, redis_server, monkeypatch):
    """This process's cache on the test's own Redis, with a fresh view of it."""
    monkeypatch.setattr(navpanel_cache, "_outage", navpanel_cache._Outage())
    settings.CACHES = {
        "default": {
            "BACKEND": "navpanel.cache.RedisFallbackCache",
            "LOCATION": redis_server.url.replace("/0", "/2"),
            "KEY_PREFIX": "navpanel",
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    cache.clear()
    return redis_server


def _timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def _every_page_answers(client, other_client, leader_b, panel, people, seat_token) -> dict:
    """Each request, its status and its time, with Redis not answering."""
    answers = {}
    for name, call in (
        ("dashboard", lambda: client.get(reverse("dashboard"))),
        (
            "invite",
            lambda: client.post(
                reverse("panel_invite", args=[panel.pk]),
                {"representative": [p.pk for p in people]},
            ),
        ),
        (
            "login",
            lambda: other_client.post(
                reverse("account_login"), {"login": leader_b.email, "password": PASSWORD}
            ),
        ),
        ("seat page", lambda: other_client.get(reverse("seat_link", args=[seat_token]))),
        ("dashboard again", lambda: client.get(reverse("dashboard"))),
    ):
        response, seconds = _timed(call)
        answers[name] = (response.status_code, round(seconds, 2))
    return answers


def _arrange(office_a, office_b):
    hiring_round = OpenRoundFactory(office=office_a)
    panel = panel_for(hiring_round, days=14, seats_wanted=3)
    people = [PoolRepresentativeFactory(offices=[office_a]) for _ in range(3)]
    seat = invited_seat(office=office_b)
    return panel, people, links.seat_token(seat.pk)


def _each_invitation_arrives_once(smtp_sink, people, timeout: float) -> None:
    invitations = OutboxMessage.objects.filter(kind="invitation", to__in=[p.email for p in people])
    assert wait_for(
        lambda: invitations.filter(status=OutboxStatus.SENT).count() == len(people),
        timeout=timeout,
    )
    time.sleep(1)
    counts = smtp_sink.handler.message_ids()
    for message in invitations:
        assert counts[message.message_id] == 1
    assert sorted(r.to[0] for r in smtp_sink.received if r.to[0] in {p.email for p in people}) == (
        sorted(p.email for p in people)
    )


def test_with_redis_stopped_every_page_answers_within_2_s_and_invitations_go_out_once_after(
    client, leader_a, leader_b, office_a, office_b, redis_cache, broker, smtp_sink, start_worker
):
    start_worker()
    panel, people, seat_token = _arrange(office_a, office_b)
    client.force_login(leader_a)
    assert client.get(reverse("dashboard")).status_code == 200  # the session is now in Redis
    other_client = client.__class__()
    broker.stop()

    answers = _every_page_answers(client, other_client, leader_b, panel, people, seat_token)
    print(f"\nRedis stopped: {answers}")

    assert {name: status for name, (status, _) in answers.items()} == {
        "dashboard": 200,
        "invite": 302,
        "login": 302,
        "seat page": 200,
        "dashboard again": 200,
    }
    assert max(seconds for _, seconds in answers.values()) < BOUND, answers
    assert Seat.objects.filter(panel=panel, status=SeatStatus.INVITED).count() == 3
    assert other_client.get(reverse("dashboard")).context["user"] == leader_b
    ready = client.get(reverse("isready"))
    assert (ready.status_code, list(ready.json()["problems"])) == (503, ["broker"])

    broker.start()
    messages_sweep()

    _each_invitation_arrives_once(smtp_sink, people, timeout=60)


def test_with_redis_frozen_every_page_answers_within_2_s_and_invitations_go_out_once_after(
    client, leader_a, leader_b, office_a, office_b, redis_cache, broker, smtp_sink, start_worker
):
    worker = start_worker()
    panel, people, seat_token = _arrange(office_a, office_b)
    client.force_login(leader_a)
    assert client.get(reverse("dashboard")).status_code == 200
    other_client = client.__class__()
    broker.freeze()

    answers = _every_page_answers(client, other_client, leader_b, panel, people, seat_token)
    print(f"\nRedis frozen: {answers}")

    assert {name: status for name, (status, _) in answers.items()} == {
        "dashboard": 200,
        "invite": 302,
        "login": 302,
        "seat page": 200,
        "dashboard again": 200,
    }
    assert max(seconds for _, seconds in answers.values()) < BOUND, answers
    assert Seat.objects.filter(panel=panel, status=SeatStatus.INVITED).count() == 3

    broker.thaw()
    time.sleep(navpanel_cache.RETRY_AFTER)
    messages_sweep()

    try:
        _each_invitation_arrives_once(smtp_sink, people, timeout=90)
    except AssertionError:
        print(worker.output()[-4000:])
        raise


def test_with_redis_stopped_login_rate_limits_still_hold_in_each_process(
    client, leader_a, redis_cache
):
    redis_cache.stop()

    wrong = [
        client.post(reverse("account_login"), {"login": leader_a.email, "password": "feil" * 4})
        for _ in range(5)
    ]
    right = client.post(reverse("account_login"), {"login": leader_a.email, "password": PASSWORD})

    assert [r.status_code for r in wrong] == [200] * 5
    assert right.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_a_session_ended_while_redis_was_frozen_does_not_come_back_after(
    client, leader_a, redis_cache
):
    client.force_login(leader_a)
    assert client.get(reverse("dashboard")).status_code == 200  # the session is now in Redis
    stolen = client.cookies["sessionid"].value
    redis_cache.freeze()

    client.post(reverse("account_logout"))
    redis_cache.thaw()
    time.sleep(navpanel_cache.RETRY_AFTER)
    client.get(reverse("account_login"))  # the first cache call after the freeze
    client.cookies["sessionid"] = stolen
    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_with_redis_frozen_a_cache_read_and_write_give_up_well_under_a_second(redis_cache):
    cache.set("navpanel-probe", "before")
    redis_cache.freeze()

    read, read_seconds = _timed(lambda: cache.get("navpanel-probe", "miss"))
    _, write_seconds = _timed(lambda: cache.set("navpanel-probe", "during"))
    redis_cache.thaw()

    assert read == "miss"
    assert read_seconds < 0.5
    assert write_seconds < 0.1  # the process leaves Redis alone after the first time-out
