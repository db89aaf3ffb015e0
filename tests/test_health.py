"""Liveness and readiness as NAV's platform asks for them, against the real database and broker."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db


def test_isalive_answers_200(client):
    response = client.get(reverse("isalive"))

    assert response.status_code == 200


def test_isready_answers_200_when_database_and_broker_answer(client):
    response = client.get(reverse("isready"))

    assert response.status_code == 200
    assert response.json() == {"status": "ready", "database": "ok", "broker": "ok"}


def _isready_in_a_fresh_process(**env: str) -> tuple[int, dict]:
    """Ask /internal/isready in a new Django process, on this test database unless told."""
    db = settings.DATABASES["default"]
    env = {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        **env,
    }
    code = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/internal/isready', HTTP_HOST='localhost');"
        "print(r.status_code); print(r.content.decode())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "navpanel.settings_test", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    status, body = result.stdout.strip().splitlines()[-2:]
    return int(status), json.loads(body)


def test_isready_answers_503_naming_the_database_when_it_is_unreachable():
    status, body = _isready_in_a_fresh_process(
        DATABASE_URL="postgres://postgres@127.0.0.1:1/navpanel"
    )

    assert status == 503
    assert list(body["problems"]) == ["database"]


def test_isready_answers_503_naming_the_broker_when_redis_is_unreachable():
    status, body = _isready_in_a_fresh_process(REDIS_URL="redis://127.0.0.1:1/0")

    assert status == 503
    assert list(body["problems"]) == ["broker"]


PRODUCTION_LIKE = {
    "ALLOWED_HOSTS": ["navpanel.intern.nav.no"],
    "SECURE_SSL_REDIRECT": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "DEBUG": False,
}


@pytest.mark.parametrize("path", ["/internal/isalive", "/internal/isready", "/internal/metrics"])
def test_a_probe_with_the_pods_address_as_host_over_http_is_answered_and_logs_nothing(
    client, settings, caplog, path
):
    for name, value in PRODUCTION_LIKE.items():
        setattr(settings, name, value)
    caplog.set_level(logging.DEBUG)

    response = client.get(path, HTTP_HOST="10.0.0.7:8080")

    assert response.status_code == 200
    assert [r for r in caplog.records if r.levelno >= logging.INFO] == []


def test_the_same_host_is_still_refused_on_a_page(client, settings):
    for name, value in PRODUCTION_LIKE.items():
        setattr(settings, name, value)

    response = client.get("/konto/login/", HTTP_HOST="10.0.0.7:8080")

    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/internal/isalive", "/internal/isready", "/internal/metrics"])
def test_a_probe_path_that_came_through_a_proxy_answers_404(client, path):
    response = client.get(path, HTTP_X_FORWARDED_FOR="198.51.100.20")

    assert response.status_code == 404


def test_probe_paths_through_a_proxy_are_answered_when_the_switch_is_off(client, settings):
    settings.PROBES_REFUSE_FORWARDED = False

    response = client.get("/internal/isalive", HTTP_X_FORWARDED_FOR="198.51.100.20")

    assert response.status_code == 200
