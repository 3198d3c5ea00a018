"""docker-compose.yml describes web, worker, beat, PostgreSQL and Redis, and every command it runs
points at something that exists in this project."""

import importlib
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _command(service) -> list[str]:
    command = service["command"]
    words = shlex.split(command) if isinstance(command, str) else list(command)
    if words[:2] == ["sh", "-c"]:
        words = shlex.split(words[2].split("&&")[-1])
    return words


def test_it_has_the_five_services(compose):
    assert set(compose["services"]) == {"web", "worker", "beat", "db", "redis"}


def test_the_app_services_build_from_the_project_dockerfile(compose):
    for name in ("web", "worker", "beat"):
        service = compose["services"][name]
        assert service["build"] == "."
        assert (ROOT / "Dockerfile").exists()
        env = service["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "ictmgmt.settings.production"
        assert importlib.util.find_spec("ictmgmt.settings.production") is not None
        for variable in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_URL", "TIME_ZONE"):
            assert variable in env
            assert (
                f'"{variable}"'
                in (ROOT / "ictmgmt/settings/base.py").read_text()
                + (ROOT / "ictmgmt/settings/production.py").read_text()
            ), f"{variable} is set in compose but never read by the settings"


def test_web_runs_gunicorn_on_the_project_wsgi_application(compose):
    words = _command(compose["services"]["web"])
    assert words[0] == "gunicorn"
    module, attribute = words[1].split(":")
    assert (ROOT / (module.replace(".", "/") + ".py")).exists()
    assert f"{attribute} =" in (ROOT / (module.replace(".", "/") + ".py")).read_text()
    assert "manage.py migrate" in compose["services"]["web"]["command"]
    assert (ROOT / "manage.py").exists()


@pytest.mark.parametrize("name", ["worker", "beat"])
def test_worker_and_beat_run_the_project_celery_app(compose, name):
    words = _command(compose["services"][name])
    assert words[:3] == ["celery", "-A", "ictmgmt"]
    assert (ROOT / "ictmgmt" / "celery.py").exists()
    assert words[3] == name
    if "--scheduler" in words:
        module, _, cls = words[words.index("--scheduler") + 1].partition(":")
        assert hasattr(importlib.import_module(module), cls)


def test_the_app_waits_for_healthy_database_and_redis(compose):
    for name in ("web", "worker", "beat"):
        depends = compose["services"][name]["depends_on"]
        assert depends["db"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
    assert "healthcheck" in compose["services"]["db"]
    assert "healthcheck" in compose["services"]["redis"]
