from __future__ import annotations

from django.db import models

from accounts.access import scope_for


class ProfessionalQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProfessionalQuerySet:
        """Division staff and HR officers: everyone. Agency heads: the people whose current
        placement is in their agency's subtree. A professional: themselves."""
        from agencies.querysets import subtree_ids_sql

        scope = scope_for(user)
        if scope.everything:
            return self
        if scope.agency_id is not None:
            # The database allows one open placement per person, so this join adds no duplicates.
            return self.filter(
                placements__end_date__isnull=True,
                placements__agency_id__in=subtree_ids_sql([scope.agency_id]),
            )
        if scope.professional_id is not None:
            return self.filter(pk=scope.professional_id)
        return self.none()

    def in_service(self) -> ProfessionalQuerySet:
        from .models import IN_SERVICE_STATUSES

        return self.filter(status__in=IN_SERVICE_STATUSES)


class ProfessionalOwnedQuerySet(models.QuerySet):
    """History rows of one professional (status events, grade changes, qualifications): visible
    exactly when their professional is."""

    def visible_to(self, user):
        from .models import Professional

        scope = scope_for(user)
        if scope.everything:
            return self
        return self.filter(professional__in=Professional.objects.visible_to(user).values("id"))
