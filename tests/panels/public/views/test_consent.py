"""The consent page behind the link in a consent request: give, correct, renew or decline."""

import re
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation

from audit.enums import AuditAction
from audit.models import AuditEvent
from outbox.models import OutboxMessage
from panels import jobs, links, texts
from panels.enums import Language, RepresentativeStatus
from panels.models import (
    ConsentGiven,
    ConsentText,
    LinkVia,
    Representative,
)
from panels.pool import consent
from tests.factories import BackgroundFactory
from tests.factories.links import (
    consent_path,
    consented_months_ago,
    database_snapshot,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("chose_english")]

EN = {"accept-language": "en"}


# The consent page -------------------------------------------------------------------------------


def test_consent_page_shows_the_text_in_full_and_what_is_stored(client, newcomer):
    text = texts.consent_text_current()

    response = client.get(consent_path(newcomer), headers=EN)

    assert response.status_code == 200
    for block in texts.text_blocks(text.body_en):
        assert (block.text or block.items[0]).replace("'", "&#x27;") in response.text
    for stored in ("Kari Nordmann", "kari@example.no", "912 34 567", "1961", "FFO"):
        assert stored in response.text
    assert "Nils Kontakt" in response.text


def test_consent_page_shows_the_persons_backgrounds_ticked(client, newcomer):
    BackgroundFactory(slug="aap", name_en="Work assessment allowance (AAP)")

    response = client.get(consent_path(newcomer), headers=EN)

    senior = response.text.split("Senior (55+)")[0].rsplit("<input", 1)[1]
    aap = response.text.split("Work assessment allowance (AAP)")[0].rsplit("<input", 1)[1]
    assert " checked" in senior
    assert " checked" not in aap


def test_opening_the_consent_link_changes_nothing(client, newcomer, leader_a):
    client.force_login(leader_a)
    before = database_snapshot()

    client.get(consent_path(newcomer))

    assert database_snapshot() == before


def test_consent_records_version_time_and_link_and_makes_the_person_active(client, newcomer):
    aap = BackgroundFactory(slug="aap")
    text = texts.consent_text_current()

    response = client.post(
        consent_path(newcomer), {"consent_text": text.pk, "backgrounds": [aap.pk], "agree": "on"}
    )

    assert response.status_code == 302
    assert response["Location"].endswith("?done=given#status")
    newcomer.refresh_from_db()
    assert newcomer.status == RepresentativeStatus.ACTIVE
    assert list(newcomer.backgrounds.values_list("slug", flat=True)) == ["aap"]
    given = ConsentGiven.objects.get(representative=newcomer)
    assert (given.text, given.via, given.withdrawn_at) == (text, LinkVia.CONSENT_LINK, None)
    assert timezone.now() - given.given_at < timedelta(minutes=1)


def test_consent_without_ticking_agree_shows_the_error_and_writes_nothing(client, newcomer):
    before = database_snapshot()

    response = client.post(
        consent_path(newcomer),
        {"consent_text": texts.consent_text_current().pk, "backgrounds": []},
        headers=EN,
    )

    assert response.status_code == 200
    assert "Tick the box to give your consent." in response.text
    assert database_snapshot() == before


def test_consent_given_twice_is_recorded_once(client, newcomer):
    answer = {"consent_text": texts.consent_text_current().pk, "agree": "on"}
    client.post(consent_path(newcomer), answer)

    client.post(consent_path(newcomer), answer)

    assert ConsentGiven.objects.filter(representative=newcomer).count() == 1


def test_after_consent_the_page_lets_the_person_correct_backgrounds(client, newcomer):
    text = texts.consent_text_current()
    client.post(consent_path(newcomer), {"consent_text": text.pk, "agree": "on"})

    page = client.get(consent_path(newcomer), headers=EN)
    client.post(consent_path(newcomer), {"consent_text": text.pk, "backgrounds": []})

    assert "You gave your consent on" in page.text
    assert 'name="agree"' not in page.text
    assert "No thanks" not in page.text
    assert not newcomer.backgrounds.exists()
    assert ConsentGiven.objects.filter(representative=newcomer).count() == 1


def test_consent_to_a_text_replaced_meanwhile_is_refused_and_nothing_written(client, newcomer):
    shown = texts.consent_text_current()
    ConsentText.objects.create(
        version=2, body="Ny", body_en="New consent words", published_at=timezone.now()
    )

    response = client.post(
        consent_path(newcomer), {"consent_text": shown.pk, "agree": "on"}, headers=EN
    )

    assert response.status_code == 200
    assert "The text about consent has changed" in response.text
    assert "New consent words" in response.text
    assert not ConsentGiven.objects.exists()
    assert Representative.objects.get(pk=newcomer.pk).status == (
        RepresentativeStatus.AWAITING_CONSENT
    )


