"""Report runs through a real Redis broker and a real Celery worker process (like
tests/test_celery_live.py): one succeeds and stores its PDF; in another the worker is killed with
SIGKILL mid-run, and the run ends failed with its reason instead of staying "running" forever.

Runs when REDIS_URL is set and the tests use PostgreSQL; `.ci/run` sets both.
"""

import datetime as dt
import os
import signal
import time
import uuid
from pathlib import Path

import pytest
from django.utils import timezone

from placements.models import Placement
from professionals.models import Professional
from reports import services
from reports.models import ReportRun, RunStatus
from reports.tasks import run_report
from tests.live_worker import celery_worker

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.live_celery,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL: the live worker test uses Redis"),
]


@pytest.fixture
def report_worker():
    """A worker on a queue of its own, to which report runs are sent for the test."""
    queue = f"test-reports-{uuid.uuid4().hex[:8]}"
    with celery_worker(queue) as process:
        # The task's own queue option; apply_async caches the options it reads, so drop the cache.
        run_report.queue, run_report._exec_options = queue, None
        try:
            yield process
        finally:
            run_report.queue, run_report._exec_options = None, None


def _people(ref, count: int, agency) -> None:
    """`count` people in service placed in `agency`, written in bulk (fast enough for a live test)."""
    people = Professional.objects.bulk_create(
        Professional(
            employee_id=f"L{n:05d}", national_id=f"9{n:010d}", first_name=f"Live{n}", last_name="Worker",
            gender="F", date_of_birth=dt.date(1990, 1, 1), first_appointment_date=dt.date(2015, 1, 1),
            grade=ref.grades["P4"], current_agency=agency,
        )
        for n in range(count)
    )  # fmt: skip
    Placement.objects.bulk_create(
        Placement(professional=p, agency=agency, start_date=dt.date(2015, 1, 1)) for p in people
    )


def _wait(run_id: int, until, timeout: float = 60) -> ReportRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = ReportRun.objects.get(pk=run_id)
        if until(run):
            return run
        time.sleep(0.05)
    run = ReportRun.objects.get(pk=run_id)
    raise AssertionError(f"run {run_id} is still {run.status} (task {run.task_id!r})")


@pytest.mark.django_db(transaction=True)
def test_a_report_runs_in_a_real_worker_and_stores_its_pdf(report_worker, agency_tree, ref, division_user):
    _people(ref, 5, agency_tree["MOF"])
    run, created = services.report_run_request(user=division_user, kind="roster", format="pdf", data={})
    assert created
    run = _wait(run.pk, lambda r: r.status in (RunStatus.SUCCEEDED, RunStatus.FAILED))
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.task_id and run.attempts == 1 and run.progress == 100
    # The worker stored it (the test settings keep files in the worker's memory; the PDF's
    # content is checked in-process by reports/tests/test_runs.py).
    assert run.file.name == f"reports/{run.requested_at:%Y/%m}/roster-report-{run.pk}.pdf"
    assert run.progress_note == "Ready" and run.finished_at >= run.started_at


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_run_leaves_the_run_failed_not_running(report_worker, agency_tree, ref, division_user):
    _people(ref, 1500, agency_tree["MOF"])  # a roster PDF of some seconds, to kill the worker in
    run, _ = services.report_run_request(user=division_user, kind="roster", format="pdf", data={})
    run = _wait(run.pk, lambda r: r.status == RunStatus.RUNNING and r.progress >= 35)
    os.kill(report_worker.pid, signal.SIGKILL)
    report_worker.wait(timeout=30)

    time.sleep(1)
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING  # nobody is left to say otherwise ...
    # ... until the beat's sweep, once the run has been silent for longer than any live task may be.
    later = timezone.now() + services.STALE_AFTER + dt.timedelta(seconds=5)
    assert services.report_runs_sweep_stale(now=later)["stale_running"] == 1
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert run.error.startswith("The worker producing this report stopped without finishing")
    assert not run.file
