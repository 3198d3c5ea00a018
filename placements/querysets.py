from __future__ import annotations

from django.db import models
from django.db.models import Q

from accounts.access import scope_for


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
