"""The certification expiry reminder: to the professional and their agency's ICT heads."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage

from accounts.models import Role, User

from .models import Certification


def expiry_recipients(certifications: list[Certification]) -> dict[int, list[str]]:
    """Certification id -> addresses: the professional's, and the ICT heads' of their current agency."""
    agency_ids = {c.professional.current_agency_id for c in certifications if c.professional.current_agency_id}
    heads: dict[int, list[str]] = {}
    for agency_id, email in (
        User.objects.filter(role=Role.AGENCY_HEAD, is_active=True, agency_id__in=agency_ids)
        .exclude(email="")
        .order_by("email")
        .values_list("agency_id", "email")
    ):
        heads.setdefault(agency_id, []).append(email)
    result = {}
    for certification in certifications:
        person = certification.professional
        addresses = ([person.email] if person.email else []) + heads.get(person.current_agency_id, [])
        result[certification.pk] = list(dict.fromkeys(addresses))
    return result


def expiry_message(certification: Certification, to: list[str], *, today: dt.date) -> EmailMessage:
    person = certification.professional
    days = (certification.expires_on - today).days
    when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
    body = "\n".join(
        [
            f"The certification {certification.name} ({certification.issuer}) of {person.full_name} "
            f"({person.employee_id}) expires {when}, on {certification.expires_on:%d %b %Y}.",
            "",
            "Please plan its renewal. Once renewed, record the new certification on the professional's page:",
            f"{settings.PORTAL_URL}/professionals/{person.pk}/",
        ]
    )
    return EmailMessage(
        subject=f"Certification expiring {when}: {certification.name} ({person.full_name})",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )
