"""A small world for the API tests of every app: the agency tree of the root conftest, one person
placed in each agency, and an account of every role and kind of API client."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from rest_framework.test import APIClient

from accounts.factories import UserFactory, make_api_client
from accounts.models import Role
from placements.factories import PlacementFactory
from professionals.factories import ProfessionalFactory

# Who sees what, by the actor names of `build_world`.
EVERYTHING = ("division", "hr", "client", "read_only_client")
MOH_SUBTREE = ("head", "agency_client")
ACTORS = (*EVERYTHING, *MOH_SUBTREE, "professional")


def build_world(agency_tree, ref, division_user, hr_user) -> SimpleNamespace:
    paro = agency_tree["DZ-PARO"]
    paro.region = ref.regions["paro"]
    paro.save(update_fields=["region"])
    people = {}
    for code, agency in agency_tree.items():
        person = ProfessionalFactory(first_name=f"Staff-{code}", grade=ref.grades["P3"])
        PlacementFactory(professional=person, agency=agency, start_date=dt.date(2021, 1, 1))
        people[code] = person
    mover = ProfessionalFactory(first_name="Mover", grade=ref.grades["P2"])
    PlacementFactory(
        professional=mover, agency=agency_tree["MOF"], start_date=dt.date(2015, 1, 1), end_date=dt.date(2020, 1, 1)
    )
    PlacementFactory(professional=mover, agency=agency_tree["JDWNRH"], start_date=dt.date(2020, 1, 1))
    people["mover"] = mover

    client, client_key = make_api_client("hr-system", sees_national_ids=True)
    agency_client, agency_client_key = make_api_client("moh-portal", agency=agency_tree["MOH"])
    read_only_client, read_only_key = make_api_client("statistics", read_only=True)
    users = {
        "division": division_user,
        "hr": hr_user,
        "head": UserFactory(username="head-moh", role=Role.AGENCY_HEAD, agency=agency_tree["MOH"]),
        "professional": UserFactory(username="pro-dms", role=Role.PROFESSIONAL, professional=people["DMS"]),
        "client": client,
        "agency_client": agency_client,
        "read_only_client": read_only_client,
    }
    keys = {"client": client_key, "agency_client": agency_client_key, "read_only_client": read_only_key}
    return SimpleNamespace(agencies=agency_tree, people=people, users=users, keys=keys)


def api_as(world, actor: str) -> APIClient:
    """An API client acting as `actor`: portal users by their session, API clients by their token."""
    api = APIClient()
    if actor in world.keys:
        api.credentials(HTTP_AUTHORIZATION=f"Token {world.keys[actor]}")
    else:
        api.force_login(world.users[actor])
    return api


def token_api(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]
