"""The access matrix (docs/domain.md, "What is sensitive, and who may see it") as a test.

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

A 200 is not enough where each user sees their own scope: office A's name, its round and its
representatives carry ``SCOPE_MARKER``, and no role outside office A may get a page, export or
file that holds it (the link pages excepted: a link is the key to its seat, whoever holds it).
Where a page must show office A to the roles that see it, the matrix says ``SHOWS_A``, so the
marker is proven to reach the page that a leak would put it in.

Every answer, of every role, must also carry ``Cache-Control: no-store, private`` (issue 15):
the pages hold personal data, and a shared computer's cache or a proxy must not keep them.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import openpyxl
import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client, override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import User
from panels import links, services
from panels.enums import RepresentativeStatus, SeatStatus
from panels.models import CandidateSurveyCode, PoolImport, Seat
from reports.periods import quarter_bounds, quarter_of
from rosters.models import ExportJob
from tests.factories.links import invited_seat
from tests.factories.panels import (
    InterviewFactory,
    OpenRoundFactory,
    PoolRepresentativeFactory,
    panel_for,
)
from tests.factories.reports import TravelClaimFactory
from tests.factories.reports import past_seat as paid_seat

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
SHOWS_A = "200 showing office A's data"
# In office A's name, its round's title and its representatives' names; found nowhere else.
SCOPE_MARKER = "Zq7Rana"
SEES_OFFICE_A = frozenset({LEADER_A, HR_IN})


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
OBJECT_PAGE = expect(leader_a=SHOWS_A, leader_b=404, hr_in=SHOWS_A, hr_out=404)
OBJECT_FORM = expect(leader_a=200, leader_b=404, hr_in=403, hr_out=404)
OBJECT_ACTION = expect(leader_a=DONE, leader_b=404, hr_in=403, hr_out=404)
STAFF_PAGE = expect(leader_a=200, leader_b=200, hr_in=200, hr_out=200)
# Lists that answer everyone with their own scope: office A's data for A's roles only.
SCOPED_LIST = expect(leader_a=SHOWS_A, leader_b=200, hr_in=SHOWS_A, hr_out=200)
LEADER_PAGE = expect(leader_a=200, leader_b=200, hr_in=403, hr_out=403)
HR_PAGE = expect(leader_a=403, leader_b=403, hr_in=200, hr_out=200)
# HR's reports answer every staff user with their own scope (a leader: their offices).
REPORT = SCOPED_LIST
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
    # A representative's link page: the token is the key, so it shows its seat to any holder.
    link: bool = False


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
    "round_list": Sample(expected=SCOPED_LIST),
    "representative_list": Sample(expected=SCOPED_LIST),
    "office_choose": Sample(
        method="POST",
        data=lambda world: {"office": world["office"].pk},
        expected=expect(leader_a=302, leader_b=404, hr_in=302, hr_out=404),
    ),
    "round_create": Sample(expected=LEADER_PAGE),
    "representative_create": Sample(expected=LEADER_PAGE),
    "representative_import": Sample(expected=LEADER_PAGE),
    # A large import's progress: its leader only.
    "representative_import_job": Sample(
        pk("import_job"), expect(leader_a=200, leader_b=404, hr_in=404, hr_out=404)
    ),
    "representative_export": Sample(expected=LEADER_PAGE),
    # Objects of office A.
    "round_detail": Sample(pk("round"), OBJECT_PAGE),
    "round_edit": Sample(pk("round"), OBJECT_FORM),
    "round_change_state": Sample(pk("round"), OBJECT_ACTION, "POST"),
    # An open round is refused with a message; a draft's deletion: tests/panels/test_less_typing.
    "round_delete": Sample(pk("round"), OBJECT_ACTION, "POST"),
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
    # The day plan names representatives with phone and support needs: the office's leaders.
    "panel_day_plan": Sample(
        pk("panel"), expect(leader_a=SHOWS_A, leader_b=404, hr_in=404, hr_out=404)
    ),
    "agenda": Sample(expected=expect(leader_a=SHOWS_A, leader_b=200, hr_in=403, hr_out=403)),
    "panel_invite": Sample(pk("panel"), OBJECT_ACTION, "POST"),
    "panel_cancel": Sample(pk("panel"), OBJECT_ACTION, "POST"),
    "panel_move": Sample(pk("panel"), OBJECT_ACTION, "POST"),
    "seat_cancel": Sample(pk("seat"), OBJECT_FORM),
    "seat_phone_answer": Sample(pk("seat"), OBJECT_ACTION, "POST"),
    "seat_attendance": Sample(pk("past_seat"), OBJECT_ACTION, "POST"),
    "seat_attendance_correct": Sample(pk("past_seat"), OBJECT_FORM),
    "candidate_remove": Sample(pk("candidate"), OBJECT_ACTION, "POST"),
    "representative_detail": Sample(pk("representative"), OBJECT_PAGE),
    "representative_edit": Sample(pk("representative"), OBJECT_FORM),
    "representative_link_resend": Sample(
        pk("representative"),
        OBJECT_ACTION,
        "POST",
        data=lambda world: {"what": "my_page"},
    ),
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
    # Counts only, small ones hidden; office A's name shows only once it has answers.
    "candidate_voice": Sample(expected=STAFF_PAGE),
    "seat_travel_claim": Sample(pk("past_seat"), OBJECT_FORM),
    "travel_claim_edit": Sample(pk("travel_claim"), OBJECT_FORM),
    "travel_claim_delete": Sample(pk("travel_claim"), OBJECT_FORM),
    "api:roster": Sample(expected=API),
    "api:honoraria": Sample(expected=API),
    # The representatives' link pages: a link of office A's seat, answered for its holder.
    "seat_link": Sample(token("seat_token"), LINK_PAGE, link=True),
    "seat_link_accept": Sample(token("seat_token"), LINK_ACTION, "POST", link=True),
    "seat_link_decline": Sample(token("seat_token"), LINK_ACTION, "POST", link=True),
    "seat_link_cant_come": Sample(token("seat_token"), LINK_ACTION, "POST", link=True),
    "seat_link_support": Sample(token("seat_token"), LINK_ACTION, "POST", link=True),
    "seat_link_sign": Sample(token("seat_token"), LINK_ACTION, "POST", link=True),
    # No candidate named in the empty form: nobody to declare, for anyone.
    "seat_link_conflict": Sample(
        token("seat_token"), {role: 404 for role in ROLES}, "POST", link=True
    ),
    "consent_link": Sample(token("consent_token"), LINK_PAGE, link=True),
    "consent_link_decline": Sample(token("consent_token"), LINK_ACTION, "POST", link=True),
    # Someone still awaiting consent has nothing to withdraw: the page again, for anyone. (A
    # withdrawal that erases is followed in tests/panels/public/views/test_consent.py.)
    "consent_link_withdraw": Sample(
        token("awaiting_consent_token"), LINK_ACTION, "POST", link=True
    ),
    "my_page": Sample(token("my_page_token"), LINK_PAGE, link=True),
    # The representative's own language (issue 19): an empty form saves nothing, goes back.
    "consent_link_language": Sample(token("consent_token"), LINK_ACTION, "POST", link=True),
    "my_page_language": Sample(token("my_page_token"), LINK_ACTION, "POST", link=True),
    "seat_link_language": Sample(token("seat_token"), LINK_ACTION, "POST", link=True),
    "feedback_link": Sample(token("feedback_token"), LINK_PAGE, link=True),
    "staff_feedback_link": Sample(token("staff_token"), LINK_PAGE, link=True),
    # An SMS's short link only redirects to its signed link (tests/panels/test_sms.py): a code
    # nobody was sent is the invalid-link page for anyone, signed in or not.
    "short_link": Sample(lambda world: {"code": "AAAAAAAAAA"}, {role: 404 for role in ROLES}),
    "consent_deleted": Sample(expected=LINK_PAGE),
    # The candidates' questionnaire: its code is the key, as a link's token is.
    "candidate_survey": Sample(lambda world: {"code": world["survey_code"]}, LINK_PAGE, link=True),
    "consent_withdrawn": Sample(expected=LINK_PAGE),
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
    office_a.name = f"NAV Rana {SCOPE_MARKER}"
    office_a.save(update_fields=["name"])
    hiring_round = OpenRoundFactory(office=office_a, position_title=f"Veileder {SCOPE_MARKER}")
    panel = panel_for(hiring_round)
    representative = PoolRepresentativeFactory(offices=[office_a], name=f"Åse {SCOPE_MARKER}")
    seat = services.seat_invite(panel=panel, representative=representative, by=leader_a)
    interview = InterviewFactory(
        round=hiring_round, starts_at=timezone.now() + timedelta(days=20, hours=1)
    )
    past_panel = panel_for(hiring_round, days=-2)
    past_seat = Seat.objects.create(
        panel=past_panel,
        representative=PoolRepresentativeFactory(offices=[office_a], name=f"Per {SCOPE_MARKER}"),
        status=SeatStatus.ACCEPTED,
        starts_at=past_panel.starts_at,
        ends_at=past_panel.ends_at,
    )
    # Paid this quarter, so that the honoraria page (this quarter by default) lists it.
    paid = paid_seat(
        office=office_a,
        representative=PoolRepresentativeFactory(offices=[office_a], name=f"Eva {SCOPE_MARKER}"),
        day=quarter_bounds(*quarter_of(timezone.localdate()))[0],
    )
    travel_claim = TravelClaimFactory(seat=paid)
    link_seat = invited_seat(office=office_a)
    other_seat = invited_seat(office=office_b)
    export_job = ExportJob.objects.create(
        requested_by=hr, expires_at=timezone.now() + timedelta(days=1)
    )
    import_job = PoolImport.objects.create(
        office=office_a, requested_by=leader_a, line_count=600, status="running"
    )
    return {
        "import_job": import_job,
        "office": office_a,
        "round": hiring_round,
        "panel": panel,
        "representative": representative,
        "seat": seat,
        "past_seat": past_seat,
        "interview": interview,
        "candidate": interview.candidate,
        "survey_code": CandidateSurveyCode.objects.create(panel=panel, code="ABCDEFGH").code,
        "travel_claim": travel_claim,
        "day": timezone.localdate(panel.starts_at).isoformat(),
        "seat_token": links.seat_token(link_seat.pk),
        "consent_token": links.representative_token(link_seat.representative_id),
        "awaiting_consent_token": links.representative_token(
            PoolRepresentativeFactory(
                offices=[office_a], status=RepresentativeStatus.AWAITING_CONSENT
            ).pk
        ),
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


def sample_response(role: str, sample, url: str, world: dict):
    """The answer ``role`` gets to the URL's sample request (GET, or POST with its data)."""
    client = client_for(role, world)
    if sample.method == "POST":
        return client.post(url, sample.data(world))
    return client.get(url)


