"""Who sees which report runs: `accounts.access.scope_for` decides, this applies it.

Division staff, HR officers and government-wide API clients see every run (they may run any
report themselves). An agency ICT head, or an agency-scoped client, sees the runs they asked
for: a run's file covers its requester's scope, so a colleague's run may cover more than theirs.
Professionals run no reports.
"""

from __future__ import annotations

from django.db import models

from accounts.access import scope_for


class ReportRunQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReportRunQuerySet:
        scope = scope_for(user)
        if scope.everything:
            return self
        if scope.agency_id is not None:
            return self.filter(requested_by_id=user.pk)
        return self.none()
