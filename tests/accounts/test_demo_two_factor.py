"""A newcomer can try the demo as HR (issue 18): ``seed_demo`` prints the two-factor key of the
demo HR adviser and administrator, and a code made from the printed key (as ``oathtool --totp -b``
makes it) signs them in."""

import io
import re
import time

import pytest
from allauth.mfa.totp.internal.auth import hotp_value
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from panels.demo.seed import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


@override_settings(MFA_REQUIRED=True)
def test_seed_demo_prints_a_key_that_signs_in_hr_with_two_factor(client):
    cache.clear()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=(again := io.StringIO()))
    keys = dict(
        re.findall(
            r"^\s+(\S+@navpanel\.no)\s+([A-Z2-7]{32})\s+code: oathtool", out.getvalue(), re.M
        )
    )

    client.post(reverse("account_login"), {"login": "hr@navpanel.no", "password": DEMO_PASSWORD})
    asked = client.get(reverse("dashboard"))
    code = f"{hotp_value(keys['hr@navpanel.no'], int(time.time()) // 30):06d}"
    client.post(reverse("mfa_authenticate"), {"code": code})

    assert set(keys) == {"hr@navpanel.no", "admin@navpanel.no"}
    assert keys["hr@navpanel.no"] in again.getvalue()  # run twice: the same key
    assert asked.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
