"""The kinds of import, in the order a new installation loads them. Adding a kind (assessments,
certifications, training records once their models exist) is one importer class added here."""

from __future__ import annotations

from .importers.base import Importer
from .importers.history import PlacementImporter, StatusEventImporter
from .importers.professionals import ProfessionalImporter
from .importers.reference import AgencyImporter, ICTUnitImporter, SanctionedPostImporter

IMPORTERS: dict[str, type[Importer]] = {
    importer.kind: importer
    for importer in (
        AgencyImporter,
        ProfessionalImporter,
        ICTUnitImporter,
        SanctionedPostImporter,
        PlacementImporter,
        StatusEventImporter,
    )
}


def importer_for(kind: str, *, actor=None, reason: str = "") -> Importer:
    try:
        return IMPORTERS[kind](actor=actor, reason=reason)
    except KeyError:
        raise ValueError(f"Unknown kind of import {kind!r}; the kinds are: {', '.join(IMPORTERS)}.") from None
