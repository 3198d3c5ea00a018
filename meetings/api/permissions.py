from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.access import scope_for
from accounts.models import Role


class MeetingAccess(BasePermission):
    """Reads: any signed-in account (the rows come from `visible_to`). Writes: checked by the
    meetings services for each action (division staff manage events, agency heads update their
    items, invitees answer); read-only API clients are refused here with why."""

    message = "Authentication credentials were not provided."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return True
        if scope_for(user).nothing:
            self.message = "Your account has no access to records. Ask the ICT Management Division to set its scope."
            return False
        if user.role == Role.API_CLIENT and user.read_only:
            self.message = "This API client is read-only: it may read events and action items but not change them."
            return False
        return True
