"""The professionals import: a clean file, the same file again, and every kind of error with its row
and column and nothing written."""

import datetime as dt

import pytest

from imports.services import import_file
from placements.factories import PlacementFactory
from placements.models import Placement
from professionals.factories import ProfessionalFactory
from professionals.models import GradeChange, Professional, Status

from .helpers import PROFESSIONAL_HEADERS, csv_bytes, professional_row, xlsx_bytes

pytestmark = pytest.mark.django_db


def run(rows, *, user=None, commit=False, filename="staff-2026.csv", data=None):
    data = data if data is not None else csv_bytes([PROFESSIONAL_HEADERS, *rows])
    return import_file(kind="professionals", data=data, filename=filename, actor=user, commit=commit)


def errors(report):
    return [(row.number, column, message) for row in report.rows for column, message in row.errors]


@pytest.fixture
def setting(agency_tree, ref):
    return agency_tree


def test_a_clean_file_is_dry_run_then_committed_with_placements_grade_history_and_audit(setting, division_user):
    rows = [professional_row(1), professional_row(2, **{"Agency code": "Ministry of Finance", "Grade": "P4"})]
    dry = run(rows, user=division_user)
    assert dry.ok and not dry.committed
    assert dry.counts == {"create": 2, "update": 0, "unchanged": 0, "error": 0}
    assert not Professional.objects.exists()

    report = run(rows, user=division_user, commit=True)
    assert report.committed
    pema = Professional.objects.get(employee_id="201500001")
    assert (pema.national_id, pema.date_of_birth, pema.first_appointment_date) == (
        "11000000001",
        dt.date(1990, 3, 14),
        dt.date(2015, 7, 1),
    )
    assert pema.position_title.name == "ICT Officer" and pema.grade.code == "P3"
    assert pema.superannuation_date == dt.date(2050, 3, 14)  # P: 60 since 2023
    assert pema.current_agency.code == "MOH"
    assert Professional.objects.get(employee_id="201500002").current_agency.code == "MOF"
    placement = Placement.objects.get(professional=pema)
    assert (placement.start_date, placement.end_date) == (dt.date(2015, 7, 1), None)
    assert GradeChange.objects.get(professional=pema).reason == GradeChange.Reason.APPOINTMENT
    audit = pema.history.get()
    assert (audit.history_user, audit.history_change_reason) == (division_user, "Imported from staff-2026.csv")
    assert placement.history.get().history_change_reason == "Imported from staff-2026.csv"


def test_the_same_file_imported_again_changes_nothing(setting, division_user):
    rows = [professional_row(1), professional_row(2)]
    run(rows, user=division_user, commit=True)
    before = (Professional.history.count(), Placement.objects.count(), GradeChange.objects.count())
    again = run(rows, user=division_user, commit=True)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 2, "error": 0}
    assert (Professional.history.count(), Placement.objects.count(), GradeChange.objects.count()) == before


def test_a_changed_row_updates_only_what_differs_and_moves_the_placement(setting, division_user):
    run([professional_row(1)], user=division_user, commit=True)
    report = run(
        [professional_row(1, Grade="P2", **{"Agency code": "MOF", "Placed since": "01 Jan 2024"})],
        user=division_user,
        commit=True,
    )
    assert report.committed
    assert report.rows[0].changes == ["Grade: P3 → P2", "Placement: moves to MOF from 01 Jan 2024"]
    pema = Professional.objects.get(employee_id="201500001")
    assert pema.grade.code == "P2" and pema.current_agency.code == "MOF"
    assert list(
        Placement.objects.filter(professional=pema).order_by("start_date").values_list("end_date", flat=True)
    ) == [
        dt.date(2024, 1, 1),
        None,
    ]
    assert GradeChange.objects.filter(professional=pema, reason=GradeChange.Reason.PROMOTION).exists()


def test_a_missing_column_is_reported_with_the_close_header_the_file_has(setting):
    headers = ["Employe id" if h == "Employee id" else h for h in PROFESSIONAL_HEADERS]
    report = run([], data=csv_bytes([headers, professional_row(1)]))
    assert report.file_errors == [
        "The required column “Employee id” is missing. The file has a column “Employe id”: is that it? Rename it "
        "to “Employee id”."
    ]


def test_headers_match_whatever_their_case_and_spacing(setting):
    headers = [h.upper().replace(" ", "_") for h in PROFESSIONAL_HEADERS]
    assert run([], data=csv_bytes([headers, professional_row(1)])).ok


def test_an_unknown_agency_is_reported_with_a_suggestion_and_nothing_is_written(setting, division_user):
    report = run(
        [professional_row(1), professional_row(2, **{"Agency code": "Ministry of Helth"})],
        user=division_user,
        commit=True,
    )
    assert not report.committed
    assert errors(report) == [
        (3, "Agency code", "No agency has the code or name “Ministry of Helth”. Did you mean Ministry of Health (MOH)?")
    ]
    assert not Professional.objects.exists()


def test_bad_and_ambiguous_dates_are_reported_on_their_row_and_column(setting):
    report = run(
        [
            professional_row(1, **{"Date of birth": "03/04/1990"}),
            professional_row(2, **{"First appointment": "31/02/2015"}),
        ]
    )
    assert errors(report) == [
        (
            2,
            "Date of birth",
            "“03/04/1990” could be 03 Apr 1990 or 04 Mar 1990. Write the month in words (03 Apr 1990) or as "
            "1990-04-03 so it cannot be misread.",
        ),
        (3, "First appointment", "“31/02/2015” is not a date in the calendar (day 31 of month 2)."),
    ]


