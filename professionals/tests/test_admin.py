import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.models import Role
from competencies.models import Track
from placements.factories import PlacementFactory
from professionals.factories import ProfessionalFactory
from professionals.models import (
    Grade,
    GradeCategory,
    GradeChange,
    PendingStatusChange,
    PositionTitle,
    Professional,
    RetirementAgeRule,
    Status,
    StatusEvent,
)
from professionals.services import professional_update, status_event_record, superannuation_dates_recompute
from tests.admin_helpers import form_errors

pytestmark = pytest.mark.django_db

MANAGEMENT = {
    "qualifications-TOTAL_FORMS": "0",
    "qualifications-INITIAL_FORMS": "0",
    "qualifications-MIN_NUM_FORMS": "0",
    "qualifications-MAX_NUM_FORMS": "1000",
}


@pytest.fixture
def placed(agency_tree, ref):
    person = ProfessionalFactory(
        employee_id="E100001", national_id="10101010101", grade=ref.grades["P4"], first_name="Pema", last_name="Lhamo"
    )
    PlacementFactory(professional=person, agency=agency_tree["MOH"], start_date=dt.date(2016, 1, 1))
    return person


def new_professional_data(ref, **overrides):
    data = {
        "employee_id": "E900001",
        "national_id": "10900000001",
        "first_name": "Sonam",
        "middle_name": "",
        "last_name": "Choden",
        "gender": "F",
        "date_of_birth": "1990-06-15",
        "email": "",
        "phone": "",
        "first_appointment_date": "2015-01-01",
        "employment_type": "regular",
        "grade": ref.grades["P4"].pk,
        "position_title": ref.titles["ict-officer"].pk,
        "track": "",
        **MANAGEMENT,
    }
    data.update(overrides)
    return data


# -- pages open ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model, text",
    [
        ("professional", "Pema Lhamo"),
        ("grade", "P4"),
        ("gradecategory", "Professional and Management"),
        ("retirementagerule", "2023"),
        ("positiontitle", "ICT Officer"),
        ("statusevent", "Study leave"),
        ("pendingstatuschange", "Pema Lhamo"),
    ],
)
def test_each_changelist_opens_for_division_staff_with_its_rows(division_client, placed, model, text):
    status_event_record(
        professional_id=placed.pk,
        kind="study_leave",
        effective_date=dt.date(2024, 1, 1),
        expected_end=dt.date(2025, 1, 1),
        actor=None,
    )
    PendingStatusChange.objects.create(professional=placed, kind="leave_ended", due_date=dt.date(2025, 1, 1))
    response = division_client.get(reverse(f"admin:professionals_{model}_changelist"))
    assert response.status_code == 200
    assert text in response.content.decode()


def test_the_professional_list_shows_the_current_agency(division_client, placed):
    response = division_client.get(reverse("admin:professionals_professional_changelist"))
    assert "Ministry of Health" in response.content.decode()


def test_the_professional_page_shows_placements_and_history(division_client, placed):
    response = division_client.get(reverse("admin:professionals_professional_change", args=[placed.pk]))
    assert response.status_code == 200
    assert "Ministry of Health" in response.content.decode()
    history = division_client.get(reverse("admin:professionals_professional_history", args=[placed.pk]))
    assert history.status_code == 200


def test_the_track_changelist_opens(division_client, ref):
    response = division_client.get(reverse("admin:competencies_track_changelist"))
    assert response.status_code == 200
    assert Track.objects.first().name in response.content.decode()


# -- who may do what -------------------------------------------------------------------------


def test_an_hr_officer_may_view_but_not_add_or_change(client, hr_user, placed, ref):
    client.force_login(hr_user)
    assert client.get(reverse("admin:professionals_professional_changelist")).status_code == 200
    assert client.get(reverse("admin:professionals_professional_change", args=[placed.pk])).status_code == 200
    assert client.post(reverse("admin:professionals_professional_add"), new_professional_data(ref)).status_code == 403
    change = client.post(
        reverse("admin:professionals_professional_change", args=[placed.pk]),
        new_professional_data(ref, employee_id=placed.employee_id),
    )
    assert change.status_code == 403
    assert not Professional.objects.filter(employee_id="E900001").exists()


