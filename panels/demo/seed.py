"""Demo data: realistic Norwegian offices, staff, a representative pool, hiring rounds, and the
rounds' candidates, interview days, panels and seats.

Deterministic (seeded) and idempotent: running it twice leaves one copy of everything. A round's
candidates, interviews, panels and seats are made together with the round, so the round's
existence guards them all. Dates count from the day it runs; each office gets

- an open round: a day about ten days ago whose panel has two accepted seats nobody has marked
  yet, and a day two weeks ahead whose panel has one accepted seat and one invitation sent four
  days ago, so that the leader's dashboard lists attendance to mark, a panel short of
  representatives and an invitation waiting for an answer;
- a draft round;
- a closed round: a day about six weeks ago whose representatives came, or did not.

Seats of a day that has begun are written as history, because ``seat_invite`` refuses a panel
that has started: each with its recorded transitions (invited by the leader, accepted by the
representative, marked by the leader), dated as they would have happened, and the backgrounds
snapshot taken at acceptance. Upcoming seats go through the services and are then dated back.
"""

import functools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from interviews.enums import RoleKind, RoleScope, RoundState
from interviews.models import Candidate, HiringRound, Office, OfficeRole
from interviews.services import candidates_add, interview_day_plan, round_create, round_transition

from ..eligibility import eligible_representatives
from ..enums import Contact, Language, RepresentativeStatus, SeatStatus
from ..models import Background, Panel, Representative
from ..services import panel_create, seat_invite, seat_transition
from .history import at, date_history, date_round, past_seat, working_day
from .names import (
    BACKGROUND_WEIGHTS,
    BACKGROUNDS,
    BACKGROUNDS_NN,
    CANDIDATE_FIRST_NAMES,
    CANDIDATE_LAST_NAMES,
    COUNSELLORS,
    FIRST_NAMES,
    LAST_NAMES,
    OFFICES,
    ORGANISATIONS,
    ROOMS,
    ROUND_DAYS,
    ROUNDS,
    UNION_REPRESENTATIVES,
    fits_age,
)

DEMO_PASSWORD = "navpanel-demo-2026"  # noqa: S105  # nosec B105: published demo login (README)


@dataclass
class DemoLogin:
    email: str
    role: str


@dataclass(frozen=True)
class DemoOffice:
    """What the history of one office's rounds is made with."""

    leader: User
    location: str
    staff: list[dict[str, str]]
    rng: random.Random
    # Representatives given a seat so far, so that the seats spread over more people.
    seated: set[int]


@functools.cache
def _demo_password_hash() -> str:
    # Argon2 is slow on purpose; the demo accounts share one published password, so one hash
    # serves them all and keeps seeding fast.
    return make_password(DEMO_PASSWORD)


