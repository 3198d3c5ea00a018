from celery import shared_task
from django.utils import timezone


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5, soft_time_limit=540, time_limit=600)
def effect_due_transfer_requests(today: str | None = None) -> dict[str, int]:
    """Daily (beat): effect the approved transfer requests whose effective date has come."""
    from datetime import date

    from .transfer_services import transfer_requests_effect_due

    day = date.fromisoformat(today) if today else timezone.localdate()
    return transfer_requests_effect_due(today=day)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3, soft_time_limit=120, time_limit=180)
def render_office_order(order_id: int) -> str:
    """Render an office order's PDF into its stored file; a failure is kept on the order and retried."""
    from .office_orders import office_order_render

    return office_order_render(order_id=order_id).file.name


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, soft_time_limit=60, time_limit=90)
def send_transfer_notification(request_id: int, action: str) -> int:
    """Email the agency heads concerned and the professional about a move of a transfer request."""
    from .notifications import transfer_notification_send

    return transfer_notification_send(request_id=request_id, action=action)
