"""The benchmark (`python -m bench`) refuses what it cannot measure and, on PostgreSQL, runs end to
end on a small data set: seeds it, serves it with gunicorn, times and counts, writes its JSON."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from tests.live_worker import database_url

ROOT = Path(__file__).resolve().parent.parent


def run_bench(*args, database_url: str | None, timeout: int = 60) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "bench", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_it_refuses_to_run_without_a_database_url():
    result = run_bench(database_url=None)
    assert result.returncode == 2
    assert "DATABASE_URL is not set" in result.stderr and "PostgreSQL only" in result.stderr


def test_it_refuses_sqlite_with_a_clear_message():
    result = run_bench(database_url="sqlite:///bench.sqlite3")
    assert result.returncode == 2
    assert "runs on PostgreSQL only" in result.stderr
    assert not (ROOT / "bench.sqlite3").exists()


def test_it_asks_for_enough_requests_to_mean_something():
    result = run_bench("--requests", "10", database_url="postgres://nobody@127.0.0.1:1/none")
    assert result.returncode == 2
    assert "--requests must be at least 50" in result.stderr


@pytest.fixture
def scratch_database():
    """A database of its own (the benchmark migrates and seeds it), dropped afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("the benchmark runs on PostgreSQL only")
    settings = connection.settings_dict
    name = f"bench_selftest_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(
        dbname="postgres",
        user=settings["USER"],
        password=settings.get("PASSWORD") or None,
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url(name)
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.mark.postgres
def test_a_small_run_builds_the_data_serves_it_and_reports_every_case(scratch_database, tmp_path):
    output = tmp_path / "results.json"
    result = run_bench(
        "--professionals", "120", "--years", "3", "--requests", "50", "--warmup", "2",
        "--only", "list: no filter", "--only", "professional page", "--only", "API", "--only", "dashboard figures",
        "--output", str(output),
        database_url=scratch_database,
        timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(output.read_text())
    assert report["dataset"]["in_service"] == 120
    assert report["dataset"]["seed_seconds"] > 0  # built, not reused
    by_name = {row["name"]: row for row in report["results"]}
    assert set(by_name) == {
        "list: no filter",
        "professional page",
        "API professionals: agency + track",
        "dashboard figures, uncached",
    }
    for row in by_name.values():
        assert row["status"] == "ok"
        assert 0 < row["queries"] <= row["query_limit"]
        assert 0 < row["median_ms"] <= row["p95_ms"]
    assert by_name["list: no filter"]["samples"] == 50  # timed through gunicorn
    assert by_name["professional page"]["path"].startswith("/professionals/")
    assert "median ms" in result.stdout  # the printed table

    again = run_bench(
        "--professionals", "120", "--requests", "50", "--warmup", "1", "--only", "list: no filter",
        "--output", str(output),
        database_url=scratch_database,
        timeout=300,
    )  # fmt: skip
    assert again.returncode == 0, again.stdout + again.stderr
    assert json.loads(output.read_text())["dataset"]["seed_seconds"] is None  # reused
