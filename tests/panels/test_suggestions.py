"""The suggestion engine: plain data in, plain data out, no database."""

from datetime import date

import pytest
from django.conf import settings
from django.utils import translation

from panels.suggestions import (
    PoolMember,
    Ranked,
    Reason,
    ReasonCode,
    Selection,
    Shortfall,
    Suggestion,
    Want,
    rank_members,
    suggest_panel,
)

if not settings.configured:
    # Run without pytest-django (-p no:django): the engine needs no project settings, and
    # without translation the texts are the English source strings.
    settings.configure(USE_I18N=False)

TODAY = date(2026, 6, 15)
LABELS = {
    "substance_use": "substance use",
    "young_adult": "young adult",
    "mental_health": "mental health",
}


def member(member_id: int, *backgrounds: str, **facts) -> PoolMember:
    return PoolMember(id=member_id, backgrounds=frozenset(backgrounds), **facts)


def test_wants_that_cannot_be_met_report_the_shortfall():
    members = [member(1, "substance_use"), member(2, "mental_health"), member(3)]

    selection = suggest_panel(
        members=members, seats=2, wants=[Want("substance_use", at_least=2)], today=TODAY
    )

    assert selection.member_ids[0] == 1
    assert selection.shortfalls == (
        Shortfall(background="substance_use", wanted=2, short_by=1, label="substance_use"),
    )
    assert selection.wants_met is False


def test_a_want_nobody_has_is_short_by_all_it_asks():
    members = [member(1, "mental_health"), member(2)]

    selection = suggest_panel(
        members=members,
        seats=2,
        wants=[Want("single_parent", at_least=2), Want("mental_health")],
        today=TODAY,
        labels={"single_parent": "single parent"},
    )

    assert selection.shortfalls == (
        Shortfall(background="single_parent", wanted=2, short_by=2, label="single parent"),
    )


def test_the_shortfall_text_names_the_background_and_the_number():
    shortfall = Shortfall(background="substance_use", wanted=2, short_by=1, label="substance use")

    with translation.override("en"):
        text = shortfall.text

    assert text == "substance use: 1 short"


def test_a_pool_of_one_gives_that_member():
    selection = suggest_panel(members=[member(7, "aap")], seats=1, wants=[Want("aap")], today=TODAY)

    assert selection.member_ids == (7,)
    assert selection.shortfalls == ()
    assert selection.unfilled == 0


def test_an_empty_pool_gives_nobody_and_reports_every_want_short():
    selection = suggest_panel(
        members=[], seats=2, wants=[Want("substance_use"), Want("senior")], today=TODAY
    )

    assert selection == Selection(
        chosen=(),
        shortfalls=(
            Shortfall(background="substance_use", wanted=1, short_by=1, label="substance_use"),
            Shortfall(background="senior", wanted=1, short_by=1, label="senior"),
        ),
        unfilled=2,
    )


def test_seats_larger_than_the_pool_choose_everyone_and_report_the_empty_seats():
    members = [member(1, "aap"), member(2)]

    selection = suggest_panel(members=members, seats=3, wants=[], today=TODAY)

    assert sorted(selection.member_ids) == [1, 2]
    assert selection.unfilled == 1


def test_no_seats_choose_nobody():
    selection = suggest_panel(members=[member(1)], seats=0, wants=[], today=TODAY)

    assert selection.chosen == ()


def test_ties_are_broken_by_member_id_whatever_the_input_order():
    members = [member(member_id, "mental_health") for member_id in (5, 3, 9, 1, 7)]

    first = suggest_panel(members=members, seats=2, wants=[Want("mental_health")], today=TODAY)
    again = suggest_panel(members=members, seats=2, wants=[Want("mental_health")], today=TODAY)
    reversed_order = suggest_panel(
        members=list(reversed(members)), seats=2, wants=[Want("mental_health")], today=TODAY
    )

    assert first.member_ids == (1, 3)
    assert again == first
    assert reversed_order == first


def test_the_ranking_is_the_same_whatever_the_input_order():
    members = [member(4), member(2, "aap"), member(8, seats_last_12_months=1), member(6)]

    ranked = rank_members(members=members, wants=[Want("aap")], today=TODAY)
    reversed_ranked = rank_members(members=members[::-1], wants=[Want("aap")], today=TODAY)

    assert [r.member_id for r in ranked] == [2, 4, 6, 8]
    assert reversed_ranked == ranked


