"""The access matrix (DOMAIN.md, "What is sensitive, and who may see it") as a test.

Every URL pattern of the project comes from the resolver; each named one must have a sample in
``REGISTRY`` (objects of office A, NAV Rana) or a reason in ``NOT_IN_THE_MATRIX``, so a new
page fails here, by name, until someone says who may reach it. Each sample is requested by six
roles — anonymous, the leader of office A, the leader of office B, HR in scope (national), HR
out of scope (Innlandet), and a representative holding the link of another seat — and the
answer must be the expected one: 200, 302 to the sign-in page, 403, or 404.

Pages are asked with GET, actions with POST (empty form: it must be refused or answered with
a message, never performed for the wrong person). The writers (leader A) go last, so that an
action they perform does not change what the others see. Two-factor sign-in is on, as in
production: the HR users have an authenticator.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from panels import links, services
from panels.enums import SeatStatus
from panels.models import Seat
from rosters.models import ExportJob
from tests.factories.links import invited_seat
from tests.factories.panels import (
    InterviewFactory,
    OpenRoundFactory,
    PoolRepresentativeFactory,
    panel_for,
)

pytestmark = pytest.mark.django_db

ANON, LEADER_A, LEADER_B, HR_IN, HR_OUT, REP = (
    "anonymous",
    "leader A",
    "leader B",
    "HR in scope",
    "HR out of scope",
    "representative link",
)
# Leader A last: the only role whose POST may change the objects.
ROLES = (ANON, REP, LEADER_B, HR_OUT, HR_IN, LEADER_A)
LOGIN = "302 to sign-in"
DONE = frozenset({200, 302})  # a page with a message, or a redirect after doing it


def expect(**answers: object) -> dict[str, object]:
    by_role = {ANON: LOGIN, REP: LOGIN}
    names = {
        "leader_a": LEADER_A,
        "leader_b": LEADER_B,
        "hr_in": HR_IN,
        "hr_out": HR_OUT,
        "anon": ANON,
        "rep": REP,
    }
    by_role.update({names[key]: value for key, value in answers.items()})
    return by_role


# The kinds of page, by who reaches them.
OBJECT_PAGE = expect(leader_a=200, leader_b=404, hr_in=200, hr_out=404)
OBJECT_FORM = expect(leader_a=200, leader_b=404, hr_in=403, hr_out=404)
OBJECT_ACTION = expect(leader_a=DONE, leader_b=404, hr_in=403, hr_out=404)
STAFF_PAGE = expect(leader_a=200, leader_b=200, hr_in=200, hr_out=200)
LEADER_PAGE = expect(leader_a=200, leader_b=200, hr_in=403, hr_out=403)
HR_PAGE = expect(leader_a=403, leader_b=403, hr_in=200, hr_out=200)
# HR's reports answer every staff user with their own scope (a leader: their offices);
# ``test_reports_never_show_another_scope`` checks what is in them.
REPORT = STAFF_PAGE
OPEN = {role: 200 for role in ROLES}
# A link is the representative's key: whoever holds it sees that one seat, signed in or not,
# and an empty form posted to it is answered the same way for everyone.
LINK_PAGE = OPEN
LINK_ACTION = {role: DONE for role in ROLES}
# The API takes tokens only (tests/rosters): a browser session, signed in or not, is refused.
API = {role: 401 for role in ROLES}


@dataclass(frozen=True)
class Sample:
    kwargs: Callable[[dict], dict] = lambda world: {}
    expected: dict[str, object] = field(default_factory=lambda: STAFF_PAGE)
    method: str = "GET"
    data: Callable[[dict], dict] = lambda world: {}


def pk(kind: str, key: str = "pk") -> Callable[[dict], dict]:
    return lambda world: {key: world[kind].pk}


def token(kind: str) -> Callable[[dict], dict]:
    return lambda world: {"token": world[kind]}


REGISTRY: dict[str, Sample] = {
    # Health and the open pages.
    "isalive": Sample(expected=OPEN),
    "isready": Sample(expected=OPEN),
    "accessibility_statement": Sample(expected=OPEN),
    # Leaders' pages: the dashboard and lists show each user their own scope.
    "dashboard": Sample(),
    "round_list": Sample(),
    "representative_list": Sample(),
    "office_choose": Sample(
        method="POST",
        data=lambda world: {"office": world["office"].pk},
        expected=expect(leader_a=302, leader_b=404, hr_in=302, hr_out=404),
    ),
    "round_create": Sample(expected=LEADER_PAGE),
    "representative_create": Sample(expected=LEADER_PAGE),
    "representative_import": Sample(expected=LEADER_PAGE),
    "representative_export": Sample(expected=LEADER_PAGE),
    # Objects of office A.
    "round_detail": Sample(pk("round"), OBJECT_PAGE),
    "round_edit": Sample(pk("round"), OBJECT_FORM),
    "round_change_state": Sample(pk("round"), OBJECT_ACTION, "POST"),
    "candidates_add": Sample(pk("round"), OBJECT_ACTION, "POST"),
    "interview_day_create": Sample(pk("round"), OBJECT_FORM),
    "interview_day_cancel": Sample(
        lambda world: {"pk": world["round"].pk, "day": world["day"]}, OBJECT_ACTION, "POST"
    ),
    "interview_move": Sample(pk("interview"), OBJECT_ACTION, "POST"),
    "interview_cancel": Sample(pk("interview"), OBJECT_ACTION, "POST"),
    "panel_create": Sample(pk("round", "round_pk"), OBJECT_FORM),
    "panel_detail": Sample(pk("panel"), OBJECT_PAGE),
    "panel_seats": Sample(pk("panel"), OBJECT_PAGE),
    "panel_invite": Sample(pk("panel"), OBJECT_ACTION, "POST"),
    "panel_cancel": Sample(pk("panel"), OBJECT_ACTION, "POST"),
    "seat_cancel": Sample(pk("seat"), OBJECT_ACTION, "POST"),
    "seat_attendance": Sample(pk("past_seat"), OBJECT_ACTION, "POST"),
    "representative_detail": Sample(pk("representative"), OBJECT_PAGE),
    "representative_edit": Sample(pk("representative"), OBJECT_FORM),
    # HR.
    "audit_log": Sample(expected=HR_PAGE),
    "roster": Sample(expected=REPORT),
    "roster_export_csv": Sample(expected=REPORT),
    "roster_export_xlsx": Sample(expected=REPORT),
    "roster_export_job": Sample(
        pk("export_job"), expect(leader_a=404, leader_b=404, hr_in=200, hr_out=404)
    ),
    # A job not finished yet has no file to download, for anyone.
    "roster_export_download": Sample(
        pk("export_job"), expect(leader_a=404, leader_b=404, hr_in=404, hr_out=404)
    ),
    "honoraria": Sample(expected=REPORT),
    "statistics": Sample(expected=REPORT),
    "seat_travel_claim": Sample(pk("past_seat"), OBJECT_FORM),
    "api:roster": Sample(expected=API),
    "api:honoraria": Sample(expected=API),
    # The representatives' link pages: a link of office A's seat, answered for its holder.
    "seat_link": Sample(token("seat_token"), LINK_PAGE),
    "seat_link_accept": Sample(token("seat_token"), LINK_ACTION, "POST"),
    "seat_link_decline": Sample(token("seat_token"), LINK_ACTION, "POST"),
    "seat_link_support": Sample(token("seat_token"), LINK_ACTION, "POST"),
    "seat_link_sign": Sample(token("seat_token"), LINK_ACTION, "POST"),
    # No candidate named in the empty form: nobody to declare, for anyone.
    "seat_link_conflict": Sample(token("seat_token"), {role: 404 for role in ROLES}, "POST"),
    "consent_link": Sample(token("consent_token"), LINK_PAGE),
    "consent_link_decline": Sample(token("consent_token"), LINK_ACTION, "POST"),
    "my_page": Sample(token("my_page_token"), LINK_PAGE),
    "feedback_link": Sample(token("feedback_token"), LINK_PAGE),
    "staff_feedback_link": Sample(token("staff_token"), LINK_PAGE),
    "consent_deleted": Sample(expected=LINK_PAGE),
}

# Named URLs deliberately outside the matrix, with the reason.
NOT_IN_THE_MATRIX = {
    "set_language": "Django's language switch: sets a cookie, shows nothing",
    "api:api-root": "the API's index (django-ninja), no data",
    "api:openapi-json": "the API's schema, no data",
    "api:openapi-view": "the API's documentation page, no data",
}
# Whole apps outside the matrix: allauth's account pages (sign-in, 2FA; tested in
# tests/accounts) and the admin site (tested below: never reachable by a leader).
OUTSIDE_MODULES = ("allauth.", "django.contrib.", "django.views.generic")


def _named_patterns() -> list[tuple[str, str]]:
    """(URL name with namespace, module) of every named pattern of the project."""
    found = []

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                callback = pattern.callback
                module = getattr(callback, "__module__", "") or getattr(
                    getattr(callback, "func", None), "__module__", ""
                )
                found.append((f"{namespace}{pattern.name}", module))

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


PROJECT_URLS = [
    name
    for name, module in _named_patterns()
    if not module.startswith(OUTSIDE_MODULES) and name not in NOT_IN_THE_MATRIX
]


def test_every_url_of_the_project_is_in_the_matrix():
    missing = [name for name in PROJECT_URLS if name not in REGISTRY]

    assert missing == [], f"URLs with no sample in the access matrix: {missing}"


# The world: objects of office A, the six roles ---------------------------------------------------


@pytest.fixture
def world(office_a, office_b, leader_a, leader_b, hr, hr_b) -> dict:
    for user in (hr, hr_b):
        TOTP.activate(user, generate_totp_secret())
    hiring_round = OpenRoundFactory(office=office_a)
    panel = panel_for(hiring_round)
    representative = PoolRepresentativeFactory(offices=[office_a])
    seat = services.seat_invite(panel=panel, representative=representative, by=leader_a)
    interview = InterviewFactory(
        round=hiring_round, starts_at=timezone.now() + timedelta(days=20, hours=1)
    )
    past_panel = panel_for(hiring_round, days=-2)
    past_seat = Seat.objects.create(
        panel=past_panel,
        representative=PoolRepresentativeFactory(offices=[office_a]),
        status=SeatStatus.ACCEPTED,
        starts_at=past_panel.starts_at,
        ends_at=past_panel.ends_at,
    )
    link_seat = invited_seat(office=office_a)
    other_seat = invited_seat(office=office_b)
    export_job = ExportJob.objects.create(
        requested_by=hr, expires_at=timezone.now() + timedelta(days=1)
    )
    return {
        "office": office_a,
        "round": hiring_round,
        "panel": panel,
        "representative": representative,
        "seat": seat,
        "past_seat": past_seat,
        "interview": interview,
        "day": timezone.localdate(panel.starts_at).isoformat(),
        "seat_token": links.seat_token(link_seat.pk),
        "consent_token": links.representative_token(link_seat.representative_id),
        "other_seat_token": links.seat_token(other_seat.pk),
        "my_page_token": links.my_page_token(link_seat.representative_id),
        "feedback_token": links.seat_token(past_seat.pk),
        "staff_token": links.staff_token(link_seat.panel.staff.first().pk),
        "export_job": export_job,
        "users": {LEADER_A: leader_a, LEADER_B: leader_b, HR_IN: hr, HR_OUT: hr_b},
    }


def client_for(role: str, world: dict) -> Client:
    client = Client()
    if role in world["users"]:
        client.force_login(world["users"][role])
    elif role == REP:
        # A representative who just used the link of their own seat (of another office).
        client.get(reverse("seat_link", kwargs={"token": world["other_seat_token"]}))
    return client


def _answer(response) -> object:
    login = reverse("account_login")
    if response.status_code == 302 and response["Location"].startswith(login):
        return LOGIN
    return response.status_code


def _matches(answer: object, expected: object) -> bool:
    if isinstance(expected, frozenset):
        return answer in expected
    return answer == expected


@override_settings(MFA_REQUIRED=True)
@pytest.mark.parametrize("name", [name for name in PROJECT_URLS if name in REGISTRY])
def test_each_role_gets_the_expected_answer(world, name):
    sample = REGISTRY[name]
    url = reverse(name, kwargs=sample.kwargs(world))
    wrong = []

    for role in ROLES:
        client = client_for(role, world)
        if sample.method == "POST":
            response = client.post(url, sample.data(world))
        else:
            response = client.get(url)
        answer, expected = _answer(response), sample.expected[role]
        if not _matches(answer, expected):
            wrong.append(f"{role}: {answer} (expected {expected})")

    assert wrong == [], f"{name} {sample.method} {url}:\n" + "\n".join(wrong)


# What no role may cross ---------------------------------------------------------------------------


ADMIN_URLS = [
    "admin:index",
    "admin:panels_representative_changelist",
    "admin:audit_auditevent_changelist",
]


@pytest.mark.parametrize("name", ADMIN_URLS)
def test_a_leader_never_reaches_the_admin(client, leader_a, name):
    client.force_login(leader_a)

    response = client.get(reverse(name), follow=True)

    assert (
        response.status_code in (403, 404)
        or reverse("account_login") in response.request["PATH_INFO"]
    )
    assert response.status_code != 200 or "navpanel administration" not in response.text


def test_a_leader_never_reaches_an_internal_page_but_the_health_checks(client, leader_a):
    client.force_login(leader_a)
    internal = [
        name
        for name, _module in _named_patterns()
        if not _needs_kwargs(name)
        and reverse(name).startswith("/internal/")
        and name not in ("isalive", "isready")
    ]

    answers = {name: client.get(reverse(name)).status_code for name in internal}

    assert all(code in (302, 403, 404) for code in answers.values()), answers
    assert client.get("/internal/mail/").status_code == 404


def _needs_kwargs(name: str) -> bool:
    try:
        reverse(name)
    except Exception:  # noqa: BLE001 - a pattern that needs arguments
        return True
    return False


STAFF_PAGES = [
    name
    for name in PROJECT_URLS
    if name in REGISTRY
    and REGISTRY[name].expected.get(ANON) == LOGIN
    and REGISTRY[name].method == "GET"
]


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_a_representative_link_never_reaches_a_staff_page(world, name):
    client = client_for(REP, world)
    client.get(reverse("seat_link", kwargs={"token": world["seat_token"]}))
    client.get(reverse("consent_link", kwargs={"token": world["consent_token"]}))

    response = client.get(reverse(name, kwargs=REGISTRY[name].kwargs(world)))

    assert _answer(response) == LOGIN


def test_a_seat_link_is_not_a_consent_link(client, world):
    response = client.get(reverse("consent_link", kwargs={"token": world["seat_token"]}))

    assert response.status_code in (400, 404, 410)


@pytest.mark.parametrize("name", ["roster", "roster_export_csv", "honoraria", "statistics"])
@pytest.mark.parametrize("role", [LEADER_B, HR_OUT])
def test_reports_never_show_another_scope(world, name, role):
    client = client_for(role, world)

    response = client.get(reverse(name))

    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert world["representative"].name.encode() not in body
    assert world["office"].name.encode() not in body
