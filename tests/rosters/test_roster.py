"""The roster page: who sees which seats, the filters, sorting, backgrounds and its query count."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.enums import AuditAction
from audit.models import AuditEvent
from interviews.enums import County
from navpanel.cache_versions import LOOKUPS, data_version_bump
from panels.enums import SeatStatus
from rosters.forms import RosterFilterForm
from rosters.selectors import RosterFilters, roster_for_user
from tests.factories import BackgroundFactory, OfficeFactory, UserFactory
from tests.factories.rosters import roster_seat

pytestmark = pytest.mark.django_db

EN = {"headers": {"accept-language": "en"}}
DAY = date(2026, 2, 10)
RESULTS = ("hit", "miss", "waited")


@pytest.fixture
def seats(office_a, office_b):
    """Two seats at Rana (Nordland), one at Hadeland (Innlandet)."""
    return {
        "rana_1": roster_seat(office=office_a, day=DAY, name="Åse Ødegård"),
        "rana_2": roster_seat(office=office_a, day=date(2026, 3, 2), name="Bjørn Æsøy"),
        "hadeland": roster_seat(office=office_b, day=DAY, name="Kåre Løvås"),
    }


def _names(response) -> list[str]:
    return [seat.representative.name for seat in response.context["rows"]]


def test_leader_sees_only_the_seats_of_their_own_office(client, leader_a, seats):
    client.force_login(leader_a)

    response = client.get(reverse("roster"))

    assert response.status_code == 200
    assert sorted(_names(response)) == ["Bjørn Æsøy", "Åse Ødegård"]
    assert "Kåre Løvås" not in response.text


def test_the_roster_writes_its_dates_in_the_long_form_of_the_readers_language(
    client, leader_a, seats
):
    client.force_login(leader_a)

    norwegian = client.get(reverse("roster"))
    english = client.get(reverse("roster"), **EN)

    assert "10. februar 2026" in norwegian.text and "2. mars 2026" in norwegian.text
    assert "10 February 2026" in english.text and "2 March 2026" in english.text
    assert "10.02.2026" not in norwegian.text + english.text


def test_leader_of_another_office_filtering_on_office_a_gets_a_form_error_and_no_rows(
    client, leader_b, office_a, seats
):
    client.force_login(leader_b)

    response = client.get(reverse("roster"), {"office": office_a.pk}, **EN)

    assert response.status_code == 200
    assert "office" in response.context["form"].errors
    assert response.context["rows"] == []
    assert "Åse Ødegård" not in response.text
    assert "Choose one of the offices you have access to." in response.text


def test_hr_with_county_scope_sees_only_its_county(client, hr_b, office_a, office_b, seats):
    client.force_login(hr_b)

    everything = client.get(reverse("roster"))
    other_county = client.get(reverse("roster"), {"county": County.NORDLAND})

    assert _names(everything) == ["Kåre Løvås"]
    assert "county" in other_county.context["form"].errors
    assert other_county.context["rows"] == []


def test_national_hr_filters_on_a_county(client, hr, seats):
    client.force_login(hr)

    response = client.get(reverse("roster"), {"county": County.INNLANDET})

    assert _names(response) == ["Kåre Løvås"]


def test_a_round_of_another_office_is_refused_by_the_form(leader_b, seats):
    other_round = seats["rana_1"].panel.round

    form = RosterFilterForm({"round": str(other_round.pk)}, user=leader_b)

    assert not form.is_valid()
    assert "round" in form.errors


def test_date_range_uses_local_dates_at_midnight(hr, office_a):
    # 00:30 Oslo time on 1 April is still 31 March in UTC: it belongs to April.
    late_march = roster_seat(office=office_a, day=date(2026, 3, 31), hour=23, name="Mars Sen")
    early_april = roster_seat(office=office_a, day=date(2026, 4, 1), hour=0, minute=30)

    first_quarter = roster_for_user(
        hr, filters=RosterFilters(date_from=date(2026, 1, 1), date_to=date(2026, 3, 31))
    )

    assert list(first_quarter) == [late_march]
    assert early_april not in first_quarter


def test_status_filter_and_whitelisted_sort(client, hr, office_a):
    attended = roster_seat(office=office_a, day=date(2026, 1, 5), name="Først Først")
    later = roster_seat(office=office_a, day=date(2026, 1, 6), name="Siste Sist")
    roster_seat(office=office_a, day=date(2026, 1, 7), status=SeatStatus.NO_SHOW, name="Ikke Møtt")
    client.force_login(hr)

    newest_first = client.get(reverse("roster"), {"status": "attended", "sort": "-date"})
    unknown_sort = client.get(reverse("roster"), {"status": "attended", "sort": "id; drop"})

    assert [s.pk for s in newest_first.context["rows"]] == [later.pk, attended.pk]
    assert [s.pk for s in unknown_sort.context["rows"]] == [attended.pk, later.pk]


def test_background_filter_uses_the_snapshot_of_a_past_seat(hr, office_a):
    senior = BackgroundFactory(slug="senior", name="Senior (55+)", name_en="Senior (55+)")
    young = BackgroundFactory(slug="young_adult", name="Ung voksen", name_en="Young adult")
    # Sat as a senior, has corrected their backgrounds since: the roster keeps the snapshot.
    past = roster_seat(office=office_a, day=DAY, snapshot=["senior"], backgrounds=[young])
    # Only invited: no snapshot yet, so their backgrounds now count.
    invited = roster_seat(
        office=office_a, day=DAY, hour=14, status=SeatStatus.INVITED, backgrounds=[senior]
    )

    seniors = roster_for_user(hr, filters=RosterFilters(background="senior"))
    young_adults = roster_for_user(hr, filters=RosterFilters(background="young_adult"))

    assert set(seniors) == {past, invited}
    assert list(young_adults) == []


def test_backgrounds_are_shown_only_when_asked_for_and_then_audited(client, hr, office_a):
    BackgroundFactory(slug="senior", name="Senior (55+)", name_en="Senior (55+)")
    seat = roster_seat(office=office_a, day=DAY, snapshot=["senior"])
    client.force_login(hr)

    plain = client.get(reverse("roster"))
    assert "Senior (55+)</td>" not in plain.text
    assert not AuditEvent.objects.filter(action=AuditAction.ROSTER_VIEWED).exists()

    shown = client.get(reverse("roster"), {"backgrounds": "on"})
    again = client.get(reverse("roster"), {"backgrounds": "on"})

    assert "Senior (55+)</td>" in shown.text
    assert "Senior (55+)</td>" in again.text
    # The second view is served from the cache, and is recorded all the same.
    events = list(AuditEvent.objects.filter(action=AuditAction.ROSTER_VIEWED))
    assert [(event.actor, event.detail["seats"]) for event in events] == [(hr, [seat.pk])] * 2


def test_support_needs_never_appear(client, hr, office_a):
    roster_seat(office=office_a, day=DAY, support_needs="Trenger trinnfri adkomst")
    client.force_login(hr)

    response = client.get(reverse("roster"), {"backgrounds": "on"})

    assert "trinnfri" not in response.text


def test_a_user_without_a_role_is_refused(client, seats):
    client.force_login(UserFactory())

    response = client.get(reverse("roster"))

    assert response.status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("roster"))

    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]


@pytest.mark.parametrize("backgrounds", ["", "on"])
def test_a_page_costs_the_same_queries_for_one_seat_and_for_many(client, hr, backgrounds):
    BackgroundFactory(slug="senior", name="Senior (55+)", name_en="Senior (55+)")
    office = OfficeFactory(name="NAV Ørland", county=County.TRONDELAG)
    roster_seat(office=office, day=DAY, snapshot=["senior"])
    client.force_login(hr)
    params = {"backgrounds": backgrounds}
    client.get(reverse("roster"), params)  # warm the per-process caches (content types…)
    data_version_bump()  # both counted visits compute the page (a cache miss)

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("roster"), params)
    for hour in (12, 15, 18):
        roster_seat(office=office, day=DAY, hour=hour, status=SeatStatus.INVITED)
    data_version_bump()  # the seats bumped their office only; the header would stay cached
    with CaptureQueriesContext(connection) as four:
        response = client.get(reverse("roster"), params)

    assert len(response.context["rows"]) == 4
    assert len(four) == len(one)


def test_rounds_are_offered_only_once_an_office_is_chosen(hr, office_a, office_b, seats):
    # National HR has some 15,000 rounds in scope: listing them all made the page take seconds.
    rana_round = seats["rana_1"].panel.round
    hadeland_round = seats["hadeland"].panel.round

    nothing_chosen = RosterFilterForm({}, user=hr)
    rana_chosen = RosterFilterForm({"office": str(office_a.pk)}, user=hr)
    round_by_link = RosterFilterForm({"round": str(hadeland_round.pk)}, user=hr)

    assert [value for value, _label in nothing_chosen.fields["round"].choices] == [""]
    offered = [value for value, _label in rana_chosen.fields["round"].choices]
    assert rana_round.pk in offered
    assert hadeland_round.pk not in offered
    assert round_by_link.is_valid()
    assert round_by_link.filters().round_id == hadeland_round.pk


def test_a_cached_roster_page_shows_a_seat_marked_since_at_once(client, hr, leader_a, office_a):
    from panels.services import seat_mark_attendance

    seat = roster_seat(office=office_a, day=DAY, status=SeatStatus.ACCEPTED, name="Kari Klar")
    client.force_login(hr)

    def statuses() -> list[str]:
        return [s.status for s in client.get(reverse("roster")).context["rows"]]

    before, again = statuses(), statuses()
    seat_mark_attendance(seat=seat, attended=False, by=leader_a)

    assert before == again == [SeatStatus.ACCEPTED]
    assert statuses() == [SeatStatus.NO_SHOW]


def test_national_roster_counts_a_new_seat_at_once_and_recounts_only_its_office(
    client, hr, office_a, seats
):
    client.force_login(hr)
    before = client.get(reverse("roster")).context["page"].paginator.count
    roster_seat(office=office_a, day=DAY, name="Nils Ny")

    with CaptureQueriesContext(connection) as counted:
        after = client.get(reverse("roster")).context["page"].paginator.count

    (recount,) = [q["sql"] for q in counted if "COUNT(" in q["sql"]]
    assert (before, after) == (3, 4)
    # Hadeland's count came from the cache: the one COUNT asks about Rana alone.
    assert f"IN ({office_a.pk})" in recount


def test_national_roster_after_a_write_adds_up_only_the_writing_countys_offices_again(
    client, hr, office_a, office_b, seats
):
    client.force_login(hr)
    client.get(reverse("roster"))
    roster_seat(office=office_a, day=DAY, name="Nils Ny")

    def looked_up() -> float:
        return sum(LOOKUPS.labels("roster-count", result)._value.get() for result in RESULTS)

    before = looked_up()
    after = client.get(reverse("roster")).context["page"].paginator.count

    assert office_a.county != office_b.county
    assert after == 4
    # Rana's county was added up again from its one office; Hadeland's county came whole.
    assert looked_up() - before == 1


def test_after_a_change_in_one_office_national_hr_sees_it_and_the_other_rows_come_cached(
    client, hr, leader_a, office_a, office_b
):
    from panels.services import seat_mark_attendance

    roster_seat(office=office_a, day=DAY, name="Åse Ødegård")
    roster_seat(office=office_a, day=DAY, name="Bjørn Æsøy")
    hadeland = roster_seat(office=office_b, day=DAY, status=SeatStatus.ACCEPTED, name="Kåre Løvås")
    client.force_login(hr)
    client.get(reverse("roster"))
    seat_mark_attendance(seat=hadeland, attended=False, by=leader_a)

    with CaptureQueriesContext(connection) as counted:
        after = client.get(reverse("roster"))

    statuses = {s.representative.name: s.status for s in after.context["rows"]}
    assert statuses == {
        "Åse Ødegård": SeatStatus.ATTENDED,
        "Bjørn Æsøy": SeatStatus.ATTENDED,
        "Kåre Løvås": SeatStatus.NO_SHOW,
    }
    # Rana's rows came from the cache: the one seat read again whole is Hadeland's.
    (read_again,) = [q["sql"] for q in counted if '"panels_seat"."id" IN (' in q["sql"]]
    assert f'"panels_seat"."id" IN ({hadeland.pk})' in read_again


def test_a_county_roster_stays_cached_through_another_countys_write_and_shows_its_own(
    client, hr, leader_a, office_a, office_b
):
    from panels.services import seat_mark_attendance

    rana = roster_seat(office=office_a, day=DAY, status=SeatStatus.ACCEPTED, name="Åse Ødegård")
    hadeland = roster_seat(office=office_b, day=DAY, status=SeatStatus.ACCEPTED, name="Kåre Løvås")
    client.force_login(hr)
    nordland = reverse("roster") + f"?county={office_a.county}"
    client.get(nordland)

    seat_mark_attendance(seat=hadeland, attended=True, by=leader_a)
    with CaptureQueriesContext(connection) as untouched:
        same = client.get(nordland)
    seat_mark_attendance(seat=rana, attended=False, by=leader_a)
    changed = client.get(nordland)

    assert [s.status for s in same.context["rows"]] == [SeatStatus.ACCEPTED]
    assert not [q for q in untouched if '"panels_seat"' in q["sql"]]
    assert [s.status for s in changed.context["rows"]] == [SeatStatus.NO_SHOW]


def test_the_cached_roster_page_of_one_scope_is_never_shown_to_another(client, hr, leader_b, seats):
    # National HR and Hadeland's leader ask for the same URL: the key holds their scopes.
    client.force_login(hr)
    everything = _names(client.get(reverse("roster")))
    client.force_login(leader_b)
    hadeland = _names(client.get(reverse("roster")))

    assert len(everything) == 3
    assert hadeland == ["Kåre Løvås"]


def test_the_roster_pages_forward_and_back_keeping_the_filters(client, hr, seats, monkeypatch):
    monkeypatch.setattr("rosters.views.PAGE_SIZE", 2)
    client.force_login(hr)

    rana = client.get(reverse("roster"), {"county": County.NORDLAND}, **EN)
    everyone = client.get(reverse("roster"), {"sort": "date"}, **EN)
    second = client.get(reverse("roster"), {"sort": "date", "page": 2}, **EN)

    assert _names(rana) == ["Åse Ødegård", "Bjørn Æsøy"]
    assert "Next page" not in rana.text
    assert "Page 1 of 2" in everyone.text
    assert 'href="?sort=date&amp;page=2">Next page</a>' in everyone.text
    assert _names(second) == ["Bjørn Æsøy"]
    assert 'href="?sort=date&amp;page=1">Previous page</a>' in second.text
