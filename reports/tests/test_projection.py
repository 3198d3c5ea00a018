"""The capacity projection of a small hand-built history (reports/tests/histories.py), on paper.

Today is 2027-01-01, so the whole of 2027 is still to come and the trailing window is 2024-2026.
Agency X, Infrastructure & Networks: placed at the end of 2023: 12; 2024: 11; 2025: 10; 2026: 10.
Person-years = (12+11)/2 + (11+10)/2 + (10+10)/2 = 11.5 + 10.5 + 10 = 32; exits 2; rate 2/32 = 6.25%.
"""

import datetime as dt

import pytest

from professionals.models import Professional
from reports import analytics
from reports.analytics import Selection
from reports.models import PlannedGrowth, PlannedRecruitment

from .histories import projection_history

pytestmark = pytest.mark.django_db
TODAY = dt.date(2027, 1, 1)


@pytest.fixture
def h(ref):
    history = projection_history(ref)
    PlannedRecruitment.objects.create(agency=history.x, track=history.infra, year=2028, number=3)
    PlannedGrowth.objects.create(agency=history.x, year=2028, posts=2)
    return history


def _steps(group):
    return [(s.year, s.start, s.superannuations, s.expected_exits, s.recruitment, s.end, s.demand) for s in group.years]


def test_the_superannuation_dates_follow_the_rule_change_within_the_period(h):
    dates = dict(
        Professional.objects.filter(first_name__startswith="R").values_list("first_name", "superannuation_date")
    )
    # R1 and R3 turn 60 in 2027 under the 60 rule; R2 turns 60 on 2028-03-01 when the age is 62 already.
    assert dates == {"R1": dt.date(2027, 5, 10), "R2": dt.date(2030, 3, 1), "R3": dt.date(2027, 12, 31)}


def test_supply_is_carried_forward_with_superannuations_trailing_attrition_and_recruitment(h):
    projection = analytics.capacity_projection(Selection(), start_year=2027, years=3, today=TODAY)
    rates = {r.label: r for r in projection.rates}
    assert rates["Infrastructure & Networks"].rate == 6.25  # 2 exits / 32 person-years
    assert rates["No track yet"].rate == 0.0  # Y1: 3 person-years, no exit

    x = next(g for g in projection.by_agency if g.key == h.x.pk)
    assert _steps(x) == [
        # 2027: 10 - 2 superannuations (R1, R3) = 8 staying; 8 x 6.25% = 0.5 exits; end 7.5.
        (2027, 10.0, 2, 0.5, 0, 7.5, 10),
        # 2028: 7.5 x 6.25% = 0.46875 exits; + 3 recruited = 10.03125; demand 10 + 2 growth.
        (2028, 7.5, 0, 0.46875, 3, 10.03125, 12),
        # 2029: 10.03125 x 6.25% = 0.626953125; end 9.404296875.
        (2029, 10.03125, 0, 0.626953125, 0, 9.404296875, 12),
    ]
    # gap = demand - supply at the year's end: 10 - 7.5, 12 - 10.03125, 12 - 9.404296875
    assert [s.gap for s in x.years] == [2.5, 1.96875, 2.595703125]

    y = next(g for g in projection.by_agency if g.key == h.y.pk)
    assert _steps(y)[0] == (2027, 1.0, 0, 0.0, 0, 1.0, 0)  # no posts sanctioned: one person over

    # The government: X + Y each year; demand 10, 12, 12.
    assert [(s.end, s.demand, s.gap) for s in projection.total] == [
        (8.5, 10, 1.5),
        (11.03125, 12, 0.96875),
        (10.404296875, 12, 1.595703125),
    ]
    infra = next(g for g in projection.by_track if g.key == h.infra.pk)
    assert [s.end for s in infra.years] == [7.5, 10.03125, 9.404296875]


def test_division_staff_may_set_the_rate_and_rerun(h):
    projection = analytics.capacity_projection(
        Selection(), start_year=2027, years=1, today=TODAY, rate_overrides={h.infra.pk: 10.0}
    )
    x = next(g for g in projection.by_agency if g.key == h.x.pk)
    assert _steps(x) == [(2027, 10.0, 2, 0.8, 0, 7.2, 10)]  # 8 staying x 10% = 0.8
    assert next(r for r in projection.rates if r.track_id == h.infra.pk).source == "set for this run"


def test_the_current_year_counts_only_the_part_still_to_come(h):
    # On 2027-07-02 the year has 183 of its 365 days left: 8 x 6.25% x 183/365 = 0.25068...
    projection = analytics.capacity_projection(Selection(), start_year=2027, years=1, today=dt.date(2027, 7, 2))
    x = next(g for g in projection.by_agency if g.key == h.x.pk)
    assert round(x.years[0].expected_exits, 5) == round(8 * 0.0625 * 183 / 365, 5) == 0.25068


def test_a_track_selection_shows_no_demand_since_posts_have_no_track(h):
    projection = analytics.capacity_projection(
        Selection(track_ids=(h.infra.pk,)), start_year=2027, years=2, today=TODAY
    )
    assert projection.demand_shown is False
    assert [(s.end, s.demand, s.gap) for s in projection.total] == [(7.5, None, None), (10.03125, None, None)]


def test_the_projection_queries_do_not_grow_with_the_people(h, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        analytics.capacity_projection(Selection(), start_year=2027, years=5, today=TODAY)
