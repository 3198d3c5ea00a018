"""The shared workforce figures: what each means, and that each costs a fixed number of queries."""

import datetime as dt

import pytest

from agencies.models import Agency
from placements.establishment import establishment_for
from professionals.models import Professional
from reports import analytics
from reports.charts import exits_chart
from tests.workforce_data import add_staff, build_workforce

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(agency_tree, ref):
    return build_workforce(agency_tree, ref)


def test_headcount_totals_count_people_in_service_and_on_leave(w):
    totals = analytics.headcount_totals(Professional.objects.all())
    assert totals == {"in_service": 7, "active": 5, "eol": 1, "study_leave": 1, "seconded": 0}


def test_headcount_by_agency_kind_counts_current_placements_of_people_in_service(w):
    buckets = analytics.headcount_by(Professional.objects.all(), "agency_kind")
    assert [(b.key, b.count) for b in buckets] == [("ministry", 5), ("department", 1), ("dzongkhag", 1)]


def test_headcount_by_track_puts_people_without_one_under_a_label(w):
    buckets = {b.label: b.count for b in analytics.headcount_by(Professional.objects.all(), "track")}
    assert buckets == {"Cybersecurity": 1, "No track yet": 6}


def test_headcount_by_grade_lists_the_most_senior_grade_first(w):
    buckets = analytics.headcount_by(Professional.objects.all(), "grade")
    assert [(b.label, b.count) for b in buckets] == [("P2", 2), ("P4", 4), ("S5", 1)]


def test_the_most_short_staffed_agencies_come_first(w, django_assert_num_queries):
    agencies = Agency.objects.all()
    establishment = establishment_for(agency_ids=agencies.values("id"), on=w.today)
    with django_assert_num_queries(1):
        short = analytics.most_short_staffed(agencies, establishment=establishment, limit=3)
    assert [(a.code, a.vacant) for a in short] == [("MOF", 3), ("JDWNRH", 2), ("DMS", 1)]


def test_people_due_back_from_leave_soon_are_listed_soonest_first(w):
    returning = analytics.on_leave_returning(Professional.objects.all(), today=w.today, within_days=90)
    assert [(p.first_name, p.expected_back, p.agency_name) for p in returning] == [
        ("Sonam", w.today + dt.timedelta(days=30), "Ministry of Health")
    ]


def test_superannuation_within_twelve_months(w):
    due = analytics.superannuation_list(Professional.objects.all(), today=w.today, months=12)
    assert [p.first_name for p in due] == ["Tshering"]
    assert analytics.superannuating_within(Professional.objects.all(), today=w.today, months=24).count() == 2


def test_exits_per_year_cover_every_year_and_scope_by_the_agency_left(w, django_assert_num_queries):
    with django_assert_num_queries(1):
        years = analytics.exits_per_year(years=10, today=w.today)
    assert [y.year for y in years] == list(range(w.today.year - 9, w.today.year + 1))
    by_year = {y.year: y.counts for y in years}
    assert by_year[w.left_moh.year]["resignation"] == 1
    assert by_year[w.left_mof.year]["retirement"] == 1
    assert sum(y.total for y in years) == 2

    from_moh = analytics.exits_per_year(years=10, today=w.today, agencies=Agency.objects.subtree(w.MOH.pk))
    assert sum(y.total for y in from_moh) == 1
    assert {y.year: y.total for y in from_moh}[w.left_moh.year] == 1


def test_the_summary_agrees_with_the_separate_figures_in_four_queries(w, django_assert_num_queries):
    people = Professional.objects.all()
    with django_assert_num_queries(4):
        summary = analytics.headcount_summary(people)
    assert summary.totals == analytics.headcount_totals(people)
    assert summary.by_agency_kind == analytics.headcount_by(people, "agency_kind")
    assert summary.by_track == analytics.headcount_by(people, "track")
    assert summary.by_grade == analytics.headcount_by(people, "grade")
    assert summary.totals["in_service"] == 7


def test_the_figures_cost_the_same_queries_whatever_the_data_size(w, ref, django_assert_num_queries):
    def run():
        people, agencies = Professional.objects.all(), Agency.objects.all()
        analytics.headcount_totals(people)
        for dimension in ("agency_kind", "track", "grade"):
            analytics.headcount_by(people, dimension)
        establishment = establishment_for(agency_ids=agencies.values("id"), on=w.today)
        establishment.figures()
        analytics.most_short_staffed(agencies, establishment=establishment)
        analytics.on_leave_returning(people, today=w.today)
        analytics.superannuation_list(people, today=w.today)
        analytics.exits_per_year(years=10, today=w.today)

    with django_assert_num_queries(10):
        run()
    add_staff(w.MOF, ref, 15)
    with django_assert_num_queries(10):
        run()


def test_the_exits_chart_scales_bars_to_round_ticks(w):
    years = analytics.exits_per_year(years=3, today=w.today)
    chart = exits_chart(years, partial_year=w.today.year)
    assert [bar.label for bar in chart.bars] == [str(w.today.year - 2), str(w.today.year - 1), str(w.today.year)]
    assert chart.bars[-1].partial
    assert [t.value for t in chart.ticks] == [0, 1]
    full = [bar for bar in chart.bars if bar.total]
    assert all(bar.top == chart.top for bar in full)
