"""Bad input never breaks a form: random strings, control characters, huge values and files in
odd encodings are answered with the form and a message, or with a redirect after a valid
save, never with a server error, and a refused form writes nothing (row counts of every table
are unchanged)."""

import io
from collections.abc import Callable

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from panels import links, texts
from panels.public import answers
from tests.factories import BackgroundFactory
from tests.factories.links import ConsentTextFactory, invited_seat
from tests.factories.panels import InterviewFactory, OpenRoundFactory, PoolRepresentativeFactory

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NASTY = [
    "",
    " ",
    "0",
    "-1",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "2026-02-30",
    "25:61",
    "\x00",
    "a\x00b",
    "\r\n\t\x0b\x0c\x1b[31m",
    '=HYPERLINK("http://x")',
    "<script>alert(1)</script>",
    "'; DROP TABLE panels_seat; --",
    "ÆØÅ æøå ŋ 𝕏 🙂",
    "\u202eevil",
    "x" * 100_000,
]
junk = st.one_of(st.sampled_from(NASTY), st.text(max_size=300))


def counts() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


def post_and_check(client: Client, url: str, data: dict, *, allowed: tuple = (200, 302)) -> None:
    before = counts()

    response = client.post(url, data)

    assert response.status_code in allowed, (response.status_code, data)
    if response.status_code == 200:
        assert "error" in response.text.lower(), "a refused form must say what is wrong"
        assert counts() == before, "a refused form wrote something"


def form_data(fields: dict[str, st.SearchStrategy]) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(fields)


def maybe(valid: Callable[[], str]) -> st.SearchStrategy:
    """Junk, or a valid value now and then, so that the other fields get checked too."""
    return st.one_of(junk, st.builds(valid))


@pytest.fixture
def leader(client, leader_a):
    client.force_login(leader_a)
    return client


@pytest.fixture
def rana(office_a):
    BackgroundFactory(slug="aap")
    hiring_round = OpenRoundFactory(office=office_a)
    InterviewFactory(round=hiring_round)
    return hiring_round


ROUND_FIELDS = (
    "position_title",
    "team",
    "description",
    "info_for_representatives",
    "seats_per_panel",
    "answer_deadline_days",
    "invite_next_automatically",
)


# Leaders' forms -----------------------------------------------------------------------------------


def test_round_create_survives_bad_input(leader, office_a):
    @FUZZ
    @given(
        form_data(
            {"office": maybe(lambda: str(office_a.pk))} | {name: junk for name in ROUND_FIELDS}
        )
    )
    def check(data):
        post_and_check(leader, reverse("round_create"), data)

    check()


def test_round_edit_survives_bad_input(leader, office_a, rana):
    @FUZZ
    @given(
        form_data(
            {"office": maybe(lambda: str(office_a.pk))} | {name: junk for name in ROUND_FIELDS}
        )
    )
    def check(data):
        post_and_check(leader, reverse("round_edit", args=[rana.pk]), data)

    check()


def test_candidates_survive_bad_input(leader, rana):
    @FUZZ
    @given(form_data({"names": junk}))
    def check(data):
        post_and_check(leader, reverse("candidates_add", args=[rana.pk]), data)

    check()


def test_an_interview_day_survives_bad_input(leader, rana):
    fields = ("day", "first_start", "minutes", "break_minutes", "count", "day_ends")
    fields += ("location", "video_url", "candidate_1", "candidate_2")

    @FUZZ
    @given(form_data({name: junk for name in fields}))
    def check(data):
        post_and_check(leader, reverse("interview_day_create", args=[rana.pk]), data)

    check()


def test_a_panel_survives_bad_input(leader, rana):
    interview = rana.interviews.first()

    @FUZZ
    @given(
        form_data(
            {
                "interviews": maybe(lambda: str(interview.pk)),
                "seats_wanted": junk,
                "location": junk,
                "staff-TOTAL_FORMS": st.sampled_from(["1", "0", "-1", "1000000", "x"]),
                "staff-INITIAL_FORMS": st.sampled_from(["0", "x"]),
                "staff-0-name": junk,
                "staff-0-role": junk,
                "staff-0-email": junk,
            }
        )
    )
    def check(data):
        post_and_check(leader, reverse("panel_create", args=[rana.pk]), data)

    check()


