"""HR's audit log (issue 18, point 6): in HR's menu, and holding HR's own exports and API calls
and the consent withdrawals of the offices in scope, events that have no single office."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.enums import ActorKind, AuditAction
from audit.models import AuditEvent, AuditEventOffice
from audit.services import audit_events_purge, audit_record
from interviews.enums import County, RoleKind, RoleScope
from panels.public.my_page import consent_withdraw
from tests.factories import OfficeFactory, OfficeRoleFactory
from tests.factories.panels import PoolRepresentativeFactory
from tests.factories.rosters import api_token_for, roster_seat

pytestmark = pytest.mark.django_db

NB = {"accept-language": "nb"}


@pytest.fixture
def hr_nordland(office_a):
    return OfficeRoleFactory(
        user__email="hr.nordland@navpanel.no",
        kind=RoleKind.HR,
        scope=RoleScope.COUNTY,
        office=None,
        county=County.NORDLAND,
    ).user


def visible_text(html: str) -> str:
    """The page's words as a reader sees them: no tags, attributes or option values."""
    main = html.split("<main", 1)[-1].split("</main>", 1)[0]
    return re.sub(r"<[^>]*>", " ", main)


def _log(client, user) -> str:
    """The rows of ``user``'s audit log, as text."""
    client.force_login(user)
    response = client.get(reverse("audit_log"), headers=NB)
    assert response.status_code == 200
    if "<tbody" not in response.text:
        return ""
    return re.sub(r"\s+", " ", visible_text(response.text.split("<tbody", 1)[1]))


def test_hrs_audit_log_lists_the_roster_export_hr_made_a_moment_before(client, hr_b, office_b):
    roster_seat(office=office_b, day=date(2026, 2, 4))
    OfficeFactory(name="NAV Gjøvik", county=County.INNLANDET)
    client.force_login(hr_b)

    export = client.get(reverse("roster_export_csv"), {"separator": "semicolon"})
    b"".join(export.streaming_content)
    page = _log(client, hr_b)

    assert export.status_code == 200
    assert "Eksporterte oversikten over plasser" in page
    assert "hr.innlandet@navpanel.no" in page
    assert "2 kontorer" in page


def test_an_honoraria_export_over_several_offices_is_read_by_hr_of_each_and_no_other(
    client, hr_b, hr_nordland, office_a, office_b
):
    OfficeFactory(name="NAV Gjøvik", county=County.INNLANDET)
    client.force_login(hr_b)
    client.get(
        reverse("honoraria"), {"date_from": "2026-01-01", "date_to": "2026-03-31", "format": "csv"}
    )

    [event] = AuditEvent.objects.filter(action=AuditAction.HONORARIA_EXPORTED)
    assert event.office_id is None
    assert "Eksporterte honorarer" in _log(client, hr_b)
    assert "Eksporterte honorarer" not in _log(client, hr_nordland)


def test_a_consent_withdrawal_is_in_the_log_of_hr_for_every_office_of_the_pool(
    client, hr_b, hr_nordland, office_a, office_b
):
    kari = PoolRepresentativeFactory(offices=[office_a, office_b])

    consent_withdraw(representative=kari)

    [event] = AuditEvent.objects.filter(action=AuditAction.CONSENT_WITHDRAWN)
    assert sorted(event.offices.values_list("office_id", flat=True)) == sorted(
        [office_a.pk, office_b.pk]
    )
    for reader in (hr_b, hr_nordland):
        page = _log(client, reader)
        assert "Samtykke trukket tilbake" in page
        assert f"Brukerrepresentant {event.object_id}" in page
        assert "representative" not in page


def test_hrs_own_api_calls_are_in_hrs_log(client, hr_b, office_b):
    _token, secret = api_token_for(hr_b)

    client.get("/api/v1/roster", headers={"authorization": f"Bearer {secret}"})
    page = _log(client, hr_b)

    assert "Brukte API-et" in page
    assert "hr.innlandet@navpanel.no (gjennom API-et)" in page


def test_the_audit_log_is_in_the_menu_of_hr_and_not_of_a_leader(client, hr_b, leader_a):
    client.force_login(hr_b)
    hr_menu = client.get(reverse("roster"), headers=NB).text
    client.force_login(leader_a)
    leader_menu = client.get(reverse("dashboard"), headers=NB).text

    link = f'<a href="{reverse("audit_log")}">Revisjonslogg</a>'
    assert link in hr_menu
    assert link not in leader_menu


def test_the_purge_takes_the_offices_of_the_events_it_deletes(office_a, office_b):
    now = timezone.now()
    recent = audit_record(action=AuditAction.HONORARIA_EXPORTED, office_ids=[office_b.pk])
    aged = AuditEvent.objects.create(
        action=AuditAction.POOL_EXPORTED, actor_kind=ActorKind.SYSTEM, at=now - timedelta(days=1827)
    )
    AuditEventOffice.objects.create(event=aged, office=office_a)

    audit_events_purge(before=now - timedelta(days=1826))

    assert not AuditEvent.objects.filter(pk=aged.pk).exists()
    assert list(AuditEventOffice.objects.values_list("event_id", "office_id")) == [
        (recent.pk, office_b.pk)
    ]