def _answer(response) -> object:
    login = reverse("account_login")
    if response.status_code == 302 and response["Location"].startswith(login):
        return LOGIN
    return response.status_code


def _matches(answer: object, expected: object) -> bool:
    if isinstance(expected, frozenset):
        return answer in expected
    return answer == expected


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _content(response) -> str:
    """What the answer shows a person: the page, the CSV, or every cell of the Excel file."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith(XLSX):
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    return body.decode("utf-8", errors="replace")


def _never_stored(response) -> bool:
    """Whatever the answer (a page, a redirect, 404, an export), no cache may keep it."""
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives and "public" not in directives


@override_settings(MFA_REQUIRED=True)
@pytest.mark.parametrize("name", [name for name in PROJECT_URLS if name in REGISTRY])
def test_each_role_gets_the_expected_answer(world, name):
    sample = REGISTRY[name]
    url = reverse(name, kwargs=sample.kwargs(world))
    wrong = []

    for role in ROLES:
        response = sample_response(role, sample, url, world)
        answer, expected = _answer(response), sample.expected[role]
        shows_a = answer == 200 and SCOPE_MARKER in _content(response)
        if not (shows_a if expected == SHOWS_A else _matches(answer, expected)):
            wrong.append(f"{role}: {SHOWS_A if shows_a else answer} (expected {expected})")
        elif shows_a and role not in SEES_OFFICE_A and not sample.link:
            wrong.append(f"{role}: {SHOWS_A} (expected {expected}: office A is not in its scope)")
        if not _never_stored(response):
            wrong.append(f"{role}: Cache-Control {response.get('Cache-Control')!r}")

    assert wrong == [], f"{name} {sample.method} {url}:\n" + "\n".join(wrong)


# What no role may cross ---------------------------------------------------------------------------


def _arguments(pattern: URLPattern | URLResolver) -> list[str]:
    return list(pattern.pattern.converters) or list(pattern.pattern.regex.groupindex)


def every_named_pattern() -> list[tuple[str, tuple[str, ...]]]:
    """(URL name with namespace, its arguments) of every named pattern, the admin's and
    allauth's too; the arguments include those of the includes it sits in."""
    found = []

    def walk(patterns, namespace: str, outer: tuple[str, ...]) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner, (*outer, *_arguments(pattern)))
            elif isinstance(pattern, URLPattern) and pattern.name:
                found.append((f"{namespace}{pattern.name}", (*outer, *_arguments(pattern))))

    walk(get_resolver().url_patterns, "", ())
    return sorted(set(found))