def test_no_thanks_erases_the_person_and_the_link_then_leads_nowhere(client, newcomer):
    path = consent_path(newcomer, "decline")

    response = client.post(path)
    afterwards = client.get(consent_path(newcomer), headers=EN)

    assert response.status_code == 302
    assert response["Location"] == reverse("consent_deleted")
    assert not Representative.objects.filter(pk=newcomer.pk).exists()
    assert afterwards.status_code == 404
    assert client.get(reverse("consent_deleted")).status_code == 200


def test_no_thanks_is_refused_for_someone_who_has_consented(client, newcomer):
    client.post(
        consent_path(newcomer),
        {"consent_text": texts.consent_text_current().pk, "agree": "on"},
    )

    client.post(consent_path(newcomer, "decline"))

    assert Representative.objects.filter(pk=newcomer.pk).exists()


def test_a_tampered_consent_link_is_friendly_norwegian_and_404(client, newcomer):
    token = links.representative_token(newcomer.pk)

    response = client.get(reverse("consent_link", args=["x" + token]))

    assert response.status_code == 404
    assert '<html lang="nb"' in response.text
    with translation.override("nb"):
        assert translation.gettext("The link is not valid") in response.text


def old_token(representative_id: int, days: int) -> str:
    """A genuine representative token issued ``days`` ago."""

    class OldSigner(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - days * 24 * 3600)

    return OldSigner(salt=links.REPRESENTATIVE_SALT).sign_object(representative_id, compress=True)


def test_a_consent_link_older_than_30_days_has_expired_and_names_the_office(client, newcomer):
    response = client.get(reverse("consent_link", args=[old_token(newcomer.pk, 31)]), headers=EN)

    assert response.status_code == 410
    assert "This link has expired" in response.text
    assert "Nils Kontakt" in response.text and "75 12 34 56" in response.text


def test_an_expired_link_cannot_give_consent(client, newcomer):
    response = client.post(
        reverse("consent_link", args=[old_token(newcomer.pk, 31)]),
        {"consent_text": texts.consent_text_current().pk, "agree": "on"},
    )

    assert response.status_code == 410
    assert not ConsentGiven.objects.exists()


def test_a_consent_link_29_days_old_still_works(client, newcomer):
    response = client.get(reverse("consent_link", args=[old_token(newcomer.pk, 29)]))

    assert response.status_code == 200


def test_a_consent_link_works_while_staff_is_signed_in(client, newcomer, hr):
    client.force_login(hr)

    client.post(
        consent_path(newcomer),
        {"consent_text": texts.consent_text_current().pk, "agree": "on"},
    )

    assert Representative.objects.get(pk=newcomer.pk).status == RepresentativeStatus.ACTIVE


# Renewing a consent to the same text -----------------------------------------------------------


@pytest.fixture
def due_for_renewal(office_a):
    """Consent given 25 months ago, and the office asks again after 24 (the default)."""
    return consented_months_ago(office_a, 25)


def _renew(client, representative: Representative):
    return client.post(
        consent_path(representative),
        {
            "consent_text": texts.consent_text_current().pk,
            "backgrounds": list(representative.backgrounds.values_list("pk", flat=True)),
            "agree": "on",
        },
    )


def _consents(representative: Representative) -> list[dict]:
    return list(ConsentGiven.objects.filter(representative=representative).order_by("pk").values())


def test_a_consent_older_than_the_office_requires_is_offered_for_renewal(client, due_for_renewal):
    page = client.get(consent_path(due_for_renewal), headers=EN)
    Representative.objects.filter(pk=due_for_renewal.pk).update(language=Language.NB)
    norwegian = client.get(consent_path(due_for_renewal))

    assert "it is now up for renewal" in page.text
    assert 'name="agree"' in page.text
    assert "Give your consent again" in page.text
    assert "nå er det tid for å fornye det" in norwegian.text
    assert "Gi samtykke på nytt</span></button>" in norwegian.text


def test_a_consent_within_the_period_is_not_offered_for_renewal(client, office_a):
    recent = consented_months_ago(office_a, 23)

    page = client.get(consent_path(recent), headers=EN)

    assert consent.consent_renewal_due(representative=recent) is None
    assert "up for renewal" not in page.text
    assert 'name="agree"' not in page.text


def test_opening_the_link_of_a_consent_up_for_renewal_changes_nothing(client, due_for_renewal):
    before = (database_snapshot(), _consents(due_for_renewal))

    client.get(consent_path(due_for_renewal))

    assert (database_snapshot(), _consents(due_for_renewal)) == before


