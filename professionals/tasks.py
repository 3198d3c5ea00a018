from celery import shared_task
from django.utils import timezone

from .services import status_changes_due_record


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5, soft_time_limit=540, time_limit=600)
def record_due_status_changes(today: str | None = None) -> dict[str, int]:
    """Daily (beat): queue leave periods that ended and superannuations reached for division staff."""
    from datetime import date

    day = date.fromisoformat(today) if today else timezone.localdate()
    return status_changes_due_record(today=day)
