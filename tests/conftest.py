"""Personas and the real parts the tests run against.

- Rana (office A) and Hadeland (office B); ``leader_a`` leads Rana, ``leader_b`` leads Hadeland.
- ``hr`` reads every office; ``hr_b`` reads Hadeland's county only.
- ``celery_worker`` is a real ``celery worker`` process on this test run's Redis database and
  this test run's PostgreSQL database; tests that use it need committed data
  (``transactional_db``).
- ``browser`` is Debian's chromium driven by Playwright.
- ``sms_gateway`` is a fake SMS gateway on loopback; ``sms_settings`` points ``SMS_URL`` at it.
"""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.utils import translation

from interviews.enums import County, RoleKind, RoleScope
from tests.factories import OfficeFactory, OfficeRoleFactory
from tests.sms_gateway import sms_gateway, sms_settings  # noqa: F401 - fixtures for every test

# Playwright's sync API runs an event loop in this thread; Django's ORM must still be allowed.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def pytest_configure(config: pytest.Config) -> None:
    """Give each xdist process its own Redis database for the broker and the cache, and its
    own directory for stored files.

    pytest-django loads the settings before xdist names the process, so
    ``navpanel.settings_test`` cannot tell the processes apart; here we can. Process gwN uses
    the database of ``REDIS_URL`` (default 1) plus N.
    """
    worker = getattr(config, "workerinput", {}).get("workerid", "gw0")
    base, _, number = os.environ["REDIS_URL"].rpartition("/")
    url = f"{base}/{int(number or 0) + int(worker.removeprefix('gw') or 0)}"
    os.environ["REDIS_URL"] = url
    settings.CACHES["default"]["LOCATION"] = url
    settings.CELERY_BROKER_URL = url
    from navpanel.celery import app

    app.conf.broker_url = url
    # Export files too: two processes' tests that build a roster of the same person must not
    # read each other's files (the erasure test scans every file in storage). Set in the
    # environment as well, for the Celery worker the tests start.
    media = ROOT / "var" / "test-media" / worker
    os.environ["MEDIA_ROOT"] = str(media)
    settings.MEDIA_ROOT = str(media)
    _flush_past_the_audit_logs_guard()


def _flush_past_the_audit_logs_guard() -> None:
    """Let the flush after a transactional test empty the audit log too.

    The audit log refuses TRUNCATE (audit migration 0004), and Django's flush truncates every
    table. The flush runs with ``session_replication_role = replica``, under which PostgreSQL
    fires no ordinary trigger; only a database superuser (this suite's ``postgres``, never the
    application's login in production) may set it, and ``SET LOCAL`` ends with the flush's
    own transaction.
    """
    from django.db.backends.postgresql.operations import DatabaseOperations

    sql_flush = DatabaseOperations.sql_flush

    def flush_with_triggers_off(self, style, tables, **options) -> list[str]:
        statements = sql_flush(self, style, tables, **options)
        if statements:
            statements.insert(0, "SET LOCAL session_replication_role = replica")
        return statements

    DatabaseOperations.sql_flush = flush_with_triggers_off


@pytest.fixture(autouse=True)
def _english_outside_requests() -> Iterator[None]:
    """Messages raised by services are asserted in English; pages are Norwegian by default.

    A request through the test client still activates the language LocaleMiddleware picks.
    """
    with translation.override("en"):
        yield


@pytest.fixture
def office_a(db):
    return OfficeFactory(name="NAV Rana", county=County.NORDLAND)


@pytest.fixture
def office_b(db):
    return OfficeFactory(name="NAV Hadeland", county=County.INNLANDET)


@pytest.fixture
def leader_a(office_a):
    return OfficeRoleFactory(
        user__email="leder.rana@navpanel.no", user__name="Rita Rana", office=office_a
    ).user


@pytest.fixture
def leader_b(office_b):
    return OfficeRoleFactory(
        user__email="leder.hadeland@navpanel.no", user__name="Hans Hadeland", office=office_b
    ).user


@pytest.fixture
def hr(db):
    return OfficeRoleFactory(
        user__email="hr@navpanel.no",
        user__name="Hanna HR",
        kind=RoleKind.HR,
        scope=RoleScope.NATIONAL,
        office=None,
    ).user


@pytest.fixture
def hr_b(office_b):
    return OfficeRoleFactory(
        user__email="hr.innlandet@navpanel.no",
        user__name="Ivar Innlandet",
        kind=RoleKind.HR,
        scope=RoleScope.COUNTY,
        office=None,
        county=County.INNLANDET,
    ).user


def _redis_url() -> str:
    return settings.CELERY_BROKER_URL


@pytest.fixture(scope="session")
def mail_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("mail")


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker, mail_dir) -> Iterator[subprocess.Popen]:
    """A real worker process, on this run's own Redis database and test database."""
    redis.Redis.from_url(_redis_url()).flushdb()
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "navpanel.settings_test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": _redis_url(),
        "EMAIL_URL": "filemail://",
        "EMAIL_FILE_PATH": str(mail_dir),
        # As in production: one JSON object per line (tests/test_logs_json.py reads them).
        "LOG_FORMAT": "json",
    }
    log = (mail_dir.parent / "worker.log").open("w+")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "navpanel",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            f"--hostname=test-{os.getpid()}@localhost",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        log.seek(0)
        if " ready." in log.read():
            break
        if process.poll() is not None:
            log.seek(0)
            pytest.fail(f"the Celery worker stopped:\n{log.read()}")
        time.sleep(0.2)
    else:
        pytest.fail("the Celery worker did not become ready in 60 s")
    yield process
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


def open_page(browser, live_server, **context_options) -> Iterator[object]:
    """A new browser page that fails the test on any script error or CSP violation."""
    context = browser.new_context(base_url=live_server.url, **context_options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []

    def on_console(message) -> None:
        # A page that answers 404 or 410 on purpose (a bad link) is not an error of the page.
        document = message.location.get("url") == page.url
        if message.type == "error" and not (document and "Failed to load" in message.text):
            problems.append(f"{message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    context.close()
    assert problems == [], "the browser reported errors:\n" + "\n".join(problems)


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    yield from open_page(browser, live_server, locale="nb-NO")


@pytest.fixture
def phone_page(browser, live_server) -> Iterator[object]:
    yield from open_page(browser, live_server, locale="nb-NO", **PHONE)


@pytest.fixture
def en_page(browser, live_server) -> Iterator[object]:
    """A desktop browser that asks for English."""
    yield from open_page(browser, live_server, locale="en-US")


@pytest.fixture
def en_phone_page(browser, live_server) -> Iterator[object]:
    """A phone (390×844) that asks for English."""
    yield from open_page(browser, live_server, locale="en-US", **PHONE)


@pytest.fixture
def chose_english():
    """Everyone added during the test chose English, unless made with nynorsk.

    A representative's pages speak their own language, not the browser's (issue 19), so tests
    that read those pages in English make their representatives ones who chose English.
    """
    from django.db.models.signals import pre_save

    from panels.enums import Language
    from panels.models import Representative

    def english(sender, instance, **kwargs):
        if instance._state.adding and instance.language == Language.NB:
            instance.language = Language.EN

    pre_save.connect(english, sender=Representative, weak=False, dispatch_uid="chose_english")
    yield
    pre_save.disconnect(sender=Representative, dispatch_uid="chose_english")
