"""The project's own checks: deploy settings, migrations, demo data, translations."""

import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import polib
import pytest
import time_machine
from django.utils import timezone

from interviews.enums import RoleKind, RoundState
from interviews.models import Candidate, HiringRound, Interview, Office, OfficeRole
from panels.dashboard import dashboard_actions
from panels.demo.seed import seed_demo
from panels.enums import RepresentativeStatus, SeatStatus
from panels.models import Background, Panel, Representative, Seat, SeatTransition

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"} | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_with_no_warning():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="navpanel.settings_production",
        SECRET_KEY="x" * 64 + "production-like-secret-key-for-the-check",
        ALLOWED_HOSTS="navpanel.intern.nav.no",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_every_model_change_has_a_migration():
    result = _manage(
        "makemigrations", "--check", "--dry-run", DJANGO_SETTINGS_MODULE="navpanel.settings_test"
    )

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
# Two weeks before Grunnlovsdag on a Monday (17 May 2027): the demo's upcoming interview day,
# two weeks from "today", would fall on a public holiday.
@time_machine.travel(datetime(2027, 5, 3, 10, 0, tzinfo=ZoneInfo("Europe/Oslo")), tick=True)
def test_demo_data_is_realistic_and_running_it_twice_changes_nothing():
    models = (
        Office,
        Representative,
        HiringRound,
        OfficeRole,
        Candidate,
        Interview,
        Panel,
        Seat,
        SeatTransition,
    )
    seed_demo()
    counts = tuple(model.objects.count() for model in models)

    seed_demo()

    # Per office: 8 candidates and 8 interviews, 3 panels, 7 seats with 16 recorded changes.
    # 30 representatives per office, one of them reached by SMS only (issue 19).
    assert counts == (5, 155, 15, 6, 40, 40, 15, 35, 80)
    assert tuple(model.objects.count() for model in models) == counts
    assert Background.objects.count() == 10
    for office in Office.objects.all():
        [phone_only] = office.representatives.filter(email="")
        assert phone_only.contact == "sms" and phone_only.phone.startswith("+479")
    # Some chose nynorsk (issue 19) and sit on panels, so the demo sends nynorsk mail too.
    assert Representative.objects.filter(language="nn", seats__isnull=False).exists()
    assert Representative.objects.filter(language="en").exists()
    assert not Background.objects.filter(name_nn="").exists()
    assert OfficeRole.objects.filter(kind=RoleKind.LEADER).count() == 5
    assert set(HiringRound.objects.values_list("state", flat=True)) == {"draft", "open", "closed"}
    now = timezone.now()
    for office in Office.objects.all():
        actions = dashboard_actions(offices=Office.objects.filter(pk=office.pk), now=now)
        # A past panel with accepted seats to mark, and an upcoming one short of its seats
        # with an invitation past half its time to answer.
        assert [(p.round.state, p.unmarked) for p in actions.attendance_to_mark] == [
            (RoundState.OPEN, 2)
        ]
        assert [(p.accepted, p.invited) for p in actions.short_panels] == [(1, 1)]
        assert len(actions.waiting_invitations) == 1
    for seat in Seat.objects.select_related("panel__round", "representative"):
        # Everyone seated may sit there: active, in the office's pool.
        assert seat.representative.status == RepresentativeStatus.ACTIVE
        assert seat.representative.offices.filter(pk=seat.panel.round.office_id).exists()
        assert (seat.starts_at, seat.ends_at) == (seat.panel.starts_at, seat.panel.ends_at)
        history = list(seat.transitions.order_by("id"))
        assert history[-1].to_status == seat.status
        assert [t.at for t in history] == sorted(t.at for t in history)
        assert history[-1].at < now
        if seat.status != SeatStatus.INVITED:
            assert seat.backgrounds_snapshot == sorted(
                seat.representative.backgrounds.values_list("slug", flat=True)
            )
    marked = Seat.objects.filter(status__in=(SeatStatus.ATTENDED, SeatStatus.NO_SHOW))
    assert marked.filter(status=SeatStatus.ATTENDED).count() == 10
    assert marked.filter(status=SeatStatus.NO_SHOW).count() == 5
    assert all(seat.panel.round.state == RoundState.CLOSED for seat in marked)
    assert marked.exclude(backgrounds_snapshot=[]).exists()
    attended = marked.filter(status=SeatStatus.ATTENDED).first()
    assert [
        (t.from_status, t.to_status, t.actor, t.by_id)
        for t in attended.transitions.order_by("at", "id")
    ] == [
        ("", "invited", "leader", attended.panel.round.created_by_id),
        ("invited", "accepted", "representative", None),
        ("accepted", "attended", "leader", attended.panel.round.created_by_id),
    ]
    assert attended.transitions.get(to_status="attended").at > attended.panel.ends_at
    # Interview days are working days in Norway: no weekend, no public holiday (issue 18).
    public_holidays = holidays.country_holidays("NO", years=range(2026, 2028))
    days = {timezone.localdate(i.starts_at) for i in Interview.objects.all()}
    assert {(day, day.weekday() < 5, day in public_holidays) for day in days} == {
        (day, True, False) for day in days
    }
    assert max(days) > timezone.localdate()
    # Backgrounds that name an age go to people of that age, whether or not they have had
    # their birthday this year: "Ung voksen (18–29)" 18 to 29, "Senior (55+)" 55 and over.
    this_year = timezone.localdate().year
    for slug, fits in (
        ("young_adult", lambda born: this_year - born - 1 >= 18 and this_year - born <= 29),
        ("senior", lambda born: this_year - born - 1 >= 55),
    ):
        holders = Representative.objects.filter(backgrounds__slug=slug)
        assert holders.count() >= 5
        assert [r.birth_year for r in holders if not fits(r.birth_year)] == []


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_every_interface_string_has_a_translation(language):
    catalogue = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))

    missing = [e.msgid for e in catalogue if not e.obsolete and (not e.translated() or e.fuzzy)]

    assert missing == []


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_compiled_translations_are_up_to_date(language):
    po = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"

    written = {
        e.msgid: e.msgstr for e in polib.pofile(str(po)) if e.translated() and not e.msgid_plural
    }
    compiled = {
        e.msgid: e.msgstr
        for e in polib.mofile(str(po.with_suffix(".mo")))
        if e.msgid and not e.msgid_plural
    }

    assert compiled == written


def test_embedded_default_runs_a_real_worker_that_sends_email(tmp_path):
    """`make run` without Redis or PostgreSQL: SQLite, kombu's SQLAlchemy broker, a real worker."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    } | {"DJANGO_SETTINGS_MODULE": "navpanel.settings", "NAVPANEL_VAR_DIR": str(tmp_path)}
    env.pop("EMAIL_FILE_PATH", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=120
    )
    log = (tmp_path / "worker.log").open("w+")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "navpanel", "worker", "--pool=solo", "-l", "INFO"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        queue = (
            "from outbox.services import message_queue;"
            "message_queue(key='embedded-check', kind='check', to='leder@navpanel.no',"
            " subject='Hei', body_text='Dette er en prøve.')"
        )
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", queue],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=60,
        )
        deadline = time.monotonic() + 60
        sent = []
        while time.monotonic() < deadline and not sent:
            time.sleep(0.5)
            sent = list((tmp_path / "mail").glob("*.log")) if (tmp_path / "mail").exists() else []
    finally:
        worker.terminate()
        worker.wait(timeout=20)
        log.seek(0)
        output = log.read()

    assert " ready." in output, output
    assert len(sent) == 1, output
    assert "Dette er en pr" in sent[0].read_text()
