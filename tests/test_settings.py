"""Configuration: production refuses to start without secrets; mistakes get one clear line."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    # Start from a clean slate: nothing set by this test run (or the browser tests) leaks in.
    unset = {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in unset}
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120
    )


PRODUCTION = "ictmgmt.settings.production"
GOOD_KEY = secrets.token_urlsafe(64)


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DJANGO_SETTINGS_MODULE=PRODUCTION, ALLOWED_HOSTS="ict.example.gov")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]  # one line, no traceback
    assert result.stderr.startswith("error: SECRET_KEY is missing")


def test_production_refuses_an_insecure_development_key():
    key = "django-insecure-" + "x" * 60
    result = manage("check", DJANGO_SETTINGS_MODULE=PRODUCTION, SECRET_KEY=key, ALLOWED_HOSTS="ict.example.gov")
    assert result.returncode == 2
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", DJANGO_SETTINGS_MODULE=PRODUCTION, SECRET_KEY=GOOD_KEY)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ALLOWED_HOSTS is not set")


def test_production_passes_the_deployment_checks_without_a_warning():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE=PRODUCTION,
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="ict.example.gov",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("not-a-url", "names an unsupported database"),
        ("mysql://user@127.0.0.1/ict", "names an unsupported database"),
        ("postgres://postgres@127.0.0.1:1/ictmgmt", "cannot use the database named by DATABASE_URL"),
    ],
)
def test_a_broken_database_url_gives_one_clear_line(url, expected):
    result = manage("migrate", "--check", DATABASE_URL=url, DJANGO_SETTINGS_MODULE="ictmgmt.settings.local")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and expected in lines[0]
    assert "Traceback" not in result.stderr


def test_an_unreachable_redis_gives_one_clear_line():
    result = manage(
        "shell",
        "-c",
        "from ictmgmt.celery import ping; ping.delay()",
        REDIS_URL="redis://127.0.0.1:1/0",
        DJANGO_SETTINGS_MODULE="ictmgmt.settings.local",
    )
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error: cannot reach the task broker at REDIS_URL='redis://127.0.0.1:1/0'")
    assert "Traceback" not in result.stderr


def test_without_redis_tasks_run_in_process(settings):
    from ictmgmt.celery import ping

    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    result = ping.delay()
    assert result.get().startswith("pong from ")
    assert result.successful()


@pytest.mark.parametrize(
    ("redis_url", "eager_in_a_command", "eager_in_a_web_process"),
    [("", True, False), ("redis://127.0.0.1:1/0", False, False)],
)
def test_without_redis_commands_run_tasks_eagerly_and_web_processes_in_their_worker_thread(
    redis_url, eager_in_a_command, eager_in_a_web_process
):
    # Importing the WSGI module is what runserver and gunicorn do; nothing is sent, so no broker is reached.
    code = (
        "from ictmgmt.celery import app; print(app.conf.task_always_eager); "
        "import ictmgmt.wsgi; print(app.conf.task_always_eager)"
    )
    local = "ictmgmt.settings.local"
    result = manage("shell", "--no-imports", "-c", code, REDIS_URL=redis_url, DJANGO_SETTINGS_MODULE=local)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(eager_in_a_command), str(eager_in_a_web_process)]


def test_the_daily_status_job_is_scheduled_and_registered(settings):
    from ictmgmt.celery import app

    app.loader.import_default_modules()  # what a worker does at start: autodiscovers tasks.py
    entry = settings.CELERY_BEAT_SCHEDULE["record-due-status-changes"]
    assert entry["task"] in app.tasks
    assert entry["schedule"].hour == {1}
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"
    assert settings.CELERY_RESULT_BACKEND == "django-db"
