"""CSV import into an office's pool: every bad line reported, nothing half-written."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from outbox.models import OutboxMessage
from panels.enums import RepresentativeStatus
from panels.models import Representative
from panels.pool.csv_import import (
    ImportRow,
    background_lookup,
    csv_text_decode,
    representatives_csv_parse,
)
from panels.pool.importing import representatives_import
from tests.factories import BackgroundFactory, RepresentativeFactory

EN = {"accept-language": "en"}
HEADER = "name,email,phone,birth_year,organisation,suggested_by,backgrounds"
LOOKUP = {
    "mental_health": "mental_health",
    "psykisk helse": "mental_health",
    "mental health": "mental_health",
    "senior": "senior",
    "senior (55+)": "senior",
}


@pytest.fixture
def backgrounds(db):
    return [
        BackgroundFactory(slug="mental_health", name="Psykisk helse", name_en="Mental health"),
        BackgroundFactory(slug="senior", name="Senior (55+)", name_en="Senior (55+)"),
    ]


def _parse(text: str):
    return representatives_csv_parse(text, backgrounds=LOOKUP, this_year=2026)


def _good_csv(count: int, *, separator: str = ",") -> str:
    lines = [HEADER.replace(",", separator)]
    lines += [
        separator.join(
            # Each their own mobile number: one number is one person's (issue 19).
            [f"Person {n}", f"person{n}@example.no", f"41{n:06d}", "1980", "FFO", "Ola", "senior"]
        )
        for n in range(1, count + 1)
    ]
    return "\n".join(lines) + "\n"


def _upload(content: bytes, name: str = "pool.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


# --- the pure parser ---------------------------------------------------------------------------


def test_parse_reads_every_column_of_a_comma_separated_file():
    text = f"{HEADER}\nKari Nordmann,Kari@Example.no,41234567,1985,FFO,Ola Veileder,senior\n"

    result = _parse(text)

    assert result.errors == []
    assert result.rows == [
        ImportRow(
            line=2,
            name="Kari Nordmann",
            email="kari@example.no",
            phone="+4741234567",
            birth_year=1985,
            organisation="FFO",
            suggested_by="Ola Veileder",
            backgrounds=("senior",),
        )
    ]


def test_parse_detects_semicolons_from_the_header_and_keeps_norwegian_letters():
    text = (
        "\ufeffname;email;organisation;backgrounds\n"
        "Åse Ærlig Øren;ase@example.no;Mental Helse, Hadeland;Psykisk helse|SENIOR (55+)\n"
    )

    result = _parse(text)

    assert result.errors == []
    assert result.rows[0].name == "Åse Ærlig Øren"
    assert result.rows[0].organisation == "Mental Helse, Hadeland"
    assert result.rows[0].backgrounds == ("mental_health", "senior")


def test_parse_reports_every_bad_line_with_the_files_own_line_number():
    text = "\n".join(
        [
            HEADER,
            "Grei Person,grei@example.no,,,,,",
            ",uten.navn@example.no,,,,,",
            "Feil Epost,ikke-en-epost,,,,,",
            "",
            "Dobbel,grei@example.no,,,,,",
            "Ukjent,ukjent@example.no,,,,,astrologi",
            "Gammel,gammel@example.no,,1850,,,",
            "Ung,ung@example.no,,2020,,,",
            '"' + "L" * 201 + '",lang@example.no,,,,,',
            "For få felt,kort@example.no",
        ]
    )

    result = _parse(text)

    assert [str(error) for error in result.errors] == [
        "line 3: the name is missing",
        "line 4: the email address “ikke-en-epost” is not valid",
        "line 6: the email address is also on line 2",
        "line 7: unknown background “astrologi”",
        "line 8: the birth year “1850” is not a year between 1900 and 2010",
        "line 9: the birth year “2020” is not a year between 1900 and 2010",
        "line 10: name is too long (at most 200 characters)",
        "line 11: expected 7 fields, found 2",
    ]
    assert [row.line for row in result.rows] == [2]


def test_parse_counts_lines_inside_a_quoted_field_that_spans_lines():
    text = f'{HEADER}\n"Kari\nNordmann",kari@example.no,,,,,\nPer,ikke-epost,,,,,\n'

    result = _parse(text)

    assert [str(error) for error in result.errors] == [
        "line 4: the email address “ikke-epost” is not valid"
    ]


def test_parse_gives_every_reason_of_one_line_together():
    result = _parse(f"{HEADER}\n,feil,,19x5,,,ukjent\n")

    assert [str(error) for error in result.errors] == [
        "line 2: the name is missing; the email address “feil” is not valid; "
        "the birth year “19x5” is not a year between 1900 and 2010; unknown background “ukjent”"
    ]


def test_parse_refuses_an_unknown_or_missing_column_on_line_1():
    result = _parse("fornavn,email,birthyear\nKari,kari@example.no,1980\n")

    assert [str(error) for error in result.errors] == [
        "line 1: unknown column “fornavn”; unknown column “birthyear”; the column “name” is missing"
    ]
    assert result.rows == []


def test_parse_ignores_unnamed_columns_a_spreadsheet_adds_at_the_end():
    result = _parse("name;email;;\nKari;kari@example.no;;\n")

    assert result.errors == []
    assert [(row.name, row.email) for row in result.rows] == [("Kari", "kari@example.no")]


@pytest.mark.parametrize("year", ["19x5", "²⁰⁰⁰", "1" * 5000, "-1980", "1980.0"])
def test_parse_refuses_a_birth_year_that_is_not_four_digits(year):
    result = _parse(f"name,email,birth_year\nKari,kari@example.no,{year}\n")

    assert [error.line for error in result.errors] == [2]
    assert result.rows == []


def test_parse_of_a_header_without_rows_says_so():
    result = _parse(HEADER + "\n")

    assert [str(error) for error in result.errors] == [
        "line 1: the file has a header but no representatives"
    ]


def test_background_lookup_knows_codes_and_both_names_in_any_case(backgrounds):
    lookup = background_lookup(backgrounds)

    assert lookup["mental_health"] == lookup["psykisk helse"] == lookup["mental health"]


def test_decode_accepts_utf8_with_a_byte_order_mark():
    assert csv_text_decode("\ufeffname,email\n".encode()) == "name,email\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"a" * (1024 * 1024 + 1), "The file is larger than 1 MB"),
        ("name,email\nÅse,ase@example.no\n".encode("cp1252"), "The file is not UTF-8 text"),
        (b"", "The file is empty"),
        (b"\xef\xbb\xbf \n", "The file is empty"),
    ],
)
def test_decode_refuses_a_big_a_non_utf8_or_an_empty_file(content, message):
    with pytest.raises(ValidationError) as error:
        csv_text_decode(content)

    assert message in error.value.messages[0]


# --- the service -------------------------------------------------------------------------------


def test_import_adds_everyone_awaiting_consent_with_a_consent_request_each(
    office_a, leader_a, backgrounds
):
    added = representatives_import(office=office_a, text=_good_csv(3), by=leader_a)

    assert len(added) == 3
    assert set(Representative.objects.values_list("status", flat=True)) == {
        RepresentativeStatus.AWAITING_CONSENT
    }
    assert list(office_a.representatives.order_by("email").values_list("email", flat=True)) == [
        "person1@example.no",
        "person2@example.no",
        "person3@example.no",
    ]
    assert set(added[0].backgrounds.values_list("slug", flat=True)) == {"senior"}
    assert sorted(
        OutboxMessage.objects.filter(kind="consent_request").values_list("to", flat=True)
    ) == ["person1@example.no", "person2@example.no", "person3@example.no"]


def test_import_with_a_bad_email_on_line_7_writes_nothing(office_a, leader_a, backgrounds):
    lines = _good_csv(8).splitlines()
    lines[6] = "Person 6,person6-at-example.no,,,,,"

    with pytest.raises(ValidationError) as error:
        representatives_import(office=office_a, text="\n".join(lines), by=leader_a)

    assert error.value.messages == [
        "line 7: the email address “person6-at-example.no” is not valid"
    ]
    assert Representative.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_import_refuses_an_email_already_registered_in_any_case(office_a, leader_a, backgrounds):
    RepresentativeFactory(email="person2@example.no")

    with pytest.raises(ValidationError) as error:
        representatives_import(office=office_a, text=_good_csv(3).upper(), by=leader_a)

    assert "line 3: this email address cannot be used here" in (error.value.messages)
    assert Representative.objects.count() == 1


# --- the page ----------------------------------------------------------------------------------


def test_leader_imports_a_semicolon_file_with_bom_and_sees_a_summary(
    client, office_a, leader_a, backgrounds
):
    client.force_login(leader_a)
    content = ("\ufeff" + _good_csv(12, separator=";").replace("Person 1;", "Åse Øren;")).encode()

    response = client.post(
        reverse("representative_import"),
        {"office": office_a.pk, "file": _upload(content)},
        headers=EN,
        follow=True,
    )

    assert "12 representatives added, awaiting consent." in response.text
    assert office_a.representatives.filter(status="awaiting_consent").count() == 12
    assert OutboxMessage.objects.filter(kind="consent_request").count() == 12


def test_norwegian_letters_survive_an_import_through_the_page(
    client, office_a, leader_a, backgrounds
):
    client.force_login(leader_a)
    content = f"{HEADER}\nÆrlige Åse Øren,ase@example.no,,,Blåkors,Bjørn,Psykisk helse\n"

    client.post(
        reverse("representative_import"),
        {"office": office_a.pk, "file": _upload(content.encode())},
        headers=EN,
    )

    representative = Representative.objects.get()
    assert (representative.name, representative.organisation, representative.suggested_by) == (
        "Ærlige Åse Øren",
        "Blåkors",
        "Bjørn",
    )


def test_import_page_lists_the_bad_lines_and_imports_nothing(
    client, office_a, leader_a, backgrounds
):
    client.force_login(leader_a)
    lines = _good_csv(8).splitlines()
    lines[6] = "Person 6,person6-at-example.no,,,,,"
    lines[3] = "Person 3,person3@example.no,,,,,ukjent"

    response = client.post(
        reverse("representative_import"),
        {"office": office_a.pk, "file": _upload("\n".join(lines).encode())},
        headers=EN,
    )

    assert response.status_code == 200
    assert "Nothing was imported" in response.text
    assert "line 4: unknown background “ukjent”" in response.text
    assert "line 7: the email address “person6-at-example.no” is not valid" in response.text
    assert Representative.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"x" * (1024 * 1024 + 10), "The file is larger than 1 MB"),
        ("name,email\nÅse,ase@example.no\n".encode("cp1252"), "The file is not UTF-8 text"),
        (b"", "The submitted file is empty."),
    ],
)
def test_import_page_refuses_a_big_non_utf8_or_empty_file_clearly(
    client, office_a, leader_a, content, message
):
    client.force_login(leader_a)

    response = client.post(
        reverse("representative_import"),
        {"office": office_a.pk, "file": _upload(content)},
        headers=EN,
    )

    assert response.status_code == 200
    assert message in response.text
    assert Representative.objects.count() == 0


def test_leader_cannot_import_into_another_offices_pool(client, leader_a, office_b, backgrounds):
    client.force_login(leader_a)

    response = client.post(
        reverse("representative_import"),
        {"office": office_b.pk, "file": _upload(_good_csv(2).encode())},
        headers=EN,
    )

    assert response.status_code == 200
    assert "office" in response.context["form"].errors
    assert Representative.objects.count() == 0


def test_hr_gets_403_on_the_import_page_and_its_post(client, hr, office_a, backgrounds):
    client.force_login(hr)

    shown = client.get(reverse("representative_import"))
    posted = client.post(
        reverse("representative_import"),
        {"office": office_a.pk, "file": _upload(_good_csv(2).encode())},
    )

    assert (shown.status_code, posted.status_code) == (403, 403)
    assert Representative.objects.count() == 0


def test_import_page_shows_the_format_and_the_backgrounds(client, leader_a, backgrounds):
    client.force_login(leader_a)

    response = client.get(reverse("representative_import"), headers=EN)

    assert response.status_code == 200
    assert (
        "navn;e-post;telefon;kontakt;fødselsår;organisasjon;foreslått av;bakgrunner"
        in response.text
    )
    assert "A file exported from the pool can be imported as it is." in response.text
    assert "Psykisk helse" in response.text
