"""The one place that decides what each role may see and do (DESIGN.md, "Users and what each may do").

Every `visible_to(user)` queryset method asks `scope_for(user)` and applies the answer; nothing
else in the code base looks at `user.role` to decide visibility.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Role


@dataclass(frozen=True)
class Scope:
    """What one user may see.

    - `everything`: every row (division staff, HR officers, government-wide API clients).
    - `agency_id`: only this agency and its whole subtree.
    - `professional_id`: only this professional's own record.
    - `nothing`: anonymous or misconfigured accounts.
    """

    everything: bool = False
    agency_id: int | None = None
    professional_id: int | None = None
    may_write: bool = False
    sees_national_ids: bool = False

    @property
    def nothing(self) -> bool:
        return not self.everything and self.agency_id is None and self.professional_id is None


NO_ACCESS = Scope()


def scope_for(user) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    role = user.role
    if user.is_superuser or role == Role.DIVISION:
        return Scope(everything=True, may_write=not user.read_only, sees_national_ids=True)
    if role == Role.HR_OFFICER:
        return Scope(everything=True, may_write=False, sees_national_ids=user.can_view_national_ids)
    if role == Role.AGENCY_HEAD:
        if user.agency_id is None:
            return NO_ACCESS
        return Scope(
            agency_id=user.agency_id, may_write=not user.read_only, sees_national_ids=user.can_view_national_ids
        )
    if role == Role.API_CLIENT:
        # A client issued for one agency sees what that agency's ICT head sees; one issued
        # without an agency serves a government-wide system (e.g. the civil-service HR system).
        if user.agency_id is not None:
            return Scope(
                agency_id=user.agency_id,
                may_write=not user.read_only,
                sees_national_ids=user.can_view_national_ids,
            )
        return Scope(everything=True, may_write=not user.read_only, sees_national_ids=user.can_view_national_ids)
    if role == Role.PROFESSIONAL:
        if user.professional_id is None:
            return NO_ACCESS
        return Scope(professional_id=user.professional_id, may_write=False, sees_national_ids=True)
    return NO_ACCESS


def is_division(user) -> bool:
    """Division staff (and superusers) may manage reference data and every record."""
    return bool(user and user.is_authenticated and user.is_active and (user.is_superuser or user.role == Role.DIVISION))
