import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from placements.factories import PlacementFactory
from placements.models import Placement
from professionals.factories import ProfessionalFactory
from professionals.models import GradeChange, PendingStatusChange, Professional, Status, StatusEvent
from professionals.services import (
    professional_create,
    professional_update,
    status_changes_due_record,
    status_event_record,
)
from professionals.tasks import record_due_status_changes

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(agency_tree, ref):
    person = ProfessionalFactory(grade=ref.grades["P4"], date_of_birth=dt.date(1988, 3, 3))
    PlacementFactory(professional=person, agency=agency_tree["MOH"], start_date=dt.date(2016, 1, 1))
    return person


def test_creating_a_professional_stores_superannuation_grade_history_and_an_audit_entry(ref, division_user):
    person = professional_create(
        actor=division_user,
        employee_id="2015010001",
        national_id="11503000123",
        first_name="Karma",
        last_name="Dema",
        gender="F",
        date_of_birth=dt.date(1990, 2, 10),
        first_appointment_date=dt.date(2015, 1, 1),
        grade=ref.grades["P5"],
    )
    assert person.superannuation_date == dt.date(2050, 2, 10)
    assert list(GradeChange.objects.filter(professional=person).values_list("grade__code", "reason")) == [
        ("P5", "appointment")
    ]
    entry = person.history.get()
    assert entry.history_type == "+"
    assert entry.history_user == division_user


def test_a_date_of_birth_in_the_future_is_refused_on_its_field(ref, division_user):
    with pytest.raises(ValidationError) as excinfo:
        professional_create(
            actor=division_user,
            employee_id="X1",
            national_id="X1",
            first_name="Future",
            gender="M",
            date_of_birth=dt.date(2999, 1, 1),
            first_appointment_date=dt.date(3020, 1, 1),
            grade=ref.grades["P5"],
        )
    assert "date_of_birth" in excinfo.value.message_dict
    assert not Professional.objects.filter(employee_id="X1").exists()


def test_a_duplicate_employee_id_is_refused(ref, division_user, placed):
    with pytest.raises(ValidationError) as excinfo:
        professional_create(
            actor=division_user,
            employee_id=placed.employee_id,
            national_id="99999999999",
            first_name="Copy",
            gender="M",
            date_of_birth=dt.date(1990, 1, 1),
            first_appointment_date=dt.date(2015, 1, 1),
            grade=ref.grades["P5"],
        )
    assert "employee_id" in excinfo.value.message_dict


def test_a_promotion_enters_the_grade_history_and_moves_the_superannuation_date(placed, ref, division_user):
    professional_update(professional_id=placed.id, actor=division_user, grade=ref.grades["ES3"], reason="Promoted")
    placed.refresh_from_db()
    assert placed.grade.code == "ES3"
    assert placed.superannuation_date == dt.date(2051, 3, 3)  # ES: 63
    assert GradeChange.objects.filter(professional=placed, grade__code="ES3", reason="promotion").exists()
    assert placed.history.first().history_change_reason == "Promoted"


def test_eol_moves_the_status_and_keeps_the_placement(placed, division_user):
    status_event_record(
        professional_id=placed.id,
        kind="eol",
        effective_date=dt.date(2025, 3, 1),
        expected_end=dt.date(2027, 3, 1),
        actor=division_user,
    )
    placed.refresh_from_db()
    assert placed.status == Status.EOL
    assert Placement.objects.get(professional=placed).end_date is None


def test_leave_needs_an_expected_end(placed, division_user):
    with pytest.raises(ValidationError) as excinfo:
        status_event_record(
            professional_id=placed.id, kind="eol", effective_date=dt.date(2025, 3, 1), actor=division_user
        )
    assert "expected_end" in excinfo.value.message_dict
    assert not StatusEvent.objects.exists()


