"""The real client's address behind our proxies, the same for rate limits, audit and the API cap.

The test client stands in for the ingress: every request comes from one proxy address
(``REMOTE_ADDR``) with the person's address in ``X-Forwarded-For``, as NAIS's ingress and
``make prod``'s proxy send them.
"""

import pytest
from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.models import User
from audit.enums import ActorKind, AuditAction
from audit.models import AuditEvent
from navpanel.client_address import ClientAddressMiddleware, client_address
from rosters import api
from tests.factories import PASSWORD, OfficeRoleFactory
from tests.factories.panels import PoolRepresentativeFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


def _from(person: str, *spoofed: str) -> dict[str, str]:
    """What the ingress sends on for a person at ``person`` (after what they wrote themselves)."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": ", ".join([*spoofed, person])}


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def behind_the_ingress(settings):
    settings.NAVPANEL_TRUSTED_PROXIES = 1


@pytest.mark.parametrize(
    ("forwarded", "trusted", "expected"),
    [
        (None, 1, "10.0.0.2"),
        ("198.51.100.7", 0, "10.0.0.2"),
        ("198.51.100.7", 1, "198.51.100.7"),
        ("6.6.6.6, 198.51.100.7", 1, "198.51.100.7"),
        ("6.6.6.6, 198.51.100.7, 10.0.0.9", 2, "198.51.100.7"),
        ("198.51.100.7", 2, "198.51.100.7"),
        ("198.51.100.7:51234", 1, "198.51.100.7"),
        ("[2001:db8::1]:443", 1, "2001:db8::1"),
        ("2001:db8::1", 1, "2001:db8::1"),
        ("not-an-address", 1, "10.0.0.2"),
    ],
)
def test_the_client_is_the_address_our_outermost_proxy_saw(forwarded, trusted, expected):
    assert client_address(remote_addr=PROXY, forwarded_for=forwarded, trusted=trusted) == expected


def test_allauth_reads_the_same_address_the_middleware_settled(behind_the_ingress):
    request = RequestFactory().get("/", **_from("198.51.100.7", "6.6.6.6"))

    ClientAddressMiddleware(lambda r: None)(request)

    assert get_adapter(request).get_client_ip(request) == "198.51.100.7"
    assert request.META["PROXY_REMOTE_ADDR"] == PROXY


def _sign_in(client, email: str, password: str, **meta: str):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **meta)


def _signed_in_from(people: list[User]) -> list[bool]:
    """Each person signs in in their own browser, from their own address, within a minute."""
    signed_in = []
    for n, person in enumerate(people, start=1):
        browser = Client()
        _sign_in(browser, person.email, PASSWORD, **_from(f"198.51.100.{n}"))
        signed_in.append(browser.session.get("_auth_user_id") == str(person.pk))
    return signed_in


def _people(count: int) -> list[User]:
    return [OfficeRoleFactory(user__email=f"leder{n}@navpanel.no").user for n in range(count)]


def test_the_31st_person_in_a_minute_from_31_addresses_is_let_in(behind_the_ingress):
    people = _people(31)

    signed_in = _signed_in_from(people)

    assert signed_in == [True] * 31


def test_without_trusted_proxies_everyone_behind_the_ingress_shares_one_limit(settings):
    settings.NAVPANEL_TRUSTED_PROXIES = 0
    people = _people(31)

    signed_in = _signed_in_from(people)

    assert signed_in == [True] * 30 + [False]


def test_the_sixth_wrong_password_for_one_account_is_refused_whatever_the_address(
    client, behind_the_ingress, leader_a
):
    for n in range(5):
        _sign_in(client, leader_a.email, "feil", **_from(f"203.0.113.{n}"))

    response = _sign_in(client, leader_a.email, PASSWORD, **_from("192.0.2.99"))

    assert response.status_code == 200
    assert "For mange mislykkede forsøk på å logge inn" in response.text
    assert "_auth_user_id" not in client.session


def test_the_audit_log_records_the_persons_address_not_the_proxys(
    client, behind_the_ingress, leader_a, office_a
):
    representative = PoolRepresentativeFactory(offices=[office_a])
    client.force_login(leader_a)

    client.get(
        reverse("representative_detail", args=[representative.pk]),
        **_from("198.51.100.7", "6.6.6.6"),
    )

    event = AuditEvent.objects.get(action=AuditAction.REPRESENTATIVE_VIEWED)
    assert (event.actor_kind, event.remote_addr) == (ActorKind.STAFF, "198.51.100.7")


def test_the_apis_refusal_cap_counts_each_real_address_apart(
    client, behind_the_ingress, monkeypatch
):
    monkeypatch.setattr(api, "REFUSALS_AUDITED_PER_MINUTE", 2)

    for _ in range(4):
        client.get("/api/v1/roster", **_from("198.51.100.7"))
    client.get("/api/v1/roster", **_from("198.51.100.8"))

    refused = AuditEvent.objects.filter(action=AuditAction.API_REFUSED).order_by("pk")
    addresses = [event.remote_addr for event in refused]
    assert addresses.count("198.51.100.7") == 3
    assert addresses.count("198.51.100.8") == 1
    assert PROXY not in addresses
