"""One date format per language (issue 18, point 11): "5. februar 2026" / "5 February 2026"."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import formats, translation

from audit.enums import ActorKind, AuditAction
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("nb", "5. februar 2026 10:30"),
        ("nn", "5. februar 2026 10:30"),
        ("en", "5 February 2026 10:30"),
    ],
)
def test_a_page_writes_dates_in_the_languages_one_format(client, hr, office_a, language, written):
    AuditEvent.objects.create(
        action=AuditAction.POOL_EXPORTED,
        actor_kind=ActorKind.SYSTEM,
        office=office_a,
        at=datetime(2026, 2, 5, 10, 30, tzinfo=OSLO),
    )
    client.force_login(hr)

    response = client.get(reverse("audit_log"), headers={"accept-language": language})

    assert written in response.text


@pytest.mark.parametrize("name", ["DATE_FORMAT", "SHORT_DATE_FORMAT"])
def test_the_short_and_the_long_date_are_one_format(name):
    day = datetime(2026, 2, 5)

    with translation.override("nb"):
        norwegian = formats.date_format(day, name)
    with translation.override("nn"):
        nynorsk = formats.date_format(day, name)
    with translation.override("en"):
        english = formats.date_format(day, name)

    assert (norwegian, nynorsk, english) == (
        "5. februar 2026",
        "5. februar 2026",
        "5 February 2026",
    )
