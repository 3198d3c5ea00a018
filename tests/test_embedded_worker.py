"""Without Redis, a web process runs its tasks in a worker thread of its own (ictmgmt/embedded_worker.py):
a report asked for through the real view is answered before its task starts, and the run is then
completed, or failed with its reason, by that thread.

The test database lives in memory, shared by the connections of all threads with table locks that
do not wait; so while the worker thread writes, the test thread stays off the database, and waits
for the task's end through Celery's task_postrun signal (bounded) instead of polling the run.
"""

import os
import threading

import pytest
from celery import signals
from django.test import override_settings

from ictmgmt.embedded_worker import embedded_worker_disable, embedded_worker_enable, embedded_worker_thread
from reports import services
from reports.models import ReportRun, RunStatus
from reports.tasks import run_report
from reports.tests.histories import attrition_history

pytestmark = [
    pytest.mark.skipif(
        bool(os.environ.get("REDIS_URL")),
        reason="the embedded worker is the mode without REDIS_URL; with it, tests/test_reports_live.py "
        "sends report runs to a real worker",
    ),
    pytest.mark.django_db(transaction=True),  # the worker thread reads what the request committed
]
WAIT_SECONDS = 30


@pytest.fixture(scope="module", autouse=True)
def embedded_worker():
    """The web process's mode without Redis, for this module's tests; one worker thread for all."""
    with override_settings(EMBEDDED_TASK_WORKER=True):
        embedded_worker_enable()
        try:
            yield
        finally:
            embedded_worker_disable()
    assert embedded_worker_thread() is None


@pytest.fixture
def people(agency_tree, ref):
    """A small history of people in MOH, DMS and MOF (reports/tests/histories.py)."""
    return attrition_history(agency_tree, ref)


@pytest.fixture
def report_task_ended():
    """Set when a report run's task ends in the worker thread, however it ends."""
    ended = threading.Event()

    def on_postrun(sender, **kwargs):
        if sender.name == run_report.name:
            ended.set()

    signals.task_postrun.connect(on_postrun, weak=False)
    yield ended
    signals.task_postrun.disconnect(on_postrun)


@pytest.fixture
def gated_runs(monkeypatch):
    """Report runs wait for `release` before they start (the request and the worker thread must not
    write at once: see above), and record each progress step they report."""
    release, picked_up, steps = threading.Event(), threading.Event(), []
    execute, progress = services.report_run_execute, services.report_run_progress

    def gated_execute(**kwargs):
        picked_up.set()
        release.wait(WAIT_SECONDS)  # run eagerly inside the request, this would hold the response
        return execute(**kwargs)

    def recorded_progress(**kwargs):
        steps.append(kwargs["percent"])
        return progress(**kwargs)

    monkeypatch.setattr(services, "report_run_execute", gated_execute)
    monkeypatch.setattr(services, "report_run_progress", recorded_progress)
    return release, picked_up, steps


def _ask_for_a_roster_pdf(client) -> ReportRun:
    response = client.post("/reports/", {"kind": "roster", "format": "pdf", "include_sub_agencies": "on"})
    run = ReportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/{run.pk}/"
    return run


def test_a_report_asked_for_on_the_page_is_answered_before_its_task_runs_then_completes(
    people, division_client, gated_runs, report_task_ended
):
    release, picked_up, steps = gated_runs
    run = _ask_for_a_roster_pdf(division_client)
    assert run.status == RunStatus.QUEUED and run.progress == 0  # the response came back first
    assert run.task_id  # sent to the in-memory queue ...
    assert picked_up.wait(WAIT_SECONDS)  # ... and taken off it by the worker thread, not this one
    assert embedded_worker_thread() is not None

    release.set()
    assert report_task_ended.wait(WAIT_SECONDS), "the report's task did not end in time"
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.progress == 100 and run.file.name.endswith(".pdf")
    assert steps == sorted(steps) and steps[-2:] == [80, 95]  # the bar moved while the task ran
    assert len(steps) > 2
    assert 'data-status="succeeded"' in division_client.get(f"/reports/{run.pk}/").content.decode()


def test_a_report_whose_rendering_fails_in_the_worker_ends_failed_with_the_reason(
    people, division_client, gated_runs, monkeypatch, report_task_ended
):
    def broken_pdf(document):
        raise OSError("no usable font")

    monkeypatch.setattr("reports.rendering.pdf_bytes", broken_pdf)
    run = _ask_for_a_roster_pdf(division_client)
    gated_runs[0].set()
    assert report_task_ended.wait(WAIT_SECONDS), "the report's task did not end in time"
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and not run.file
    assert run.error.startswith("The figures were computed but the PDF file could not be written (OSError: no usable")


def test_an_error_that_escapes_a_report_task_fails_its_run_instead_of_leaving_it_running(
    people, division_client, gated_runs, monkeypatch, report_task_ended
):
    def full_disk(run, content):
        raise OSError("No space left on device")

    monkeypatch.setattr(services, "_store", full_disk)
    run = _ask_for_a_roster_pdf(division_client)
    gated_runs[0].set()
    assert report_task_ended.wait(WAIT_SECONDS), "the report's task did not end in time"
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.finished_at is not None
    assert run.error == (
        f"The report could not be produced (OSError: No space left on device). Tell the system administrator, "
        f"quoting report number {run.pk}."
    )
