"""Where a representative stands with the published texts (``panels.agreements``): the seat
page reads it in one statement, and must come to the same answers as every other reader."""

from datetime import timedelta

import pytest
from django.utils import timezone

from panels import texts
from panels.agreements import agreement_state
from panels.models import ConfidentialitySigned, ConfidentialityText, ConsentGiven, ConsentText
from panels.pool.consent import consent_update_needed
from tests.factories.links import (
    ActiveRepresentativeFactory,
    ConfidentialityTextFactory,
    ConsentTextFactory,
)

pytestmark = pytest.mark.django_db


def _publish(model, version: int, *, at) -> None:
    model.objects.create(
        version=version, body=f"v{version}", body_nn="nn", body_en="en", published_at=at
    )


def test_the_seat_page_and_every_other_reader_agree_on_which_versions_are_current(office_a):
    person = ActiveRepresentativeFactory(offices=[office_a])
    ConsentTextFactory()
    ConfidentialityTextFactory()
    now = timezone.now()
    _publish(ConsentText, 2, at=now - timedelta(minutes=1))
    _publish(ConsentText, 3, at=now + timedelta(days=1))  # tomorrow's is not current yet
    ConfidentialityText.objects.create(version=2, body="Utkast")  # a draft never is
    _publish(ConfidentialityText, 3, at=now - timedelta(seconds=1))

    state = agreement_state(representative_id=person.pk)

    assert state.consent_text == texts.consent_text_current()
    assert state.consent_text.version == 2
    assert state.declaration == texts.confidentiality_text_current()
    assert state.declaration.version == 3
    assert (state.declaration.body, state.declaration.body_nn, state.declaration.body_en) == (
        "v3",
        "nn",
        "en",
    )


def test_a_signature_counts_for_the_version_signed_only(office_a):
    person = ActiveRepresentativeFactory(offices=[office_a])
    first = ConfidentialityTextFactory()
    ConfidentialitySigned.objects.create(
        representative=person, text=first, signed_at=timezone.now(), via="seat_link"
    )
    assert agreement_state(representative_id=person.pk).declaration_signed

    _publish(ConfidentialityText, first.version + 1, at=timezone.now())

    assert not agreement_state(representative_id=person.pk).declaration_signed


def test_consent_to_an_older_text_asks_for_the_new_one_and_withdrawn_consent_asks_nothing(
    office_a,
):
    person = ActiveRepresentativeFactory(offices=[office_a])
    old = ConsentTextFactory()
    given = ConsentGiven.objects.create(
        representative=person, text=old, given_at=timezone.now(), via="consent_link"
    )
    assert agreement_state(representative_id=person.pk).consent_update is None

    _publish(ConsentText, old.version + 1, at=timezone.now())
    new = texts.consent_text_current()

    assert agreement_state(representative_id=person.pk).consent_update == new
    assert consent_update_needed(representative=person) == new

    given.withdrawn_at = timezone.now()
    given.save()

    assert agreement_state(representative_id=person.pk).consent_update is None
    assert consent_update_needed(representative=person) is None
