"""Professionals, with their grade and current placement: checked in memory, written in bulk.

Keyed on the employee id: a row whose employee id is new creates the professional (with the grade
of appointment in their grade history and, when an agency is given, their current placement); a
known employee id updates what differs and leaves the rest. Columns left out of the file are left
alone; an empty cell in an optional column clears it. Status changes are not made here (they are
status events, with dates): a Status column is checked against the record.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from agencies.models import Agency, SiteSettings
from competencies.models import Track
from placements.models import Placement, PlacementKind, current_agency_sync
from professionals.exports import export_columns, export_rows
from professionals.models import (
    IN_SERVICE_STATUSES,
    EmploymentType,
    Gender,
    Grade,
    GradeChange,
    PositionTitle,
    Professional,
    Status,
)
from professionals.selectors import with_current_placement
from professionals.services import retirement_rules_by_category, superannuation_date_for

from ..models import ImportSettings, SlowPattern
from ..values import Lookup
from .base import CREATE, UNCHANGED, UPDATE, Column, Importer, Row, changes_between, validation_errors

BATCH = 1000

EMPLOYEE_ID = "Employee id"
NATIONAL_ID = "National id"
GRADE = "Grade"
TITLE = "Position title"
TRACK = "Track"
AGENCY = "Agency code"
SINCE = "Placed since"
STATUS = "Status"
EMPLOYMENT = "Employment type"

# Model field -> header, for messages of the model's own checks.
FIELD_COLUMNS = {
    "employee_id": EMPLOYEE_ID,
    "national_id": NATIONAL_ID,
    "first_name": "First name",
    "middle_name": "Middle name",
    "last_name": "Last name",
    "gender": "Gender",
    "date_of_birth": "Date of birth",
    "first_appointment_date": "First appointment",
    "email": "Email",
    "phone": "Phone",
    "employment_type": EMPLOYMENT,
    "grade": GRADE,
    "position_title": TITLE,
    "track": TRACK,
}
TEXT_FIELDS = {"middle_name": 80, "last_name": 80, "email": 254, "phone": 40}


def agency_lookup() -> Lookup:
    return Lookup("agency", ((a, a.code, a.name) for a in Agency.objects.only("id", "code", "name", "dissolved_on")))


def reference_lookup(noun: str, queryset) -> Lookup:
    return Lookup(noun, ((obj, obj.code, obj.name) for obj in queryset))


@dataclass
class Plan:
    row: Row
    professional: Professional
    is_new: bool
    changed: list[str] = field(default_factory=list)  # model fields to write on an update
    grade_changed: bool = False
    grade_promotion: bool = True
    placement_agency: Agency | None = None
    placement_start: dt.date | None = None
    ends_placement_id: int | None = None


class ProfessionalImporter(Importer):
    kind = "professionals"
    label = "Professionals"
    description = (
        "Professionals with their grade, title, track and current placement. Keyed on the employee id: new ids "
        "are created, known ones updated where the file differs."
    )
    columns = [
        Column(
            EMPLOYEE_ID, True, "Civil-service employee id; the key of the row.", "200501234", ("EID", "Employee no")
        ),
        Column(NATIONAL_ID, True, "National identity (CID) number.", "11001002345", ("CID", "CID number", "CID no")),
        Column("First name", True, "", "Pema"),
        Column("Middle name", False, "", ""),
        Column("Last name", False, "", "Wangmo"),
        Column("Gender", True, "F, M or X (Female, Male, Other / not stated).", "Female", ("Sex",)),
        Column("Date of birth", True, "A date (see the date rules).", "14 Mar 1990", ("DOB", "Birth date")),
        Column(GRADE, True, "Grade code or name, e.g. P3.", "P3", ("Position level",)),
        Column(TITLE, False, "Position title code or exact name.", "ICT Officer", ("Title", "Designation")),
        Column(TRACK, False, "Career track code or exact name.", "Application Development", ("Career track",)),
        Column(AGENCY, False, "Agency of the current placement (code or exact name); empty leaves it.", "MOH"),
        Column(SINCE, False, "When the current placement started; needed to move someone.", "01 Jul 2021"),
        Column(STATUS, False, "Checked only: status changes are imported as status events.", "In service"),
        Column(
            EMPLOYMENT, False, "Regular, probation, contract or deputation; new rows default to regular.", "Regular"
        ),
        Column(
            "First appointment",
            True,
            "Date of first appointment in the civil service.",
            "01 Jul 2014",
            ("First appointment date", "Date of first appointment", "Appointment date"),
        ),
        Column("Email", False, "Need not be unique.", "pwangmo@health.gov.bt"),
        Column("Phone", False, "", "17123456"),
    ]
    informational = ("Grade category", "Agency", "Region", "Superannuation date")

    def __init__(self, *, actor, reason: str):
        super().__init__(actor=actor, reason=reason)
        region_label = SiteSettings.load().region_label
        self.informational = (*self.informational, region_label)

    # -- checking ----------------------------------------------------------------------------

    def _load(self, rows: list[Row]) -> None:
        settings = ImportSettings.load()
        self.national_id_settings = settings
        self.national_id_description = settings.national_id_description
        self.grades = reference_lookup("grade", Grade.objects.select_related("category"))
        self.titles = reference_lookup("position title", PositionTitle.objects.all())
        self.tracks = reference_lookup("track", Track.objects.all())
        self.agencies = agency_lookup()
        self.rules = retirement_rules_by_category()
        employee_ids = {str(row.raw(EMPLOYEE_ID)).strip() for row in rows if row.raw(EMPLOYEE_ID) is not None}
        national_ids = {str(row.raw(NATIONAL_ID)).strip() for row in rows if row.raw(NATIONAL_ID) is not None}
        self.existing: dict[str, Professional] = {}
        for chunk in chunks(sorted(employee_ids)):
            for professional in Professional.objects.filter(employee_id__in=chunk).select_related("grade"):
                self.existing[professional.employee_id] = professional
        self.national_owner: dict[str, tuple[str, str]] = {}
        for chunk in chunks(sorted(national_ids)):
            for national_id, employee_id, first, last in Professional.objects.filter(national_id__in=chunk).values_list(
                "national_id", "employee_id", "first_name", "last_name"
            ):
                self.national_owner[national_id] = (employee_id, f"{first} {last}".strip())
        ids = [p.pk for p in self.existing.values()]
        self.current: dict[int, tuple[int, int, dt.date]] = {}
        self.last_end: dict[int, dt.date] = {}
        for chunk in chunks(ids):
            for pk, pid, agency_id, start, end in Placement.objects.filter(professional_id__in=chunk).values_list(
                "id", "professional_id", "agency_id", "start_date", "end_date"
            ):
                if end is None:
                    self.current[pid] = (pk, agency_id, start)
                elif end > self.last_end.get(pid, dt.date.min):
                    self.last_end[pid] = end

    def check_row(self, row: Row) -> Plan | None:
        employee_id = row.text(EMPLOYEE_ID, required=True, max_length=20)
        national_id = row.text(NATIONAL_ID, required=True, max_length=20)
        row.outcome.key = employee_id
        try:
            malformed = bool(national_id) and not self.national_id_settings.national_id_matches(national_id)
        except SlowPattern:
            row.error(
                NATIONAL_ID,
                "The national-id pattern in the import settings takes too long to check this value; "
                "ask the division to correct the pattern in the administration.",
            )
            malformed = False
        if malformed:
            row.error(
                NATIONAL_ID, f"“{national_id}” is not a national id: it should be {self.national_id_description}."
            )
        values: dict = {"employee_id": employee_id, "national_id": national_id}
        values["first_name"] = row.text("First name", required=True, max_length=80)
        for name, length in TEXT_FIELDS.items():
            if row.has(FIELD_COLUMNS[name]):
                values[name] = row.text(FIELD_COLUMNS[name], max_length=length)
        values["gender"] = row.choice("Gender", Gender.choices, required=True)
        values["date_of_birth"] = row.date("Date of birth", required=True)
        values["first_appointment_date"] = row.date("First appointment", required=True)
        values["grade"] = row.ref(GRADE, self.grades, required=True)
        for header, name, lookup in ((TITLE, "position_title", self.titles), (TRACK, "track", self.tracks)):
            if row.has(header):
                values[name] = row.ref(header, lookup)
        if row.has(EMPLOYMENT):
            employment = row.choice(EMPLOYMENT, EmploymentType.choices)
            if employment:
                values["employment_type"] = employment
        status = row.choice(STATUS, Status.choices) if row.has(STATUS) else None
        agency = row.ref(AGENCY, self.agencies) if row.has(AGENCY) else None
        since = row.date(SINCE) if row.has(SINCE) else None
        if row.outcome.errors:
            return None

        existing = self.existing.get(employee_id)
        owner = self.national_owner.get(national_id)
        if existing is not None and existing.national_id != national_id:
            row.error(
                NATIONAL_ID,
                f"Employee id {employee_id} is already {existing.full_name}'s, whose national id is "
                f"{existing.national_id}. If this is another person, give them their own employee id; if the "
                "national id on record is wrong, correct it on their page first.",
            )
            return None
        if existing is None and owner is not None:
            row.error(
                NATIONAL_ID,
                f"National id {national_id} already belongs to {owner[1]} (employee id {owner[0]}).",
            )
            return None
        if existing is None:
            return self._plan_new(row, values, status, agency, since)
        return self._plan_update(row, existing, values, status, agency, since)

    def _validate(self, row: Row, professional: Professional) -> None:
        try:
            professional.clean_fields(
                exclude=[
                    "grade",
                    "position_title",
                    "track",
                    "current_agency",
                    "superannuation_date",
                    "employee_id",
                    "national_id",
                ]
            )
            professional.clean()
        except ValidationError as error:
            for column, message in validation_errors(error, FIELD_COLUMNS):
                row.error(column, message)

    def _plan_new(self, row, values, status, agency, since) -> Plan | None:
        if status is not None and status != Status.ACTIVE:
            row.error(
                STATUS,
                f"A new professional starts in service; record “{Status(status).label}” in a status-events file "
                "after importing them.",
            )
        values.setdefault("employment_type", EmploymentType.REGULAR)
        professional = Professional(**values)
        self._validate(row, professional)
        plan = Plan(row=row, professional=professional, is_new=True)
        if agency is not None:
            start = since or professional.first_appointment_date
            if start and professional.first_appointment_date and start < professional.first_appointment_date:
                row.error(SINCE, "The placement cannot start before the first appointment.")
            self._check_agency_open(row, agency, start)
            plan.placement_agency, plan.placement_start = agency, start
        if row.outcome.errors:
            return None
        row.outcome.action = CREATE
        return plan

    def _plan_update(self, row, professional, values, status, agency, since) -> Plan | None:
        if status is not None and status != professional.status:
            row.error(
                STATUS,
                f"The record says “{professional.get_status_display()}”, the file “{Status(status).label}”. A change "
                "of status is imported as a status event (with its date), not here.",
            )
        old_grade = professional.grade
        changes = changes_between(professional, values, FIELD_COLUMNS)
        changed = [name for name, value in values.items() if getattr(professional, name) != value]
        for name in changed:
            setattr(professional, name, values[name])
        plan = Plan(row=row, professional=professional, is_new=False, changed=changed)
        if changed:
            self._validate(row, professional)
        if "grade" in changed:
            plan.grade_changed = True
            plan.grade_promotion = professional.grade.rank > old_grade.rank
        current = self.current.get(professional.pk)
        if agency is not None:
            changes += self._plan_move(plan, current, agency, since)
        if row.outcome.errors:
            return None
        row.outcome.changes = changes
        row.outcome.action = UPDATE if changes else UNCHANGED
        return plan

    def _plan_move(self, plan: Plan, current, agency: Agency, since: dt.date | None) -> list[str]:
        row, professional = plan.row, plan.professional
        if current is not None and current[1] == agency.pk:
            if since is not None and since != current[2]:
                row.error(
                    SINCE,
                    f"The current placement at {agency.code} started on {current[2]:%d %b %Y}, not "
                    f"{since:%d %b %Y}. Correct placement dates with a placement-history file.",
                )
            return []
        if professional.status not in IN_SERVICE_STATUSES:
            row.error(AGENCY, f"{professional.full_name} has left the service and cannot be placed.")
            return []
        start = since
        if start is None and current is None and professional.pk not in self.last_end:
            start = professional.first_appointment_date
        if start is None:
            row.error(SINCE, f"Give the date {professional.full_name} was placed at {agency.code} (Placed since).")
            return []
        if current is not None and start <= current[2]:
            row.error(
                SINCE,
                f"The current placement started on {current[2]:%d %b %Y}; the move to {agency.code} must come after.",
            )
        last_end = self.last_end.get(professional.pk)
        if current is None and last_end is not None and start < last_end:
            row.error(SINCE, f"An earlier placement ran until {last_end:%d %b %Y}; this one cannot start before.")
        self._check_agency_open(row, agency, start)
        plan.placement_agency, plan.placement_start = agency, start
        plan.ends_placement_id = current[0] if current is not None else None
        return [f"Placement: {'moves to' if current else 'placed at'} {agency.code} from {start:%d %b %Y}"]

    def _check_agency_open(self, row: Row, agency: Agency, start: dt.date | None) -> None:
        if agency.dissolved_on and start and start >= agency.dissolved_on:
            row.error(AGENCY, f"{agency.name} was dissolved on {agency.dissolved_on:%d %b %Y}.")

    def check_duplicates(self, rows: list[Row]) -> None:
        for header in (EMPLOYEE_ID, NATIONAL_ID):
            seen: dict[str, list[Row]] = defaultdict(list)
            for row in rows:
                value = row.raw(header)
                if value not in (None, ""):
                    seen[str(value).strip()].append(row)
            for value, same in seen.items():
                if len(same) < 2:
                    continue
                for row in same:
                    others = ", ".join(str(other.number) for other in same if other is not row)
                    row.error(header, f"{header} {value} is also on row {others}; each person has one row.")

    # -- running -----------------------------------------------------------------------------

    def run(self, rows: list[Row], *, write: bool, progress) -> None:
        self._load(rows)
        self.check_duplicates(rows)
        plans = []
        for done, row in enumerate(rows, start=1):
            if not row.outcome.errors:
                plan = self.check_row(row)
                if plan is not None and row.outcome.action != UNCHANGED:
                    plans.append(plan)
            if done % 500 == 0:
                progress(done, len(rows) * (2 if write else 1))
        if write and not any(row.outcome.errors for row in rows):
            self.write(plans)

    def write(self, plans: list[Plan]) -> None:
        """Everything in bulk, with history rows naming the file and the user."""
        now = timezone.now()
        history = self.history_options()
        new = [plan for plan in plans if plan.is_new]
        updated = [plan for plan in plans if not plan.is_new and plan.changed]
        for plan in new + [p for p in updated if {"date_of_birth", "grade"} & set(p.changed)]:
            professional = plan.professional
            professional.superannuation_date = superannuation_date_for(
                date_of_birth=professional.date_of_birth, category_id=professional.grade.category_id, rules=self.rules
            )
        for chunk in chunks([plan.professional for plan in new], BATCH):
            bulk_create_with_history(chunk, Professional, batch_size=BATCH, **history)
        if updated:
            fields = sorted({name for plan in updated for name in plan.changed} | {"superannuation_date", "updated_at"})
            for plan in updated:
                plan.professional.updated_at = now
            for chunk in chunks([plan.professional for plan in updated], BATCH):
                bulk_update_with_history(chunk, Professional, fields, batch_size=BATCH, **history)

        today = timezone.localdate()
        grade_rows = [
            GradeChange(
                professional=plan.professional,
                grade=plan.professional.grade,
                effective_date=plan.professional.first_appointment_date if plan.is_new else today,
                reason=(
                    GradeChange.Reason.APPOINTMENT
                    if plan.is_new
                    else GradeChange.Reason.PROMOTION
                    if plan.grade_promotion
                    else GradeChange.Reason.DEMOTION
                ),
            )
            for plan in plans
            if plan.is_new or plan.grade_changed
        ]
        bulk_create_with_history(grade_rows, GradeChange, batch_size=BATCH, **history)

        moves = [plan for plan in plans if plan.placement_agency is not None]
        ending = Placement.objects.in_bulk([plan.ends_placement_id for plan in moves if plan.ends_placement_id])
        by_id = {plan.ends_placement_id: plan for plan in moves if plan.ends_placement_id}
        for pk, placement in ending.items():
            placement.end_date = by_id[pk].placement_start
        # Close first, then open: the database allows one open placement per person at a time.
        bulk_update_with_history(list(ending.values()), Placement, ["end_date"], batch_size=BATCH, **history)
        opening = [
            Placement(
                professional=plan.professional,
                agency=plan.placement_agency,
                position_title=plan.professional.position_title,
                start_date=plan.placement_start,
                kind=PlacementKind.TRANSFER if plan.ends_placement_id else PlacementKind.APPOINTMENT,
            )
            for plan in moves
        ]
        bulk_create_with_history(opening, Placement, batch_size=BATCH, **history)
        current_agency_sync([plan.professional.pk for plan in moves])

    # -- export ------------------------------------------------------------------------------

    def export(self):
        columns = export_columns(sees_national_ids=True, region_label=SiteSettings.load().region_label)
        queryset = with_current_placement(Professional.objects.order_by("employee_id"))
        return columns, export_rows(queryset, columns)


def chunks(items: list, size: int = 5000):
    for start in range(0, len(items), size):
        yield items[start : start + size]
