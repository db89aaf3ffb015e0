import pytest
from django.utils import timezone

from tests.factories.reports import honoraria_scenario


@pytest.fixture
def scenario(office_a, office_b):
    return honoraria_scenario(office_a=office_a, office_b=office_b, today=timezone.localdate())


@pytest.fixture
def quarter_query(scenario) -> dict[str, str]:
    return {"quarter": f"{scenario['year']}-Q{scenario['quarter']}"}
