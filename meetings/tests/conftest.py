"""A small world for the meetings tests: the root agency tree with ICT units and heads, people in
each agency (with tracks and an expert pool), and an account of each role."""

import datetime as dt
from types import SimpleNamespace

import pytest

from accounts.factories import UserFactory
from accounts.models import Role
from agencies.factories import ICTUnitFactory
from competencies.models import ExpertPool, ExpertPoolMembership
from meetings.factories import EventFactory
from meetings.models import EventKind
from placements.factories import PlacementFactory
from professionals.factories import ProfessionalFactory


@pytest.fixture
def kinds(ref):
    return {kind.code: kind for kind in EventKind.objects.all()}


@pytest.fixture
def world(agency_tree, ref, kinds, division_user, hr_user):
    people = {}
    for code, agency in agency_tree.items():
        for role in ("head", "staff"):
            person = ProfessionalFactory(
                first_name=f"{role.title()}-{code}",
                email=f"{role}.{code.lower()}@example.gov.bt",
                grade=ref.grades["P3"],
                track=ref.tracks["cybersecurity" if role == "head" else "data-analytics"],
                first_appointment_date=dt.date(2012, 1, 1) if role == "head" else dt.date(2024, 3, 1),
            )
            PlacementFactory(professional=person, agency=agency, start_date=dt.date(2021, 1, 1))
            people[f"{role}-{code}"] = person
        if code != "DMS":  # DMS has no ICT unit of its own
            ICTUnitFactory(agency=agency, head=people[f"head-{code}"], email=f"ict@{code.lower()}.gov.bt")
    retired = ProfessionalFactory(first_name="Retired", status="retired", track=ref.tracks["cybersecurity"])
    people["retired"] = retired
    pool = ExpertPool.objects.create(name="Infocomm security", track=ref.tracks["cybersecurity"])
    for member in (people["staff-MOF"], people["staff-DZ-PARO"], retired):
        ExpertPoolMembership.objects.create(pool=pool, professional=member, state="accepted", since=dt.date(2024, 1, 1))
    users = {
        "division": division_user,
        "hr": hr_user,
        "head": UserFactory(
            username="head-moh", role=Role.AGENCY_HEAD, agency=agency_tree["MOH"], email="head@moh.gov.bt"
        ),
        "head_mof": UserFactory(
            username="head-mof", role=Role.AGENCY_HEAD, agency=agency_tree["MOF"], email="head@mof.gov.bt"
        ),
        "professional": UserFactory(username="pro-dms", role=Role.PROFESSIONAL, professional=people["staff-DMS"]),
    }
    return SimpleNamespace(agencies=agency_tree, people=people, users=users, pool=pool, kinds=kinds, ref=ref)


@pytest.fixture
def event(world):
    return EventFactory(kind=world.kinds["ict-heads-meeting"], title="ICT Heads' meeting, second quarter")
