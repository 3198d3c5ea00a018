"""Agencies, ICT units, sanctioned posts, placement history and status events: clean files, re-imports
that change nothing, and errors with their row and column."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from agencies.models import Agency, ICTUnit, SanctionedPost
from imports.services import import_file
from placements.factories import PlacementFactory
from placements.models import Placement
from professionals.factories import ProfessionalFactory
from professionals.models import Status, StatusEvent

from .helpers import csv_bytes

pytestmark = pytest.mark.django_db


def run(kind, rows, *, commit=False, user=None, filename="data.csv"):
    return import_file(kind=kind, data=csv_bytes(rows), filename=filename, actor=user, commit=commit)


def errors(report):
    return [(row.number, column, message) for row in report.rows for column, message in row.errors]


AGENCIES = [
    ["Code", "Name", "Kind", "Parent code", "Region", "CII"],
    ["DOIT", "Department of IT", "department", "MOICT", "", "yes"],  # its parent comes later in the file
    ["MOICT", "Ministry of Information and Communications", "Ministry", "", "Thimphu", "no"],
]


def test_agencies_import_with_parents_named_later_in_the_file_and_reimport_changes_nothing(ref, division_user):
    report = run("agencies", AGENCIES, commit=True, user=division_user, filename="agencies.csv")
    assert report.committed, report.to_dict()
    doit = Agency.objects.get(code="DOIT")
    assert doit.parent.code == "MOICT" and doit.critical_information_infrastructure
    assert doit.history.get().history_change_reason == "Imported from agencies.csv"
    again = run("agencies", AGENCIES, commit=True, user=division_user)
    assert again.counts["unchanged"] == 2 and again.counts["create"] == again.counts["update"] == 0


def test_agencies_in_a_parent_loop_or_with_an_unknown_kind_are_reported_and_nothing_written(ref):
    report = run(
        "agencies",
        [
            ["Code", "Name", "Kind", "Parent code"],
            ["A1", "First", "Ministry", "A2"],
            ["A2", "Second", "Ministry", "A1"],
            ["A3", "Third", "Ministri", ""],
        ],
        commit=True,
    )
    found = errors(report)
    assert (4, "Kind", "No agency kind has the code or name “Ministri”. Did you mean Ministry?") in found
    assert {number for number, column, _ in found if column == "Parent code"} == {2, 3}
    assert not Agency.objects.filter(code__in=["A1", "A2", "A3"]).exists()


def test_ict_units_and_sanctioned_posts_import_and_reimport_unchanged(agency_tree, ref, division_user):
    units = [["Agency code", "Unit name", "Kind"], ["MOH", "ICT Division, MoH", "ICT Division"]]
    assert run("ict-units", units, commit=True, user=division_user).committed
    assert ICTUnit.objects.get(agency__code="MOH").name == "ICT Division, MoH"
    assert run("ict-units", units, commit=True).counts["unchanged"] == 1

    posts = [["Agency code", "Position title", "Number"], ["MOH", "ICT Officer", "4"], ["mof", "ict-officer", "2"]]
    report = run("sanctioned-posts", posts, commit=True, user=division_user, filename="posts.xlsx")
    assert report.committed
    post = SanctionedPost.objects.get(agency__code="MOH")
    assert post.number == 4 and post.history.get().history_change_reason == "Imported from posts.xlsx"
    changed = run("sanctioned-posts", [posts[0], ["MOH", "ICT Officer", "5"], posts[2]], commit=True)
    assert changed.counts == {"create": 0, "update": 1, "unchanged": 1, "error": 0}
    assert changed.rows[0].changes == ["Number: 4 → 5"]


def test_a_sanctioned_post_with_a_bad_number_is_reported(agency_tree, ref):
    report = run("sanctioned-posts", [["Agency code", "Position title", "Number"], ["MOH", "ICT Officer", "four"]])
    assert errors(report) == [(2, "Number", "“four” is not a whole number.")]


@pytest.fixture
def person(agency_tree):
    return ProfessionalFactory(employee_id="E1", first_appointment_date=dt.date(2010, 1, 1))


PLACEMENTS = ["Employee id", "Agency code", "Start date", "End date", "Kind"]


def test_placement_history_imports_closes_the_current_placement_and_reimports_unchanged(person, division_user):
    PlacementFactory(professional=person, agency=Agency.objects.get(code="MOH"), start_date=dt.date(2015, 1, 1))
    rows = [
        PLACEMENTS,
        ["E1", "MOF", "2010-01-01", "2015-01-01", "Appointment"],
        ["E1", "MOH", "2015-01-01", "2020-01-01", "Transfer"],  # ends the open one
        ["E1", "DZ-PARO", "2020-01-01", "", "Transfer"],
    ]
    report = run("placements", rows, commit=True, user=division_user)
    assert report.committed, report.to_dict()
    assert report.counts == {"create": 2, "update": 1, "unchanged": 0, "error": 0}
    person.refresh_from_db()
    assert person.current_agency.code == "DZ-PARO"
    assert Placement.objects.filter(professional=person).count() == 3
    assert run("placements", rows, commit=True).counts["unchanged"] == 3


def test_a_placement_overlapping_another_is_reported_on_its_row_and_nothing_is_written(person):
    PlacementFactory(professional=person, agency=Agency.objects.get(code="MOH"), start_date=dt.date(2015, 1, 1))
    report = run(
        "placements",
        [PLACEMENTS, ["E1", "MOF", "2012-01-01", "2016-01-01", "Transfer"], ["E1", "X9", "2011-01-01", "", ""]],
        commit=True,
    )
    assert errors(report) == [
        (
            2,
            "End date",
            "This period overlaps the placement at MOH from 01 Jan 2015 with no end (current) (already recorded).",
        ),
        (3, "Agency code", "No agency has the code or name “X9”."),
    ]
    assert Placement.objects.count() == 1


def test_status_events_move_the_status_in_date_order_and_reimport_unchanged(person, division_user):
    PlacementFactory(professional=person, agency=Agency.objects.get(code="MOH"), start_date=dt.date(2015, 1, 1))
    rows = [
        ["Employee id", "Kind", "Effective date", "Expected end", "Reference"],
        ["E1", "Resignation", "01 Jun 2024", "", "L/2024/9"],
        ["E1", "EOL", "01 Jan 2022", "01 Jan 2024", ""],  # earlier: applied first
        ["E1", "Return to duty", "01 Jan 2024", "", ""],
    ]
    report = run("status-events", rows, commit=True, user=division_user, filename="exits.csv")
    assert report.committed, report.to_dict()
    person.refresh_from_db()
    assert person.status == Status.RESIGNED and person.current_agency is None
    assert Placement.objects.get(professional=person).end_date == dt.date(2024, 6, 1)
    event = StatusEvent.objects.get(kind="resignation")
    assert event.history.get().history_change_reason == "Resignation: Imported from exits.csv"
    assert run("status-events", rows, commit=True).counts["unchanged"] == 3


def test_a_status_event_that_cannot_follow_the_history_is_reported_and_nothing_is_written(person):
    report = run(
        "status-events",
        [
            ["Employee id", "Kind", "Effective date"],
            ["E1", "Resignation", "2024-06-01"],
            ["E1", "EOL", "2025-01-01"],
            ["E404", "EOL", "2025-01-01"],
        ],
        commit=True,
    )
    found = errors(report)
    assert found[0][0] == 3 and "has already left the service" in found[0][2]
    assert found[1] == (
        4,
        "Employee id",
        "No professional has the employee id E404; import them first (kind: professionals).",
    )
    assert not StatusEvent.objects.exists()
    person.refresh_from_db()
    assert person.status == Status.ACTIVE


def test_the_command_dry_runs_by_default_and_commits_with_commit(tmp_path, ref, capsys):
    path = tmp_path / "agencies.csv"
    path.write_bytes(csv_bytes(AGENCIES))
    call_command("import_data", "agencies", str(path))
    assert "Row 2 (DOIT): create" in capsys.readouterr().out
    assert not Agency.objects.filter(code="DOIT").exists()
    call_command("import_data", "agencies", str(path), "--commit")
    assert "Imported agencies.csv." in capsys.readouterr().out
    assert Agency.objects.filter(code="DOIT").exists()


def test_the_command_fails_and_writes_nothing_when_the_file_has_errors(tmp_path, ref, capsys):
    path = tmp_path / "agencies.csv"
    path.write_bytes(csv_bytes([AGENCIES[0], ["X", "", "Ministry", "", "", ""]]))
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import_data", "agencies", str(path), "--commit")
    assert "Row 2, Name: Name is empty; it is required." in capsys.readouterr().out
    assert not Agency.objects.filter(code="X").exists()
