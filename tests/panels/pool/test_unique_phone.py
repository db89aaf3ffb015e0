"""One mobile number, one representative (issue 19): the number is whom an SMS goes to, so it is
unique among those who have one, as the email address is. The database holds it; the add and
edit forms and the pool import refuse a number in use with the same words whether it is in the
leader's own pool or another office's (docs/decisions.md, "No cross-office oracle")."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from outbox.models import OutboxMessage
from panels.enums import Contact
from panels.models import Representative
from panels.pool.importing import representatives_import
from tests.factories import RepresentativeFactory

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}
REFUSED = (
    "This mobile number cannot be used here. If the person is in your pool already, you find "
    "them in the list; otherwise ask them which number to use."
)


def _in_pool(office, **fields) -> Representative:
    person = RepresentativeFactory(**fields)
    person.offices.add(office)
    return person


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


def test_the_database_refuses_a_second_person_with_the_same_mobile_number():
    RepresentativeFactory(phone="+4791234567")

    with pytest.raises(IntegrityError), transaction.atomic():
        RepresentativeFactory(phone="+4791234567")


def test_any_number_of_people_may_have_no_phone_number():
    RepresentativeFactory(phone="")
    RepresentativeFactory(phone="")

    assert Representative.objects.filter(phone="").count() == 2


def _answer_to(client, office, phone: str) -> tuple[str, str]:
    """What the leader is told when adding ``phone`` by the form and by a CSV import."""
    form = client.post(reverse("representative_create"), _form(office, phone=phone), headers=EN)
    upload = SimpleUploadedFile("pool.csv", f"name;phone\nÅse Øren;{phone}\n".encode())
    imported = client.post(
        reverse("representative_import"), {"office": office.pk, "file": upload}, headers=EN
    )
    return (
        " ".join(form.context["form"].errors["phone"]),
        " ".join(imported.context["form"].errors["file"]),
    )


def test_a_number_in_another_offices_pool_is_refused_as_one_in_the_own_pool_no_oracle(
    client, leader_a, office_a, office_b
):
    _in_pool(office_b, name="Hadeland Person", email="", phone="+4741234567", contact="sms")
    _in_pool(office_a, name="Rana Person", email="", phone="+4791234567", contact="sms")
    client.force_login(leader_a)

    # Written as people write them: the same number in another form is the same number.
    elsewhere = _answer_to(client, office_a, "412 34 567")
    own = _answer_to(client, office_a, "0047 91234567")

    assert elsewhere == own
    assert elsewhere[0] == REFUSED
    assert elsewhere[1] == "line 2: this mobile number cannot be used here"
    for answer in elsewhere:
        assert "Hadeland" not in answer and "exists" not in answer
    assert Representative.objects.count() == 2
    assert not OutboxMessage.objects.exists()


def test_the_refusal_is_in_norwegian_on_a_norwegian_page(client, leader_a, office_a, office_b):
    _in_pool(office_b, email="", phone="+4741234567", contact="sms")
    client.force_login(leader_a)

    response = client.post(reverse("representative_create"), _form(office_a, phone="41234567"))

    assert response.context["form"].errors["phone"] == [
        "Dette mobilnummeret kan ikke brukes her. Er personen allerede i utvalget ditt, finner "
        "du dem i listen; ellers spør dem hvilket nummer de vil bruke."
    ]


def test_changing_a_number_to_one_in_use_is_refused_and_keeping_ones_own_is_not(
    client, leader_a, office_a, office_b
):
    _in_pool(office_b, email="", phone="+4741234567", contact="sms")
    person = _in_pool(office_a, email="", phone="+4791234567", contact="sms")
    client.force_login(leader_a)
    url = reverse("representative_edit", args=[person.pk])

    refused = client.post(url, _form(office_a, phone="41234567"), headers=EN)
    kept = client.post(url, _form(office_a, phone="912 34 567", name="Per H."), headers=EN)

    assert refused.context["form"].errors["phone"] == [REFUSED]
    assert kept.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.phone) == ("Per H.", "+4791234567")


def test_the_import_names_each_line_whose_number_is_in_use_or_given_twice(leader_a, office_a):
    RepresentativeFactory(phone="+4741234567")
    text = (
        "name;phone;contact\n"
        "Kari;912 34 567;sms\n"
        "Ola;+47 412 34 567;sms\n"
        "Per;91234567;sms\n"
        "Ida;98765432;sms\n"
    )

    with pytest.raises(ValidationError) as error:
        representatives_import(office=office_a, text=text, by=leader_a)

    assert error.value.messages == [
        "line 3: this mobile number cannot be used here",
        "line 4: the mobile number is also on line 2",
    ]
    assert Representative.objects.count() == 1


def test_the_migration_leaves_each_number_on_the_person_sms_goes_to():
    migration = importlib.import_module("panels.migrations.0020_representative_unique_phone")
    with transaction.atomic():
        # As before the constraint: the migration runs on numbers given twice.
        with transaction.get_connection().cursor() as cursor:
            # A unique constraint with a condition is a partial unique index in PostgreSQL.
            cursor.execute("DROP INDEX representative_unique_phone")
        by_email = RepresentativeFactory(email="a@example.no", phone="+4791234567", note="Tolk")
        by_sms = RepresentativeFactory(email="", phone="+4791234567", contact=Contact.SMS)
        other = RepresentativeFactory(email="c@example.no", phone="+4741234567")

        migration.settle_numbers_given_twice(apps.get_model("panels", "Representative"))

        by_email.refresh_from_db()
        by_sms.refresh_from_db()
        other.refresh_from_db()
        assert (by_sms.phone, by_sms.contact) == ("+4791234567", Contact.SMS)
        assert (by_email.phone, by_email.contact) == ("", Contact.EMAIL)
        assert by_email.note.startswith("Tolk\n\nMobilnummeret +4791234567 ble tatt bort")
        assert other.phone == "+4741234567"
        transaction.set_rollback(True)


def test_the_migration_stops_and_names_people_it_cannot_leave_reachable():
    migration = importlib.import_module("panels.migrations.0020_representative_unique_phone")
    with transaction.atomic():
        with transaction.get_connection().cursor() as cursor:
            # A unique constraint with a condition is a partial unique index in PostgreSQL.
            cursor.execute("DROP INDEX representative_unique_phone")
        RepresentativeFactory(email="", phone="+4791234567", contact=Contact.SMS)
        second = RepresentativeFactory(email="", phone="+4791234567", contact=Contact.SMS)

        with pytest.raises(RuntimeError, match=f"{second.pk} \\(ids\\)"):
            migration.settle_numbers_given_twice(apps.get_model("panels", "Representative"))
        transaction.set_rollback(True)
