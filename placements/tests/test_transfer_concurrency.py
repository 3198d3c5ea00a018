"""Twenty conflicting approvals or effects of one person's requests at the same moment, on real
PostgreSQL connections (one per thread): exactly one move happens, the others are refused with a
message, and the database constraints are never what stops them."""

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from accounts.factories import UserFactory
from accounts.models import Role
from agencies.factories import AgencyFactory, SanctionedPostFactory
from placements.factories import PlacementFactory, TransferRequestFactory
from placements.models import Placement, TransferRequest, TransferRule, TransferState
from placements.transfer_services import transfer_request_approve, transfer_request_effect
from professionals.factories import ProfessionalFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks across connections"),
]

CALLERS = 20


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("move", ["approve", "effect"])
def test_twenty_concurrent_conflicting_moves_of_one_person_leave_exactly_one_new_placement(ref, move):
    division = UserFactory(username="division-race", role=Role.DIVISION)
    # The conflicting requests exist because division staff switched the one-open-request rule off.
    TransferRule.objects.filter(code="one_open_request").update(is_active=False)
    title = ref.titles["ict-officer"]
    home = AgencyFactory(code="HOME", kind=ref.kinds["ministry"])
    person = ProfessionalFactory(position_title=title, first_appointment_date=dt.date(2010, 1, 1))
    PlacementFactory(professional=person, agency=home, position_title=title, start_date=dt.date(2015, 1, 1))
    today = timezone.localdate()
    state = TransferState.CONCURRED if move == "approve" else TransferState.APPROVED
    ids = []
    for n in range(CALLERS):
        destination = AgencyFactory(code=f"DEST{n:02d}", kind=ref.kinds["autonomous"])
        SanctionedPostFactory(agency=destination, position_title=title, number=3)
        ids.append(
            TransferRequestFactory(
                professional=person,
                releasing_agency=home,
                receiving_agency=destination,
                position_title=title,
                proposed_effective_date=today,
                effective_date=today if state == TransferState.APPROVED else None,
                state=state,
            ).pk
        )

    barrier = threading.Barrier(CALLERS)

    def call(request_id: int) -> str:
        try:
            barrier.wait(timeout=30)
            if move == "approve":
                transfer_request_approve(request_id=request_id, actor=division, effective_date=today)
            else:
                transfer_request_effect(request_id=request_id, actor=division)
            return "done"
        except ValidationError as error:
            return "refused: " + " ".join(error.messages)
        except Exception as error:  # an IntegrityError or a deadlock would be a failure of the design
            return f"error: {type(error).__name__}: {error}"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=CALLERS) as pool:
        outcomes = list(pool.map(call, ids))

    assert outcomes.count("done") == 1, outcomes
    refused = [o for o in outcomes if o.startswith("refused: ")]
    assert len(refused) == CALLERS - 1, outcomes
    # Each loser saw the winner's committed move under the lock: the person has moved (or, for an
    # approval, their new placement starts on the very day this one would take effect).
    reasons = ("already leaving", "has moved since", "the move must take effect after that day")
    assert all(any(reason in o for reason in reasons) for o in refused), refused
    open_placements = Placement.objects.filter(professional=person, end_date__isnull=True)
    assert open_placements.count() == 1
    effected = TransferRequest.objects.get(state=TransferState.EFFECTED)
    assert open_placements.get() == effected.effected_placement
    assert open_placements.get().agency_id == effected.receiving_agency_id
    assert Placement.objects.filter(professional=person).count() == 2
