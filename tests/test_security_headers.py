"""Every answer of every URL carries the Content-Security-Policy and the security headers.

Not a sample: each URL of the access matrix (tests/test_access_matrix.py) is asked by each of its
six roles, as the matrix asks it, and every answer is checked, whatever it is (a page, a
redirect to sign in, 403, 404, a CSV, an API error). Every other named URL (allauth's account
pages, the admin site, Django's language switch, the API's schema) is asked by an anonymous
visitor and by the administrator, with a stand-in for each argument.
"""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import User
from tests.test_access_matrix import (
    REGISTRY,
    ROLES,
    every_named_pattern,
    sample_path,
    sample_response,
    world,  # noqa: F401 - the fixture the matrix builds its objects with
)

pytestmark = pytest.mark.django_db

OUTSIDE_THE_MATRIX = [
    (name, arguments) for name, arguments in every_named_pattern() if name not in REGISTRY
]


def _insecure_headers(response) -> list[str]:
    """What is missing or too lax in one answer's headers."""
    csp = response.get("Content-Security-Policy", "")
    wanted = {
        "CSP default-src 'self'": "default-src 'self'" in csp,
        "CSP script-src 'self'": "script-src 'self'" in csp,
        "CSP style-src 'self'": "style-src 'self'" in csp,
        "CSP frame-ancestors 'none'": "frame-ancestors 'none'" in csp,
        "CSP without unsafe-inline": "unsafe-inline" not in csp,
        "CSP without unsafe-eval": "unsafe-eval" not in csp,
        "X-Frame-Options DENY": response.get("X-Frame-Options") == "DENY",
        "X-Content-Type-Options nosniff": response.get("X-Content-Type-Options") == "nosniff",
        "Referrer-Policy same-origin": response.get("Referrer-Policy") == "same-origin",
        "COOP same-origin": response.get("Cross-Origin-Opener-Policy") == "same-origin",
        "Cache-Control no-store, private": {"no-store", "private"}
        <= {d.strip() for d in response.get("Cache-Control", "").split(",")},
    }
    return [name for name, present in wanted.items() if not present]


@override_settings(MFA_REQUIRED=True)
@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_answer_of_every_page_in_the_matrix_carries_a_strict_csp_and_headers(world, name):  # noqa: F811
    sample = REGISTRY[name]
    url = reverse(name, kwargs=sample.kwargs(world))
    insecure = {}

    for role in ROLES:
        response = sample_response(role, sample, url, world)
        if missing := _insecure_headers(response):
            insecure[f"{role} ({response.status_code})"] = missing

    assert insecure == {}


@pytest.fixture
def administrator_client() -> Client:
    administrator = User.objects.create_superuser(email="admin@navpanel.no", password="x" * 20)
    TOTP.activate(administrator, generate_totp_secret())
    client = Client()
    client.force_login(administrator)
    return client


@override_settings(MFA_REQUIRED=True)
def test_every_other_url_carries_them_for_anyone_and_for_the_administrator(
    administrator_client,
):
    assert any(name.startswith("admin:") for name, _ in OUTSIDE_THE_MATRIX)
    assert any(name == "account_login" for name, _ in OUTSIDE_THE_MATRIX)
    insecure = {}

    for who, client in (("anonymous", Client()), ("administrator", administrator_client)):
        for name, arguments in OUTSIDE_THE_MATRIX:
            response = client.get(sample_path(name, arguments))
            if missing := _insecure_headers(response):
                insecure[f"{who}: {name} ({response.status_code})"] = missing

    assert insecure == {}


def test_a_bad_link_and_an_unknown_address_carry_them_too(client):
    bad_link = client.get(reverse("seat_link", kwargs={"token": "1:tampered:x"}))
    unknown = client.get("/finnes-ikke/")

    assert (bad_link.status_code, unknown.status_code) == (404, 404)
    assert _insecure_headers(bad_link) == _insecure_headers(unknown) == []


def test_no_page_template_carries_inline_script_or_style(client, leader_a):
    client.force_login(leader_a)

    html = client.get(reverse("dashboard")).text

    assert "<script>" not in html
    assert " style=" not in html
    assert "<style" not in html
