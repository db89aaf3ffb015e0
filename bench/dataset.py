"""A NAV-sized dataset for the benchmarks, written with PostgreSQL ``COPY``.

``seed_scale(offices=250, years=3)`` writes 250 offices across the counties, ~30 representatives
each with backgrounds and consent, ~20 hiring rounds per office per year with wanted backgrounds,
candidates, interviews and ~4 interview days (panels) each with staff interviewers, ~200,000
seats with their transitions and backgrounds snapshots, the outbox rows their emails left and
audit events, plus a leader per office and HR advisers (national and one per county).

Deterministic: every choice comes from ``random.Random(seed)``; dates are relative to the day of
seeding (so a dataset always has upcoming panels, open invitations and attendance to mark).
Ids are assigned here and the sequences moved past them afterwards, so each table is one
``COPY`` with no round trip per row. It needs PostgreSQL and an empty application (it refuses to
write over offices that exist; ``reset=True`` truncates the application's tables first).

The same function builds the small datasets of ``tests/test_query_counts.py``.
"""

from __future__ import annotations

import io
import json
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from allauth.mfa.models import Authenticator
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import User
from audit.enums import ActorKind, AuditAction
from audit.models import AuditEvent
from interviews.enums import County, InterviewStatus, RoleKind, RoleScope, RoundState
from interviews.models import Candidate, HiringRound, Interview, Office, OfficeRole, RoundTransition
from navpanel.cache_versions import data_version_bump
from outbox.models import OutboxMessage, OutboxStatus
from panels.demo.names import BACKGROUNDS, FIRST_NAMES, LAST_NAMES
from panels.enums import BOOKING_STATUSES, PanelStatus, RepresentativeStatus, SeatStatus
from panels.models import (
    Background,
    BackgroundWant,
    ConfidentialitySigned,
    ConfidentialityText,
    ConsentGiven,
    ConsentText,
    LinkVia,
    Panel,
    Representative,
    Seat,
    SeatBooking,
    SeatTransition,
    StaffInterviewer,
)

_Choice = TypeVar("_Choice")
_Row = TypeVar("_Row")

OSLO = ZoneInfo("Europe/Oslo")
BENCH_PASSWORD = "navpanel-bench-2026"  # noqa: S105 - benchmark logins on a throwaway database
NAME_PREFIX = "NAV Skala"

# Roughly by population: Oslo, Akershus and Vestland have many offices, Finnmark few.
COUNTY_WEIGHTS = {
    County.OSLO: 12,
    County.AKERSHUS: 14,
    County.VESTLAND: 12,
    County.TRONDELAG: 10,
    County.INNLANDET: 9,
    County.ROGALAND: 9,
    County.NORDLAND: 8,
    County.MORE_OG_ROMSDAL: 7,
    County.AGDER: 7,
    County.OSTFOLD: 6,
    County.BUSKERUD: 6,
    County.VESTFOLD: 5,
    County.TELEMARK: 5,
    County.TROMS: 5,
    County.FINNMARK: 4,
}
# How often a representative has each background (young adult and senior follow from the age);
# the same shares as bench/rotation.py.
BACKGROUND_SHARE = {
    "mental_health": 0.45,
    "aap": 0.40,
    "long_term_unemployed": 0.25,
    "chronic_illness": 0.25,
    "physical_disability": 0.15,
    "immigrant": 0.15,
    "substance_use": 0.12,
    "single_parent": 0.10,
}
ORGANISATIONS = {"": 0.35, "FFO": 0.20, "Mental Helse": 0.20, "Kirkens Bymisjon": 0.15, "RIO": 0.10}
POSITIONS = [
    ("Veileder", "Team Voksen"),
    ("Veileder", "Team Ung"),
    ("Erfaringskonsulent", "Oppfølging"),
    ("Saksbehandler", "Sosialtjenesten"),
    ("Markedskontakt", "Arbeidsgiverteam"),
    ("Jobbspesialist", "IPS"),
    ("Fagkoordinator", "Team AAP"),
    ("Veileder", "Kvalifiseringsprogrammet"),
]
REPRESENTATIVE_STATUS = {
    RepresentativeStatus.ACTIVE: 0.85,
    RepresentativeStatus.AWAITING_CONSENT: 0.07,
    RepresentativeStatus.INACTIVE: 0.05,
    RepresentativeStatus.WITHDRAWN: 0.03,
}
# What becomes of one invitation to a past panel; "again" means the seat is offered to the next.
PAST_OUTCOME = {
    "attended": 0.74,
    "declined": 0.12,
    "expired": 0.05,
    "no_show": 0.03,
    "cancelled": 0.04,
    "withdrawn": 0.02,
}
FUTURE_OUTCOME = {
    "accepted": 0.55,
    "invited": 0.30,
    "declined": 0.12,
    "expired": 0.03,
}


