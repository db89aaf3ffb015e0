"""The administrator's texts and lists in the Django admin."""

import pytest
from django.urls import reverse

from accounts.models import User
from panels.models import (
    ConsentText,
)
from tests.factories.links import (
    ConsentTextFactory,
)

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


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
