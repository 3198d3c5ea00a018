"""Who may do what to a transfer request (DESIGN.md, "Users and what each may do").

Visibility comes from `TransferRequest.objects.visible_to(user)` (a request the user may not see
answers 404 before any of this is asked). These functions answer the next question: of the moves
the state machine allows now, which may this user make? Each refusal says why, in words.
"""

from __future__ import annotations

from accounts.access import is_division, scope_for
from accounts.models import Role
from agencies.querysets import scope_agency_ids

from .models import TRANSITIONS, RequesterSide, TransferAction, TransferRequest, TransferState

DIVISION_ONLY = "Only ICT Management Division staff may {verb} a request."


def may_decide(user) -> bool:
    """Division staff with write access approve, cancel, effect and override."""
    return is_division(user) and scope_for(user).may_write


def agency_sides(user, *, releasing_id: int | None, receiving_id: int | None) -> set[str]:
    """Which sides of a move fall in the user's agency subtree (the subtree is read once per user)."""
    scope = scope_for(user)
    if scope.agency_id is None:
        return set()
    subtree = set(scope_agency_ids(user, scope.agency_id))
    sides = set()
    if releasing_id in subtree:
        sides.add(RequesterSide.RELEASING)
    if receiving_id in subtree:
        sides.add(RequesterSide.RECEIVING)
    return sides


def request_refusal(user, *, professional_id: int, releasing_id: int | None, receiving_id: int) -> tuple[str, str]:
    """(the side the user asks for, "") if `user` may ask for this move, else ("", why not)."""
    scope = scope_for(user)
    if scope.nothing:
        return "", "Your account has no access to requests. Ask the ICT Management Division to set its role."
    if user.role == Role.PROFESSIONAL:
        if scope.professional_id != professional_id:
            return "", "A professional may ask for their own transfer only."
        return RequesterSide.PROFESSIONAL, ""
    if not scope.may_write:
        return "", "Your account is read-only: it may read requests but not make them."
    if scope.everything:
        return RequesterSide.DIVISION, ""
    sides = agency_sides(user, releasing_id=releasing_id, receiving_id=receiving_id)
    if RequesterSide.RELEASING in sides:
        return RequesterSide.RELEASING, ""
    if RequesterSide.RECEIVING in sides:
        return RequesterSide.RECEIVING, ""
    return "", "An agency ICT head may ask only for moves into or out of their own agency."


def concurrence_needed(requester_side: str, requester_sides: set[str], *, has_releasing: bool) -> str:
    """Whose ICT head must agree: the side that did not ask. A head speaking for both sides (a move
    inside their subtree) and a first posting asked by the receiving head need no one else; a
    request by the division or by the professional needs the receiving agency's agreement."""
    if requester_side in (RequesterSide.DIVISION, RequesterSide.PROFESSIONAL):
        return RequesterSide.RECEIVING
    needed = {RequesterSide.RECEIVING} | ({RequesterSide.RELEASING} if has_releasing else set())
    missing = needed - requester_sides
    return next(iter(sorted(missing)), "")


def action_refusal(user, action: str, request: TransferRequest, sides: set[str] | None = None) -> str:
    """Why `user` may not make `action` on `request` (ignoring its state), or "" if they may.

    `sides`: the user's sides of the request, when the caller has them (saves a query)."""
    scope = scope_for(user)
    if action in (TransferAction.APPROVE, TransferAction.CANCEL, TransferAction.EFFECT, TransferAction.OVERRIDE):
        return "" if may_decide(user) else DIVISION_ONLY.format(verb=action)
    if may_decide(user):
        return ""
    if not scope.may_write and user.role != Role.PROFESSIONAL:
        return "Your account is read-only: it may read requests but not act on them."
    if sides is None:
        sides = agency_sides(user, releasing_id=request.releasing_agency_id, receiving_id=request.receiving_agency_id)
    if action in (TransferAction.SUBMIT, TransferAction.WITHDRAW):
        if request.requested_by_id == user.pk or request.requester_side in sides:
            return ""
        return (
            f"Only whoever made request {request.reference}, their agency's ICT head or the division may {action} it."
        )
    if action == TransferAction.CONCUR:
        if request.concurrence_from and request.concurrence_from in sides:
            return ""
        return (
            f"Only the ICT head of the {request.get_concurrence_from_display().lower() or 'other agency'} may concur."
        )
    if action == TransferAction.REJECT:
        if request.state == TransferState.SUBMITTED and request.concurrence_from in sides:
            return ""
        return "Only the ICT head asked to concur (before concurring) or the division may reject a request."
    return DIVISION_ONLY.format(verb=action)


def allowed_actions(user, request: TransferRequest) -> list[str]:
    """The moves the page offers this user now: allowed by the state machine and by their role."""
    sides = agency_sides(user, releasing_id=request.releasing_agency_id, receiving_id=request.receiving_agency_id)
    actions = []
    for action in TRANSITIONS:
        if not request.may(action) or action_refusal(user, action, request, sides):
            continue
        if action == TransferAction.APPROVE and request.state == TransferState.SUBMITTED and request.concurrence_from:
            continue
        actions.append(action)
    return actions
