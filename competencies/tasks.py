from celery import shared_task
from django.utils import timezone

from .services import certification_reminders_send


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5, soft_time_limit=540)
def send_certification_reminders(today: str | None = None) -> dict[str, int]:
    """Daily (beat): email professionals and their ICT heads 60 and 14 days before a certification
    expires, once per threshold."""
    from datetime import date

    day = date.fromisoformat(today) if today else timezone.localdate()
    return certification_reminders_send(today=day)