def test_the_member_who_sat_less_often_is_preferred():
    members = [
        member(1, "mental_health", seats_last_12_months=3, last_seat_on=date(2025, 9, 1)),
        member(2, "mental_health", seats_last_12_months=1, last_seat_on=date(2025, 9, 1)),
    ]

    selection = suggest_panel(members=members, seats=1, wants=[Want("mental_health")], today=TODAY)

    assert selection.member_ids == (2,)


def test_the_member_who_sat_less_recently_is_preferred():
    members = [
        member(1, seats_last_12_months=1, last_seat_on=date(2026, 6, 1)),
        member(2, seats_last_12_months=1, last_seat_on=date(2025, 8, 1)),
    ]

    selection = suggest_panel(members=members, seats=1, wants=[], today=TODAY)

    assert selection.member_ids == (2,)


def test_a_wanted_background_beats_a_lighter_load():
    members = [
        member(1),
        member(2, "substance_use", seats_last_12_months=4, last_seat_on=date(2026, 5, 1)),
    ]

    selection = suggest_panel(members=members, seats=1, wants=[Want("substance_use")], today=TODAY)

    assert selection.member_ids == (2,)
    assert selection.shortfalls == ()


def test_the_member_who_covered_a_background_in_this_round_is_not_asked_to_cover_it_again():
    already = member(
        1,
        "substance_use",
        seats_this_round=1,
        backgrounds_covered_this_round=frozenset({"substance_use"}),
    )
    fresh = member(2, "substance_use", seats_this_round=1)

    selection = suggest_panel(
        members=[already, fresh], seats=1, wants=[Want("substance_use")], today=TODAY
    )

    assert selection.member_ids == (2,)


def test_the_member_who_covered_a_background_in_this_round_is_asked_when_nobody_else_has_it():
    already = member(
        1, "substance_use", backgrounds_covered_this_round=frozenset({"substance_use"})
    )
    others = [member(2, "mental_health"), member(3)]

    selection = suggest_panel(
        members=[already, *others], seats=1, wants=[Want("substance_use")], today=TODAY
    )

    assert selection.member_ids == (1,)
    assert selection.chosen[0].reasons[-1] == Reason(
        code=ReasonCode.ROUND_REPEAT, backgrounds=("substance_use",), labels=("substance_use",)
    )


def test_different_organisations_are_preferred_among_otherwise_equal_members():
    members = [
        member(1, organisation="FFO"),
        member(2, organisation="FFO"),
        member(3, organisation="Mental Helse"),
    ]

    selection = suggest_panel(members=members, seats=2, wants=[], today=TODAY)

    assert sorted(selection.member_ids) == [1, 3]


def test_different_ages_are_preferred_among_otherwise_equal_members():
    members = [
        member(1, birth_year=1990),
        member(2, birth_year=1994),
        member(3, birth_year=1962),
    ]

    selection = suggest_panel(members=members, seats=2, wants=[], today=TODAY)

    assert sorted(selection.member_ids) == [1, 3]


def test_variety_counts_the_members_already_seated():
    seated = [member(10, "substance_use", organisation="RIO")]
    members = [member(1, organisation="RIO"), member(2, organisation="FFO")]

    selection = suggest_panel(
        members=members, seats=1, wants=[Want("substance_use")], today=TODAY, seated=seated
    )

    assert selection.member_ids == (2,)


def test_members_already_seated_count_towards_the_wants():
    seated = [member(10, "substance_use")]
    members = [member(1, "substance_use", seats_last_12_months=2), member(2)]

    selection = suggest_panel(
        members=members, seats=1, wants=[Want("substance_use")], today=TODAY, seated=seated
    )

    assert selection.member_ids == (2,)
    assert selection.shortfalls == ()


def test_the_search_meets_wants_that_the_greedy_choice_would_miss():
    # Taking the member with the most wanted backgrounds first leaves "e" and "f" uncovered;
    # members 2 and 3 together cover all six.
    members = [
        member(1, "a", "b", "c", "d"),
        member(2, "a", "b", "e"),
        member(3, "c", "d", "f"),
    ]

    selection = suggest_panel(
        members=members, seats=2, wants=[Want(b) for b in "abcdef"], today=TODAY
    )

    assert sorted(selection.member_ids) == [2, 3]
    assert selection.shortfalls == ()


def test_repeated_wants_for_one_background_keep_the_largest():
    members = [member(1, "aap"), member(2, "aap"), member(3)]

    selection = suggest_panel(
        members=members, seats=2, wants=[Want("aap"), Want("aap", at_least=2)], today=TODAY
    )

    assert sorted(selection.member_ids) == [1, 2]


