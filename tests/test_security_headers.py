"""Every page carries the Content-Security-Policy and the security headers.

The pages are those of the access matrix (tests/test_access_matrix.py) that answer 200 to some
role: each is fetched as the first role it answers, and its headers checked.
"""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.test_access_matrix import (
    PROJECT_URLS,
    REGISTRY,
    ROLES,
    client_for,
    world,  # noqa: F401 - the fixture the matrix builds its objects with
)

pytestmark = pytest.mark.django_db

PAGES = [
    name
    for name in PROJECT_URLS
    if name in REGISTRY
    and REGISTRY[name].method == "GET"
    and any(REGISTRY[name].expected[role] == 200 for role in ROLES)
]


def _assert_secure_headers(response) -> None:
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@override_settings(MFA_REQUIRED=True)
@pytest.mark.parametrize("name", PAGES)
def test_every_page_carries_a_strict_csp_and_security_headers(world, name):  # noqa: F811
    sample = REGISTRY[name]
    role = next(role for role in ROLES if sample.expected[role] == 200)
    client = client_for(role, world)

    response = client.get(reverse(name, kwargs=sample.kwargs(world)))

    assert response.status_code == 200
    _assert_secure_headers(response)


def test_the_sign_in_page_carries_them_too(client):
    response = client.get(reverse("account_login"))

    _assert_secure_headers(response)


def test_no_page_template_carries_inline_script_or_style(client, leader_a):
    client.force_login(leader_a)

    html = client.get(reverse("dashboard")).text

    assert "<script>" not in html
    assert " style=" not in html
    assert "<style" not in html
