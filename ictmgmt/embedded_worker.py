"""Without Redis, a web process runs its Celery tasks in a worker thread of its own.

With REDIS_URL unset there is no broker and no worker process. Running tasks eagerly inside the
request made a roster PDF's page wait the ten seconds WeasyPrint takes, and its progress bar never
moved. Instead a web process (ictmgmt/wsgi.py and asgi.py call `embedded_worker_enable`; runserver
loads wsgi.py too) sends its tasks through Celery's in-memory transport, and a real Celery worker
(solo pool: one task at a time, in order) consumes them in a daemon thread of the same process.
The thread starts when the first task is sent, which keeps it out of runserver's autoreloader
process (that one serves nothing) and out of a gunicorn master that preloads the app (a thread
would not survive the fork into its workers).

The worker thread has database connections of its own (Django's are per thread), and Celery's
Django fix-up closes them after every task, so nothing is held open between tasks.

What this gives up, compared with a worker process (production sets REDIS_URL): the queue lives
in the web process's memory, so tasks waiting or running when it stops are lost (a report run
then stays "running" until the sweep fails it, which needs beat); each gunicorn worker has its own
queue and thread; and the solo pool enforces no time limits.
"""

from __future__ import annotations

import logging
import os
import threading

from celery import signals
from celery._state import _set_task_join_will_block
from celery.utils.nodenames import anon_nodename
from celery.worker import state as worker_state
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .celery import app

logger = logging.getLogger(__name__)

# The in-memory queue is polled: a task sent waits at most this long for the worker to see it.
POLLING_SECONDS = 0.2
STOP_TIMEOUT_SECONDS = 30

_lock = threading.Lock()
_thread: threading.Thread | None = None
_thread_pid: int | None = None  # a thread is not inherited by a forked child


def embedded_worker_enable() -> None:
    """When settings.EMBEDDED_TASK_WORKER says so (REDIS_URL unset), send this process's tasks to
    a worker thread of its own instead of running them inside the request. Called by the web
    entry points only: commands keep running their tasks eagerly, before they exit."""
    if not settings.EMBEDDED_TASK_WORKER:
        return
    if not app.conf.broker_url.startswith("memory://"):
        raise ImproperlyConfigured(
            f"EMBEDDED_TASK_WORKER needs the in-memory broker, not {app.conf.broker_url!r}: with REDIS_URL "
            "set, tasks go to Redis and a worker process."
        )
    app.conf.task_always_eager = False
    app.conf.broker_transport_options = {**app.conf.broker_transport_options, "polling_interval": POLLING_SECONDS}
    signals.before_task_publish.connect(_start_before_first_task, weak=False, dispatch_uid=__name__)


def embedded_worker_disable() -> None:
    """Stop the worker thread (after the task it runs) and run tasks eagerly again; for tests."""
    global _thread, _thread_pid
    signals.before_task_publish.disconnect(dispatch_uid=__name__)
    app.conf.task_always_eager = True
    with _lock:
        thread = embedded_worker_thread()
        if thread is not None:
            worker_state.should_stop = 0  # what a warm shutdown sets; the worker's loop checks it
            try:
                thread.join(STOP_TIMEOUT_SECONDS)
            finally:
                worker_state.should_stop = None
        _thread = _thread_pid = None
    # A worker in the process makes every result.get() refuse to block (a task waiting for another
    # would deadlock it); eager results are safe to read again.
    _set_task_join_will_block(False)


def embedded_worker_thread() -> threading.Thread | None:
    """This process's running worker thread, if it has one."""
    if _thread is not None and _thread_pid == os.getpid() and _thread.is_alive():
        return _thread
    return None


def _start_before_first_task(**kwargs) -> None:
    global _thread, _thread_pid
    if embedded_worker_thread() is not None:
        return
    with _lock:
        if embedded_worker_thread() is not None:
            return
        # The message waits in the in-memory queue until the worker is up: the request goes on.
        _thread = threading.Thread(target=_run_worker, name="embedded-celery-worker", daemon=True)
        _thread_pid = os.getpid()
        _thread.start()


def _run_worker() -> None:
    # Built in its own thread: at start the worker's Django fix-up closes the database connections
    # of the thread it is built in, which must not be a request's.
    worker = app.WorkController(
        hostname=anon_nodename(prefix="embedded-"),
        pool="solo",
        concurrency=1,
        without_heartbeat=True,
        without_mingle=True,
        without_gossip=True,
    )
    logger.info("Background tasks run in a worker thread of this process (REDIS_URL is not set)")
    worker.start()
