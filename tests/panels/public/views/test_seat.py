"""The seat page behind the signed link in an invitation: it shows, and only a button changes.

A representative never signs in: the signed token is the only key, so a staff user signed in in
the same browser neither helps nor hinders, and a token reaches one seat only.
"""

import re
import time
from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import escape

from interviews.enums import InterviewStatus
from interviews.models import Interview
from navpanel.cache_versions import data_version_bump
from outbox.models import OutboxMessage
from panels import links, services, texts
from panels.enums import Language, PanelStatus, SeatStatus
from panels.erasure import representative_erase
from panels.models import (
    ConfidentialitySigned,
    ConfidentialityText,
    ConflictOfInterest,
    ConsentText,
    LinkVia,
    Representative,
    Seat,
    SeatTransition,
)
from tests.factories import BackgroundFactory
from tests.factories.links import (
    ActiveRepresentativeFactory,
    ConfidentialityTextFactory,
    LinkRoundFactory,
    database_snapshot,
    invited_seat,
    local,
)
from tests.factories.panels import PoolRepresentativeFactory, SeatFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("chose_english")]

EN = {"accept-language": "en"}


def seat_path(seat: Seat, action: str = "") -> str:
    name = f"seat_link_{action}" if action else "seat_link"
    return reverse(name, args=[links.seat_token(seat.pk)])


@pytest.fixture
def office_contact(office_a):
    office_a.contact_name = "Nils Kontakt"
    office_a.contact_phone = "75 12 34 56"
    office_a.email = "nav.rana@nav.no"
    office_a.save()
    return office_a


# Opening a link changes nothing -------------------------------------------------------------------


@pytest.mark.parametrize("status", [SeatStatus.INVITED, SeatStatus.ACCEPTED])
def test_opening_the_seat_link_changes_nothing_in_the_database(client, office_a, status):
    seat = invited_seat(office=office_a, signed=True)
    if status == SeatStatus.ACCEPTED:
        services.seat_transition(seat=seat, to=SeatStatus.ACCEPTED, actor="representative")
    before = database_snapshot()

    response = client.get(seat_path(seat), headers=EN)

    assert response.status_code == 200
    assert database_snapshot() == before


def test_opening_bad_and_expired_links_changes_nothing_in_the_database(client, office_a):
    seat = invited_seat(office=office_a)
    seat.answer_by = timezone.now() - timedelta(hours=1)
    seat.save(update_fields=["answer_by"])
    before = database_snapshot()

    client.get(seat_path(seat))
    client.get(reverse("seat_link", args=["tull:og:tøys"]))

    assert database_snapshot() == before


def test_opening_the_seat_link_while_staff_is_signed_in_changes_nothing(client, office_a, leader_a):
    seat = invited_seat(office=office_a)
    client.force_login(leader_a)
    before = database_snapshot()

    response = client.get(seat_path(seat), headers=EN)

    assert response.status_code == 200
    assert database_snapshot() == before


# What the page says ------------------------------------------------------------------------------


def test_seat_page_shows_when_where_who_and_what_is_expected(client, office_contact):
    seat = invited_seat(
        office=office_contact,
        candidates=("Siri Søker", "Petter Søker"),
        video_url="https://video.nav.no/rom/123",
    )

    response = client.get(seat_path(seat), headers=EN)

    text = response.text
    assert response.status_code == 200
    assert "Veileder, Team Ung" in text
    with translation.override("en"):
        starts = timezone.localtime(seat.panel.starts_at)
        day = f"{formats.date_format(starts, 'l')} {formats.date_format(starts, 'DATE_FORMAT')}"
    assert day in text
    assert "09:00–11:00" in text  # Europe/Oslo, whatever the server's clock says
    assert "2 hours" in text
    assert "Møterom Saltfjellet" in text
    assert "https://video.nav.no/rom/123" in text
    assert "Kari (Leder)" in text and "Tor (Tillitsvalgt)" in text
    assert "Kari Leder" not in text and "Tor Tillitsvalgt" not in text
    assert "Stillingen er i et team som følger opp unge under 30." in text
    assert "for some benefits it counts as income" in text
    assert "Nils Kontakt" in text and "75 12 34 56" in text and "nav.rana@nav.no" in text
    assert "Yes, I'll come" in text and "No, not this time" in text


