"""Candidates' voice (issue 18, point 5): codes on the day plan, one anonymous answer per code,
and the answers as counts with small counts suppressed."""

import pytest
from django.urls import reverse

from panels.models import CandidateAnswer, CandidateSurveyCode
from tests.factories.panels import OpenRoundFactory, panel_for

pytestmark = pytest.mark.django_db

GOOD = {"meeting": "good", "helped": "yes", "keep": "yes"}


@pytest.fixture
def panel(office_a):
    return panel_for(OpenRoundFactory(office=office_a), interviews=3)


@pytest.fixture
def code(panel):
    return CandidateSurveyCode.objects.create(panel=panel, code="K7MX2QPA")


def _url(code) -> str:
    return reverse("candidate_survey", args=[code.code])


def test_the_day_plan_carries_one_short_link_and_qr_code_per_interview(client, leader_a, panel):
    client.force_login(leader_a)

    first = client.get(reverse("panel_day_plan", args=[panel.pk])).text
    client.get(reverse("panel_day_plan", args=[panel.pk]))

    codes = list(panel.survey_codes.values_list("code", flat=True))
    assert len(codes) == 3
    for value in codes:
        assert f"/r/s/{value}/" in first
    assert first.count("<svg") >= 3


def test_answered_twice_with_one_code_counts_once(client, code):
    first = client.post(_url(code), GOOD)
    second = client.post(_url(code), {"meeting": "bad", "helped": "no", "keep": "no"})

    assert first.status_code == 302
    assert second.status_code == 200
    assert "Denne koden er allerede brukt" in second.text
    assert list(CandidateAnswer.objects.values_list("meeting", "helped", "keep")) == [
        ("good", "yes", "yes")
    ]


def test_opening_the_questionnaire_records_nothing(client, code):
    response = client.get(_url(code))

    code.refresh_from_db()
    assert response.status_code == 200
    assert code.used_at is None
    assert not CandidateAnswer.objects.exists()


def test_an_empty_answer_sends_nothing_and_keeps_the_code(client, code):
    response = client.post(_url(code), {})

    code.refresh_from_db()
    assert "Du svarte ikke på noe" in response.text
    assert code.used_at is None
    assert not CandidateAnswer.objects.exists()


def test_an_unknown_code_answers_404(client, code):
    assert client.get(reverse("candidate_survey", args=["ZZZZZZZZ"])).status_code == 404


def test_the_answer_keeps_no_name_no_code_and_no_time():
    fields = {field.name for field in CandidateAnswer._meta.get_fields()}

    assert fields == {"id", "panel", "meeting", "helped", "keep"}


def _answers(panel, n: int, **choices) -> None:
    CandidateAnswer.objects.bulk_create(
        CandidateAnswer(panel=panel, **{**GOOD, **choices}) for _ in range(n)
    )


def test_the_counts_hide_small_numbers_as_the_statistics_do(client, leader_a, panel):
    _answers(panel, 6)
    _answers(panel, 2, meeting="bad")
    client.force_login(leader_a)

    response = client.get(reverse("candidate_voice"), {"year": panel.starts_at.year})

    meeting = response.context["tables"][0].shown.table
    # 2 "bad" and 0 "neither" are both under 5: both hidden.
    assert [entry.shown for entry in meeting.cells[0]] == ["6", "<5", "<5"]
    assert meeting.row_totals[0].shown == "8"
    assert "NAV Rana" in response.text


def test_a_leader_sees_only_their_own_offices_answers(client, leader_b, panel):
    _answers(panel, 6)
    client.force_login(leader_b)

    response = client.get(reverse("candidate_voice"), {"year": panel.starts_at.year})

    assert "NAV Rana" not in response.text
    assert response.context["tables"][0].shown.rows == []


def test_hr_sees_the_counts_of_every_office_in_scope(client, hr, panel):
    _answers(panel, 5)
    client.force_login(hr)

    response = client.get(reverse("candidate_voice"), {"year": panel.starts_at.year})

    assert [row.label for row in response.context["tables"][0].shown.rows] == ["NAV Rana"]
