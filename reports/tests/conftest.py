import pytest

from accounts.factories import UserFactory
from accounts.models import Role

from .histories import attrition_history


@pytest.fixture
def h(agency_tree, ref):
    """The hand-built attrition history of reports/tests/histories.py."""
    return attrition_history(agency_tree, ref)


@pytest.fixture
def head(agency_tree):
    return UserFactory(username="head-moh", role=Role.AGENCY_HEAD, agency=agency_tree["MOH"])
