"""The pool pages: who sees whom, adding and changing a representative, and the export."""

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from outbox.models import OutboxMessage
from panels.enums import RepresentativeStatus, SeatStatus
from panels.models import Representative
from panels.pool.services import representative_update
from tests.factories import (
    BackgroundFactory,
    OfficeFactory,
    OfficeRoleFactory,
    RepresentativeFactory,
)
from tests.factories.pool import PanelFactory, SeatFactory

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}
THIS_YEAR = timezone.localdate().year


@pytest.fixture
def mental_health(db):
    return BackgroundFactory(slug="mental_health", name="Psykisk helse", name_en="Mental health")


@pytest.fixture
def senior(db):
    return BackgroundFactory(slug="senior", name="Senior (55+)", name_en="Senior (55+)")


@pytest.fixture
def rana_representative(office_a, mental_health):
    representative = RepresentativeFactory(
        name="Kari Rana",
        email="kari@example.no",
        phone="41234567",
        birth_year=THIS_YEAR - 35,
        organisation="Mental Helse",
        suggested_by="Ola Veileder",
        support_needs="Trinnfri adkomst",
        note="Foretrekker formiddag",
        status=RepresentativeStatus.ACTIVE,
    )
    representative.offices.add(office_a)
    representative.backgrounds.add(mental_health)
    return representative


def _in_pool(office, **fields) -> Representative:
    representative = RepresentativeFactory(**fields)
    representative.offices.add(office)
    return representative


def _form_data(office, **changes) -> dict[str, object]:
    return {
        "name": "Åse Øren",
        "email": "Ase.Oren@Example.no",
        "phone": "98765432",
        "birth_year": "1970",
        "organisation": "FFO",
        "suggested_by": "Per Veileder",
        "language": "nb",
        "offices": [office.pk],
        "backgrounds": [],
        "support_needs": "Tolk",
        "note": "",
    } | changes


def _export_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=";"))


# --- who may open what -------------------------------------------------------------------------

WRITE_PAGES = ["representative_create", "representative_import", "representative_export"]


@pytest.mark.parametrize(
    ("name", "needs_pk"),
    [
        ("representative_list", False),
        ("representative_create", False),
        ("representative_import", False),
        ("representative_export", False),
        ("representative_detail", True),
        ("representative_edit", True),
    ],
)
def test_anonymous_user_is_sent_to_sign_in_from_every_pool_page(
    client, rana_representative, name, needs_pk
):
    url = reverse(name, args=[rana_representative.pk] if needs_pk else [])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["representative_detail", "representative_edit"])
def test_leader_of_another_office_gets_404_on_a_rana_representative(
    client, leader_b, rana_representative, name
):
    client.force_login(leader_b)

    response = client.get(reverse(name, args=[rana_representative.pk]))

    assert response.status_code == 404


def test_leader_of_another_office_gets_404_when_posting_an_edit(
    client, leader_b, office_b, rana_representative
):
    client.force_login(leader_b)

    response = client.post(
        reverse("representative_edit", args=[rana_representative.pk]),
        _form_data(office_b, name="Kapret"),
    )

    assert response.status_code == 404
    rana_representative.refresh_from_db()
    assert rana_representative.name == "Kari Rana"


@pytest.mark.parametrize("name", WRITE_PAGES)
def test_hr_gets_403_on_the_pages_that_change_or_export_the_pool(client, hr, office_a, name):
    client.force_login(hr)

    response = client.get(reverse(name))

    assert response.status_code == 403


def test_hr_gets_403_when_posting_a_new_representative(client, hr, office_a):
    client.force_login(hr)

    response = client.post(reverse("representative_create"), _form_data(office_a))

    assert response.status_code == 403
    assert not Representative.objects.exists()


def test_hr_gets_403_on_editing_a_representative_in_scope(client, hr, rana_representative):
    client.force_login(hr)

    shown = client.get(reverse("representative_edit", args=[rana_representative.pk]))
    posted = client.post(
        reverse("representative_edit", args=[rana_representative.pk]),
        _form_data(rana_representative.offices.get(), name="Endret av HR"),
    )

    assert (shown.status_code, posted.status_code) == (403, 403)
    rana_representative.refresh_from_db()
    assert rana_representative.name == "Kari Rana"


