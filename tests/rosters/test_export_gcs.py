"""Export files through the GCS backend production uses (django-storages' GoogleCloudStorage),
against a fake of Google Cloud Storage's JSON API that the suite starts on loopback
(google-cloud-storage talks to it through ``STORAGE_EMULATOR_HOST``, as to any emulator)."""

import email
import email.policy
import io
import json
import threading
import urllib.parse
from collections.abc import Iterator
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from rosters import services
from rosters.models import ExportJob, ExportStatus
from tests.factories.rosters import roster_seat

pytestmark = pytest.mark.django_db

BUCKET = "navpanel-exports-test"


class FakeGcs:
    """Objects of one bucket in memory: metadata, multipart upload, media download, delete."""

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}
        self.requests: list[tuple[str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _send(self, status: int, body: bytes = b"", kind: str = "application/json"):
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _name(self, prefix: str) -> str | None:
                path = urllib.parse.urlsplit(self.path).path
                start = f"{prefix}/b/{BUCKET}/o/"
                if not path.startswith(start):
                    return None
                return urllib.parse.unquote(path.removeprefix(start))

            def _metadata(self, name: str) -> bytes:
                return json.dumps(
                    {
                        "kind": "storage#object",
                        "name": name,
                        "bucket": BUCKET,
                        "size": str(len(fake.objects[name])),
                        "generation": "1",
                        "contentType": "application/octet-stream",
                    }
                ).encode()

            def do_GET(self) -> None:
                fake.requests.append(("GET", self.path))
                query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
                name = self._name("/download/storage/v1") or self._name("/storage/v1")
                if name is None or name not in fake.objects:
                    self._send(404, b'{"error": {"code": 404, "message": "No such object"}}')
                elif query.get("alt") == ["media"]:
                    self._send(200, fake.objects[name], "application/octet-stream")
                else:
                    self._send(200, self._metadata(name))

            def do_POST(self) -> None:
                fake.requests.append(("POST", self.path))
                body = self.rfile.read(int(self.headers["Content-Length"]))
                head = f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode()
                message = email.message_from_bytes(head + body, policy=email.policy.HTTP)
                metadata_part, media_part = message.iter_parts()
                name = json.loads(metadata_part.get_payload())["name"]
                fake.objects[name] = media_part.get_payload(decode=True)
                self._send(200, self._metadata(name))

            def do_DELETE(self) -> None:
                fake.requests.append(("DELETE", self.path))
                name = self._name("/storage/v1")
                fake.objects.pop(name, None)
                self._send(204)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def gcs(settings, monkeypatch) -> Iterator[FakeGcs]:
    fake = FakeGcs()
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", fake.url)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.gcloud.GoogleCloudStorage",
            "OPTIONS": {"bucket_name": BUCKET, "file_overwrite": False},
        },
    }
    yield fake
    fake.close()


def test_a_large_export_is_written_to_the_bucket_and_downloaded_from_it(client, gcs, hr, office_a):
    for n in range(3):
        roster_seat(office=office_a, day=date(2026, 1, 12) + timedelta(days=n), name=f"Person {n}")
    job = ExportJob.objects.create(
        requested_by=hr,
        filters={"date_from": "2026-01-01", "date_to": "2026-03-31"},
        row_count=3,
        expires_at=timezone.now() + timedelta(hours=24),
    )

    services.export_job_build(job=job)
    job.refresh_from_db()
    client.force_login(hr)
    download = client.get(reverse("roster_export_download", args=[job.pk]))
    content = b"".join(download.streaming_content)

    assert job.status == ExportStatus.DONE
    assert list(gcs.objects) == [job.file.name]
    assert job.file.name.startswith("exports/roster-")
    assert content == gcs.objects[job.file.name]
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert [row[5] for row in rows[1:]] == ["Person 0", "Person 1", "Person 2"]


def test_an_expired_export_is_deleted_from_the_bucket(gcs, hr, office_a):
    roster_seat(office=office_a, day=date(2026, 1, 12))
    job = ExportJob.objects.create(
        requested_by=hr,
        filters={"date_from": "2026-01-01", "date_to": "2026-03-31"},
        row_count=1,
        expires_at=timezone.now() + timedelta(hours=24),
    )
    services.export_job_build(job=job)

    purged = services.export_jobs_purge(now=timezone.now() + timedelta(days=2))

    assert purged == 1
    assert gcs.objects == {}
    assert [method for method, _path in gcs.requests if method == "DELETE"] == ["DELETE"]
