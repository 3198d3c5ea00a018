"""Scoped querysets of the competencies app: every list starts from `visible_to(user)`, which asks
`accounts.access.scope_for` (the one place deciding visibility)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.access import scope_for
from professionals.querysets import ProfessionalOwnedQuerySet


class AssessmentQuerySet(ProfessionalOwnedQuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)


class CertificationQuerySet(ProfessionalOwnedQuerySet):
    def valid_on(self, day: dt.date):
        return self.filter(issued_on__lte=day).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day))


class MembershipQuerySet(ProfessionalOwnedQuerySet):
    def current(self, day: dt.date | None = None):
        """Accepted memberships in force on `day` (today by default)."""
        day = day or timezone.localdate()
        return self.filter(state="accepted", since__lte=day).filter(Q(until__isnull=True) | Q(until__gte=day))


class AgencyOrPeopleQuerySet(models.QuerySet):
    """Rows that belong to an agency and name people (training requests, deployments). Division and
    HR: all. Agency-scoped accounts: those of their agencies and those naming someone placed in them.
    A professional: those naming them."""

    people_field = ""

    def visible_to(self, user):
        from agencies.querysets import scope_agency_ids

        scope = scope_for(user)
        if scope.everything:
            return self
        if scope.agency_id is not None:
            ids = scope_agency_ids(user, scope.agency_id)
            condition = Q(agency_id__in=ids) | Q(**{f"{self.people_field}__current_agency_id__in": ids})
        elif scope.professional_id is not None:
            condition = Q(**{self.people_field: scope.professional_id})
        else:
            return self.none()
        return self.filter(pk__in=self.model.objects.filter(condition).values("pk"))


class TrainingRequestQuerySet(AgencyOrPeopleQuerySet):
    people_field = "professionals"


class DeploymentQuerySet(AgencyOrPeopleQuerySet):
    people_field = "experts"
