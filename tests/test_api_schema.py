"""Property-based tests of the whole API against its own OpenAPI schema (schemathesis).

Every operation of /api/schema/ is called with generated requests, valid ones and invalid ones, as
a government-wide client with write access: no answer may be a server error, and every answer must
be what the schema documents (status code, content type, body).

schemathesis's own pytest plugin does not run under pytest 9 yet, so the test drives its Hypothesis
strategies directly, one operation at a time.
"""

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core import signals
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable

from tests.api_helpers import build_world

pytestmark = pytest.mark.django_db

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]
EXAMPLES = {schemathesis.GenerationMode.POSITIVE: 50, schemathesis.GenerationMode.NEGATIVE: 30}


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Each request through the real WSGI handler would close the database connection at its end
    (and with it the test's transaction on PostgreSQL); Django's test client avoids that the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(agency_tree, ref, division_user, hr_user, settings):
    cache.clear()
    # Hundreds of calls in one test: lift the per-client budget.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_client": "1000000/hour", "user": "1000000/hour"},
    }
    return build_world(agency_tree, ref, division_user, hr_user)


def load_schema(key: str):
    return schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", WSGIHandler(), headers={"Authorization": f"Token {key}"}
    )


def operations(schema):
    found = []
    for result in schema.get_all_operations():
        found.append(result.ok())  # an operation the loader could not read raises here
    return found


def exercise(operation, mode, headers: dict) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def call(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    call()


def test_the_schema_lists_every_resource(world):
    paths = {operation.path for operation in operations(load_schema(world.keys["client"]))}
    for resource in ("agencies", "professionals", "placements", "grades", "position-titles", "tracks"):
        assert f"/api/v1/{resource}/" in paths
    assert "/api/v1/me/" in paths


def test_every_operation_answers_valid_requests_as_its_schema_says(world):
    headers = {"Authorization": f"Token {world.keys['client']}"}
    for operation in operations(load_schema(world.keys["client"])):
        exercise(operation, schemathesis.GenerationMode.POSITIVE, headers)


def test_every_operation_refuses_invalid_requests_as_its_schema_says(world):
    headers = {"Authorization": f"Token {world.keys['client']}"}
    exercised = []
    for operation in operations(load_schema(world.keys["client"])):
        try:
            exercise(operation, schemathesis.GenerationMode.NEGATIVE, headers)
        except Unsatisfiable:
            continue  # nothing about this operation can be invalid (e.g. /me/, or a free-text path)
        exercised.append(operation.label)
    # Every list (bad filters and pages), write (bad bodies) and numeric id (non-numbers) is tried.
    assert len(exercised) >= 12, exercised


@pytest.mark.parametrize("actor", ["division", "hr", "head", "professional", "agency_client", "read_only_client"])
def test_real_records_match_the_schema_for_every_kind_of_account(world, actor, client):
    """Generated ids rarely hit a row: fetch real ones, as accounts that see fewer fields and rows."""
    schema = load_schema(world.keys["client"])
    headers, cookies = {}, {}
    if actor in world.keys:
        headers["Authorization"] = f"Token {world.keys[actor]}"
    else:
        client.force_login(world.users[actor])
        cookies[django_settings.SESSION_COOKIE_NAME] = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    person = world.people["DMS"]
    calls = [
        ("/api/v1/professionals/{id}/", {"id": person.id}),
        ("/api/v1/professionals/by-employee-id/{employee_id}/", {"employee_id": person.employee_id}),
        ("/api/v1/professionals/{id}/status-events/", {"id": person.id}),
        ("/api/v1/placements/{id}/", {"id": person.placements.get().id}),
        ("/api/v1/agencies/{id}/", {"id": world.agencies["DMS"].id}),
        ("/api/v1/professionals/", {}),
        ("/api/v1/placements/", {}),
        ("/api/v1/agencies/", {}),
        ("/api/v1/me/", {}),
    ]
    for path, parameters in calls:
        case = schema[path]["GET"].Case(path_parameters=parameters)
        response = case.call(headers=headers, cookies=cookies)
        assert response.status_code == 200, (path, response.text)
        case.validate_response(response, checks=CHECKS)


def test_the_schema_generates_valid_and_without_warnings(tmp_path):
    from django.core.management import call_command

    # Fails (SystemExit) on any drf-spectacular warning, e.g. a field whose type it had to guess.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "/api/v1/placements/" in (tmp_path / "schema.yaml").read_text()
