"""The published texts: the consent text and the confidentiality declaration, their versions."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from panels import texts
from panels.models import (
    ConfidentialityText,
    ConsentText,
)
from tests.factories.links import (
    ConfidentialityTextFactory,
    ConsentTextFactory,
)

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


def test_version_one_of_both_texts_is_published_in_plain_norwegian():
    consent_text = texts.consent_text_current()
    declaration = texts.confidentiality_text_current()

    assert consent_text.version == declaration.version == 1
    for words in ("fødselsår", "bakgrunn", "Hvem som ser", "Hvor lenge", "trekke samtykket"):
        assert words in consent_text.body
    for words in ("forvaltningsloven § 13", "NAV-loven § 7", "blir i rommet", "etter at"):
        assert words in declaration.body


def test_a_draft_or_a_text_published_later_is_not_current():
    ConsentTextFactory()
    ConsentText.objects.create(version=2, body="Utkast")
    ConsentText.objects.create(
        version=3, body="Senere", published_at=timezone.now() + timedelta(days=1)
    )

    assert texts.consent_text_current().version == 1


def test_the_newest_published_version_is_current():
    ConfidentialityTextFactory()
    ConfidentialityText.objects.create(version=2, body="Ny", published_at=timezone.now())

    assert texts.confidentiality_text_current().version == 2


def test_the_english_text_is_shown_in_english_and_the_norwegian_otherwise():
    text = ConsentText(version=9, body="Norsk", body_en="English")

    with translation.override("en"):
        english = text.text
    with translation.override("nb"):
        norwegian = text.text

    assert (english, norwegian) == ("English", "Norsk")


def test_a_text_is_split_into_headings_paragraphs_and_lists():
    body = "# Tittel\nFørste avsnitt,\nsom fortsetter.\n\nJeg lover at\n- én\n- to\n\nSlutt."

    blocks = texts.text_blocks(body)

    assert [(b.kind, b.text, b.items) for b in blocks] == [
        ("heading", "Tittel", []),
        ("paragraph", "Første avsnitt, som fortsetter.", []),
        ("paragraph", "Jeg lover at", []),
        ("list", "", ["én", "to"]),
        ("paragraph", "Slutt.", []),
    ]


def test_the_published_texts_have_headings_and_lists():
    blocks = texts.text_blocks(texts.consent_text_current().body)

    assert ("heading", "Hva vi lagrer om deg") in [(b.kind, b.text) for b in blocks]
    assert any(b.kind == "list" and len(b.items) == 6 for b in blocks)
