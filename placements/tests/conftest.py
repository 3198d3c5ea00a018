"""A small world for the transfer workflow: heads of MOH and MOF, a professional placed at MOF
since 2020 who may be transferred to MOH (two sanctioned ICT Officer posts there, none filled)."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from accounts.factories import UserFactory
from accounts.models import Role
from agencies.factories import SanctionedPostFactory
from placements.factories import PlacementFactory
from professionals.factories import ProfessionalFactory


@pytest.fixture
def transfer_world(agency_tree, ref, division_user, hr_user):
    moh, mof = agency_tree["MOH"], agency_tree["MOF"]
    officer = ref.titles["ict-officer"]
    SanctionedPostFactory(agency=moh, position_title=officer, number=2)
    person = ProfessionalFactory(
        first_name="Karma",
        last_name="Wangchuk",
        email="karma@example.bt",
        grade=ref.grades["P4"],
        position_title=officer,
        date_of_birth=dt.date(1990, 6, 15),
        first_appointment_date=dt.date(2015, 1, 1),
        superannuation_date=dt.date(2050, 6, 15),
    )
    placement = PlacementFactory(
        professional=person, agency=mof, position_title=officer, start_date=dt.date(2020, 1, 1)
    )
    users = SimpleNamespace(
        division=division_user,
        hr=hr_user,
        head_moh=UserFactory(username="head-moh", role=Role.AGENCY_HEAD, agency=moh, email="head.moh@example.bt"),
        head_mof=UserFactory(username="head-mof", role=Role.AGENCY_HEAD, agency=mof, email="head.mof@example.bt"),
        head_paro=UserFactory(username="head-paro", role=Role.AGENCY_HEAD, agency=agency_tree["DZ-PARO"]),
        professional=UserFactory(username="pro-karma", role=Role.PROFESSIONAL, professional=person),
    )
    return SimpleNamespace(
        agencies=agency_tree,
        moh=moh,
        mof=mof,
        officer=officer,
        person=person,
        placement=placement,
        users=users,
        today=timezone.localdate(),
        ref=ref,
    )


@pytest.fixture
def person(agency_tree):
    """Someone placed at MOH since 2018."""
    person = ProfessionalFactory()
    PlacementFactory(professional=person, agency=agency_tree["MOH"], start_date=dt.date(2018, 1, 1))
    return person