@dataclass
class Sizes:
    offices: int = 250
    years: int = 3
    representatives: int = 30
    rounds_per_year: int = 20
    panels_per_round: float = 4.0
    seed: int = 2026


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        width = max(len(k) for k in self.counts)
        rows = [f"  {name:<{width}}  {count:>9,}" for name, count in self.counts.items()]
        return [*rows, f"  {'seconds':<{width}}  {self.seconds:>9.1f}"]


# --- writing rows --------------------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    if any(c in text for c in "\\\t\n\r"):
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
        text = text.replace("\r", "\\r")
    return text


class Table:
    """Rows for one model (or M2M table), ids assigned here, written by one ``COPY``."""

    def __init__(self, model: type[models.Model], start: int) -> None:
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields]
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        self.buffer = io.StringIO()
        self.next_id = start
        self.count = 0

    def add(self, **values: Any) -> int:
        pk = values.setdefault("id", self.next_id)
        self.next_id = max(self.next_id, pk) + 1
        row = []
        for f in self.fields:
            value = values[f.attname] if f.attname in values else self.defaults[f.attname]
            row.append(_text(value))
        self.buffer.write("\t".join(row) + "\n")
        self.count += 1
        return pk

    def copy(self, cursor) -> None:
        if not self.count:
            return
        table = self.model._meta.db_table
        # A concrete field always has a column; the stubs' Field may have none.
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)  # type: ignore[arg-type]
        self.buffer.seek(0)
        cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", self.buffer)
        self.buffer = io.StringIO()


def _next_id(model: type[models.Model]) -> int:
    return (model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0) + 1


def _move_sequences(cursor, tables: Iterable[Table]) -> None:
    for table in tables:
        name = table.model._meta.db_table
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608 - our names
            f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
        )


# --- the dataset ---------------------------------------------------------------------------------


def _weighted(rng: random.Random, weights: dict[_Choice, float]) -> _Choice:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _present(found: _Row | None, what: str) -> _Row:
    """A row the bench dataset must hold; a clear error when it was not seeded."""
    if found is None:
        raise LookupError(f"The bench dataset has no {what}: run make bench-data.")
    return found


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=OSLO)


def _office_names(count: int, rng: random.Random) -> list[tuple[str, str]]:
    counties = list(COUNTY_WEIGHTS)
    weights = list(COUNTY_WEIGHTS.values())
    # Every county has at least one office; the rest follow the weights.
    chosen = counties[: min(count, len(counties))]
    chosen += rng.choices(counties, weights=weights, k=max(0, count - len(counties)))
    return [(f"{NAME_PREFIX} {number:03d}", county) for number, county in enumerate(chosen, 1)]


def application_tables() -> list[str]:
    """Tables the dataset writes (truncated by ``reset``, with the users)."""
    return [
        m._meta.db_table
        for m in (
            AuditEvent,
            OutboxMessage,
            SeatTransition,
            SeatBooking,
            Seat,
            StaffInterviewer,
            Panel,
            BackgroundWant,
            Interview,
            Candidate,
            RoundTransition,
            HiringRound,
            ConsentGiven,
            ConfidentialitySigned,
            Representative,
            OfficeRole,
            Office,
        )
    ]


def is_seeded(*, offices: int) -> bool:
    return (
        Office.objects.filter(name__startswith=NAME_PREFIX).count() == offices
        and Seat.objects.exists()
    )


