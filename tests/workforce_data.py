"""A small workforce with known figures, shared by the dashboard, agency page and analytics tests.

On the `agency_tree` fixture (MOH > DMS > JDWNRH, MOF, DZ-PARO):

| agency | sanctioned (title x n)       | placed now (title)           | vacant | over |
|--------|------------------------------|------------------------------|--------|------|
| MOH    | officer 3, senior 1          | officer 2, senior 2          | 1      | 1    |
| DMS    | officer 2                    | officer 1 (on study leave)   | 1      | 0    |
| JDWNRH | associate 2                  | -                            | 2      | 0    |
| MOF    | officer 4                    | officer 1                    | 3      | 0    |
| PARO   | -                            | associate 1                  | 0      | 1    |

Whole government: 12 sanctioned, 7 placed, 7 vacant, 2 over. MOH subtree: 8, 5, 4, 1.
One MOH officer is on EOL, due back in 30 days; the DMS officer on study leave is due back in
200 days. MOF's officer superannuates in 100 days; a MOH senior in 400 days. Two people left:
one resigned from MOH last year, one retired from MOF two years ago. Two status changes wait
for confirmation: one for the MOH officer on EOL, one for MOF's officer.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from agencies.factories import ICTUnitFactory, SanctionedPostFactory
from placements.factories import PlacementFactory
from professionals.factories import ProfessionalFactory
from professionals.models import PendingStatusChange, Professional, Status, StatusEvent, StatusEventKind


def _person(name, agency, title, grade, *, start=dt.date(2020, 1, 1), **fields):
    person = ProfessionalFactory(first_name=name, last_name="Test", position_title=title, grade=grade, **fields)
    PlacementFactory(professional=person, agency=agency, position_title=title, start_date=start)
    return person


def build_workforce(agency_tree, ref, *, with_moh_unit: bool = False) -> SimpleNamespace:
    """The shared small workforce; `with_moh_unit` also gives MOH an ICT division headed by its
    senior officer."""
    today = timezone.localdate()
    officer, senior, associate = (
        ref.titles["ict-officer"],
        ref.titles["senior-ict-officer"],
        ref.titles["ict-technical-associate"],
    )
    p4, p2, s5 = ref.grades["P4"], ref.grades["P2"], ref.grades["S5"]
    moh, dms, hospital, mof, paro = (agency_tree[c] for c in ("MOH", "DMS", "JDWNRH", "MOF", "DZ-PARO"))
    for agency, title, number in (
        (moh, officer, 3),
        (moh, senior, 1),
        (dms, officer, 2),
        (hospital, associate, 2),
        (mof, officer, 4),
    ):
        SanctionedPostFactory(agency=agency, position_title=title, number=number)

    track = ref.tracks["cybersecurity"]
    people = SimpleNamespace(
        moh_officer=_person("Pema", moh, officer, p4, track=track),
        moh_on_eol=_person("Sonam", moh, officer, p4, status=Status.EOL),
        moh_senior=_person("Karma", moh, senior, p2),
        moh_senior2=_person("Dorji", moh, senior, p2),
        dms_study=_person("Kinley", dms, officer, p4, status=Status.STUDY_LEAVE),
        mof_officer=_person("Tshering", mof, officer, p4),
        paro_associate=_person("Yeshi", paro, associate, s5),
    )
    StatusEvent.objects.create(
        professional=people.moh_on_eol,
        kind=StatusEventKind.EOL,
        effective_date=today - dt.timedelta(days=300),
        expected_end=today + dt.timedelta(days=30),
    )
    StatusEvent.objects.create(
        professional=people.dms_study,
        kind=StatusEventKind.STUDY_LEAVE,
        effective_date=today - dt.timedelta(days=100),
        expected_end=today + dt.timedelta(days=200),
    )
    Professional.objects.filter(pk=people.mof_officer.pk).update(superannuation_date=today + dt.timedelta(days=100))
    Professional.objects.filter(pk=people.moh_senior.pk).update(superannuation_date=today + dt.timedelta(days=400))

    # Exits end the current placement on their date (professionals.services.status_event_record).
    left_moh = dt.date(today.year - 1, 6, 30)
    people.resigned = ProfessionalFactory(first_name="Ugyen", last_name="Left", status=Status.RESIGNED)
    PlacementFactory(professional=people.resigned, agency=moh, start_date=dt.date(2015, 1, 1), end_date=left_moh)
    StatusEvent.objects.create(professional=people.resigned, kind=StatusEventKind.RESIGNATION, effective_date=left_moh)
    left_mof = dt.date(today.year - 2, 3, 31)
    people.retired = ProfessionalFactory(first_name="Namgay", last_name="Left", status=Status.RETIRED)
    PlacementFactory(professional=people.retired, agency=mof, start_date=dt.date(2010, 1, 1), end_date=left_mof)
    StatusEvent.objects.create(professional=people.retired, kind=StatusEventKind.RETIREMENT, effective_date=left_mof)

    PendingStatusChange.objects.create(
        professional=people.moh_on_eol, kind=PendingStatusChange.Kind.LEAVE_ENDED, due_date=today
    )
    PendingStatusChange.objects.create(
        professional=people.mof_officer,
        kind=PendingStatusChange.Kind.SUPERANNUATION,
        due_date=today - dt.timedelta(days=1),
    )
    if with_moh_unit:
        ICTUnitFactory(
            agency=moh,
            kind=ref.unit_kinds["ict-division"],
            name="ICT Division, Ministry of Health",
            head=people.moh_senior,
            terms_of_reference="Plans the ministry's ICT.\n\nRuns the patient information system.",
        )
    return SimpleNamespace(
        today=today, people=people, left_moh=left_moh, left_mof=left_mof, agencies=agency_tree, MOH=moh, MOF=mof
    )


def add_staff(agency, ref, count: int) -> None:
    """More people placed in `agency`, for the tests that pin query counts against data size."""
    for i in range(count):
        _person(f"Extra{i}", agency, ref.titles["ict-officer"], ref.grades["P5"], track=ref.tracks["data-analytics"])
