"""Celery tasks of the reports: one run per task (by id), the sweep of stale runs and the monthly
snapshot. Reports run with `acks_late`, so a worker dying mid-run leaves its message to be
delivered again (after the broker's visibility timeout); within minutes the sweep, which pings the
workers, fails the run with the reason, and the redelivered task then leaves it failed."""

import contextlib
import datetime as dt
import logging

from celery import current_app, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError
from django.utils import timezone

logger = logging.getLogger(__name__)
PING_SECONDS = 2.0
SOFT_TIME_LIMIT = 10 * 60
TIME_LIMIT = 12 * 60  # the sweep's STALE_AFTER (reports/services.py) must stay above this
MAX_RETRIES = 3
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=TIME_LIMIT,
    max_retries=MAX_RETRIES,
)
def run_report(self, run_id: int) -> str | None:
    """Compute and store one report run; database hiccups are retried, the rest fails the run."""
    from .services import report_run_execute, report_run_fail, report_run_requeue

    try:
        return report_run_execute(run_id=run_id, worker=self.request.hostname or "")
    except TRANSIENT_ERRORS as error:
        if self.request.retries >= self.max_retries:
            _record(
                report_run_fail,
                run_id=run_id,
                reason=f"The database could not be reached after {self.max_retries + 1} attempts ({error}). "
                "Ask for the report again later.",
            )
            raise
        _record(report_run_requeue, run_id=run_id, note=f"Waiting to retry after a database error: {error}")
        if self.request.is_eager:  # no broker to send the retry through (REDIS_URL unset): retry here
            retried = self.apply(args=(run_id,), retries=self.request.retries + 1)
            retried.maybe_throw()
            return retried.result
        raise self.retry(exc=error, countdown=min(5 * 2**self.request.retries, 60)) from error
    except SoftTimeLimitExceeded:
        _record(
            report_run_fail,
            run_id=run_id,
            reason=f"The report took longer than {SOFT_TIME_LIMIT // 60} minutes and was stopped. Choose a shorter "
            "period or fewer agencies, or Excel or CSV instead of PDF.",
        )
        raise
    except Exception as error:
        # Whatever else escapes the service (the file cannot be stored, a bug) fails the run now:
        # otherwise its page would poll a "running" run until beat's sweep, and a portal without
        # Redis runs no beat (ictmgmt/embedded_worker.py).
        _record(
            report_run_fail,
            run_id=run_id,
            reason=f"The report could not be produced ({type(error).__name__}: {error}). Tell the system "
            f"administrator, quoting report number {run_id}.",
        )
        raise


def _record(service, **kwargs) -> None:
    """Record the outcome on the run if the database lets us; if it does not, the sweep will."""
    with contextlib.suppress(TRANSIENT_ERRORS):
        service(**kwargs)


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def sweep_stale_report_runs() -> dict[str, int]:
    """Every five minutes (beat): fail the runs whose worker died or that no worker picked up."""
    from .services import report_runs_sweep_stale

    return report_runs_sweep_stale(live_workers=_live_workers())


def _live_workers() -> set[str] | None:
    """The names of the workers that answer a ping now, or None if the broker cannot be asked."""
    try:
        replies = current_app.control.ping(timeout=PING_SECONDS)
    except Exception:  # the broker is unreachable: fall back on the heartbeat alone
        logger.warning("Could not ping the Celery workers; stale runs are judged by their heartbeat", exc_info=True)
        return None
    return {name for reply in replies for name in reply}


@shared_task(
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=300,
    time_limit=360,
)
def record_workforce_snapshot(month_end: str | None = None) -> int:
    """Monthly (beat, on the 1st): the headcount and twelve-month attrition at the end of the month before."""
    from .services import workforce_snapshot_record

    day = dt.date.fromisoformat(month_end) if month_end else timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    return workforce_snapshot_record(month_end=day).pk