# Stand-ins for a pattern's arguments: an id or key, a UUID, an app label of the admin.
ARGUMENT_SAMPLES = ("1", "00000000-0000-0000-0000-000000000001", "panels")


def sample_path(name: str, arguments: tuple[str, ...]) -> str:
    """The pattern's address with a stand-in for each argument (an id, a key, a label)."""
    for value in ARGUMENT_SAMPLES:
        try:
            return reverse(name, kwargs=dict.fromkeys(arguments, value))
        except NoReverseMatch:
            continue
    raise AssertionError(f"{name}: no stand-in fits its arguments {arguments}; add one")


ADMIN_PATTERNS = [
    (name, arguments) for name, arguments in every_named_pattern() if name.startswith("admin:")
]
INTERNAL_PATHS = [
    path
    for path in (sample_path(name, arguments) for name, arguments in every_named_pattern())
    if path.startswith("/internal/") and path not in ("/internal/isalive", "/internal/isready")
]
STAFF_ROLES = (LEADER_A, LEADER_B, HR_IN, HR_OUT)


def _refused(response) -> bool:
    """Sent to sign in (allauth's page, also for the admin), forbidden or not found."""
    location = response.get("Location", "")
    to_sign_in = reverse("account_login") in location or reverse("admin:login") in location
    return response.status_code in (403, 404) or (response.status_code == 302 and to_sign_in)


