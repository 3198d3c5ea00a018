"""Office orders: their yearly numbers and their PDF.

Numbers run per calendar year (ICT/2026/001, ICT/2026/002, ...) with the prefix of SiteSettings.
Issuing locks the one SiteSettings row, so two approvals at the same moment get consecutive
numbers rather than one number twice (the unique constraint on (year, sequence) is the backstop).
The PDF is rendered by WeasyPrint from a template, in a Celery task, into `OfficeOrder.file`.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.audit import actor_user, stamp
from agencies.models import SiteSettings
from core.pdf import html_to_pdf

from .models import OfficeOrder, OfficeOrderEntry

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OrderLine:
    professional_id: int
    from_agency_id: int | None
    to_agency_id: int
    position_title_id: int | None
    effective_date: dt.date


def office_order_number(prefix: str, year: int, sequence: int) -> str:
    """The order's number as printed, e.g. ICT/2026/017."""
    return f"{prefix}/{year}/{sequence:03d}"


def office_order_issue(
    *, kind: str, subject: str, body: str, lines: list[OrderLine], actor, issued_on: dt.date | None = None
) -> OfficeOrder:
    """Number and store an office order with the people it concerns. Runs inside the caller's
    transaction (the approval or the restructuring), so a refused move leaves no number used."""
    issued_on = issued_on or timezone.localdate()
    SiteSettings.load()
    site = SiteSettings.objects.select_for_update().get(pk=1)
    last = OfficeOrder.objects.filter(year=issued_on.year).aggregate(last=Max("sequence"))["last"] or 0
    sequence = last + 1
    order = OfficeOrder(
        number=office_order_number(site.office_order_prefix, issued_on.year, sequence),
        year=issued_on.year,
        sequence=sequence,
        kind=kind,
        issued_on=issued_on,
        issued_by=actor_user(actor),
        subject=subject,
        body=body,
    )
    stamp(order, actor, "Issued")
    order.save()
    OfficeOrderEntry.objects.bulk_create(
        OfficeOrderEntry(
            order=order,
            professional_id=line.professional_id,
            from_agency_id=line.from_agency_id,
            to_agency_id=line.to_agency_id,
            position_title_id=line.position_title_id,
            effective_date=line.effective_date,
        )
        for line in lines
    )
    return order


def office_order_pdf(order: OfficeOrder) -> bytes:
    """The order as PDF bytes: letterhead with the parent agency's name, the text, the people
    concerned in a table, and the signature block."""
    entries = order.entries.select_related("professional", "from_agency", "to_agency", "position_title").order_by(
        "professional__first_name", "professional__last_name", "id"
    )
    html = render_to_string(
        "placements/office_order.html",
        {"order": order, "entries": list(entries), "site": SiteSettings.load()},
    )
    return html_to_pdf(html)


def office_order_render(*, order_id: int) -> OfficeOrder:
    """Render the order's PDF into its file (again, if it had one). A failure is kept on the row
    for the page to show, and raised for the task to retry."""
    order = OfficeOrder.objects.get(pk=order_id)
    try:
        pdf = office_order_pdf(order)
    except Exception as error:
        OfficeOrder.objects.filter(pk=order_id).update(render_error=f"{type(error).__name__}: {error}"[:2000])
        logger.exception("Office order %s could not be rendered", order.number)
        raise
    old_name = order.file.name
    order.file.save(f"{order.number.replace('/', '-')}.pdf", ContentFile(pdf), save=False)
    order.rendered_at = timezone.now()
    order.render_error = ""
    with transaction.atomic():
        stamp(order, None, "PDF rendered")
        order.save(update_fields=["file", "rendered_at", "render_error"])
    if old_name and old_name != order.file.name:
        order.file.storage.delete(old_name)
    return order


def office_order_file(order: OfficeOrder) -> OfficeOrder:
    """The order with its PDF, rendered now if it has none yet (orders seeded without a file, or
    whose task has not run): the download never answers "not ready" for a known order."""
    if order.file and order.file.storage.exists(order.file.name):
        return order
    return office_order_render(order_id=order.pk)
