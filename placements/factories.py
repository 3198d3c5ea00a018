import datetime as dt

import factory

from .models import Placement, RequesterSide, TransferKind, TransferRequest, TransferState


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    professional = factory.SubFactory("professionals.factories.ProfessionalFactory")
    agency = factory.SubFactory("agencies.factories.AgencyFactory")
    start_date = dt.date(2020, 1, 1)
    end_date = None


class TransferRequestFactory(factory.django.DjangoModelFactory):
    """A request row as the database holds it (no rules checked); tests of the workflow call the services."""

    class Meta:
        model = TransferRequest

    kind = TransferKind.TRANSFER
    professional = factory.SubFactory("professionals.factories.ProfessionalFactory")
    receiving_agency = factory.SubFactory("agencies.factories.AgencyFactory")
    position_title = factory.SubFactory("professionals.factories.PositionTitleFactory")
    reason = "Strengthen the receiving agency's ICT unit."
    proposed_effective_date = dt.date(2027, 1, 1)
    requester_side = RequesterSide.DIVISION
    concurrence_from = RequesterSide.RECEIVING
    state = TransferState.DRAFT
