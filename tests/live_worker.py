"""A real Celery worker process for the live tests, and the database URL that lets another
process (a worker, the benchmark) reach the test database's server."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from ictmgmt.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent


def database_url(name: str | None = None) -> str:
    """postgres://… of the test database (or of database `name` on the same server)."""
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name or s['NAME']}"


@contextlib.contextmanager
def celery_worker(queue: str):
    """A worker on `queue` sharing the test database, with tasks sent to it (not run eagerly)
    while the block runs; stopped after, its traceback printed if it had one."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the worker process must share the test database")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ictmgmt.settings.test", "DATABASE_URL": database_url()}
    cmd = [
        sys.executable, "-m", "celery", "-A", "ictmgmt", "worker", "--queues", queue, "--pool", "solo",
        "--hostname", f"{queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
        "--loglevel", "WARNING",
    ]  # fmt: skip
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    celery_app.conf.task_always_eager = False
    try:
        yield process
    finally:
        celery_app.conf.task_always_eager = True
        if process.poll() is None:
            process.terminate()
            try:
                output, _ = process.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                output, _ = process.communicate()
            if "Traceback" in (output or ""):
                print(output)
