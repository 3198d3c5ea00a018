"""Writes of the reports app: requesting a run, executing it (called by the Celery task), the
sweep of runs whose worker died, and the monthly workforce snapshot.

A run moves queued -> running -> succeeded or failed. Each step re-reads the row under
`select_for_update()`, so the sweep and a late worker never both win: a run the sweep failed is
not resurrected by a redelivered task, and a file finished after the sweep is thrown away.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from .models import ReportFormat, ReportRun, RunStatus, WorkforceSnapshot
from .parameters import report_parameters_clean, selection_for
from .permissions import report_refusal

logger = logging.getLogger(__name__)

REUSE_WITHIN = dt.timedelta(minutes=10)
# Longer than the task's hard time limit (reports/tasks.py): a run silent for this long has no
# live worker, since the worker would have killed the task before.
STALE_AFTER = dt.timedelta(minutes=20)
# A running report whose worker no longer answers a ping is failed once it has been silent this
# long (a worker busy rendering a PDF still answers: pings go to its control thread).
WORKER_GRACE = dt.timedelta(minutes=2)
QUEUED_TOO_LONG = dt.timedelta(hours=6)


def _fingerprint(kind: str, format: str, params: dict) -> str:
    return hashlib.sha256(json.dumps([kind, format, params], sort_keys=True).encode()).hexdigest()


def report_run_request(
    *, user, kind: str, format: str, data: dict, today: dt.date | None = None
) -> tuple[ReportRun, bool]:
    """Check the parameters and queue a run, or answer the same person's identical run asked
    within the last ten minutes (unless it failed). Returns (run, created). Raises
    PermissionDenied for those who may not run reports, ValidationError for bad parameters:
    nothing is queued then."""
    from accounts.models import User

    refusal = report_refusal(user)
    if refusal:
        raise PermissionDenied(refusal)
    today = today or timezone.localdate()
    params = report_parameters_clean(user=user, kind=kind, format=format, data=data, today=today)
    fingerprint = _fingerprint(kind, format, params)
    with transaction.atomic():
        # One request of a person at a time, so two identical clicks make one run.
        User.objects.select_for_update().filter(pk=user.pk).first()
        recent = (
            ReportRun.objects.filter(
                requested_by=user, fingerprint=fingerprint, requested_at__gte=timezone.now() - REUSE_WITHIN
            )
            .exclude(status=RunStatus.FAILED)
            .order_by("-requested_at")
            .first()
        )
        if recent is not None:
            return recent, False
        run = ReportRun.objects.create(
            kind=kind, format=format, parameters=params, fingerprint=fingerprint, requested_by=user
        )
        transaction.on_commit(lambda: report_run_enqueue(run_id=run.pk))
    return run, True


def report_run_enqueue(*, run_id: int) -> None:
    """Send the run to the task queue; a broker that cannot be reached fails the run visibly."""
    from kombu.exceptions import OperationalError as BrokerError

    from .tasks import run_report

    try:
        result = run_report.delay(run_id)
    except BrokerError as error:
        logger.exception("Report run %s could not be queued", run_id)
        report_run_fail(
            run_id=run_id,
            reason="The report could not be queued: the task queue is not reachable "
            f"({type(error).__name__}). Try again in a few minutes; if it persists, tell the system administrator.",
        )
        return
    ReportRun.objects.filter(pk=run_id, task_id="").update(task_id=result.id or "")


def report_run_fail(*, run_id: int, reason: str) -> None:
    with transaction.atomic():
        run = ReportRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status in (RunStatus.SUCCEEDED, RunStatus.FAILED):
            return
        run.status, run.error, run.finished_at = RunStatus.FAILED, reason[:4000], timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])


def report_run_requeue(*, run_id: int, note: str) -> None:
    """Back to the queue while the task waits to retry after a transient error."""
    ReportRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
        status=RunStatus.QUEUED, progress_note=note[:200], heartbeat_at=timezone.now()
    )


def report_run_progress(*, run_id: int, percent: int, note: str) -> None:
    """Record how far the run got; each step is also the run's heartbeat."""
    ReportRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
        progress=min(max(int(percent), 0), 100), progress_note=note[:200], heartbeat_at=timezone.now()
    )


def _start(run_id: int, worker: str) -> ReportRun | None:
    with transaction.atomic():
        run = ReportRun.objects.select_for_update().filter(pk=run_id).first()
        # "running" again: the task was redelivered after its worker died. Anything else is
        # finished (perhaps failed by the sweep), and stays so.
        if run is None or run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
            return None
        now = timezone.now()
        run.status, run.started_at, run.heartbeat_at, run.worker = RunStatus.RUNNING, now, now, worker[:200]
        run.attempts += 1
        run.progress, run.progress_note, run.error = 5, "Started", ""
        run.save(
            update_fields=[
                "status",
                "started_at",
                "heartbeat_at",
                "worker",
                "attempts",
                "progress",
                "progress_note",
                "error",
            ]
        )
    return ReportRun.objects.select_related("requested_by__agency").get(pk=run_id)