def test_hr_of_another_county_gets_404_on_a_rana_representative(client, hr_b, rana_representative):
    client.force_login(hr_b)

    response = client.get(reverse("representative_detail", args=[rana_representative.pk]))

    assert response.status_code == 404


# --- the list ----------------------------------------------------------------------------------


def test_list_shows_own_offices_pool_only(client, leader_a, office_a, office_b):
    _in_pool(office_a, name="Rana Person")
    _in_pool(office_b, name="Hadeland Person")
    client.force_login(leader_a)

    response = client.get(reverse("representative_list"), headers=EN)

    assert response.status_code == 200
    assert "Rana Person" in response.text
    assert "Hadeland Person" not in response.text
    assert reverse("representative_create") in response.text


def test_hr_reads_the_list_without_the_buttons_that_change_it(client, hr, office_a):
    _in_pool(office_a, name="Rana Person")
    client.force_login(hr)

    response = client.get(reverse("representative_list"), headers=EN)

    assert "Rana Person" in response.text
    for name in WRITE_PAGES:
        assert reverse(name) not in response.text


def test_list_shows_age_group_backgrounds_status_and_seats_of_the_last_year(
    client, leader_a, office_a, rana_representative
):
    waiting = _in_pool(
        office_a, name="Venter Svar", birth_year=None, status=RepresentativeStatus.AWAITING_CONSENT
    )
    long_ago = PanelFactory(round__office=office_a, starts_at=timezone.now() - timedelta(days=400))
    SeatFactory(representative=rana_representative, status=SeatStatus.ATTENDED)
    SeatFactory(representative=rana_representative, status=SeatStatus.ACCEPTED)
    SeatFactory(representative=rana_representative, status=SeatStatus.DECLINED)
    SeatFactory(representative=rana_representative, panel=long_ago)
    client.force_login(leader_a)

    response = client.get(reverse("representative_list"), headers=EN)

    rows = {r.name: r for r in response.context["page"]}
    assert rows["Kari Rana"].age_group == "30–39"
    assert rows["Kari Rana"].seats_12m == 2
    assert rows["Venter Svar"].age_group == "Unknown"
    assert "Awaiting consent" in response.text
    assert "Mental health" in response.text
    assert waiting.pk in [r.pk for r in response.context["page"]]


def test_the_list_shows_a_change_at_once_though_it_is_cached(
    client, leader_a, office_a, rana_representative
):
    client.force_login(leader_a)
    before = client.get(reverse("representative_list"), headers=EN)
    _in_pool(office_a, name="Ny Person")
    SeatFactory(representative=rana_representative, status=SeatStatus.ACCEPTED)

    after = client.get(reverse("representative_list"), headers=EN)

    assert "Ny Person" not in before.text
    assert "Ny Person" in after.text
    rows = {r.name: r for r in after.context["page"]}
    assert rows["Kari Rana"].seats_12m == 1
    assert "2 representatives" in after.text


def test_a_seat_leaves_the_last_year_count_by_the_clock_alone(
    client, leader_a, office_a, rana_representative
):
    now = timezone.now()
    almost_a_year = PanelFactory(round__office=office_a, starts_at=now - timedelta(days=364))
    SeatFactory(representative=rana_representative, panel=almost_a_year)
    client.force_login(leader_a)
    today = client.get(reverse("representative_list"), headers=EN)

    with time_machine.travel(now + timedelta(days=2), tick=False):
        client.force_login(leader_a)
        later = client.get(reverse("representative_list"), headers=EN)

    assert [r.seats_12m for r in today.context["page"]] == [1]
    assert [r.seats_12m for r in later.context["page"]] == [0]