def test_seat_page_shows_each_video_link_once_and_none_of_a_cancelled_interview(client, office_a):
    seat = invited_seat(
        office=office_a,
        candidates=("Siri Søker", "Petter Søker", "Ola Søker"),
        video_url="https://video.nav.no/rom/felles",
    )
    cancelled = seat.panel.interviews.order_by("starts_at").last()
    cancelled.video_url = "https://video.nav.no/rom/avlyst"
    cancelled.status = InterviewStatus.CANCELLED
    cancelled.save()

    text = client.get(seat_path(seat), headers=EN).text

    assert text.count("https://video.nav.no/rom/felles") == 1
    assert "https://video.nav.no/rom/avlyst" not in text
    assert "Join the video meeting 2" not in text
    assert text.index("Kari (Leder)") < text.index("Tor (Tillitsvalgt)")


def test_seat_page_shows_the_declaration_in_full_until_it_is_signed(client, office_a):
    seat = invited_seat(office=office_a)
    declaration = ConfidentialityTextFactory()

    response = client.get(seat_path(seat), headers=EN)

    for block in texts.text_blocks(declaration.body_en):
        assert escape(block.text or block.items[0]) in response.text
    assert 'name="sign_declaration"' in response.text


def test_seat_page_does_not_ask_again_for_a_signed_declaration(client, office_a):
    seat = invited_seat(office=office_a, signed=True)

    response = client.get(seat_path(seat), headers=EN)

    assert 'name="sign_declaration"' not in response.text
    assert "Yes, I'll come" in response.text


def test_candidate_names_are_not_shown_before_the_seat_is_accepted(client, office_a):
    seat = invited_seat(office=office_a, signed=True, candidates=("Siri Søker",))

    response = client.get(seat_path(seat), headers=EN)

    assert "Siri Søker" not in response.text


def test_pages_are_never_cached_indexed_or_sent_to_other_sites_as_referrer(client, office_a):
    seat = invited_seat(office=office_a)

    response = client.get(seat_path(seat))

    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    assert "noindex" in response["X-Robots-Tag"]


# Bad and expired links --------------------------------------------------------------------------


def test_a_tampered_seat_link_gives_a_friendly_norwegian_page_with_404(client, office_a):
    seat = invited_seat(office=office_a)
    token = links.seat_token(seat.pk)

    response = client.get(reverse("seat_link", args=[token[:-2] + "xx"]))

    assert response.status_code == 404
    assert '<html lang="nb"' in response.text
    with translation.override("nb"):
        assert translation.gettext("The link is not valid") in response.text
        assert translation.gettext("Skip to main content") in response.text
    assert "55 55 33 33" in response.text
    assert "Traceback" not in response.text


def test_a_tampered_link_is_shown_in_english_to_an_english_browser(client):
    response = client.get(reverse("seat_link", args=["not-a-token"]), headers=EN)

    assert response.status_code == 404
    assert '<html lang="en"' in response.text
    assert "The link is not valid" in response.text


def test_a_seat_link_for_a_seat_that_no_longer_exists_is_not_valid(client, office_a):
    seat = invited_seat(office=office_a)
    path = seat_path(seat)
    seat.delete()

    response = client.get(path, headers=EN)

    assert response.status_code == 404
    assert "The link is not valid" in response.text


def test_a_tampered_link_on_a_button_changes_nothing(client, office_a):
    seat = invited_seat(office=office_a, signed=True)
    token = links.seat_token(seat.pk)

    response = client.post(reverse("seat_link_accept", args=[token + "x"]), {"declaration": 1})

    assert response.status_code == 404
    seat.refresh_from_db()
    assert seat.status == SeatStatus.INVITED


def test_after_the_answer_deadline_the_page_shows_the_status_and_whom_to_ask(
    client, office_contact
):
    seat = invited_seat(office=office_contact, signed=True)
    Seat.objects.filter(pk=seat.pk).update(answer_by=timezone.now() - timedelta(minutes=1))

    response = client.get(seat_path(seat), headers=EN)

    assert response.status_code == 200
    assert "The deadline to answer has passed" in response.text
    assert "Nils Kontakt" in response.text and "75 12 34 56" in response.text
    assert "Yes, I'll come" not in response.text
    assert "No, not this time" not in response.text


