"""A task sent through a real Redis broker to a real Celery worker, results stored in the database.

Runs when REDIS_URL is set and the tests use PostgreSQL (the worker is another process, so it
needs a database it can share); `.ci/run` sets both.
"""

import datetime as dt
import os
import uuid
from pathlib import Path

import pytest

from ictmgmt.celery import ping
from professionals.factories import ProfessionalFactory
from professionals.models import PendingStatusChange
from professionals.tasks import record_due_status_changes
from tests.live_worker import celery_worker

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.live_celery,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL: the live worker test uses Redis"),
]


@pytest.fixture
def worker():
    queue = f"test-{uuid.uuid4().hex[:10]}"
    with celery_worker(queue):
        yield queue


@pytest.mark.django_db(transaction=True)
def test_a_task_goes_through_redis_and_a_real_worker(worker, ref):
    from django_celery_results.models import TaskResult

    answer = ping.apply_async(queue=worker).get(timeout=60)
    assert answer.startswith(f"pong from {worker}@")  # ran in the worker, not in this process

    old = ProfessionalFactory(grade=ref.grades["P2"], date_of_birth=dt.date(1965, 1, 1))
    old.superannuation_date = dt.date(2025, 1, 1)
    old.save()
    result = record_due_status_changes.apply_async(args=["2025-02-01"], queue=worker)
    assert result.get(timeout=60) == {"leave_ended": 0, "superannuation": 1, "created": 1}
    assert PendingStatusChange.objects.filter(professional=old, kind="superannuation").exists()
    stored = TaskResult.objects.get(task_id=result.id)
    assert stored.status == "SUCCESS"
    assert stored.task_name == "professionals.tasks.record_due_status_changes"
