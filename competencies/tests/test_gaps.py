"""Gap figures on a hand-built data set, checked against figures worked out by hand.

The people (see conftest): A (MOH, ICT Officer P5: needs PROG 3, TEST 2), B (DMS under MOH, ICT
Officer P4: PROG 4, TEST 3), C (JDWNRH under DMS, Senior ICT Officer P3: PROG 5), D (MOF, ICT Officer
P5: PROG 3, TEST 2), E (retired: not counted).
"""

import pytest
from django.http import Http404

from competencies.gaps import gap_counts, heatmap, person_gaps

pytestmark = pytest.mark.django_db


def cells(row, comp):
    return {
        code: (cell.required, cell.below, cell.shortfall)
        for code, cell in ((code, row.cells.get(comp.c[code].pk)) for code in ("PROG", "TEST"))
        if cell is not None
    }


def test_a_persons_gaps_are_what_their_title_requires_minus_their_current_level(levels):
    gaps = {g.competency.code: (g.required, g.current, g.gap) for g in person_gaps(levels.people["B"])}
    assert gaps == {"PROG": (4, 2, 2), "TEST": (3, 0, 3)}
    gaps = {g.competency.code: (g.required, g.current, g.gap) for g in person_gaps(levels.people["A"])}
    assert gaps == {"PROG": (3, 3, 0), "TEST": (2, 1, 1)}  # the self-assessed 6 does not count


def test_government_wide_figures_match_the_hand_computed_ones(levels):
    data = heatmap(user=levels.users["division"], track_code="test-track")
    # PROG: A, B, C, D need it (4); below: B (4-2=2) and D (3-1=2): 2 people, 4 levels short.
    # TEST: A, B, D need it (3); below: A (2-1=1) and B (3-0=3): 2 people, 4 levels short.
    assert cells(data.total, levels) == {"PROG": (4, 2, 4), "TEST": (3, 2, 4)}
    assert data.total.people == 4  # A, B, C, D; E has retired
    assert data.total.total.required == 7 and data.total.total.below == 4 and data.total.total.shortfall == 8


def test_agencies_include_their_sub_agencies(levels):
    data = heatmap(user=levels.users["division"], track_code="test-track")
    rows = {row.code: row for row in data.rows}
    assert set(rows) == {"MOH", "MOF"}  # PARO's only person has retired
    # MOH with DMS and JDWNRH: PROG A ok, B short 2, C ok -> (3, 1, 2); TEST A short 1, B short 3 -> (2, 2, 4).
    assert cells(rows["MOH"], levels) == {"PROG": (3, 1, 2), "TEST": (2, 2, 4)}
    assert rows["MOH"].people == 3 and rows["MOH"].drill == "MOH"
    # MOF: D, PROG 3 vs 1 -> (1, 1, 2); TEST 2 vs 2 -> (1, 0, 0).
    assert cells(rows["MOF"], levels) == {"PROG": (1, 1, 2), "TEST": (1, 0, 0)}
    assert rows["MOH"].cells[levels.c["TEST"].pk].share_below == 1.0  # 2 of 2


def test_drilling_into_an_agency_shows_its_own_people_and_each_sub_agency(levels):
    data = heatmap(user=levels.users["division"], agency_code="MOH")
    rows = {row.code: row for row in data.rows}
    # MOH directly: A -> PROG (1, 0, 0), TEST (1, 1, 1). DMS with JDWNRH: B and C -> PROG (2, 1, 2), TEST (1, 1, 3).
    assert cells(rows["MOH"], levels) == {"PROG": (1, 0, 0), "TEST": (1, 1, 1)}
    assert cells(rows["DMS"], levels) == {"PROG": (2, 1, 2), "TEST": (1, 1, 3)}
    assert cells(data.total, levels) == {"PROG": (3, 1, 2), "TEST": (2, 2, 4)}


def test_by_track_groups_the_same_people_by_their_track(levels):
    data = heatmap(user=levels.users["division"], by="track")
    rows = {row.code: row for row in data.rows}
    assert cells(rows["test-track"], levels) == {"PROG": (4, 2, 4), "TEST": (3, 2, 4)}


def test_a_category_filter_keeps_only_its_competencies(levels):
    data = heatmap(user=levels.users["division"], track_code="test-track", category="Security and privacy")
    assert data.competencies == [] and data.total.people == 0


def test_an_agency_head_sees_their_subtree_only_and_other_agencies_answer_404(levels):
    data = heatmap(user=levels.users["head"])
    assert data.root.code == "MOH"
    assert cells(data.total, levels) == {"PROG": (3, 1, 2), "TEST": (2, 2, 4)}
    with pytest.raises(Http404):
        heatmap(user=levels.users["head"], agency_code="MOF")


@pytest.mark.parametrize("who", ["pro"])
def test_a_professional_has_no_heatmap(levels, who):
    with pytest.raises(Http404):
        heatmap(user=levels.users[who])


def test_the_figures_are_two_grouped_queries(levels, django_assert_num_queries):
    with django_assert_num_queries(2):
        rows, people = gap_counts(group="agency")
    # One row per agency and competency needed there: MOH 2 (A), DMS 2 (B), JDWNRH 1 (C), MOF 2 (D) = 7.
    assert sum(people.values()) == 4 and len(rows) == 7