def test_an_hr_officer_may_not_revert_from_the_history_page(client, hr_user, placed, ref, division_user):
    version = placed.history.latest()
    url = reverse("admin:professionals_professional_simple_history", args=[placed.pk, version.history_id])
    client.force_login(hr_user)
    assert client.get(url).status_code == 200
    assert client.post(url, new_professional_data(ref, employee_id="CHANGED")).status_code == 403


def test_an_agency_head_is_sent_to_the_admin_login(client, agency_tree):
    head = UserFactory(role=Role.AGENCY_HEAD, agency=agency_tree["MOH"])
    client.force_login(head)
    response = client.get(reverse("admin:professionals_professional_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_read_only_division_account_may_only_view(client, placed, ref):
    reader = UserFactory(role=Role.DIVISION, is_staff=True, read_only=True)
    client.force_login(reader)
    assert client.get(reverse("admin:professionals_professional_changelist")).status_code == 200
    assert client.post(reverse("admin:professionals_professional_add"), new_professional_data(ref)).status_code == 403


# -- national ids ----------------------------------------------------------------------------


def test_national_ids_are_hidden_from_an_hr_officer_without_the_grant(client, hr_user, placed):
    client.force_login(hr_user)
    listing = client.get(reverse("admin:professionals_professional_changelist"))
    assert "Pema Lhamo" in listing.content.decode()
    assert placed.national_id not in listing.content.decode()
    search = client.get(reverse("admin:professionals_professional_changelist"), {"q": placed.national_id})
    assert "Pema Lhamo" not in search.content.decode()
    guess = client.get(reverse("admin:professionals_professional_changelist"), {"national_id__startswith": "101"})
    assert guess.status_code == 400
    page = client.get(reverse("admin:professionals_professional_change", args=[placed.pk]))
    assert placed.national_id not in page.content.decode()


def test_national_id_changes_are_left_out_of_the_history_for_an_hr_officer(client, hr_user, placed, division_user):
    professional_update(professional_id=placed.pk, actor=division_user, national_id="10999999999", phone="17000000")
    client.force_login(hr_user)
    page = client.get(reverse("admin:professionals_professional_history", args=[placed.pk])).content.decode()
    assert "17000000" in page
    assert "10999999999" not in page and placed.national_id not in page


def test_national_ids_show_to_an_hr_officer_with_the_grant(client, hr_user, placed):
    hr_user.can_view_national_ids = True
    hr_user.save()
    client.force_login(hr_user)
    search = client.get(reverse("admin:professionals_professional_changelist"), {"q": placed.national_id})
    assert placed.national_id in search.content.decode()
    assert "Pema Lhamo" in search.content.decode()


# -- adding and editing through the services -------------------------------------------------


def test_adding_a_professional_computes_superannuation_and_starts_grade_and_audit_history(
    division_client, division_user, ref
):
    data = new_professional_data(ref)
    data.update(
        {
            "qualifications-TOTAL_FORMS": "1",
            "qualifications-0-level": "bachelor",
            "qualifications-0-field": "Computer Science",
            "qualifications-0-institution": "",
            "qualifications-0-country": "",
            "qualifications-0-year_completed": "2012",
        }
    )
    response = division_client.post(reverse("admin:professionals_professional_add"), data)
    assert response.status_code == 302, response.context and form_errors(response)
    person = Professional.objects.get(employee_id="E900001")
    assert person.superannuation_date == dt.date(2050, 6, 15)  # P: 60 since 2023
    assert list(person.grade_changes.values_list("grade__code", "reason")) == [("P4", "appointment")]
    entry = person.history.get()
    assert entry.history_user == division_user
    assert entry.history_change_reason == "Created in the admin"
    assert person.qualifications.get().field == "Computer Science"


def test_a_new_grade_in_the_admin_recomputes_superannuation_and_adds_to_the_grade_history(
    division_client, division_user, placed, ref
):
    url = reverse("admin:professionals_professional_change", args=[placed.pk])
    data = new_professional_data(
        ref,
        employee_id=placed.employee_id,
        national_id=placed.national_id,
        first_name=placed.first_name,
        last_name=placed.last_name,
        date_of_birth=placed.date_of_birth.isoformat(),
        first_appointment_date=placed.first_appointment_date.isoformat(),
        grade=ref.grades["P1"].pk,
        change_reason="Promoted by office order 12",
    )
    data.update(
        {
            "placements-TOTAL_FORMS": "1",
            "placements-INITIAL_FORMS": "1",
            "placements-MIN_NUM_FORMS": "0",
            "placements-MAX_NUM_FORMS": "1000",
            "placements-0-id": placed.placements.get().pk,
            "placements-0-professional": placed.pk,
            "status_events-TOTAL_FORMS": "0",
            "status_events-INITIAL_FORMS": "0",
            "status_events-MIN_NUM_FORMS": "0",
            "status_events-MAX_NUM_FORMS": "1000",
            "grade_changes-TOTAL_FORMS": "0",
            "grade_changes-INITIAL_FORMS": "0",
            "grade_changes-MIN_NUM_FORMS": "0",
            "grade_changes-MAX_NUM_FORMS": "1000",
        }
    )
    response = division_client.post(url, data)
    assert response.status_code == 302, response.context and form_errors(response)
    placed.refresh_from_db()
    assert placed.grade.code == "P1"
    assert GradeChange.objects.filter(professional=placed, grade__code="P1", reason="promotion").exists()
    latest = placed.history.latest()
    assert latest.history_user == division_user
    assert latest.history_change_reason == "Promoted by office order 12"


def test_a_date_of_birth_in_the_future_is_refused_on_its_field(division_client, ref):
    response = division_client.post(
        reverse("admin:professionals_professional_add"),
        new_professional_data(ref, date_of_birth="2999-01-01", first_appointment_date="2015-01-01"),
    )
    assert response.status_code == 200
    assert "The date of birth is in the future." in form_errors(response)["date_of_birth"]
    assert not Professional.objects.exists()


@pytest.mark.parametrize("field", ["employee_id", "national_id"])
def test_a_duplicate_employee_or_national_id_is_refused_on_its_field(division_client, placed, ref, field):
    response = division_client.post(
        reverse("admin:professionals_professional_add"),
        new_professional_data(ref, **{field: getattr(placed, field)}),
    )
    assert response.status_code == 200
    assert "Another professional already has this" in form_errors(response)[field][0]
    assert Professional.objects.count() == 1


# -- reference data --------------------------------------------------------------------------


def test_a_new_retirement_rule_recomputes_superannuation_dates(division_client, placed, ref):
    superannuation_dates_recompute()  # the factory stores rows without the service
    placed.refresh_from_db()
    assert placed.superannuation_date == dt.date(2050, 6, 15)
    response = division_client.post(
        reverse("admin:professionals_retirementagerule_add"),
        {"category": ref.categories["P"].pk, "age": "62", "effective_from": "2030-01-01", "source": "Test rule"},
        follow=True,
    )
    assert response.status_code == 200
    placed.refresh_from_db()
    assert placed.superannuation_date == dt.date(2052, 6, 15)
    assert "1 professional(s) have a new date" in response.content.decode()

    rule = RetirementAgeRule.objects.get(source="Test rule")
    response = division_client.post(
        reverse("admin:professionals_retirementagerule_delete", args=[rule.pk]), {"post": "yes"}, follow=True
    )
    placed.refresh_from_db()
    assert placed.superannuation_date == dt.date(2050, 6, 15)


def test_editing_retirement_rules_inline_on_a_category_recomputes_dates(division_client, placed, ref):
    superannuation_dates_recompute()
    category = ref.categories["P"]
    rules = list(category.retirement_rules.order_by("effective_from"))
    grades = list(category.grades.order_by("-rank"))
    data = {"code": category.code, "name": category.name, "sort_order": category.sort_order}
    data.update(
        {
            "retirement_rules-TOTAL_FORMS": str(len(rules)),
            "retirement_rules-INITIAL_FORMS": str(len(rules)),
            "retirement_rules-MIN_NUM_FORMS": "0",
            "retirement_rules-MAX_NUM_FORMS": "1000",
            "grades-TOTAL_FORMS": str(len(grades)),
            "grades-INITIAL_FORMS": str(len(grades)),
            "grades-MIN_NUM_FORMS": "0",
            "grades-MAX_NUM_FORMS": "1000",
        }
    )
    for index, rule in enumerate(rules):
        age = 61 if rule.effective_from == dt.date(2023, 4, 22) else rule.age
        data.update(
            {
                f"retirement_rules-{index}-id": rule.pk,
                f"retirement_rules-{index}-category": category.pk,
                f"retirement_rules-{index}-age": age,
                f"retirement_rules-{index}-effective_from": rule.effective_from.isoformat(),
                f"retirement_rules-{index}-source": rule.source,
            }
        )
    for index, grade in enumerate(grades):
        data.update(
            {
                f"grades-{index}-id": grade.pk,
                f"grades-{index}-category": category.pk,
                f"grades-{index}-code": grade.code,
                f"grades-{index}-name": grade.name,
                f"grades-{index}-rank": grade.rank,
            }
        )
    response = division_client.post(reverse("admin:professionals_gradecategory_change", args=[category.pk]), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    placed.refresh_from_db()
    assert placed.superannuation_date == dt.date(2051, 6, 15)


# -- status events ---------------------------------------------------------------------------


def status_event_data(person, **overrides):
    data = {
        "professional": person.pk,
        "kind": "study_leave",
        "effective_date": "2024-07-01",
        "expected_end": "2026-07-01",
        "reference": "OO/2024/7",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_a_status_event_added_in_the_admin_moves_the_status(division_client, division_user, placed):
    response = division_client.post(reverse("admin:professionals_statusevent_add"), status_event_data(placed))
    assert response.status_code == 302
    placed.refresh_from_db()
    assert placed.status == Status.STUDY_LEAVE
    event = StatusEvent.objects.get(professional=placed)
    assert event.history.get().history_user == division_user


def test_an_expected_end_before_the_start_is_refused_on_its_field(division_client, placed):
    response = division_client.post(
        reverse("admin:professionals_statusevent_add"), status_event_data(placed, expected_end="2024-01-01")
    )
    assert response.status_code == 200
    assert form_errors(response)["expected_end"] == ["The expected end must come after the start."]
    assert not StatusEvent.objects.exists()


def test_a_return_for_someone_in_service_is_refused_on_the_kind(division_client, placed):
    response = division_client.post(
        reverse("admin:professionals_statusevent_add"), status_event_data(placed, kind="return", expected_end="")
    )
    assert response.status_code == 200
    assert "nothing to return from" in form_errors(response)["kind"][0]
    assert not StatusEvent.objects.exists()


def test_an_exit_before_the_current_placement_started_is_refused_on_its_date(division_client, placed):
    response = division_client.post(
        reverse("admin:professionals_statusevent_add"),
        status_event_data(placed, kind="resignation", effective_date="2015-06-01", expected_end=""),
    )
    assert response.status_code == 200
    assert "the exit must come after that day" in form_errors(response)["effective_date"][0]
    assert not StatusEvent.objects.exists()


def test_a_service_refusal_the_form_could_not_foresee_comes_back_as_a_form_error(division_client, placed, monkeypatch):
    # As if the record changed between the form's check and the save (another user, a race):
    # the form's check passes, the service refuses under its row lock, the save is rolled back.
    monkeypatch.setattr("professionals.forms.status_event_check", lambda *args: None)
    response = division_client.post(
        reverse("admin:professionals_statusevent_add"),
        status_event_data(placed, kind="resignation", effective_date="2015-06-01", expected_end=""),
    )
    assert response.status_code == 200
    assert "the exit must come after that day" in form_errors(response)["effective_date"][0]
    assert not StatusEvent.objects.exists()
    placed.refresh_from_db()
    assert placed.status == Status.ACTIVE
    assert placed.placements.get().end_date is None


def test_a_recorded_status_event_keeps_its_kind_and_dates(division_client, placed):
    event = status_event_record(
        professional_id=placed.pk,
        kind="eol",
        effective_date=dt.date(2024, 1, 1),
        expected_end=dt.date(2025, 1, 1),
        actor=None,
    )
    url = reverse("admin:professionals_statusevent_change", args=[event.pk])
    response = division_client.post(
        url, {"kind": "retirement", "effective_date": "2020-01-01", "reference": "OO/1", "notes": "fixed"}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.kind, event.effective_date, event.reference) == ("eol", dt.date(2024, 1, 1), "OO/1")
    assert division_client.post(reverse("admin:professionals_statusevent_delete", args=[event.pk])).status_code == 403


# -- pending status changes ------------------------------------------------------------------


@pytest.mark.parametrize("action, state", [("mark_resolved", "resolved"), ("dismiss", "dismissed")])
def test_pending_change_actions_close_open_items(division_client, division_user, placed, action, state):
    due = PendingStatusChange.objects.create(professional=placed, kind="superannuation", due_date=dt.date(2025, 1, 1))
    done = PendingStatusChange.objects.create(
        professional=placed, kind="leave_ended", due_date=dt.date(2024, 1, 1), state="resolved"
    )
    response = division_client.post(
        reverse("admin:professionals_pendingstatuschange_changelist"),
        {"action": action, "_selected_action": [due.pk, done.pk]},
        follow=True,
    )
    assert response.status_code == 200
    due.refresh_from_db()
    done.refresh_from_db()
    assert due.state == state
    assert due.resolved_by == division_user
    assert due.resolved_at is not None
    assert done.state == "resolved" and done.resolved_by is None


def test_an_hr_officer_cannot_run_the_pending_change_actions(client, hr_user, placed):
    due = PendingStatusChange.objects.create(professional=placed, kind="superannuation", due_date=dt.date(2025, 1, 1))
    client.force_login(hr_user)
    client.post(
        reverse("admin:professionals_pendingstatuschange_changelist"),
        {"action": "mark_resolved", "_selected_action": [due.pk]},
    )
    due.refresh_from_db()
    assert due.state == "open"


# -- query counts ----------------------------------------------------------------------------


def changelist_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def add_people(agency_tree, ref, count):
    track = Track.objects.first()
    for _ in range(count):
        person = ProfessionalFactory(grade=ref.grades["P3"], track=track)
        PlacementFactory(professional=person, agency=agency_tree["MOF"])
        PendingStatusChange.objects.create(professional=person, kind="superannuation", due_date=dt.date(2025, 1, 1))
        StatusEvent.objects.create(professional=person, kind="resignation", effective_date=dt.date(2024, 1, 1))


@pytest.mark.parametrize("model", ["professional", "statusevent", "pendingstatuschange"])
def test_changelist_queries_do_not_grow_with_rows(division_client, agency_tree, ref, model):
    url = reverse(f"admin:professionals_{model}_changelist")
    add_people(agency_tree, ref, 3)
    few = changelist_queries(division_client, url)
    add_people(agency_tree, ref, 12)
    many = changelist_queries(division_client, url)
    assert few == many


def test_reference_changelists_do_not_grow_with_rows(division_client, ref):
    counts = [
        changelist_queries(division_client, reverse(f"admin:professionals_{model}_changelist"))
        for model in ("grade", "positiontitle", "retirementagerule")
    ]
    category = GradeCategory.objects.create(code="T", name="Test")
    for n in range(10):
        grade = Grade.objects.create(code=f"T{n}", category=category, rank=900 + n)
        PositionTitle.objects.create(code=f"t-{n}", name=f"Title {n}", min_grade=grade, max_grade=grade)
        RetirementAgeRule.objects.create(category=category, age=60, effective_from=dt.date(2000 + n, 1, 1))
    assert counts == [
        changelist_queries(division_client, reverse(f"admin:professionals_{model}_changelist"))
        for model in ("grade", "positiontitle", "retirementagerule")
    ]


def test_moving_a_grade_to_another_category_recomputes_its_holders_dates(division_client, placed, ref):
    superannuation_dates_recompute()
    grade = ref.grades["P4"]
    response = division_client.post(
        reverse("admin:professionals_grade_change", args=[grade.pk]),
        {"code": grade.code, "name": grade.name, "category": ref.categories["EX"].pk, "rank": grade.rank},
    )
    assert response.status_code == 302
    placed.refresh_from_db()
    assert placed.superannuation_date == dt.date(2053, 6, 15)  # EX: 63 since 2023
