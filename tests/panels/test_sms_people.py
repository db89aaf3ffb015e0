"""Phone numbers and the choice of email, SMS or both (issue 19, point 1): as a leader adds a
person, as the pool import reads them, as the person changes it on my page, and as stored
numbers are normalised; and a failed SMS on the leader's dashboard."""

import importlib

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from outbox.models import Channel, OutboxMessage, OutboxStatus
from outbox.services import message_deliver, message_queue
from panels import links
from panels.enums import Contact
from panels.models import Representative
from tests.factories import RepresentativeFactory
from tests.factories.links import ActiveRepresentativeFactory

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


def _form(office, **changes) -> dict[str, object]:
    return {
        "name": "Per Hansen",
        "email": "",
        "phone": "912 34 567",
        "contact": "sms",
        "birth_year": "1970",
        "language": "nb",
        "offices": [office.pk],
        "backgrounds": [],
    } | changes


def test_a_leader_adds_a_person_with_only_a_mobile_number_who_is_asked_by_sms(
    client, leader_a, office_a
):
    client.force_login(leader_a)

    response = client.post(reverse("representative_create"), _form(office_a), headers=EN)

    assert response.status_code == 302
    person = Representative.objects.get()
    assert (person.email, person.phone, person.contact) == ("", "+4791234567", Contact.SMS)
    [request] = OutboxMessage.objects.filter(kind="consent_request")
    assert request.channel == Channel.SMS and request.to == "+4791234567"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"phone": "22 33 44 55"}, "phone", "This is not a mobile number (a landline"),
        ({"phone": "+46 70 123 45 67"}, "phone", "SMS can only go to a Norwegian mobile number"),
        ({"phone": "12"}, "phone", "Enter a phone number, for example 912 34 567"),
        ({"phone": ""}, "phone", "Enter a mobile number for SMS, or choose email only."),
        ({"contact": "email"}, "email", "Enter an email address, or choose SMS only."),
        ({"contact": "both"}, "email", "Enter an email address, or choose SMS only."),
    ],
)
def test_the_form_says_clearly_why_a_number_or_a_missing_address_will_not_do(
    client, leader_a, office_a, changes, field, message
):
    client.force_login(leader_a)

    response = client.post(reverse("representative_create"), _form(office_a, **changes), headers=EN)

    assert response.status_code == 200
    assert message in response.text
    assert response.context["form"].has_error(field)
    assert not Representative.objects.exists()


def test_a_foreign_number_may_be_stored_for_calls_when_the_person_chose_email(
    client, leader_a, office_a
):
    client.force_login(leader_a)

    client.post(
        reverse("representative_create"),
        _form(office_a, email="per@example.no", contact="email", phone="+46 70 123 45 67"),
        headers=EN,
    )

    assert Representative.objects.get().phone == "+46701234567"


def test_two_people_without_email_can_both_be_in_the_pool(client, leader_a, office_a):
    client.force_login(leader_a)

    client.post(reverse("representative_create"), _form(office_a), headers=EN)
    client.post(
        reverse("representative_create"), _form(office_a, phone="41234567", name="Ida"), headers=EN
    )

    assert Representative.objects.filter(email="").count() == 2


def test_the_pool_import_accepts_people_with_only_a_mobile_number(client, leader_a, office_a):
    client.force_login(leader_a)
    content = (
        "name;email;phone;contact\n"
        "Per Hansen;;912 34 567;\n"
        "Kari Nordmann;kari@example.no;41234567;begge\n"
        "Ola Fast;;22334455;sms\n"
    )

    response = client.post(
        reverse("representative_import"),
        {
            "office": office_a.pk,
            "file": SimpleUploadedFile("pool.csv", content.encode(), content_type="text/csv"),
        },
        headers=EN,
        follow=True,
    )

    assert "line 4: the number +4722334455 is not a Norwegian mobile number" in response.text
    assert not Representative.objects.exists()

    content = content.rsplit("Ola", 1)[0]
    client.post(
        reverse("representative_import"),
        {
            "office": office_a.pk,
            "file": SimpleUploadedFile("pool.csv", content.encode(), content_type="text/csv"),
        },
        headers=EN,
    )
    people = {p.name: (p.email, p.phone, p.contact) for p in Representative.objects.all()}
    assert people == {
        "Per Hansen": ("", "+4791234567", Contact.SMS),
        "Kari Nordmann": ("kari@example.no", "+4741234567", Contact.BOTH),
    }
    assert sorted(
        OutboxMessage.objects.filter(kind="consent_request").values_list("channel", flat=True)
    ) == ["email", "sms", "sms"]


@pytest.mark.usefixtures("chose_english")
def test_the_person_chooses_sms_on_my_page(client, office_a):
    person = ActiveRepresentativeFactory(offices=[office_a], phone="+4791234567")
    page = reverse("my_page", args=[links.my_page_token(person.pk)])

    response = client.post(page, {"action": "contact", "contact": "sms"}, headers=EN, follow=True)

    assert "Saved. We reach you this way from now on." in response.text
    person.refresh_from_db()
    assert person.contact == Contact.SMS


@pytest.mark.usefixtures("chose_english")
def test_my_page_refuses_sms_when_there_is_no_mobile_number(client, office_a):
    person = ActiveRepresentativeFactory(offices=[office_a], phone="")
    page = reverse("my_page", args=[links.my_page_token(person.pk)])

    response = client.post(page, {"action": "contact", "contact": "both"}, headers=EN)

    assert response.status_code == 400
    assert "We have no Norwegian mobile number for you." in response.text
    person.refresh_from_db()
    assert person.contact == Contact.EMAIL


def test_the_data_migration_stores_numbers_in_e164_and_leaves_what_is_not_a_number(db):
    typed = {"912 34 567": "+4791234567", "0047 41234567": "+4741234567", "ring meg": "ring meg"}
    people = {RepresentativeFactory(phone=phone).pk: phone for phone in typed}
    migration = importlib.import_module("panels.migrations.0015_phone_numbers_e164")

    migration.normalise(apps, None)

    for pk, phone in people.items():
        assert Representative.objects.get(pk=pk).phone == typed[phone]


def test_a_refused_sms_is_on_the_leaders_dashboard(client, leader_a, office_a, sms_settings):
    person = ActiveRepresentativeFactory(
        offices=[office_a], name="Per Hansen", email="", phone="+4791234567", contact="sms"
    )
    message = message_queue(
        key="sms:test",
        kind="invitation",
        channel=Channel.SMS,
        to=person.phone,
        subject="",
        body_text="Hei",
        office=office_a,
        representative_id=person.pk,
    )
    sms_settings.answers.append((422, {"code": "0x0216", "message": "Invalid recipient"}))

    assert message_deliver(message_id=message.pk) == OutboxStatus.FAILED
    client.force_login(leader_a)

    response = client.get(reverse("dashboard"), headers=EN)

    assert "Emails and SMS that could not be sent" in response.text
    assert "Invitation (SMS)" in response.text
    assert "to Per Hansen" in response.text
    assert "Invalid recipient" in response.text