def _landing(client: Client, path: str):
    """The answer after following redirects that do not lead to a sign-in page."""
    response = client.get(path)
    for _hop in range(3):
        if response.status_code != 302 or _refused(response):
            break
        response = client.get(response["Location"])
    return response


@override_settings(MFA_REQUIRED=True)
def test_no_leader_or_hr_ever_reaches_an_admin_page(world):
    administrator = User.objects.create_superuser(email="admin@navpanel.no", password="x" * 20)
    TOTP.activate(administrator, generate_totp_secret())
    control = Client()
    control.force_login(administrator)
    assert control.get(reverse("admin:panels_representative_changelist")).status_code == 200
    assert len(ADMIN_PATTERNS) > 20
    reached = []

    for role in STAFF_ROLES:
        client = client_for(role, world)
        for name, arguments in ADMIN_PATTERNS:
            response = _landing(client, sample_path(name, arguments))
            if not _refused(response):
                reached.append(f"{role}: {name} {response.status_code}")
            elif response.status_code == 302:
                # Django's admin sign-in page itself must refuse someone who is not staff.
                login = client.get(response["Location"])
                if login.status_code == 200 and b"navpanel administration" in login.content:
                    reached.append(f"{role}: {name} shows the admin's sign-in")

    assert reached == []


@override_settings(MFA_REQUIRED=True)
def test_no_leader_or_hr_ever_reaches_an_internal_page_but_the_health_checks(world):
    reached = [
        f"{role}: {path} {answer.status_code}"
        for role in STAFF_ROLES
        for path in INTERNAL_PATHS
        if not _refused(answer := _landing(client_for(role, world), path))
    ]

    assert reached == []
    assert client_for(LEADER_A, world).get("/internal/mail/").status_code == 404


STAFF_SAMPLES = [
    name for name in PROJECT_URLS if name in REGISTRY and REGISTRY[name].expected.get(ANON) == LOGIN
]


def _representative_after_using_every_link(world: dict) -> Client:
    """A browser that opened and answered every kind of link the representative gets."""
    client = client_for(REP, world)
    for name, token_key in (
        ("seat_link", "seat_token"),
        ("consent_link", "consent_token"),
        ("my_page", "my_page_token"),
        ("feedback_link", "feedback_token"),
    ):
        client.get(reverse(name, kwargs={"token": world[token_key]}))
    client.post(reverse("seat_link_support", kwargs={"token": world["seat_token"]}), {})
    client.post(reverse("my_page", kwargs={"token": world["my_page_token"]}), {"action": "x"})
    return client


@pytest.mark.parametrize("name", STAFF_SAMPLES)
def test_a_representative_link_never_reaches_a_staff_page(world, name):
    sample = REGISTRY[name]
    url = reverse(name, kwargs=sample.kwargs(world))
    client = _representative_after_using_every_link(world)
    ask = client.post if sample.method == "POST" else client.get

    token = world["seat_token"]
    in_session = ask(url, sample.data(world))
    as_query = ask(f"{url}?token={token}", sample.data(world))
    as_bearer = ask(url, sample.data(world), headers={"authorization": f"Bearer {token}"})

    assert [_answer(in_session), _answer(as_query), _answer(as_bearer)] == [LOGIN] * 3


def test_a_link_token_in_place_of_a_staff_pages_id_reaches_nothing(world):
    token = world["seat_token"]
    client = _representative_after_using_every_link(world)
    reached = {}

    for name in STAFF_SAMPLES:
        url = reverse(name, kwargs=REGISTRY[name].kwargs(world))
        ids = [str(value) for value in REGISTRY[name].kwargs(world).values()]
        for value in ids:
            url = url.replace(f"/{value}/", f"/{token}/")
        if ids:
            answer = _answer(client.get(url))
            if answer not in (LOGIN, 404):
                reached[url] = answer

    assert reached == {}


def test_a_seat_link_is_not_a_consent_link(client, world):
    response = client.get(reverse("consent_link", kwargs={"token": world["seat_token"]}))

    assert response.status_code in (400, 404, 410)
