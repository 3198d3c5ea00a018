"""/api/v1/transfer-requests/: scoping (404 outside it), every action through the services, GET
refused on actions, bad input answered with a message, the office order's PDF, constant queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from placements.factories import PlacementFactory
from placements.models import TransferRequest

from .transfer_helpers import add_submitted_requests, approved, concurred, draft, submitted

pytestmark = pytest.mark.django_db

URL = "/api/v1/transfer-requests/"
ACTIONS = ["submit", "concur", "approve", "reject", "withdraw", "effect", "cancel"]


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def new_body(w, **fields):
    body = {
        "professional": w.person.pk,
        "receiving_agency": "MOH",
        "position_title": "ict-officer",
        "reason": "MOH needs an ICT Officer.",
        "proposed_effective_date": (w.today + dt.timedelta(days=30)).isoformat(),
    }
    body.update(fields)
    return body


def test_the_releasing_head_creates_and_submits_in_one_call(transfer_world):
    w = transfer_world
    response = api(w.users.head_mof).post(URL, new_body(w, submit=True), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["state"], data["releasing_agency"]["code"], data["receiving_agency"]["code"]) == (
        "submitted",
        "MOF",
        "MOH",
    )
    assert data["allowed_actions"] == ["withdraw"]
    assert all(result["passed"] for result in data["rule_results"])


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"receiving_agency": "NOPE"}, "There is no agency with the code NOPE"),
        ({"position_title": "wizard"}, "There is no position title with the code wizard"),
        ({"proposed_effective_date": "2019-01-01"}, "the move must take effect after that day"),
        ({"overrides": {"vacancy": ""}}, "Only ICT Management Division staff may override"),
        ({"reason": ""}, "This field may not be blank"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_written(transfer_world, fields, message):
    w = transfer_world
    response = api(w.users.head_mof).post(URL, new_body(w, **fields), format="json")
    assert response.status_code in (400, 403)
    assert message in response.json()["detail"]
    assert not TransferRequest.objects.exists()


def test_an_override_without_a_reason_is_refused_for_division_staff_too(transfer_world):
    w = transfer_world
    response = api(w.users.division).post(URL, new_body(w, overrides={"vacancy": " "}), format="json")
    assert response.status_code == 400
    assert "needs a written reason" in response.json()["detail"]
    assert not TransferRequest.objects.exists()


def test_each_account_lists_the_requests_it_may_see(transfer_world):
    w = transfer_world
    mine = submitted(w)
    other_draft = draft(w, w.users.division, professional_id=PlacementFactory(agency=w.mof).professional_id)
    listed = {name: {row["id"] for row in api(user).get(URL).json()["results"]} for name, user in vars(w.users).items()}
    assert listed["division"] == {mine.pk, other_draft.pk}
    assert listed["hr"] == {mine.pk}  # HR officers read everything but others' drafts
    assert listed["head_mof"] == listed["head_moh"] == {mine.pk}  # the division's draft is not shown yet
    assert listed["professional"] == {mine.pk}
    assert listed["head_paro"] == set()


@pytest.mark.parametrize("path", ["", "submit/", "concur/", "office-order/"])
def test_a_request_outside_the_scope_answers_404(transfer_world, path):
    w = transfer_world
    request = approved(w, effective_date=w.today + dt.timedelta(days=5))
    client = api(w.users.head_paro)
    response = (
        client.get(f"{URL}{request.pk}/{path}")
        if path in ("", "office-order/")
        else client.post(f"{URL}{request.pk}/{path}", {}, format="json")
    )
    assert response.status_code == 404


@pytest.mark.parametrize("action", ACTIONS)
def test_actions_refuse_get(transfer_world, action):
    request = submitted(transfer_world)
    response = api(transfer_world.users.division).get(f"{URL}{request.pk}/{action}/")
    assert response.status_code == 405


def test_the_whole_flow_through_the_api(transfer_world):
    w = transfer_world
    created = api(w.users.head_mof).post(URL, new_body(w), format="json").json()
    base = f"{URL}{created['id']}/"
    assert api(w.users.head_mof).post(f"{base}submit/", {}, format="json").json()["state"] == "submitted"
    assert api(w.users.head_moh).post(f"{base}concur/", {"note": "Welcome"}, format="json").json()["state"] == (
        "concurred"
    )
    day = (w.today + dt.timedelta(days=3)).isoformat()
    data = api(w.users.division).post(f"{base}approve/", {"effective_date": day}, format="json").json()
    assert (data["state"], data["effective_date"]) == ("approved", day)
    assert data["office_order"]["number"] == f"ICT/{w.today.year}/001"
    pdf = api(w.users.head_mof).get(f"{base}office-order/", HTTP_ACCEPT="application/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    early = api(w.users.division).post(f"{base}effect/", {}, format="json")
    assert early.status_code == 400 and "can be effected on or after that day" in early.json()["detail"]


def test_approving_today_effects_at_once(transfer_world):
    w = transfer_world
    request = concurred(w)
    data = (
        api(w.users.division)
        .post(f"{URL}{request.pk}/approve/", {"effective_date": w.today.isoformat()}, format="json")
        .json()
    )
    assert data["state"] == "effected" and data["effected_placement"]


def test_reject_and_withdraw_through_the_api(transfer_world):
    w = transfer_world
    first = submitted(w)
    response = api(w.users.head_moh).post(f"{URL}{first.pk}/reject/", {"reason": "No post"}, format="json")
    assert response.json()["state"] == "rejected"
    second = submitted(w)
    response = api(w.users.head_mof).post(f"{URL}{second.pk}/withdraw/", {}, format="json")
    assert response.json()["state"] == "withdrawn"


def test_cancel_through_the_api(transfer_world):
    w = transfer_world
    request = approved(w, effective_date=w.today + dt.timedelta(days=5))
    response = api(w.users.division).post(f"{URL}{request.pk}/cancel/", {"reason": "Post abolished"}, format="json")
    assert response.json()["state"] == "cancelled"


def test_an_illegal_move_answers_400_with_the_reason(transfer_world):
    request = draft(transfer_world)
    # The receiving head does not see the other side's draft at all (404); the division does.
    assert api(transfer_world.users.head_moh).post(f"{URL}{request.pk}/concur/", {}).status_code == 404
    response = api(transfer_world.users.division).post(f"{URL}{request.pk}/concur/", {}, format="json")
    assert response.status_code == 400
    assert "is draft; it can be concurred only when it is submitted" in response.json()["detail"]


def test_a_head_may_not_approve_and_is_told_why(transfer_world):
    request = concurred(transfer_world)
    response = api(transfer_world.users.head_moh).post(f"{URL}{request.pk}/approve/", {}, format="json")
    assert response.status_code == 403
    assert "Only ICT Management Division staff" in response.json()["detail"]


def test_hr_officers_read_but_may_not_act(transfer_world):
    request = submitted(transfer_world)
    client = api(transfer_world.users.hr)
    assert client.get(f"{URL}{request.pk}/").status_code == 200
    response = client.post(f"{URL}{request.pk}/withdraw/", {}, format="json")
    assert response.status_code == 403 and "read-only" in response.json()["detail"]


def test_no_office_order_before_approval(transfer_world):
    request = submitted(transfer_world)
    response = api(transfer_world.users.division).get(f"{URL}{request.pk}/office-order/")
    assert response.status_code == 404
    assert "no office order yet" in response.json()["detail"]


def test_the_list_runs_the_same_queries_for_3_or_12_requests(transfer_world):
    w = transfer_world
    client = api(w.users.division)
    add_submitted_requests(w, 3)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(URL).json()["results"]) == 3
    add_submitted_requests(w, 9)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(URL).json()["results"]) == 12
    assert len(few) == len(many) <= 8, [q["sql"] for q in many.captured_queries]


def test_filters_by_state_kind_agency_and_age(transfer_world):
    w = transfer_world
    request = submitted(w)
    client = api(w.users.division)

    def ids(query):
        return {row["id"] for row in client.get(f"{URL}?{query}").json()["results"]}

    assert ids("state=submitted&state=concurred") == {request.pk}
    assert ids("state=approved") == set()
    assert ids("kind=transfer&agency=MOH") == {request.pk}
    assert ids("agency=DZ-PARO") == set()
    assert ids("older_than_days=0") == {request.pk}
    assert ids("older_than_days=3") == set()
    assert client.get(f"{URL}?state=lost").status_code == 400
