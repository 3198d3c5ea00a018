from __future__ import annotations

from django.db import models
from django.db.models import Q

from accounts.access import is_division, scope_for


class PlacementQuerySet(models.QuerySet):
    def current(self) -> PlacementQuerySet:
        return self.filter(end_date__isnull=True)

    def visible_to(self, user) -> PlacementQuerySet:
        """Division staff and HR officers: all. Agency heads: postings to their subtree, and the
        whole history of the people currently placed there. A professional: their own."""
        from agencies.querysets import scope_agency_ids

        scope = scope_for(user)
        if scope.everything:
            return self
        if scope.agency_id is not None:
            agency_ids = scope_agency_ids(user, scope.agency_id)
            return self.filter(Q(agency_id__in=agency_ids) | Q(professional__current_agency_id__in=agency_ids))
        if scope.professional_id is not None:
            return self.filter(professional_id=scope.professional_id)
        return self.none()


def _agency_scope_q(user, *fields: str) -> Q:
    """Rows whose agency in any of `fields` lies in the user's agency subtree."""
    from agencies.querysets import scope_agency_ids

    subtree = scope_agency_ids(user, scope_for(user).agency_id)
    q = Q()
    for name in fields:
        q |= Q(**{f"{name}__in": subtree})
    return q


class TransferRequestQuerySet(models.QuerySet):
    def open(self) -> TransferRequestQuerySet:
        from .models import OPEN_STATES

        return self.filter(state__in=OPEN_STATES)

    def visible_to(self, user) -> TransferRequestQuerySet:
        """Division staff: all. HR officers and government-wide clients: all but others' drafts.
        Agency heads (and agency-scoped clients): requests into or out of their subtree. A
        professional: their own. Until it is submitted, a draft is seen only by division staff,
        whoever wrote it and the rest of its author's side (the heads whose subtree holds the
        asking agency, or the professional who asked)."""
        from .models import RequesterSide, TransferState

        scope = scope_for(user)
        if is_division(user):
            return self
        own_or_submitted = ~Q(state=TransferState.DRAFT) | Q(requested_by_id=user.pk)
        if scope.everything:
            return self.filter(own_or_submitted)
        if scope.agency_id is not None:
            from agencies.querysets import scope_agency_ids

            subtree = scope_agency_ids(user, scope.agency_id)
            releasing, receiving = Q(releasing_agency_id__in=subtree), Q(receiving_agency_id__in=subtree)
            own_side = (Q(requester_side=RequesterSide.RELEASING) & releasing) | (
                Q(requester_side=RequesterSide.RECEIVING) & receiving
            )
            return self.filter(releasing | receiving).filter(own_or_submitted | own_side)
        if scope.professional_id is not None:
            own_side = Q(requester_side=RequesterSide.PROFESSIONAL)
            return self.filter(professional_id=scope.professional_id).filter(own_or_submitted | own_side)
        return self.none()


class OfficeOrderQuerySet(models.QuerySet):
    def visible_to(self, user) -> OfficeOrderQuerySet:
        """An office order is seen by whoever sees one of the moves it orders: division staff and
        HR officers all; agency heads those moving people into or out of their subtree; a
        professional the orders that name them."""
        from .models import OfficeOrderEntry

        scope = scope_for(user)
        if scope.everything:
            return self
        if scope.agency_id is not None:
            entries = OfficeOrderEntry.objects.filter(_agency_scope_q(user, "from_agency_id", "to_agency_id"))
        elif scope.professional_id is not None:
            entries = OfficeOrderEntry.objects.filter(professional_id=scope.professional_id)
        else:
            return self.none()
        return self.filter(id__in=entries.values("order_id"))
