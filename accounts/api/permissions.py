from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.access import record_write_refusal


class RecordAccess(BasePermission):
    """Reads: any signed-in account; the rows come from `visible_to`, so each sees its own scope.
    Writes: those `accounts.access.record_write_refusal` lets through; anyone else gets 403 with why."""

    message = "Authentication credentials were not provided."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return True
        refusal = self.write_refusal(user)
        if refusal is not None:
            self.message = refusal
            return False
        return True

    def write_refusal(self, user) -> str | None:
        """Why `user` may not write through this view, or None (views with other rules override it)."""
        return record_write_refusal(user)