def test_after_the_answer_deadline_a_yes_changes_nothing(client, office_a):
    seat = invited_seat(office=office_a, signed=True)
    Seat.objects.filter(pk=seat.pk).update(answer_by=timezone.now() - timedelta(minutes=1))

    response = client.post(
        seat_path(seat, "accept"), {"declaration": ConfidentialityTextFactory().pk}
    )

    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.status == SeatStatus.INVITED
    assert not seat.transitions.filter(to_status=SeatStatus.ACCEPTED).exists()


# One seat only -----------------------------------------------------------------------------------


def test_a_token_for_one_seat_cannot_be_edited_into_another_seat(client, office_a):
    seat_a = invited_seat(office=office_a)
    seat_b = invited_seat(office=office_a)
    payload_b = links.seat_token(seat_b.pk).rsplit(":", 2)[0]
    stamp_and_signature_a = links.seat_token(seat_a.pk).split(":", 1)[1]

    response = client.post(
        reverse("seat_link_decline", args=[f"{payload_b}:{stamp_and_signature_a}"]),
        {"reason": "Nei"},
    )

    assert response.status_code == 404
    seat_b.refresh_from_db()
    assert seat_b.status == SeatStatus.INVITED


def test_answering_seat_a_never_touches_seat_b_of_the_same_person(client, office_a):
    representative = ActiveRepresentativeFactory(offices=[office_a])
    seat_a = invited_seat(office=office_a, representative=representative, days=10, signed=True)
    seat_b = invited_seat(office=office_a, representative=representative, days=20)
    b_before = Seat.objects.filter(pk=seat_b.pk).values().get()

    client.post(seat_path(seat_a, "decline"), {"reason": "Passer ikke"})

    assert Seat.objects.get(pk=seat_a.pk).status == SeatStatus.DECLINED
    assert Seat.objects.filter(pk=seat_b.pk).values().get() == b_before


def test_a_conflict_for_a_candidate_of_another_panel_is_refused(client, office_a):
    seat_a = invited_seat(office=office_a, signed=True, candidates=("Anne A",))
    seat_b = invited_seat(office=office_a, candidates=("Berit B",))
    services.seat_transition(seat=seat_a, to=SeatStatus.ACCEPTED, actor="representative")
    candidate_b = seat_b.panel.interviews.get().candidate

    response = client.post(seat_path(seat_a, "conflict"), {"candidate": candidate_b.pk})

    assert response.status_code == 404
    assert not ConflictOfInterest.objects.exists()


def test_a_seat_link_does_not_open_the_consent_page(client, office_a):
    seat = invited_seat(office=office_a)

    response = client.get(reverse("consent_link", args=[links.seat_token(seat.pk)]))

    assert response.status_code == 404


# Links survive changes and signed-in staff --------------------------------------------------------


def test_a_link_still_works_after_the_interview_is_moved(client, office_a):
    seat = invited_seat(office=office_a, signed=True)
    path = seat_path(seat)
    interview = seat.panel.interviews.get()

    services.interview_move(
        interview=interview, starts_at=local(15, 13), ends_at=local(15, 14), by=None
    )
    response = client.get(path, headers=EN)
    client.post(
        reverse("seat_link_accept", args=[path.split("/")[-2]]),
        {"declaration": ConfidentialityTextFactory().pk},
    )

    assert response.status_code == 200
    assert "13:00–14:00" in response.text
    seat.refresh_from_db()
    assert seat.status == SeatStatus.ACCEPTED
    assert Interview.objects.get(pk=interview.pk).starts_at == local(15, 13)


def test_a_link_works_while_a_leader_of_another_office_is_signed_in(client, office_a, leader_b):
    seat = invited_seat(office=office_a, signed=True)
    client.force_login(leader_b)

    page = client.get(seat_path(seat), headers=EN)
    answer = client.post(
        seat_path(seat, "accept"), {"declaration": ConfidentialityTextFactory().pk}
    )

    assert page.status_code == 200
    assert answer.status_code == 302
    seat.refresh_from_db()
    assert seat.status == SeatStatus.ACCEPTED
    assert seat.transitions.last().by is None
    assert seat.transitions.last().actor == "representative"


