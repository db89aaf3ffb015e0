"""The representative's own language (issue 19, point 2): chosen on their consent page, my page
or seat page, it decides their pages and what they agree to."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.enums import AuditAction
from audit.models import AuditEvent
from panels import links, texts
from panels.enums import Language
from panels.models import ConfidentialitySigned, ConfidentialityText, ConsentGiven, Representative
from tests.factories import BackgroundFactory
from tests.factories.links import ConfidentialityTextFactory, consent_path, invited_seat

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


def _chose(representative: Representative, language: str) -> None:
    Representative.objects.filter(pk=representative.pk).update(language=language)


def test_a_representative_who_chose_nynorsk_reads_the_consent_page_in_nynorsk(client, newcomer):
    BackgroundFactory(slug="aap", name="Arbeidsavklaringspenger", name_nn="Arbeidsavklaringspengar")
    _chose(newcomer, Language.NN)

    page = client.get(consent_path(newcomer), headers=EN)

    assert '<html lang="nn"' in page.text
    assert "Vil du vere brukarrepresentant?" in page.text
    assert "Ja, eg samtykkjer" in page.text
    assert "Kva vi lagrar om deg" in page.text
    assert "Arbeidsavklaringspengar" in page.text
    assert "Hva vi lagrer om deg" not in page.text
    assert page.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nn"


def test_consent_given_on_the_nynorsk_page_records_nn(client, newcomer):
    _chose(newcomer, Language.NN)
    text = texts.consent_text_current()

    client.post(consent_path(newcomer), {"consent_text": text.pk, "agree": "on"})

    assert ConsentGiven.objects.get(representative=newcomer).language == "nn"


def test_consent_to_a_version_without_nynorsk_records_the_bokmal_that_was_read(client, newcomer):
    _chose(newcomer, Language.NN)
    text = texts.consent_text_current()
    type(text).objects.filter(pk=text.pk).update(body_nn="")

    page = client.get(consent_path(newcomer))
    client.post(consent_path(newcomer), {"consent_text": text.pk, "agree": "on"})

    assert text.body.splitlines()[0][2:] in page.text
    assert ConsentGiven.objects.get(representative=newcomer).language == "nb"


def test_choosing_nynorsk_on_the_consent_page_saves_it_and_shows_the_page_in_nynorsk(
    client, newcomer
):
    page = consent_path(newcomer)

    response = client.post(
        consent_path(newcomer, "language"), {"language": "nn", "next": page}, headers=EN
    )
    again = client.get(page)

    assert response.status_code == 302 and response["Location"] == page
    newcomer.refresh_from_db()
    assert newcomer.language == Language.NN
    assert '<html lang="nn"' in again.text
    assert 'id="language-nn" checked' in again.text
    event = AuditEvent.objects.get(action=AuditAction.REPRESENTATIVE_CHANGED)
    assert event.detail == {"fields": ["language"]}


def test_choosing_the_language_already_chosen_writes_nothing(client, newcomer):
    client.post(consent_path(newcomer, "language"), {"language": "nb"})

    assert not AuditEvent.objects.filter(action=AuditAction.REPRESENTATIVE_CHANGED).exists()


def test_the_language_choice_goes_back_only_to_this_site(client, newcomer):
    # One link, as in the email: a second consent_path() signs another token once a second
    # has passed, and the page goes back to the link it was opened by.
    token = links.representative_token(newcomer.pk)
    response = client.post(
        reverse("consent_link_language", args=[token]),
        {"language": "en", "next": "https://evil.example/"},
    )

    assert response["Location"] == reverse("consent_link", args=[token])


def test_an_unknown_language_is_not_saved(client, newcomer):
    client.post(consent_path(newcomer, "language"), {"language": "sv"})

    newcomer.refresh_from_db()
    assert newcomer.language == Language.NB


def test_choosing_on_my_page_changes_my_page_and_the_header_offers_the_other_two(client, office_a):
    seat = invited_seat(office=office_a)
    person = seat.representative
    my_page = reverse("my_page", args=[links.my_page_token(person.pk)])

    client.post(
        reverse("my_page_language", args=[links.my_page_token(person.pk)]), {"language": "nn"}
    )
    page = client.get(my_page)

    person.refresh_from_db()
    assert person.language == Language.NN
    assert '<html lang="nn"' in page.text
    assert "Komande intervjupanel" in page.text
    header = page.text.split('class="language-switcher"')[1].split("</form>")[0]
    assert 'lang="nb"' in header and "Norsk bokmål" in header
    assert 'lang="en"' in header and "English" in header
    assert "Norsk nynorsk" not in header
    action = reverse("my_page_language", args=[links.my_page_token(person.pk)])
    assert f'action="{action}" class="language-switcher"' in page.text


def test_the_seat_page_switcher_saves_the_choice_and_the_declaration_is_signed_in_nynorsk(
    client, office_a
):
    seat = invited_seat(office=office_a)
    token = links.seat_token(seat.pk)

    client.post(reverse("seat_link_language", args=[token]), {"language": "nn"})
    page = client.get(reverse("seat_link", args=[token]))
    client.post(
        reverse("seat_link_accept", args=[token]),
        {"declaration": ConfidentialityTextFactory().pk, "sign_declaration": "on"},
    )

    assert '<html lang="nn"' in page.text
    assert "Eg lovar at" in page.text
    assert "Ja, eg kjem" in page.text
    signed = ConfidentialitySigned.objects.get(representative=seat.representative)
    assert signed.language == "nn"


def test_a_text_is_published_only_with_its_nynorsk_and_english_versions():
    text = ConfidentialityText(
        version=99, body="Bokmål", body_en="English", published_at=timezone.now()
    )

    with pytest.raises(ValidationError) as refused:
        text.full_clean()

    assert list(refused.value.message_dict) == ["body_nn"]
