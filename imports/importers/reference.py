"""Agencies (with parent codes), ICT units and sanctioned posts: through the agencies' own services,
one savepoint per row (see ServiceImporter)."""

from __future__ import annotations

from agencies.models import Agency, AgencyKind, ICTUnit, ICTUnitKind, Region, SanctionedPost, SiteSettings
from agencies.services import agency_save, ict_unit_save, sanctioned_posts_set
from professionals.models import PositionTitle, Professional

from ..values import CellError
from .base import CREATE, UNCHANGED, UPDATE, Column, Row, ServiceImporter, changes_between
from .professionals import agency_lookup, reference_lookup

AGENCY_FIELDS = {
    "code": "Code",
    "name": "Name",
    "short_name": "Short name",
    "kind": "Kind",
    "parent": "Parent code",
    "region": "Region",
    "critical_information_infrastructure": "Critical information infrastructure",
    "digital_maturity": "Digital maturity",
    "email": "Email",
    "phone": "Phone",
    "address": "Address",
    "established_on": "Established on",
    "dissolved_on": "Dissolved on",
    "successor": "Successor code",
}


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


class AgencyImporter(ServiceImporter):
    kind = "agencies"
    label = "Agencies"
    description = (
        "The agency hierarchy, keyed on the code. A parent or successor may be an agency of the same file, "
        "in any order."
    )
    fields = AGENCY_FIELDS

    def __init__(self, *, actor, reason: str):
        super().__init__(actor=actor, reason=reason)
        region_label = SiteSettings.load().region_label
        self.columns = [
            Column("Code", True, "Short unique code; the key of the row.", "MOH", width=12),
            Column("Name", True, "", "Ministry of Health", width=36),
            Column("Short name", False, "", "MoH"),
            Column("Kind", True, "Agency kind code or name, e.g. Ministry, Dzongkhag.", "Ministry"),
            Column("Parent code", False, "Code or exact name of the agency above it.", "", ("Parent", "Parent agency")),
            Column("Region", False, f"{region_label} code or name.", "Thimphu", (region_label,)),
            Column("Critical information infrastructure", False, "yes or no.", "no", ("CII",)),
            Column("Digital maturity", False, "1 (initial) to 5 (optimised).", "3"),
            Column("Email", False, "", "ict@health.gov.bt", width=28),
            Column("Phone", False, "", "02-322602"),
            Column("Address", False, "", "Kawajangsa, Thimphu", width=30),
            Column("Established on", False, "A date.", ""),
            Column("Dissolved on", False, "A date.", ""),
            Column("Successor code", False, "Where a dissolved agency's functions went.", "", ("Successor",)),
        ]

    def prepare(self, rows: list[Row]) -> None:
        self.agencies = agency_lookup()
        self.existing = {a.code.casefold(): a for a in Agency.objects.all()}
        self.kinds = reference_lookup("agency kind", AgencyKind.objects.all())
        self.regions = reference_lookup("region", Region.objects.all())

    def order(self, rows: list[Row]) -> list[Row]:
        """Parents and successors named in the file before the agencies that name them; rows in a
        loop are reported and left out."""
        by_code: dict[str, Row] = {}
        for row in rows:
            code = str(row.raw("Code") or "").strip().casefold()
            if code in by_code:
                row.error("Code", f"The code {row.raw('Code')} is also on row {by_code[code].number}; one row each.")
            elif code:
                by_code[code] = row
        ordered, state = [], {}

        def visit(row: Row, path: list[Row]) -> None:
            if state.get(row.number) == "done":
                return
            if state.get(row.number) == "visiting":
                loop = " → ".join(str(r.raw("Code")) for r in path)
                for member in path:
                    if not member.outcome.errors:
                        member.error("Parent code", f"These agencies name each other as parent in a loop: {loop}.")
                return
            state[row.number] = "visiting"
            for header in ("Parent code", "Successor code"):
                named = by_code.get(str(row.raw(header) or "").strip().casefold())
                if named is not None and named is not row:
                    visit(named, [*path, named])
            state[row.number] = "done"
            ordered.append(row)

        for row in rows:
            visit(row, [row])
        return ordered

    def apply_row(self, row: Row):
        code = row.text("Code", required=True, max_length=20)
        values = {"name": row.text("Name", required=True, max_length=200), "kind": row.ref("Kind", self.kinds)}
        if values["kind"] is None and not row.outcome.errors:
            row.error("Kind", "Kind is empty; it is required.")
        optional = {
            "short_name": lambda h: row.text(h, max_length=60),
            "parent": lambda h: row.ref(h, self.agencies),
            "region": lambda h: row.ref(h, self.regions),
            "critical_information_infrastructure": row.yes_no,
            "digital_maturity": lambda h: row.integer(h, minimum=1, maximum=5),
            "email": lambda h: row.text(h, max_length=254),
            "phone": lambda h: row.text(h, max_length=40),
            "address": row.text,
            "established_on": row.date,
            "dissolved_on": row.date,
            "successor": lambda h: row.ref(h, self.agencies),
        }
        for name, read in optional.items():
            if row.has(AGENCY_FIELDS[name]):
                values[name] = read(AGENCY_FIELDS[name])
        if row.outcome.errors:
            return UNCHANGED, code, []
        agency = self.existing.get(code.casefold())
        if agency is None:
            agency = Agency(code=code, **values)
            agency_save(agency=agency, actor=self.actor, reason=self.reason)
            self.agencies.add(agency, agency.code, agency.name)
            self.existing[code.casefold()] = agency
            return CREATE, code, []
        changes = changes_between(agency, values, AGENCY_FIELDS)
        if not changes:
            return UNCHANGED, code, []
        for name, value in values.items():
            setattr(agency, name, value)
        agency_save(agency=agency, actor=self.actor, reason=self.reason)
        return UPDATE, code, changes

    def export_rows(self):
        queryset = Agency.objects.select_related("kind", "parent", "region", "successor").order_by("code")
        for a in queryset:
            yield [
                a.code,
                a.name,
                a.short_name,
                a.kind.name,
                a.parent.code if a.parent else "",
                a.region.name if a.region else "",
                yes_no(a.critical_information_infrastructure),
                a.digital_maturity or "",
                a.email,
                a.phone,
                a.address,
                a.established_on,
                a.dissolved_on,
                a.successor.code if a.successor else "",
            ]


