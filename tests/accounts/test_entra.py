"""Staff sign-in behind NAIS's login sidecar: an Entra ID bearer token, checked against a JWKS.

The suite plays Entra ID: it makes RSA keys, publishes the public one as a JWKS on a loopback
HTTP server, and signs the tokens itself.
"""

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse

from accounts import entra
from accounts.models import User
from interviews.enums import RoleKind
from tests.factories import OfficeRoleFactory

pytestmark = pytest.mark.django_db

ISSUER = "https://login.microsoftonline.com/62366534-1ec3-4962-8869-9b5535279d0b/v2.0"
CLIENT_ID = "2c6f8f0e-5a8e-4bb6-9a0c-navpanel-test"
KID = "navpanel-test-key"


def _private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


ENTRA_KEY = _private_key()
FORGED_KEY = _private_key()


class JwksServer:
    """Entra ID's key endpoint on loopback: the public half of ENTRA_KEY under KID."""

    def __init__(self) -> None:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(ENTRA_KEY.public_key()))
        body = json.dumps({"keys": [{**jwk, "kid": KID, "use": "sig", "alg": "RS256"}]}).encode()
        self.requests = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/discovery/v2.0/keys"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def entra_id(settings) -> Iterator[JwksServer]:
    server = JwksServer()
    settings.AZURE_APP_CLIENT_ID = CLIENT_ID
    settings.AZURE_OPENID_CONFIG_ISSUER = ISSUER
    settings.AZURE_OPENID_CONFIG_JWKS_URI = server.url
    yield server
    entra._jwks_clients.clear()
    server.close()


def token(*, key: rsa.RSAPrivateKey = ENTRA_KEY, **overrides: Any) -> str:
    now = int(time.time())
    claims = {
        "aud": CLIENT_ID,
        "iss": ISSUER,
        "iat": now - 60,
        "nbf": now - 60,
        "exp": now + 3600,
        "ver": "2.0",
        "name": "Rana, Rita",
        "preferred_username": "Rita.Rana@nav.no",
        "NAVident": "Z990001",
        **overrides,
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": KID})


def unsigned_token() -> str:
    """A token with the right claims and ``alg: none``: no signature at all."""
    claims = jwt.decode(token(), options={"verify_signature": False})
    return jwt.encode(claims, key=None, algorithm="none", headers={"kid": KID})


def _bearer(value: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {value}"}


@pytest.fixture
def rita(leader_a) -> User:
    leader_a.nav_ident = "Z990001"
    leader_a.save(update_fields=["nav_ident"])
    return leader_a


def _signed_in_user(client) -> int | None:
    return client.session.get("_auth_user_id") and int(client.session["_auth_user_id"])


def test_a_staff_request_with_a_valid_token_signs_in_as_the_account_with_that_navident(
    client, entra_id, rita
):
    response = client.get(reverse("dashboard"), **_bearer(token()))

    assert response.status_code == 200
    assert response.context["user"] == rita
    assert _signed_in_user(client) == rita.pk


def test_a_valid_token_without_a_known_navident_finds_the_account_by_its_address(
    client, entra_id, leader_a
):
    signed = token(NAVident="Z990999", preferred_username="LEDER.RANA@navpanel.no")

    response = client.get(reverse("dashboard"), **_bearer(signed))

    assert response.status_code == 200
    assert response.context["user"] == leader_a


@pytest.mark.parametrize(
    "bad_token",
    [
        pytest.param(lambda: token(exp=int(time.time()) - 120), id="expired"),
        pytest.param(lambda: token(key=FORGED_KEY), id="wrongly-signed"),
        pytest.param(lambda: token(aud="some-other-application"), id="wrong-audience"),
        pytest.param(lambda: token(iss="https://login.example.org/v2.0"), id="wrong-issuer"),
        pytest.param(lambda: unsigned_token(), id="unsigned"),
    ],
)
def test_a_bad_token_gets_no_session(client, entra_id, rita, bad_token):
    response = client.get(reverse("dashboard"), **_bearer(bad_token()))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert _signed_in_user(client) is None


def test_a_valid_token_for_a_person_without_an_account_gets_no_session_and_makes_none(
    client, entra_id, rita
):
    users_before = User.objects.count()
    stranger = token(NAVident="Z123456", preferred_username="ukjent.person@nav.no")

    response = client.get(reverse("dashboard"), **_bearer(stranger))

    assert response.status_code == 302
    assert _signed_in_user(client) is None
    assert User.objects.count() == users_before


def test_a_deactivated_account_is_not_signed_in(client, entra_id, rita):
    rita.is_active = False
    rita.save(update_fields=["is_active"])

    response = client.get(reverse("dashboard"), **_bearer(token()))

    assert response.status_code == 302
    assert _signed_in_user(client) is None


def test_a_session_entra_id_opened_ends_when_a_request_comes_without_the_token(
    client, entra_id, rita
):
    client.get(reverse("dashboard"), **_bearer(token()))

    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert _signed_in_user(client) is None


def test_hr_signed_in_by_entra_id_is_not_sent_to_set_up_navpanels_own_two_factor(
    client, entra_id, settings, office_a
):
    settings.MFA_REQUIRED = True
    hr = OfficeRoleFactory(kind=RoleKind.HR, office=office_a, user__nav_ident="Z990002").user

    response = client.get(reverse("dashboard"), **_bearer(token(NAVident="Z990002")))

    assert response.status_code == 200
    assert response.context["user"] == hr


def test_the_keys_are_fetched_once_for_many_requests(client, entra_id, rita):
    for _ in range(5):
        client.get(reverse("dashboard"), **_bearer(token()))

    assert entra_id.requests == 1


def test_without_entra_id_configured_a_bearer_token_signs_nobody_in(client, rita):
    response = client.get(reverse("dashboard"), **_bearer(token()))

    assert response.status_code == 302
    assert _signed_in_user(client) is None
