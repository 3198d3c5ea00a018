"""A yes/no filter refuses any other value with a 400 that quotes it, whatever it holds (a "%"
among it once made the message a format string and the answer a 500)."""

import pytest

pytestmark = pytest.mark.django_db

YES_NO = [
    ("professionals", "in_service"),
    ("agencies", "dissolved"),
    ("agencies", "critical_information_infrastructure"),
    ("assessments", "confirmed"),
    ("action-items", "open"),
    ("action-items", "overdue"),
    ("placements", "current"),
]


@pytest.mark.parametrize(("resource", "parameter"), YES_NO)
@pytest.mark.parametrize("value", ["%", "%(x)s", "50%s", "maybe"])
def test_a_yes_no_filter_refuses_anything_else_with_a_message(client, division_user, resource, parameter, value):
    client.force_login(division_user)
    response = client.get(f"/api/v1/{resource}/", {parameter: value})
    assert response.status_code == 400, response.content[:300]
    assert response.json()["errors"][parameter] == [f"Use true or false, not {value!r}."]
    assert client.get(f"/api/v1/{resource}/", {parameter: "true"}).status_code == 200
