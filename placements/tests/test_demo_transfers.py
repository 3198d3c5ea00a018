"""seed_demo's transfer requests: every state, numbered office orders without PDFs, consistent rows."""

from io import StringIO

import pytest
from django.core.management import call_command

from placements.models import OfficeOrder, TransferRequest, TransferState
from placements.transfer_services import transfer_requests_effect_due

pytestmark = pytest.mark.django_db


def seed(**options):
    out = StringIO()
    call_command("seed_demo", stdout=out, professionals=200, years=6, seed=7, **options)
    return out.getvalue()


def test_the_demo_has_requests_in_every_state_with_numbered_orders_and_no_pdfs():
    output = seed()
    assert "transfer requests in every state" in output
    states = set(TransferRequest.objects.values_list("state", flat=True))
    assert states == set(TransferState.values)
    numbers = list(OfficeOrder.objects.order_by("year", "sequence").values_list("number", "year", "sequence"))
    assert numbers and all(number == f"ICT/{year}/{seq:03d}" for number, year, seq in numbers)
    assert not OfficeOrder.objects.exclude(file="").exists()  # rendered on first download, not at seed time
    for request in TransferRequest.objects.exclude(state="draft").prefetch_related("events"):
        actions = [event.action for event in request.events.all()]
        assert actions[0] == "create" and request.history.exists()
    for request in TransferRequest.objects.filter(state="effected").select_related("effected_placement"):
        assert request.effected_placement.office_order_number == request.office_order.number
    submitted = TransferRequest.objects.filter(state="submitted").first()
    assert {r["code"] for r in submitted.rule_results} >= {"min_service", "vacancy"}
    assert all(r["passed"] or r["overridden"] for r in submitted.rule_results)


def test_the_demo_requests_go_with_a_reset_and_come_back_the_same():
    seed()
    first = sorted(TransferRequest.objects.values_list("professional__employee_id", "state", "office_order__number"))
    seed(reset=True)
    assert (
        sorted(TransferRequest.objects.values_list("professional__employee_id", "state", "office_order__number"))
        == first
    )


def test_the_daily_task_can_effect_the_demo_approvals_when_their_day_comes():
    seed()
    day = max(TransferRequest.objects.filter(state="approved").values_list("effective_date", flat=True))
    result = transfer_requests_effect_due(today=day)
    assert result["due"] >= 3 and result["effected"] + result["failed"] == result["due"]
    assert result["effected"] >= 1