def test_list_filters_by_background_and_status(
    client, leader_a, office_a, rana_representative, mental_health, senior
):
    _in_pool(office_a, name="Senior Ventende", status=RepresentativeStatus.AWAITING_CONSENT)
    other = _in_pool(office_a, name="Senior Aktiv", status=RepresentativeStatus.ACTIVE)
    other.backgrounds.add(senior)
    client.force_login(leader_a)

    by_background = client.get(reverse("representative_list"), {"background": "senior"})
    by_status = client.get(reverse("representative_list"), {"status": "awaiting_consent"})

    assert [r.name for r in by_background.context["page"]] == ["Senior Aktiv"]
    assert [r.name for r in by_status.context["page"]] == ["Senior Ventende"]


def test_list_with_a_nonsense_filter_shows_the_error_and_everyone(
    client, leader_a, rana_representative
):
    client.force_login(leader_a)

    response = client.get(
        reverse("representative_list"), {"background": "nope", "status": "x", "page": "zz"}
    )

    assert response.status_code == 200
    assert set(response.context["filters"].errors) == {"background", "status"}
    assert [r.name for r in response.context["page"]] == ["Kari Rana"]


def test_list_is_paginated_by_25(client, leader_a, office_a):
    for n in range(30):
        _in_pool(office_a, name=f"Person {n:02}")
    client.force_login(leader_a)

    first = client.get(reverse("representative_list"), headers=EN)
    second = client.get(reverse("representative_list"), {"page": 2}, headers=EN)

    assert len(first.context["page"]) == 25
    assert [r.name for r in second.context["page"]] == [f"Person {n}" for n in range(25, 30)]
    assert "Page 2 of 2" in second.text
    assert 'href="?page=1">Previous page</a>' in second.text
    assert 'href="?page=2">Next page</a>' in first.text


def test_list_follows_the_office_chosen_in_the_header(client, hr, office_a, office_b):
    _in_pool(office_a, name="Rana Person")
    _in_pool(office_b, name="Hadeland Person")
    client.force_login(hr)
    session = client.session
    session["office_id"] = office_b.pk
    session.save()

    response = client.get(reverse("representative_list"), headers=EN)

    assert [r.name for r in response.context["page"]] == ["Hadeland Person"]


def test_list_shows_only_the_offices_the_user_sees_for_each_person(
    client, hr_b, office_a, office_b
):
    both = _in_pool(office_b, name="Begge Kontorer")
    both.offices.add(office_a, OfficeFactory(name="NAV Gran", county="innlandet"))
    client.force_login(hr_b)

    response = client.get(reverse("representative_list"), headers=EN)

    (row,) = response.context["page"]
    assert [office.name for office in row.visible_offices] == ["NAV Gran", "NAV Hadeland"]
    assert "NAV Rana" not in response.text


@pytest.mark.parametrize("count", [1, 3])
def test_list_runs_the_same_number_of_queries_for_1_and_3_representatives(
    client, leader_a, office_a, mental_health, senior, django_assert_max_num_queries, count
):
    for n in range(count):
        representative = _in_pool(office_a, name=f"Person {n}")
        representative.backgrounds.add(mental_health, senior)
        SeatFactory(representative=representative, panel__round__office=office_a)
    client.force_login(leader_a)

    # 12: one of them writes the audit event for the backgrounds shown (issue 8).
    with django_assert_max_num_queries(12):
        response = client.get(reverse("representative_list"), headers=EN)

    assert len(response.context["page"]) == count


# --- the detail page ---------------------------------------------------------------------------


def test_leader_sees_every_fact_support_needs_note_and_seat_history(
    client, leader_a, office_a, rana_representative
):
    seat = SeatFactory(
        representative=rana_representative,
        panel__round__office=office_a,
        panel__round__position_title="Erfaringskonsulent",
        status=SeatStatus.ATTENDED,
    )
    client.force_login(leader_a)

    response = client.get(
        reverse("representative_detail", args=[rana_representative.pk]), headers=EN
    )

    assert response.status_code == 200
    for text in (
        "kari@example.no",
        "412 34 567",
        "30–39",
        "Mental Helse",
        "Ola Veileder",
        "Mental health",
        "Trinnfri adkomst",
        "Foretrekker formiddag",
        "Erfaringskonsulent",
        "Attended",
        reverse("round_detail", args=[seat.panel.round.pk]),
        reverse("panel_detail", args=[seat.panel.pk]),
        reverse("representative_edit", args=[rana_representative.pk]),
    ):
        assert text in response.text


