"""Writes on transfer requests: every move of the state machine, overrides, effecting, the daily
task's sweep and restructuring. The portal, the API, the admin and the Celery tasks all call these.

Each move: one transaction; the professional's row locked first, then the request's (always in
that order, as `placement_start` does, so two moves of one person queue up instead of
deadlocking); the state and the rules re-checked on the locked rows; saved with an audit entry
and a timeline event; emails and the office-order PDF queued with `on_commit`.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.audit import actor_user, stamp
from agencies.models import Agency
from agencies.services import agency_dissolve
from professionals.models import Professional

from .models import (
    OPEN_STATES,
    PLACEMENT_KIND_FOR,
    OfficeOrder,
    OfficeOrderKind,
    Placement,
    PlacementKind,
    RuleCode,
    TransferAction,
    TransferKind,
    TransferRequest,
    TransferRequestEvent,
    TransferRuleOverride,
    TransferState,
)
from .office_orders import OrderLine, office_order_issue
from .permissions import action_refusal, agency_sides, concurrence_needed, may_decide, request_refusal
from .rules import Proposal, RuleResult, blocking_error, current_placement, proposal_check, rules_check
from .services import placement_start

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------------------------------------
# Helpers shared by the moves


def _render_after_commit(order_id: int) -> None:
    from .tasks import render_office_order

    transaction.on_commit(lambda: render_office_order.delay(order_id))


def _queue_after_commit(request_id: int, action: str, *, render_order_id: int | None = None) -> None:
    from .tasks import send_transfer_notification

    if render_order_id is not None:
        _render_after_commit(render_order_id)
    transaction.on_commit(lambda: send_transfer_notification.delay(request_id, action))


def _lock(request_id: int) -> tuple[Professional, TransferRequest]:
    """Lock the professional, then the request (the fixed order every move of a person uses)."""
    professional_id = TransferRequest.objects.values_list("professional_id", flat=True).get(pk=request_id)
    professional = Professional.objects.select_for_update().get(pk=professional_id)
    request = TransferRequest.objects.select_for_update().get(pk=request_id)
    return professional, request


def _authorize(actor, action: str, request: TransferRequest) -> None:
    refusal = action_refusal(actor, action, request)
    if refusal:
        raise PermissionDenied(refusal)


def _move(request: TransferRequest, action: str, actor, *, note: str = "", fields: tuple[str, ...] = ()) -> None:
    """Move `request` by `action` (refused with a message if the state machine forbids it), save
    it with an audit entry and add the timeline event."""
    from_state = request.state
    request.state = request.next_state(action)
    stamp(request, actor, f"{TransferAction(action).label}{': ' + note if note else ''}")
    request.save(update_fields=["state", "updated_at", *fields])
    TransferRequestEvent.objects.create(
        request=request,
        action=action,
        from_state=from_state,
        to_state=request.state,
        actor=actor_user(actor),
        note=note,
    )


def _proposal(request: TransferRequest, professional: Professional, day: dt.date, *, lock: bool) -> Proposal:
    return Proposal(
        kind=request.kind,
        professional=professional,
        current=current_placement(professional.pk, lock=lock),
        receiving_agency=request.receiving_agency,
        position_title=request.position_title,
        effective_date=day,
        request_id=request.pk,
    )


def _overrides_add(request: TransferRequest, overrides: dict[str, str] | None, actor) -> None:
    """Keep division staff's overrides (rule code -> written reason) on the request."""
    if not overrides:
        return
    if not may_decide(actor):
        raise PermissionDenied("Only ICT Management Division staff may override a rule.")
    errors = []
    for code, reason in overrides.items():
        if code not in RuleCode.values:
            errors.append(f"There is no rule {code!r}; the rules are {', '.join(RuleCode.values)}.")
        elif not (reason or "").strip():
            errors.append(f"Overriding '{RuleCode(code).label}' needs a written reason; nothing was overridden.")
    if errors:
        raise ValidationError({"overrides": errors})
    for code, reason in overrides.items():
        override = TransferRuleOverride.objects.filter(request=request, rule=code).first() or TransferRuleOverride(
            request=request, rule=code
        )
        override.reason = reason.strip()
        override.overridden_by = actor_user(actor)
        stamp(override, actor, "Rule overridden")
        override.save()
        TransferRequestEvent.objects.create(
            request=request,
            action=TransferAction.OVERRIDE,
            from_state=request.state,
            to_state=request.state,
            actor=override.overridden_by,
            note=f"{RuleCode(code).label}: {override.reason}",
        )


