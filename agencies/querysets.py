from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models.expressions import RawSQL

from accounts.access import scope_for


def subtree_ids_sql(root_ids: Iterable[int]) -> RawSQL:
    """A subquery of the ids of these agencies and everything below them, in one SQL query.

    A recursive CTE over `parent_id` keeps the parent link the only truth (no stored path to keep
    in step); PostgreSQL and SQLite both run it, and it is cheap: agencies number in the hundreds.
    """
    from .models import Agency

    ids = [int(i) for i in root_ids]
    table = Agency._meta.db_table
    if not ids:
        return RawSQL(f"SELECT id FROM {table} WHERE 1 = 0", [])
    placeholders = ", ".join(["%s"] * len(ids))
    sql = (
        f"WITH RECURSIVE subtree(id) AS ("
        f"SELECT id FROM {table} WHERE id IN ({placeholders}) "
        f"UNION SELECT child.id FROM {table} child JOIN subtree ON child.parent_id = subtree.id"
        f") SELECT id FROM subtree"
    )
    return RawSQL(sql, ids)


class AgencyQuerySet(models.QuerySet):
    def subtree(self, *root_ids: int) -> AgencyQuerySet:
        """These agencies and all their descendants."""
        return self.filter(id__in=subtree_ids_sql(root_ids))

    def active(self) -> AgencyQuerySet:
        return self.filter(dissolved_on__isnull=True)

    def visible_to(self, user) -> AgencyQuerySet:
        scope = scope_for(user)
        if scope.everything:
            return self
        if scope.agency_id is not None:
            return self.subtree(scope.agency_id)
        if scope.professional_id is not None:
            return self.filter(placements__professional_id=scope.professional_id, placements__end_date__isnull=True)
        return self.none()


class AgencyScopedQuerySet(models.QuerySet):
    """For rows that belong to one agency (ICT units, sanctioned posts): visible with their agency."""

    agency_field = "agency"

    def visible_to(self, user):
        from .models import Agency

        scope = scope_for(user)
        if scope.everything:
            return self
        return self.filter(**{f"{self.agency_field}__in": Agency.objects.visible_to(user).values("id")})