def _user(email: str, name: str, *, superuser: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        create = User.objects.create_superuser if superuser else User.objects.create_user
        user = create(email=email, password=None, name=name)
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
    return user


def _candidates(hiring_round: HiringRound, count: int, demo: DemoOffice) -> list[Candidate]:
    lines: list[str] = []
    while len(lines) < count:
        name = f"{demo.rng.choice(CANDIDATE_FIRST_NAMES)} {demo.rng.choice(CANDIDATE_LAST_NAMES)}"
        if not any(line.startswith(f"{name};") for line in lines):
            lines.append(f"{name}; {timezone.localdate().year}-{demo.rng.randint(100, 999)}")
    return candidates_add(hiring_round=hiring_round, text="\n".join(lines))


def _panel(
    hiring_round: HiringRound,
    demo: DemoOffice,
    *,
    days: int,
    first_start: time,
    candidates: Sequence[Candidate],
    seats_wanted: int,
) -> Panel:
    """An interview day ``days`` from today, one interview per candidate, and its panel."""
    interviews = interview_day_plan(
        hiring_round=hiring_round,
        day=timezone.localdate() + timedelta(days=days),
        first_start=first_start,
        minutes=45,
        break_minutes=15,
        count=len(candidates),
        location=demo.location,
        candidates=candidates,
    )
    return panel_create(
        hiring_round=hiring_round,
        interviews=interviews,
        seats_wanted=seats_wanted,
        staff=demo.staff,
    )


def _pick(panel: Panel, count: int, demo: DemoOffice) -> list[Representative]:
    """``count`` representatives who may sit on ``panel``, first those with no seat yet."""
    eligible = list(eligible_representatives(panel=panel).order_by("email"))
    fresh = [r for r in eligible if r.pk not in demo.seated]
    chosen = demo.rng.sample(fresh if len(fresh) >= count else eligible, count)
    demo.seated.update(r.pk for r in chosen)
    return chosen


def _open_round_history(hiring_round: HiringRound, demo: DemoOffice) -> None:
    candidates = _candidates(hiring_round, 5, demo)

    past = _panel(
        hiring_round,
        demo,
        days=working_day(-10),
        first_start=time(9, 0),
        candidates=candidates[:2],
        seats_wanted=2,
    )
    for number, representative in enumerate(_pick(past, 2, demo)):
        past_seat(
            past,
            representative,
            demo.leader,
            [
                (SeatStatus.INVITED, at(-18, time(10, 5))),
                (SeatStatus.ACCEPTED, at(-16 + number, time(19, 40 - 25 * number))),
            ],
        )

    upcoming = _panel(
        hiring_round,
        demo,
        days=working_day(14),
        first_start=time(10, 0),
        candidates=candidates[2:],
        seats_wanted=2,
    )
    accepting, waiting = _pick(upcoming, 2, demo)
    seat = seat_invite(panel=upcoming, representative=accepting, by=demo.leader)
    seat_transition(seat=seat, to=SeatStatus.ACCEPTED, actor="representative")
    date_history(seat, [at(-7, time(9, 20)), at(-5, time(20, 15))])
    # Four days into five to answer, whatever the hour: past half the time, so the dashboard
    # lists it, and not yet expired.
    seat = seat_invite(panel=upcoming, representative=waiting, by=demo.leader)
    date_history(seat, [at(-4, time(13, 45))])


def _closed_round_history(hiring_round: HiringRound, demo: DemoOffice) -> None:
    candidates = _candidates(hiring_round, 3, demo)
    day = working_day(-40)
    past = _panel(
        hiring_round,
        demo,
        days=day,
        first_start=time(9, 0),
        candidates=candidates,
        seats_wanted=3,
    )
    outcomes = [SeatStatus.ATTENDED, SeatStatus.ATTENDED, SeatStatus.NO_SHOW]
    for number, (representative, outcome) in enumerate(
        zip(_pick(past, 3, demo), outcomes, strict=True)
    ):
        past_seat(
            past,
            representative,
            demo.leader,
            [
                (SeatStatus.INVITED, at(-50, time(10, 5))),
                (SeatStatus.ACCEPTED, at(-49 + number, time(18, 10 * number))),
                (outcome, at(day, time(15, 30))),
            ],
        )


def _demo_language(i: int) -> str:
    """Every sixth representative chose nynorsk and every fifteenth English (issue 19)."""
    if i % 6 == 1:
        return Language.NN
    if i % 15 == 4:
        return Language.EN
    return Language.NB


@transaction.atomic
def seed_demo(*, representatives_per_office: int = 30) -> list[DemoLogin]:
    rng = random.Random(2026)  # noqa: S311  # nosec B311: reproducible demo data, not security
    logins: list[DemoLogin] = []
    backgrounds = {}
    for order, (slug, name, name_en) in enumerate(BACKGROUNDS):
        backgrounds[slug], _ = Background.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "name_nn": BACKGROUNDS_NN[slug],
                "name_en": name_en,
                "order": order,
            },
        )

    admin = _user("admin@navpanel.no", "Administrator", superuser=True)
    logins.append(DemoLogin(admin.email, "administrator"))
    hr = _user("hr@navpanel.no", "Hanna Rådgiver")
    OfficeRole.objects.get_or_create(user=hr, kind=RoleKind.HR, scope=RoleScope.NATIONAL)
    logins.append(DemoLogin(hr.email, "HR-rådgiver (alle kontorer)"))

    # One mobile number per person (the number is unique, issue 19): drawn again on a repeat.
    mobiles_drawn: set[str] = set()
    for office_name, county, slug in OFFICES:
        office, _ = Office.objects.get_or_create(
            name=office_name,
            defaults={
                "county": county,
                "email": f"{slug}@navpanel.no",
                "contact_name": f"Kontakt {office_name}",
                "contact_phone": "55 55 33 33",
            },
        )
        leader = _user(f"leder.{slug}@navpanel.no", f"Leder {office_name.removeprefix('NAV ')}")
        OfficeRole.objects.get_or_create(
            user=leader, kind=RoleKind.LEADER, scope=RoleScope.OFFICE, office=office
        )
        logins.append(DemoLogin(leader.email, f"kontorleder, {office_name}"))

        for i in range(representatives_per_office):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            birth_year = rng.randint(1950, 2006)
            chosen = [
                slug
                for slug, weight in BACKGROUND_WEIGHTS.items()
                if fits_age(slug, birth_year, this_year=timezone.localdate().year)
                and rng.random() < weight
            ]
            mobile = f"+474{rng.randint(1000000, 9999999)}"
            while mobile in mobiles_drawn:
                mobile = f"+474{rng.randint(1000000, 9999999)}"
            mobiles_drawn.add(mobile)
            representative, created = Representative.objects.get_or_create(
                email=f"bruker.{slug}.{i + 1}@example.no",
                defaults={
                    "name": f"{first} {last}",
                    "phone": mobile,
                    "birth_year": birth_year,
                    "organisation": rng.choice(ORGANISATIONS),
                    "suggested_by": rng.choice(COUNSELLORS),
                    "language": _demo_language(i),
                    "status": RepresentativeStatus.AWAITING_CONSENT
                    if i % 10 == 9
                    else RepresentativeStatus.ACTIVE,
                },
            )
            if created:
                representative.offices.add(office)
                representative.backgrounds.set([backgrounds[s] for s in chosen])
        # Someone with a mobile number and no email address, reached by SMS only (issue 19):
        # their messages are files in var/sms/ and rows on the mail page.
        phone_only, created = Representative.objects.get_or_create(
            phone=f"+4799{OFFICES.index((office_name, county, slug)):06d}",
            email="",
            defaults={
                "name": f"{rng.choice(FIRST_NAMES)} Utenepost",
                "contact": Contact.SMS,
                "birth_year": rng.randint(1950, 2006),
                "status": RepresentativeStatus.ACTIVE,
            },
        )
        if created:
            phone_only.offices.add(office)

        # Its own seed, so that the history does not change the representatives drawn for the
        # offices that follow.
        history = random.Random(f"navpanel-demo-{slug}")  # noqa: S311  # nosec B311: demo data
        demo = DemoOffice(
            leader=leader,
            location=f"{history.choice(ROOMS)}, {office_name}",
            staff=[
                {"name": leader.name, "role": "Kontorleder", "email": leader.email},
                {
                    "name": history.choice(UNION_REPRESENTATIVES),
                    "role": "Tillitsvalgt",
                    "email": f"tillitsvalgt.{slug}@navpanel.no",
                },
            ],
            rng=history,
            seated=set(),
        )
        for title, team, state in ROUNDS:
            if HiringRound.objects.filter(office=office, position_title=title).exists():
                continue
            hiring_round = round_create(
                office=office,
                by=leader,
                position_title=title,
                team=team,
                description=f"{title} ved {office_name}.",
                seats_per_panel=2,
                answer_deadline_days=5,
            )
            if state in (RoundState.OPEN, RoundState.CLOSED):
                hiring_round = round_transition(
                    hiring_round=hiring_round, to=RoundState.OPEN, by=leader
                )
            if state == RoundState.OPEN:
                _open_round_history(hiring_round, demo)
            if state == RoundState.CLOSED:
                # The day is planned while the round is open: a closed round takes no changes.
                _closed_round_history(hiring_round, demo)
                hiring_round = round_transition(
                    hiring_round=hiring_round, to=RoundState.CLOSED, by=leader
                )
            date_round(hiring_round, ROUND_DAYS[state])
    return logins
