"""A small roster of professionals across the `agency_tree` fixture, shared by the view tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from accounts.factories import UserFactory
from accounts.models import Role
from placements.factories import PlacementFactory
from professionals.factories import ProfessionalFactory
from professionals.models import EmploymentType, Professional, Status


@dataclass
class Roster:
    karma: Professional  # MOH, P4, application development, retiring within a year
    pema: Professional  # DMS (under MOH), P3, cybersecurity, on extraordinary leave
    sonam: Professional  # JDWNRH (under DMS), S2, contract
    dorji: Professional  # MOF, P2
    kinley: Professional  # DZ-PARO (Paro region), P5
    tshering: Professional  # resigned, no current placement
    head: object  # ICT head of MOH
    professional_user: object  # Karma's own login

    @property
    def in_service(self) -> list[Professional]:
        return [self.karma, self.pema, self.sonam, self.dorji, self.kinley]


def years_from_today(years: float) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=round(365.25 * years))


def make_roster(agency_tree, ref) -> Roster:
    agency_tree["MOH"].region = ref.regions["thimphu"]
    agency_tree["MOH"].save()
    agency_tree["DZ-PARO"].region = ref.regions["paro"]
    agency_tree["DZ-PARO"].save()

    def person(agency, **fields) -> Professional:
        professional = ProfessionalFactory(**fields)
        if agency is not None:
            PlacementFactory(professional=professional, agency=agency, start_date=dt.date(2018, 3, 1))
        return professional

    roster = Roster(
        karma=person(
            agency_tree["MOH"],
            employee_id="2001000001",
            national_id="10000000001",
            first_name="Karma",
            last_name="Wangchuk",
            grade=ref.grades["P4"],
            position_title=ref.titles["ict-officer"],
            track=ref.tracks["application-development"],
            superannuation_date=years_from_today(0.5),
        ),
        pema=person(
            agency_tree["DMS"],
            employee_id="2001000002",
            national_id="10000000002",
            first_name="Pema",
            last_name="Dema",
            grade=ref.grades["P3"],
            position_title=ref.titles["senior-ict-officer"],
            track=ref.tracks["cybersecurity"],
            status=Status.EOL,
            superannuation_date=years_from_today(3),
        ),
        sonam=person(
            agency_tree["JDWNRH"],
            employee_id="2001000003",
            national_id="10000000003",
            first_name="Sonam",
            last_name="Tobgay",
            grade=ref.grades["S2"],
            position_title=ref.titles["ict-technical-associate"],
            employment_type=EmploymentType.CONTRACT,
            superannuation_date=years_from_today(7),
        ),
        dorji=person(
            agency_tree["MOF"],
            employee_id="2001000004",
            national_id="10000000004",
            first_name="Dorji",
            last_name="Penjor",
            grade=ref.grades["P2"],
            position_title=ref.titles["senior-ict-officer"],
            superannuation_date=years_from_today(12),
        ),
        kinley=person(
            agency_tree["DZ-PARO"],
            employee_id="2001000005",
            national_id="10000000005",
            first_name="Kinley",
            last_name="Lhamo",
            grade=ref.grades["P5"],
            position_title=ref.titles["ict-officer"],
            superannuation_date=years_from_today(20),
        ),
        tshering=person(
            None,
            employee_id="2001000006",
            national_id="10000000006",
            first_name="Tshering",
            last_name="Yangzom",
            grade=ref.grades["P4"],
            status=Status.RESIGNED,
            superannuation_date=years_from_today(15),
        ),
        head=UserFactory(username="head-moh", role=Role.AGENCY_HEAD, agency=agency_tree["MOH"]),
        professional_user=None,
    )
    roster.professional_user = UserFactory(username="karma", role=Role.PROFESSIONAL, professional=roster.karma)
    return roster


def names(response) -> list[str]:
    """The first names in the list a response rendered, in order."""
    return [person.first_name for person in response.context["professionals"]]
