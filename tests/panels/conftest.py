"""Fixtures shared by the tests of the panels app and its packages."""

import pytest

from panels.pool.services import representative_create
from tests.factories import BackgroundFactory
from tests.factories.links import ConsentTextFactory


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
