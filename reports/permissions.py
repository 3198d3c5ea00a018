"""Who may request reports and change the planning assumptions, from `accounts.access` scopes."""

from __future__ import annotations

from accounts.access import is_division, scope_for


def report_refusal(user) -> str | None:
    """Why `user` may not run reports, or None if they may: division staff, HR officers, agency
    ICT heads (their subtree only) and API clients may; professionals may not."""
    scope = scope_for(user)
    if scope.everything or scope.agency_id is not None:
        return None
    if scope.professional_id is not None:
        return "Reports are for ICT Management Division staff, HR officers and agency ICT heads."
    return "Your account has no access to reports. Ask the ICT Management Division to set its role and scope."


def may_edit_assumptions(user) -> bool:
    """Planned recruitment and growth are the division's plan."""
    return is_division(user)
