"""Every move of a transfer request through the services: the happy path, the illegal move, the
forbidden user and the audit entry (GET refused is tested with the pages and the API)."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from placements.factories import PlacementFactory, TransferRequestFactory
from placements.models import (
    OfficeOrder,
    Placement,
    PlacementKind,
    RequesterSide,
    TransferRequest,
    TransferRule,
    TransferState,
)
from placements.transfer_services import (
    transfer_request_approve,
    transfer_request_cancel,
    transfer_request_concur,
    transfer_request_effect,
    transfer_request_reject,
    transfer_request_submit,
    transfer_request_withdraw,
)
from professionals.models import Status

from .transfer_helpers import approved, committed, concurred, draft, last_reason, submitted

pytestmark = pytest.mark.django_db


# --- create -------------------------------------------------------------------------------------


def test_the_releasing_head_drafts_a_transfer_that_the_receiving_head_must_concur(transfer_world):
    w = transfer_world
    request = draft(w)
    assert request.state == TransferState.DRAFT
    assert request.releasing_agency == w.mof
    assert request.requester_side == RequesterSide.RELEASING
    assert request.concurrence_from == RequesterSide.RECEIVING
    assert request.history.count() == 1
    assert request.history.first().history_user == w.users.head_mof
    assert list(request.events.values_list("action", flat=True)) == ["create"]


def test_the_receiving_head_asks_and_the_releasing_head_concurs(transfer_world):
    request = draft(transfer_world, transfer_world.users.head_moh)
    assert request.requester_side == RequesterSide.RECEIVING
    assert request.concurrence_from == RequesterSide.RELEASING


def test_a_head_of_neither_agency_may_not_ask(transfer_world):
    with pytest.raises(PermissionDenied, match="into or out of their own agency"):
        draft(transfer_world, transfer_world.users.head_paro)
    assert not TransferRequest.objects.exists()


def test_an_hr_officer_may_not_ask(transfer_world):
    with pytest.raises(PermissionDenied, match="read-only"):
        draft(transfer_world, transfer_world.users.hr)


def test_a_professional_asks_for_their_own_transfer_only(transfer_world, ref):
    w = transfer_world
    request = draft(w, w.users.professional)
    assert request.requester_side == RequesterSide.PROFESSIONAL
    other = PlacementFactory(agency=w.mof, start_date=dt.date(2019, 1, 1)).professional
    with pytest.raises(PermissionDenied, match="their own transfer"):
        draft(w, w.users.professional, professional_id=other.pk)


def test_an_effective_date_before_the_current_placement_started_is_refused(transfer_world):
    w = transfer_world
    with pytest.raises(ValidationError) as error:
        draft(w, proposed_effective_date=dt.date(2019, 6, 1))
    assert "started on 01 Jan 2020" in str(error.value.message_dict["proposed_effective_date"])
    assert not TransferRequest.objects.exists()


def test_a_move_to_the_agency_the_person_serves_in_is_refused(transfer_world):
    with pytest.raises(ValidationError, match="already serves at Ministry of Finance"):
        draft(transfer_world, receiving_agency=transfer_world.mof)


def test_a_move_to_a_dissolved_agency_names_its_successor(transfer_world):
    w = transfer_world
    w.moh.dissolved_on, w.moh.successor = dt.date(2024, 1, 1), w.agencies["DZ-PARO"]
    w.moh.save()
    with pytest.raises(ValidationError, match="dissolved on 01 Jan 2024; place the person with its successor"):
        draft(w)


def test_someone_who_left_the_service_cannot_be_moved(transfer_world):
    w = transfer_world
    w.person.status = Status.RESIGNED
    w.person.save()
    with pytest.raises(ValidationError, match="has left the service"):
        draft(w)


def test_a_request_for_someone_already_leaving_is_refused(transfer_world):
    w = transfer_world
    approved(w, effective_date=w.today + dt.timedelta(days=30))
    with pytest.raises(ValidationError, match="is already leaving"):
        draft(w, w.users.division, receiving_agency=w.agencies["DZ-PARO"])
    assert TransferRequest.objects.count() == 1


def test_a_request_without_a_reason_is_refused(transfer_world):
    with pytest.raises(ValidationError, match="Say why"):
        draft(transfer_world, reason="  ")


def test_a_first_posting_for_someone_already_placed_is_refused(transfer_world):
    with pytest.raises(ValidationError, match="already placed at Ministry of Finance"):
        draft(transfer_world, transfer_world.users.division, kind="placement")


# --- submit -------------------------------------------------------------------------------------


def test_submit_checks_the_rules_keeps_their_results_and_mails_everyone_concerned(transfer_world):
    w = transfer_world
    request = submitted(w)
    assert request.state == TransferState.SUBMITTED
    assert request.submitted_at is not None
    assert {r["code"] for r in request.rule_results} >= {"min_service", "vacancy", "one_open_request"}
    assert all(r["passed"] for r in request.rule_results)
    assert last_reason(request) == "Submitted"
    assert request.history.order_by("-history_id").first().history_user == w.users.head_mof
    (message,) = mail.outbox
    assert sorted(message.to) == ["head.mof@example.bt", "head.moh@example.bt", "karma@example.bt"]
    assert message.subject == f"{request.reference} submitted: transfer of Karma Wangchuk to Ministry of Health"
    assert "From:       Ministry of Finance" in message.body
    assert "ICT head of the receiving agency is asked to concur" in message.body


def test_submitting_twice_is_an_illegal_move(transfer_world):
    request = submitted(transfer_world)
    with pytest.raises(ValidationError, match="is submitted; it can be submitted only when it is draft"):
        transfer_request_submit(request_id=request.pk, actor=transfer_world.users.head_mof)


def test_the_other_side_may_not_submit_a_draft(transfer_world):
    request = draft(transfer_world)
    with pytest.raises(PermissionDenied, match="Only whoever made request"):
        transfer_request_submit(request_id=request.pk, actor=transfer_world.users.head_moh)
    assert TransferRequest.objects.get().state == TransferState.DRAFT


# --- concur -------------------------------------------------------------------------------------


def test_the_receiving_head_concurs(transfer_world):
    w = transfer_world
    request = concurred(w)
    assert request.state == TransferState.CONCURRED
    assert last_reason(request) == "Concurred"
    assert request.history.order_by("-history_id").first().history_user == w.users.head_moh
    assert mail.outbox[-1].subject.startswith(f"{request.reference} concurred")


def test_the_requesting_side_may_not_concur_with_itself(transfer_world):
    request = submitted(transfer_world)
    with pytest.raises(PermissionDenied, match="receiving agency may concur"):
        transfer_request_concur(request_id=request.pk, actor=transfer_world.users.head_mof)


def test_a_draft_cannot_be_concurred(transfer_world):
    request = draft(transfer_world)
    with pytest.raises(ValidationError, match="is draft; it can be concurred only when it is submitted"):
        transfer_request_concur(request_id=request.pk, actor=transfer_world.users.head_moh)


# --- approve and effect -------------------------------------------------------------------------


def test_approval_with_a_future_date_numbers_an_office_order_and_waits(transfer_world):
    w = transfer_world
    request = approved(w, effective_date=w.today + dt.timedelta(days=10))
    assert request.state == TransferState.APPROVED
    assert request.office_order.number == f"ICT/{w.today.year}/001"
    assert OfficeOrder.objects.get(pk=request.office_order_id).file.name  # rendered by the task (eager in tests)
    assert Placement.objects.get(professional=w.person, end_date__isnull=True).agency == w.mof
    assert last_reason(request) == "Approved"
    assert "Office order ICT/" in mail.outbox[-1].body


def test_approval_dated_today_effects_the_move_in_the_same_transaction(transfer_world):
    w = transfer_world
    request = approved(w, effective_date=w.today)
    assert request.state == TransferState.EFFECTED
    new = Placement.objects.get(professional=w.person, end_date__isnull=True)
    assert (new.agency, new.kind, new.start_date) == (w.moh, PlacementKind.TRANSFER, w.today)
    assert new.office_order_number == request.office_order.number
    w.placement.refresh_from_db()
    assert w.placement.end_date == w.today
    assert request.effected_placement == new
    assert [e.action for e in request.events.all()] == ["create", "submit", "concur", "approve", "effect"]
    assert new.history.first().history_user == w.users.division


def test_office_order_numbers_run_on_within_the_year(transfer_world, ref):
    w = transfer_world
    approved(w, effective_date=w.today + dt.timedelta(days=5))
    other = PlacementFactory(agency=w.mof, position_title=w.officer, start_date=dt.date(2018, 1, 1)).professional
    second = approved(w, professional_id=other.pk, effective_date=w.today + dt.timedelta(days=5))
    assert second.office_order.number == f"ICT/{w.today.year}/002"


def test_the_office_order_prefix_is_a_setting(transfer_world):
    from agencies.models import SiteSettings

    site = SiteSettings.load()
    site.office_order_prefix = "GT/HRD"
    site.save()
    request = approved(transfer_world, effective_date=transfer_world.today + dt.timedelta(days=5))
    assert request.office_order.number.startswith("GT/HRD/")


def test_an_agency_head_may_not_approve(transfer_world):
    request = concurred(transfer_world)
    with pytest.raises(PermissionDenied, match="Only ICT Management Division staff"):
        transfer_request_approve(request_id=request.pk, actor=transfer_world.users.head_moh)
    assert not OfficeOrder.objects.exists()


def test_a_request_waiting_for_concurrence_cannot_be_approved(transfer_world):
    request = submitted(transfer_world)
    with pytest.raises(ValidationError, match="waits for the concurrence of the receiving agency"):
        transfer_request_approve(request_id=request.pk, actor=transfer_world.users.division)
    assert not OfficeOrder.objects.exists()


def test_a_head_speaking_for_both_sides_needs_no_concurrence(transfer_world, ref):
    w = transfer_world
    from agencies.factories import SanctionedPostFactory
    from professionals.factories import ProfessionalFactory

    SanctionedPostFactory(agency=w.agencies["DMS"], position_title=w.officer, number=1)
    person = ProfessionalFactory(first_appointment_date=dt.date(2012, 1, 1), position_title=w.officer)
    PlacementFactory(professional=person, agency=w.moh, position_title=w.officer, start_date=dt.date(2019, 1, 1))
    request = submitted(w, w.users.head_moh, professional_id=person.pk, receiving_agency=w.agencies["DMS"])
    assert request.concurrence_from == ""
    request = transfer_request_approve(request_id=request.pk, actor=w.users.division, effective_date=w.today)
    assert request.state == TransferState.EFFECTED


def test_an_approved_request_cannot_be_approved_again(transfer_world):
    request = approved(transfer_world, effective_date=transfer_world.today + dt.timedelta(days=3))
    with pytest.raises(ValidationError, match="is approved; it can be approved only when it is submitted or concurred"):
        transfer_request_approve(request_id=request.pk, actor=transfer_world.users.division)


def test_effecting_before_the_date_is_refused(transfer_world):
    w = transfer_world
    request = approved(w, effective_date=w.today + dt.timedelta(days=3))
    with pytest.raises(ValidationError, match="it can be effected on or after that day"):
        transfer_request_effect(request_id=request.pk, actor=w.users.division)


def test_division_effects_on_the_day(transfer_world):
    w = transfer_world
    day = w.today + dt.timedelta(days=3)
    request = approved(w, effective_date=day)
    with committed():
        request = transfer_request_effect(request_id=request.pk, actor=w.users.division, today=day)
    assert request.state == TransferState.EFFECTED
    assert last_reason(request) == "Effected"
    assert mail.outbox[-1].subject.startswith(f"{request.reference} effected")


def test_an_agency_head_may_not_effect(transfer_world):
    w = transfer_world
    request = approved(w, effective_date=w.today + dt.timedelta(days=3))
    with pytest.raises(PermissionDenied):
        transfer_request_effect(request_id=request.pk, actor=w.users.head_moh, today=w.today + dt.timedelta(days=3))


def test_the_daily_task_effects_requests_whose_day_has_come(transfer_world):
    from placements.tasks import effect_due_transfer_requests

    w = transfer_world
    day = w.today + dt.timedelta(days=7)
    request = approved(w, effective_date=day)
    assert effect_due_transfer_requests.delay(today=(day - dt.timedelta(days=1)).isoformat()).get()["effected"] == 0
    assert effect_due_transfer_requests.delay(today=day.isoformat()).get() == {"due": 1, "effected": 1, "failed": 0}
    request.refresh_from_db()
    assert request.state == TransferState.EFFECTED
    current = Placement.objects.get(professional=w.person, end_date__isnull=True)
    assert (current.agency, current.start_date) == (w.moh, day)
    assert request.history.order_by("-history_id").first().history_user is None  # the system


def test_the_daily_task_keeps_why_a_request_could_not_be_effected(transfer_world):
    from placements.services import placement_start
    from placements.tasks import effect_due_transfer_requests

    w = transfer_world
    day = w.today + dt.timedelta(days=7)
    request = approved(w, effective_date=day)
    placement_start(
        professional_id=w.person.pk, agency=w.agencies["DZ-PARO"], start_date=w.today, actor=w.users.division
    )
    assert effect_due_transfer_requests.delay(today=day.isoformat()).get() == {"due": 1, "effected": 0, "failed": 1}
    request.refresh_from_db()
    assert request.state == TransferState.APPROVED
    assert "has moved since" in request.effect_error


def test_the_beat_schedule_runs_the_daily_task():
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "placements.tasks.effect_due_transfer_requests" in tasks


# --- reject, withdraw, cancel -------------------------------------------------------------------


def test_the_receiving_head_rejects_with_a_reason(transfer_world):
    w = transfer_world
    request = submitted(w)
    with committed():
        request = transfer_request_reject(request_id=request.pk, actor=w.users.head_moh, reason="No post this year.")
    assert request.state == TransferState.REJECTED
    assert request.events.last().note == "No post this year."
    assert last_reason(request) == "Rejected: No post this year."
    assert "Reason: No post this year." in mail.outbox[-1].body


def test_rejecting_needs_a_reason(transfer_world):
    request = submitted(transfer_world)
    with pytest.raises(ValidationError, match="Give the reason"):
        transfer_request_reject(request_id=request.pk, actor=transfer_world.users.head_moh, reason="")
    assert TransferRequest.objects.get().state == TransferState.SUBMITTED


def test_the_professional_may_not_reject(transfer_world):
    request = submitted(transfer_world)
    with pytest.raises(PermissionDenied):
        transfer_request_reject(request_id=request.pk, actor=transfer_world.users.professional, reason="No")


def test_an_approved_request_cannot_be_rejected(transfer_world):
    request = approved(transfer_world, effective_date=transfer_world.today + dt.timedelta(days=3))
    with pytest.raises(ValidationError, match="is approved; it can be rejected only when"):
        transfer_request_reject(request_id=request.pk, actor=transfer_world.users.division, reason="Late")


def test_the_requester_withdraws(transfer_world):
    w = transfer_world
    request = concurred(w)
    request = transfer_request_withdraw(request_id=request.pk, actor=w.users.head_mof, reason="Found someone else")
    assert request.state == TransferState.WITHDRAWN
    assert last_reason(request) == "Withdrawn: Found someone else"


def test_the_other_side_may_not_withdraw(transfer_world):
    request = submitted(transfer_world)
    with pytest.raises(PermissionDenied):
        transfer_request_withdraw(request_id=request.pk, actor=transfer_world.users.head_moh)


def test_an_approved_request_cannot_be_withdrawn(transfer_world):
    request = approved(transfer_world, effective_date=transfer_world.today + dt.timedelta(days=3))
    with pytest.raises(ValidationError, match="it can be withdrawn only when it is draft, submitted or concurred"):
        transfer_request_withdraw(request_id=request.pk, actor=transfer_world.users.head_mof)


def test_division_cancels_an_approved_request_with_a_reason(transfer_world):
    w = transfer_world
    request = approved(w, effective_date=w.today + dt.timedelta(days=3))
    with pytest.raises(ValidationError, match="Give the reason"):
        transfer_request_cancel(request_id=request.pk, actor=w.users.division, reason="")
    with pytest.raises(PermissionDenied):
        transfer_request_cancel(request_id=request.pk, actor=w.users.head_mof, reason="Changed our mind")
    request = transfer_request_cancel(request_id=request.pk, actor=w.users.division, reason="Post abolished")
    assert request.state == TransferState.CANCELLED
    assert last_reason(request) == "Cancelled: Post abolished"
    with pytest.raises(ValidationError, match="is cancelled"):
        transfer_request_cancel(request_id=request.pk, actor=w.users.division, reason="again")


# --- the admin calls the same services ----------------------------------------------------------


def test_the_admin_approves_through_the_service_and_reports_refusals(transfer_world, client):
    w = transfer_world
    good = concurred(w)
    waiting = TransferRequestFactory(
        professional=PlacementFactory(agency=w.mof, start_date=dt.date(2016, 1, 1)).professional,
        releasing_agency=w.mof,
        receiving_agency=w.moh,
        state=TransferState.DRAFT,
    )
    client.force_login(w.users.division)
    response = client.post(
        "/admin/placements/transferrequest/",
        {"action": "approve_selected", "_selected_action": [good.pk, waiting.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert "1 request approved." in text
    assert f"{waiting.reference}: Request {waiting.reference} is draft" in text
    assert TransferRequest.objects.get(pk=good.pk).state == TransferState.APPROVED


def test_transfer_rules_are_edited_in_the_admin(transfer_world, client):
    client.force_login(transfer_world.users.division)
    rule = TransferRule.objects.get(code="min_service")
    response = client.get(f"/admin/placements/transferrule/{rule.pk}/change/")
    assert response.status_code == 200
    assert client.get("/admin/placements/transferrule/add/").status_code == 403
