"""Links that end (issue 15, point 3): a seat link is no key for ever.

A seat link (and a staff interviewer's feedback link) works until its panel is over plus the
grace for feedback, then answers 410 with the office's contact and no other link; pages a seat
link opens hand out no link to other data; an old link never undoes a withdrawal or an erasure.
"""

import re
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from panels import links, texts
from panels.enums import RepresentativeStatus, SeatStatus
from panels.erasure import representative_erase
from panels.models import Representative, StaffInterviewer
from panels.public.my_page import consent_withdraw
from tests.factories.links import ActiveRepresentativeFactory, ConsentTextFactory, invited_seat
from tests.factories.panels import PanelRowFactory, SeatFactory, day_at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("chose_english")]

EN = {"accept-language": "en"}


@pytest.fixture
def office_contact(office_a):
    office_a.contact_name = "Nils Kontakt"
    office_a.contact_phone = "75 12 34 56"
    office_a.email = "nav.rana@nav.no"
    office_a.save()
    return office_a


def _past_seat(office, *, days_ago: int):
    """An attended seat on a three-hour panel that ended ``days_ago`` days ago."""
    return SeatFactory(
        panel=PanelRowFactory(round__office=office, starts_at=day_at(-days_ago, 9)),
        representative=ActiveRepresentativeFactory(offices=[office]),
        status=SeatStatus.ATTENDED,
    )


def _links_in(html: str) -> list[str]:
    """Every address the page links to or posts to, but the page's own language switcher."""
    return [
        address
        for address in re.findall(r'(?:href|action)="([^"]+)"', html)
        if not address.startswith(("/static/", "tel:", "mailto:", "#"))
        and address not in ("/i18n/setlang/", "/tilgjengelighet/")
    ]


@pytest.mark.parametrize("name", ["seat_link", "feedback_link"])
def test_a_seat_link_of_a_panel_that_ended_30_days_ago_answers_410_with_the_contact_and_no_link(
    client, office_contact, name
):
    seat = _past_seat(office_contact, days_ago=30)

    response = client.get(reverse(name, args=[links.seat_token(seat.pk)]), headers=EN)

    assert response.status_code == 410
    assert "The interview day this link was for is over" in response.text
    assert "Nils Kontakt" in response.text and "nav.rana@nav.no" in response.text
    assert _links_in(response.text) == []
    assert seat.representative.name not in response.text


def test_an_answer_posted_on_a_link_past_its_end_is_refused_and_changes_nothing(
    client, office_contact
):
    seat = _past_seat(office_contact, days_ago=30)

    response = client.post(
        reverse("seat_link_support", args=[links.seat_token(seat.pk)]),
        {"support_needs": "Trinnfri adkomst"},
        headers=EN,
    )

    assert response.status_code == 410
    seat.representative.refresh_from_db()
    assert seat.representative.support_needs == ""


def test_a_seat_link_still_opens_within_the_grace_for_feedback(client, office_contact, settings):
    settings.SEAT_LINK_GRACE_DAYS = 21
    seat = _past_seat(office_contact, days_ago=20)

    page = client.get(reverse("seat_link", args=[links.seat_token(seat.pk)]), headers=EN)
    form = client.get(reverse("feedback_link", args=[links.seat_token(seat.pk)]), headers=EN)

    assert page.status_code == 200 and form.status_code == 200


def test_the_grace_is_counted_from_the_panels_end_so_a_moved_day_keeps_its_link(
    client, office_contact, settings
):
    settings.SEAT_LINK_GRACE_DAYS = 21
    seat = _past_seat(office_contact, days_ago=30)
    token = links.seat_token(seat.pk)
    panel = seat.panel
    panel.starts_at, panel.ends_at = day_at(-2, 9), day_at(-2, 12)
    panel.save(update_fields=["starts_at", "ends_at"])

    response = client.get(reverse("seat_link", args=[token]), headers=EN)

    assert response.status_code == 200


def test_a_staff_interviewers_feedback_link_ends_with_the_panel_too(client, office_contact):
    panel = PanelRowFactory(round__office=office_contact, starts_at=day_at(-30, 9))
    staff = StaffInterviewer.objects.create(
        panel=panel, name="Tor Tillitsvalgt", role="Tillitsvalgt", email="tor@nav.no"
    )

    response = client.get(
        reverse("staff_feedback_link", args=[links.staff_token(staff.pk)]), headers=EN
    )

    assert response.status_code == 410
    assert "Nils Kontakt" in response.text


# Pages a link opens hand out no link to other data ------------------------------------------------


