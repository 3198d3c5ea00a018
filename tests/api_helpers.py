"""Worlds for the API tests: a small one for the tests of every app (the agency tree of the root
conftest, one person placed in each agency, and an account of every role and kind of API client),
and the demo data set at a small size for the schema tests (build_demo_world)."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from types import SimpleNamespace

from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.factories import UserFactory, make_api_client
from accounts.models import Role, User
from agencies.models import Agency
from competencies.services import certification_add
from meetings.models import ActionItem, Event
from meetings.services import action_item_create
from placements.factories import PlacementFactory
from placements.models import TransferRuleOverride
from professionals.factories import ProfessionalFactory
from professionals.models import Professional
from reports.services import report_run_execute, report_run_fail, report_run_request

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


# The demo data set at a small size: 0.5 s to seed on SQLite, and rows of every resource in every
# state (see tests/test_api_schema.py, which checks that they are there).
DEMO_WORLD = {"professionals": 60, "years": 3, "seed": 1}
# The agency of the agency-scoped accounts: at this size MOF and its three departments have people
# placed, transfer requests, training, assessments, invitations and action items.
SCOPED_AGENCY = "MOF"


def build_demo_world() -> SimpleNamespace:
    """`seed_demo` at DEMO_WORLD's size, with what the demo leaves out (report runs, a certification
    that does not expire, records of an account deleted since), API clients and the demo's portal
    logins by role.

    Actors: "division" (a government-wide client that writes and sees national ids), "agency" (a
    client scoped to SCOPED_AGENCY that writes), "read_only" (government-wide), and the portal users
    "division_user", "hr", "head" (SCOPED_AGENCY's ICT head) and "professional"."""
    call_command("seed_demo", stdout=StringIO(), **DEMO_WORLD)
    scope = Agency.objects.get(code=SCOPED_AGENCY)
    division, division_key = make_api_client("hr-system", sees_national_ids=True)
    agency, agency_key = make_api_client("mof-portal", agency=scope)
    _read_only, read_only_key = make_api_client("statistics", read_only=True)
    for requester in (division, agency):
        report_runs_of_every_status(requester)
    # The demo's certifications all expire; one that does not, for someone the agency client sees.
    person = Professional.objects.visible_to(agency).order_by("pk").first()
    certification_add(
        actor=agency,
        professional_id=person.pk,
        name="ITIL 4 Foundation",
        issuer="PeopleCert",
        issued_on=dt.date(2024, 5, 2),
    )
    # An action item the agency owns, however the demo's meetings fell at this size.
    if not ActionItem.objects.filter(owner_agency=scope).exists():
        held = Event.objects.filter(status="held").order_by("-starts_at").first()
        action_item_create(
            event_id=held.pk,
            actor=User.objects.get(username="division"),
            title="Share the agency's inventory of information systems",
            due_date=timezone.localdate() + dt.timedelta(days=30),
            owner_agency=scope,
        )
    # Records of an account deleted since: their requester and overrider become null.
    gone = UserFactory(username="left-the-division", role=Role.DIVISION)
    report_runs_of_every_status(gone)
    TransferRuleOverride.objects.filter(pk=TransferRuleOverride.objects.order_by("pk").values("pk")[:1]).update(
        overridden_by=gone
    )
    gone.delete()
    users = {
        "division_user": User.objects.get(username="division"),
        "hr": User.objects.get(username="hr"),
        "head": User.objects.get(role=Role.AGENCY_HEAD, agency=scope),
        "professional": User.objects.filter(role=Role.PROFESSIONAL).order_by("username").first(),
    }
    keys = {"division": division_key, "agency": agency_key, "read_only": read_only_key}
    return SimpleNamespace(scope=scope, users=users, keys=keys)


def report_runs_of_every_status(user) -> None:
    """A finished run with its file, a failed one and a queued one, requested by `user`."""
    done, _ = report_run_request(user=user, kind="headcount", format="csv", data={})
    report_run_execute(run_id=done.pk)
    failed, _ = report_run_request(user=user, kind="roster", format="xlsx", data={})
    report_run_fail(run_id=failed.pk, reason="The worker was stopped (test data).")
    report_run_request(user=user, kind="attrition", format="pdf", data={})
