"""Who may change what in meetings. Visibility itself is `visible_to` (accounts.access decides)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from accounts.access import scope_for


def may_manage_events(user) -> bool:
    """Division staff (and government-wide API clients that may write) plan events, invite, take
    attendance, write minutes and create action items. HR officers read only."""
    scope = scope_for(user)
    return scope.everything and scope.may_write


def may_update_action_items(user) -> bool:
    """Those who may write within their scope update the items they see: division staff all,
    agency ICT heads those their agency subtree owns. Professionals and HR officers read only."""
    scope = scope_for(user)
    return scope.may_write and (scope.everything or scope.agency_id is not None)


def require_event_manager(user) -> None:
    if not may_manage_events(user):
        raise PermissionDenied("Only ICT Management Division staff plan events, invite, take attendance and minute.")


def require_action_item_updater(user) -> None:
    if not may_update_action_items(user):
        raise PermissionDenied(
            "Your account may read these action items but not update them; the owning agency's ICT head or the "
            "ICT Management Division updates them."
        )