UNIT_FIELDS = {
    "agency": "Agency code",
    "name": "Unit name",
    "kind": "Kind",
    "head": "Head employee id",
    "email": "Email",
    "terms_of_reference": "Terms of reference",
    "established_on": "Established on",
}


class ICTUnitImporter(ServiceImporter):
    kind = "ict-units"
    label = "ICT units"
    description = "Each agency's ICT unit, keyed on the agency: one unit per agency."
    fields = UNIT_FIELDS
    columns = [
        Column("Agency code", True, "Code or exact name of the agency.", "MOH", ("Agency",), width=12),
        Column("Unit name", True, "", "ICT Division, Ministry of Health", ("Name",), width=36),
        Column("Kind", True, "ICT unit kind code or name.", "ICT Division"),
        Column("Head employee id", False, "Employee id of the head; they must be placed in the agency.", "", ("Head",)),
        Column("Email", False, "", "ict@health.gov.bt", width=28),
        Column("Terms of reference", False, "", "Runs the ministry's systems.", width=40),
        Column("Established on", False, "A date.", ""),
    ]

    def prepare(self, rows: list[Row]) -> None:
        self.agencies = agency_lookup()
        self.kinds = reference_lookup("ICT unit kind", ICTUnitKind.objects.all())
        self.units = {unit.agency_id: unit for unit in ICTUnit.objects.all()}
        heads = {str(row.raw("Head employee id")).strip() for row in rows if row.raw("Head employee id")}
        self.heads = {p.employee_id: p for p in Professional.objects.filter(employee_id__in=heads)}
        self.seen: dict[int, int] = {}

    def apply_row(self, row: Row):
        agency = row.ref("Agency code", self.agencies, required=True)
        values = {"name": row.text("Unit name", required=True, max_length=200), "kind": row.ref("Kind", self.kinds)}
        if values["kind"] is None and not row.outcome.errors:
            row.error("Kind", "Kind is empty; it is required.")
        if row.has("Head employee id"):
            head_id = row.text("Head employee id")
            values["head"] = self.heads.get(head_id) if head_id else None
            if head_id and values["head"] is None:
                row.error("Head employee id", f"No professional has the employee id {head_id}.")
        for name in ("email", "terms_of_reference"):
            if row.has(UNIT_FIELDS[name]):
                values[name] = row.text(UNIT_FIELDS[name], max_length=254 if name == "email" else None)
        if row.has("Established on"):
            values["established_on"] = row.date("Established on")
        if row.outcome.errors:
            return UNCHANGED, "", []
        first = self.seen.setdefault(agency.pk, row.number)
        if first != row.number:
            raise CellError(f"{agency.code} is also on row {first}; an agency has one ICT unit.")
        unit = self.units.get(agency.pk)
        changes = changes_between(unit, values, UNIT_FIELDS) if unit else []
        if unit is not None and not changes:
            return UNCHANGED, agency.code, []
        ict_unit_save(agency=agency, actor=self.actor, reason=self.reason, **values)
        return (UPDATE if unit else CREATE), agency.code, changes

    def export_rows(self):
        for unit in ICTUnit.objects.select_related("agency", "kind", "head").order_by("agency__code"):
            yield [
                unit.agency.code,
                unit.name,
                unit.kind.name,
                unit.head.employee_id if unit.head else "",
                unit.email,
                unit.terms_of_reference,
                unit.established_on,
            ]


