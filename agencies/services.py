"""Writes on agencies, ICT units and the establishment."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.access import reference_write_refusal
from accounts.audit import stamp

from .models import Agency, ICTUnit, SanctionedPost


def _require_writer(actor) -> None:
    """Refuse a change by a person who may not make it; `actor` None is the system (a command)."""
    if actor is not None and (refusal := reference_write_refusal(actor)):
        raise PermissionDenied(refusal)


@transaction.atomic
def agency_save(*, agency: Agency, actor, reason: str = "") -> Agency:
    """Validate and save a new or edited agency (the parent link may not make a loop)."""
    _require_writer(actor)
    agency.full_clean()
    stamp(agency, actor, reason or ("Edited" if agency.pk else "Created"))
    agency.save()
    return agency


@transaction.atomic
def agency_dissolve(*, agency_id: int, dissolved_on: dt.date, successor: Agency | None, actor) -> Agency:
    """Mark an agency dissolved, naming where its functions went. Moving its staff is done by the
    restructuring action of the placements workflow."""
    _require_writer(actor)
    agency = Agency.objects.select_for_update().get(pk=agency_id)
    if agency.dissolved_on:
        raise ValidationError(f"{agency.name} was already dissolved on {agency.dissolved_on:%d %b %Y}.")
    if successor is not None and (successor.pk == agency.pk or successor.dissolved_on):
        raise ValidationError({"successor": "The successor must be another agency that still exists."})
    agency.dissolved_on = dissolved_on
    agency.successor = successor
    return agency_save(agency=agency, actor=actor, reason="Dissolved")


@transaction.atomic
def sanctioned_posts_set(
    *, agency: Agency, position_title, number: int, actor, notes: str = "", reason: str = "Establishment changed"
) -> SanctionedPost:
    """Set how many posts of a title an agency may fill (creates or updates the row)."""
    _require_writer(actor)
    post = SanctionedPost.objects.select_for_update().filter(agency=agency, position_title=position_title).first()
    post = post or SanctionedPost(agency=agency, position_title=position_title)
    post.number = number
    post.notes = notes
    post.full_clean()
    stamp(post, actor, reason)
    post.save()
    return post


ICT_UNIT_FIELDS = {"kind", "name", "terms_of_reference", "head", "email", "established_on"}


@transaction.atomic
def ict_unit_save(*, agency: Agency, actor, reason: str = "", **fields) -> ICTUnit:
    """Create or edit an agency's ICT unit. The head must be a professional in service who is
    placed in this agency now: a unit is not led from elsewhere."""
    _require_writer(actor)
    unknown = set(fields) - ICT_UNIT_FIELDS
    if unknown:
        raise TypeError(f"Unknown ICT unit fields: {', '.join(sorted(unknown))}")
    unit = ICTUnit.objects.select_for_update().filter(agency=agency).first()
    created = unit is None
    unit = unit or ICTUnit(agency=agency)
    for name, value in fields.items():
        setattr(unit, name, value)
    unit.full_clean()
    head = fields.get("head")
    if head is not None and (not head.in_service or not head.placements.current().filter(agency=agency).exists()):
        raise ValidationError({"head": f"{head.full_name} is not currently placed in {agency.name}."})
    stamp(unit, actor, reason or ("ICT unit created" if created else "ICT unit edited"))
    unit.save()
    return unit


@transaction.atomic
def establishment_set(*, agency: Agency, rows: list[dict], actor) -> list[SanctionedPost]:
    """Set several titles' sanctioned posts of one agency at once: all or none. Each row has
    `position_title`, `number` and optionally `notes`."""
    _require_writer(actor)
    return [
        sanctioned_posts_set(
            agency=agency,
            position_title=row["position_title"],
            number=row["number"],
            notes=row.get("notes", ""),
            actor=actor,
        )
        for row in rows
    ]
