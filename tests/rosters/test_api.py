"""The read-only API: token authentication, scope, audit, and a schemathesis run on its schema."""

import hashlib
from datetime import date

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from audit.enums import ActorKind, AuditAction
from audit.models import AuditEvent
from interviews.enums import County
from navpanel.wsgi import application
from rosters import api
from rosters.models import ApiToken
from rosters.services import api_token_revoke
from tests.factories import BackgroundFactory
from tests.factories.rosters import api_token_for, roster_seat

pytestmark = pytest.mark.django_db

ROSTER = "/api/v1/roster"


@pytest.fixture(autouse=True)
def _fresh_refusal_count():
    """Other tests' refused calls from this address must not count against this test's."""
    cache.delete("api-refused:127.0.0.1")


def _bearer(secret: str) -> dict[str, dict[str, str]]:
    return {"headers": {"authorization": f"Bearer {secret}"}}


@pytest.fixture
def seats(office_a, office_b):
    return {
        "rana": roster_seat(office=office_a, day=date(2026, 2, 3), name="Åse Ødegård"),
        "hadeland": roster_seat(office=office_b, day=date(2026, 2, 4), name="Kåre Løvås"),
    }


def test_two_hr_users_of_different_scope_see_different_rows(client, hr, hr_b, seats):
    _token, national = api_token_for(hr)
    _token, innlandet = api_token_for(hr_b)

    everything = client.get(ROSTER, **_bearer(national)).json()
    county = client.get(ROSTER, **_bearer(innlandet)).json()

    assert [row["representative"] for row in everything["items"]] == ["Åse Ødegård", "Kåre Løvås"]
    assert everything["count"] == 2
    assert [row["representative"] for row in county["items"]] == ["Kåre Løvås"]
    assert county["items"][0]["date"] == "2026-02-04"
    assert county["items"][0]["attended"] is True


def test_a_filter_outside_the_scope_is_a_400_with_the_field(client, hr_b, office_a, seats):
    _token, secret = api_token_for(hr_b)

    response = client.get(ROSTER, {"office": office_a.pk}, **_bearer(secret))

    assert response.status_code == 400
    assert "office" in response.json()["errors"]


def test_a_misspelt_filter_is_a_400_naming_it_rather_than_every_seat(client, hr, seats):
    _token, secret = api_token_for(hr)

    response = client.get(ROSTER, {"ofice": 3}, **_bearer(secret))

    assert response.status_code == 400
    assert response.json()["errors"] == {"ofice": ["Unknown parameter."]}
    assert "items" not in response.json()


def test_pagination_and_filters(client, hr, seats):
    _token, secret = api_token_for(hr)

    first = client.get(ROSTER, {"page_size": 1}, **_bearer(secret)).json()
    second = client.get(ROSTER, {"page_size": 1, "page": 2}, **_bearer(secret)).json()
    nordland = client.get(ROSTER, {"county": County.NORDLAND}, **_bearer(secret)).json()

    assert [first["count"], len(first["items"]), len(second["items"])] == [2, 1, 1]
    assert first["items"][0]["seat_id"] != second["items"][0]["seat_id"]
    assert [row["representative"] for row in nordland["items"]] == ["Åse Ødegård"]


def test_backgrounds_only_when_asked_for(client, hr, office_a):
    BackgroundFactory(slug="senior", name="Senior (55+)", name_en="Senior (55+)")
    roster_seat(office=office_a, day=date(2026, 2, 3), snapshot=["senior"])
    _token, secret = api_token_for(hr)

    plain = client.get(ROSTER, **_bearer(secret)).json()
    asked = client.get(ROSTER, {"include_backgrounds": "true"}, **_bearer(secret)).json()

    assert plain["items"][0]["backgrounds"] is None
    assert asked["items"][0]["backgrounds"] == ["senior"]


def test_no_token_is_401(client, seats):
    response = client.get(ROSTER)

    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_a_revoked_token_is_401(client, hr, seats):
    token, secret = api_token_for(hr)
    api_token_revoke(token=token)

    response = client.get(ROSTER, **_bearer(secret))

    assert response.status_code == 401


def test_a_wrong_secret_with_a_real_prefix_is_401(client, hr, seats):
    _token, secret = api_token_for(hr)

    response = client.get(ROSTER, **_bearer(secret[:-2] + "xx"))

    assert response.status_code == 401


def test_a_leaders_token_is_401(client, leader_a, seats):
    _token, secret = api_token_for(leader_a)

    response = client.get(ROSTER, **_bearer(secret))

    assert response.status_code == 401


def _refused_events() -> list[tuple[str, str, int | None]]:
    return [
        (event.actor_kind, event.detail["reason"], event.detail["token"])
        for event in AuditEvent.objects.filter(action=AuditAction.API_REFUSED)
    ]