def test_a_link_works_while_hr_is_signed_in(client, office_a, hr):
    seat = invited_seat(office=office_a)
    client.force_login(hr)

    response = client.post(seat_path(seat, "decline"), {"reason": ""})

    assert response.status_code == 302
    assert Seat.objects.get(pk=seat.pk).status == SeatStatus.DECLINED


# Yes --------------------------------------------------------------------------------------------


def test_yes_signs_the_declaration_takes_the_snapshot_and_accepts_in_one_go(client, office_a):
    mental_health = BackgroundFactory(slug="mental_health")
    representative = ActiveRepresentativeFactory(offices=[office_a])
    representative.backgrounds.set([mental_health])
    seat = invited_seat(office=office_a, representative=representative)
    declaration = ConfidentialityTextFactory()

    response = client.post(
        seat_path(seat, "accept"),
        {
            "declaration": declaration.pk,
            "sign_declaration": "on",
            "support_needs": "  Trinnfri adkomst  ",
        },
    )

    assert response.status_code == 302
    # Back to the seat's own page (the token is signed anew, so compare the seat it names).
    _, r, page, token, _ = response["Location"].split("/")
    assert (r, page) == ("r", "plass")
    assert signing.loads(token, salt=links.SEAT_SALT) == seat.pk
    seat.refresh_from_db()
    assert seat.status == SeatStatus.ACCEPTED
    assert seat.backgrounds_snapshot == ["mental_health"]
    signature = ConfidentialitySigned.objects.get(representative=representative)
    assert (signature.text, signature.via) == (declaration, LinkVia.SEAT_LINK)
    transition = seat.transitions.last()
    assert (transition.from_status, transition.to_status, transition.actor) == (
        SeatStatus.INVITED,
        SeatStatus.ACCEPTED,
        "representative",
    )
    representative.refresh_from_db()
    assert representative.support_needs == "Trinnfri adkomst"


def test_yes_without_ticking_the_declaration_shows_the_error_and_writes_nothing(client, office_a):
    seat = invited_seat(office=office_a)
    before = database_snapshot()

    response = client.post(
        seat_path(seat, "accept"),
        {"declaration": ConfidentialityTextFactory().pk, "support_needs": "Tolk"},
        headers=EN,
    )

    assert response.status_code == 200
    assert "Tick the box to sign the confidentiality declaration." in response.text
    assert 'aria-invalid="true"' in response.text
    assert database_snapshot() == before


def test_yes_after_a_new_declaration_was_published_asks_to_read_it_again(client, office_a):
    seat = invited_seat(office=office_a)
    shown = ConfidentialityTextFactory()
    ConfidentialityText.objects.create(
        version=2, body="Ny tekst", body_en="New words", published_at=timezone.now()
    )

    response = client.post(
        seat_path(seat, "accept"),
        {"declaration": shown.pk, "sign_declaration": "on"},
        headers=EN,
    )

    assert response.status_code == 200
    assert "The confidentiality declaration has changed" in response.text
    assert "New words" in response.text
    assert not ConfidentialitySigned.objects.exists()
    assert Seat.objects.get(pk=seat.pk).status == SeatStatus.INVITED


def test_a_second_yes_changes_nothing_and_queues_nothing(client, office_a):
    seat = invited_seat(office=office_a)
    answer = {"declaration": ConfidentialityTextFactory().pk, "sign_declaration": "on"}
    client.post(seat_path(seat, "accept"), answer)
    before = database_snapshot()
    emails = OutboxMessage.objects.count()

    response = client.post(seat_path(seat, "accept"), answer)

    assert response.status_code == 302
    assert OutboxMessage.objects.count() == emails
    assert database_snapshot() == before
    assert SeatTransition.objects.filter(seat=seat, to_status=SeatStatus.ACCEPTED).count() == 1


