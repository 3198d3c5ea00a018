"""The dashboard's "Transfer requests for your decision": each user sees what waits for them."""

import pytest

from placements.tests.transfer_helpers import concurred, submitted

pytestmark = pytest.mark.django_db


def waiting(client, user):
    client.force_login(user)
    response = client.get("/")
    return response.context["transfers_waiting"], response.content.decode()


def test_a_submitted_request_waits_for_the_other_agency_and_then_for_the_division(client, transfer_world):
    w = transfer_world
    request = submitted(w)  # asked by MOF's head: MOH, the receiving side, must concur
    count, html = waiting(client, w.users.head_moh)
    assert count == 1
    assert request.reference in html and 'data-testid="transfers-waiting"' in html
    assert waiting(client, w.users.head_mof)[0] == 0  # they asked; nothing to decide
    assert waiting(client, w.users.division)[0] == 0  # not concurred yet


def test_a_concurred_request_waits_for_the_division_only(client, transfer_world):
    w = transfer_world
    request = concurred(w)
    count, html = waiting(client, w.users.division)
    assert count == 1 and request.reference in html
    assert waiting(client, w.users.head_moh)[0] == 0
    assert waiting(client, w.users.hr)[0] == 0  # HR officers read; they do not decide
    assert 'data-testid="transfers-waiting"' not in waiting(client, w.users.head_paro)[1]