def test_members_who_declined_this_round_are_never_suggested():
    members = [member(1, "substance_use", declined_this_round=True), member(2)]

    selection = suggest_panel(members=members, seats=2, wants=[Want("substance_use")], today=TODAY)

    assert selection.member_ids == (2,)
    assert selection.shortfalls[0].short_by == 1


def test_the_reasons_say_what_a_member_covers_and_how_often_they_sat():
    members = [
        member(
            1,
            "substance_use",
            "young_adult",
            "aap",
            seats_last_12_months=1,
            last_seat_on=date(2026, 3, 10),
        )
    ]

    selection = suggest_panel(
        members=members,
        seats=1,
        wants=[Want("substance_use"), Want("young_adult")],
        today=TODAY,
        labels=LABELS,
    )
    with translation.override("en"):
        text = selection.chosen[0].text

    assert selection.chosen == (
        Suggestion(
            member_id=1,
            covers=frozenset({"substance_use", "young_adult"}),
            reasons=(
                Reason(
                    code=ReasonCode.COVERS,
                    backgrounds=("substance_use", "young_adult"),
                    labels=("substance use", "young adult"),
                ),
                Reason(code=ReasonCode.LOAD, count=1, on=date(2026, 3, 10)),
            ),
        ),
    )
    assert (
        text
        == "covers substance use and young adult; 1 panel in the last 12 months, last in March 2026"
    )


def test_the_reasons_of_a_newcomer_say_they_have_not_sat_before():
    with translation.override("en"):
        text = rank_members(members=[member(1)], wants=[], today=TODAY)[0].text

    assert text == "never on a panel"


def test_the_reasons_count_the_seats_of_this_round():
    members = [
        member(
            1,
            "mental_health",
            seats_last_12_months=2,
            last_seat_on=date(2026, 6, 1),
            seats_this_round=2,
        )
    ]

    ranked = rank_members(members=members, wants=[Want("mental_health")], today=TODAY)
    with translation.override("en"):
        text = ranked[0].text

    assert text == (
        "covers mental_health; 2 panels in the last 12 months, last in June 2026; "
        "already on 2 other panels in this round"
    )


def test_a_panel_said_yes_to_that_is_still_ahead_is_upcoming_not_past():
    with translation.override("en"):
        text = rank_members(members=[member(1, upcoming_seats=1)], wants=[], today=TODAY)[0].text

    assert text == "not on a panel yet; said yes to 1 upcoming panel"


def test_an_open_invitation_in_this_round_is_counted_as_one():
    members = [member(1, invitations_this_round=1)]

    with translation.override("en"):
        text = rank_members(members=members, wants=[], today=TODAY)[0].text

    assert text == "never on a panel; invited to 1 other panel in this round, no answer yet"


def test_upcoming_seats_and_open_invitations_weigh_as_load():
    members = [member(1, upcoming_seats=1), member(2, invitations_this_round=1), member(3)]

    ranked = rank_members(members=members, wants=[], today=TODAY)

    assert [r.member_id for r in ranked] == [3, 1, 2]


def test_the_ranking_lists_every_eligible_member_wants_first_then_load():
    members = [
        member(1, seats_last_12_months=1),
        member(2, "substance_use", seats_last_12_months=2),
        member(3),
        member(4, "substance_use"),
        member(5, declined_this_round=True),
    ]

    ranked = rank_members(members=members, wants=[Want("substance_use")], today=TODAY)

    assert [(r.position, r.member_id) for r in ranked] == [(1, 4), (2, 2), (3, 3), (4, 1)]
    assert ranked[0] == Ranked(
        position=1,
        member_id=4,
        covers=frozenset({"substance_use"}),
        reasons=(
            Reason(
                code=ReasonCode.COVERS, backgrounds=("substance_use",), labels=("substance_use",)
            ),
            Reason(code=ReasonCode.LOAD, count=0, on=None),
        ),
    )


def test_the_chosen_come_in_the_order_to_invite_them():
    members = [member(1), member(2, "senior", seats_last_12_months=1)]

    selection = suggest_panel(members=members, seats=2, wants=[Want("senior")], today=TODAY)

    assert selection.member_ids == (2, 1)


def test_negative_seats_are_refused():
    with pytest.raises(ValueError, match="seats"):
        suggest_panel(members=[], seats=-1, wants=[], today=TODAY)


def test_members_with_the_same_id_are_refused():
    with pytest.raises(ValueError, match="distinct"):
        suggest_panel(members=[member(1), member(1)], seats=1, wants=[], today=TODAY)
