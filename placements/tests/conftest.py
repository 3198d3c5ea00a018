import datetime as dt

import pytest

from placements.factories import PlacementFactory
from professionals.factories import ProfessionalFactory


@pytest.fixture
def person(agency_tree):
    """Someone placed at MOH since 2018."""
    person = ProfessionalFactory()
    PlacementFactory(professional=person, agency=agency_tree["MOH"], start_date=dt.date(2018, 1, 1))
    return person
