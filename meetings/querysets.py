"""Who sees which events, invitations and action items: `accounts.access.scope_for` decides, these
methods apply it.

- Division staff, HR officers, government-wide API clients: everything.
- An agency ICT head (or agency-scoped client): the events to which an agency of their subtree is
  invited, those invitations, and the action items their subtree owns (by agency, or by a person
  placed in it).
- A professional: the events they are invited to, their own invitation and the items they own.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When

from accounts.access import scope_for


def _subtree(user, agency_id: int) -> list[int]:
    from agencies.querysets import scope_agency_ids

    return scope_agency_ids(user, agency_id)


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user) -> InvitationQuerySet:
        scope = scope_for(user)
        if scope.everything:
            return self
        if scope.agency_id is not None:
            return self.filter(agency_id__in=_subtree(user, scope.agency_id))
        if scope.professional_id is not None:
            return self.filter(professional_id=scope.professional_id)
        return self.none()


class EventQuerySet(models.QuerySet):
    def visible_to(self, user) -> EventQuerySet:
        from .models import Invitation

        scope = scope_for(user)
        if scope.everything:
            return self
        if scope.nothing:
            return self.none()
        return self.filter(id__in=Invitation.objects.visible_to(user).values("event_id"))


class EventScopedQuerySet(models.QuerySet):
    """Rows that belong to one event (agenda items, minutes): visible with their event."""

    def visible_to(self, user):
        from .models import Event

        if scope_for(user).everything:
            return self
        return self.filter(event_id__in=Event.objects.visible_to(user).values("id"))


class ActionItemQuerySet(models.QuerySet):
    def visible_to(self, user) -> ActionItemQuerySet:
        from professionals.models import Professional

        scope = scope_for(user)
        if scope.everything:
            return self
        if scope.agency_id is not None:
            people = Professional.objects.visible_to(user).values("id")
            return self.filter(
                Q(owner_agency_id__in=_subtree(user, scope.agency_id)) | Q(owner_professional_id__in=people)
            )
        if scope.professional_id is not None:
            return self.filter(owner_professional_id=scope.professional_id)
        return self.none()

    def open(self) -> ActionItemQuerySet:
        from .models import OPEN_ACTION_STATUSES

        return self.filter(status__in=OPEN_ACTION_STATUSES)

    def overdue(self, today: dt.date) -> ActionItemQuerySet:
        return self.open().filter(due_date__lt=today)

    def overdue_first(self, today: dt.date) -> ActionItemQuerySet:
        """Overdue items first, then the other open ones by due date, then done and dropped ones."""
        from .models import OPEN_ACTION_STATUSES

        open_statuses = [s.value for s in OPEN_ACTION_STATUSES]
        return self.annotate(
            urgency=Case(
                When(status__in=open_statuses, due_date__lt=today, then=Value(0)),
                When(status__in=open_statuses, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        ).order_by("urgency", "due_date", "id")
