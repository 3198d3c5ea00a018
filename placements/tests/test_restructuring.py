"""Dissolving an agency into its successor moves its staff and its open requests in one go."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from placements.factories import PlacementFactory, TransferRequestFactory
from placements.models import OfficeOrder, Placement, PlacementKind, TransferState
from placements.transfer_services import agency_restructure

from .test_office_orders import pdf_text
from .transfer_helpers import committed

pytestmark = pytest.mark.django_db


@pytest.fixture
def merger(transfer_world):
    """MOF merges into DZ-PARO: Karma and two colleagues work at MOF; three open requests touch it."""
    w = transfer_world
    colleagues = [
        PlacementFactory(agency=w.mof, position_title=w.officer, start_date=dt.date(2018, 3, 1)).professional
        for _ in range(2)
    ]
    paro = w.agencies["DZ-PARO"]
    outgoing = TransferRequestFactory(
        professional=colleagues[0], releasing_agency=w.mof, receiving_agency=w.moh, state=TransferState.SUBMITTED
    )
    incoming = TransferRequestFactory(
        professional=PlacementFactory(agency=w.moh, start_date=dt.date(2017, 1, 1)).professional,
        releasing_agency=w.moh,
        receiving_agency=w.mof,
        state=TransferState.CONCURRED,
    )
    pointless = TransferRequestFactory(
        professional=PlacementFactory(agency=paro, start_date=dt.date(2017, 1, 1)).professional,
        releasing_agency=paro,
        receiving_agency=w.mof,
        state=TransferState.SUBMITTED,
    )
    return w, paro, colleagues, outgoing, incoming, pointless


def test_restructuring_moves_everyone_and_redirects_open_requests_under_one_order(merger):
    w, paro, colleagues, outgoing, incoming, pointless = merger
    day = w.today
    with committed():
        result = agency_restructure(agency_id=w.mof.pk, successor=paro, effective_date=day, actor=w.users.division)
    assert (result.placements_moved, result.requests_redirected, result.requests_cancelled) == (3, 2, 1)
    w.mof.refresh_from_db()
    assert (w.mof.dissolved_on, w.mof.successor) == (day, paro)
    for person in [w.person, *colleagues]:
        current = Placement.objects.get(professional=person, end_date__isnull=True)
        assert (current.agency, current.kind, current.start_date) == (paro, PlacementKind.RESTRUCTURING, day)
        assert current.office_order_number == result.office_order.number
        assert current.history.first().history_user == w.users.division
    assert not Placement.objects.filter(agency=w.mof, end_date__isnull=True).exists()
    outgoing.refresh_from_db()
    incoming.refresh_from_db()
    pointless.refresh_from_db()
    assert (outgoing.releasing_agency, outgoing.state) == (paro, TransferState.SUBMITTED)
    assert (incoming.receiving_agency, incoming.state) == (paro, TransferState.CONCURRED)
    assert pointless.state == TransferState.CANCELLED
    assert "within one agency" in pointless.events.get(action="restructure").note
    assert outgoing.history.order_by("-history_id").first().history_change_reason == "Restructuring"
    order = OfficeOrder.objects.get()
    assert order.entries.count() == 3
    text = pdf_text(order)
    assert order.number in text and "Karma Wangchuk" in text and colleagues[1].full_name in text


def test_restructuring_is_all_or_nothing(merger):
    w, paro, colleagues, *_ = merger
    # One placement at MOF started after the chosen date: nothing at all may change.
    late = PlacementFactory(agency=w.mof, start_date=w.today)
    with pytest.raises(ValidationError, match="Choose a later date"):
        agency_restructure(
            agency_id=w.mof.pk, successor=paro, effective_date=w.today - dt.timedelta(days=1), actor=w.users.division
        )
    w.mof.refresh_from_db()
    assert w.mof.dissolved_on is None
    assert Placement.objects.filter(agency=w.mof, end_date__isnull=True).count() == 4
    assert not OfficeOrder.objects.exists()
    assert late.end_date is None


def test_only_division_staff_restructure(merger):
    w, paro, *_ = merger
    with pytest.raises(PermissionDenied):
        agency_restructure(agency_id=w.mof.pk, successor=paro, effective_date=w.today, actor=w.users.head_mof)


def test_an_agency_dissolved_into_another_successor_is_refused(merger):
    w, paro, *_ = merger
    w.mof.dissolved_on, w.mof.successor = w.today, w.moh
    w.mof.save()
    with pytest.raises(ValidationError, match="was dissolved into Ministry of Health"):
        agency_restructure(agency_id=w.mof.pk, successor=paro, effective_date=w.today, actor=w.users.division)


def test_restructuring_from_the_portal(merger, client):
    w, paro, *_ = merger
    client.force_login(w.users.division)
    assert client.get("/transfers/restructure/").status_code == 200
    response = client.post(
        "/transfers/restructure/",
        {"agency": "MOF", "successor": "DZ-PARO", "effective_date": w.today.isoformat()},
        follow=True,
    )
    assert "3 placement(s) moved under office order ICT/" in response.content.decode()
    same = client.post("/transfers/restructure/", {"agency": "MOH", "successor": "MOH", "effective_date": "2026-01-01"})
    assert "The successor must be another agency." in same.content.decode()