def report_run_execute(*, run_id: int, today: dt.date | None = None, worker: str = "") -> str | None:
    """Compute, render and store the run's file. A problem in the data or the rendering fails
    the run with a message for its reader; transient database errors and the time limit are
    raised for the task to retry or record. Returns the stored file's name."""
    from celery.exceptions import SoftTimeLimitExceeded
    from django.db import DatabaseError

    from .documents import build_document
    from .rendering import render

    run = _start(run_id, worker)
    if run is None:
        return None
    user = run.requested_by
    if user is None or report_refusal(user):
        report_run_fail(run_id=run_id, reason="The account that asked for this report may no longer run reports.")
        return None
    today = today or timezone.localdate()

    def progress(percent: int, note: str) -> None:
        report_run_progress(run_id=run_id, percent=percent, note=note)

    format_name = ReportFormat(run.format).label
    try:
        document = build_document(
            run.kind,
            user=user,
            params=run.parameters,
            selection=selection_for(user, run.parameters),
            today=today,
            progress=progress,
        )
    except (DatabaseError, SoftTimeLimitExceeded):
        raise
    except Exception as error:
        logger.exception("Report run %s: the figures could not be computed", run_id)
        report_run_fail(
            run_id=run_id,
            reason=f"The figures could not be computed ({type(error).__name__}: {error}). "
            "Tell the system administrator, quoting report number "
            f"{run_id}.",
        )
        return None
    progress(80, f"Writing the {format_name} file")
    try:
        content = render(document, run.format)
    except (DatabaseError, SoftTimeLimitExceeded):
        raise
    except Exception as error:
        logger.exception("Report run %s: the %s could not be rendered", run_id, format_name)
        report_run_fail(
            run_id=run_id,
            reason=f"The figures were computed but the {format_name} file could not be written "
            f"({type(error).__name__}: {error}). Try another format, or tell the system administrator, "
            f"quoting report number {run_id}.",
        )
        return None
    progress(95, "Storing the file")
    return _store(run, content)


def _store(run: ReportRun, content: bytes) -> str | None:
    name = run.file.storage.save(run.file.field.generate_filename(run, run.filename), ContentFile(content))
    with transaction.atomic():
        locked = ReportRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != RunStatus.RUNNING:  # failed by the sweep meanwhile: keep its verdict
            run.file.storage.delete(name)
            return None
        locked.file.name = name
        locked.status, locked.progress, locked.progress_note = RunStatus.SUCCEEDED, 100, "Ready"
        locked.finished_at = locked.heartbeat_at = timezone.now()
        locked.save(update_fields=["file", "status", "progress", "progress_note", "finished_at", "heartbeat_at"])
    return name


def report_runs_sweep_stale(*, now: dt.datetime | None = None, live_workers: set[str] | None = None) -> dict[str, int]:
    """Fail the runs whose worker died and those no worker picked up (queued for
    QUEUED_TOO_LONG), each with the reason. A run died when its worker is not among
    `live_workers` (those that answered a ping) and it has been silent for WORKER_GRACE, or, when
    no ping could be made (None), silent for STALE_AFTER. Celery beat runs it every two minutes."""
    now = now or timezone.now()
    gone = 0
    if live_workers is not None:
        gone = (
            ReportRun.objects.filter(status=RunStatus.RUNNING, heartbeat_at__lt=now - WORKER_GRACE)
            .exclude(worker="")
            .exclude(worker__in=live_workers)
            .update(
                status=RunStatus.FAILED,
                finished_at=now,
                error="The worker producing this report stopped without finishing (it no longer answers, for "
                "example because it was restarted or ran out of memory). Ask for the report again.",
            )
        )
    silent = now - STALE_AFTER
    stopped = ReportRun.objects.filter(status=RunStatus.RUNNING).filter(
        Q(heartbeat_at__lt=silent) | Q(heartbeat_at__isnull=True, requested_at__lt=silent)
    )
    minutes = int(STALE_AFTER.total_seconds() // 60)
    died = stopped.update(
        status=RunStatus.FAILED,
        finished_at=now,
        error=f"The worker producing this report stopped without finishing (no progress for {minutes} minutes, "
        "for example because it was restarted or ran out of memory). Ask for the report again.",
    )
    hours = int(QUEUED_TOO_LONG.total_seconds() // 3600)
    waited = ReportRun.objects.filter(status=RunStatus.QUEUED, requested_at__lt=now - QUEUED_TOO_LONG).update(
        status=RunStatus.FAILED,
        finished_at=now,
        error=f"No worker started this report within {hours} hours. Ask the system administrator to check that "
        "the Celery worker is running, then ask for the report again.",
    )
    return {"worker_gone": gone, "stale_running": died, "stale_queued": waited}


def workforce_snapshot_record(*, month_end: dt.date) -> WorkforceSnapshot:
    """The government-wide headcount at `month_end` and the exits of the twelve months to it,
    stored (again) for that month. Four grouped queries."""
    from placements.models import Placement
    from professionals.models import EXIT_EVENTS, Professional, StatusEvent

    from . import analytics

    year_before = month_end - dt.timedelta(days=365)
    heads = Placement.objects.aggregate(
        now=Count("id", filter=analytics._placed_on(month_end)),
        before=Count("id", filter=analytics._placed_on(year_before)),
    )
    exits = StatusEvent.objects.filter(
        kind__in=EXIT_EVENTS, effective_date__gt=year_before, effective_date__lte=month_end
    ).count()
    average = (heads["now"] + heads["before"]) / 2
    summary = analytics.headcount_summary(Professional.objects.all())
    snapshot, _ = WorkforceSnapshot.objects.update_or_create(
        month=month_end,
        defaults={
            "in_service": heads["now"],
            "on_eol": summary.totals["eol"],
            "exits_12_months": exits,
            "attrition_rate_12_months": round(100 * exits / average, 2) if average else 0,
            "by_agency_kind": {b.label: b.count for b in summary.by_agency_kind},
            "by_track": {b.label: b.count for b in summary.by_track},
        },
    )
    return snapshot
