"""The transfer rules: checks that must hold before a request is submitted and again before it is
approved, and the basic facts without which a request makes no sense at all.

Two kinds of refusal:
- `proposal_check` raises a ValidationError for what no one may set aside (the person has left the
  service, the dates contradict the placement history, the person is already leaving ...);
- `rules_check` returns one `RuleResult` per configured rule (`TransferRule` rows, data). A failed
  rule blocks the request unless division staff override it with a written reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError

from agencies.models import Agency
from core.dates import add_months
from professionals.models import IN_SERVICE_STATUSES, EmploymentType, PositionTitle, Professional

from .establishment import vacancy_at
from .models import OPEN_STATES, Placement, RuleCode, TransferKind, TransferRequest, TransferRule, TransferState


@dataclass(frozen=True)
class Proposal:
    """What a request proposes, with the facts the checks need (read by the caller, under locks in
    the services)."""

    kind: str
    professional: Professional
    current: Placement | None
    receiving_agency: Agency
    position_title: PositionTitle
    effective_date: dt.date
    request_id: int | None = None


@dataclass(frozen=True)
class RuleResult:
    code: str
    name: str
    passed: bool
    message: str
    overridden: bool = False
    override_reason: str = ""

    @property
    def blocks(self) -> bool:
        return not self.passed and not self.overridden

    def as_dict(self) -> dict:
        return asdict(self)


def current_placement(professional_id: int, *, lock: bool = False) -> Placement | None:
    queryset = Placement.objects.filter(professional_id=professional_id, end_date__isnull=True).select_related(
        "agency", "position_title"
    )
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    return queryset.first()


def proposal_check(proposal: Proposal) -> None:
    """Raise a ValidationError, by field, for a request that cannot stand whatever the rules say."""
    person, current, day = proposal.professional, proposal.current, proposal.effective_date
    receiving = proposal.receiving_agency
    if person.status not in IN_SERVICE_STATUSES:
        raise ValidationError(
            {
                "professional": f"{person.full_name} has left the service ({person.get_status_display().lower()}); "
                "no placement or transfer can be requested."
            }
        )
    if proposal.kind == TransferKind.PLACEMENT and current is not None:
        raise ValidationError(
            {
                "kind": f"{person.full_name} is already placed at {current.agency.name}; ask for a transfer or a "
                "secondment instead of a first posting."
            }
        )
    if proposal.kind != TransferKind.PLACEMENT and current is None:
        raise ValidationError(
            {"kind": f"{person.full_name} has no current placement; ask for a placement (first posting) instead."}
        )
    if receiving.dissolved_on is not None:
        successor = f"; place the person with its successor, {receiving.successor.name}" if receiving.successor else ""
        raise ValidationError(
            {"receiving_agency": f"{receiving.name} was dissolved on {receiving.dissolved_on:%d %b %Y}{successor}."}
        )
    if current is not None and current.agency_id == receiving.pk:
        raise ValidationError(
            {"receiving_agency": f"{person.full_name} already serves at {receiving.name}; choose another agency."}
        )
    if current is not None and day <= current.start_date:
        raise ValidationError(
            {
                "proposed_effective_date": f"The current placement at {current.agency.name} started on "
                f"{current.start_date:%d %b %Y}; the move must take effect after that day."
            }
        )
    if day < person.first_appointment_date:
        raise ValidationError(
            {
                "proposed_effective_date": f"{person.full_name} was first appointed on "
                f"{person.first_appointment_date:%d %b %Y}; the move cannot take effect before that."
            }
        )
    if person.superannuation_date is not None and day >= person.superannuation_date:
        raise ValidationError(
            {
                "proposed_effective_date": f"{person.full_name} reaches superannuation on "
                f"{person.superannuation_date:%d %b %Y}, before the move would take effect."
            }
        )
    leaving = (
        TransferRequest.objects.filter(professional=person, state=TransferState.APPROVED)
        .exclude(pk=proposal.request_id)
        .select_related("receiving_agency")
        .first()
    )
    if leaving is not None:
        raise ValidationError(
            {
                "professional": f"{person.full_name} is already leaving: request {leaving.reference} (approved) moves "
                f"them to {leaving.receiving_agency.name} on {leaving.effective_date:%d %b %Y}. Cancel that request "
                "first if this one replaces it."
            }
        )


def active_rules(kind: str) -> list[TransferRule]:
    return [rule for rule in TransferRule.objects.filter(is_active=True) if rule.applies_to(kind)]


def _min_service(rule: TransferRule, p: Proposal) -> tuple[bool, str]:
    reached = add_months(p.professional.first_appointment_date, rule.months)
    first = f"first appointed on {p.professional.first_appointment_date:%d %b %Y}"
    if p.effective_date >= reached:
        return True, f"{p.professional.full_name} was {first}: {rule.months} months of service by then."
    return False, (
        f"{p.professional.full_name} was {first}; a {p.kind} needs {rule.months} months of service, "
        f"reached on {reached:%d %b %Y}."
    )


def _min_in_post(rule: TransferRule, p: Proposal) -> tuple[bool, str]:
    if p.current is None:
        return True, "No current post: nothing to serve out."
    reached = add_months(p.current.start_date, rule.months)
    since = f"at {p.current.agency.name} since {p.current.start_date:%d %b %Y}"
    if p.effective_date >= reached:
        return True, f"{p.professional.full_name} has served {since}: at least {rule.months} months by then."
    return (
        False,
        f"{p.professional.full_name} has served {since}; {rule.months} months are reached on {reached:%d %b %Y}.",
    )


def _near_superannuation(rule: TransferRule, p: Proposal) -> tuple[bool, str]:
    retires = p.professional.superannuation_date
    if retires is None:
        return True, "No superannuation date (no retirement rule for the grade)."
    last_day = add_months(retires, -rule.months)
    if p.effective_date < last_day:
        return True, f"Superannuation on {retires:%d %b %Y}: more than {rule.months} months away."
    return False, (
        f"{p.professional.full_name} reaches superannuation on {retires:%d %b %Y}; no {p.kind} within "
        f"{rule.months} months of it (from {last_day:%d %b %Y} on)."
    )


def _employment_type(rule: TransferRule, p: Proposal) -> tuple[bool, str]:
    kind = p.professional.employment_type
    label = EmploymentType(kind).label.lower() if kind in EmploymentType.values else kind
    if kind in rule.excluded_employment_types:
        return False, f"{p.professional.full_name} is employed on {label} terms, which are not eligible for a {p.kind}."
    return True, f"Employment type ({label}) is eligible."


def _vacancy(rule: TransferRule, p: Proposal) -> tuple[bool, str]:
    n = vacancy_at(
        agency_id=p.receiving_agency.pk,
        position_title_id=p.position_title.pk,
        on=p.effective_date,
        exclude_request_id=p.request_id,
    )
    figures = (
        f"{p.receiving_agency.name} has {n.sanctioned} sanctioned {p.position_title.name} post"
        f"{'s' if n.sanctioned != 1 else ''}, {n.filled} filled, {n.incoming} approved incoming and "
        f"{n.outgoing} approved outgoing by {p.effective_date:%d %b %Y}"
    )
    if n.vacant > 0:
        return True, f"{figures}: {n.vacant} vacant."
    return False, f"{figures}: none vacant. Raise the establishment or choose another agency or title."


def _one_open_request(rule: TransferRule, p: Proposal) -> tuple[bool, str]:
    others = list(
        TransferRequest.objects.filter(professional=p.professional, state__in=OPEN_STATES)
        .exclude(pk=p.request_id)
        .order_by("id")
        .values_list("id", "state")
    )
    if not others:
        return True, "No other open request for this professional."
    listed = ", ".join(f"TR-{pk:05d} ({TransferState(state).label.lower()})" for pk, state in others)
    return False, f"{p.professional.full_name} already has an open request: {listed}. Withdraw it first."


CHECKS = {
    RuleCode.MIN_SERVICE: _min_service,
    RuleCode.MIN_IN_POST: _min_in_post,
    RuleCode.NEAR_SUPERANNUATION: _near_superannuation,
    RuleCode.EMPLOYMENT_TYPE: _employment_type,
    RuleCode.VACANCY: _vacancy,
    RuleCode.ONE_OPEN_REQUEST: _one_open_request,
}


def rules_check(proposal: Proposal, *, overrides: dict[str, str] | None = None) -> list[RuleResult]:
    """Every active rule for the proposal's kind, in order, each passed or failed with a message;
    a failed rule with an override (rule code -> reason) is marked overridden."""
    overrides = overrides or {}
    results = []
    for rule in active_rules(proposal.kind):
        passed, message = CHECKS[RuleCode(rule.code)](rule, proposal)
        reason = overrides.get(rule.code, "")
        results.append(
            RuleResult(
                code=rule.code,
                name=rule.get_code_display(),
                passed=passed,
                message=message,
                overridden=not passed and bool(reason),
                override_reason=reason if not passed else "",
            )
        )
    return results


def blocking_error(results: list[RuleResult], *, may_override: bool) -> ValidationError | None:
    """One ValidationError listing every failed rule that is not overridden, or None."""
    failed = [r for r in results if r.blocks]
    if not failed:
        return None
    hint = (
        "Override a rule only with a written reason."
        if may_override
        else "Only the ICT Management Division may override a rule, with a written reason: ask them."
    )
    return ValidationError(
        {"rules": [f"{r.name}: {r.message}" for r in failed] + [hint]},
        code="rule_failed",
    )