def seed_scale(
    sizes: Sizes | None = None,
    *,
    reset: bool = False,
    today: date | None = None,
    log: Callable[[str], None] = lambda _line: None,
) -> Report:
    """Write the dataset (see the module docstring); return the row counts and the time taken."""
    sizes = sizes or Sizes()
    started = time.perf_counter()
    if connection.vendor != "postgresql":
        raise RuntimeError("seed_scale writes with COPY and needs PostgreSQL")
    with transaction.atomic():
        if reset:
            with connection.cursor() as cursor:
                # CASCADE also empties what other apps hang on these rows (a benchmark database).
                tables = [*application_tables(), User._meta.db_table]
                # Foreign keys are checked at commit; a TRUNCATE refuses pending checks.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                # The audit log refuses TRUNCATE (audit migration 0004) unless triggers are off,
                # which only a database superuser may do: a benchmark database's owner.
                cursor.execute("SET LOCAL session_replication_role = replica")
                cursor.execute("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        elif Office.objects.filter(name__startswith=NAME_PREFIX).exists():
            raise RuntimeError("this database already holds a scale dataset (use --reset)")
        report = _write(sizes, today or timezone.localdate(), log)
        # COPY sends no signals: pages cached from the data before must not be served.
        data_version_bump()
    report.seconds = time.perf_counter() - started
    return report


def _write(sizes: Sizes, today: date, log: Callable[[str], None]) -> Report:
    rng = random.Random(sizes.seed)
    now = timezone.now()
    backgrounds = {}
    for order, (slug, name, name_en) in enumerate(BACKGROUNDS):
        backgrounds[slug], _ = Background.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "order": order}
        )
    consent_text = ConsentText.objects.filter(published_at__isnull=False).first()
    if consent_text is None:
        consent_text = ConsentText.objects.create(version=1, body="Samtykke.", published_at=now)
    declaration = ConfidentialityText.objects.filter(published_at__isnull=False).first()
    if declaration is None:
        declaration = ConfidentialityText.objects.create(
            version=1, body="Taushetserklæring.", published_at=now
        )

    t = {
        m: Table(m, _next_id(m))
        for m in (
            Office,
            User,
            OfficeRole,
            Representative,
            ConsentGiven,
            ConfidentialitySigned,
            HiringRound,
            RoundTransition,
            BackgroundWant,
            Candidate,
            Interview,
            Panel,
            StaffInterviewer,
            Seat,
            SeatBooking,
            SeatTransition,
            OutboxMessage,
            AuditEvent,
        )
    }
    rep_offices = Table(Representative.offices.through, _next_id(Representative.offices.through))
    rep_backgrounds = Table(
        Representative.backgrounds.through, _next_id(Representative.backgrounds.through)
    )
    panel_interviews = Table(Panel.interviews.through, _next_id(Panel.interviews.through))
    authenticators = Table(Authenticator, _next_id(Authenticator))

    password = make_password(BENCH_PASSWORD)
    first_day = today - timedelta(days=365 * sizes.years - 60)
    span_days = 365 * sizes.years

    def user(email: str, name: str) -> int:
        pk = t[User].add(email=email, name=name, password=password, is_active=True, date_joined=now)
        # Staff have two-factor sign-in set up (HR must), so pages do not send them to set it up.
        authenticators.add(
            user_id=pk,
            type=Authenticator.Type.TOTP,
            data={"secret": "bench"},
            created_at=now,
            last_used_at=None,
        )
        return pk

    # HR: one national, one per county.
    hr_national = user("hr@bench.navpanel.no", "HR Nasjonal")
    t[OfficeRole].add(
        user_id=hr_national, kind=RoleKind.HR, scope=RoleScope.NATIONAL, office_id=None, county=""
    )
    hr_by_county = {}
    for area in County:
        hr_by_county[area] = user(f"hr.{area.value}@bench.navpanel.no", f"HR {area.label}")
        t[OfficeRole].add(
            user_id=hr_by_county[area],
            kind=RoleKind.HR,
            scope=RoleScope.COUNTY,
            office_id=None,
            county=area.value,
        )

    seat_counter = 0
    # One mobile number per person: the number is unique (issue 19); a repeat is drawn again.
    mobiles: set[str] = set()
    for office_number, (office_name, county) in enumerate(_office_names(sizes.offices, rng), 1):
        slug = f"o{office_number:03d}"
        office_id = t[Office].add(
            name=office_name,
            county=county,
            email=f"{slug}@bench.navpanel.no",
            contact_name=f"Kontakt {office_number}",
            contact_phone="55 55 33 33",
        )
        leader = user(f"leder.{slug}@bench.navpanel.no", f"Leder {office_number:03d}")
        t[OfficeRole].add(
            user_id=leader,
            kind=RoleKind.LEADER,
            scope=RoleScope.OFFICE,
            office_id=office_id,
            county="",
        )

        # The pool.
        pool: list[tuple[int, frozenset[str], str]] = []  # (id, backgrounds, email), active
        for number in range(1, sizes.representatives + 1):
            age = rng.randint(18, 75)
            have = {b for b, share in BACKGROUND_SHARE.items() if rng.random() < share}
            if age <= 29:
                have.add("young_adult")
            if age >= 55:
                have.add("senior")
            if not have:
                have.add(rng.choice(("mental_health", "aap")))
            status = _weighted(rng, REPRESENTATIVE_STATUS)
            added = now - timedelta(days=rng.randint(0, span_days))
            email = f"bruker.{slug}.{number}@example.no"
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            mobile = f"9{rng.randint(1000000, 9999999)}"
            while mobile in mobiles:
                mobile = f"9{rng.randint(1000000, 9999999)}"
            mobiles.add(mobile)
            rep_id = t[Representative].add(
                name=name,
                email=email,
                phone=mobile,
                birth_year=today.year - age,
                organisation=_weighted(rng, ORGANISATIONS),
                suggested_by="" if rng.random() < 0.6 else "Veileder ved kontoret",
                support_needs="" if rng.random() < 0.8 else "Trinnfri adkomst.",
                note="",
                language="nb" if rng.random() < 0.95 else "en",
                status=status,
                created_at=added,
            )
            rep_offices.add(representative_id=rep_id, office_id=office_id)
            # Some people are in the pool of a neighbouring office too (no seats there).
            if office_number > 1 and rng.random() < 0.03:
                rep_offices.add(representative_id=rep_id, office_id=office_id - 1)
            for slug_b in sorted(have):
                rep_backgrounds.add(representative_id=rep_id, background_id=backgrounds[slug_b].pk)
            if status != RepresentativeStatus.AWAITING_CONSENT:
                t[ConsentGiven].add(
                    representative_id=rep_id,
                    text_id=consent_text.pk,
                    given_at=added + timedelta(days=1),
                    via=LinkVia.CONSENT_LINK,
                    withdrawn_at=now - timedelta(days=rng.randint(1, 300))
                    if status == RepresentativeStatus.WITHDRAWN
                    else None,
                )
            if status == RepresentativeStatus.ACTIVE:
                pool.append((rep_id, frozenset(have), email))
                if rng.random() < 0.8:
                    t[ConfidentialitySigned].add(
                        representative_id=rep_id,
                        text_id=declaration.pk,
                        signed_at=added + timedelta(days=2),
                        via=LinkVia.SEAT_LINK,
                    )

        # Rounds and their interview days. Panels of one office never share a day, so the
        # office's representatives are never booked twice at once (the exclusion constraint).
        rounds = sizes.rounds_per_year * sizes.years
        panel_days = sorted(
            rng.sample(range(span_days), min(span_days, int(rounds * sizes.panels_per_round)))
        )
        # Every office has an interview day a month ahead (the pages' sample panel).
        if span_days - 30 not in panel_days:
            panel_days[-1] = span_days - 30
            panel_days.sort()
        per = max(1, len(panel_days) // rounds)
        per_round = [panel_days[i * per : (i + 1) * per] for i in range(rounds)]
        # Now and then a round is still a draft, with no interview day yet.
        if rng.random() < 0.3:
            t[HiringRound].add(
                office_id=office_id,
                position_title="Veileder",
                team="Team Voksen",
                description="",
                info_for_representatives="",
                seats_per_panel=2,
                answer_deadline_days=5,
                invite_next_automatically=True,
                state=RoundState.DRAFT,
                created_by_id=leader,
                created_at=now - timedelta(days=3),
                closed_at=None,
            )
        for days in per_round:
            days = sorted(days)
            if not days:
                continue
            title, team = POSITIONS[rng.randrange(len(POSITIONS))]
            first = first_day + timedelta(days=days[0])
            last = first_day + timedelta(days=days[-1])
            created = _local(first - timedelta(days=rng.randint(20, 40)), 10)
            if (today - last).days > 21:
                state = RoundState.CLOSED
            else:
                state = RoundState.OPEN
            deadline_days = rng.choice((3, 5, 7))
            round_id = t[HiringRound].add(
                office_id=office_id,
                position_title=title,
                team=team,
                description="Fast stilling, 100 %.",
                info_for_representatives="Intervjuet varer en time.",
                seats_per_panel=rng.choice((2, 2, 3, 3, 4)),
                answer_deadline_days=deadline_days,
                invite_next_automatically=True,
                state=state,
                created_by_id=leader,
                created_at=created,
                closed_at=_local(last + timedelta(days=21), 12) if state == "closed" else None,
            )
            t[RoundTransition].add(
                round_id=round_id,
                from_state=RoundState.DRAFT,
                to_state=RoundState.OPEN,
                by_id=leader,
                at=created + timedelta(hours=1),
            )
            if state == RoundState.CLOSED:
                t[RoundTransition].add(
                    round_id=round_id,
                    from_state=RoundState.OPEN,
                    to_state=RoundState.CLOSED,
                    by_id=leader,
                    at=_local(last + timedelta(days=21), 12),
                )
            wanted = rng.sample(sorted(backgrounds), rng.choice((0, 1, 1, 2)))
            for slug_b in wanted:
                t[BackgroundWant].add(
                    round_id=round_id, background_id=backgrounds[slug_b].pk, at_least=1
                )

            seats_wanted = rng.choice((2, 2, 3, 3, 4))
            for day_offset in days:
                day = first_day + timedelta(days=day_offset)
                interviews = rng.choice((2, 3, 3, 4))
                start_hour = 9
                starts = _local(day, start_hour)
                ends = _local(day, start_hour + interviews)
                panel_status = PanelStatus.CANCELLED if rng.random() < 0.02 else PanelStatus.PLANNED
                panel_id = t[Panel].add(
                    round_id=round_id,
                    seats_wanted=seats_wanted,
                    starts_at=starts,
                    ends_at=ends,
                    location="Møterom 1",
                    status=panel_status,
                    calendar_sequence=0,
                    created_at=created,
                )
                for k in range(interviews):
                    candidate_id = t[Candidate].add(
                        round_id=round_id,
                        name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                        reference=f"REK-{round_id}-{k}",
                        created_at=created,
                    )
                    interview_id = t[Interview].add(
                        round_id=round_id,
                        candidate_id=candidate_id,
                        starts_at=_local(day, start_hour + k),
                        ends_at=_local(day, start_hour + k + 1),
                        location="Møterom 1",
                        video_url="",
                        status=InterviewStatus.CANCELLED
                        if panel_status == PanelStatus.CANCELLED
                        else InterviewStatus.SCHEDULED,
                    )
                    panel_interviews.add(panel_id=panel_id, interview_id=interview_id)
                t[StaffInterviewer].add(
                    panel_id=panel_id,
                    name=f"Leder {office_number:03d}",
                    role="Leder",
                    email=f"leder.{slug}@bench.navpanel.no",
                )
                t[StaffInterviewer].add(
                    panel_id=panel_id,
                    name="Tillitsvalgt",
                    role="Tillitsvalgt",
                    email=f"tillitsvalgt.{slug}@bench.navpanel.no",
                )

                # Seats: each wanted seat is offered until someone takes it (at most 3 tries).
                past = ends < now
                sat_here: set[int] = set()
                candidates = [p for p in pool]
                rng.shuffle(candidates)
                for _seat in range(seats_wanted):
                    for _try in range(3):
                        pick = next((c for c in candidates if c[0] not in sat_here), None)
                        if pick is None:
                            break
                        sat_here.add(pick[0])
                        invited_at = min(starts - timedelta(days=deadline_days + 2), now)
                        invited_at -= timedelta(hours=rng.randint(0, 48))
                        answer_by = min(
                            invited_at + timedelta(days=deadline_days),
                            starts - timedelta(days=1),
                        )
                        if panel_status == PanelStatus.CANCELLED:
                            outcome = "cancelled"
                        elif past:
                            outcome = _weighted(rng, PAST_OUTCOME)
                            # A few days of the last week still wait for attendance to be marked.
                            if (
                                outcome == "attended"
                                and (now - ends).days < 7
                                and rng.random() < 0.5
                            ):
                                outcome = "accepted"
                        else:
                            outcome = _weighted(rng, FUTURE_OUTCOME)
                            if outcome in ("declined", "expired") and answer_by > now:
                                outcome = "invited"
                        seat_counter += 1
                        snapshot = (
                            sorted(pick[1])
                            if outcome in ("accepted", "attended", "no_show", "cancelled")
                            else []
                        )
                        answered = invited_at + timedelta(hours=rng.randint(2, 60))
                        seat_id = t[Seat].add(
                            panel_id=panel_id,
                            representative_id=pick[0],
                            status=outcome,
                            starts_at=starts,
                            ends_at=ends,
                            answer_by=answer_by,
                            decline_reason="Passer ikke." if outcome == "declined" else "",
                            backgrounds_snapshot=snapshot,
                            calendar_sequence=0,
                            created_at=invited_at,
                            updated_at=min(answered, now),
                        )
                        if outcome in BOOKING_STATUSES:
                            t[SeatBooking].add(
                                seat_id=seat_id,
                                representative_id=pick[0],
                                starts_at=starts,
                                ends_at=ends,
                            )
                        _transitions(
                            t[SeatTransition], seat_id, outcome, invited_at, answered, ends, leader
                        )
                        t[OutboxMessage].add(
                            key=f"invitation:seat:{seat_id}:v1",
                            kind="invitation",
                            office_id=office_id,
                            to=pick[2],
                            about_type="seat",
                            about_id=seat_id,
                            reply_to=[],
                            erase_after_send=False,
                            subject=f"Invitasjon til intervjupanel {day:%d.%m.%Y}",
                            body_text="Hei! Du er invitert til å sitte i et intervjupanel.",
                            body_html="",
                            attachments=[],
                            representative_id=pick[0],
                            status=OutboxStatus.SENT,
                            attempts=1,
                            last_error="",
                            created_at=invited_at,
                            claimed_at=invited_at,
                            next_attempt_at=None,
                            sent_at=invited_at + timedelta(seconds=3),
                        )
                        if outcome in ("accepted", "attended", "no_show"):
                            reminded = starts - timedelta(days=2)
                            sent = reminded < now
                            t[OutboxMessage].add(
                                key=f"reminder:seat:{seat_id}:v1",
                                kind="reminder",
                                office_id=office_id,
                                to=pick[2],
                                about_type="seat",
                                about_id=seat_id,
                                reply_to=[],
                                erase_after_send=False,
                                subject=f"Påminnelse: intervjupanel {day:%d.%m.%Y}",
                                body_text="Hei! Husk intervjupanelet.",
                                body_html="",
                                attachments=[],
                                representative_id=pick[0],
                                status=OutboxStatus.SENT if sent else OutboxStatus.QUEUED,
                                attempts=1 if sent else 0,
                                last_error="",
                                created_at=min(invited_at + timedelta(days=1), now),
                                claimed_at=reminded if sent else None,
                                next_attempt_at=None if sent else reminded,
                                sent_at=reminded if sent else None,
                            )
                        if outcome != "invited":
                            t[AuditEvent].add(
                                at=min(answered, now),
                                actor_id=None,
                                actor_kind=ActorKind.REPRESENTATIVE,
                                action=AuditAction.SEAT_CHANGED,
                                object_type="seat",
                                object_id=seat_id,
                                office_id=office_id,
                                remote_addr=None,
                                detail={"to": outcome},
                            )
                        if outcome not in ("declined", "expired"):
                            break
        # Leaders look at their people now and then.
        for rep_id, _have, _email in pool:
            for _view in range(rng.randint(0, 3)):
                t[AuditEvent].add(
                    at=now - timedelta(days=rng.randint(0, span_days)),
                    actor_id=leader,
                    actor_kind=ActorKind.STAFF,
                    action=AuditAction.REPRESENTATIVE_VIEWED,
                    object_type="representative",
                    object_id=rep_id,
                    office_id=office_id,
                    remote_addr="10.0.0.1",
                    detail={},
                )
        if office_number % 25 == 0:
            log(f"  {office_number} offices generated, {seat_counter:,} seats")

    # Write in dependency order.
    ordered = [
        t[Office],
        t[User],
        authenticators,
        t[OfficeRole],
        t[Representative],
        rep_offices,
        rep_backgrounds,
        t[ConsentGiven],
        t[ConfidentialitySigned],
        t[HiringRound],
        t[RoundTransition],
        t[BackgroundWant],
        t[Candidate],
        t[Interview],
        t[Panel],
        panel_interviews,
        t[StaffInterviewer],
        t[Seat],
        t[SeatBooking],
        t[SeatTransition],
        t[OutboxMessage],
        t[AuditEvent],
    ]
    report = Report()
    with connection.cursor() as cursor:
        for table in ordered:
            table.copy(cursor)
            report.counts[table.model._meta.db_table] = table.count
            log(f"  copied {table.count:>9,} rows into {table.model._meta.db_table}")
        _move_sequences(cursor, ordered)
        cursor.execute("ANALYZE")
    return report


def _transitions(
    table: Table,
    seat_id: int,
    outcome: str,
    invited_at: datetime,
    answered: datetime,
    ends: datetime,
    leader: int,
) -> None:
    def add(from_status: str, to_status: str, at: datetime, actor: str) -> None:
        table.add(
            seat_id=seat_id,
            from_status=from_status,
            to_status=to_status,
            by_id=leader if actor == "leader" else None,
            actor=actor,
            note="",
            at=at,
        )

    add("", SeatStatus.INVITED, invited_at, "leader")
    if outcome == "invited":
        return
    if outcome in ("declined", "withdrawn"):
        add(SeatStatus.INVITED, outcome, answered, "representative")
        return
    if outcome == "expired":
        add(SeatStatus.INVITED, outcome, answered + timedelta(days=5), "system")
        return
    add(SeatStatus.INVITED, SeatStatus.ACCEPTED, answered, "representative")
    if outcome in ("attended", "no_show"):
        add(SeatStatus.ACCEPTED, outcome, ends + timedelta(hours=2), "leader")
    elif outcome == "cancelled":
        add(SeatStatus.ACCEPTED, outcome, answered + timedelta(days=1), "leader")


def sample_ids() -> dict[str, Any]:
    """Ids the pages open: the first office's leader and HR's views of it, an upcoming panel, an
    invited seat, an attended seat, a representative awaiting consent; users by email."""
    office = _present(
        Office.objects.filter(name__startswith=NAME_PREFIX).order_by("pk").first(), "office"
    )
    now = timezone.now()
    panel = _present(
        Panel.objects.filter(round__office=office, starts_at__gt=now, status=PanelStatus.PLANNED)
        .order_by("-starts_at")
        .first(),
        "upcoming panel",
    )
    seats = Seat.objects.filter(panel__round__office=office).order_by("-starts_at", "pk")
    invited = _present(seats.filter(status=SeatStatus.INVITED).first() or seats.first(), "seat")
    attended = _present(seats.filter(status=SeatStatus.ATTENDED).first() or seats.first(), "seat")
    pool = Representative.objects.filter(offices=office).order_by("pk")
    active = _present(
        pool.filter(status=RepresentativeStatus.ACTIVE, seats__isnull=False).first(),
        "active representative",
    )
    awaiting = _present(
        pool.filter(status=RepresentativeStatus.AWAITING_CONSENT).first() or pool.first(),
        "representative",
    )
    return {
        "office": office.pk,
        "county": office.county,
        "round": panel.round_id,
        "panel": panel.pk,
        "seat": invited.pk,
        "attended_seat": attended.pk,
        "representative": active.pk,
        "awaiting_consent": awaiting.pk,
        "leader": User.objects.get(email=f"leder.o{1:03d}@bench.navpanel.no").pk,
        "hr": User.objects.get(email="hr@bench.navpanel.no").pk,
    }