def test_hr_sees_backgrounds_but_never_support_needs_or_the_note(client, hr, rana_representative):
    client.force_login(hr)

    response = client.get(
        reverse("representative_detail", args=[rana_representative.pk]), headers=EN
    )

    assert response.status_code == 200
    assert "Mental health" in response.text
    assert "Trinnfri adkomst" not in response.text
    assert "Foretrekker formiddag" not in response.text
    assert reverse("representative_edit", args=[rana_representative.pk]) not in response.text


def test_detail_shows_clearly_that_consent_is_awaited(client, leader_a, office_a):
    waiting = _in_pool(office_a, status=RepresentativeStatus.AWAITING_CONSENT)
    client.force_login(leader_a)

    response = client.get(reverse("representative_detail", args=[waiting.pk]), headers=EN)

    assert "Awaiting consent: we have emailed a request." in response.text


# --- adding ------------------------------------------------------------------------------------


def test_leader_adds_a_representative_awaiting_consent_with_a_consent_request(
    client, leader_a, office_a, mental_health
):
    client.force_login(leader_a)

    response = client.post(
        reverse("representative_create"),
        _form_data(office_a, backgrounds=[mental_health.pk]),
        headers=EN,
        follow=True,
    )

    representative = Representative.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "representative_detail", args=[representative.pk]
    )
    assert "Åse Øren was added and is awaiting consent." in response.text
    assert representative.email == "ase.oren@example.no"
    assert representative.status == RepresentativeStatus.AWAITING_CONSENT
    assert list(representative.offices.all()) == [office_a]
    assert list(representative.backgrounds.all()) == [mental_health]
    assert representative.support_needs == "Tolk"
    assert (
        OutboxMessage.objects.filter(kind="consent_request", to="ase.oren@example.no").count() == 1
    )


def test_add_form_offers_only_the_offices_the_leader_leads(client, leader_a, office_a, office_b):
    client.force_login(leader_a)

    response = client.get(reverse("representative_create"), headers=EN)

    assert list(response.context["form"].fields["offices"].queryset) == [office_a]
    assert "NAV Hadeland" not in response.text


def test_add_refuses_another_offices_pool(client, leader_a, office_b):
    client.force_login(leader_a)

    response = client.post(reverse("representative_create"), _form_data(office_b), headers=EN)

    assert "offices" in response.context["form"].errors
    assert not Representative.objects.exists()


def _answer_to(client, office, email: str) -> tuple[str, str]:
    """What the leader is told when adding ``email`` by the form and by a CSV import."""
    form = client.post(
        reverse("representative_create"), _form_data(office, email=email), headers=EN
    )
    upload = SimpleUploadedFile("pool.csv", f"name;email\nÅse Øren;{email}\n".encode())
    imported = client.post(
        reverse("representative_import"), {"office": office.pk, "file": upload}, headers=EN
    )
    return (
        " ".join(form.context["form"].errors["email"]),
        " ".join(imported.context["form"].errors["file"]),
    )


def test_an_address_in_another_offices_pool_is_refused_as_one_in_the_own_pool_no_oracle(
    client, leader_a, office_a, office_b
):
    """Issue 15, point 10: the answer never tells the leader that another office has them."""
    _in_pool(office_b, email="hadeland.person@example.no", name="Hadeland Person")
    _in_pool(office_a, email="rana.person@example.no", name="Rana Person")
    client.force_login(leader_a)

    elsewhere = _answer_to(client, office_a, "Hadeland.Person@Example.no")
    own = _answer_to(client, office_a, "rana.person@example.no")

    assert elsewhere == own
    assert "email address cannot be used here" in elsewhere[0]
    assert "email address cannot be used here" in elsewhere[1]
    for answer in elsewhere:
        assert "NAV Hadeland" not in answer and "Hadeland Person" not in answer
        assert "exists" not in answer and "pool of" not in answer
    assert Representative.objects.count() == 2
    assert not OutboxMessage.objects.exists()


