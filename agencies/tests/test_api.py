"""/api/v1/agencies/: scoping for every role and client, the hierarchy filters, constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies.factories import AgencyFactory, ICTUnitFactory
from tests.api_helpers import ACTORS, EVERYTHING, MOH_SUBTREE, api_as, build_world, results

pytestmark = pytest.mark.django_db

URL = "/api/v1/agencies/"


@pytest.fixture
def world(agency_tree, ref, division_user, hr_user):
    return build_world(agency_tree, ref, division_user, hr_user)


def codes(response) -> list[str]:
    return sorted(row["code"] for row in results(response))


@pytest.mark.parametrize("actor", ACTORS)
def test_each_account_lists_exactly_the_agencies_it_may_see(world, actor):
    expected = {
        **dict.fromkeys(EVERYTHING, ["DMS", "DZ-PARO", "JDWNRH", "MOF", "MOH"]),
        **dict.fromkeys(MOH_SUBTREE, ["DMS", "JDWNRH", "MOH"]),
        "professional": ["DMS"],
    }[actor]
    assert codes(api_as(world, actor).get(URL)) == expected


@pytest.mark.parametrize("actor", [*MOH_SUBTREE, "professional"])
def test_an_agency_outside_the_scope_answers_404(world, actor):
    response = api_as(world, actor).get(f"{URL}{world.agencies['MOF'].id}/")
    assert response.status_code == 404
    assert set(response.json()) == {"detail", "errors"}


@pytest.mark.parametrize("actor", ACTORS)
def test_an_agency_inside_the_scope_is_shown(world, actor):
    response = api_as(world, actor).get(f"{URL}{world.agencies['DMS'].id}/")
    assert response.status_code == 200
    assert response.json()["parent"] == "MOH"


def test_anonymous_requests_are_refused_with_a_token_challenge(world, client):
    response = client.get(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "Authorization: Token" in response.json()["detail"]


def test_parent_lists_the_direct_children(world):
    assert codes(api_as(world, "division").get(URL, {"parent": "MOH"})) == ["DMS"]


def test_subtree_of_lists_an_agency_and_everything_below_it(world):
    assert codes(api_as(world, "division").get(URL, {"subtree_of": "DMS"})) == ["DMS", "JDWNRH"]


def test_kind_and_region_filter_by_code(world):
    api = api_as(world, "division")
    assert codes(api.get(URL, {"kind": "ministry"})) == ["MOF", "MOH"]
    assert codes(api.get(URL, {"region": "paro"})) == ["DZ-PARO"]


def test_a_filter_on_an_agency_outside_the_scope_is_refused_like_an_unknown_code(world):
    response = api_as(world, "agency_client").get(URL, {"subtree_of": "MOF"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"subtree_of": ["There is no agency with the code MOF (codes are exact)."]}


def test_search_matches_name_and_code(world):
    api = api_as(world, "division")
    assert codes(api.get(URL, {"search": "referral"})) == ["JDWNRH"]
    assert codes(api.get(URL, {"search": "dz-par"})) == ["DZ-PARO"]


def test_the_ict_unit_is_part_of_the_agency(world, ref):
    ICTUnitFactory(agency=world.agencies["MOH"], kind=ref.unit_kinds["ict-division"], name="ICT Division, MOH")
    row = api_as(world, "division").get(f"{URL}{world.agencies['MOH'].id}/").json()
    assert row["ict_unit"] == {"name": "ICT Division, MOH", "kind": "ict-division", "email": "", "established_on": None}


def _count_queries(api, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url, {"page_size": 200})
    return len(queries), len(response.json()["results"])


def test_the_list_runs_the_same_queries_for_5_or_35_agencies(world, ref):
    api = api_as(world, "agency_client")
    api.get(URL)  # the token's first use records last_used_at
    few, rows_few = _count_queries(api, URL)
    parent = world.agencies["MOH"]
    for n in range(30):
        agency = AgencyFactory(code=f"SUB{n}", kind=ref.kinds["department"], parent=parent)
        ICTUnitFactory(agency=agency, kind=ref.unit_kinds["ict-unit"])
    many, rows_many = _count_queries(api, URL)
    assert (rows_few, rows_many) == (3, 33)
    # token + the hierarchy (for the scope's subtree) + count + page (kind, parent, region,
    # successor and ICT unit joined in)
    assert few == many == 4
