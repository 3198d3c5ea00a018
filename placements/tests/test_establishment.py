"""The establishment and its one vacancy formula (placements.establishment): sanctioned - filled -
approved incoming + approved outgoing, per agency and title, summed without letting one title's
surplus fill another's shortfall; which approved moves count on which day; two queries."""

import datetime as dt

import pytest

from agencies.models import Agency
from placements.establishment import establishment_for, vacancy_at
from placements.factories import PlacementFactory, TransferRequestFactory
from placements.models import Placement, TransferKind, TransferState
from professionals.factories import ProfessionalFactory
from tests.workforce_data import add_staff, build_workforce

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(agency_tree, ref):
    return build_workforce(agency_tree, ref)


def approved_move(person_placement, to, title, *, on, kind=TransferKind.TRANSFER, state=TransferState.APPROVED):
    """An approved request for the person of `person_placement` (None: a first posting)."""
    return TransferRequestFactory(
        kind=kind,
        professional=person_placement.professional if person_placement else ProfessionalFactory(),
        releasing_agency=person_placement.agency if person_placement else None,
        receiving_agency=to,
        position_title=title,
        state=state,
        effective_date=on,
    )


def test_vacancies_follow_the_establishment_title_by_title(w):
    agencies = establishment_for(agency_ids=Agency.objects.values("id"), on=w.today).set_on(list(Agency.objects.all()))
    by_code = {a.code: a for a in agencies}
    # MOH: two seniors on one senior post do not fill its vacant officer post.
    moh = by_code["MOH"]
    assert (moh.sanctioned, moh.filled, moh.incoming, moh.outgoing, moh.vacant, moh.over) == (4, 4, 0, 0, 1, 1)
    assert (by_code["JDWNRH"].vacant, by_code["MOF"].vacant) == (2, 3)
    assert (by_code["DZ-PARO"].sanctioned, by_code["DZ-PARO"].vacant, by_code["DZ-PARO"].over) == (0, 0, 1)


def test_the_figures_of_a_set_of_agencies_add_up_in_two_queries(w, django_assert_num_queries):
    with django_assert_num_queries(2):
        everything = establishment_for(agency_ids=Agency.objects.values("id"), on=w.today).figures()
    assert everything == {"sanctioned": 12, "filled": 7, "incoming": 0, "outgoing": 0, "vacant": 7, "over": 2}
    moh_subtree = establishment_for(agency_ids=Agency.objects.subtree(w.MOH.pk).values("id"), on=w.today)
    assert moh_subtree.figures() == {"sanctioned": 8, "filled": 5, "incoming": 0, "outgoing": 0, "vacant": 4, "over": 1}


def test_the_establishment_table_has_a_row_per_title_sanctioned_held_or_moved_to(w, ref):
    approved_move(None, w.MOH, ref.titles["ict-technical-associate"], on=w.today + dt.timedelta(days=10))
    rows = {
        r.title: (r.sanctioned, r.filled, r.incoming, r.vacant, r.over)
        for r in establishment_for(agency_ids=[w.MOH.pk], on=w.today).by_title(w.MOH.pk)
    }
    assert rows == {
        "ICT Officer": (3, 2, 0, 1, 0),
        "ICT Technical Associate": (0, 0, 1, 0, 1),
        "Senior ICT Officer": (1, 2, 0, 0, 1),
    }
    paro = establishment_for(agency_ids=[w.agencies["DZ-PARO"].pk], on=w.today).by_title(w.agencies["DZ-PARO"].pk)
    assert [(r.title, r.sanctioned, r.filled, r.over) for r in paro] == [("ICT Technical Associate", 0, 1, 1)]


