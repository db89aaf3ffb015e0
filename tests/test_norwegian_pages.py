"""Every staff and representative page in Norwegian holds no English UI word (issue 18, point 11).

It walks the access matrix's samples (tests/test_access_matrix.py: every URL of the project has
one), asks each page that answers a person with HTML — staff pages as the leader of office A and
as HR in scope, link pages as the holder of the link — in Norwegian, and fails on any word of
``ENGLISH_WORDS`` in the visible text (text nodes, not markup or attribute values; an element
marked ``lang="en"``, the language switcher's "English", is English on purpose).
"""

import re
from html.parser import HTMLParser

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from audit.enums import AuditAction
from audit.services import audit_record
from panels import services
from panels.enums import Language
from panels.models import Representative
from panels.public.my_page import consent_withdraw
from tests.factories import PASSWORD
from tests.factories.panels import PoolRepresentativeFactory
from tests.test_access_matrix import (  # noqa: F401 (the world fixture)
    HR_IN,
    LEADER_A,
    PROJECT_URLS,
    REGISTRY,
    SHOWS_A,
    world,
)

pytestmark = pytest.mark.django_db

# Words of the interface in English that have slipped into Norwegian pages before ("(consent
# withdrawn)", "new → Invitert", "representative 151"), and their neighbours.
ENGLISH_WORDS = (
    "consent",
    "representative",
    "representatives",
    "new",
    "withdrawn",
    "invited",
    "accepted",
    "declined",
    "attended",
    "cancelled",
    "expired",
    "seat",
    "seats",
    "candidate",
    "candidates",
    "staff",
    "the",
    "deadline",
    "answer",
    "panel was",
)
PATTERN = re.compile(r"\b(" + "|".join(map(re.escape, ENGLISH_WORDS)) + r")\b", re.IGNORECASE)
SKIPPED = {"script", "style", "template"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []  # per open element: is its text hidden from this check?
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        lang = dict(attrs).get("lang") or ""
        hidden = tag in SKIPPED or (lang != "" and not lang.startswith(("nb", "no", "nn")))
        self.stack.append(hidden or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _pages() -> list[tuple[str, str]]:
    pages = []
    for name in PROJECT_URLS:
        sample = REGISTRY.get(name)
        if sample is None or sample.method != "GET":
            continue
        if sample.link:
            pages.append((name, "link"))
            continue
        for role in (LEADER_A, HR_IN):
            if sample.expected.get(role) in (200, SHOWS_A):
                pages.append((name, role))
    return pages


@pytest.fixture
def history(world):  # noqa: F811 (the access matrix's fixture)
    """What the system writes in English and pages showed so: a seat freed by a consent
    withdrawal, one let expire, and an audit event about a representative."""
    panel, leader = world["panel"], world["users"][LEADER_A]
    for person in PoolRepresentativeFactory.create_batch(2, offices=[world["office"]]):
        services.seat_invite(panel=panel, representative=person, by=leader)
    withdrawing, expiring = panel.seats.order_by("-pk")[:2]
    consent_withdraw(representative=withdrawing.representative)
    services.seat_expire(seat=expiring)
    audit_record(
        action=AuditAction.REPRESENTATIVE_VIEWED,
        obj=world["representative"],
        office=world["office"],
    )


@pytest.mark.parametrize(("name", "role"), _pages())
def test_a_norwegian_page_shows_no_english_ui_word(world, history, name, role):  # noqa: F811
    sample = REGISTRY[name]
    client = Client(headers={"accept-language": "nb"})
    if role != "link":
        client.force_login(world["users"][role])

    response = client.get(reverse(name, kwargs=sample.kwargs(world)))

    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        pytest.skip(f"{name} answers {response.status_code} {response.get('Content-Type')}")
    text = visible_text(response.content.decode())
    found = sorted({match.group(0) for match in PATTERN.finditer(text)})
    context = [text[max(0, m.start() - 40) : m.end() + 40] for m in PATTERN.finditer(text)][:5]
    assert found == [], f"{name} as {role}: {found}\n" + "\n".join(context)


def test_the_sign_in_page_and_a_required_field_speak_natural_bokmal(client):
    login = client.get(reverse("account_login"), headers={"accept-language": "nb"})
    refused = client.post(reverse("account_login"), {}, headers={"accept-language": "nb"})

    assert "Har du glemt passordet?" in login.text
    assert "Glemt ditt passord?" not in login.text
    assert "Du må fylle ut dette feltet." in refused.text
    assert "Feltet er påkrevet." not in refused.text


# Bokmål words nynorsk never uses (issue 19): a page in nynorsk that shows one fell back to the
# bokmål catalogue (Django's fallback for a string nn lacks) or was written outside gettext.
BOKMAL_WORDS = (
    "ikke",
    "jeg",
    "hva",
    "hvem",
    "hvordan",
    "hvorfor",
    "hvis",
    "ennå",
    "noen",
    "brukerrepresentant",
    "brukerrepresentanter",
    "fremover",
    "vennligst",
)
BOKMAL = re.compile(r"\b(" + "|".join(map(re.escape, BOKMAL_WORDS)) + r")\b", re.IGNORECASE)


@pytest.mark.parametrize(("name", "role"), _pages())
def test_a_nynorsk_page_shows_no_english_and_no_bokmal_word(world, history, name, role):  # noqa: F811
    sample = REGISTRY[name]
    # Staff ask for nynorsk; a representative's link pages follow the choice they made.
    Representative.objects.update(language=Language.NN)
    client = Client(headers={"accept-language": "nn"})
    if role != "link":
        client.force_login(world["users"][role])

    response = client.get(reverse(name, kwargs=sample.kwargs(world)))

    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        pytest.skip(f"{name} answers {response.status_code} {response.get('Content-Type')}")
    if "<html" in response.content.decode():  # a whole page, not an htmx fragment
        assert '<html lang="nn"' in response.content.decode()
    text = visible_text(response.content.decode())
    found = sorted({m.group(0) for pattern in (PATTERN, BOKMAL) for m in pattern.finditer(text)})
    context = [
        text[max(0, m.start() - 40) : m.end() + 40]
        for pattern in (PATTERN, BOKMAL)
        for m in pattern.finditer(text)
    ][:5]
    assert found == [], f"{name} as {role}: {found}\n" + "\n".join(context)


def _nynorsk_failures(response) -> list[str]:
    text = visible_text(response.content.decode())
    return sorted({m.group(0) for pattern in (PATTERN, BOKMAL) for m in pattern.finditer(text)})


def test_the_sign_in_page_in_nynorsk_holds_no_bokmal_from_allauth(client):
    """allauth ships no nn: navpanel/wording_allauth.py puts its strings in our catalogue."""
    cache.clear()  # allauth's sign-in rate limit
    nn = {"headers": {"accept-language": "nn"}}
    login = client.get(reverse("account_login"), **nn)
    refused = client.post(
        reverse("account_login"), {"login": "nobody@nav.no", "password": "wrong"}, **nn
    )
    reset = client.get(reverse("account_reset_password"), **nn)
    sent = client.get(reverse("account_reset_password_done"), **nn)

    assert "Har du gløymt passordet?" in login.text
    assert "E-postadressa eller passordet du skreiv, er feil." in refused.text
    assert "så sender vi deg ein e-post" in reset.text
    assert "sjå i søppelpostmappa" in sent.text
    for page in (login, refused, reset, sent):
        assert '<html lang="nn"' in page.text
        assert _nynorsk_failures(page) == []


def test_the_two_factor_pages_in_nynorsk_hold_no_bokmal_from_allauth(client, hr, settings):
    cache.clear()
    settings.MFA_ENCRYPTION_KEYS = []
    TOTP.activate(hr, generate_totp_secret())
    nn = {"headers": {"accept-language": "nn"}}
    client.post(reverse("account_login"), {"login": hr.email, "password": PASSWORD}, **nn)

    asked = client.get(reverse("mfa_authenticate"), **nn)
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"}, **nn)

    assert "Skriv inn ein kode frå autentiseringsappen" in asked.text
    assert "Feil kode." in wrong.text
    for page in (asked, wrong):
        assert '<html lang="nn"' in page.text
        assert _nynorsk_failures(page) == []


def test_a_signed_in_staff_members_account_pages_in_nynorsk_hold_no_bokmal(client, hr):
    client.force_login(hr)
    nn = {"headers": {"accept-language": "nn"}, "follow": True}

    pages = {
        name: client.get(reverse(name), **nn)
        for name in ("account_logout", "account_change_password", "account_email", "mfa_index")
    }

    assert "Er du sikker på at du vil logge ut?" in pages["account_logout"].text
    assert "Desse e-postadressene er knytte til kontoen din:" in pages["account_email"].text
    assert "Ingen autentiseringsapp er slått på." in pages["mfa_index"].text
    for name, page in pages.items():
        assert page.status_code == 200, name
        assert _nynorsk_failures(page) == [], name
