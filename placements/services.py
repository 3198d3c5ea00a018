"""Writes on placements. The transfer-request workflow (its own issue) builds on these."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.audit import stamp
from professionals.models import IN_SERVICE_STATUSES, Professional

from .models import Placement, PlacementKind


@transaction.atomic
def placement_start(
    *,
    professional_id: int,
    agency,
    start_date: dt.date,
    actor,
    position_title=None,
    kind: str = PlacementKind.APPOINTMENT,
    office_order_number: str = "",
    notes: str = "",
) -> Placement:
    """Post a professional to an agency from `start_date`, ending their current placement that day.

    The professional's row is locked first, so two concurrent postings of one person run one
    after the other and the second sees the first (the database constraints are the backstop).
    """
    professional = Professional.objects.select_for_update().get(pk=professional_id)
    if professional.status not in IN_SERVICE_STATUSES:
        raise ValidationError(
            f"{professional.full_name} has left the service ({professional.get_status_display().lower()}) "
            "and cannot be placed."
        )
    current = Placement.objects.select_for_update().filter(professional=professional, end_date__isnull=True).first()
    if current is not None:
        if start_date <= current.start_date:
            raise ValidationError(
                {
                    "start_date": f"The current placement at {current.agency} started on "
                    f"{current.start_date:%d %b %Y}; the new one must start after that."
                }
            )
        current.end_date = start_date
        stamp(current, actor, f"Ended by {PlacementKind(kind).label.lower()} to {agency.code}")
        current.save(update_fields=["end_date"])
    placement = Placement(
        professional=professional,
        agency=agency,
        position_title=position_title or professional.position_title,
        start_date=start_date,
        kind=kind,
        office_order_number=office_order_number,
        notes=notes,
    )
    placement.full_clean()
    stamp(placement, actor, PlacementKind(kind).label)
    placement.save()
    return placement


@transaction.atomic
def placement_end_current(*, professional_id: int, end_date: dt.date, actor, reason: str = "Ended") -> Placement | None:
    """End the professional's current placement on `end_date` (exclusive); None if there is none."""
    current = (
        Placement.objects.select_for_update().filter(professional_id=professional_id, end_date__isnull=True).first()
    )
    if current is None:
        return None
    if end_date <= current.start_date:
        raise ValidationError(
            {
                "effective_date": f"The current placement at {current.agency} started on "
                f"{current.start_date:%d %b %Y}; it cannot end on or before that day."
            }
        )
    current.end_date = end_date
    stamp(current, actor, reason)
    current.save(update_fields=["end_date"])
    return current
