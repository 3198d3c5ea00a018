from accounts.access import scope_for
from accounts.api.permissions import RecordAccess
from accounts.models import Role


class MeetingAccess(RecordAccess):
    """Reads: any signed-in account (the rows come from `visible_to`). Writes: checked by the
    meetings services for each action (division staff manage events, agency heads update their
    items, invitees answer); accounts without a scope and read-only API clients are refused here
    with why."""

    def write_refusal(self, user) -> str | None:
        if scope_for(user).nothing:
            return "Your account has no access to records. Ask the ICT Management Division to set its scope."
        if user.role == Role.API_CLIENT and user.read_only:
            return "This API client is read-only: it may read events and action items but not change them."
        return None