def test_a_resignation_ends_the_current_placement_on_its_date(placed, division_user):
    status_event_record(
        professional_id=placed.id, kind="resignation", effective_date=dt.date(2025, 6, 30), actor=division_user
    )
    placed.refresh_from_db()
    assert placed.status == Status.RESIGNED
    placement = Placement.objects.get(professional=placed)
    assert placement.end_date == dt.date(2025, 6, 30)
    assert placement.history.first().history_change_reason == "Resignation"


def test_nothing_can_be_recorded_after_an_exit(placed, division_user):
    status_event_record(
        professional_id=placed.id, kind="retirement", effective_date=dt.date(2025, 6, 30), actor=division_user
    )
    with pytest.raises(ValidationError, match="already left the service"):
        status_event_record(
            professional_id=placed.id, kind="return", effective_date=dt.date(2025, 7, 30), actor=division_user
        )


def test_a_return_needs_a_leave_to_return_from(placed, division_user):
    with pytest.raises(ValidationError) as excinfo:
        status_event_record(
            professional_id=placed.id, kind="return", effective_date=dt.date(2025, 7, 30), actor=division_user
        )
    assert "nothing to return from" in str(excinfo.value)


def test_an_exit_before_the_current_placement_started_is_refused_and_nothing_is_written(placed, division_user):
    with pytest.raises(ValidationError):
        status_event_record(
            professional_id=placed.id, kind="resignation", effective_date=dt.date(2015, 6, 1), actor=division_user
        )
    placed.refresh_from_db()
    assert placed.status == Status.ACTIVE
    assert not StatusEvent.objects.exists()


def test_due_status_changes_are_queued_once_and_not_applied(placed, ref, division_user, agency_tree):
    status_event_record(
        professional_id=placed.id,
        kind="eol",
        effective_date=dt.date(2024, 1, 1),
        expected_end=dt.date(2025, 1, 1),
        actor=division_user,
    )
    old = ProfessionalFactory(grade=ref.grades["P2"], date_of_birth=dt.date(1965, 1, 1))
    old.superannuation_date = dt.date(2025, 1, 1)
    old.save()
    young = ProfessionalFactory(grade=ref.grades["P2"], date_of_birth=dt.date(1995, 1, 1))
    young.superannuation_date = dt.date(2055, 1, 1)
    young.save()

    result = status_changes_due_record(today=dt.date(2025, 2, 1))
    assert result == {"leave_ended": 1, "superannuation": 1, "created": 2}
    pending = set(PendingStatusChange.objects.values_list("professional_id", "kind", "due_date"))
    assert pending == {
        (placed.id, "leave_ended", dt.date(2025, 1, 1)),
        (old.id, "superannuation", dt.date(2025, 1, 1)),
    }
    # Nothing was edited silently.
    placed.refresh_from_db()
    old.refresh_from_db()
    assert (placed.status, old.status) == (Status.EOL, Status.ACTIVE)
    # Re-running the daily job adds nothing.
    assert status_changes_due_record(today=dt.date(2025, 2, 2))["created"] == 0


def test_recording_the_return_resolves_the_pending_item(placed, division_user):
    status_event_record(
        professional_id=placed.id,
        kind="eol",
        effective_date=dt.date(2024, 1, 1),
        expected_end=dt.date(2025, 1, 1),
        actor=division_user,
    )
    status_changes_due_record(today=dt.date(2025, 2, 1))
    status_event_record(
        professional_id=placed.id, kind="return", effective_date=dt.date(2025, 2, 3), actor=division_user
    )
    item = PendingStatusChange.objects.get()
    assert item.state == PendingStatusChange.State.RESOLVED
    assert item.resolved_by == division_user


def test_the_daily_task_runs_the_service(placed, ref):
    old = ProfessionalFactory(grade=ref.grades["P2"], date_of_birth=dt.date(1965, 1, 1))
    old.superannuation_date = dt.date(2025, 1, 1)
    old.save()
    result = record_due_status_changes.delay("2025-02-01").get()
    assert result["superannuation"] == 1
    assert PendingStatusChange.objects.filter(professional=old, kind="superannuation").exists()
