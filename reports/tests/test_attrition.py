"""Attrition figures of a small hand-built history (reports/tests/histories.py), computed on paper.

Year ends (placed on 31 December; an exit or transfer ends the placement on its date):
- end 2020: A B C D E G = 6 (F not yet appointed)
- end 2021: A B C D E = 5 (G's placement ended on 2021-12-31 itself; B leaves on 2022-01-01)
- end 2022: A D E F = 4 (B left 2022-01-01, C on 2022-12-31; D moved MOH -> MOF; E on EOL, still placed)
- end 2023: A D E = 3 (F left 2023-06-30)
"""

import pytest

from agencies.models import Agency
from reports import analytics
from reports.analytics import Selection

pytestmark = pytest.mark.django_db


def _year(report, year):
    return next(y for y in report.years if y.year == year)


def _group(report, dimension, label):
    return next(g for g in report.breakdowns[dimension] if g.label == label)


def test_headcounts_exits_and_rates_per_year_for_the_whole_government(h):
    report = analytics.attrition(Selection(), first_year=2021, last_year=2023)
    rows = [(y.year, y.start, y.end, y.total_exits, y.eol_starts, y.eol_returns) for y in report.years]
    assert rows == [
        (2021, 6, 5, 1, 0, 0),  # G terminated 2021-12-31; A's return was from study leave, not EOL
        (2022, 5, 4, 2, 1, 0),  # B on 1 January and C on 31 December; E's EOL is not an exit; D's transfer neither
        (2023, 4, 3, 1, 0, 1),  # F left the cadre; E back from EOL
    ]
    assert _year(report, 2021).exits["termination"] == 1
    assert _year(report, 2022).exits == {
        "resignation": 1,
        "retirement": 1,
        "termination": 0,
        "death": 0,
        "left_cadre": 0,
    }
    assert _year(report, 2023).exits["left_cadre"] == 1
    # rate = exits / ((start + end) / 2): 1 / 5.5, 2 / 4.5, 1 / 3.5
    assert [round(y.rate, 2) for y in report.years] == [18.18, 44.44, 28.57]


def test_start_plus_joiners_minus_exits_gives_the_end_headcount(h):
    report = analytics.attrition(Selection(), first_year=2022, last_year=2022)
    year = report.years[0]
    joiners = 1  # F, appointed on 2022-01-01, the first day of the year
    assert year.start + joiners - year.total_exits == year.end == 4


def test_agencies_count_people_where_they_were_placed_at_the_time_and_a_transfer_is_no_exit(h):
    report = analytics.attrition(Selection(), first_year=2022, last_year=2022)
    moh = _group(report, "agency", "Ministry of Health (MOH)").years[0]
    # MOH end 2021: A B D = 3; end 2022: A = 1 (D transferred out, B resigned); exits: B only.
    assert (moh.start, moh.end, moh.total_exits) == (3, 1, 1)
    assert moh.rate == 50.0  # 1 / ((3 + 1) / 2)
    mof = _group(report, "agency", "Ministry of Finance (MOF)").years[0]
    # MOF end 2021: C = 1; end 2022: D F = 2; exits: C retired on 31 December.
    assert (mof.start, mof.end, mof.total_exits) == (1, 2, 1)
    assert round(mof.rate, 2) == 66.67  # 1 / 1.5
    ministries = _group(report, "agency_kind", "Ministries").years[0]
    assert (ministries.start, ministries.end, ministries.total_exits) == (4, 3, 2)  # MOH + MOF
    assert round(ministries.rate, 2) == 57.14  # 2 / 3.5


def test_a_subtree_selection_counts_only_its_agencies(h):
    ids = tuple(Agency.objects.subtree(h.moh.pk).values_list("id", flat=True))
    report = analytics.attrition(Selection(agency_ids=ids), first_year=2021, last_year=2023)
    # MOH + DMS: end 2020 A B D G + E = 5; end 2021 A B D + E = 4; end 2022 A + E = 2; end 2023 A + E = 2.
    rows = [(y.year, y.start, y.end, y.total_exits, y.eol_starts, y.eol_returns) for y in report.years]
    assert rows == [(2021, 5, 4, 1, 0, 0), (2022, 4, 2, 1, 1, 0), (2023, 2, 2, 0, 0, 1)]
    assert round(_year(report, 2022).rate, 2) == 33.33  # 1 / ((4 + 2) / 2)


def test_breakdowns_by_track_grade_category_and_years_of_service(h):
    report = analytics.attrition(Selection(), first_year=2022, last_year=2022)

    def figures(dimension, label):
        year = _group(report, dimension, label).years[0]
        return year.start, year.end, year.total_exits

    assert figures("track", "Application Development") == (2, 1, 1)  # A B -> A; B resigned
    assert figures("track", "Infrastructure & Networks") == (2, 1, 1)  # C D -> D; C retired
    assert figures("track", "No track yet") == (1, 2, 0)  # E -> E F
    assert figures("category", "Professional and Management") == (4, 4, 1)  # A B D E -> A D E F
    assert figures("category", "Senior Supervisory") == (1, 0, 1)  # C
    # Completed calendar years of service in 2022: A 7, B 4, C 12, D 3, E 2, F 0.
    assert figures("service", "3-5 years") == (2, 1, 1)  # B D -> D
    assert figures("service", "Under 3 years") == (1, 2, 0)  # E -> E F
    assert figures("service", "6-10 years") == (1, 1, 0)  # A
    assert figures("service", "11-20 years") == (1, 0, 1)  # C


def test_track_and_grade_selections_limit_the_people(h, ref):
    report = analytics.attrition(
        Selection(track_ids=(ref.tracks["application-development"].pk,), grade_ids=(ref.grades["P4"].pk,)),
        first_year=2021,
        last_year=2023,
    )
    # Only B (P4, Application Development): in service at the end of 2020 and 2021, resigned 2022-01-01.
    assert [(y.start, y.end, y.total_exits) for y in report.years] == [(1, 1, 0), (1, 0, 1), (0, 0, 0)]
    assert report.years[2].rate is None  # nobody in service: no rate rather than a division by zero


def test_the_attrition_queries_do_not_grow_with_the_people(h, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        analytics.attrition(Selection(), first_year=2014, last_year=2023)