def test_arrivals_count_whatever_their_date_and_departures_from_their_date(w, ref):
    officer = ref.titles["ict-officer"]
    leaving = w.people.moh_officer.placements.get(end_date__isnull=True)
    approved_move(None, w.MOH, officer, on=w.today + dt.timedelta(days=200))
    approved_move(leaving, w.MOF, officer, on=w.today + dt.timedelta(days=30))

    def moh_officer_posts(on):
        return vacancy_at(agency_id=w.MOH.pk, position_title_id=officer.pk, on=on).figures()

    # 3 sanctioned, 2 filled, 1 arriving in 200 days: the post is promised already.
    assert moh_officer_posts(w.today) == {
        "sanctioned": 3,
        "filled": 2,
        "incoming": 1,
        "outgoing": 0,
        "vacant": 0,
        "over": 0,
    }
    assert moh_officer_posts(w.today + dt.timedelta(days=29))["vacant"] == 0
    assert moh_officer_posts(w.today + dt.timedelta(days=30)) == {
        "sanctioned": 3,
        "filled": 2,
        "incoming": 1,
        "outgoing": 1,
        "vacant": 1,
        "over": 0,
    }
    # MOF receives the leaver (in the request's title) from the approval on.
    mof = establishment_for(agency_ids=[w.MOF.pk], on=w.today).figures(w.MOF.pk)
    assert (mof["filled"], mof["incoming"], mof["vacant"]) == (1, 1, 2)


def test_a_departure_frees_the_title_the_leaver_holds_not_the_title_they_go_to(w, ref):
    senior = w.people.moh_senior2.placements.get(end_date__isnull=True)
    approved_move(senior, w.MOF, ref.titles["ict-officer"], on=w.today)
    rows = {r.title: r for r in establishment_for(agency_ids=[w.MOH.pk], on=w.today).by_title(w.MOH.pk)}
    assert (rows["Senior ICT Officer"].outgoing, rows["Senior ICT Officer"].over) == (1, 0)
    assert (rows["ICT Officer"].outgoing, rows["ICT Officer"].vacant) == (0, 1)


@pytest.mark.parametrize(
    "state",
    [
        TransferState.DRAFT,
        TransferState.SUBMITTED,
        TransferState.CONCURRED,
        TransferState.REJECTED,
        TransferState.WITHDRAWN,
        TransferState.CANCELLED,
    ],
)
def test_only_approved_moves_count(w, ref, state):
    officer = ref.titles["ict-officer"]
    approved_move(None, w.MOF, officer, on=w.today, state=state)
    approved_move(w.people.mof_officer.placements.get(end_date__isnull=True), w.MOH, officer, on=w.today, state=state)
    figures = establishment_for(agency_ids=Agency.objects.values("id"), on=w.today).figures()
    assert (figures["incoming"], figures["outgoing"], figures["vacant"]) == (0, 0, 7)


def test_an_effected_move_counts_once_as_filled(w, ref):
    officer = ref.titles["ict-officer"]
    placement = PlacementFactory(agency=w.MOF, position_title=officer, start_date=w.today)
    TransferRequestFactory(
        kind=TransferKind.PLACEMENT,
        professional=placement.professional,
        receiving_agency=w.MOF,
        position_title=officer,
        state=TransferState.EFFECTED,
        effective_date=w.today,
        effected_placement=placement,
    )
    figures = establishment_for(agency_ids=[w.MOF.pk], on=w.today).figures(w.MOF.pk)
    assert (figures["filled"], figures["incoming"], figures["vacant"]) == (2, 0, 2)


def test_the_request_being_checked_is_left_out(w, ref):
    officer = ref.titles["ict-officer"]
    request = approved_move(None, w.MOF, officer, on=w.today)
    assert vacancy_at(agency_id=w.MOF.pk, position_title_id=officer.pk, on=w.today).incoming == 1
    left_out = vacancy_at(agency_id=w.MOF.pk, position_title_id=officer.pk, on=w.today, exclude_request_id=request.pk)
    assert (left_out.incoming, left_out.vacant) == (0, 3)


def test_the_queries_do_not_grow_with_people_or_moves(w, ref, django_assert_num_queries):
    officer = ref.titles["ict-officer"]
    with django_assert_num_queries(2):
        establishment_for(agency_ids=Agency.objects.values("id"), on=w.today).by_agency()
    add_staff(w.MOF, ref, 6)
    for placement in Placement.objects.filter(agency=w.MOF, professional__first_name__startswith="Extra")[:3]:
        approved_move(placement, w.MOH, officer, on=w.today)
    for _ in range(3):
        approved_move(None, w.MOF, officer, on=w.today + dt.timedelta(days=90))
    with django_assert_num_queries(2):
        figures = establishment_for(agency_ids=Agency.objects.values("id"), on=w.today).figures()
    assert (figures["filled"], figures["incoming"], figures["outgoing"]) == (13, 6, 3)
