"""A small world for the competencies tests: the root agency tree, a test track with hand-set
requirements on the default framework, people placed in each agency, and an account of each role."""

import datetime as dt
from types import SimpleNamespace

import pytest

from accounts.factories import UserFactory
from accounts.models import Role
from competencies.models import AssessmentKind, Competency, Framework, Requirement, Track
from competencies.services import assessment_record
from placements.factories import PlacementFactory
from professionals.factories import ProfessionalFactory


@pytest.fixture
def comp(agency_tree, ref, division_user, hr_user):
    framework = Framework.default()
    track = Track.objects.create(code="test-track", name="Test track", sort_order=900)
    c = {code: Competency.objects.get(framework=framework, code=code) for code in ("PROG", "TEST", "SCTY")}
    track.competencies.add(c["PROG"], c["TEST"])
    officer, senior = ref.titles["ict-officer"], ref.titles["senior-ict-officer"]
    g = ref.grades
    # ICT Officers at P5 and below need PROG 3 and TEST 2; from P4 up PROG 4 and TEST 3.
    # Senior ICT Officers (any grade) need PROG 5.
    for title, low, high, code, level in [
        (officer, None, g["P5"], "PROG", 3),
        (officer, None, g["P5"], "TEST", 2),
        (officer, g["P4"], None, "PROG", 4),
        (officer, g["P4"], None, "TEST", 3),
        (senior, None, None, "PROG", 5),
    ]:
        Requirement.objects.create(
            track=track, position_title=title, min_grade=low, max_grade=high, competency=c[code], level=level
        )

    def person(name, agency, title=officer, grade="P5", **extra):
        p = ProfessionalFactory(
            first_name=name,
            track=track,
            position_title=title,
            grade=g[grade],
            email=f"{name.lower()}@example.gov.bt",
            **extra,
        )
        if agency:
            PlacementFactory(professional=p, agency=agency_tree[agency], start_date=dt.date(2020, 1, 1))
        p.refresh_from_db()
        return p

    people = {
        "A": person("Asha", "MOH"),
        "B": person("Bumpa", "DMS", grade="P4"),
        "C": person("Chimi", "JDWNRH", title=senior, grade="P3"),
        "D": person("Dawa", "MOF"),
        "E": person("Euden", "DZ-PARO", status="retired"),
    }
    users = {
        "division": division_user,
        "hr": hr_user,
        "head": UserFactory(username="head-moh", role=Role.AGENCY_HEAD, agency=agency_tree["MOH"], email="h@moh.bt"),
        "head_mof": UserFactory(username="head-mof", role=Role.AGENCY_HEAD, agency=agency_tree["MOF"]),
        "pro": UserFactory(username="pro-a", role=Role.PROFESSIONAL, professional=people["A"]),
        "pro_d": UserFactory(username="pro-d", role=Role.PROFESSIONAL, professional=people["D"]),
    }
    return SimpleNamespace(
        framework=framework, track=track, c=c, people=people, users=users, agencies=agency_tree, ref=ref
    )


@pytest.fixture
def levels(comp):
    """The hand-set levels behind the gap figures of test_gaps.py."""

    def record(who, person, code, level, day, kind=AssessmentKind.DIVISION):
        assessment_record(
            actor=comp.users[who],
            professional_id=comp.people[person].pk,
            competency_id=comp.c[code].pk,
            kind=kind,
            level=level,
            assessed_on=day,
        )

    record("division", "A", "PROG", 3, dt.date(2024, 5, 1))
    record("division", "A", "TEST", 1, dt.date(2024, 5, 1))
    record("division", "B", "PROG", 2, dt.date(2024, 5, 1))  # B has no TEST assessment: level 0
    record("division", "C", "PROG", 5, dt.date(2024, 5, 1))
    record("pro", "A", "TEST", 6, dt.date(2025, 2, 1), kind=AssessmentKind.SELF)  # unconfirmed: ignored
    record("division", "D", "PROG", 4, dt.date(2024, 1, 1))
    record("head_mof", "D", "PROG", 1, dt.date(2025, 1, 1), kind=AssessmentKind.SUPERVISOR)  # latest: 1
    record("division", "D", "TEST", 2, dt.date(2024, 1, 1))
    record("division", "E", "PROG", 1, dt.date(2020, 1, 1))  # retired: not counted
    return comp
