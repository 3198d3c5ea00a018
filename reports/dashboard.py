"""The dashboard: the workforce figures of the user's scope and what waits for them."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from accounts.access import is_division, scope_for
from agencies.models import Agency
from core.cache import cached_figures
from placements.establishment import establishment_for
from placements.models import Placement
from placements.selectors import transfer_requests_awaiting
from professionals.models import PendingStatusChange, Professional, StatusEvent

from . import analytics
from .charts import exits_chart

EXIT_YEARS = 10
RETURNING_WITHIN_DAYS = 90
SUPERANNUATION_MONTHS = 12


@login_required
def home(request):
    """The dashboard: the workforce the user may see, in figures computed in SQL
    (`reports.analytics`), and what waits for them. Division staff and HR officers see the whole
    government, an agency head their agency's subtree, a professional their own summary."""
    user = request.user
    scope = scope_for(user)
    context = {
        "scope": scope,
        "scope_agency": user.agency if scope.agency_id else None,
        "today": timezone.localdate(),
        "pending_changes": None,
    }
    if scope.everything or scope.agency_id is not None:
        today = context["today"]
        context.update(cached_figures(f"dashboard:{scope.key}", today, lambda: workforce_figures(user, scope, today)))
        context.update(_pending_context(user, scope))
    elif scope.professional_id is not None:
        context.update(_own_summary_context(user))
    return render(request, "home.html", context)


def workforce_figures(user, scope, today) -> dict:
    """The figures of the user's scope: the same for everyone with that scope (cached per scope)."""
    professionals = Professional.objects.visible_to(user)
    agencies = Agency.objects.visible_to(user)
    active_agencies = agencies.filter(dissolved_on__isnull=True)
    headcount = analytics.headcount_summary(professionals)
    totals = headcount.totals
    establishment = establishment_for(agency_ids=active_agencies.values("id"), on=today)
    exits = analytics.exits_per_year(
        years=EXIT_YEARS,
        today=today,
        # People who have left are placed nowhere, so an agency head's exits are those who left
        # from their agencies; government-wide scopes count every exit.
        agencies=None if scope.everything else agencies,
    )
    return {
        "professionals_in_service": totals["in_service"],
        "headcount": totals,
        "agencies_visible": active_agencies.count(),
        "by_agency_kind": headcount.by_agency_kind,
        "by_track": headcount.by_track,
        "by_grade": headcount.by_grade,
        "vacancies": establishment.figures(),
        "short_staffed": analytics.most_short_staffed(active_agencies, establishment=establishment, limit=6),
        "returning": analytics.on_leave_returning(
            professionals, today=today, within_days=RETURNING_WITHIN_DAYS, limit=6
        ),
        "returning_within_days": RETURNING_WITHIN_DAYS,
        "superannuating_count": analytics.superannuating_within(
            professionals, today=today, months=SUPERANNUATION_MONTHS
        ).count(),
        "superannuating": analytics.superannuation_list(
            professionals, today=today, months=SUPERANNUATION_MONTHS, limit=6
        ),
        "superannuation_months": SUPERANNUATION_MONTHS,
        "exits": exits,
        "exits_total": sum(year.total for year in exits),
        "exits_chart": exits_chart(exits, partial_year=today.year),
        "figures_as_of": timezone.localtime(),
    }


def _pending_context(user, scope) -> dict:
    """What waits for this user: read on every visit, never cached."""
    awaiting = transfer_requests_awaiting(user)
    count = awaiting.count()
    context = {"transfers_waiting": count, "transfers_waiting_list": list(awaiting[:5]) if count else []}
    open_changes = PendingStatusChange.objects.visible_to(user).filter(state=PendingStatusChange.State.OPEN)
    recent = list(open_changes.select_related("professional").order_by("due_date", "id")[:5])
    if is_division(user):
        context["pending_changes"] = open_changes.count()
        context["pending_list"] = recent
    elif scope.agency_id is not None:
        # Heads do not confirm status changes (the division does) but should know they are due.
        context["staff_changes_due"] = open_changes.count()
        context["pending_list"] = recent
    return context


def _own_summary_context(user) -> dict:
    professional = Professional.objects.visible_to(user).select_related("grade", "position_title", "track").first()
    placement = (
        Placement.objects.visible_to(user).current().select_related("agency", "position_title").first()
        if professional
        else None
    )
    events = list(StatusEvent.objects.visible_to(user).order_by("-effective_date", "-id")[:5]) if professional else []
    return {"me": professional, "placement": placement, "events": events}
