"""Each rule: it passes, it fails with a message, it is overridden with a reason (and refused
without one); rules are data (values and switches in TransferRule rows)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agencies.models import SanctionedPost
from core.dates import add_months
from placements.establishment import vacancy_at
from placements.factories import PlacementFactory, TransferRequestFactory
from placements.models import RuleCode, TransferRequest, TransferRule, TransferRuleOverride, TransferState
from placements.selectors import rules_preview
from placements.transfer_services import transfer_request_approve, transfer_request_override, transfer_request_submit
from professionals.models import EmploymentType

from .transfer_helpers import concurred, draft

pytestmark = pytest.mark.django_db


def break_min_service(w):
    w.person.first_appointment_date = w.today - dt.timedelta(days=400)
    w.person.save()
    w.placement.start_date = w.today - dt.timedelta(days=300)
    w.placement.save()
    # A recent recruit is also new in post: switch that rule off to see this one alone.
    TransferRule.objects.filter(code="min_in_post").update(is_active=False)
    return "needs 36 months of service"


def break_min_in_post(w):
    w.placement.start_date = w.today - dt.timedelta(days=200)
    w.placement.save()
    return "36 months are reached on"


def break_near_superannuation(w):
    w.person.superannuation_date = w.today + dt.timedelta(days=200)
    w.person.save()
    return "no transfer within 12 months of it"


def break_employment_type(w):
    w.person.employment_type = EmploymentType.CONTRACT
    w.person.save()
    return "employed on contract terms, which are not eligible"


def break_vacancy(w):
    SanctionedPost.objects.filter(agency=w.moh).update(number=0)
    return "none vacant"


def break_one_open_request(w):
    TransferRequestFactory(professional=w.person, receiving_agency=w.agencies["DZ-PARO"], state=TransferState.SUBMITTED)
    return "already has an open request: TR-"


BREAKERS = {
    RuleCode.MIN_SERVICE: break_min_service,
    RuleCode.MIN_IN_POST: break_min_in_post,
    RuleCode.NEAR_SUPERANNUATION: break_near_superannuation,
    RuleCode.EMPLOYMENT_TYPE: break_employment_type,
    RuleCode.VACANCY: break_vacancy,
    RuleCode.ONE_OPEN_REQUEST: break_one_open_request,
}


def test_every_rule_of_the_code_is_seeded_with_bhutan_values(ref):
    rules = {rule.code: rule for rule in TransferRule.objects.all()}
    assert set(rules) == set(RuleCode.values)
    assert rules["min_service"].months == 36
    assert rules["near_superannuation"].months == 12
    assert rules["employment_type"].excluded_employment_types == ["contract"]


@pytest.mark.parametrize("code", list(BREAKERS))
def test_each_rule_passes_for_an_eligible_person(transfer_world, code):
    w = transfer_world
    request = draft(w)
    request = transfer_request_submit(request_id=request.pk, actor=w.users.head_mof)
    result = next(r for r in request.rule_results if r["code"] == code)
    assert result["passed"] and not result["overridden"]


@pytest.mark.parametrize("code", list(BREAKERS))
def test_each_failing_rule_blocks_submission_with_its_message(transfer_world, code):
    w = transfer_world
    request = draft(w)
    expected = BREAKERS[code](w)
    with pytest.raises(ValidationError) as error:
        transfer_request_submit(request_id=request.pk, actor=w.users.head_mof)
    messages = error.value.message_dict["rules"]
    assert any(expected in message for message in messages), messages
    assert "Only the ICT Management Division may override a rule" in messages[-1]
    assert TransferRequest.objects.get(pk=request.pk).state == TransferState.DRAFT


@pytest.mark.parametrize("code", list(BREAKERS))
def test_division_overrides_a_failing_rule_with_a_reason_which_is_kept(transfer_world, code):
    w = transfer_world
    request = draft(w)
    BREAKERS[code](w)
    request = transfer_request_submit(
        request_id=request.pk, actor=w.users.division, overrides={code: "Minister's directive of 2 Nov"}
    )
    assert request.state == TransferState.SUBMITTED
    result = next(r for r in request.rule_results if r["code"] == code)
    assert (result["passed"], result["overridden"], result["override_reason"]) == (
        False,
        True,
        "Minister's directive of 2 Nov",
    )
    override = TransferRuleOverride.objects.get(request=request)
    assert (override.rule, override.overridden_by) == (code, w.users.division)
    assert override.history.first().history_user == w.users.division
    assert request.events.filter(action="override").exists()


@pytest.mark.parametrize("code", list(BREAKERS))
def test_an_override_without_a_reason_is_refused_and_nothing_is_written(transfer_world, code):
    w = transfer_world
    request = draft(w)
    BREAKERS[code](w)
    with pytest.raises(ValidationError) as error:
        transfer_request_submit(request_id=request.pk, actor=w.users.division, overrides={code: "  "})
    assert "needs a written reason" in str(error.value.message_dict["overrides"])
    assert not TransferRuleOverride.objects.exists()
    assert TransferRequest.objects.get(pk=request.pk).state == TransferState.DRAFT


def test_an_agency_head_may_not_override(transfer_world):
    w = transfer_world
    request = draft(w)
    break_vacancy(w)
    with pytest.raises(PermissionDenied, match="Only ICT Management Division staff may override"):
        transfer_request_submit(request_id=request.pk, actor=w.users.head_mof, overrides={"vacancy": "We need it"})
    with pytest.raises(PermissionDenied):
        transfer_request_override(request_id=request.pk, actor=w.users.head_mof, rule="vacancy", reason="Please")


def test_an_unknown_rule_cannot_be_overridden(transfer_world):
    request = draft(transfer_world)
    with pytest.raises(ValidationError, match="There is no rule 'age'"):
        transfer_request_override(request_id=request.pk, actor=transfer_world.users.division, rule="age", reason="x")


def test_an_override_given_on_the_draft_lets_the_head_submit(transfer_world):
    w = transfer_world
    request = draft(w)
    break_vacancy(w)
    transfer_request_override(request_id=request.pk, actor=w.users.division, rule="vacancy", reason="Post in budget")
    request = transfer_request_submit(request_id=request.pk, actor=w.users.head_mof)
    assert request.state == TransferState.SUBMITTED


def test_the_rules_are_checked_again_at_approval(transfer_world):
    w = transfer_world
    request = concurred(w)
    break_vacancy(w)
    with pytest.raises(ValidationError, match="none vacant"):
        transfer_request_approve(request_id=request.pk, actor=w.users.division)
    assert TransferRequest.objects.get(pk=request.pk).state == TransferState.CONCURRED
    request = transfer_request_approve(
        request_id=request.pk, actor=w.users.division, overrides={"vacancy": "Post created in the 2027 budget"}
    )
    assert request.state == TransferState.APPROVED


def test_a_rule_switched_off_is_not_checked(transfer_world):
    w = transfer_world
    TransferRule.objects.filter(code="vacancy").update(is_active=False)
    request = draft(w)
    break_vacancy(w)
    request = transfer_request_submit(request_id=request.pk, actor=w.users.head_mof)
    assert "vacancy" not in {r["code"] for r in request.rule_results}


def test_a_rule_value_is_data(transfer_world):
    w = transfer_world
    request = draft(w)
    break_min_in_post(w)  # about 7 months in post
    TransferRule.objects.filter(code="min_in_post").update(months=6)
    request = transfer_request_submit(request_id=request.pk, actor=w.users.head_mof)
    assert next(r for r in request.rule_results if r["code"] == "min_in_post")["passed"]


def test_a_first_posting_is_not_held_to_the_service_rules(transfer_world, ref):
    from professionals.factories import ProfessionalFactory

    w = transfer_world
    recruit = ProfessionalFactory(first_appointment_date=w.today - dt.timedelta(days=10), position_title=w.officer)
    request = draft(w, w.users.head_moh, kind="placement", professional_id=recruit.pk)
    assert request.releasing_agency is None and request.concurrence_from == ""
    request = transfer_request_submit(request_id=request.pk, actor=w.users.head_moh)
    assert {r["code"] for r in request.rule_results} == {"near_superannuation", "vacancy", "one_open_request"}


def test_vacancy_counts_approved_incoming_and_outgoing_moves(transfer_world, ref):
    w = transfer_world

    def vacancy(on=w.today):
        return vacancy_at(agency_id=w.moh.pk, position_title_id=w.officer.pk, on=on).figures()

    moh_officer = PlacementFactory(agency=w.moh, position_title=w.officer, start_date=dt.date(2016, 1, 1))
    assert vacancy()["vacant"] == 1
    TransferRequestFactory(
        professional=PlacementFactory(agency=w.agencies["DZ-PARO"], start_date=dt.date(2016, 1, 1)).professional,
        releasing_agency=w.agencies["DZ-PARO"],
        receiving_agency=w.moh,
        position_title=w.officer,
        state=TransferState.APPROVED,
        effective_date=w.today + dt.timedelta(days=60),
    )
    # An approved arrival holds its post from the approval on, whatever its date.
    assert vacancy() == {"sanctioned": 2, "filled": 1, "incoming": 1, "outgoing": 0, "vacant": 0, "over": 0}
    TransferRequestFactory(
        professional=moh_officer.professional,
        releasing_agency=w.moh,
        receiving_agency=w.mof,
        state=TransferState.APPROVED,
        effective_date=w.today + dt.timedelta(days=30),
    )
    # An approved departure frees its post from its effective date on.
    assert vacancy()["outgoing"] == 0 and vacancy()["vacant"] == 0
    assert vacancy(on=w.today + dt.timedelta(days=30)) == {
        "sanctioned": 2,
        "filled": 1,
        "incoming": 1,
        "outgoing": 1,
        "vacant": 1,
        "over": 0,
    }


def test_the_vacancy_rule_counts_a_departure_from_its_effective_date_on(transfer_world):
    w = transfer_world
    PlacementFactory(agency=w.moh, position_title=w.officer, start_date=dt.date(2016, 1, 1))
    leaving = PlacementFactory(agency=w.moh, position_title=w.officer, start_date=dt.date(2016, 1, 1))
    leaves_on = w.today + dt.timedelta(days=90)
    TransferRequestFactory(
        professional=leaving.professional,
        releasing_agency=w.moh,
        receiving_agency=w.agencies["DZ-PARO"],
        state=TransferState.APPROVED,
        effective_date=leaves_on,
    )

    def vacancy_rule(day):
        preview = rules_preview(
            kind="transfer",
            professional=w.person,
            receiving_agency=w.moh,
            position_title=w.officer,
            effective_date=day,
        )
        return next(result for result in preview.results if result.code == "vacancy")

    before = vacancy_rule(leaves_on - dt.timedelta(days=1))
    assert not before.passed
    assert before.message.startswith(
        "Ministry of Health has 2 sanctioned ICT Officer posts, 2 filled, 0 approved incoming and "
        f"0 approved outgoing by {leaves_on - dt.timedelta(days=1):%d %b %Y}: none vacant."
    )
    on_the_day = vacancy_rule(leaves_on)
    assert on_the_day.passed
    assert on_the_day.message == (
        "Ministry of Health has 2 sanctioned ICT Officer posts, 2 filled, 0 approved incoming and "
        f"1 approved outgoing by {leaves_on:%d %b %Y}: 1 vacant."
    )


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 3, 15), -12) == dt.date(2023, 3, 15)
    assert add_months(dt.date(2020, 1, 1), 36) == dt.date(2023, 1, 1)
