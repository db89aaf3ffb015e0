"""Roster exports: CSV and Excel hold exactly the filtered roster, safely, and are audited."""

import csv
import io
import time
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.enums import AuditAction
from audit.models import AuditEvent
from interviews.enums import County
from panels.models import Seat
from rosters.exports import csv_by_copy, csv_copy, csv_stream, roster_header, roster_rows
from rosters.models import ExportJob, ExportStatus
from rosters.selectors import RosterFilters, roster_for_user
from tests.factories import BackgroundFactory, OfficeRoleFactory
from tests.factories.reports import TravelClaimFactory
from tests.factories.rosters import roster_seat

pytestmark = pytest.mark.django_db

Q1 = {"date_from": "2026-01-01", "date_to": "2026-03-31"}


@pytest.fixture
def seats(office_a, office_b):
    return [
        roster_seat(office=office_a, day=date(2026, 1, 12), name="Åse Ødegård"),
        roster_seat(office=office_a, day=date(2026, 2, 3), name="Bjørn Æsøy", hour=13),
        roster_seat(office=office_b, day=date(2026, 2, 4), name="Kåre Løvås"),
        # Outside the quarter:
        roster_seat(office=office_a, day=date(2026, 4, 2), name="Pål Våren"),
    ]


def _csv(response, separator: str = ",") -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content.removeprefix("\ufeff")), delimiter=separator))


def _page_names(client, params) -> list[str]:
    page = client.get(reverse("roster"), params)
    return [seat.representative.name for seat in page.context["rows"]]


def test_csv_holds_exactly_the_rows_of_the_filtered_roster_with_bom_and_æøå(client, hr, seats):
    client.force_login(hr)
    on_screen = _page_names(client, Q1)

    response = client.get(reverse("roster_export_csv"), {**Q1, "separator": "comma"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    header, *rows = _csv(response)
    assert len(header) == 10
    assert [row[5] for row in rows] == on_screen == ["Åse Ødegård", "Bjørn Æsøy", "Kåre Løvås"]
    assert rows[0][0] == "2026-01-12"
    assert rows[1][1] == "13:00–16:00"
    assert rows[0][6] == "Mental Helse Ørsta"


def test_csv_with_semicolons_for_norwegian_excel(client, hr, seats):
    client.force_login(hr)

    response = client.get(reverse("roster_export_csv"), {**Q1, "separator": "semicolon"})

    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.splitlines()[1].count(";") == 9
    assert len(_csv_from(content, ";")) == 4


def _csv_from(content: str, separator: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.removeprefix("\ufeff")), delimiter=separator))


def test_formula_cells_are_neutralised(client, hr, office_a):
    roster_seat(office=office_a, day=date(2026, 1, 12), name='=HYPERLINK("http://x","klikk")')
    roster_seat(office=office_a, day=date(2026, 1, 13), name="Ola", organisation="@SUM(A1)")
    client.force_login(hr)

    _header, *rows = _csv(client.get(reverse("roster_export_csv"), Q1))

    assert rows[0][5] == '\'=HYPERLINK("http://x","klikk")'
    assert rows[1][6] == "'@SUM(A1)"


def test_excel_has_header_typed_dates_frozen_pane_and_auto_filter(client, hr, seats):
    client.force_login(hr)

    response = client.get(reverse("roster_export_xlsx"), Q1)

    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] in ("Dato", "Date")
    assert [row[5] for row in rows[1:]] == ["Åse Ødegård", "Bjørn Æsøy", "Kåre Løvås"]
    assert rows[1][0] == datetime(2026, 1, 12)
    assert sheet["A2"].is_date
    assert isinstance(rows[1][4], int)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:J4"


def test_every_export_is_audited_with_its_filter_and_row_count(client, hr, seats):
    client.force_login(hr)

    b"".join(client.get(reverse("roster_export_csv"), Q1).streaming_content)
    client.get(reverse("roster_export_xlsx"), {**Q1, "county": County.NORDLAND})

    events = list(AuditEvent.objects.filter(action=AuditAction.ROSTER_EXPORTED).order_by("at"))
    assert [(e.detail["format"], e.detail["rows"]) for e in events] == [("csv", 3), ("xlsx", 2)]
    assert events[1].detail["filters"]["county"] == "nordland"
    assert events[1].detail["filters"]["date_from"] == "2026-01-01"
    assert all(event.actor == hr for event in events)


def test_leader_cannot_export_another_offices_seats_by_filter(client, leader_b, office_a, seats):
    client.force_login(leader_b)

    by_filter = client.get(reverse("roster_export_csv"), {"office": office_a.pk})
    unfiltered = client.get(reverse("roster_export_csv"))

    assert by_filter.status_code == 302
    assert not AuditEvent.objects.filter(detail__filters__office=office_a.pk).exists()
    assert [row[5] for row in _csv(unfiltered)[1:]] == ["Kåre Løvås"]