def test_duplicate_employee_ids_within_the_file_are_reported_on_both_rows(setting, division_user):
    report = run([professional_row(1), professional_row(2, **{"Employee id": "201500001"})], commit=True)
    assert errors(report) == [
        (2, "Employee id", "Employee id 201500001 is also on row 3; each person has one row."),
        (3, "Employee id", "Employee id 201500001 is also on row 2; each person has one row."),
    ]
    assert not Professional.objects.exists()


def test_an_employee_id_that_belongs_to_another_person_in_the_database_is_refused(setting):
    ProfessionalFactory(employee_id="201500001", national_id="11099999999", first_name="Karma", last_name="Dorji")
    report = run([professional_row(1)], commit=True)
    assert errors(report) == [
        (
            2,
            "National id",
            "Employee id 201500001 is already Karma Dorji's, whose national id is 11099999999. If this is another "
            "person, give them their own employee id; if the national id on record is wrong, correct it on their "
            "page first.",
        )
    ]
    assert Professional.objects.get().first_name == "Karma"


def test_a_national_id_already_on_another_record_is_refused(setting):
    ProfessionalFactory(employee_id="E1", national_id="11000000001", first_name="Karma", last_name="Dorji")
    report = run([professional_row(1)])
    assert errors(report) == [
        (2, "National id", "National id 11000000001 already belongs to Karma Dorji (employee id E1).")
    ]


def test_a_national_id_of_the_wrong_format_is_reported(setting):
    report = run([professional_row(1, **{"National id": "1100-0000"})])
    assert errors(report) == [
        (
            2,
            "National id",
            "“1100-0000” is not a national id: it should be 11 digits, as on the citizenship identity card (CID).",
        )
    ]


def test_unknown_grade_choice_and_model_rules_are_reported(setting):
    report = run(
        [
            professional_row(1, Grade="P33", Gender="Woman"),
            professional_row(
                2, **{"Date of birth": "2020-01-01", "First appointment": "2021-01-01", "Placed since": ""}
            ),
        ]
    )
    assert errors(report) == [
        (2, "Gender", "“Woman” is not one of: Female, Male, Other / not stated."),
        (2, "Grade", "No grade has the code or name “P33”. Did you mean P3?"),
        (3, "Date of birth", "A civil servant is at least 15 years old; check the date of birth."),
    ]


def test_a_move_that_would_overlap_the_current_placement_is_refused(setting):
    person = ProfessionalFactory(employee_id="201500001", national_id="11000000001")
    PlacementFactory(professional=person, agency=setting["MOH"], start_date=dt.date(2020, 1, 1))
    report = run([professional_row(1, **{"Agency code": "MOF", "Placed since": "01 Jan 2019"})], commit=True)
    assert errors(report) == [
        (2, "Placed since", "The current placement started on 01 Jan 2020; the move to MOF must come after.")
    ]
    assert Placement.objects.get().agency.code == "MOH"


def test_a_status_change_is_not_made_by_this_import(setting):
    ProfessionalFactory(employee_id="201500001", national_id="11000000001", status=Status.ACTIVE)
    report = run(
        [professional_row(1)], data=csv_bytes([[*PROFESSIONAL_HEADERS, "Status"], [*professional_row(1), "Resigned"]])
    )
    assert errors(report)[0][1:] == (
        "Status",
        "The record says “In service”, the file “Resigned”. A change of status is imported as a status event "
        "(with its date), not here.",
    )


def test_formulas_are_reported_on_their_cell_and_nothing_is_written(setting):
    data = xlsx_bytes([PROFESSIONAL_HEADERS, [*professional_row(1)[:6], "=B2", *professional_row(1)[7:]]])
    report = run([], data=data, commit=True, filename="staff.xlsx")
    assert errors(report) == [
        (2, "Grade", "Cell G2 holds a formula (=B2); type the value itself (in Excel: copy the column, then Paste "
         "Special > Values).")
    ]  # fmt: skip
    assert not Professional.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a spreadsheet"),
        (csv_bytes([PROFESSIONAL_HEADERS]), "no rows of data"),
    ],
)
def test_bad_files_get_a_clear_message(setting, data, message):
    report = run([], data=data, commit=True)
    assert message in report.file_errors[0] and not report.committed


def test_an_xlsx_with_real_date_cells_and_numeric_ids_imports(setting):
    row = professional_row(1)
    row[0], row[1] = 201500001, 11000000001
    row[PROFESSIONAL_HEADERS.index("Date of birth")] = dt.datetime(1990, 3, 14)
    report = run([], data=xlsx_bytes([PROFESSIONAL_HEADERS, row], hidden=("Lookups",)), commit=True)
    assert report.committed, report.to_dict()
    assert "Hidden sheet(s) not read: “Lookups”." in report.notes
    assert Professional.objects.get().date_of_birth == dt.date(1990, 3, 14)


@pytest.mark.parametrize("character", ["\x00", "\x07"])
def test_a_control_character_in_a_cell_is_a_row_error_and_nothing_is_written(setting, division_user, character):
    # (An .xlsx file cannot hold one: openpyxl refuses to write it, Excel escapes it. A NUL in a
    # CSV file's first 8 KB makes it binary data, refused whole: this one comes later.)
    rows = [professional_row(n) for n in range(1, 80)]
    rows.append(professional_row(80, **{"Last name": f"Dor{character}ji"}))
    data = csv_bytes([PROFESSIONAL_HEADERS, *rows])
    assert data.index(character.encode()) > 8192
    (error,) = errors(run([], data=data))
    assert error[0] == 81 and error[1] == "Last name" and "invisible control character" in error[2]
    assert run([], data=data, user=division_user, commit=True).committed is False
    assert not Professional.objects.exists()