@pytest.mark.parametrize(
    ("presented", "reason", "names_the_token"),
    [
        (lambda token, secret: None, "no_token", False),
        (lambda token, secret: "npk_nosuchprefix_0123456789", "unknown_token", False),
        (lambda token, secret: secret[:-2] + "xx", "wrong_secret", True),
        (lambda token, secret: api_token_revoke(token=token) or secret, "revoked", True),
    ],
    ids=["no token", "unknown prefix", "wrong secret", "revoked"],
)
def test_a_refused_call_is_audited_with_the_reason_and_never_the_secret(
    client, hr, seats, presented, reason, names_the_token
):
    token, secret = api_token_for(hr)
    sent = presented(token, secret)

    response = client.get(ROSTER, **(_bearer(sent) if sent else {}))

    assert response.status_code == 401
    assert _refused_events() == [(ActorKind.API, reason, token.pk if names_the_token else None)]
    event = AuditEvent.objects.get(action=AuditAction.API_REFUSED)
    assert (event.actor, event.detail["endpoint"]) == (None, "roster")
    assert event.remote_addr == "127.0.0.1"
    stored = str(AuditEvent.objects.filter(pk=event.pk).values().get())
    assert secret not in stored and secret[:-2] not in stored
    assert not AuditEvent.objects.filter(action=AuditAction.API_CALLED).exists()


def test_refusals_from_one_address_are_audited_up_to_a_limit_then_once_as_too_many(
    client, hr, seats, monkeypatch
):
    monkeypatch.setattr(api, "REFUSALS_AUDITED_PER_MINUTE", 2)

    answers = [client.get(ROSTER).status_code for _ in range(5)]

    assert answers == [401] * 5
    assert [reason for _kind, reason, _token in _refused_events()] == [
        "too_many",
        "no_token",
        "no_token",
    ]


def test_a_token_whose_owner_is_no_longer_hr_is_audited_as_refused(client, leader_a, seats):
    token, secret = api_token_for(leader_a)

    client.get("/api/v1/honoraria", {"date_from": "2026-01-01"}, **_bearer(secret))

    [event] = AuditEvent.objects.filter(action=AuditAction.API_REFUSED)
    assert (event.detail["reason"], event.detail["token"], event.detail["endpoint"]) == (
        "not_hr",
        token.pk,
        "honoraria",
    )


def test_a_signed_in_staff_session_calling_the_api_is_refused_and_not_named_as_the_caller(
    client, hr, seats
):
    client.force_login(hr)

    response = client.get(ROSTER)

    assert response.status_code == 401
    assert AuditEvent.objects.get(action=AuditAction.API_REFUSED).actor is None


def test_only_the_hash_of_the_secret_is_stored(hr):
    token, secret = api_token_for(hr)

    stored = ApiToken.objects.filter(pk=token.pk).values().get()

    assert stored["hashed"] == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in [str(value) for value in stored.values()]
    assert secret.startswith(f"npk_{stored['prefix']}_")


def test_every_call_is_audited_and_marks_the_token_used(client, hr, seats):
    token, secret = api_token_for(hr)

    client.get(ROSTER, {"county": County.INNLANDET}, **_bearer(secret))

    event = AuditEvent.objects.get(action=AuditAction.API_CALLED)
    assert (event.actor, event.actor_kind) == (hr, ActorKind.API)
    assert event.detail["rows"] == 1
    assert event.detail["filters"]["county"] == "innlandet"
    assert event.detail["token"] == token.pk
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert timezone.now() - token.last_used_at < timezone.timedelta(minutes=1)


def test_the_token_is_made_in_the_admin_and_shown_once(admin_client, hr):
    response = admin_client.post(
        reverse("admin:rosters_apitoken_add"), {"user": hr.pk, "name": "Lønn"}, follow=True
    )

    token = ApiToken.objects.get()
    shown = [str(message) for message in response.context["messages"]]
    assert any(f"npk_{token.prefix}_" in message for message in shown)
    secret = next(word for m in shown for word in m.split() if word.startswith("npk_"))
    assert token.hashed == hashlib.sha256(secret.encode()).hexdigest()


def test_the_openapi_document_is_served(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert "/api/v1/roster" in response.json()["paths"]


@pytest.fixture
def wsgi_in_test_transaction():
    """Let schemathesis call the real WSGI application inside the test's transaction: like
    Django's test client, do not close the database connection at the end of a request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    hr_b, seats, wsgi_in_test_transaction
):
    BackgroundFactory(slug="senior", name="Senior (55+)", name_en="Senior (55+)")
    _token, secret = api_token_for(hr_b)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    headers = {"Authorization": f"Bearer {secret}"}

    @settings(
        max_examples=60,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        case=schema.as_strategy(generation_mode=GenerationMode.POSITIVE)
        | schema.as_strategy(generation_mode=GenerationMode.NEGATIVE)
    )
    def check(case) -> None:
        # A schema-valid filter may still be refused with 400: an office outside the token's
        # scope, or a date outside 2000–2100. That is the contract, so that check is left out.
        case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

    check()


def test_honoraria_are_paid_days_in_the_tokens_scope(client, hr_b, office_a, office_b):
    from reports.models import HonorariumRate

    HonorariumRate.objects.update_or_create(
        valid_from=date(2025, 12, 1), defaults={"day_rate": "1500.00"}
    )
    roster_seat(office=office_b, day=date(2026, 2, 4), name="Kåre Løvås")
    roster_seat(office=office_b, day=date(2026, 2, 5), name="Ikke Møtt", status="no_show")
    roster_seat(office=office_a, day=date(2026, 2, 4), name="Åse Ødegård")
    _token, secret = api_token_for(hr_b)

    response = client.get(
        "/api/v1/honoraria",
        {"date_from": "2026-01-01", "date_to": "2026-03-31"},
        **_bearer(secret),
    )

    body = response.json()
    assert response.status_code == 200
    assert [(line["representative"], line["amount"]) for line in body["items"]] == [
        ("Kåre Løvås", "1500.00")
    ]
    assert body["total"] == "1500.00"