def _rules_enforce(request: TransferRequest, professional: Professional, actor, day: dt.date) -> list[RuleResult]:
    """Check the basics and the rules on locked rows; raise if anything blocks; keep the results."""
    proposal = _proposal(request, professional, day, lock=True)
    proposal_check(proposal)
    overrides = dict(request.overrides.values_list("rule", "reason"))
    results = rules_check(proposal, overrides=overrides)
    error = blocking_error(results, may_override=may_decide(actor))
    if error is not None:
        raise error
    request.rule_results = [result.as_dict() for result in results]
    request.rules_checked_at = timezone.now()
    return results


# ---------------------------------------------------------------------------------------------
# The moves


@transaction.atomic
def transfer_request_create(
    *,
    actor,
    kind: str,
    professional_id: int,
    receiving_agency: Agency,
    position_title,
    reason: str,
    proposed_effective_date: dt.date,
    submit: bool = False,
    overrides: dict[str, str] | None = None,
) -> TransferRequest:
    """Write a draft request (and submit it at once with `submit`). Bad input is refused before
    anything is written: unknown or dissolved agency, dates before the current placement, a
    person who has left or is already leaving."""
    if kind not in TransferKind.values:
        raise ValidationError({"kind": f"Unknown kind {kind!r}; use {', '.join(TransferKind.values)}."})
    professional = Professional.objects.select_for_update().get(pk=professional_id)
    current = current_placement(professional.pk, lock=True)
    releasing_id = current.agency_id if current else None
    side, refusal = request_refusal(
        actor, professional_id=professional.pk, releasing_id=releasing_id, receiving_id=receiving_agency.pk
    )
    if refusal:
        raise PermissionDenied(refusal)
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the move is needed; the agencies and the division read it."})
    proposal_check(
        Proposal(
            kind=kind,
            professional=professional,
            current=current,
            receiving_agency=receiving_agency,
            position_title=position_title,
            effective_date=proposed_effective_date,
        )
    )
    sides = agency_sides(actor, releasing_id=releasing_id, receiving_id=receiving_agency.pk)
    request = TransferRequest(
        kind=kind,
        professional=professional,
        releasing_agency_id=releasing_id,
        receiving_agency=receiving_agency,
        position_title=position_title,
        reason=reason.strip(),
        proposed_effective_date=proposed_effective_date,
        requested_by=actor_user(actor),
        requester_side=side,
        concurrence_from=concurrence_needed(side, sides, has_releasing=releasing_id is not None),
    )
    request.full_clean()
    stamp(request, actor, "Created")
    request.save()
    TransferRequestEvent.objects.create(
        request=request, action=TransferAction.CREATE, to_state=request.state, actor=request.requested_by
    )
    _overrides_add(request, overrides, actor)
    if submit:
        _submit(professional, request, actor)
    return request


def _submit(professional: Professional, request: TransferRequest, actor) -> None:
    _authorize(actor, TransferAction.SUBMIT, request)
    request.next_state(TransferAction.SUBMIT)  # refuse an illegal move before checking the rules
    _rules_enforce(request, professional, actor, request.proposed_effective_date)
    request.submitted_at = timezone.now()
    _move(request, TransferAction.SUBMIT, actor, fields=("submitted_at", "rule_results", "rules_checked_at"))
    _queue_after_commit(request.pk, TransferAction.SUBMIT)


@transaction.atomic
def transfer_request_submit(*, request_id: int, actor, overrides: dict[str, str] | None = None) -> TransferRequest:
    """Draft -> submitted, once the basics and every rule pass (or are overridden)."""
    professional, request = _lock(request_id)
    _authorize(actor, TransferAction.SUBMIT, request)
    request.next_state(TransferAction.SUBMIT)
    _overrides_add(request, overrides, actor)
    _submit(professional, request, actor)
    return request


