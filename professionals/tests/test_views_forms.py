"""Division staff create and edit professionals and record status events in the portal; nobody else."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.models import Role
from placements.models import Placement
from professionals.models import GradeChange, Professional, Status, StatusEvent

from .view_fixtures import make_roster

pytestmark = pytest.mark.django_db

CREATE = reverse("professionals:create")


def edit_url(professional) -> str:
    return reverse("professionals:update", args=[professional.pk])


def status_url(professional) -> str:
    return reverse("professionals:status_event", args=[professional.pk])


@pytest.fixture
def roster(agency_tree, ref):
    return make_roster(agency_tree, ref)


def new_person(ref, **overrides) -> dict:
    data = {
        "employee_id": "2024000001",
        "national_id": "11500000001",
        "first_name": "Deki",
        "middle_name": "",
        "last_name": "Choden",
        "gender": "F",
        "date_of_birth": "1995-04-12",
        "email": "deki.choden@gov.bt",
        "phone": "17000000",
        "first_appointment_date": "2020-01-01",
        "employment_type": "regular",
        "grade": ref.grades["P5"].pk,
        "position_title": ref.titles["ict-officer"].pk,
        "track": ref.tracks["data-analytics"].pk,
    }
    data.update(overrides)
    return data


def edit_data(professional, **overrides) -> dict:
    data = {
        "employee_id": professional.employee_id,
        "national_id": professional.national_id,
        "first_name": professional.first_name,
        "middle_name": professional.middle_name,
        "last_name": professional.last_name,
        "gender": professional.gender,
        "date_of_birth": professional.date_of_birth.isoformat(),
        "email": professional.email,
        "phone": professional.phone,
        "first_appointment_date": professional.first_appointment_date.isoformat(),
        "employment_type": professional.employment_type,
        "grade": professional.grade_id,
        "position_title": professional.position_title_id or "",
        "track": professional.track_id or "",
        "grade_change_reason": "promotion",
        "grade_effective_date": "",
        "change_reason": "",
    }
    data.update(overrides)
    return data


# -- creating


def test_division_staff_add_a_professional_through_the_service(division_client, ref, division_user):
    response = division_client.post(CREATE, new_person(ref))
    person = Professional.objects.get(employee_id="2024000001")
    assert response.status_code == 302
    assert response["Location"] == reverse("professionals:detail", args=[person.pk])
    assert person.superannuation_date == dt.date(2055, 4, 12)
    assert list(person.grade_changes.values_list("grade__code", "reason")) == [("P5", "appointment")]
    entry = person.history.get()
    assert entry.history_user == division_user
    assert entry.history_change_reason == "Created in the portal"
    page = division_client.get(response["Location"]).content.decode()
    assert "Deki Choden (2024000001) was added." in page


def test_a_duplicate_employee_id_is_refused_on_its_field_and_the_form_keeps_what_was_typed(
    division_client, ref, roster
):
    response = division_client.post(CREATE, new_person(ref, employee_id=roster.karma.employee_id))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["employee_id"] == ["Another professional already has this employee id."]
    content = response.content.decode()
    assert 'value="deki.choden@gov.bt"' in content
    assert 'value="1995-04-12"' in content
    assert "is-invalid" in content
    assert not Professional.objects.filter(national_id="11500000001").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_of_birth", "2999-01-01", "The date of birth is in the future."),
        ("first_appointment_date", "1990-01-01", "The first appointment must come after the date of birth."),
        ("first_name", "", "This field is required."),
        ("date_of_birth", "12/13/1995", "Enter a valid date."),
    ],
)
def test_invalid_values_are_refused_on_their_fields(division_client, ref, field, value, message):
    response = division_client.post(CREATE, new_person(ref, **{field: value}))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert not Professional.objects.filter(employee_id="2024000001").exists()


@pytest.mark.parametrize("role", ["hr", "head", "professional"])
def test_only_division_staff_may_add(client, ref, roster, hr_user, role):
    user = {"hr": hr_user, "head": roster.head, "professional": roster.professional_user}[role]
    client.force_login(user)
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, new_person(ref)).status_code == 403
    assert not Professional.objects.filter(employee_id="2024000001").exists()


def test_a_read_only_division_account_may_not_add(client, ref):
    client.force_login(UserFactory(role=Role.DIVISION, read_only=True))
    assert client.get(CREATE).status_code == 403


def test_adding_needs_a_login(client, ref):
    response = client.post(CREATE, new_person(ref))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# -- editing


def test_the_edit_form_shows_the_record(division_client, roster):
    response = division_client.get(edit_url(roster.karma))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="Karma"' in content
    assert 'value="1990-06-15"' in content


def test_a_promotion_enters_the_grade_history_with_its_date_and_reason(division_client, roster, ref, division_user):
    data = edit_data(
        roster.karma,
        grade=ref.grades["P3"].pk,
        grade_effective_date="2025-07-01",
        grade_change_reason="promotion",
        change_reason="Office order 77",
    )
    response = division_client.post(edit_url(roster.karma), data)
    assert response.status_code == 302
    roster.karma.refresh_from_db()
    assert roster.karma.grade.code == "P3"
    change = GradeChange.objects.get(professional=roster.karma)
    assert (change.grade.code, change.effective_date, change.reason) == ("P3", dt.date(2025, 7, 1), "promotion")
    latest = roster.karma.history.first()
    assert latest.history_user == division_user
    assert latest.history_change_reason == "Office order 77"


def test_saving_without_changes_changes_nothing(division_client, roster):
    response = division_client.post(edit_url(roster.karma), edit_data(roster.karma), follow=True)
    assert "Nothing was changed." in response.content.decode()
    assert roster.karma.history.count() == 1


def test_an_edit_refused_by_the_rules_shows_the_error_on_the_field(division_client, roster):
    response = division_client.post(
        edit_url(roster.karma), edit_data(roster.karma, first_appointment_date="1980-01-01", first_name="Karmo")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["first_appointment_date"] == [
        "The first appointment must come after the date of birth."
    ]
    content = response.content.decode()
    assert 'value="Karmo"' in content
    assert "Edit Karma Wangchuk" in content  # the heading names the record as stored
    roster.karma.refresh_from_db()
    assert roster.karma.first_name == "Karma"


def test_a_national_id_taken_by_someone_else_is_refused_on_its_field(division_client, roster):
    response = division_client.post(edit_url(roster.karma), edit_data(roster.karma, national_id="10000000002"))
    assert response.context["form"].errors["national_id"] == [
        "Another professional already has this national id number."
    ]


@pytest.mark.parametrize("role", ["hr", "head", "professional"])
def test_others_who_see_the_record_get_403_on_its_forms(client, roster, hr_user, role):
    user = {"hr": hr_user, "head": roster.head, "professional": roster.professional_user}[role]
    client.force_login(user)
    assert client.get(edit_url(roster.karma)).status_code == 403
    assert client.post(edit_url(roster.karma), edit_data(roster.karma, first_name="X")).status_code == 403
    assert client.get(status_url(roster.karma)).status_code == 403
    assert (
        client.post(status_url(roster.karma), {"kind": "resignation", "effective_date": "2025-01-01"}).status_code
        == 403
    )
    roster.karma.refresh_from_db()
    assert (roster.karma.first_name, roster.karma.status) == ("Karma", Status.ACTIVE)


@pytest.mark.parametrize("role", ["head", "professional"])
def test_others_who_cannot_see_the_record_get_404_on_its_forms(client, roster, role):
    client.force_login(roster.head if role == "head" else roster.professional_user)
    assert client.get(edit_url(roster.dorji)).status_code == 404
    assert client.post(edit_url(roster.dorji), edit_data(roster.dorji, first_name="X")).status_code == 404
    assert client.get(status_url(roster.dorji)).status_code == 404
    assert (
        client.post(status_url(roster.dorji), {"kind": "resignation", "effective_date": "2025-01-01"}).status_code
        == 404
    )


# -- status events


def test_recording_extraordinary_leave_moves_the_status(division_client, roster, division_user):
    response = division_client.post(
        status_url(roster.karma),
        {"kind": "eol", "effective_date": "2025-02-01", "expected_end": "2026-02-01", "reference": "RCSC/EOL/9"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("professionals:detail", args=[roster.karma.pk])
    event = StatusEvent.objects.get(professional=roster.karma)
    assert (event.kind, event.expected_end, event.reference) == ("eol", dt.date(2026, 2, 1), "RCSC/EOL/9")
    assert event.history.get().history_user == division_user
    roster.karma.refresh_from_db()
    assert roster.karma.status == Status.EOL
    assert "Recorded for Karma Wangchuk: extraordinary leave from 01 Feb 2025." in response.content.decode()


def test_leave_without_an_expected_end_is_refused_on_that_field_keeping_the_input(division_client, roster):
    response = division_client.post(
        status_url(roster.karma), {"kind": "eol", "effective_date": "2025-02-01", "reference": "RCSC/EOL/9"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["expected_end"] == ["Extraordinary leave needs an expected end date."]
    content = response.content.decode()
    assert 'value="RCSC/EOL/9"' in content
    assert 'value="2025-02-01"' in content
    assert not StatusEvent.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "return", "effective_date": "2025-02-01"}, "kind", "is already in service"),
        (
            {"kind": "resignation", "effective_date": "2025-02-01", "expected_end": "2025-03-01"},
            "expected_end",
            "Only leave and secondment have an expected end.",
        ),
        (
            {"kind": "eol", "effective_date": "2025-02-01", "expected_end": "2025-01-01"},
            "expected_end",
            "The expected end must come after the start.",
        ),
        ({"kind": "resignation", "effective_date": "2010-01-01"}, "effective_date", "before the person's first"),
        ({"kind": "resignation", "effective_date": "2018-03-01"}, "effective_date", "the exit must come after"),
        ({"kind": "sabbatical", "effective_date": "2025-02-01"}, "kind", "Select a valid choice."),
        ({"kind": "", "effective_date": ""}, "effective_date", "This field is required."),
    ],
)
def test_a_status_change_the_rules_refuse_shows_the_error_on_its_field(division_client, roster, data, field, message):
    response = division_client.post(status_url(roster.karma), data)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not StatusEvent.objects.exists()


def test_a_resignation_ends_the_current_placement(division_client, roster):
    division_client.post(status_url(roster.karma), {"kind": "resignation", "effective_date": "2025-03-31"})
    roster.karma.refresh_from_db()
    assert roster.karma.status == Status.RESIGNED
    assert Placement.objects.get(professional=roster.karma).end_date == dt.date(2025, 3, 31)


def test_a_return_ends_leave(division_client, roster):
    response = division_client.post(status_url(roster.pema), {"kind": "return", "effective_date": "2025-03-01"})
    assert response.status_code == 302
    roster.pema.refresh_from_db()
    assert roster.pema.status == Status.ACTIVE


def test_no_status_change_can_follow_an_exit(division_client, roster):
    page = division_client.get(status_url(roster.tshering)).content.decode()
    assert "has left the service" in page
    assert 'data-testid="status-event-form"' not in page
    response = division_client.post(status_url(roster.tshering), {"kind": "return", "effective_date": "2025-03-01"})
    assert response.status_code == 200
    assert "has already left the service" in " ".join(response.context["form"].non_field_errors())


def test_the_status_form_can_start_from_a_suggested_kind(division_client, roster):
    response = division_client.get(status_url(roster.karma) + "?kind=retirement")
    assert response.context["form"].initial == {"kind": "retirement"}
    assert division_client.get(status_url(roster.karma) + "?kind=nonsense").context["form"].initial == {}
