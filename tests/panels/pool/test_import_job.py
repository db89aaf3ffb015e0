"""Large pool imports run as a job in the real worker (issue 15, point 9).

The leader uploads; the request returns at once with a progress page; the worker imports all
or nothing; the page, polled as htmx polls it, shows how far it has come and then the outcome.
"""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from navpanel.celery import app
from outbox.models import OutboxMessage
from panels.enums import PoolImportStatus, RepresentativeStatus
from panels.models import PoolImport, Representative

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

EN = {"accept-language": "en"}
HTMX = {"accept-language": "en", "HX-Request": "true"}


def _csv(count: int, *, bad_line: int | None = None) -> bytes:
    lines = ["name;email"]
    for n in range(1, count + 1):
        email = "not-an-address" if n + 1 == bad_line else f"r{n}@x.no"
        lines.append(f"R {n};{email}")
    return ("\n".join(lines) + "\n").encode()


def _upload(client, office, content: bytes):
    started = time.monotonic()
    response = client.post(
        reverse("representative_import"),
        {"office": office.pk, "file": SimpleUploadedFile("pool.csv", content)},
        headers=EN,
    )
    return response, time.monotonic() - started


def _poll(client, job: PoolImport, *, timeout: float) -> tuple[list[str], list[float]]:
    """The job page's status part, as htmx asks for it, until the job is finished."""
    seen, seconds = [], []
    deadline = time.monotonic() + timeout
    while True:
        started = time.monotonic()
        part = client.get(reverse("representative_import_job", args=[job.pk]), headers=HTMX)
        seconds.append(time.monotonic() - started)
        assert part.status_code == 200
        seen.append(part.text)
        job.refresh_from_db()
        if job.finished:
            seen.append(
                client.get(reverse("representative_import_job", args=[job.pk]), headers=HTMX).text
            )
            return seen, seconds
        assert time.monotonic() < deadline, f"the import did not finish: {seen[-1]}"
        time.sleep(1)


@pytest.mark.scale
def test_a_50000_line_csv_imports_through_the_job_and_its_page_answers_at_once_with_progress(
    celery_worker, client, leader_a, office_a
):
    content = _csv(50_000)
    assert len(content) < 1024 * 1024  # under the upload limit, as in the issue
    client.force_login(leader_a)

    response, upload_seconds = _upload(client, office_a, content)
    job = PoolImport.objects.get()
    page = client.get(response["Location"], headers=EN)
    seen, seconds = _poll(client, job, timeout=1800)

    try:
        assert response.status_code == 302
        assert response["Location"] == reverse("representative_import_job", args=[job.pk])
        assert upload_seconds < 1.0
        assert page.status_code == 200 and "50,000 lines" in page.text.replace("\xa0", ",")
        assert max(seconds) < 1.0, f"slowest answer of the progress page: {max(seconds):.2f} s"
        progress = [
            int(text.split("Importing: ")[1].split(" of ")[0].replace(",", ""))
            for text in seen
            if "Importing: " in text
        ]
        assert any(0 < done < 50_000 for done in progress), "the page never showed progress"
        assert progress == sorted(progress)
        assert job.status == PoolImportStatus.DONE and job.added == 50_000
        assert "representatives added, awaiting consent" in seen[-1]
        assert job.text == ""  # the file is not kept once imported
        assert (
            Representative.objects.filter(
                status=RepresentativeStatus.AWAITING_CONSENT, offices=office_a
            ).count()
            == 50_000
        )
        assert OutboxMessage.objects.filter(kind="consent_request").count() == 50_000
    finally:
        # 50,000 consent emails are now queued for this test's worker: not the next tests' wait.
        app.control.purge()


def test_a_large_import_with_one_bad_line_adds_nobody_and_lists_the_line(
    celery_worker, client, leader_a, office_a, settings
):
    settings.POOL_IMPORT_SYNC_MAX_LINES = 10
    client.force_login(leader_a)

    response, _ = _upload(client, office_a, _csv(40, bad_line=17))
    job = PoolImport.objects.get()
    seen, _ = _poll(client, job, timeout=120)

    assert response.status_code == 302
    assert job.status == PoolImportStatus.FAILED
    assert "Nothing was imported" in seen[-1]
    assert "line 17: the email address “not-an-address” is not valid" in seen[-1]
    assert not Representative.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert job.text == ""


def test_a_small_import_is_still_done_in_the_request(client, leader_a, office_a, settings):
    settings.POOL_IMPORT_SYNC_MAX_LINES = 10
    client.force_login(leader_a)

    response, _ = _upload(client, office_a, _csv(10))

    assert response.status_code == 302
    assert response["Location"].endswith("?status=awaiting_consent")
    assert Representative.objects.count() == 10
    assert not PoolImport.objects.exists()


def test_a_redelivered_import_task_imports_once(leader_a, office_a):
    from panels.pool.importing import pool_import_create, pool_import_run

    job = pool_import_create(office=office_a, text=_csv(3).decode(), by=leader_a, language="en")

    pool_import_run(job=job)
    pool_import_run(job=job)

    job.refresh_from_db()
    assert (job.status, job.added) == (PoolImportStatus.DONE, 3)
    assert Representative.objects.count() == 3
    assert OutboxMessage.objects.count() == 3
