"""Write the simulated people to the database in large batches.

The services (one professional at a time, with locks and audit rows) would take hours for 50,000
people; here the rows are known to be consistent by construction, so they go in with bulk_create.
Model instances are built a chunk at a time so that memory stays flat. Professionals and current
placements get the initial "+" audit row that the services would have written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from simple_history.utils import bulk_create_with_history

from placements.models import Placement
from professionals.models import GradeChange, Professional, Qualification, StatusEvent

from .people import Person, minus_years

BATCH = 5000


def _chunks(rows: Iterable, size: int = BATCH) -> Iterator[list]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _current_agency_id(person: Person, agency_ids) -> int | None:
    """The agency of the person's open placement (Professional.current_agency), if any."""
    return next((agency_ids[agency] for agency, _start, end, *_ in person.placements if end is None), None)


def insert_people(people: list[Person], *, today, grade_ids, title_ids, track_ids, agency_ids, reason) -> dict:
    """Insert professionals and their history; sets `person.pk`. Returns row counts by table."""
    counts = dict.fromkeys(("professionals", "placements", "status_events", "grade_changes", "qualifications"), 0)
    # Probation lasts a year from the first appointment.
    probation_until = minus_years(today, 1)
    for chunk in _chunks(people):
        rows = [
            Professional(
                employee_id=p.employee_id,
                national_id=p.national_id,
                first_name=p.first_name,
                middle_name=p.middle_name,
                last_name=p.last_name,
                gender=p.gender,
                date_of_birth=p.date_of_birth,
                email=p.email,
                phone=p.phone,
                first_appointment_date=p.appointed,
                employment_type=(
                    "contract" if p.contract else "probation" if p.appointed > probation_until else "regular"
                ),
                grade_id=grade_ids[p.grade],
                position_title_id=title_ids.get(p.title),
                track_id=track_ids[p.track],
                status=p.status,
                superannuation_date=p.superannuation,
                current_agency_id=_current_agency_id(p, agency_ids),
            )
            for p in chunk
        ]
        bulk_create_with_history(rows, Professional, batch_size=BATCH, default_change_reason=reason)
        for person, row in zip(chunk, rows, strict=True):
            person.pk = row.pk
        counts["professionals"] += len(rows)

    def placements(current: bool):
        for p in people:
            for agency, start, end, kind, title in p.placements:
                if (end is None) == current:
                    yield Placement(
                        professional_id=p.pk,
                        agency_id=agency_ids[agency],
                        position_title_id=title_ids.get(title),
                        start_date=start,
                        end_date=end,
                        kind=kind,
                        office_order_number=f"GT/HR/{start.year}/{p.employee_id[-4:]}{start.month:02d}",
                    )

    for chunk in _chunks(placements(current=False)):
        counts["placements"] += len(Placement.objects.bulk_create(chunk, batch_size=BATCH))
    for chunk in _chunks(placements(current=True)):
        counts["placements"] += len(
            bulk_create_with_history(chunk, Placement, batch_size=BATCH, default_change_reason=reason)
        )

    events = (
        StatusEvent(
            professional_id=p.pk,
            kind=kind,
            effective_date=day,
            expected_end=expected,
            reference=f"RCSC/HR/{day.year}/{p.employee_id[-5:]}",
        )
        for p in people
        for kind, day, expected in p.events
    )
    for chunk in _chunks(events):
        counts["status_events"] += len(StatusEvent.objects.bulk_create(chunk, batch_size=BATCH))

    grades = (
        GradeChange(professional_id=p.pk, grade_id=grade_ids[grade], effective_date=day, reason=why)
        for p in people
        for grade, day, why in p.grades
    )
    for chunk in _chunks(grades):
        counts["grade_changes"] += len(GradeChange.objects.bulk_create(chunk, batch_size=BATCH))

    qualifications = (
        Qualification(
            professional_id=p.pk,
            level=level,
            field=field,
            institution=institution,
            country=country,
            year_completed=year,
        )
        for p in people
        for level, field, institution, country, year in p.qualifications
    )
    for chunk in _chunks(qualifications):
        counts["qualifications"] += len(Qualification.objects.bulk_create(chunk, batch_size=BATCH))
    return counts
