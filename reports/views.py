"""The reports page (choose a report, see past runs), a run's page with its live progress (the
same view answers the polled fragment to htmx) and the scoped download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from core.downloads import private_file_response
from core.forms import add_service_errors

from . import services
from .forms import ReportForm
from .models import ReportRun, RunStatus, WorkforceSnapshot
from .permissions import may_edit_assumptions, report_refusal
from .rendering import CONTENT_TYPES

RUNS_SHOWN = 30


def _reports_user(request):
    """Reports are invisible (404) to those who may not run them: professionals."""
    if report_refusal(request.user):
        raise Http404("No reports for this account.")
    return request.user


@login_required
def report_index(request):
    user = _reports_user(request)
    form = ReportForm(request.POST or None, user=user, initial={"kind": "attrition"})
    if request.method == "POST" and form.is_valid():
        try:
            run, _created = services.report_run_request(
                user=user,
                kind=form.cleaned_data["kind"],
                format=form.cleaned_data["format"],
                data=form.parameters(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("reports:run", pk=run.pk)
    runs = ReportRun.objects.visible_to(user).select_related("requested_by").order_by("-requested_at", "-id")
    return render(
        request,
        "reports/index.html",
        {
            "form": form,
            "runs": list(runs[:RUNS_SHOWN]),
            "snapshots": list(WorkforceSnapshot.objects.order_by("-month")[:12]),
            "may_edit_assumptions": may_edit_assumptions(user),
        },
        status=400 if form.errors else 200,
    )


def _visible_run(request, pk: int) -> ReportRun:
    user = _reports_user(request)
    run = ReportRun.objects.visible_to(user).select_related("requested_by").filter(pk=pk).first()
    if run is None:
        raise Http404("No such report.")
    return run


@login_required
def run_detail(request, pk: int):
    run = _visible_run(request, pk)
    template = "reports/partials/run_status.html" if request.htmx else "reports/run_detail.html"
    return render(request, template, {"run": run})


@login_required
def run_download(request, pk: int):
    return run_file_response(_visible_run(request, pk))


def run_file_response(run: ReportRun) -> FileResponse:
    """The run's file as a private download; 404 while it has none."""
    if run.status != RunStatus.SUCCEEDED or not run.file or not run.file.storage.exists(run.file.name):
        raise Http404("This report has no file (yet).")
    return private_file_response(run.file, filename=run.filename, content_type=CONTENT_TYPES[run.format])
