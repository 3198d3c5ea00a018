"""Who may do what with competencies, training and pools. Visibility itself is `visible_to`
(accounts.access); these say what an account may *do* with what it sees, as a refusal message a
person can act on, or None."""

from __future__ import annotations

from accounts.access import is_division, scope_for

from .models import AssessmentKind

DIVISION, HEAD, PROFESSIONAL = "division", "head", "professional"


def acting_as(user) -> str | None:
    """How an account acts here: as the division (division staff, a government-wide writing API
    client), as an agency head (an agency ICT head, an agency-scoped writing client), as a
    professional for themselves, or not at all (HR officers, read-only accounts)."""
    scope = scope_for(user)
    if scope.professional_id is not None:
        return PROFESSIONAL
    if not scope.may_write:
        return None
    if scope.everything:
        return DIVISION
    if scope.agency_id is not None:
        return HEAD
    return None


READ_ONLY = "Your account may read these records but not change them."


def assessment_refusal(user, *, professional_id: int, kind: str) -> str | None:
    """Self-assessments by the professional; supervisor assessments by their agency's ICT head;
    division assessments by the division. (Training results come from completed training.)"""
    role = acting_as(user)
    if role is None:
        return READ_ONLY
    if kind == AssessmentKind.SELF:
        if role == PROFESSIONAL and scope_for(user).professional_id == professional_id:
            return None
        return "Only the professional records their own self-assessment."
    if kind == AssessmentKind.SUPERVISOR:
        return None if role == HEAD else "Supervisor assessments are recorded by the professional's agency ICT head."
    if kind == AssessmentKind.DIVISION:
        return None if role == DIVISION else "Division assessments are recorded by ICT Management Division staff."
    return "Training results become assessments when the division completes the training request."


def confirm_refusal(user) -> str | None:
    if acting_as(user) in (DIVISION, HEAD):
        return None
    return "A self-assessment is confirmed by the professional's agency ICT head or the ICT Management Division."


def division_refusal(user, what: str) -> str | None:
    if acting_as(user) == DIVISION:
        return None
    return f"Only ICT Management Division staff {what}."


def for_people_refusal(user, *, professional_ids) -> str | None:
    """Requests and nominations: agency heads for their people, a professional for themselves, the
    division for anyone (which people an account sees is checked by the caller)."""
    role = acting_as(user)
    if role is None:
        return READ_ONLY
    if role == PROFESSIONAL and set(professional_ids) != {scope_for(user).professional_id}:
        return "A professional asks for themselves only; their agency ICT head asks for others."
    return None


def may_see_heatmap(user) -> bool:
    scope = scope_for(user)
    return scope.everything or scope.agency_id is not None


def may_manage(user) -> bool:
    """Division staff in the portal: decide requests, accept members, deploy experts."""
    return is_division(user) and scope_for(user).may_write
