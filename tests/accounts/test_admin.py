"""The administrator creates staff accounts and gives them roles in the admin site."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import User
from interviews.enums import RoleKind, RoleScope
from interviews.models import OfficeRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = User.objects.create_superuser(email="admin@navpanel.no", password="x", name="Admin")
    client.force_login(admin)
    return client


def test_admin_site_is_not_at_the_usual_address(client):
    assert settings.ADMIN_URL != "admin/"
    assert client.get("/admin/").status_code == 404


def test_administrator_creates_a_leader_account_with_an_office_role(admin_client, office_a):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "ny.leder@navpanel.no",
            "name": "Nina Leder",
            "usable_password": "true",
            "password1": "Et-sikkert-passord-2026",
            "password2": "Et-sikkert-passord-2026",
            "office_roles-TOTAL_FORMS": "1",
            "office_roles-INITIAL_FORMS": "0",
            "office_roles-0-kind": RoleKind.LEADER,
            "office_roles-0-scope": RoleScope.OFFICE,
            "office_roles-0-office": office_a.pk,
            "office_roles-0-county": "",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="ny.leder@navpanel.no")
    assert user.check_password("Et-sikkert-passord-2026")
    assert list(OfficeRole.objects.filter(user=user).values_list("kind", "office")) == [
        ("leader", office_a.pk)
    ]


def test_a_leader_cannot_open_the_admin_site(client, leader_a):
    client.force_login(leader_a)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert "login" in response["Location"]