def test_giving_consent_again_records_a_new_consent_of_the_same_version(client, due_for_renewal):
    [old] = _consents(due_for_renewal)
    backgrounds = set(due_for_renewal.backgrounds.values_list("pk", flat=True))

    response = _renew(client, due_for_renewal)

    assert response.status_code == 302
    assert response["Location"].endswith("?done=renewed#status")
    first, renewal = ConsentGiven.objects.filter(representative=due_for_renewal).order_by("pk")
    assert first.pk == old["id"] and first.given_at == old["given_at"]
    assert timezone.now() - first.renewed_at < timedelta(minutes=1)
    assert renewal.text_id == first.text_id
    assert (renewal.withdrawn_at, renewal.renewed_at) == (None, None)
    assert renewal.given_at == first.renewed_at
    assert consent.consent_standing(representative=due_for_renewal, text=renewal.text) == renewal
    assert consent.consent_renewal_due(representative=due_for_renewal) is None
    assert set(due_for_renewal.backgrounds.values_list("pk", flat=True)) == backgrounds != set()


def test_giving_consent_again_is_audited_as_a_renewal(client, due_for_renewal, office_a):
    _renew(client, due_for_renewal)

    event = AuditEvent.objects.get(action=AuditAction.CONSENT_GIVEN)
    assert (event.object_id, event.office_id) == (due_for_renewal.pk, office_a.pk)
    assert event.detail["renewal"] is True
    assert event.detail["text_version"] == 1


def test_the_page_thanks_for_the_renewal_and_offers_no_second_one(client, due_for_renewal):
    _renew(client, due_for_renewal)

    page = client.get(f"{consent_path(due_for_renewal)}?done=renewed", headers=EN)

    assert "You have given your consent again" in page.text
    assert 'name="agree"' not in page.text


def test_pressing_give_consent_again_twice_records_one_renewal(client, due_for_renewal):
    _renew(client, due_for_renewal)
    after_first = _consents(due_for_renewal)

    second = _renew(client, due_for_renewal)

    assert second.status_code == 302
    assert _consents(due_for_renewal) == after_first
    assert len(after_first) == 2
    assert AuditEvent.objects.filter(action=AuditAction.CONSENT_GIVEN).count() == 1
    assert not OutboxMessage.objects.filter(representative_id=due_for_renewal.pk).exists()


def test_renewing_without_ticking_agree_writes_nothing(client, due_for_renewal):
    before = _consents(due_for_renewal)

    response = client.post(
        consent_path(due_for_renewal),
        {"consent_text": texts.consent_text_current().pk, "backgrounds": []},
        headers=EN,
    )

    assert response.status_code == 200
    assert "Tick the box to give your consent." in response.text
    assert _consents(due_for_renewal) == before


def test_a_renewal_page_offers_withdrawal_as_the_renewal_email_says(client, due_for_renewal):
    assert jobs.consent_renewals_send(now=timezone.now()) == 1
    email = OutboxMessage.objects.get(kind="consent_renewal").body_text
    link = re.search(r"https?://\S+?(/r/samtykke/\S+/)", email).group(1)
    page = client.get(link, headers=EN)
    before = (database_snapshot(), _consents(due_for_renewal))
    confirm = client.get(link + "?confirm=withdraw", headers=EN)

    assert "eller trekke det tilbake" in email or "or withdraw it" in email
    assert "Withdraw my consent and delete my data…" in page.text
    assert "Are you sure?" in confirm.text
    assert f"{link}trekk/" in confirm.text  # the emailed link's own token, not a new one
    assert (database_snapshot(), _consents(due_for_renewal)) == before


def test_withdrawing_on_the_consent_page_erases_the_person_as_on_my_page(client, due_for_renewal):
    response = client.post(consent_path(due_for_renewal, "withdraw"))

    assert response.status_code == 302
    assert response["Location"] == reverse("consent_withdrawn")
    assert not Representative.objects.filter(pk=due_for_renewal.pk).exists()
    event = AuditEvent.objects.get(
        object_id=due_for_renewal.pk, action=AuditAction.REPRESENTATIVE_ERASED
    )
    assert event.detail["reason"] == "withdrawn"
    assert OutboxMessage.objects.filter(kind="erased_confirmation").count() == 1


def test_someone_who_has_not_consented_cannot_withdraw_but_can_say_no_thanks(client, newcomer):
    before = database_snapshot()
    token = links.representative_token(newcomer.pk)  # one link: see consent_path

    response = client.post(reverse("consent_link_withdraw", args=[token]))
    page = client.get(reverse("consent_link", args=[token]), headers=EN)

    assert response["Location"] == reverse("consent_link", args=[token])
    assert database_snapshot() == before
    assert "No thanks, delete my details" in page.text
    assert "Withdraw my consent and delete my data" not in page.text
