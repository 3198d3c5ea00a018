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

    @property
    def key(self) -> str:
        """Names what this scope sees, for caching what is the same for everyone with it."""
        if self.everything:
            return "all"
        if self.agency_id is not None:
            return f"agency-{self.agency_id}"
        return f"professional-{self.professional_id}"


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


def reference_write_refusal(user) -> str | None:
    """Why `user` may not change agencies, their ICT units and establishments or other reference
    data, or None if they may: division staff whose account is not read-only (and superusers)."""
    if not is_division(user):
        return "Only ICT Management Division staff change agencies, ICT units and sanctioned posts."
    if user.read_only and not user.is_superuser:
        return "Your division account is read-only: it may read agencies but not change them."
    return None


def record_write_refusal(user) -> str | None:
    """Why `user` may not create or change professionals and placements, or None if they may.

    Division staff may; so may API clients that are not read-only (an agency-scoped one only within
    its agency's subtree, which `visible_to` enforces). Agency ICT heads ask the division (the
    request workflows come with their own issues); HR officers and professionals only read.
    """
    scope = scope_for(user)
    if scope.nothing:
        return "Your account has no access to records. Ask the ICT Management Division to set its role and scope."
    if user.role == Role.API_CLIENT and user.read_only:
        return "This API client is read-only: it may read records but not create or change them."
    if not scope.may_write:
        if user.role == Role.HR_OFFICER:
            return "HR officers have read-only access: they may read records but not create or change them."
        return "Your account may read records but not create or change them."
    if user.is_superuser or user.role in (Role.DIVISION, Role.API_CLIENT):
        return None
    return "Agency ICT heads may not create or change these records directly; ask the ICT Management Division."


def professional_create_refusal(user) -> str | None:
    """Why `user` may not add new professionals, or None. An agency-scoped client sees only people
    placed in its agencies, so a person it created (not yet placed) would vanish from its view:
    new people are added by the division or a government-wide client, then placed."""
    refusal = record_write_refusal(user)
    if refusal is None and scope_for(user).agency_id is not None:
        return (
            "A client scoped to one agency may edit and place the professionals of its agencies but not add new "
            "ones: new professionals are added by the ICT Management Division or a government-wide client."
        )
    return refusal