@transaction.atomic
def transfer_request_concur(*, request_id: int, actor, note: str = "") -> TransferRequest:
    """Submitted -> concurred: the other agency's ICT head (or the division for them) agrees."""
    _professional, request = _lock(request_id)
    _authorize(actor, TransferAction.CONCUR, request)
    if not request.concurrence_from and request.state == TransferState.SUBMITTED:
        raise ValidationError(
            f"Request {request.reference} needs no concurrence: the requester speaks for both agencies. "
            "The division approves it directly."
        )
    _move(request, TransferAction.CONCUR, actor, note=note.strip())
    _queue_after_commit(request.pk, TransferAction.CONCUR)
    return request


@transaction.atomic
def transfer_request_approve(
    *,
    request_id: int,
    actor,
    effective_date: dt.date | None = None,
    overrides: dict[str, str] | None = None,
    note: str = "",
    today: dt.date | None = None,
) -> TransferRequest:
    """Concurred (or submitted, when no concurrence is needed) -> approved, by the division.

    The rules are checked again on the locked rows; an office order is numbered now and rendered
    after commit. With an effective date of today or earlier the move is effected in this same
    transaction; a later date is effected by the daily task on that day."""
    today = today or timezone.localdate()
    professional, request = _lock(request_id)
    _authorize(actor, TransferAction.APPROVE, request)
    request.next_state(TransferAction.APPROVE)
    if request.state == TransferState.SUBMITTED and request.concurrence_from:
        raise ValidationError(
            f"Request {request.reference} waits for the concurrence of the "
            f"{request.get_concurrence_from_display().lower()}'s ICT head; it can be approved once they concur."
        )
    _overrides_add(request, overrides, actor)
    day = effective_date or request.proposed_effective_date
    _rules_enforce(request, professional, actor, day)
    request.effective_date = day
    request.decided_at = timezone.now()
    request.office_order = _transfer_order(request, professional, actor)
    _move(
        request,
        TransferAction.APPROVE,
        actor,
        note=note.strip(),
        fields=("effective_date", "decided_at", "office_order", "rule_results", "rules_checked_at"),
    )
    _queue_after_commit(request.pk, TransferAction.APPROVE, render_order_id=request.office_order_id)
    if day <= today:
        _effect(professional, request, actor)
    return request


def _transfer_order(request: TransferRequest, professional: Professional, actor) -> OfficeOrder:
    kind = request.get_kind_display().split(" (")[0].lower()
    receiving = request.receiving_agency
    releasing = f" from {request.releasing_agency.name}" if request.releasing_agency_id else ""
    return office_order_issue(
        kind=OfficeOrderKind.TRANSFER,
        subject=f"{kind.capitalize()} of {professional.full_name} ({professional.employee_id})",
        body=(
            f"In the interest of public service, and on request {request.reference}, {professional.full_name}, "
            f"{request.position_title.name}, is hereby ordered on {kind}{releasing} to {receiving.name} "
            f"with effect from {request.effective_date:%d %B %Y}.\n\nReason: {request.reason}"
        ),
        lines=[
            OrderLine(
                professional_id=professional.pk,
                from_agency_id=request.releasing_agency_id,
                to_agency_id=receiving.pk,
                position_title_id=request.position_title_id,
                effective_date=request.effective_date,
            )
        ],
        actor=actor,
    )


def _effect(professional: Professional, request: TransferRequest, actor) -> Placement:
    """Close the current placement and open the new one, on the locked rows."""
    request.next_state(TransferAction.EFFECT)
    current = current_placement(professional.pk, lock=True)
    if request.kind != TransferKind.PLACEMENT and (current is None or current.agency_id != request.releasing_agency_id):
        where = f"now at {current.agency.name} since {current.start_date:%d %b %Y}" if current else "no longer placed"
        raise ValidationError(
            f"{professional.full_name} has moved since request {request.reference} was made ({where}); it can no "
            "longer be effected. Cancel it and make a new request if the move is still wanted."
        )
    if request.kind == TransferKind.PLACEMENT and current is not None:
        raise ValidationError(
            f"{professional.full_name} has been placed at {current.agency.name} since this first posting was "
            f"approved; cancel request {request.reference}."
        )
    placement = placement_start(
        professional_id=professional.pk,
        agency=request.receiving_agency,
        start_date=request.effective_date,
        actor=actor,
        position_title=request.position_title,
        kind=PLACEMENT_KIND_FOR[TransferKind(request.kind)],
        office_order_number=request.office_order.number if request.office_order_id else "",
        notes=f"By request {request.reference}",
    )
    request.effected_placement = placement
    request.effect_error = ""
    _move(request, TransferAction.EFFECT, actor, fields=("effected_placement", "effect_error"))
    _queue_after_commit(request.pk, TransferAction.EFFECT)
    return placement


