"""The demo's people and places: offices, backgrounds, names, rooms, and when its rounds ran."""

from interviews.enums import County, RoundState

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
# The backgrounds' nynorsk names, for those who chose nynorsk (issue 19).
BACKGROUNDS_NN = {
    "mental_health": "Psykisk helse",
    "substance_use": "Rus og recovery",
    "physical_disability": "Fysisk funksjonsnedsetjing",
    "chronic_illness": "Kronisk sjukdom",
    "young_adult": "Ung vaksen (18–29)",
    "senior": "Senior (55+)",
    "immigrant": "Innvandrarbakgrunn",
    "long_term_unemployed": "Langtidsledig",
    "single_parent": "Einsleg forsørgjar",
    "aap": "Arbeidsavklaringspengar (AAP)",
}

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
# How often each background occurs in a pool, roughly as offices describe their users; for a
# background bound to an age (AGE_BOUNDS), how often among the people of that age.
BACKGROUND_WEIGHTS = {
    "mental_health": 0.45,
    "substance_use": 0.2,
    "physical_disability": 0.2,
    "chronic_illness": 0.25,
    "young_adult": 0.8,
    "senior": 0.5,
    "immigrant": 0.2,
    "long_term_unemployed": 0.3,
    "single_parent": 0.12,
    "aap": 0.4,
}
# The ages (youngest, oldest) a background names: "Ung voksen (18–29)", "Senior (55+)".
AGE_BOUNDS: dict[str, tuple[int, int | None]] = {"young_adult": (18, 29), "senior": (55, None)}


def fits_age(slug: str, birth_year: int, *, this_year: int) -> bool:
    """Whether someone born in ``birth_year`` is of the age background ``slug`` names, whether or
    not their birthday has come this year."""
    if slug not in AGE_BOUNDS:
        return True
    youngest, oldest = AGE_BOUNDS[slug]
    age_by_year = this_year - birth_year
    return age_by_year - 1 >= youngest and (oldest is None or age_by_year <= oldest)


ROUNDS = [
    ("Veileder, Team Voksen", "Team Voksen", RoundState.OPEN),
    ("Erfaringskonsulent", "Oppfølging", RoundState.DRAFT),
    ("Veileder, Ungdomsteamet", "Ungdomsteamet", RoundState.CLOSED),
]
CANDIDATE_FIRST_NAMES = [
    "Silje",
    "Magnus",
    "Ida",
    "Henrik",
    "Thea",
    "Sander",
    "Maja",
    "Vegard",
    "Camilla",
    "Anders",
    "Ingeborg",
    "Yusuf",
    "Marte",
    "Kristoffer",
    "Hilde",
    "Stian",
    "Oda",
    "Leila",
]
CANDIDATE_LAST_NAMES = [
    "Bråthen",
    "Moe",
    "Holm",
    "Lunde",
    "Myhre",
    "Tangen",
    "Sandvik",
    "Engen",
    "Rønning",
    "Vik",
    "Aasen",
    "Ruud",
    "Nygård",
    "Mahmoud",
]
ROOMS = ["Møterom Fjellet", "Møterom Elva", "Samtalerom 3", "Møterom Utsikten"]
UNION_REPRESENTATIVES = ["Tone Brekke", "Geir Lien", "Randi Sætre", "Arne Hovland", "Mona Eide"]
# When each round was created, opened and closed, in days from today.
ROUND_DAYS = {
    RoundState.OPEN: (-30, -28),
    RoundState.DRAFT: (-3,),
    RoundState.CLOSED: (-80, -78, -25),
}
