"""Shortcuts for the transfer tests: make a request through the services, as a given user."""

import datetime as dt

from django.test import TestCase

from placements.transfer_services import (
    transfer_request_approve,
    transfer_request_concur,
    transfer_request_create,
    transfer_request_submit,
)


def committed():
    """Run what the services queue with on_commit (emails, the PDF) when the block ends, as a
    real commit would; the test's own transaction never commits."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def draft(world, actor=None, *, days_ahead: int = 60, **fields):
    values = {
        "kind": "transfer",
        "professional_id": world.person.pk,
        "receiving_agency": world.moh,
        "position_title": world.officer,
        "reason": "MOH needs an ICT Officer for its health information system.",
        "proposed_effective_date": world.today + dt.timedelta(days=days_ahead),
    }
    values.update(fields)
    with committed():
        return transfer_request_create(actor=actor or world.users.head_mof, **values)


def submitted(world, actor=None, **fields):
    request = draft(world, actor, **fields)
    with committed():
        return transfer_request_submit(request_id=request.pk, actor=actor or world.users.head_mof)


def concurred(world, **fields):
    request = submitted(world, **fields)
    with committed():
        return transfer_request_concur(request_id=request.pk, actor=world.users.head_moh)


def approved(world, *, effective_date=None, **fields):
    request = concurred(world, **fields)
    with committed():
        return transfer_request_approve(
            request_id=request.pk, actor=world.users.division, effective_date=effective_date
        )


def last_reason(request) -> str:
    return request.history.order_by("-history_id").first().history_change_reason


def add_submitted_requests(world, count: int) -> None:
    """`count` more submitted requests, each for another MOF officer, written as rows (for query counts)."""
    from placements.factories import PlacementFactory, TransferRequestFactory
    from placements.models import TransferState

    for _ in range(count):
        person = PlacementFactory(agency=world.mof, start_date=dt.date(2016, 1, 1)).professional
        TransferRequestFactory(
            professional=person, releasing_agency=world.mof, receiving_agency=world.moh, state=TransferState.SUBMITTED
        )


def form_data(world, **fields) -> dict:
    """The new-request form, filled in for Karma's transfer from MOF to MOH."""
    return {
        "kind": "transfer",
        "employee_id": world.person.employee_id,
        "receiving_agency": "MOH",
        "position_title": "ict-officer",
        "proposed_effective_date": (world.today + dt.timedelta(days=30)).isoformat(),
        "reason": "Health information system",
        **fields,
    }