def test_background_column_only_when_asked_for(client, hr, office_a):
    BackgroundFactory(slug="senior", name="Senior (55+)", name_en="Senior (55+)")
    roster_seat(office=office_a, day=date(2026, 1, 12), snapshot=["senior"])
    client.force_login(hr)

    without = _csv(client.get(reverse("roster_export_csv"), Q1))
    with_backgrounds = _csv(client.get(reverse("roster_export_csv"), {**Q1, "backgrounds": "on"}))

    assert len(without[0]) == 10
    assert len(with_backgrounds[0]) == 11
    assert with_backgrounds[1][10] == "Senior (55+)"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_large_excel_export_is_built_by_the_worker_and_only_the_requester_downloads_it(
    celery_worker, settings, hr, seats
):
    settings.ROSTER_EXPORT_SYNC_MAX_ROWS = 2
    client = Client()
    client.force_login(hr)

    response = client.get(reverse("roster_export_xlsx"), Q1)

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("roster_export_job", args=[job.pk])
    page = client.get(response["Location"])
    assert 'aria-live="polite"' in page.text
    deadline = time.monotonic() + 30
    while job.status not in (ExportStatus.DONE, ExportStatus.FAILED):
        assert time.monotonic() < deadline, "the export was not built in 30 s"
        time.sleep(0.3)
        job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    assert job.row_count == 3
    status = client.get(reverse("roster_export_job", args=[job.pk]), headers={"HX-Request": "true"})
    assert reverse("roster_export_download", args=[job.pk]) in status.text
    download = client.get(reverse("roster_export_download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == (
        f'attachment; filename="plassoversikt-{timezone.localdate():%Y-%m-%d}.xlsx"'
    )
    english = client.get(
        reverse("roster_export_download", args=[job.pk]), headers={"Accept-Language": "en"}
    )
    assert english["Content-Disposition"] == (
        f'attachment; filename="roster-{timezone.localdate():%Y-%m-%d}.xlsx"'
    )
    english.close()
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    names = [row[5] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert names == ["Åse Ødegård", "Bjørn Æsøy", "Kåre Løvås"]

    other = Client()
    other.force_login(
        OfficeRoleFactory(kind="hr", scope="national", office=None, user__name="Annen HR").user
    )
    assert other.get(reverse("roster_export_job", args=[job.pk])).status_code == 404
    assert other.get(reverse("roster_export_download", args=[job.pk])).status_code == 404
    job.file.delete(save=False)


def test_honorarium_is_the_days_rate_for_attended_seats_only(client, hr, office_a):
    from reports.models import HonorariumRate

    HonorariumRate.objects.update_or_create(
        valid_from=date(2025, 12, 1), defaults={"day_rate": "1234.50"}
    )
    roster_seat(office=office_a, day=date(2026, 1, 12), name="Møtte Mø")
    roster_seat(office=office_a, day=date(2026, 1, 13), name="Kom Ikke", status="no_show")
    client.force_login(hr)

    page = client.get(reverse("roster"), Q1)
    _header, *rows = _csv(client.get(reverse("roster_export_csv"), Q1))

    assert [seat.honorarium for seat in page.context["rows"]] == [Decimal("1234.50"), None]
    assert [row[9] for row in rows] == ["1234.50", "0.00"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL writes the CSV there")
@pytest.mark.parametrize("sort", ["date", "-date", "office", "-office", "status", "-status"])
@pytest.mark.parametrize("separator", [",", ";"])
def test_csv_written_by_postgresql_is_the_csv_python_writes(
    hr, office_a, office_b, sort, separator
):
    from reports.models import HonorariumRate

    HonorariumRate.objects.update_or_create(
        valid_from=date(2025, 12, 1), defaults={"day_rate": "1234.50"}
    )
    paid = roster_seat(office=office_a, day=date(2026, 1, 12), name="=1+1", organisation="")
    TravelClaimFactory(seat=paid, amount=Decimal("99.90"))
    roster_seat(office=office_a, day=date(2026, 1, 12), hour=13, name='Åse; "Ø", å\nny')
    roster_seat(office=office_b, day=date(2026, 2, 4), name="-Kåre", status="no_show")
    roster_seat(office=office_b, day=date(2026, 2, 4), organisation="@org", status="invited")
    erased = roster_seat(office=office_a, day=date(2026, 3, 1), status="cancelled")
    Seat.objects.filter(pk=erased.pk).update(representative=None)
    filters = RosterFilters(date_from=date(2026, 1, 1), date_to=date(2026, 3, 31), sort=sort)
    seats = roster_for_user(hr, filters=filters)
    header = roster_header(with_backgrounds=False)

    by_copy = csv_copy(seats, user=hr, filters=filters, header=header, separator=separator)
    by_python = csv_stream(
        roster_rows(
            seats,
            user=hr,
            filters=filters,
            with_backgrounds=False,
            as_text=True,
            separator=separator,
        ),
        header=header,
        separator=separator,
    )

    written = by_copy.read().decode()
    assert written == "".join(by_python).replace("\r\n", "\n")
    assert written.count("\n") == 7  # the header, five seats, one newline inside a name
    assert csv_by_copy(seats, with_backgrounds=False)
    assert not csv_by_copy(seats, with_backgrounds=True)


def test_csv_response_has_its_filename_and_is_not_cached(client, hr, seats):
    client.force_login(hr)

    response = client.get(reverse("roster_export_csv"), Q1)

    assert response["Content-Disposition"] == (
        f'attachment; filename="plassoversikt-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    assert response["Cache-Control"] == "no-store, private"
    assert len(_csv(response)) == 4
