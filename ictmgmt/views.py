from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.access import is_division, scope_for
from agencies.models import Agency
from professionals.models import PendingStatusChange, Professional


@login_required
def home(request):
    """The landing page: who you are, what you may see, and what waits for you.

    The full dashboard arrives with the portal issue; this page already respects scoping.
    """
    scope = scope_for(request.user)
    context = {
        "scope": scope,
        "professionals_in_service": Professional.objects.visible_to(request.user).in_service().count(),
        "agencies_visible": Agency.objects.visible_to(request.user).active().count(),
        "scope_agency": request.user.agency if scope.agency_id else None,
        "pending_changes": (
            PendingStatusChange.objects.filter(state=PendingStatusChange.State.OPEN).count()
            if is_division(request.user)
            else None
        ),
    }
    return render(request, "home.html", context)


@require_GET
def healthz(request):
    """For load balancers: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means "not healthy"
        return JsonResponse({"status": "unavailable", "database": str(exc).splitlines()[0]}, status=503)
    return JsonResponse({"status": "ok"})