def test_after_yes_the_page_says_so_and_lists_the_candidates(client, office_a):
    seat = invited_seat(office=office_a, signed=True, candidates=("Siri Søker", "Petter Søker"))
    client.post(seat_path(seat, "accept"), {"declaration": ConfidentialityTextFactory().pk})

    response = client.get(seat_path(seat), headers=EN)

    assert "You have said yes" in response.text
    assert "Yes, I'll come" not in response.text
    assert "Siri Søker" in response.text and "Petter Søker" in response.text
    assert response.text.count("I know this person:") == 2


def test_candidates_are_hidden_until_a_newly_published_declaration_is_signed(client, office_a):
    seat = invited_seat(office=office_a, signed=True, candidates=("Siri Søker",))
    services.seat_transition(seat=seat, to=SeatStatus.ACCEPTED, actor="representative")
    new = ConfidentialityText.objects.create(
        version=2, body="Ny", body_en="New declaration words", published_at=timezone.now()
    )

    hidden = client.get(seat_path(seat), headers=EN)
    client.post(seat_path(seat, "sign"), {"declaration": new.pk, "sign_declaration": "on"})
    shown = client.get(seat_path(seat), headers=EN)

    assert "Siri Søker" not in hidden.text and "New declaration words" in hidden.text
    assert "Siri Søker" in shown.text
    assert ConfidentialitySigned.objects.filter(text=new).count() == 1


# No ---------------------------------------------------------------------------------------------


def test_no_with_a_reason_records_the_reason_on_the_seat_and_its_history(client, office_a):
    seat = invited_seat(office=office_a)

    response = client.post(seat_path(seat, "decline"), {"reason": " Jeg er bortreist. "})

    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.status == SeatStatus.DECLINED
    assert seat.decline_reason == "Jeg er bortreist."
    transition = seat.transitions.last()
    assert (transition.to_status, transition.actor, transition.note) == (
        SeatStatus.DECLINED,
        "representative",
        "Jeg er bortreist.",
    )


def test_no_without_a_reason_is_fine(client, office_a):
    seat = invited_seat(office=office_a)

    client.post(seat_path(seat, "decline"), {"reason": ""})

    assert Seat.objects.get(pk=seat.pk).status == SeatStatus.DECLINED


def test_a_reason_that_is_too_long_is_shown_as_an_error_next_to_the_field(client, office_a):
    seat = invited_seat(office=office_a)

    response = client.post(seat_path(seat, "decline"), {"reason": "x" * 301}, headers=EN)

    assert response.status_code == 200
    assert "at most 300 characters" in response.text
    assert Seat.objects.get(pk=seat.pk).status == SeatStatus.INVITED


def test_a_second_no_changes_nothing_and_a_later_yes_is_refused(client, office_a):
    seat = invited_seat(office=office_a, signed=True)
    client.post(seat_path(seat, "decline"), {"reason": "Syk"})
    before = database_snapshot()

    client.post(seat_path(seat, "decline"), {"reason": "Syk igjen"})
    client.post(seat_path(seat, "accept"), {"declaration": ConfidentialityTextFactory().pk})

    assert database_snapshot() == before


def test_a_declined_seat_shows_its_status_and_no_buttons(client, office_a):
    seat = invited_seat(office=office_a)
    client.post(seat_path(seat, "decline"), {"reason": ""})

    response = client.get(seat_path(seat), headers=EN)

    assert "You have said no" in response.text
    assert "<button" not in response.text.split("<main", 1)[1]


def test_a_cancelled_panel_shows_its_status_and_no_buttons(client, office_a):
    seat = invited_seat(office=office_a, signed=True)
    services.panel_cancel(panel=seat.panel, by=None)

    response = client.get(seat_path(seat), headers=EN)

    assert Seat.objects.get(pk=seat.pk).panel.status == PanelStatus.CANCELLED
    assert "has been cancelled" in response.text
    assert "<button" not in response.text.split("<main", 1)[1]


# Support needs and conflicts ---------------------------------------------------------------------


