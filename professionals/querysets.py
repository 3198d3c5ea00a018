from __future__ import annotations

from django.db import models

from accounts.access import scope_for


class ProfessionalQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProfessionalQuerySet:
        """Division staff and HR officers: everyone. Agency heads: the people whose current
        placement is in their agency's subtree. A professional: themselves."""
        from agencies.querysets import scope_agency_ids

        scope = scope_for(user)
        if scope.everything:
            return self
        if scope.agency_id is not None:
            return self.filter(current_agency_id__in=scope_agency_ids(user, scope.agency_id))
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
