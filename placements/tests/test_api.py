"""/api/v1/placements/: scoping, history, ?current=true, posting through placement_start, constant queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from placements.factories import PlacementFactory
from placements.models import Placement
from professionals.factories import ProfessionalFactory
from tests.api_helpers import ACTORS, EVERYTHING, MOH_SUBTREE, api_as, build_world, results

pytestmark = pytest.mark.django_db

URL = "/api/v1/placements/"


@pytest.fixture
def world(agency_tree, ref, division_user, hr_user):
    return build_world(agency_tree, ref, division_user, hr_user)


def postings(response) -> list[tuple[str, str]]:
    return sorted((row["professional"]["full_name"].split()[0], row["agency"]["code"]) for row in results(response))


ALL = [
    ("Mover", "JDWNRH"),
    ("Mover", "MOF"),
    ("Staff-DMS", "DMS"),
    ("Staff-DZ-PARO", "DZ-PARO"),
    ("Staff-JDWNRH", "JDWNRH"),
    ("Staff-MOF", "MOF"),
    ("Staff-MOH", "MOH"),
]
# The MOH subtree's postings, and the whole history of the people now placed there (the mover's MOF years).
MOH_VIEW = [
    ("Mover", "JDWNRH"),
    ("Mover", "MOF"),
    ("Staff-DMS", "DMS"),
    ("Staff-JDWNRH", "JDWNRH"),
    ("Staff-MOH", "MOH"),
]


@pytest.mark.parametrize("actor", ACTORS)
def test_each_account_lists_exactly_the_placements_it_may_see(world, actor):
    expected = {
        **dict.fromkeys(EVERYTHING, ALL),
        **dict.fromkeys(MOH_SUBTREE, MOH_VIEW),
        "professional": [("Staff-DMS", "DMS")],
    }
    assert postings(api_as(world, actor).get(URL)) == expected[actor]


@pytest.mark.parametrize("actor", [*MOH_SUBTREE, "professional"])
def test_a_placement_outside_the_scope_answers_404(world, actor):
    foreign = Placement.objects.get(professional=world.people["MOF"])
    assert api_as(world, actor).get(f"{URL}{foreign.id}/").status_code == 404


@pytest.mark.parametrize("actor", ACTORS)
def test_a_placement_inside_the_scope_is_shown(world, actor):
    own = Placement.objects.get(professional=world.people["DMS"])
    response = api_as(world, actor).get(f"{URL}{own.id}/")
    assert response.status_code == 200
    assert response.json()["is_current"] is True


def test_a_persons_history_and_current_placements(world):
    api = api_as(world, "division")
    mover = world.people["mover"]
    history = results(api.get(URL, {"professional": mover.id}))
    assert [(row["agency"]["code"], row["end_date"]) for row in history] == [("JDWNRH", None), ("MOF", "2020-01-01")]
    assert postings(api.get(URL, {"employee_id": mover.employee_id, "current": "true"})) == [("Mover", "JDWNRH")]
    assert postings(api.get(URL, {"current": "false"})) == [("Mover", "MOF")]
    assert postings(api.get(URL, {"agency": "DMS"})) == [
        ("Mover", "JDWNRH"),
        ("Staff-DMS", "DMS"),
        ("Staff-JDWNRH", "JDWNRH"),
    ]


def test_bad_filter_values_answer_400(world):
    api = api_as(world, "division")
    for params, field in [
        ({"current": "maybe"}, "current"),
        ({"kind": "promotion"}, "kind"),
        ({"professional": "x"}, "professional"),
    ]:
        response = api.get(URL, params)
        assert response.status_code == 400, params
        assert list(response.json()["errors"]) == [field]


@pytest.mark.parametrize("actor", ["division", "client", "agency_client"])
def test_posting_a_professional_ends_the_current_placement_and_names_the_actor(world, actor):
    person = world.people["DMS"]
    response = api_as(world, actor).post(
        URL,
        {
            "professional": person.id,
            "agency": "JDWNRH",
            "start_date": "2025-04-01",
            "kind": "transfer",
            "office_order_number": "OO/25/4",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["agency"]["code"] == "JDWNRH"
    previous, current = Placement.objects.filter(professional=person).order_by("start_date")
    assert previous.end_date == dt.date(2025, 4, 1) and current.end_date is None
    assert current.history.get().history_user == world.users[actor]
    assert previous.history.latest().history_user == world.users[actor]


def test_an_agency_client_cannot_post_outside_its_agencies(world):
    api = api_as(world, "agency_client")
    into_foreign = api.post(
        URL, {"professional": world.people["DMS"].id, "agency": "MOF", "start_date": "2025-04-01", "kind": "transfer"}
    )
    foreign_person = api.post(
        URL, {"professional": world.people["MOF"].id, "agency": "DMS", "start_date": "2025-04-01", "kind": "transfer"}
    )
    assert into_foreign.status_code == foreign_person.status_code == 400
    assert "MOF" in into_foreign.json()["errors"]["agency"][0]
    assert "among those this account may see" in foreign_person.json()["errors"]["professional"][0]
    assert Placement.objects.count() == 7


def test_the_services_rules_come_back_as_400(world):
    response = api_as(world, "division").post(
        URL, {"professional": world.people["DMS"].id, "agency": "MOF", "start_date": "2020-01-01", "kind": "transfer"}
    )
    assert response.status_code == 400
    assert "the new one must start after that" in response.json()["errors"]["start_date"][0]
    assert Placement.objects.count() == 7


@pytest.mark.parametrize("actor", ["hr", "head", "professional", "read_only_client"])
def test_accounts_without_write_access_get_403_and_nothing_is_written(world, actor):
    response = api_as(world, actor).post(
        URL, {"professional": world.people["DMS"].id, "agency": "DMS", "start_date": "2025-04-01", "kind": "transfer"}
    )
    assert response.status_code == 403
    assert Placement.objects.count() == 7


def test_placements_cannot_be_edited_or_deleted_through_the_api(world):
    placement = Placement.objects.get(professional=world.people["DMS"])
    api = api_as(world, "division")
    assert api.patch(f"{URL}{placement.id}/", {"notes": "x"}).status_code == 405
    assert api.delete(f"{URL}{placement.id}/").status_code == 405


def _list(api):
    with CaptureQueriesContext(connection) as queries:
        response = api.get(URL, {"page_size": 200})
    return len(queries), len(response.json()["results"])


# An agency client's scope adds one read of the hierarchy (its subtree).
@pytest.mark.parametrize(("actor", "queries"), [("division", 4), ("agency_client", 4)])
def test_the_list_runs_the_same_queries_for_few_or_many_rows(world, actor, queries):
    api = api_as(world, actor)
    api.get(URL)
    few = _list(api)
    for _ in range(30):
        PlacementFactory(
            professional=ProfessionalFactory(), agency=world.agencies["DMS"], start_date=dt.date(2023, 1, 1)
        )
    many = _list(api)
    assert few[1] + 30 == many[1]
    # (session + user | token), count, page with professional, agency and title joined
    assert few[0] == many[0] == queries