def test_an_accepted_representative_can_update_support_needs(client, office_a):
    seat = invited_seat(office=office_a, signed=True)
    services.seat_transition(seat=seat, to=SeatStatus.ACCEPTED, actor="representative")

    response = client.post(seat_path(seat, "support"), {"support_needs": "Pauser og stille rom"})

    assert response.status_code == 302
    assert response["Location"].endswith("?done=support#status")
    seat.representative.refresh_from_db()
    assert seat.representative.support_needs == "Pauser og stille rom"


@pytest.mark.parametrize("status", [SeatStatus.INVITED, SeatStatus.ACCEPTED])
def test_an_invalid_support_needs_form_shows_its_error_in_norwegian_and_keeps_the_text(
    client, office_a, status
):
    seat = invited_seat(office=office_a, signed=True)
    Representative.objects.filter(pk=seat.representative_id).update(language=Language.NB)
    if status == SeatStatus.ACCEPTED:
        services.seat_transition(seat=seat, to=status, actor="representative")
    typed = "Rullestol og tolk. " + "Jeg trenger pauser. " * 100

    response = client.post(seat_path(seat, "support"), {"support_needs": typed})

    assert response.status_code == 200
    assert "Sørg for at denne verdien har 2000 eller færre tegn" in response.text
    assert escape(typed) in response.text
    assert response.text.count('id="support_support_needs"') == 1
    assert response.text.count('id="id_support_needs"') <= 1
    seat.representative.refresh_from_db()
    assert seat.representative.support_needs == ""


def test_support_needs_cannot_be_changed_through_a_declined_seat(client, office_a):
    seat = invited_seat(office=office_a)
    client.post(seat_path(seat, "decline"), {"reason": ""})

    client.post(seat_path(seat, "support"), {"support_needs": "Tolk"})

    seat.representative.refresh_from_db()
    assert seat.representative.support_needs == ""


def test_i_know_this_person_records_a_conflict_once(client, office_a):
    seat = invited_seat(office=office_a, signed=True, candidates=("Siri Søker",))
    services.seat_transition(seat=seat, to=SeatStatus.ACCEPTED, actor="representative")
    candidate = seat.panel.interviews.get().candidate

    first = client.post(seat_path(seat, "conflict"), {"candidate": candidate.pk})
    second = client.post(seat_path(seat, "conflict"), {"candidate": candidate.pk})
    page = client.get(seat_path(seat), headers=EN)

    assert first.status_code == second.status_code == 302
    assert list(ConflictOfInterest.objects.values_list("representative", "candidate")) == [
        (seat.representative_id, candidate.pk)
    ]
    assert "You have told us you know this person." in page.text


def test_a_conflict_cannot_be_declared_before_the_seat_is_accepted(client, office_a):
    seat = invited_seat(office=office_a, signed=True)
    candidate = seat.panel.interviews.get().candidate

    client.post(seat_path(seat, "conflict"), {"candidate": candidate.pk})

    assert not ConflictOfInterest.objects.exists()


# Tokens as such ---------------------------------------------------------------------------------


def test_a_seat_token_carries_only_the_signed_id():
    token = links.seat_token(4242)

    assert signing.loads(token, salt=links.SEAT_SALT) == 4242
    assert "@" not in token


def test_a_seat_link_does_not_expire_by_age_only_by_the_seat_deadline(client, office_a):
    seat = invited_seat(office=office_a)

    class YearOldSigner(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - 365 * 24 * 3600)

    token = YearOldSigner(salt=links.SEAT_SALT).sign_object(seat.pk, compress=True)
    response = client.get(reverse("seat_link", args=[token]), headers=EN)

    assert response.status_code == 200


# The current texts, cached between changes --------------------------------------------------------


@pytest.fixture
def _texts_forgotten_after_the_flush():
    """This test commits, and the flush after it empties the tables without a signal: move the
    data version on, so the texts it cached are not found by the tests after it."""
    yield
    data_version_bump()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_texts_forgotten_after_the_flush")
def test_seat_page_shows_a_text_saved_in_the_admin_at_once(client, office_a):
    seat = invited_seat(office=office_a)
    client.get(seat_path(seat), headers=EN)
    ConfidentialityText.objects.create(
        version=2,
        body="Jeg lover å tie.",
        body_en="I promise to keep quiet about every applicant.",
        published_at=timezone.now() - timedelta(seconds=1),
    )
    ConsentText.objects.create(version=2, body="Nytt samtykke.", published_at=timezone.now())

    response = client.get(seat_path(seat), headers=EN)

    assert "I promise to keep quiet about every applicant." in response.text
    assert texts.consent_text_current().version == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_texts_forgotten_after_the_flush")
