"""Where a person's data could still be: every table, every stored file, every Redis key.

The erasure tests (tests/test_retention.py, tests/panels/test_erasure_everywhere.py) search
these for a name and an address after the person is erased.
"""

import io
import json
import zipfile
from pathlib import Path

import redis
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection


def every_stored_text() -> str:
    """Every text and JSON value of every column of every table in the database, and what the
    sessions hold, lower-cased.

    Read from PostgreSQL's catalogue rather than from the models, so that a table no model
    describes (a through table, a third-party app's, a future one) is searched too.
    """
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema()"
            " AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')"
            " ORDER BY table_name, ordinal_position"
        )
        columns: dict[str, list[str]] = {}
        for table, column in cursor.fetchall():
            columns.setdefault(table, []).append(column)
        chunks = []
        for table, names in columns.items():
            selected = ", ".join(f"{quote(name)}::text" for name in names)
            cursor.execute(f"SELECT {selected} FROM {quote(table)}")  # noqa: S608 - catalogue names
            chunks.extend(value for row in cursor.fetchall() for value in row if value)
    # Session data is stored signed and base64-encoded: read what it holds.
    chunks.extend(
        json.dumps(SessionStore().decode(session.session_data), default=str, ensure_ascii=False)
        for session in Session.objects.all()
    )
    return "\n".join(chunks).lower()


def every_stored_file_text(root: Path | None = None) -> str:
    """Every file under the storage root (``MEDIA_ROOT``), an Excel file's parts unpacked,
    lower-cased: an .xlsx is a zip archive, so its bytes never show a name as written."""
    root = Path(root or settings.MEDIA_ROOT)
    chunks = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []:
        data = path.read_bytes()
        if zipfile.is_zipfile(io.BytesIO(data)):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                data = b"\n".join(archive.read(name) for name in archive.namelist())
        chunks.append(data.decode("utf-8", errors="replace"))
    return "\n".join(chunks).lower()


def every_redis_value(url: str) -> bytes:
    """Every key and value of the Redis database at ``url`` (the cache and the broker),
    lower-cased bytes: cached pages are pickled, and pickle keeps a text as UTF-8."""
    client = redis.Redis.from_url(url)
    chunks: list[bytes] = []
    for key in client.scan_iter(count=1000):
        chunks.append(key)
        kind = client.type(key)
        if kind == b"string":
            chunks.append(client.get(key) or b"")
        elif kind == b"list":
            chunks.extend(client.lrange(key, 0, -1))
        elif kind == b"hash":
            for field, value in client.hgetall(key).items():
                chunks += [field, value]
        elif kind == b"set":
            chunks.extend(client.smembers(key))
        elif kind == b"zset":
            chunks.extend(client.zrange(key, 0, -1))
    return b"\n".join(chunks).lower()
