"""The portal's transfer pages: the queue per role, the form with its live check, the request page
and its action buttons (POST only; 404 outside the scope, 403 for a move not one's own), the office
order's download, the professional's page and the navigation."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from placements.models import TransferRequest, TransferState

from .transfer_helpers import add_submitted_requests, approved, concurred, draft, form_data, submitted

pytestmark = pytest.mark.django_db


def as_user(client, user):
    client.force_login(user)
    return client


def test_the_queue_shows_each_role_its_requests(transfer_world, client):
    w = transfer_world
    request = submitted(w)
    for user, expected in [
        (w.users.division, True),
        (w.users.head_moh, True),
        (w.users.head_mof, True),
        (w.users.professional, True),
        (w.users.head_paro, False),
    ]:
        page = as_user(client, user).get("/transfers/").content.decode()
        assert (request.reference in page) is expected, user


def test_a_queue_row_shows_the_request_its_people_and_local_dates(transfer_world, client):
    from django.utils import timezone

    w = transfer_world
    request = submitted(w)
    # Made at 20:30 UTC: already the next day in Thimphu (UTC+6), as the row must say.
    made = dt.datetime(2026, 3, 4, 20, 30, tzinfo=dt.UTC)
    TransferRequest.objects.filter(pk=request.pk).update(created_at=made)
    html = as_user(client, w.users.division).get("/transfers/").content.decode()
    row = html[html.index(f'href="/transfers/{request.pk}/"') :].split("</tr>")[0]
    assert f">{request.reference}</a>" in row
    assert request.professional.full_name in row and request.professional.employee_id in row
    assert f"{request.releasing_agency.code} → {request.receiving_agency.code}" in row
    assert request.proposed_effective_date.strftime("%d %b %Y") in row
    assert timezone.localtime(made).strftime("%d %b %Y") == "05 Mar 2026"
    assert "05 Mar 2026" in row and " ago" in row
    assert "Submitted" in row


def test_the_queue_offers_the_agencies_in_scope_and_keeps_the_chosen_one(transfer_world, client):
    w = transfer_world
    html = as_user(client, w.users.division).get("/transfers/?agency=MOH").content.decode()
    assert '<option value="MOH" selected>' in html
    assert '<option value="MOF">' in html
    head_page = as_user(client, w.users.head_paro).get("/transfers/").content.decode()
    assert '<option value="MOH"' not in head_page


def test_the_queue_filters_in_place_with_htmx(transfer_world, client):
    w = transfer_world
    request = submitted(w)
    as_user(client, w.users.division)
    fragment = client.get("/transfers/?state=submitted", HTTP_HX_REQUEST="true")
    assert request.reference in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    assert request.reference not in client.get("/transfers/?state=approved").content.decode()
    assert "Some filters were not applied" in client.get("/transfers/?state=lost").content.decode()


def test_the_queue_runs_the_same_queries_for_3_or_30_requests(transfer_world, client):
    w = transfer_world
    as_user(client, w.users.division)
    add_submitted_requests(w, 3)
    client.get("/transfers/")  # warm the session and site settings
    with CaptureQueriesContext(connection) as few:
        client.get("/transfers/")
    add_submitted_requests(w, 27)
    with CaptureQueriesContext(connection) as many:
        assert "30" in client.get("/transfers/").content.decode()
    assert len(few) == len(many) <= 10, [q["sql"] for q in many.captured_queries]


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get("/transfers/").status_code == 302


def test_the_form_submits_a_request_and_shows_its_page(transfer_world, client):
    w = transfer_world
    as_user(client, w.users.head_mof)
    assert client.get("/transfers/new/").status_code == 200
    response = client.post("/transfers/new/", form_data(w, submit="1"))
    request = TransferRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/transfers/{request.pk}/"
    assert request.state == TransferState.SUBMITTED
    page = client.get(response["Location"]).content.decode()
    assert "Submitted" in page and "Vacant sanctioned post at the destination" in page


def test_the_form_refuses_an_unknown_employee_id_and_writes_nothing(transfer_world, client):
    as_user(client, transfer_world.users.head_mof)
    response = client.post("/transfers/new/", {"kind": "transfer", "employee_id": "X1", "receiving_agency": "MOH"})
    assert "There is no professional with employee id X1 among those you may see." in response.content.decode()
    assert not TransferRequest.objects.exists()


def test_the_form_shows_a_failed_rule_and_keeps_the_draft_unsubmitted(transfer_world, client):
    w = transfer_world
    from agencies.models import SanctionedPost

    SanctionedPost.objects.filter(agency=w.moh).update(number=0)
    as_user(client, w.users.head_mof)
    data = form_data(w)
    check = client.post("/transfers/new/check/", data, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-rule="vacancy" data-passed="no"' in check
    assert 'data-rule="min_service" data-passed="yes"' in check
    assert "only the ICT Management Division may override a rule" in check
    assert "override_vacancy" not in check  # no override box for an agency head
    response = client.post("/transfers/new/", {**data, "submit": "1"})
    assert "none vacant" in response.content.decode()
    assert not TransferRequest.objects.exists()


def test_division_overrides_from_the_form_with_a_reason(transfer_world, client):
    w = transfer_world
    from agencies.models import SanctionedPost

    SanctionedPost.objects.filter(agency=w.moh).update(number=0)
    as_user(client, w.users.division)
    data = form_data(w)
    assert "override_vacancy" in client.post("/transfers/new/check/", data).content.decode()
    client.post("/transfers/new/", {**data, "submit": "1", "override_vacancy": "Post funded from 2027"})
    request = TransferRequest.objects.get()
    assert request.state == TransferState.SUBMITTED
    page = client.get(f"/transfers/{request.pk}/").content.decode()
    assert "Overridden" in page and "Post funded from 2027" in page


def test_the_check_explains_a_basic_refusal(transfer_world, client):
    w = transfer_world
    as_user(client, w.users.head_mof)
    check = client.post("/transfers/new/check/", form_data(w, receiving_agency="MOF")).content.decode()
    assert "already serves at Ministry of Finance" in check


def test_the_check_refuses_get(transfer_world, client):
    assert as_user(client, transfer_world.users.head_mof).get("/transfers/new/check/").status_code == 405


def test_the_request_page_offers_each_user_their_moves(transfer_world, client):
    w = transfer_world
    request = submitted(w)
    moh_page = as_user(client, w.users.head_moh).get(f"/transfers/{request.pk}/").content.decode()
    assert 'data-action="concur"' in moh_page and 'data-action="reject"' in moh_page
    assert 'data-action="approve"' not in moh_page
    mof_page = as_user(client, w.users.head_mof).get(f"/transfers/{request.pk}/").content.decode()
    assert 'data-action="withdraw"' in mof_page and 'data-action="concur"' not in mof_page
    hr_page = as_user(client, w.users.hr).get(f"/transfers/{request.pk}/").content.decode()
    assert 'data-testid="actions"' not in hr_page


def test_a_request_outside_the_scope_answers_404_everywhere(transfer_world, client):
    w = transfer_world
    request = approved(w, effective_date=w.today + dt.timedelta(days=5))
    as_user(client, w.users.head_paro)
    assert client.get(f"/transfers/{request.pk}/").status_code == 404
    assert client.post(f"/transfers/{request.pk}/cancel/", {"reason": "x"}).status_code == 404
    assert client.get(f"/transfers/office-orders/{request.office_order_id}.pdf").status_code == 404


def test_concur_from_the_page(transfer_world, client):
    w = transfer_world
    request = submitted(w)
    response = as_user(client, w.users.head_moh).post(f"/transfers/{request.pk}/concur/", {"note": "Welcome"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == TransferState.CONCURRED
    assert request.events.last().note == "Welcome"


def test_actions_refuse_get(transfer_world, client):
    request = submitted(transfer_world)
    assert as_user(client, transfer_world.users.head_moh).get(f"/transfers/{request.pk}/concur/").status_code == 405


def test_a_move_not_ones_own_answers_403(transfer_world, client):
    request = submitted(transfer_world)
    assert as_user(client, transfer_world.users.head_mof).post(f"/transfers/{request.pk}/concur/").status_code == 403


def test_an_illegal_move_comes_back_with_its_message(transfer_world, client):
    w = transfer_world
    request = draft(w)
    response = as_user(client, w.users.division).post(f"/transfers/{request.pk}/approve/", follow=True)
    assert "is draft; it can be approved only when it is submitted or concurred" in response.content.decode()


def test_approve_then_download_the_office_order(transfer_world, client):
    w = transfer_world
    request = concurred(w)
    as_user(client, w.users.division)
    client.post(f"/transfers/{request.pk}/approve/", {"effective_date": w.today.isoformat()})
    request.refresh_from_db()
    assert request.state == TransferState.EFFECTED
    page = client.get(f"/transfers/{request.pk}/").content.decode()
    assert request.office_order.number in page
    pdf = as_user(client, w.users.professional).get(f"/transfers/office-orders/{request.office_order_id}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")


def test_a_bad_effective_date_is_explained(transfer_world, client):
    request = concurred(transfer_world)
    response = as_user(client, transfer_world.users.division).post(
        f"/transfers/{request.pk}/approve/", {"effective_date": "31/12/2026"}, follow=True
    )
    assert "is not a date" in response.content.decode()
    assert TransferRequest.objects.get().state == TransferState.CONCURRED


def test_the_professional_page_lists_their_requests(transfer_world, client):
    w = transfer_world
    request = submitted(w)
    page = as_user(client, w.users.professional).get(f"/professionals/{w.person.pk}/").content.decode()
    assert request.reference in page


def test_transfers_are_in_the_navigation_of_division_staff_and_agency_heads(transfer_world, client):
    w = transfer_world
    for user, shown in [(w.users.division, True), (w.users.head_moh, True), (w.users.professional, False)]:
        page = as_user(client, user).get("/").content.decode()
        assert ('href="/transfers/"' in page) is shown


def test_agency_heads_may_not_restructure(transfer_world, client):
    assert as_user(client, transfer_world.users.head_moh).get("/transfers/restructure/").status_code == 403


def test_a_move_that_the_nightly_task_effected_shows_the_system_on_its_page(transfer_world, client):
    from placements.tasks import effect_due_transfer_requests

    w = transfer_world
    day = w.today + dt.timedelta(days=5)
    request = approved(w, effective_date=day)
    assert effect_due_transfer_requests.delay(today=day.isoformat()).get()["effected"] == 1
    for user in (w.users.division, w.users.head_moh, w.users.professional):
        response = as_user(client, user).get(f"/transfers/{request.pk}/")
        assert response.status_code == 200, user
        timeline = response.content.decode().split('data-testid="timeline"')[-1]
        assert "System" in timeline


def test_a_draft_is_seen_by_the_division_and_its_authors_side_only(transfer_world, client):
    from accounts.factories import UserFactory
    from accounts.models import Role
    from accounts.services import api_client_create

    w = transfer_world
    request = draft(w)  # by MOF's ICT head, the releasing side
    second_mof_head = UserFactory(username="head-mof-2", role=Role.AGENCY_HEAD, agency=w.mof)
    for user, expected in [
        (w.users.division, 200),
        (w.users.head_mof, 200),
        (second_mof_head, 200),  # the author's side
        (w.users.hr, 404),
        (w.users.head_moh, 404),
        (w.users.professional, 404),
    ]:
        assert as_user(client, user).get(f"/transfers/{request.pk}/").status_code == expected, user
    client.logout()
    _, _, key = api_client_create(name="civil-service-hr")
    response = client.get(f"/api/v1/transfer-requests/{request.pk}/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 404  # a government-wide client is not the author's side either