def test_a_text_published_for_later_becomes_current_when_its_time_comes(office_a):
    ConfidentialityTextFactory()
    soon = timezone.now() + timedelta(seconds=1)
    ConfidentialityText.objects.create(version=2, body="Senere.", published_at=soon)
    before = texts.confidentiality_text_current()

    time.sleep(1.1)

    assert before.version == 1
    assert texts.confidentiality_text_current().version == 2


# The page from its link is cached: never stale ------------------------------------------------


def test_the_cached_seat_page_shows_a_change_to_its_panel_office_and_person_at_once(
    client, office_contact
):
    seat = invited_seat(office=office_contact)
    link = seat_path(seat)
    before = client.get(link, headers=EN)
    seat.panel.staff.create(name="Åse Ny", role="Rådgiver", email="ase@nav.no")
    office_contact.contact_phone = "75 99 99 99"
    office_contact.save()
    person = seat.holder()
    person.support_needs = "Trinnfri adkomst"
    person.save()

    after = client.get(link, headers=EN)

    assert "Åse (Rådgiver)" not in before.text and "75 12 34 56" in before.text
    assert "Åse (Rådgiver)" in after.text and "75 99 99 99" in after.text
    assert "Trinnfri adkomst" not in before.text and "Trinnfri adkomst" in after.text


def _round_renamed(seat: Seat) -> str:
    hiring_round = seat.panel.round
    hiring_round.position_title = "Veileder i ungdomsteamet"
    hiring_round.save()
    return "Veileder i ungdomsteamet"


def _video_link_added(seat: Seat) -> str:
    interview = seat.panel.interviews.get()
    interview.video_url = "https://video.nav.no/rom/ny"
    interview.save()
    return "https://video.nav.no/rom/ny"


def _candidate_renamed(seat: Seat) -> str:
    candidate = seat.panel.interviews.get().candidate
    candidate.name = "Siri Søkersen"
    candidate.save()
    return "Siri Søkersen"


def _conflict_declared(seat: Seat) -> str:
    candidate = seat.panel.interviews.get().candidate
    ConflictOfInterest.objects.create(representative=seat.holder(), candidate=candidate)
    return "You have told us you know this person."


def _interview_added(seat: Seat) -> str:
    hiring_round = seat.panel.round
    first = seat.panel.interviews.get()
    interview = Interview.objects.create(
        round=hiring_round,
        candidate=hiring_round.candidates.create(name="Ola Søker"),
        starts_at=first.ends_at,
        ends_at=first.ends_at + timedelta(hours=1),
        location=first.location,
    )
    interview.panels.add(seat.panel)  # from the interview's side
    return "Ola Søker"


@pytest.mark.parametrize(
    "change",
    [_round_renamed, _video_link_added, _candidate_renamed, _conflict_declared, _interview_added],
)
def test_the_cached_seat_page_shows_each_change_to_what_it_shows_at_once(client, office_a, change):
    seat = invited_seat(office=office_a, signed=True)
    services.seat_transition(seat=seat, to=SeatStatus.ACCEPTED, actor="representative")
    link = seat_path(seat)
    before = client.get(link, headers=EN)

    shown = change(seat)
    after = client.get(link, headers=EN)

    assert shown not in before.text
    assert shown in after.text


def test_a_write_to_another_panel_of_the_office_leaves_the_cached_seat_page(
    client, office_a, django_assert_num_queries
):
    seat = invited_seat(office=office_a)
    link = seat_path(seat)
    client.get(link, headers=EN)
    other = SeatFactory(
        panel__round=LinkRoundFactory(office=office_a),
        representative=PoolRepresentativeFactory(offices=[office_a]),
    )
    services.seat_transition(seat=other, to=SeatStatus.ATTENDED, actor="leader")

    with django_assert_num_queries(1):  # where the seat belongs; the page from the cache
        page = client.get(link, headers=EN)

    assert page.status_code == 200
    assert "Yes, I'll come" in page.text


