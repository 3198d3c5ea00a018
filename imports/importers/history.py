"""Placement history (checked in memory, written in bulk) and status events (through the status
service, which moves the professional's status and ends the placement on an exit)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.audit import stamp
from placements.models import Placement, PlacementKind, current_agency_sync
from professionals.models import IN_SERVICE_STATUSES, PositionTitle, Professional, StatusEvent, StatusEventKind
from professionals.services import status_event_record

from ..values import CellError, parse_date
from .base import CREATE, UNCHANGED, UPDATE, Column, Importer, Row, ServiceImporter, changes_between
from .professionals import BATCH, agency_lookup, chunks, reference_lookup

EMPLOYEE_ID = "Employee id"
AGENCY = "Agency code"
START, END = "Start date", "End date"
PLACEMENT_FIELDS = {
    "agency": AGENCY,
    "position_title": "Position title",
    "start_date": START,
    "end_date": END,
    "kind": "Kind",
    "office_order_number": "Office order number",
    "notes": "Notes",
}


def professionals_by_employee_id(rows: list[Row]) -> dict[str, Professional]:
    wanted = sorted({str(row.raw(EMPLOYEE_ID)).strip() for row in rows if row.raw(EMPLOYEE_ID) not in (None, "")})
    found: dict[str, Professional] = {}
    for chunk in chunks(wanted):
        for professional in Professional.objects.filter(employee_id__in=chunk):
            found[professional.employee_id] = professional
    return found


def unknown_employee(employee_id: str) -> CellError:
    return CellError(f"No professional has the employee id {employee_id}; import them first (kind: professionals).")


@dataclass
class Period:
    """A placement as it will be after the import: from the file (`row`) or already recorded."""

    start: dt.date
    end: dt.date | None
    agency_code: str
    row: Row | None = None
    placement: Placement | None = None

    def describe(self) -> str:
        until = f"to {self.end:%d %b %Y}" if self.end else "with no end (current)"
        where = f"row {self.row.number}" if self.row else "already recorded"
        return f"the placement at {self.agency_code} from {self.start:%d %b %Y} {until} ({where})"


class PlacementImporter(Importer):
    kind = "placements"
    label = "Placement history"
    description = (
        "Past and current placements, keyed on employee id, agency and start date. Periods of one person may not "
        "overlap (end dates are exclusive: one placement may end the day the next starts)."
    )
    columns = [
        Column(EMPLOYEE_ID, True, "Employee id of a professional already in the system.", "200501234", ("EID",)),
        Column(AGENCY, True, "Code or exact name of the agency.", "MOH", ("Agency",), width=12),
        Column("Position title", False, "Position title code or exact name.", "ICT Officer", ("Title",), width=28),
        Column(START, True, "A date.", "01 Jul 2014", ("From", "Start")),
        Column(END, False, "Empty for the current placement.", "01 Jul 2019", ("To", "End", "Until")),
        Column("Kind", False, "Appointment, transfer, secondment or restructuring (default transfer).", "Appointment"),
        Column("Office order number", False, "", "GT/HR/2014/0012", ("Office order",), width=20),
        Column("Notes", False, "", "", width=30),
    ]

    def run(self, rows: list[Row], *, write: bool, progress) -> None:
        people = professionals_by_employee_id(rows)
        agencies = agency_lookup()
        titles = reference_lookup("position title", PositionTitle.objects.all())
        recorded: dict[int, list[Placement]] = defaultdict(list)
        for chunk in chunks([p.pk for p in people.values()]):
            for placement in Placement.objects.filter(professional_id__in=chunk).select_related("agency"):
                recorded[placement.professional_id].append(placement)
        planned: dict[int, list[tuple[Row, Placement, Placement | None, dict]]] = defaultdict(list)
        seen: dict[tuple, int] = {}
        for done, row in enumerate(rows, start=1):
            employee_id = row.text(EMPLOYEE_ID, required=True)
            agency = row.ref(AGENCY, agencies, required=True)
            values = {"start_date": row.date(START, required=True)}
            if row.has(END):
                values["end_date"] = row.date(END)
            kind = row.choice("Kind", PlacementKind.choices) if row.has("Kind") else None
            if kind:
                values["kind"] = kind
            if row.has("Position title"):
                values["position_title"] = row.ref("Position title", titles)
            for name, length in (("office_order_number", 40), ("notes", None)):
                if row.has(PLACEMENT_FIELDS[name]):
                    values[name] = row.text(PLACEMENT_FIELDS[name], max_length=length)
            professional = people.get(employee_id)
            if employee_id and professional is None:
                row.error(EMPLOYEE_ID, str(unknown_employee(employee_id)))
            if row.outcome.errors:
                continue
            match = next(
                (
                    p
                    for p in recorded[professional.pk]
                    if p.agency_id == agency.pk and p.start_date == values["start_date"]
                ),
                None,
            )
            start, end = values["start_date"], values.get("end_date", match.end_date if match else None)
            row.outcome.key = f"{employee_id} at {agency.code} from {start:%d %b %Y}"
            key = (professional.pk, agency.pk, start)
            if key in seen:
                row.error(START, f"The same placement (person, agency, start) is also on row {seen[key]}.")
                continue
            seen[key] = row.number
            if end is not None and end <= start:
                row.error(END, "The end date must come after the start date.")
            if start < professional.first_appointment_date:
                row.error(
                    START,
                    f"The start comes before the first appointment ({professional.first_appointment_date:%d %b %Y}).",
                )
            if agency.dissolved_on and start >= agency.dissolved_on:
                row.error(AGENCY, f"{agency.name} was dissolved on {agency.dissolved_on:%d %b %Y}.")
            if end is None and professional.status not in IN_SERVICE_STATUSES:
                row.error(END, f"{professional.full_name} has left the service; their placements have an end date.")
            planned[professional.pk].append((row, agency, match, values))
            if done % 500 == 0:
                progress(done, len(rows))

        writes = []
        for professional_id, entries in planned.items():
            matched = {match.pk for _row, _agency, match, _values in entries if match is not None}
            periods = [
                Period(p.start_date, p.end_date, p.agency.code, placement=p)
                for p in recorded[professional_id]
                if p.pk not in matched
            ]
            periods += [
                Period(v["start_date"], v.get("end_date", m.end_date if m else None), a.code, row=r)
                for r, a, m, v in entries
            ]
            self._check_overlaps(periods)
            for row, agency, match, values in entries:
                if row.outcome.errors:
                    continue
                if match is None:
                    row.outcome.action = CREATE
                    values.setdefault("kind", PlacementKind.TRANSFER)
                    writes.append((Placement(professional_id=professional_id, agency=agency, **values), None))
                    continue
                changes = changes_between(match, values, PLACEMENT_FIELDS)
                if changes:
                    row.outcome.action, row.outcome.changes = UPDATE, changes
                    for name, value in values.items():
                        setattr(match, name, value)
                    writes.append((match, values))
        if write and not any(row.outcome.errors for row in rows):
            self.write(writes)

    def _check_overlaps(self, periods: list[Period]) -> None:
        periods.sort(key=lambda p: (p.start, p.end or dt.date.max))
        reach: Period | None = None  # the period seen so far that ends last
        for period in periods:
            if reach is not None and (reach.end is None or reach.end > period.start):
                target, other = (period, reach) if period.row is not None else (reach, period)
                if target.row is not None:
                    column = START if target is period else END
                    target.row.error(column, f"This period overlaps {other.describe()}.")
            if reach is None or reach.end is not None and (period.end is None or period.end > reach.end):
                reach = period

    def write(self, writes: list[tuple[Placement, dict | None]]) -> None:
        history = self.history_options()
        updates = [placement for placement, values in writes if values is not None]
        creates = [placement for placement, values in writes if values is None]
        fields = sorted({name for _p, values in writes if values for name in values})
        # Updates first: they may close the open placement that a new row follows.
        for chunk in chunks(updates, BATCH):
            bulk_update_with_history(chunk, Placement, fields, batch_size=BATCH, **history)
        creates.sort(key=lambda p: p.end_date is None)
        for chunk in chunks(creates, BATCH):
            bulk_create_with_history(chunk, Placement, batch_size=BATCH, **history)
        current_agency_sync({placement.professional_id for placement, _values in writes})

    def export_rows(self):
        queryset = Placement.objects.select_related("professional", "agency", "position_title").order_by(
            "professional__employee_id", "start_date", "id"
        )
        for p in queryset.iterator(chunk_size=2000):
            yield [
                p.professional.employee_id,
                p.agency.code,
                p.position_title.name if p.position_title else "",
                p.start_date,
                p.end_date,
                p.get_kind_display(),
                p.office_order_number,
                p.notes,
            ]


EVENT_FIELDS = {
    "kind": "Kind",
    "effective_date": "Effective date",
    "expected_end": "Expected end",
    "reference": "Reference",
    "notes": "Notes",
}


class StatusEventImporter(ServiceImporter):
    kind = "status-events"
    label = "Status events (leave, returns, exits)"
    description = (
        "Extraordinary leave, study leave, secondment, returns and exits, keyed on employee id, kind and date. "
        "Each person's rows are applied in date order; an exit ends the current placement."
    )
    fields = EVENT_FIELDS
    columns = [
        Column(EMPLOYEE_ID, True, "Employee id of a professional already in the system.", "200501234", ("EID",)),
        Column(
            "Kind", True, "EOL, study leave, secondment, return, resignation, retirement, ...", "Extraordinary leave"
        ),
        Column("Effective date", True, "A date.", "01 Mar 2025", ("Date", "From")),
        Column("Expected end", False, "For leave and secondment: when the person is due back.", "28 Feb 2027"),
        Column("Reference", False, "Office order or letter number.", "RCSC/HR/2025/0042", width=20),
        Column("Notes", False, "", "", width=30),
    ]

    def prepare(self, rows: list[Row]) -> None:
        self.people = professionals_by_employee_id(rows)
        ids = [p.pk for p in self.people.values()]
        self.events = {
            (e.professional_id, e.kind, e.effective_date): e
            for e in StatusEvent.objects.filter(professional_id__in=ids)
        }
        self.seen: dict[tuple, int] = {}

    def order(self, rows: list[Row]) -> list[Row]:
        def when(row: Row):
            try:
                return parse_date(row.raw("Effective date"))
            except (CellError, TypeError):
                return dt.date.min

        return sorted(rows, key=lambda row: (str(row.raw(EMPLOYEE_ID) or ""), when(row), row.number))

    def apply_row(self, row: Row):
        employee_id = row.text(EMPLOYEE_ID, required=True)
        kind = row.choice("Kind", StatusEventKind.choices, required=True)
        values = {
            "effective_date": row.date("Effective date", required=True),
            "expected_end": row.date("Expected end") if row.has("Expected end") else None,
            "reference": row.text("Reference", max_length=60) if row.has("Reference") else "",
            "notes": row.text("Notes") if row.has("Notes") else "",
        }
        professional = self.people.get(employee_id)
        if employee_id and professional is None:
            row.error(EMPLOYEE_ID, str(unknown_employee(employee_id)))
        if row.outcome.errors:
            return UNCHANGED, "", []
        key = f"{employee_id}: {StatusEventKind(kind).label} from {values['effective_date']:%d %b %Y}"
        first = self.seen.setdefault((professional.pk, kind, values["effective_date"]), row.number)
        if first != row.number:
            raise CellError(f"The same event is also on row {first}.")
        event = self.events.get((professional.pk, kind, values["effective_date"]))
        if event is None:
            status_event_record(
                professional_id=professional.pk, kind=kind, actor=self.actor, reason=self.reason, **values
            )
            return CREATE, key, []
        changes = changes_between(event, values, EVENT_FIELDS)
        if not changes:
            return UNCHANGED, key, []
        for name, value in values.items():
            setattr(event, name, value)
        event.full_clean()
        stamp(event, self.actor, self.reason)
        event.save(update_fields=["expected_end", "reference", "notes"])
        return UPDATE, key, changes

    def export_rows(self):
        queryset = StatusEvent.objects.select_related("professional").order_by(
            "professional__employee_id", "effective_date", "id"
        )
        for event in queryset.iterator(chunk_size=2000):
            yield [
                event.professional.employee_id,
                event.get_kind_display(),
                event.effective_date,
                event.expected_end,
                event.reference,
                event.notes,
            ]