REPRESENTATIVE_FIELDS = ("name", "email", "phone", "birth_year", "organisation")
REPRESENTATIVE_FIELDS += ("suggested_by", "language", "support_needs", "note", "backgrounds")


def test_adding_a_representative_survives_bad_input(leader, office_a):
    ConsentTextFactory()

    @FUZZ
    @given(
        form_data(
            {"offices": maybe(lambda: str(office_a.pk))}
            | {name: junk for name in REPRESENTATIVE_FIELDS}
        )
    )
    def check(data):
        post_and_check(leader, reverse("representative_create"), data)

    check()


def test_changing_a_representative_survives_bad_input(leader, office_a):
    representative = PoolRepresentativeFactory(offices=[office_a])

    @FUZZ
    @given(
        form_data(
            {"offices": maybe(lambda: str(office_a.pk))}
            | {name: junk for name in REPRESENTATIVE_FIELDS}
        )
    )
    def check(data):
        post_and_check(leader, reverse("representative_edit", args=[representative.pk]), data)

    check()


def _csv_text() -> st.SearchStrategy[str]:
    line = st.lists(junk.map(lambda value: value[:200]), min_size=1, max_size=8).map(";".join)
    return st.lists(line, max_size=6).map(
        lambda lines: "name;email;backgrounds\n" + "\n".join(lines)
    )


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252", "cp865"]
csv_file = st.one_of(
    st.binary(max_size=2000),
    st.tuples(_csv_text(), st.sampled_from(ENCODINGS)).map(
        lambda text_encoding: text_encoding[0].encode(text_encoding[1], errors="replace")
    ),
    st.sampled_from(
        [
            b"",
            b"\xef\xbb\xbf",
            b"name;email\n" + b"x;y@example.no\n" * 80_000,  # over 1 MB
            b"name;email\nOla\x00;ola@example.no\n",
            "name;email\nØyvind;øyvind@example.no\n".encode("latin-1"),
            b"name,email\r\nA,a@example.no\rB,b@example.no",
        ]
    ),
)


def test_the_pool_import_survives_bad_files(leader, office_a):
    ConsentTextFactory()
    BackgroundFactory(slug="aap")

    @FUZZ
    @given(content=csv_file, office=maybe(lambda: str(office_a.pk)))
    def check(content, office):
        upload = io.BytesIO(content)
        upload.name = "pool.csv"
        post_and_check(leader, reverse("representative_import"), {"office": office, "file": upload})

    check()


# Representatives' forms (by link) ----------------------------------------------------------------


@pytest.fixture
def seat_token(office_a):
    seat = invited_seat(office=office_a, signed=True)
    return links.seat_token(seat.pk)


def test_a_decline_reason_survives_bad_input(client, office_a):
    @FUZZ
    @given(form_data({"reason": junk}))
    def check(data):
        # A fresh invitation each time: a valid reason declines the seat.
        token = links.seat_token(invited_seat(office=office_a).pk)
        post_and_check(client, reverse("seat_link_decline", args=[token]), data)

    check()


@pytest.mark.parametrize("accepted", [False, True], ids=["invited", "accepted"])
def test_support_needs_survive_bad_input(client, office_a, accepted):
    # On an invited seat the page asks for support needs inside the answer form; a refused
    # support-needs form must still come back with its error.
    seat = invited_seat(office=office_a, signed=True)
    if accepted:
        answers.invitation_accept(
            seat=seat, declaration=texts.confidentiality_text_current(), sign_declaration=False
        )
    seat_token = links.seat_token(seat.pk)

    @FUZZ
    @given(form_data({"support_needs": junk}))
    def check(data):
        post_and_check(client, reverse("seat_link_support", args=[seat_token]), data)

    check()


def test_a_conflict_survives_bad_input(client, seat_token):
    @FUZZ
    @given(form_data({"candidate": junk}))
    def check(data):
        post_and_check(
            client,
            reverse("seat_link_conflict", args=[seat_token]),
            data,
            allowed=(200, 302, 404),
        )

    check()