def test_changing_an_address_to_one_in_another_offices_pool_gets_the_same_answer(
    client, leader_a, office_a, office_b
):
    _in_pool(office_b, email="hadeland.person@example.no")
    person = _in_pool(office_a, email="rana.person@example.no")
    client.force_login(leader_a)

    response = client.post(
        reverse("representative_edit", args=[person.pk]),
        _form_data(office_a, email="hadeland.person@example.no"),
        headers=EN,
    )

    assert response.context["form"].errors["email"] == [
        "This email address cannot be used here. If the person is in your pool already, "
        "you find them in the list; otherwise ask them which address to use."
    ]
    person.refresh_from_db()
    assert person.email == "rana.person@example.no"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "not-an-email"),
        ("birth_year", "1899"),
        ("birth_year", str(THIS_YEAR - 15)),
        ("birth_year", "nittenåtti"),
        ("name", ""),
        ("name", "x" * 201),
    ],
)
def test_add_shows_bad_input_next_to_the_field_and_writes_nothing(
    client, leader_a, office_a, field, value
):
    client.force_login(leader_a)

    response = client.post(
        reverse("representative_create"), _form_data(office_a, **{field: value}), headers=EN
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert f'id="id_{field}_error"' in response.text
    assert not Representative.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_oldest_and_youngest_plausible_birth_years_are_accepted(client, leader_a, office_a):
    client.force_login(leader_a)

    client.post(reverse("representative_create"), _form_data(office_a, birth_year="1900"))
    client.post(
        reverse("representative_create"),
        _form_data(
            office_a, email="ung@example.no", phone="41234568", birth_year=str(THIS_YEAR - 16)
        ),
    )

    assert sorted(Representative.objects.values_list("birth_year", flat=True)) == [
        1900,
        THIS_YEAR - 16,
    ]


# --- changing ----------------------------------------------------------------------------------


def test_leader_edits_facts_and_backgrounds_without_touching_status(
    client, leader_a, office_a, rana_representative, senior
):
    client.force_login(leader_a)

    response = client.post(
        reverse("representative_edit", args=[rana_representative.pk]),
        _form_data(office_a, name="Kari Nordmann", backgrounds=[senior.pk], status="withdrawn"),
    )

    assert response.status_code == 302
    rana_representative.refresh_from_db()
    assert rana_representative.name == "Kari Nordmann"
    assert rana_representative.email == "ase.oren@example.no"
    assert rana_representative.status == RepresentativeStatus.ACTIVE
    assert list(rana_representative.backgrounds.all()) == [senior]


def test_edit_keeps_the_pools_of_offices_the_leader_does_not_lead(
    client, leader_a, office_a, office_b, rana_representative
):
    rana_representative.offices.add(office_b)
    client.force_login(leader_a)

    client.post(
        reverse("representative_edit", args=[rana_representative.pk]),
        _form_data(office_a, email="kari@example.no"),
    )

    assert set(rana_representative.offices.all()) == {office_a, office_b}


def test_edit_refuses_an_email_another_representative_has(
    client, leader_a, office_a, rana_representative
):
    _in_pool(office_a, email="opptatt@example.no")
    client.force_login(leader_a)

    response = client.post(
        reverse("representative_edit", args=[rana_representative.pk]),
        _form_data(office_a, email="OPPTATT@example.no"),
        headers=EN,
    )

    assert "email" in response.context["form"].errors
    rana_representative.refresh_from_db()
    assert rana_representative.email == "kari@example.no"


def test_edit_form_shows_the_current_offices_ticked(client, leader_a, rana_representative):
    client.force_login(leader_a)

    response = client.get(reverse("representative_edit", args=[rana_representative.pk]), headers=EN)

    assert response.context["form"]["offices"].value() == [rana_representative.offices.get().pk]


# --- the export --------------------------------------------------------------------------------


def test_export_is_a_bom_semicolon_csv_of_the_leaders_pool_without_support_needs_or_note(
    client, leader_a, office_a, office_b, rana_representative
):
    _in_pool(office_b, name="Hadeland Person")
    client.force_login(leader_a)

    response = client.get(reverse("representative_export"), headers=EN)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="brukerrep')
    assert _export_rows(response) == [
        [
            "navn",
            "e-post",
            "telefon",
            "kontakt",
            "fødselsår",
            "organisasjon",
            "foreslått av",
            "kontorer",
            "bakgrunner",
            "status",
        ],
        [
            "Kari Rana",
            "kari@example.no",
            "412 34 567",
            "e-post",
            str(THIS_YEAR - 35),
            "Mental Helse",
            "Ola Veileder",
            "NAV Rana",
            "Mental health",
            "Active",
        ],
    ]
    assert "Trinnfri" not in response.content.decode()
    assert "formiddag" not in response.content.decode()


def test_export_neutralises_cells_a_spreadsheet_would_run_as_formulas(client, leader_a, office_a):
    _in_pool(
        office_a,
        name='=HYPERLINK("http://evil")',
        phone="+4712345678",
        organisation="@SUM(A1)",
        suggested_by="-2+3",
    )
    _in_pool(office_a, name="\tTab", email="tab@example.no", organisation="\rCR")
    client.force_login(leader_a)

    response = client.get(reverse("representative_export"))

    rows = {row[1]: row for row in _export_rows(response)[1:]}
    tab = rows.pop("tab@example.no")
    (formula,) = rows.values()
    assert formula[0] == '\'=HYPERLINK("http://evil")'
    # A phone number is written in groups (text to a spreadsheet), with no "+" to run.
    assert formula[2:7] == ["12 34 56 78", "e-post", "1980", "'@SUM(A1)", "'-2+3"]
    assert (tab[0], tab[5]) == ("'\tTab", "'\rCR")


def test_export_keeps_norwegian_letters(client, leader_a, office_a):
    _in_pool(office_a, name="Ærlige Åse Øren")
    client.force_login(leader_a)

    response = client.get(reverse("representative_export"))

    assert _export_rows(response)[1][0] == "Ærlige Åse Øren"


def test_export_follows_the_office_chosen_in_the_header(
    client, leader_a, office_a, office_b, rana_representative
):
    OfficeRoleFactory(user=leader_a, office=office_b)
    _in_pool(office_b, name="Hadeland Person")
    client.force_login(leader_a)
    session = client.session
    session["office_id"] = office_b.pk
    session.save()

    response = client.get(reverse("representative_export"))

    assert [row[0] for row in _export_rows(response)[1:]] == ["Hadeland Person"]


# --- the update service ------------------------------------------------------------------------


def test_update_refuses_an_office_the_user_does_not_lead(
    leader_a, office_a, office_b, rana_representative
):
    with pytest.raises(PermissionDenied):
        representative_update(
            representative=rana_representative, offices=[office_b], backgrounds=[], by=leader_a
        )

    assert list(rana_representative.offices.all()) == [office_a]


def test_update_refuses_a_representative_outside_the_users_offices(
    leader_b, office_b, rana_representative
):
    with pytest.raises(PermissionDenied):
        representative_update(
            representative=rana_representative,
            offices=[office_b],
            backgrounds=[],
            by=leader_b,
            name="Kapret",
        )


def test_update_needs_at_least_one_office(leader_a, rana_representative):
    with pytest.raises(ValidationError) as error:
        representative_update(
            representative=rana_representative, offices=[], backgrounds=[], by=leader_a
        )

    assert "offices" in error.value.message_dict


def test_update_normalises_the_email_and_saves_only_what_it_was_given(
    leader_a, office_a, rana_representative, senior
):
    representative_update(
        representative=rana_representative,
        offices=[office_a],
        backgrounds=[senior],
        by=leader_a,
        email=" Kari.Ny@Example.NO ",
    )

    rana_representative.refresh_from_db()
    assert rana_representative.email == "kari.ny@example.no"
    assert rana_representative.name == "Kari Rana"
    assert list(rana_representative.backgrounds.all()) == [senior]
