"""The import pages, for division staff only (anyone else gets 404): upload a file, follow its dry
run, read the report, commit a clean file; download the templates and each kind's export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import is_division, scope_for
from core.downloads import private_file_response

from . import tasks
from .exports import export_file, template_file
from .forms import ImportUploadForm
from .models import ImportRun
from .registry import IMPORTERS, importer_for
from .services import ImportNotReady, import_run_commit_start, import_run_create, run_progress

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_ROWS = 500  # rows of the report shown on the page; the counts cover them all


def imports_check(user, *, write: bool = False) -> None:
    """Imports are the division's: anyone else is told there is nothing here."""
    if not is_division(user):
        raise Http404("No import pages for this account.")
    if write and not scope_for(user).may_write:
        raise PermissionDenied("This account is read-only: it may not import data.")


def _kinds():
    return [importer_for(kind) for kind in IMPORTERS]


@login_required
def import_index(request):
    imports_check(request.user, write=request.method == "POST")
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        run = import_run_create(kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"], actor=request.user)
        transaction.on_commit(lambda: tasks.check_import_run.delay(run.pk))
        return redirect("imports:detail", pk=run.pk)
    runs = ImportRun.objects.select_related("created_by").only(
        "id", "kind", "filename", "state", "report", "created_at", "created_by__username", "created_by__first_name"
    )[:20]
    return render(request, "imports/index.html", {"form": form, "kinds": _kinds(), "runs": runs})


@login_required
def import_detail(request, pk: int):
    imports_check(request.user)
    run = get_object_or_404(ImportRun.objects.select_related("created_by", "committed_by"), pk=pk)
    report = run.report or {}
    rows = report.get("rows", [])
    context = {
        "run": run,
        "report": report,
        "label": IMPORTERS[run.kind].label if run.kind in IMPORTERS else run.kind,
        "error_rows": [row for row in rows if row["errors"]][:REPORT_ROWS],
        "change_rows": [row for row in rows if not row["errors"]][:REPORT_ROWS],
        "shown_limit": REPORT_ROWS,
        "progress": run_progress(run.pk),
    }
    template = "imports/partials/run_body.html" if request.htmx else "imports/detail.html"
    return render(request, template, context)


@login_required
@require_POST
def import_commit(request, pk: int):
    imports_check(request.user, write=True)
    run = get_object_or_404(ImportRun, pk=pk)
    try:
        import_run_commit_start(run_id=run.pk, actor=request.user)
    except ImportNotReady as error:
        messages.error(request, str(error))
        return redirect("imports:detail", pk=run.pk)
    transaction.on_commit(lambda: tasks.commit_import_run.delay(run.pk))
    return redirect("imports:detail", pk=run.pk)


@login_required
def import_file_download(request, pk: int):
    """The uploaded file as it was checked."""
    imports_check(request.user)
    run = get_object_or_404(ImportRun, pk=pk)
    return private_file_response(run.file, filename=run.filename)


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def import_template(request, kind: str):
    imports_check(request.user)
    if kind not in IMPORTERS:
        raise Http404("No such kind of import.")
    return _attachment(template_file(kind), XLSX, f"import-{kind}-template.xlsx")


@login_required
def import_export(request, kind: str, file_format: str):
    imports_check(request.user)
    if kind not in IMPORTERS or file_format not in ("csv", "xlsx"):
        raise Http404("No such export.")
    content_type = "text/csv; charset=utf-8" if file_format == "csv" else XLSX
    filename = f"{kind}-{timezone.localdate():%Y-%m-%d}.{file_format}"
    return _attachment(export_file(kind, file_format), content_type, filename)
