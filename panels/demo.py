"""Demo data: realistic Norwegian offices, staff, a representative pool and hiring rounds.

Deterministic (seeded) and idempotent: running it twice leaves one copy of everything.
"""

import random
from dataclasses import dataclass

from django.db import transaction

from accounts.models import User
from interviews.enums import County, RoleKind, RoleScope, RoundState
from interviews.models import HiringRound, Office, OfficeRole
from interviews.services import round_create, round_transition

from .enums import RepresentativeStatus
from .models import Background, Representative

DEMO_PASSWORD = "navpanel-demo-2026"  # noqa: S105 - published demo login, never used in production

OFFICES = [
    ("NAV Hadeland", County.INNLANDET, "hadeland"),
    ("NAV Rana", County.NORDLAND, "rana"),
    ("NAV Asker", County.AKERSHUS, "asker"),
    ("NAV Midtre Namdal", County.TRONDELAG, "midtre-namdal"),
    ("NAV Tromsø", County.TROMS, "tromso"),
]

BACKGROUNDS = [
    ("mental_health", "Psykisk helse", "Mental health"),
    ("substance_use", "Rus og recovery", "Substance use and recovery"),
    ("physical_disability", "Fysisk funksjonsnedsettelse", "Physical disability"),
    ("chronic_illness", "Kronisk sykdom", "Chronic illness"),
    ("young_adult", "Ung voksen (18–29)", "Young adult (18–29)"),
    ("senior", "Senior (55+)", "Senior (55+)"),
    ("immigrant", "Innvandrerbakgrunn", "Immigrant background"),
    ("long_term_unemployed", "Langtidsledig", "Long-term unemployed"),
    ("single_parent", "Enslig forsørger", "Single parent"),
    ("aap", "Arbeidsavklaringspenger (AAP)", "Work assessment allowance (AAP)"),
]

FIRST_NAMES = [
    "Kari",
    "Ola",
    "Ingrid",
    "Lars",
    "Sigrid",
    "Jonas",
    "Nora",
    "Emil",
    "Hanne",
    "Per",
    "Aisha",
    "Mohammed",
    "Tone",
    "Bjørn",
    "Marit",
    "Eirik",
    "Linn",
    "Ahmed",
    "Solveig",
    "Knut",
    "Fatima",
    "Håkon",
    "Ragnhild",
    "Tor",
    "Astrid",
    "Jørgen",
    "Liv",
    "Amir",
    "Åse",
    "Even",
]
LAST_NAMES = [
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Berg",
    "Haugen",
    "Hagen",
    "Johannessen",
    "Eriksen",
    "Dahl",
    "Lie",
    "Solberg",
    "Bakken",
    "Strand",
    "Ali",
    "Hussein",
    "Næss",
    "Sæther",
    "Ødegård",
    "Aas",
]
ORGANISATIONS = [
    "FFO",
    "Mental Helse",
    "RIO",
    "Kirkens Bymisjon",
    "LPP",
    "Unge funksjonshemmede",
    "",
]
COUNSELLORS = ["Veileder Anne Moen", "Veileder Tarjei Vik", "Veileder Sara Lund", ""]
# How often each background occurs in a pool, roughly as offices describe their users.
BACKGROUND_WEIGHTS = {
    "mental_health": 0.45,
    "substance_use": 0.2,
    "physical_disability": 0.2,
    "chronic_illness": 0.25,
    "young_adult": 0.25,
    "senior": 0.2,
    "immigrant": 0.2,
    "long_term_unemployed": 0.3,
    "single_parent": 0.12,
    "aap": 0.4,
}
ROUNDS = [
    ("Veileder, Team Voksen", "Team Voksen", RoundState.OPEN),
    ("Erfaringskonsulent", "Oppfølging", RoundState.DRAFT),
    ("Veileder, Ungdomsteamet", "Ungdomsteamet", RoundState.CLOSED),
]


@dataclass
class DemoLogin:
    email: str
    role: str


def _user(email: str, name: str, *, superuser: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        create = User.objects.create_superuser if superuser else User.objects.create_user
        user = create(email=email, password=DEMO_PASSWORD, name=name)
    return user


@transaction.atomic
def seed_demo(*, representatives_per_office: int = 30) -> list[DemoLogin]:
    rng = random.Random(2026)  # noqa: S311 - reproducible demo data, not security
    logins: list[DemoLogin] = []
    backgrounds = {}
    for order, (slug, name, name_en) in enumerate(BACKGROUNDS):
        backgrounds[slug], _ = Background.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "order": order}
        )

    admin = _user("admin@navpanel.no", "Administrator", superuser=True)
    logins.append(DemoLogin(admin.email, "administrator"))
    hr = _user("hr@navpanel.no", "Hanna Rådgiver")
    OfficeRole.objects.get_or_create(user=hr, kind=RoleKind.HR, scope=RoleScope.NATIONAL)
    logins.append(DemoLogin(hr.email, "HR-rådgiver (alle kontorer)"))

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
            chosen = [s for s, w in BACKGROUND_WEIGHTS.items() if rng.random() < w]
            representative, created = Representative.objects.get_or_create(
                email=f"bruker.{slug}.{i + 1}@example.no",
                defaults={
                    "name": f"{first} {last}",
                    "phone": f"4{rng.randint(1000000, 9999999)}",
                    "birth_year": rng.randint(1950, 2006),
                    "organisation": rng.choice(ORGANISATIONS),
                    "suggested_by": rng.choice(COUNSELLORS),
                    "status": RepresentativeStatus.AWAITING_CONSENT
                    if i % 10 == 9
                    else RepresentativeStatus.ACTIVE,
                },
            )
            if created:
                representative.offices.add(office)
                representative.backgrounds.set([backgrounds[s] for s in chosen])

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
            if state == RoundState.CLOSED:
                round_transition(hiring_round=hiring_round, to=RoundState.CLOSED, by=leader)
    return logins