@transaction.atomic
def transfer_request_effect(*, request_id: int, actor, today: dt.date | None = None) -> TransferRequest:
    """Approved -> effected, on or after the effective date (the daily task, or division staff)."""
    today = today or timezone.localdate()
    professional, request = _lock(request_id)
    _authorize(actor, TransferAction.EFFECT, request)
    request.next_state(TransferAction.EFFECT)
    if request.effective_date > today:
        raise ValidationError(
            f"Request {request.reference} takes effect on {request.effective_date:%d %b %Y}; it can be effected on "
            "or after that day (the daily task does it then)."
        )
    _effect(professional, request, actor)
    return request


def _close(action: str, *, request_id: int, actor, reason: str, reason_required: bool) -> TransferRequest:
    _professional, request = _lock(request_id)
    _authorize(actor, action, request)
    request.next_state(action)
    reason = (reason or "").strip()
    if reason_required and not reason:
        raise ValidationError({"reason": "Give the reason; the requester and the agencies read it."})
    request.decided_at = timezone.now()
    _move(request, action, actor, note=reason, fields=("decided_at",))
    _queue_after_commit(request.pk, action)
    return request


@transaction.atomic
def transfer_request_reject(*, request_id: int, actor, reason: str) -> TransferRequest:
    """Submitted or concurred -> rejected, with a reason."""
    return _close(TransferAction.REJECT, request_id=request_id, actor=actor, reason=reason, reason_required=True)


@transaction.atomic
def transfer_request_withdraw(*, request_id: int, actor, reason: str = "") -> TransferRequest:
    """Draft, submitted or concurred -> withdrawn, by whoever asked (or their side, or the division)."""
    return _close(TransferAction.WITHDRAW, request_id=request_id, actor=actor, reason=reason, reason_required=False)


@transaction.atomic
def transfer_request_cancel(*, request_id: int, actor, reason: str) -> TransferRequest:
    """Approved (not yet effected) -> cancelled, by the division, with a reason. Its office order
    stays on record, with the request showing it was cancelled."""
    return _close(TransferAction.CANCEL, request_id=request_id, actor=actor, reason=reason, reason_required=True)


@transaction.atomic
def transfer_request_override(*, request_id: int, actor, rule: str, reason: str) -> TransferRequest:
    """Division staff set one rule aside for an open request, with a written reason."""
    _professional, request = _lock(request_id)
    if request.state not in OPEN_STATES:
        raise ValidationError(
            f"Request {request.reference} is {request.get_state_display().lower()}; rules are overridden only on "
            "open requests."
        )
    _overrides_add(request, {rule: reason}, actor)
    return request


def transfer_requests_effect_due(*, today: dt.date, actor=None) -> dict[str, int]:
    """Effect every approved request whose date has come, each in its own transaction: one that
    can no longer be effected keeps its reason in `effect_error` and does not stop the others."""
    due = list(
        TransferRequest.objects.filter(state=TransferState.APPROVED, effective_date__lte=today)
        .order_by("effective_date", "id")
        .values_list("id", flat=True)
    )
    done = failed = 0
    for request_id in due:
        try:
            _effect_as_system(request_id, actor, today)
            done += 1
        except ValidationError as error:
            failed += 1
            message = " ".join(error.messages)
            TransferRequest.objects.filter(pk=request_id, state=TransferState.APPROVED).update(effect_error=message)
            logger.warning("Transfer request %s not effected: %s", request_id, message)
    return {"due": len(due), "effected": done, "failed": failed}


@transaction.atomic
def _effect_as_system(request_id: int, actor, today: dt.date) -> None:
    professional, request = _lock(request_id)
    if request.state != TransferState.APPROVED or request.effective_date > today:
        return  # someone else effected or cancelled it meanwhile
    _effect(professional, request, actor)


# ---------------------------------------------------------------------------------------------
# Restructuring


@dataclass(frozen=True)
class RestructuringResult:
    agency: Agency
    successor: Agency
    office_order: OfficeOrder | None
    placements_moved: int
    requests_redirected: int
    requests_cancelled: int


