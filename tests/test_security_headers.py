"""Every page carries the Content-Security-Policy and the security headers."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("signed_in", [False, True])
def test_pages_carry_a_strict_csp_and_security_headers(client, leader_a, signed_in):
    if signed_in:
        client.force_login(leader_a)
    url = reverse("dashboard") if signed_in else reverse("account_login")

    response = client.get(url)

    csp = response["Content-Security-Policy"]
    assert response.status_code == 200
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_page_template_carries_inline_script_or_style(client, leader_a):
    client.force_login(leader_a)

    html = client.get(reverse("dashboard")).text

    assert "<script>" not in html
    assert " style=" not in html
    assert "<style" not in html