@pytest.mark.parametrize("status", [SeatStatus.INVITED, SeatStatus.ACCEPTED])
def test_a_seat_page_links_only_to_its_own_seat(client, office_a, status):
    seat = invited_seat(office=office_a, signed=True)
    if status == SeatStatus.ACCEPTED:
        client.post(
            reverse("seat_link_accept", args=[links.seat_token(seat.pk)]),
            {"declaration": texts.confidentiality_text_current().pk, "support_needs": ""},
        )
    seat.refresh_from_db()
    token = links.seat_token(seat.pk)

    response = client.get(reverse("seat_link", args=[token]), headers=EN)

    assert seat.status == status
    assert response.status_code == 200
    assert _links_in(response.text)
    assert all(f"/r/plass/{token}/" in address for address in _links_in(response.text))


def test_my_page_hands_out_no_consent_link_and_no_feedback_link_past_its_end(
    client, office_a, settings
):
    settings.SEAT_LINK_GRACE_DAYS = 21
    recent = _past_seat(office_a, days_ago=3)
    person = recent.representative
    SeatFactory(
        panel=PanelRowFactory(round__office=office_a, starts_at=day_at(-40, 9)),
        representative=person,
        status=SeatStatus.ATTENDED,
    )
    _withdrawn_without_erasure(person)

    response = client.get(reverse("my_page", args=[links.my_page_token(person.pk)]), headers=EN)

    feedback_seats = [
        signing.loads(address.split("/")[3], salt=links.SEAT_SALT)
        for address in _links_in(response.text)
        if address.startswith("/r/tilbakemelding/")
    ]
    assert feedback_seats == [recent.pk]
    assert "/r/samtykke/" not in response.text
    assert "contact the office, and they will send you a new request for consent" in response.text


# An old link never undoes a withdrawal or an erasure ---------------------------------------------


def _withdrawn_without_erasure(person: Representative, *, at=None) -> None:
    """A person whose consent ended while withdrawal did not yet erase (rows from before
    issue 14): still stored, status *withdrawn*, every consent ended."""
    at = at or timezone.now()
    person.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=at)
    Representative.objects.filter(pk=person.pk).update(status=RepresentativeStatus.WITHDRAWN)


def _token_issued(representative_id: int, seconds_ago: int) -> str:
    class EarlierSigner(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - seconds_ago)

    return EarlierSigner(salt=links.REPRESENTATIVE_SALT).sign_object(
        representative_id, compress=True
    )


def test_a_consent_link_sent_before_the_withdrawal_cannot_make_the_person_active_again(
    client, office_a
):
    text = ConsentTextFactory()
    person = ActiveRepresentativeFactory(offices=[office_a])
    client.post(
        reverse("consent_link", args=[links.representative_token(person.pk)]),
        {"consent_text": text.pk, "agree": "on"},
    )
    old_link = reverse("consent_link", args=[_token_issued(person.pk, seconds_ago=3600)])
    _withdrawn_without_erasure(person)

    opened = client.get(old_link, headers=EN)
    posted = client.post(old_link, {"consent_text": text.pk, "agree": "on"}, headers=EN)

    assert opened.status_code == 410 and posted.status_code == 410
    person.refresh_from_db()
    assert person.status == RepresentativeStatus.WITHDRAWN
    assert not person.consents.filter(withdrawn_at__isnull=True).exists()


def test_a_consent_link_sent_after_the_withdrawal_lets_the_person_come_back(client, office_a):
    text = ConsentTextFactory()
    person = ActiveRepresentativeFactory(offices=[office_a])
    client.post(
        reverse("consent_link", args=[links.representative_token(person.pk)]),
        {"consent_text": text.pk, "agree": "on"},
    )
    _withdrawn_without_erasure(person, at=timezone.now() - timedelta(hours=2))
    new_link = reverse("consent_link", args=[_token_issued(person.pk, seconds_ago=3600)])

    response = client.post(new_link, {"consent_text": text.pk, "agree": "on"})

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == RepresentativeStatus.ACTIVE


def test_after_withdrawing_today_every_link_of_the_person_answers_404(client, office_a):
    seat = invited_seat(office=office_a)
    person = seat.representative
    addresses = [
        reverse("seat_link", args=[links.seat_token(seat.pk)]),
        reverse("consent_link", args=[links.representative_token(person.pk)]),
        reverse("my_page", args=[links.my_page_token(person.pk)]),
    ]
    consent_withdraw(representative=person)

    answers = [client.get(address, headers=EN).status_code for address in addresses]

    assert answers == [404, 404, 404]
    assert not Representative.objects.filter(pk=person.pk).exists()


def test_every_link_of_an_erased_person_answers_404(client, office_a):
    seat = invited_seat(office=office_a)
    person = seat.representative
    addresses = [
        reverse("seat_link", args=[links.seat_token(seat.pk)]),
        reverse("consent_link", args=[links.representative_token(person.pk)]),
        reverse("my_page", args=[links.my_page_token(person.pk)]),
    ]
    representative_erase(representative=person, reason="request")

    answers = [client.get(address, headers=EN).status_code for address in addresses]

    assert answers == [404, 404, 404]
    assert not Representative.objects.filter(pk=person.pk).exists()
