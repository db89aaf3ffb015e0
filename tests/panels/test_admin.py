"""The administrator's texts and lists in the Django admin."""

import pytest
from django.urls import reverse

from accounts.models import User
from panels import links
from panels.models import (
    ConsentText,
    Representative,
)
from panels.pool.services import representative_create
from tests.factories import BackgroundFactory
from tests.factories.links import (
    ConsentTextFactory,
)

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


def consent_path(representative: Representative, action: str = "") -> str:
    name = f"consent_link_{action}" if action else "consent_link"
    return reverse(name, args=[links.representative_token(representative.pk)])


@pytest.fixture
def newcomer(office_a):
    """Someone the leader just added: awaiting consent, with the backgrounds the leader noted."""
    office_a.contact_name = "Nils Kontakt"
    office_a.contact_phone = "75 12 34 56"
    office_a.save()
    representative = representative_create(
        offices=[office_a],
        backgrounds=[BackgroundFactory(slug="senior", name_en="Senior (55+)")],
        by=None,
        name="Kari Nordmann",
        email="Kari@Example.no",
        phone="912 34 567",
        birth_year=1961,
        organisation="FFO",
    )
    ConsentTextFactory()
    return representative


@pytest.fixture
def admin_client(client):
    admin = User.objects.create_superuser(email="admin@navpanel.no", password="x", name="Admin")
    client.force_login(admin)
    return client


def test_a_published_text_cannot_be_edited_in_the_admin(admin_client):
    text = ConsentTextFactory()

    response = admin_client.get(reverse("admin:panels_consenttext_change", args=[text.pk]))

    assert response.status_code == 200
    assert '<textarea name="body"' not in response.text


def test_the_administrator_drafts_a_new_consent_text(admin_client):
    response = admin_client.post(
        reverse("admin:panels_consenttext_add"),
        {
            "version": 2,
            "body": "Ny tekst",
            "body_en": "",
            "published_at_0": "",
            "published_at_1": "",
        },
    )

    assert response.status_code == 302
    assert ConsentText.objects.get(version=2).published_at is None


def test_the_admin_list_of_representatives_does_not_show_backgrounds(admin_client, newcomer):
    response = admin_client.get(reverse("admin:panels_representative_changelist"))
    change = admin_client.get(reverse("admin:panels_representative_change", args=[newcomer.pk]))

    assert "Kari Nordmann" in response.text
    assert "Senior (55+)" not in response.text
    assert "Senior (55+)" not in change.text