def test_a_second_open_of_the_seat_page_reads_only_where_the_seat_belongs(
    client, office_a, django_assert_num_queries
):
    seat = invited_seat(office=office_a)
    link = seat_path(seat)
    first = client.get(link, headers=EN)

    with django_assert_num_queries(1):
        second = client.get(link, headers=EN)

    assert first.status_code == second.status_code == 200
    assert "Yes, I'll come" in second.text


def test_each_link_of_a_seat_gets_the_cached_page_with_its_own_token_in_every_form(office_a):
    seat = invited_seat(office=office_a)
    email_link = links.seat_token(seat.pk)
    time.sleep(1.1)  # a reminder's link, signed a moment later: another token, the same seat
    reminder_link = links.seat_token(seat.pk)
    pages = [
        Client().get(reverse("seat_link", args=[token]), headers=EN).text
        for token in (email_link, reminder_link)
    ]

    assert email_link != reminder_link
    for token, page in zip((email_link, reminder_link), pages, strict=True):
        actions = re.findall(r'action="([^"]+)"', page)
        assert reverse("seat_link_accept", args=[token]) in actions
        assert reverse("seat_link_decline", args=[token]) in actions
        assert reverse("seat_link_language", args=[token]) in actions
        assert f'name="next" value="{reverse("seat_link", args=[token])}"' in page
        assert "seatlink" not in page


def test_the_cached_seat_page_closes_the_answer_at_the_deadline_by_the_clock_alone(
    client, office_contact
):
    seat = invited_seat(office=office_contact, signed=True)
    link = seat_path(seat)  # one link, as in the email, opened twice
    open_page = client.get(link, headers=EN)

    with time_machine.travel(seat.answer_by + timedelta(minutes=1), tick=False):
        late_page = client.get(link, headers=EN)

    assert "Yes, I'll come" in open_page.text
    assert "Yes, I'll come" not in late_page.text
    assert "The deadline to answer has passed" in late_page.text


def test_the_cached_seat_page_stops_working_when_its_link_does(client, office_a):
    seat = invited_seat(office=office_a)
    link = seat_path(seat)
    assert client.get(link, headers=EN).status_code == 200

    with time_machine.travel(links.seat_link_ends_at(seat.panel) + timedelta(minutes=1)):
        over = client.get(link, headers=EN)

    assert over.status_code == 410


def test_the_cached_seat_page_shows_a_declaration_published_ahead_of_time_when_it_comes_in(
    client, office_a
):
    seat = invited_seat(office=office_a)
    in_force_at = timezone.now() + timedelta(hours=2)
    ConfidentialityTextFactory(
        version=2, body_en="I promise, version two.", published_at=in_force_at
    )
    link = seat_path(seat)
    today = client.get(link, headers=EN)

    with time_machine.travel(in_force_at + timedelta(minutes=1), tick=False):
        later = client.get(link, headers=EN)

    assert "I promise, version two." not in today.text
    assert "I promise, version two." in later.text


def test_the_cached_seat_page_carries_each_visitors_own_csrf_token_and_takes_the_answer(
    office_a,
):
    seat = invited_seat(office=office_a)
    phone, laptop = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    token = links.seat_token(seat.pk)  # one link, as in the email
    link, decline = (reverse(name, args=[token]) for name in ("seat_link", "seat_link_decline"))
    tokens = []
    for browser in (phone, laptop):
        page = browser.get(link, headers=EN)
        form = page.text[page.text.index(f'action="{decline}"') :]
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1])

    answered = laptop.post(decline, {"reason": "", "csrfmiddlewaretoken": tokens[1]})

    assert tokens[0] != tokens[1]
    assert answered.status_code == 302
    seat.refresh_from_db()
    assert seat.status == SeatStatus.DECLINED


def test_the_cached_seat_page_of_an_erased_person_is_gone(client, office_a):
    seat = invited_seat(office=office_a)
    link = seat_path(seat)
    assert client.get(link, headers=EN).status_code == 200

    representative_erase(representative=seat.holder(), reason="request")

    assert client.get(link, headers=EN).status_code == 404
