from celery import shared_task
from django.utils import timezone

from .services import action_item_reminders_send, invitations_email


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5, soft_time_limit=540)
def send_invitations(invitation_ids: list[int]) -> int:
    """Email invitations (with the .ics file and the answer link) after an invite, a change or a
    cancellation; queued by meetings.services after the transaction commits."""
    return invitations_email(invitation_ids=invitation_ids)


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5, soft_time_limit=540)
def send_action_item_reminders(today: str | None = None) -> dict[str, int]:
    """Daily (beat): remind owners of action items due within a week (once) and overdue ones (weekly)."""
    from datetime import date

    day = date.fromisoformat(today) if today else timezone.localdate()
    return action_item_reminders_send(today=day)