@transaction.atomic
def agency_restructure(*, agency_id: int, successor: Agency, effective_date: dt.date, actor) -> RestructuringResult:
    """Dissolve an agency into its successor (if not dissolved already) and move, in one
    transaction, everyone placed there to the successor under one office order, and every open
    request into or out of it to the successor. A request that would then move someone from the
    successor to itself is cancelled."""
    if not may_decide(actor):
        raise PermissionDenied("Only ICT Management Division staff restructure agencies.")
    agency = Agency.objects.select_for_update().get(pk=agency_id)
    if agency.dissolved_on is None:
        agency = agency_dissolve(agency_id=agency.pk, dissolved_on=effective_date, successor=successor, actor=actor)
    elif agency.successor_id not in (None, successor.pk):
        raise ValidationError(
            {"successor": f"{agency.name} was dissolved into {agency.successor.name}; move its staff there."}
        )
    if successor.pk == agency.pk or successor.dissolved_on is not None:
        raise ValidationError({"successor": "The successor must be another agency that still exists."})

    current = list(
        Placement.objects.filter(agency=agency, end_date__isnull=True)
        .select_related("professional")
        .order_by("professional_id")
    )
    # Lock the people in id order: the same order as any other move, so no deadlock.
    people_ids = [p.professional_id for p in current]
    list(Professional.objects.select_for_update().filter(pk__in=people_ids).order_by("pk").values_list("pk"))
    too_recent = [p for p in current if p.start_date >= effective_date]
    if too_recent:
        names = ", ".join(f"{p.professional.full_name} (since {p.start_date:%d %b %Y})" for p in too_recent[:5])
        raise ValidationError(
            {
                "effective_date": f"Some placements at {agency.name} start on or after {effective_date:%d %b %Y}: "
                f"{names}. Choose a later date."
            }
        )
    order = None
    if current:
        order = office_order_issue(
            kind=OfficeOrderKind.RESTRUCTURING,
            subject=f"Restructuring: staff of {agency.name} to {successor.name}",
            body=(
                f"Following the dissolution of {agency.name} and the transfer of its functions to {successor.name}, "
                f"the ICT professionals listed below are placed at {successor.name} with effect from "
                f"{effective_date:%d %B %Y}, with their present position titles."
            ),
            lines=[
                OrderLine(p.professional_id, agency.pk, successor.pk, p.position_title_id, effective_date)
                for p in current
            ],
            actor=actor,
        )
    for placement in current:
        placement_start(
            professional_id=placement.professional_id,
            agency=successor,
            start_date=effective_date,
            actor=actor,
            position_title=placement.position_title,
            kind=PlacementKind.RESTRUCTURING,
            office_order_number=order.number,
            notes=f"Restructuring of {agency.code}",
        )
    redirected = cancelled = 0
    open_requests = (
        TransferRequest.objects.select_for_update()
        .filter(state__in=OPEN_STATES)
        .filter(Q(releasing_agency_id=agency.pk) | Q(receiving_agency_id=agency.pk))
        .order_by("professional_id", "id")
    )
    for request in open_requests:
        note = f"{agency.name} was dissolved into {successor.name}."
        releasing_id = successor.pk if request.releasing_agency_id == agency.pk else request.releasing_agency_id
        receiving_id = successor.pk if request.receiving_agency_id == agency.pk else request.receiving_agency_id
        from_state = request.state
        if releasing_id == receiving_id:
            # Not redirected (a move within one agency means nothing): closed, with why.
            request.state = TransferState.CANCELLED
            request.decided_at = timezone.now()
            note += " The request would now move the person within one agency, so it is cancelled."
            cancelled += 1
        else:
            request.releasing_agency_id, request.receiving_agency_id = releasing_id, receiving_id
            redirected += 1
        stamp(request, actor, "Restructuring")
        request.save(update_fields=["releasing_agency", "receiving_agency", "state", "decided_at", "updated_at"])
        TransferRequestEvent.objects.create(
            request=request,
            action=TransferAction.RESTRUCTURE,
            from_state=from_state,
            to_state=request.state,
            actor=actor_user(actor),
            note=note,
        )
    if order is not None:
        _render_after_commit(order.pk)
    return RestructuringResult(agency, successor, order, len(current), redirected, cancelled)