class SanctionedPostImporter(ServiceImporter):
    kind = "sanctioned-posts"
    label = "Sanctioned posts"
    description = "The establishment: how many posts of a title each agency may fill, keyed on agency and title."
    fields = {"number": "Number", "notes": "Notes", "position_title": "Position title", "agency": "Agency code"}
    columns = [
        Column("Agency code", True, "Code or exact name of the agency.", "MOH", ("Agency",), width=12),
        Column("Position title", True, "Position title code or exact name.", "ICT Officer", ("Title",), width=28),
        Column("Number", True, "Posts of this title the agency may fill (0 or more).", "4", ("Posts", "Sanctioned")),
        Column("Notes", False, "", "", width=30),
    ]

    def prepare(self, rows: list[Row]) -> None:
        self.agencies = agency_lookup()
        self.titles = reference_lookup("position title", PositionTitle.objects.all())
        self.posts = {(p.agency_id, p.position_title_id): p for p in SanctionedPost.objects.all()}
        self.seen: dict[tuple[int, int], int] = {}

    def apply_row(self, row: Row):
        agency = row.ref("Agency code", self.agencies, required=True)
        title = row.ref("Position title", self.titles, required=True)
        number = row.integer("Number", required=True, minimum=0, maximum=32767)
        notes = row.text("Notes", max_length=200) if row.has("Notes") else None
        if row.outcome.errors:
            return UNCHANGED, "", []
        key = f"{agency.code} / {title.name}"
        first = self.seen.setdefault((agency.pk, title.pk), row.number)
        if first != row.number:
            raise CellError(f"{key} is also on row {first}; each agency and title has one row.")
        post = self.posts.get((agency.pk, title.pk))
        values = {"number": number} if notes is None else {"number": number, "notes": notes}
        changes = changes_between(post, values, self.fields) if post else []
        if post is not None and not changes:
            return UNCHANGED, key, []
        sanctioned_posts_set(
            agency=agency,
            position_title=title,
            number=number,
            notes=notes if notes is not None else (post.notes if post else ""),
            actor=self.actor,
            reason=self.reason,
        )
        return (UPDATE if post else CREATE), key, changes

    def export_rows(self):
        queryset = SanctionedPost.objects.select_related("agency", "position_title")
        for post in queryset.order_by("agency__code", "position_title__name"):
            yield [post.agency.code, post.position_title.name, post.number, post.notes]
