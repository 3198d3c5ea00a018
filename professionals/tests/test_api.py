"""/api/v1/professionals/: scoping, national ids, filters, writes through the services, constant queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.factories import make_api_client
from placements.factories import PlacementFactory
from professionals.factories import ProfessionalFactory
from professionals.models import GradeChange, Professional, Status, StatusEvent
from professionals.services import status_event_record
from tests.api_helpers import ACTORS, EVERYTHING, MOH_SUBTREE, api_as, build_world, results, token_api

pytestmark = pytest.mark.django_db

URL = "/api/v1/professionals/"
ALL = ["Mover", "Staff-DMS", "Staff-DZ-PARO", "Staff-JDWNRH", "Staff-MOF", "Staff-MOH"]
MOH_PEOPLE = ["Mover", "Staff-DMS", "Staff-JDWNRH", "Staff-MOH"]


@pytest.fixture
def world(agency_tree, ref, division_user, hr_user):
    return build_world(agency_tree, ref, division_user, hr_user)


def names(response) -> list[str]:
    return sorted(row["first_name"] for row in results(response))


def new_professional(ref, **overrides) -> dict:
    body = {
        "employee_id": "E900001",
        "national_id": "10900000001",
        "first_name": "Yeshey",
        "last_name": "Choden",
        "gender": "F",
        "date_of_birth": "1995-03-02",
        "first_appointment_date": "2020-02-01",
        "grade": "P4",
        "position_title": "ict-officer",
        "track": "application-development",
    }
    return {**body, **overrides}


# ---------------------------------------------------------------------------------------------
# Scoping


@pytest.mark.parametrize("actor", ACTORS)
def test_each_account_lists_exactly_the_professionals_it_may_see(world, actor):
    expected = {
        **dict.fromkeys(EVERYTHING, ALL),
        **dict.fromkeys(MOH_SUBTREE, MOH_PEOPLE),
        "professional": ["Staff-DMS"],
    }
    assert names(api_as(world, actor).get(URL)) == expected[actor]


@pytest.mark.parametrize("actor", [*MOH_SUBTREE, "professional"])
def test_a_professional_outside_the_scope_answers_404_by_id_and_by_employee_id(world, actor):
    outsider = world.people["MOF"]
    api = api_as(world, actor)
    assert api.get(f"{URL}{outsider.id}/").status_code == 404
    assert api.get(f"{URL}by-employee-id/{outsider.employee_id}/").status_code == 404
    assert api.get(f"{URL}{outsider.id}/status-events/").status_code == 404


@pytest.mark.parametrize("actor", ACTORS)
def test_a_professional_inside_the_scope_is_found_by_id_and_by_employee_id(world, actor):
    person = world.people["DMS"]
    api = api_as(world, actor)
    by_id = api.get(f"{URL}{person.id}/")
    by_employee_id = api.get(f"{URL}by-employee-id/{person.employee_id}/")
    assert by_id.status_code == by_employee_id.status_code == 200
    assert by_id.json() == by_employee_id.json()
    assert by_id.json()["current_placement"]["agency"]["code"] == "DMS"


@pytest.mark.parametrize(
    ("actor", "sees"),
    [
        ("division", True),
        ("hr", False),
        ("head", False),
        ("professional", True),
        ("client", True),
        ("agency_client", False),
        ("read_only_client", False),
    ],
)
def test_national_ids_appear_only_to_accounts_that_may_see_them(world, actor, sees):
    row = api_as(world, actor).get(f"{URL}{world.people['DMS'].id}/").json()
    assert ("national_id" in row) is sees
    if sees:
        assert row["national_id"] == world.people["DMS"].national_id


def test_search_by_national_id_only_for_accounts_that_see_them(world):
    national_id = world.people["MOF"].national_id
    assert names(api_as(world, "division").get(URL, {"search": national_id})) == ["Staff-MOF"]
    assert names(api_as(world, "hr").get(URL, {"search": national_id})) == []


# ---------------------------------------------------------------------------------------------
# Filters, search, ordering


def test_agency_includes_its_sub_agencies(world):
    api = api_as(world, "division")
    assert names(api.get(URL, {"agency": "MOH"})) == MOH_PEOPLE
    assert names(api.get(URL, {"agency": "JDWNRH"})) == ["Mover", "Staff-JDWNRH"]


def test_agency_kind_and_region_follow_the_current_placement(world):
    api = api_as(world, "division")
    assert names(api.get(URL, {"agency_kind": "ministry"})) == ["Staff-MOF", "Staff-MOH"]
    assert names(api.get(URL, {"region": "paro"})) == ["Staff-DZ-PARO"]


def test_grade_category_title_and_track_filter_by_code(world, ref):
    person = world.people["MOF"]
    person.track = ref.tracks["application-development"]
    person.position_title = ref.titles["senior-ict-officer"]
    person.save()
    api = api_as(world, "division")
    assert names(api.get(URL, {"grade": "P2"})) == ["Mover"]
    assert names(api.get(URL, {"category": "P"})) == ALL
    assert names(api.get(URL, {"title": "senior-ict-officer"})) == ["Staff-MOF"]
    assert names(api.get(URL, {"track": "application-development"})) == ["Staff-MOF"]


def test_status_employment_type_and_in_service(world, division_user):
    status_event_record(
        professional_id=world.people["MOF"].id,
        kind="resignation",
        effective_date=dt.date(2024, 5, 1),
        actor=division_user,
    )
    Professional.objects.filter(pk=world.people["MOH"].pk).update(employment_type="contract")
    api = api_as(world, "division")
    assert names(api.get(URL, {"status": "resigned"})) == ["Staff-MOF"]
    assert names(api.get(URL, {"in_service": "false"})) == ["Staff-MOF"]
    assert len(results(api.get(URL, {"in_service": "true"}))) == 5
    assert names(api.get(URL, {"employment_type": "contract"})) == ["Staff-MOH"]


def test_years_to_superannuation(world):
    from django.utils import timezone

    from core.dates import date_at_age

    today = timezone.localdate()
    Professional.objects.filter(pk=world.people["MOH"].pk).update(superannuation_date=today + dt.timedelta(days=200))
    Professional.objects.filter(pk=world.people["MOF"].pk).update(
        superannuation_date=date_at_age(today, 3) + dt.timedelta(days=1)  # (29 Feb: 28 Feb three years on)
    )
    api = api_as(world, "division")
    assert names(api.get(URL, {"years_to_superannuation_max": 0})) == ["Staff-MOH"]
    assert names(api.get(URL, {"years_to_superannuation_max": 3})) == ["Staff-MOF", "Staff-MOH"]
    assert "Staff-MOH" not in names(api.get(URL, {"years_to_superannuation_min": 1}))
    assert "Staff-MOF" in names(api.get(URL, {"years_to_superannuation_min": 3}))


def test_search_by_name_and_employee_id(world):
    api = api_as(world, "division")
    assert names(api.get(URL, {"search": "staff-dz"})) == ["Staff-DZ-PARO"]
    assert names(api.get(URL, {"search": world.people["mover"].employee_id})) == ["Mover"]


def test_ordering_by_grade_puts_the_senior_grade_first(world):
    rows = results(api_as(world, "division").get(URL, {"ordering": "-grade,name"}))
    assert rows[0]["first_name"] == "Mover"
    assert [row["grade"] for row in rows] == ["P2", "P3", "P3", "P3", "P3", "P3"]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"grade": "XYZ"}, "grade", "There is no grade with the code XYZ (codes are exact)."),
        ({"status": "bogus"}, "status", "Select a valid choice. bogus is not one of the available choices."),
        ({"agency": "NOPE"}, "agency", "There is no agency with the code NOPE (codes are exact)."),
        ({"years_to_superannuation_max": "soon"}, "years_to_superannuation_max", "Enter a whole number."),
        ({"ordering": "salary"}, "ordering", "Cannot order by salary."),
        ({"agnecy": "MOH"}, "agnecy", "Unknown query parameter."),
        ({"page_size": "100000"}, "page_size", "The page size is a whole number from 1 to 200"),
        ({"page": "first"}, "page", "The page is a whole number from 1 on"),
    ],
)
def test_bad_query_parameters_answer_400_naming_the_parameter(world, params, field, message):
    response = api_as(world, "division").get(URL, params)
    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == [field]
    assert body["errors"][field][0].startswith(message)
    assert body["detail"].startswith(f"{field}: {message}")


def test_an_agency_left_out_of_the_dropdowns_is_still_found_by_its_code(world):
    # The codes are looked up among the portal's dropdown options, which leave dissolved agencies
    # out; such a code is then read from the database.
    from agencies.models import Agency

    Agency.objects.filter(code="MOF").update(dissolved_on=dt.date(2024, 7, 1))
    api = api_as(world, "division")
    assert names(api.get(URL, {"agency": "MOF"})) == ["Staff-MOF"]


@pytest.mark.parametrize("actor", MOH_SUBTREE)
def test_an_agency_outside_the_scope_is_refused_as_unknown(world, actor):
    response = api_as(world, actor).get(URL, {"agency": "MOF"})
    assert response.status_code == 400
    assert response.json()["errors"]["agency"] == ["There is no agency with the code MOF (codes are exact)."]
    assert names(api_as(world, actor).get(URL, {"agency": "DMS"})) == ["Mover", "Staff-DMS", "Staff-JDWNRH"]


def test_paging_through_the_list(world):
    api = api_as(world, "division")
    first = api.get(URL, {"page_size": 4}).json()
    assert first["count"] == 6 and len(first["results"]) == 4
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 2 and second["next"] is None
    assert {row["id"] for row in first["results"]}.isdisjoint(row["id"] for row in second["results"])
    beyond = api.get(URL, {"page_size": 4, "page": 3})
    assert beyond.status_code == 404
    assert "Start at page 1" in beyond.json()["detail"]


# ---------------------------------------------------------------------------------------------
# Writes


@pytest.mark.parametrize("actor", ["division", "client"])
def test_division_staff_and_a_government_wide_client_add_professionals_named_in_the_audit(world, ref, actor):
    response = api_as(world, actor).post(URL, new_professional(ref), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["employee_id"] == "E900001" and body["current_placement"] is None
    professional = Professional.objects.get(employee_id="E900001")
    assert professional.superannuation_date == dt.date(2055, 3, 2)  # P: 60 under the rule in force
    assert professional.history.get().history_user == world.users[actor]
    assert professional.grade_changes.get().reason == GradeChange.Reason.APPOINTMENT


@pytest.mark.parametrize("actor", ["hr", "head", "professional", "read_only_client", "agency_client"])
def test_other_accounts_may_not_add_professionals(world, ref, actor):
    response = api_as(world, actor).post(URL, new_professional(ref), format="json")
    assert response.status_code == 403
    assert response.json()["errors"] == {}
    assert not Professional.objects.filter(employee_id="E900001").exists()


def test_a_duplicate_employee_id_is_refused_by_the_service_on_the_field(world, ref):
    body = new_professional(ref, employee_id=world.people["MOF"].employee_id)
    response = api_as(world, "division").post(URL, body, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["employee_id"]
    assert Professional.objects.count() == 6


def test_a_rule_of_the_model_comes_back_on_its_field(world, ref):
    body = new_professional(ref, first_appointment_date="1990-01-01")
    response = api_as(world, "division").post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "first_appointment_date": ["The first appointment must come after the date of birth."]
    }


def test_unknown_and_read_only_fields_are_refused_by_name(world, ref):
    body = new_professional(ref, salary=100, status="retired")
    response = api_as(world, "division").post(URL, body, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"salary", "status"}
    assert errors["salary"][0].startswith("Unknown field: this request accepts employee_id, national_id,")
    assert "status events" in errors["status"][0]
    assert not Professional.objects.filter(employee_id="E900001").exists()


def test_wrong_types_are_refused_per_field(world, ref):
    body = new_professional(ref, date_of_birth=19950302, grade=["P4"], gender="female")
    response = api_as(world, "division").post(URL, body, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"date_of_birth", "grade", "gender"}


def test_setting_a_national_id_needs_the_right_to_see_them(world, ref):
    writer, key = make_api_client("payroll", sees_national_ids=False)
    response = token_api(key).post(URL, new_professional(ref), format="json")
    assert response.status_code == 400
    assert "may not see national id numbers" in response.json()["errors"]["national_id"][0]


def test_patch_changes_details_and_a_new_grade_enters_the_grade_history(world):
    person = world.people["MOH"]
    response = api_as(world, "client").patch(
        f"{URL}{person.id}/",
        {"phone": "+975 17 000 000", "grade": "P2", "grade_effective_date": "2025-07-01", "reason": "Promoted"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["grade"] == "P2"
    person.refresh_from_db()
    assert person.phone == "+975 17 000 000"
    change = person.grade_changes.get()
    assert (change.grade.code, change.effective_date) == ("P2", dt.date(2025, 7, 1))
    latest = person.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (world.users["client"], "Promoted")


def test_an_agency_client_edits_its_own_people_but_not_others(world):
    api = api_as(world, "agency_client")
    inside = api.patch(f"{URL}{world.people['DMS'].id}/", {"phone": "17111111"}, format="json")
    outside = api.patch(f"{URL}{world.people['MOF'].id}/", {"phone": "17111111"}, format="json")
    assert inside.status_code == 200
    assert outside.status_code == 404
    assert Professional.objects.get(pk=world.people["MOF"].pk).phone == ""


@pytest.mark.parametrize("actor", ["hr", "head", "professional", "read_only_client"])
def test_read_only_accounts_get_403_on_patch_and_nothing_changes(world, actor):
    response = api_as(world, actor).patch(f"{URL}{world.people['DMS'].id}/", {"phone": "17111111"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"]
    assert Professional.objects.get(pk=world.people["DMS"].pk).phone == ""


def test_put_and_delete_are_not_offered(world):
    api = api_as(world, "division")
    assert api.put(f"{URL}{world.people['DMS'].id}/", {}, format="json").status_code == 405
    assert api.delete(f"{URL}{world.people['DMS'].id}/").status_code == 405
    assert Professional.objects.filter(pk=world.people["DMS"].pk).exists()


# ---------------------------------------------------------------------------------------------
# Status events


def test_recording_an_exit_through_the_api_moves_the_status_and_ends_the_placement(world):
    person = world.people["MOF"]
    response = api_as(world, "client").post(
        f"{URL}{person.id}/status-events/",
        {"kind": "resignation", "effective_date": "2025-03-01", "reference": "OO/2025/12"},
        format="json",
    )
    assert response.status_code == 201, response.content
    person.refresh_from_db()
    assert person.status == Status.RESIGNED
    assert person.placements.get().end_date == dt.date(2025, 3, 1)
    assert StatusEvent.objects.get(professional=person).history.get().history_user == world.users["client"]
    history = api_as(world, "hr").get(f"{URL}{person.id}/status-events/").json()
    assert [event["kind"] for event in history] == ["resignation"]


def test_an_impossible_status_event_is_a_400_with_the_services_message(world):
    response = api_as(world, "division").post(
        f"{URL}{world.people['MOF'].id}/status-events/",
        {"kind": "return", "effective_date": "2025-03-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "there is nothing to return from" in response.json()["errors"]["kind"][0]
    assert not StatusEvent.objects.exists()


def test_a_read_only_client_cannot_record_status_events(world):
    response = api_as(world, "read_only_client").post(
        f"{URL}{world.people['MOF'].id}/status-events/", {"kind": "resignation", "effective_date": "2025-03-01"}
    )
    assert response.status_code == 403
    assert not StatusEvent.objects.exists()


# ---------------------------------------------------------------------------------------------
# Speed


def _list(api, **params):
    # Once after any change to the records, the filters' options (cached per scope) are read
    # again: one query, not counted here (the pages' query pins do the same).
    api.get(URL, params)
    with CaptureQueriesContext(connection) as queries:
        response = api.get(URL, {"page_size": 200, **params})
    assert response.status_code == 200
    return len(queries), len(response.json()["results"])


def _add_people(world, ref, n):
    for _ in range(n):
        person = ProfessionalFactory(first_name="Extra", grade=ref.grades["P4"], track=ref.tracks["cybersecurity"])
        PlacementFactory(professional=person, agency=world.agencies["DMS"], start_date=dt.date(2022, 1, 1))


@pytest.mark.parametrize(
    ("actor", "queries"),
    [
        # session, user, count, page (grade, category, title, track joined), current placements
        ("division", 5),
        # token (with its user), the hierarchy (for the scope's subtree), count, page, current placements
        ("agency_client", 5),
    ],
)
def test_the_list_runs_the_same_queries_for_3_or_30_more_rows(world, ref, actor, queries):
    api = api_as(world, actor)
    api.get(URL)  # a token's first use records last_used_at
    few = _list(api)
    _add_people(world, ref, 27)
    many = _list(api)
    assert few[1] + 27 == many[1]
    assert few[0] == many[0] == queries


def test_filters_find_their_codes_without_a_query_and_add_nothing_per_row(world, ref):
    api = api_as(world, "client")
    api.get(URL)
    params = {"agency": "MOH", "grade": "P4", "track": "cybersecurity", "search": "extra", "ordering": "-grade"}
    _add_people(world, ref, 3)
    few = _list(api, **params)
    _add_people(world, ref, 27)
    many = _list(api, **params)
    assert (few[1], many[1]) == (3, 30)
    # token, the hierarchy (the agency's subtree), count, page, current placements: the codes
    # are found among the cached options of the filters
    assert few[0] == many[0] == 5


# ---------------------------------------------------------------------------------------------
# The representation read as plain values


@pytest.mark.parametrize("actor", ["division", "hr"])
def test_rows_read_as_values_match_the_serializer_field_for_field(world, ref, actor):
    import json

    from rest_framework.test import APIRequestFactory

    from professionals.api.serializers import ProfessionalSerializer

    # Beyond the world's people: one with a middle name and neither title nor track, one who has
    # left (no current placement), and one whose placement has a title and an office order.
    ProfessionalFactory(first_name="Untitled", middle_name="Kinley", position_title=None, track=None)
    gone = ProfessionalFactory(first_name="Gone", status=Status.RESIGNED)
    PlacementFactory(
        professional=gone, agency=world.agencies["MOF"], start_date=dt.date(2019, 1, 1), end_date=dt.date(2021, 1, 1)
    )
    titled = ProfessionalFactory(first_name="Titled", position_title=ref.titles["ict-officer"])
    PlacementFactory(
        professional=titled,
        agency=world.agencies["DMS"],
        start_date=dt.date(2023, 5, 2),
        position_title=ref.titles["ict-officer"],
        office_order_number="ICT/2023/004",
    )
    api = api_as(world, actor)
    rows = {row["id"]: row for row in api.get(URL, {"page_size": 200}).json()["results"]}
    request = APIRequestFactory().get(URL)
    sees = actor == "division"
    assert len(rows) == Professional.objects.count() >= 9
    for professional in Professional.objects.all():
        expected = json.loads(
            json.dumps(
                ProfessionalSerializer(professional, context={"sees_national_ids": sees, "request": request}).data
            )
        )
        assert rows[professional.pk] == expected
        assert ("national_id" in rows[professional.pk]) is sees
