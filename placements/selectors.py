"""Reads behind the transfer pages: the queue, one request with everything its page shows, and the
live rule check of the new-request form. Every read starts from `visible_to(user)`; a request the
user may not see answers 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.access import scope_for
from agencies.querysets import scope_agency_ids

from .models import (
    OfficeOrder,
    RequesterSide,
    TransferRequest,
    TransferRequestEvent,
    TransferRuleOverride,
    TransferState,
)
from .permissions import allowed_actions, may_decide
from .rules import Proposal, RuleResult, current_placement, proposal_check, rules_check


def transfer_queue(*, user, params, request=None):
    """The filtered queue for `user` (the same FilterSet as the API). `.qs` is ordered, newest first."""
    from .api.transfer_filters import TransferRequestFilter

    queryset = (
        TransferRequest.objects.visible_to(user)
        .select_related("professional", "releasing_agency", "receiving_agency", "position_title", "office_order")
        .order_by("-created_at", "-id")
    )
    return TransferRequestFilter(params, queryset=queryset, request=request)


def transfer_request_get(*, user, pk: int) -> TransferRequest:
    transfer = (
        TransferRequest.objects.visible_to(user)
        .select_related(
            "professional",
            "professional__grade",
            "releasing_agency",
            "receiving_agency",
            "position_title",
            "requested_by",
            "office_order",
            "effected_placement",
        )
        .filter(pk=pk)
        .first()
    )
    if transfer is None:
        raise Http404("No such transfer request.")
    return transfer


@dataclass
class TransferPage:
    transfer: TransferRequest
    events: list[TransferRequestEvent]
    overrides: list[TransferRuleOverride]
    rule_results: list[dict]
    actions: list[str]
    may_override: bool
    open_rules: list[dict]


def transfer_page(*, user, transfer: TransferRequest) -> TransferPage:
    """The request's timeline, rule results (overridden ones with their reasons), overrides and the
    moves this user may make now."""
    overrides = list(transfer.overrides.select_related("overridden_by"))
    results = transfer.rule_results or []
    return TransferPage(
        transfer=transfer,
        events=list(transfer.events.select_related("actor").order_by("at", "id")),
        overrides=overrides,
        rule_results=results,
        actions=allowed_actions(user, transfer),
        may_override=may_decide(user) and transfer.is_open,
        open_rules=[r for r in results if not r["passed"] and not r["overridden"]],
    )


def office_order_get(*, user, pk: int) -> OfficeOrder:
    order = OfficeOrder.objects.visible_to(user).filter(pk=pk).first()
    if order is None:
        raise Http404("No such office order.")
    return order


@dataclass
class RulePreview:
    results: list[RuleResult]
    error: list[str]
    proposal: Proposal | None = None

    @property
    def blocked(self) -> bool:
        return bool(self.error) or any(result.blocks for result in self.results)


def rules_preview(*, kind: str, professional, receiving_agency, position_title, effective_date, overrides=None):
    """What submitting would find, without writing anything: the basic errors, or each rule's result."""
    proposal = Proposal(
        kind=kind,
        professional=professional,
        current=current_placement(professional.pk),
        receiving_agency=receiving_agency,
        position_title=position_title,
        effective_date=effective_date,
    )
    try:
        proposal_check(proposal)
    except ValidationError as error:
        return RulePreview(results=[], error=error.messages, proposal=proposal)
    return RulePreview(results=rules_check(proposal, overrides=overrides), error=[], proposal=proposal)


def transfer_pages_check(user) -> None:
    if scope_for(user).nothing:
        raise Http404("No transfer pages in this account's scope.")


def professional_transfer_requests(*, user, professional) -> QuerySet[TransferRequest]:
    """The requests on a professional's page: those of theirs the user may see."""
    return (
        TransferRequest.objects.visible_to(user)
        .filter(professional=professional)
        .select_related("releasing_agency", "receiving_agency", "office_order")
        .order_by("-created_at", "-id")
    )


def transfer_requests_awaiting(user) -> QuerySet[TransferRequest]:
    """Requests waiting for this user's decision, oldest first: for division staff who decide,
    those concurred (or needing no concurrence) to approve or reject; for an agency ICT head,
    those submitted for their agency's concurrence. Nobody else decides anything."""
    requests = TransferRequest.objects.visible_to(user).select_related(
        "professional", "releasing_agency", "receiving_agency"
    )
    if may_decide(user):
        waiting = Q(state=TransferState.CONCURRED) | Q(state=TransferState.SUBMITTED, concurrence_from="")
        return requests.filter(waiting).order_by("submitted_at", "id")
    scope = scope_for(user)
    if scope.agency_id is None or not scope.may_write:
        return requests.none()
    mine = scope_agency_ids(user, scope.agency_id)
    return requests.filter(
        Q(concurrence_from=RequesterSide.RELEASING, releasing_agency_id__in=mine)
        | Q(concurrence_from=RequesterSide.RECEIVING, receiving_agency_id__in=mine),
        state=TransferState.SUBMITTED,
    ).order_by("submitted_at", "id")
