"""Small hand-built histories whose attrition and projection figures are computed on paper in the
tests (reports/tests/test_attrition.py, test_projection.py)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from agencies.factories import AgencyFactory, SanctionedPostFactory
from placements.factories import PlacementFactory
from professionals.factories import ProfessionalFactory
from professionals.models import Status, StatusEvent, StatusEventKind

D = dt.date
BORN = D(1990, 6, 15)


def person(name, *, appointed, placements, grade, track=None, status=Status.ACTIVE, born=BORN):
    """A professional with placements [(agency, start, end or None)] in order."""
    someone = ProfessionalFactory(
        first_name=name,
        last_name="History",
        first_appointment_date=appointed,
        date_of_birth=born,
        grade=grade,
        track=track,
        status=status,
    )
    for agency, start, end in placements:
        PlacementFactory(professional=someone, agency=agency, start_date=start, end_date=end)
    return someone


def event(someone, kind, day, expected_end=None):
    StatusEvent.objects.create(professional=someone, kind=kind, effective_date=day, expected_end=expected_end)


def attrition_history(agency_tree, ref) -> SimpleNamespace:
    """Seven people over 2021-2023 in MOH, its department DMS and MOF:

    | who | appointed  | placements                                | events                                 |
    |-----|------------|-------------------------------------------|----------------------------------------|
    | A   | 2015-03-01 | MOH from 2015-03-01                       | study leave 2021-02-01, back 2021-08-01 |
    | B   | 2018-01-01 | MOH 2018-01-01 to 2022-01-01              | resigned 2022-01-01 (first day)        |
    | C   | 2010-06-01 | MOF 2010-06-01 to 2022-12-31              | retired 2022-12-31 (last day)          |
    | D   | 2019-05-01 | MOH to 2022-07-01, then MOF (a transfer)  | -                                      |
    | E   | 2020-01-01 | DMS from 2020-01-01                       | EOL 2022-03-01, back 2023-03-01        |
    | F   | 2022-01-01 | MOF 2022-01-01 to 2023-06-30              | left the ICT cadre 2023-06-30          |
    | G   | 2012-01-01 | MOH 2012-01-01 to 2021-12-31              | terminated 2021-12-31 (last day)       |
    """
    moh, dms, mof = agency_tree["MOH"], agency_tree["DMS"], agency_tree["MOF"]
    app, infra = ref.tracks["application-development"], ref.tracks["infrastructure-networks"]
    p4, p3, ss2 = ref.grades["P4"], ref.grades["P3"], ref.grades["SS2"]
    a = person("A", appointed=D(2015, 3, 1), placements=[(moh, D(2015, 3, 1), None)], grade=p3, track=app)
    event(a, StatusEventKind.STUDY_LEAVE, D(2021, 2, 1), D(2021, 8, 1))
    event(a, StatusEventKind.RETURN, D(2021, 8, 1))
    b = person(
        "B",
        appointed=D(2018, 1, 1),
        placements=[(moh, D(2018, 1, 1), D(2022, 1, 1))],
        grade=p4,
        track=app,
        status=Status.RESIGNED,
    )
    event(b, StatusEventKind.RESIGNATION, D(2022, 1, 1))
    c = person(
        "C",
        appointed=D(2010, 6, 1),
        placements=[(mof, D(2010, 6, 1), D(2022, 12, 31))],
        grade=ss2,
        track=infra,
        status=Status.RETIRED,
    )
    event(c, StatusEventKind.RETIREMENT, D(2022, 12, 31))
    d = person(
        "D",
        appointed=D(2019, 5, 1),
        placements=[(moh, D(2019, 5, 1), D(2022, 7, 1)), (mof, D(2022, 7, 1), None)],
        grade=p4,
        track=infra,
    )
    e = person("E", appointed=D(2020, 1, 1), placements=[(dms, D(2020, 1, 1), None)], grade=p4, status=Status.ACTIVE)
    event(e, StatusEventKind.EOL, D(2022, 3, 1), D(2024, 3, 1))
    event(e, StatusEventKind.RETURN, D(2023, 3, 1))
    f = person(
        "F",
        appointed=D(2022, 1, 1),
        placements=[(mof, D(2022, 1, 1), D(2023, 6, 30))],
        grade=p4,
        status=Status.LEFT_CADRE,
    )
    event(f, StatusEventKind.LEFT_CADRE, D(2023, 6, 30))
    g = person(
        "G",
        appointed=D(2012, 1, 1),
        placements=[(moh, D(2012, 1, 1), D(2021, 12, 31))],
        grade=p3,
        status=Status.TERMINATED,
    )
    event(g, StatusEventKind.TERMINATION, D(2021, 12, 31))
    return SimpleNamespace(moh=moh, dms=dms, mof=mof, people=SimpleNamespace(a=a, b=b, c=c, d=d, e=e, f=f, g=g))


def projection_history(ref) -> SimpleNamespace:
    """Agency X (10 sanctioned posts) with 10 Infrastructure officers in service since 2010 and two
    who resigned in the trailing window (2024-06-30 and 2025-06-30); agency Y (no posts) with one
    officer without a track. Of X's ten, R1 turns 60 on 2027-05-10 and R3 on 2027-12-31; R2 turns
    60 on 2028-03-01, after the age rises to 62 on 2028-01-01 (a rule added here), so works to
    2030. The caller adds planned recruitment and growth."""
    from professionals.models import RetirementAgeRule
    from professionals.services import superannuation_dates_recompute

    x = AgencyFactory(code="X", name="Agency X", kind=ref.kinds["ministry"])
    y = AgencyFactory(code="Y", name="Agency Y", kind=ref.kinds["autonomous"])
    SanctionedPostFactory(agency=x, position_title=ref.titles["ict-officer"], number=10)
    infra, p4 = ref.tracks["infrastructure-networks"], ref.grades["P4"]
    since = [(x, D(2010, 1, 1), None)]
    births = {"R1": D(1967, 5, 10), "R2": D(1968, 3, 1), "R3": D(1967, 12, 31)}
    staff = [
        person(f"X{i}" if i > 3 else f"R{i}", appointed=D(2010, 1, 1), placements=since, grade=p4, track=infra,
               born=births.get(f"R{i}", D(1990, 6, 15)))
        for i in range(1, 11)
    ]  # fmt: skip
    for day in (D(2024, 6, 30), D(2025, 6, 30)):
        leaver = person(
            "Leaver",
            appointed=D(2010, 1, 1),
            placements=[(x, D(2010, 1, 1), day)],
            grade=p4,
            track=infra,
            status=Status.RESIGNED,
        )
        event(leaver, StatusEventKind.RESIGNATION, day)
    person("Y1", appointed=D(2010, 1, 1), placements=[(y, D(2010, 1, 1), None)], grade=p4)
    RetirementAgeRule.objects.create(category=ref.categories["P"], age=62, effective_from=D(2028, 1, 1))
    superannuation_dates_recompute()
    return SimpleNamespace(x=x, y=y, staff=staff, infra=infra)
