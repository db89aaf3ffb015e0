"""The pool file (issue 18, point 6): Norwegian headers, phone numbers a spreadsheet keeps as
text, and an import that reads the file the export wrote (and still the English headers)."""

import csv
import io
import shutil
import subprocess

import openpyxl
import pytest
from django.urls import reverse

from panels.models import Background
from panels.pool.csv_import import background_lookup, representatives_csv_parse
from tests.factories import BackgroundFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(office_a):
    aap = BackgroundFactory(slug="aap", name="Arbeidsavklaringspenger", name_en="AAP")
    people = [
        RepresentativeFactory(
            name="Kari Nordmann",
            email="kari@example.no",
            phone="004791234567",
            birth_year=1980,
            organisation="FFO",
            suggested_by="Ola Veileder",
        ),
        RepresentativeFactory(name="Per Ås", email="per@example.no", phone="+47 22 33 44 55"),
    ]
    people[0].backgrounds.add(aap)
    for person in people:
        person.offices.add(office_a)
    return people


def _export(client, leader) -> bytes:
    client.force_login(leader)
    response = client.get(reverse("representative_export"), headers={"accept-language": "en"})
    assert response.status_code == 200
    return response.content


def test_the_export_writes_norwegian_headers_and_phone_numbers_in_groups(client, leader_a, pool):
    rows = list(
        csv.reader(io.StringIO(_export(client, leader_a).decode("utf-8-sig")), delimiter=";")
    )

    assert rows[0][:3] == ["navn", "e-post", "telefon"] and "fødselsår" in rows[0]
    assert {row[0]: row[2] for row in rows[1:]} == {
        "Kari Nordmann": "912 34 567",
        "Per Ås": "22 33 44 55",
    }


def test_the_file_the_export_wrote_is_read_back_by_the_import(client, leader_a, pool):
    text = _export(client, leader_a).decode("utf-8")

    result = representatives_csv_parse(
        text, backgrounds=background_lookup(Background.objects.all()), this_year=2026
    )

    assert result.errors == []
    assert [
        (row.name, row.email, row.phone, row.birth_year, row.organisation, row.backgrounds)
        for row in result.rows
    ] == [
        # Read back, the number is stored as E.164 again (issue 19).
        ("Kari Nordmann", "kari@example.no", "+4791234567", 1980, "FFO", ("aap",)),
        ("Per Ås", "per@example.no", "+4722334455", pool[1].birth_year, pool[1].organisation, ()),
    ]


def test_the_import_reads_norwegian_and_english_headers_alike():
    norwegian = (
        "Navn;E-post;Telefon;Fødselsår;Foreslått av\nKari;kari@example.no;912 34 567;1980;Ola\n"
    )
    english = "name,email,phone,birth_year,suggested_by\nKari,kari@example.no,912 34 567,1980,Ola\n"

    read = [
        representatives_csv_parse(text, backgrounds={}, this_year=2026)
        for text in (norwegian, english)
    ]

    assert read[0].errors == read[1].errors == []
    assert read[0].rows == read[1].rows
    assert (read[0].rows[0].phone, read[0].rows[0].suggested_by) == ("+4791234567", "Ola")


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is missing: `make office`, part of `make test`, installs it",
)
def test_norwegian_libreoffice_opens_the_phone_numbers_as_text(client, leader_a, pool, tmp_path):
    (tmp_path / "pool.csv").write_bytes(_export(client, leader_a))

    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--infilter=CSV:59,34,76,1,,1044",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "pool.csv"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )

    sheet = openpyxl.load_workbook(tmp_path / "pool.xlsx").active
    phones = {row[0].value: row[2] for row in sheet.iter_rows(min_row=2)}
    assert phones["Kari Nordmann"].value == "912 34 567"
    assert phones["Kari Nordmann"].data_type == "s"
    assert phones["Per Ås"].value == "22 33 44 55"
