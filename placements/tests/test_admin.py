import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.models import Role
from placements.factories import PlacementFactory
from placements.models import Placement
from professionals.factories import ProfessionalFactory
from tests.admin_helpers import form_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(agency_tree):
    person = ProfessionalFactory(first_name="Kinley", last_name="Penjor")
    PlacementFactory(
        professional=person,
        agency=agency_tree["MOH"],
        start_date=dt.date(2016, 1, 1),
        end_date=dt.date(2020, 1, 1),
        office_order_number="OO/2016/1",
    )
    PlacementFactory(professional=person, agency=agency_tree["MOF"], start_date=dt.date(2020, 1, 1))
    return person


def placement_data(person, agency, **overrides):
    data = {
        "professional": person.pk,
        "agency": agency.pk,
        "position_title": "",
        "start_date": "2010-01-01",
        "end_date": "2012-01-01",
        "kind": "appointment",
        "office_order_number": "OO/2010/5",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_the_placement_list_opens_with_its_rows(division_client, person):
    response = division_client.get(reverse("admin:placements_placement_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kinley Penjor" in page and "Ministry of Finance" in page and "OO/2016/1" in page


def test_the_current_filter_leaves_out_ended_placements(division_client, person):
    response = division_client.get(reverse("admin:placements_placement_changelist"), {"current": "yes"})
    page = response.content.decode()
    assert "Ministry of Finance" in page
    assert "OO/2016/1" not in page


def test_search_finds_placements_by_office_order_and_agency_code(division_client, person):
    url = reverse("admin:placements_placement_changelist")
    assert response_rows(division_client.get(url, {"q": "OO/2016/1"})) == 1
    assert response_rows(division_client.get(url, {"q": "MOF"})) == 1


def response_rows(response):
    return response.context["cl"].result_count


def test_a_placement_added_in_the_admin_is_saved_with_its_audit_entry(
    division_client, division_user, person, agency_tree
):
    response = division_client.post(
        reverse("admin:placements_placement_add"), placement_data(person, agency_tree["DMS"])
    )
    assert response.status_code == 302
    placement = Placement.objects.get(agency=agency_tree["DMS"])
    entry = placement.history.get()
    assert entry.history_user == division_user
    assert entry.history_change_reason == "Created in the admin"


def test_an_end_before_the_start_is_refused_on_the_end_date(division_client, person, agency_tree):
    response = division_client.post(
        reverse("admin:placements_placement_add"), placement_data(person, agency_tree["DMS"], end_date="2009-01-01")
    )
    assert response.status_code == 200
    assert form_errors(response)["end_date"] == ["The end date must come after the start date."]
    assert "__all__" not in form_errors(response)
    assert not Placement.objects.filter(agency=agency_tree["DMS"]).exists()


def test_an_overlapping_placement_is_refused_on_the_start_date(division_client, person, agency_tree):
    response = division_client.post(
        reverse("admin:placements_placement_add"),
        placement_data(person, agency_tree["DMS"], start_date="2017-01-01", end_date="2018-01-01"),
    )
    assert response.status_code == 200
    assert "overlaps the placement at Ministry of Health" in form_errors(response)["start_date"][0]
    assert Placement.objects.filter(professional=person).count() == 2


def test_a_second_open_placement_is_refused(division_client, person, agency_tree):
    response = division_client.post(
        reverse("admin:placements_placement_add"),
        placement_data(person, agency_tree["DMS"], start_date="2024-01-01", end_date=""),
    )
    assert response.status_code == 200
    assert "overlaps the placement at Ministry of Finance" in form_errors(response)["start_date"][0]
    assert Placement.objects.filter(professional=person).count() == 2


def test_editing_a_placement_checks_the_overlap_against_the_others(division_client, person, agency_tree):
    old = person.placements.get(agency=agency_tree["MOH"])
    response = division_client.post(
        reverse("admin:placements_placement_change", args=[old.pk]),
        placement_data(person, agency_tree["MOH"], start_date="2016-01-01", end_date="2021-01-01"),
    )
    assert response.status_code == 200
    assert "Ministry of Finance" in form_errors(response)["start_date"][0]
    old.refresh_from_db()
    assert old.end_date == dt.date(2020, 1, 1)


def test_an_hr_officer_may_view_placements_but_not_add_or_change(client, hr_user, person, agency_tree):
    hr_user.is_staff = True
    hr_user.save()
    client.force_login(hr_user)
    placement = person.placements.first()
    assert client.get(reverse("admin:placements_placement_changelist")).status_code == 200
    assert client.get(reverse("admin:placements_placement_change", args=[placement.pk])).status_code == 200
    add = client.post(reverse("admin:placements_placement_add"), placement_data(person, agency_tree["DMS"]))
    assert add.status_code == 403
    change = client.post(
        reverse("admin:placements_placement_change", args=[placement.pk]), placement_data(person, agency_tree["DMS"])
    )
    assert change.status_code == 403
    assert Placement.objects.filter(professional=person).count() == 2


def test_an_agency_head_is_sent_to_the_admin_login(client, agency_tree):
    client.force_login(UserFactory(role=Role.AGENCY_HEAD, agency=agency_tree["MOH"]))
    response = client.get(reverse("admin:placements_placement_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_placement_list_runs_the_same_queries_for_3_or_15_rows(division_client, agency_tree):
    url = reverse("admin:placements_placement_changelist")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert division_client.get(url).status_code == 200
        return len(captured)

    for _ in range(3):
        PlacementFactory(agency=agency_tree["JDWNRH"])
    few = queries()
    for _ in range(12):
        PlacementFactory(agency=agency_tree["DZ-PARO"])
    assert queries() == few


def autocomplete(client, term):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "placements", "model_name": "placement", "field_name": "professional", "term": term},
    )
    assert response.status_code == 200
    return [row["text"] for row in response.json()["results"]]


def test_the_professional_autocomplete_finds_people_by_employee_id(division_client, person):
    assert autocomplete(division_client, person.employee_id) == [str(person)]


def test_the_professional_autocomplete_does_not_search_national_ids_without_the_grant(client, hr_user, person):
    hr_user.is_staff = True
    hr_user.save()
    client.force_login(hr_user)
    assert autocomplete(client, person.national_id) == []
    assert autocomplete(client, "Kinley") == [str(person)]
