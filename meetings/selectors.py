"""Reads on meetings for the portal and the API. Everything starts from `visible_to(user)`; what a
user may not see answers 404 (`event_get`, `action_item_get`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils import timezone

from accounts.access import is_division, scope_for

from .models import (
    ActionItem,
    ActionItemNote,
    AgendaItem,
    Event,
    EventStatus,
    Invitation,
    Minutes,
    MinutesStatus,
    Rsvp,
)
from .permissions import may_manage_events, may_update_action_items


def may_answer_invitations(user) -> bool:
    """Invitees answer for themselves; agency ICT heads for the invitees of their agencies; division
    staff record answers given by phone. HR officers and read-only accounts do not answer."""
    scope = scope_for(user)
    if scope.nothing:
        return False
    return scope.professional_id is not None or scope.may_write


# ---------------------------------------------------------------------------------------------
# Events


def event_counts(queryset: QuerySet[Event]) -> QuerySet[Event]:
    """Invited, accepted and attended per event, in the same query as the events."""
    return queryset.annotate(
        invited_count=Count("invitations"),
        accepted_count=Count("invitations", filter=Q(invitations__rsvp=Rsvp.ACCEPTED)),
        attended_count=Count("invitations", filter=Q(invitations__attended=True)),
    )


def event_list(*, user, when: str = "upcoming", kind: str = "", status: str = "", year: int | None = None):
    """Events `user` may see, with their counts: upcoming ones soonest first, past ones latest first."""
    now = timezone.now()
    events = event_counts(Event.objects.visible_to(user).select_related("kind"))
    if kind:
        events = events.filter(kind__code=kind)
    if status:
        events = events.filter(status=status)
    if year:
        events = events.filter(starts_at__year=year)
    if when == "past":
        return events.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    if when == "upcoming":
        return events.filter(ends_at__gte=now).order_by("starts_at", "id")
    return events.order_by("-starts_at", "-id")


def event_get(*, user, pk: int) -> Event:
    event = Event.objects.visible_to(user).select_related("kind", "organiser").filter(pk=pk).first()
    if event is None:
        raise Http404("No such event.")
    return event


def event_get_for_change(*, user, pk: int) -> Event:
    """404 when `user` may not see the event, 403 when they may see but not manage it."""
    from .permissions import require_event_manager

    event = event_get(user=user, pk=pk)
    require_event_manager(user)
    return event


@dataclass
class EventPage:
    event: Event
    agenda: list[AgendaItem]
    invitations: list[Invitation]
    counts: dict[str, int]
    minutes: Minutes | None
    action_items: list[ActionItem]
    answerable: list[Invitation]
    may_manage: bool
    sees_all_invitees: bool
    today: dt.date = field(default_factory=timezone.localdate)


def event_page(*, user, event: Event) -> EventPage:
    """Everything the event page shows, in a fixed number of queries whatever the number of invitees.

    Agency heads see the invitees of their agencies (and the totals); professionals their own
    invitation. Draft minutes are for division staff until approved.
    """
    scope = scope_for(user)
    invitations = list(
        Invitation.objects.visible_to(user)
        .filter(event=event)
        .select_related("professional", "agency")
        .order_by("agency__name", "professional__first_name", "professional__last_name", "guest_name", "id")
    )
    totals = event.invitations.aggregate(
        invited=Count("id"),
        accepted=Count("id", filter=Q(rsvp=Rsvp.ACCEPTED)),
        declined=Count("id", filter=Q(rsvp=Rsvp.DECLINED)),
        tentative=Count("id", filter=Q(rsvp=Rsvp.TENTATIVE)),
        pending=Count("id", filter=Q(rsvp=Rsvp.PENDING)),
        present=Count("id", filter=Q(attended=True)),
        recorded=Count("id", filter=Q(attended__isnull=False)),
    )
    minutes = Minutes.objects.filter(event=event).select_related("approved_by").first()
    manage = may_manage_events(user)
    if minutes is not None and minutes.status != MinutesStatus.APPROVED and not is_division(user):
        minutes = None
    # Division staff see every invitee and answer nobody's invitation from this page; invitees and
    # agency heads answer theirs while the event is planned and not over.
    open_for_answers = event.status == EventStatus.PLANNED and event.ends_at > timezone.now()
    answerable = invitations if open_for_answers and not scope.everything and may_answer_invitations(user) else []
    return EventPage(
        event=event,
        agenda=list(AgendaItem.objects.filter(event=event).order_by("position")),
        invitations=invitations,
        counts=totals,
        minutes=minutes,
        action_items=list(
            ActionItem.objects.visible_to(user)
            .filter(event=event)
            .select_related("owner_agency", "owner_professional")
            .overdue_first(timezone.localdate())
        ),
        answerable=answerable,
        may_manage=manage,
        sees_all_invitees=scope.everything,
    )


def attendance_sheet(*, event: Event) -> list[Invitation]:
    """The tick-list: every invitee by name."""
    return list(
        Invitation.objects.filter(event=event)
        .select_related("professional", "agency")
        .order_by("professional__first_name", "professional__last_name", "guest_name", "id")
    )


# ---------------------------------------------------------------------------------------------
# Attendance rates


@dataclass(frozen=True)
class AttendanceRate:
    agency_id: int | None
    agency_code: str
    agency_name: str
    year: int
    invited: int
    attended: int

    @property
    def rate(self) -> int:
        return round(100 * self.attended / self.invited) if self.invited else 0


@dataclass
class AttendanceTable:
    years: list[int]
    rows: list[tuple[str, str, list[AttendanceRate | None], AttendanceRate]]


def attendance_rates(*, user, kind: str = "", years: int = 5) -> AttendanceTable:
    """Of those invited to events that were held, how many came: per agency represented and year,
    over the last `years` years, in one SQL aggregate. Rows: agencies by name, with their total."""
    first_year = timezone.localdate().year - years + 1
    invitations = Invitation.objects.visible_to(user).filter(
        event__status=EventStatus.HELD, event__starts_at__year__gte=first_year
    )
    if kind:
        invitations = invitations.filter(event__kind__code=kind)
    rows = (
        invitations.annotate(year=ExtractYear("event__starts_at", tzinfo=timezone.get_current_timezone()))
        .values("agency_id", "agency__code", "agency__name", "year")
        .annotate(invited=Count("id"), attended=Count("id", filter=Q(attended=True)))
        .order_by("agency__name", "year")
    )
    all_years = list(range(first_year, timezone.localdate().year + 1))
    by_agency: dict[int | None, dict[int, AttendanceRate]] = {}
    names: dict[int | None, tuple[str, str]] = {}
    for row in rows:
        rate = AttendanceRate(
            agency_id=row["agency_id"],
            agency_code=row["agency__code"] or "",
            agency_name=row["agency__name"] or "Guests and unplaced invitees",
            year=row["year"],
            invited=row["invited"],
            attended=row["attended"],
        )
        by_agency.setdefault(rate.agency_id, {})[rate.year] = rate
        names[rate.agency_id] = (rate.agency_code, rate.agency_name)
    table = []
    for agency_id, per_year in by_agency.items():
        code, name = names[agency_id]
        total = AttendanceRate(
            agency_id,
            code,
            name,
            0,
            sum(r.invited for r in per_year.values()),
            sum(r.attended for r in per_year.values()),
        )
        table.append((code, name, [per_year.get(year) for year in all_years], total))
    table.sort(key=lambda row: (row[0] == "", row[1]))
    return AttendanceTable(years=all_years, rows=table)


# ---------------------------------------------------------------------------------------------
# Action items


def action_item_list(
    *, user, status: str = "", agency=None, overdue: bool = False, event_id: int | None = None, today=None
):
    """The board: the items `user` may see, overdue first."""
    from agencies.querysets import subtree_ids

    today = today or timezone.localdate()
    items = ActionItem.objects.visible_to(user).select_related(
        "event", "event__kind", "owner_agency", "owner_professional"
    )
    if status == "open":
        items = items.open()
    elif status:
        items = items.filter(status=status)
    if agency is not None:
        items = items.filter(owner_agency_id__in=subtree_ids([agency.pk]))
    if overdue:
        items = items.overdue(today)
    if event_id:
        items = items.filter(event_id=event_id)
    return items.overdue_first(today)


def action_item_counts(*, user, today=None) -> dict[str, int]:
    today = today or timezone.localdate()
    from .models import OPEN_ACTION_STATUSES

    open_statuses = [s.value for s in OPEN_ACTION_STATUSES]
    return ActionItem.objects.visible_to(user).aggregate(
        open=Count("id", filter=Q(status__in=open_statuses)),
        overdue=Count("id", filter=Q(status__in=open_statuses, due_date__lt=today)),
        due_soon=Count(
            "id", filter=Q(status__in=open_statuses, due_date__gte=today, due_date__lte=today + dt.timedelta(days=7))
        ),
        done=Count("id", filter=Q(status="done")),
    )


def action_item_get(*, user, pk: int) -> ActionItem:
    item = (
        ActionItem.objects.visible_to(user)
        .select_related("event", "event__kind", "owner_agency", "owner_professional", "created_by")
        .prefetch_related(Prefetch("notes", queryset=ActionItemNote.objects.select_related("author")))
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404("No such action item.")
    return item


def may_update_item(user) -> bool:
    return may_update_action_items(user)


# ---------------------------------------------------------------------------------------------
# A professional's page


@dataclass
class ProfessionalMeetings:
    attended: list[Invitation]
    action_items: list[ActionItem]


def professional_meetings(*, user, professional_id: int, limit: int = 20) -> ProfessionalMeetings:
    """The events the professional attended (latest first) and the action items they own: two
    queries, reading only what the professional's page shows (every column of the event, its
    agency and the owner, joined in, cost 5 ms of the page in building the SQL alone)."""
    attended = list(
        Invitation.objects.visible_to(user)
        .filter(professional_id=professional_id, attended=True)
        .select_related("event", "event__kind")
        .only("event__title", "event__starts_at", "event__kind__name")
        .order_by("-event__starts_at")[:limit]
    )
    items = list(
        ActionItem.objects.visible_to(user)
        .filter(owner_professional_id=professional_id)
        .only("title", "status", "due_date")
        .overdue_first(timezone.localdate())[:limit]
    )
    return ProfessionalMeetings(attended=attended, action_items=items)
