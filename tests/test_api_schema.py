"""Property-based tests of the whole API against its own OpenAPI schema (schemathesis).

The database holds the demo data set at a small size (tests/api_helpers.py: build_demo_world):
rows of every resource in every state. Every operation of /api/schema/ is called with generated
requests, valid ones and invalid ones, once with a government-wide client that writes ("division")
and once with a client scoped to one agency ("agency"): no answer may be a server error, and every
answer must be what the schema documents (status code, content type, body). Generated ids rarely
hit a row, so the generated requests also go to real rows, and a last test reads every list and a
real record of every resource, as every kind of account.

schemathesis's own pytest plugin does not run under pytest 9 yet, so the test drives its Hypothesis
strategies directly, one operation at a time, with a fixed seed (derandomize) and a bounded number
of examples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable

from competencies.models import (
    Assessment,
    Certification,
    Deployment,
    ExpertPoolMembership,
    MembershipState,
    TrainingProgramme,
    TrainingRequest,
    TrainingRequestState,
)
from meetings.models import ActionItem, ActionStatus, Event, EventStatus, Invitation, Minutes, MinutesStatus
from placements.models import Placement, TransferAction, TransferRequest, TransferRuleOverride, TransferState
from professionals.models import StatusEvent
from reports.models import ReportRun, RunStatus
from tests.api_helpers import build_demo_world, token_api

pytestmark = pytest.mark.django_db

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]
POSITIVE, NEGATIVE = schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE
# Per operation, token and mode: the whole file takes about 2.7 minutes of CPU (3 to 5 minutes on
# this machine's two shared cores).
EXAMPLES = {POSITIVE: 25, NEGATIVE: 15}
# A requested report is built inside the request where the task runs eagerly (the embedded
# default; not here, where the test's transaction holds back on_commit): bounded all the same.
FEWER_EXAMPLES = {("POST", "/api/v1/reports/"): 5}
TOKENS = ["division", "agency"]
# Real rows per resource that the generated requests also go to, and that the last test reads.
REAL_ROWS = 6
# Sub-resources that exist only for some rows.
EXISTS_FOR = {
    "/api/v1/transfer-requests/{id}/office-order/": lambda row: row["office_order"] is not None,
    "/api/v1/reports/{id}/download/": lambda row: row["download_url"] is not None,
}
# Each renders a PDF or builds a file: one row is enough.
ONE_ROW = {"/api/v1/transfer-requests/{id}/office-order/", "/api/v1/reports/{id}/download/"}


def _keep_the_connection() -> None:
    """Each request through the real WSGI handler would close the database connection (and with it
    the test's transaction on PostgreSQL; SQLite's in-memory database ignores the close). Django's
    test client avoids that the same way, but reconnects the handler after each of its own
    requests: so this runs again after the test client has been used."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    _keep_the_connection()
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(settings):
    # Thousands of calls in one test: lift the per-client budget.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_client": "1000000/hour", "user": "1000000/hour"},
    }
    return build_demo_world()


def load_schema(key: str):
    return schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", WSGIHandler(), headers={"Authorization": f"Token {key}"}
    )


def operations(schema):
    found = []
    for result in schema.get_all_operations():
        found.append(result.ok())  # an operation the loader could not read raises here
    return found


def list_path(path: str, list_paths: set[str]) -> str | None:
    """The list whose rows give the parameters of `path`: /api/v1/professionals/ for
    /api/v1/professionals/by-employee-id/{employee_id}/ and /api/v1/professionals/{id}/status-events/."""
    parts = path[: path.index("{")].rstrip("/").split("/")
    while parts:
        candidate = "/".join(parts) + "/"
        if candidate in list_paths:
            return candidate
        parts.pop()
    return None


def varied(rows: list[dict], limit: int) -> list[dict]:
    """Up to `limit` rows that differ in state and in which fields are empty (null, "" or [])."""
    chosen, seen = [], set()
    for row in rows:
        shape = (
            tuple(str(row.get(name)) for name in ("state", "status", "kind")),
            frozenset(name for name, value in row.items() if value in (None, "", [])),
        )
        if shape not in seen:
            seen.add(shape)
            chosen.append(row)
    return chosen[:limit]


@dataclass
class RealRows:
    """What an account sees: parameters of real rows for each path with parameters, and the ids
    and codes of real records by the name of the body field that refers to them."""

    parameters: dict[str, list[dict]]
    references: dict[str, list]


def real_rows(schema, api) -> RealRows:
    gets = {operation.path for operation in operations(schema) if operation.method.upper() == "GET"}
    lists = {path for path in gets if "{" not in path}
    rows_of: dict[str, list[dict]] = {}

    def rows(source: str) -> list[dict]:
        if source not in rows_of:
            response = api.get(source, {"page_size": 200})
            assert response.status_code == 200, (source, response.content)
            rows_of[source] = response.json()["results"]
        return rows_of[source]

    parameters: dict[str, list[dict]] = {}
    for path in sorted({operation.path for operation in operations(schema) if "{" in operation.path}):
        source = list_path(path, lists)
        assert source is not None, f"No list gives the parameters of {path}"
        names = re.findall(r"{(\w+)}", path)
        chosen = varied([row for row in rows(source) if EXISTS_FOR.get(path, bool)(row)], REAL_ROWS)
        parameters[path] = [{name: row[name] for name in names} for row in chosen[: 1 if path in ONE_ROW else None]]

    def column(source: str, name: str = "id") -> list:
        return [row[name] for row in rows(source)]

    people = column("/api/v1/professionals/")
    agencies = column("/api/v1/agencies/", "code")
    invitations = []
    for event in parameters["/api/v1/events/{id}/"]:
        invitations += [row["id"] for row in api.get(f"/api/v1/events/{event['id']}/").json()["invitations"]]
    references = {
        **dict.fromkeys(["professional", "owner_professional", "professionals", "experts"], people),
        **dict.fromkeys(["agency", "owner_agency", "receiving_agency"], agencies),
        "position_title": column("/api/v1/position-titles/", "code"),
        "grade": column("/api/v1/grades/", "code"),
        "track": column("/api/v1/tracks/", "code"),
        "event": column("/api/v1/events/"),
        "programme": column("/api/v1/training-programmes/"),
        "competency": column("/api/v1/competencies/"),
        "pool": column("/api/v1/expert-pools/"),
        "membership": [member["id"] for pool in rows("/api/v1/expert-pools/") for member in pool["members"]],
        "invitation": invitations,
        "event_kind": sorted(set(column("/api/v1/events/", "kind"))),
    }
    _keep_the_connection()  # the test client above reconnected the handler that would close it
    return RealRows(parameters=parameters, references=references)


def refer_to_real_records(operation, case, draw, references: dict[str, list]) -> None:
    """Give the fields of a generated body that refer to other records (ids, codes) the ids and
    codes of real ones, so that writes get past "there is no such record" to the rules behind."""
    if not isinstance(case.body, dict) or not draw(st.booleans()):
        return
    fields = dict(references)
    fields["kind"] = references["event_kind"] if operation.path.startswith("/api/v1/events/") else []
    for name, value in case.body.items():
        choices = fields.get(name)
        if not choices:
            continue
        if isinstance(value, list):
            case.body[name] = draw(st.lists(st.sampled_from(choices), min_size=1, max_size=3, unique=True))
        elif type(value) is type(choices[0]):
            case.body[name] = draw(st.sampled_from(choices))


def exercise(operation, mode, headers: dict, real: RealRows) -> None:
    strategy = operation.as_strategy(generation_mode=mode)
    if real.parameters.get(operation.path):
        on_real_rows = st.sampled_from(real.parameters[operation.path]).flatmap(
            lambda parameters: operation.as_strategy(generation_mode=mode, path_parameters=parameters)
        )
        strategy = st.one_of(strategy, on_real_rows)
    examples = FEWER_EXAMPLES.get((operation.method.upper(), operation.path), EXAMPLES[mode])

    @given(case=strategy, data=st.data())
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def call(case, data):
        if mode == POSITIVE:  # a negative case stays as generated: what makes it invalid may be there
            refer_to_real_records(operation, case, data.draw, real.references)
        case.call_and_validate(headers=headers, checks=CHECKS)

    call()


def test_the_schema_lists_every_resource(world):
    paths = {operation.path for operation in operations(load_schema(world.keys["division"]))}
    for resource in ("agencies", "professionals", "placements", "grades", "position-titles", "tracks"):
        assert f"/api/v1/{resource}/" in paths
    assert "/api/v1/me/" in paths


def exercise_all(world, token: str, mode) -> tuple[list[str], list[str]]:
    """Every operation in `mode` as `token`: the operations exercised, and every failure found
    (each operation's first, shrunk), so that one run shows them all."""
    schema = load_schema(world.keys[token])
    real = real_rows(schema, token_api(world.keys[token]))
    headers = {"Authorization": f"Token {world.keys[token]}"}
    exercised, failures = [], []
    for operation in operations(schema):
        try:
            exercise(operation, mode, headers, real)
        except Unsatisfiable:
            continue  # nothing about this operation can be invalid (e.g. /me/, or a free-text path)
        except (AssertionError, schemathesis.errors.FailureGroup) as failure:
            failures.append(f"{operation.label}: {failure}")
        exercised.append(operation.label)
    return exercised, failures


def test_the_world_has_rows_of_every_resource_in_every_state(world):
    """The generated requests and the reads below are only as good as the rows they meet. (That the
    agency-scoped client sees a row of every resource, test_real_records_match_... checks.)"""

    def values(model, field: str) -> set:
        return set(model.objects.values_list(field, flat=True))

    assert values(Event, "status") == set(EventStatus.values)
    for status in (EventStatus.PLANNED, EventStatus.HELD):
        events = Event.objects.filter(status=status)
        assert events.filter(online_url="").exists() and events.exclude(online_url="").exists(), status
    assert Invitation.objects.filter(professional__isnull=True).exists()  # external guests
    assert values(Minutes, "status") == set(MinutesStatus.values)
    assert values(ActionItem, "status") == set(ActionStatus.values)
    assert TrainingProgramme.objects.exists() and Assessment.objects.exists() and Deployment.objects.exists()
    assert values(TrainingRequest, "state") == set(TrainingRequestState.values)
    assert values(Certification, "expires_on") > {None}  # some expire, some do not
    assert values(ExpertPoolMembership, "state") >= {MembershipState.NOMINATED, MembershipState.ACCEPTED}
    assert values(TransferRequest, "state") == set(TransferState.values)
    effected = TransferRequest.objects.filter(state=TransferState.EFFECTED)
    assert effected.filter(events__action=TransferAction.EFFECT, events__actor__isnull=True).exists()  # by the task
    assert TransferRuleOverride.objects.filter(overridden_by__isnull=True).exists()
    assert values(ReportRun, "status") >= {RunStatus.QUEUED, RunStatus.SUCCEEDED, RunStatus.FAILED}
    assert ReportRun.objects.filter(requested_by__isnull=True).exists()
    assert values(Placement, "end_date") > {None}  # current and ended placements
    assert StatusEvent.objects.exists()


@pytest.mark.parametrize("token", TOKENS)
def test_every_operation_answers_valid_requests_as_its_schema_says(world, token):
    exercised, failures = exercise_all(world, token, POSITIVE)
    assert not failures, "\n\n".join(failures)
    assert len(exercised) == len(operations(load_schema(world.keys[token])))


@pytest.mark.parametrize("token", TOKENS)
def test_every_operation_refuses_invalid_requests_as_its_schema_says(world, token):
    exercised, failures = exercise_all(world, token, NEGATIVE)
    assert not failures, "\n\n".join(failures)
    # Every list (bad filters and pages), write (bad bodies) and numeric id (non-numbers) is tried.
    assert len(exercised) >= 60, exercised


@pytest.mark.parametrize("actor", ["division", "agency", "read_only", "division_user", "hr", "head", "professional"])
def test_real_records_match_the_schema_for_every_kind_of_account(world, actor, client):
    """Every list, and real records of every resource in their different states, as accounts that
    see fewer fields and rows."""
    schema = load_schema(world.keys["division"])
    headers, cookies = {}, {}
    if actor in world.keys:
        headers["Authorization"] = f"Token {world.keys[actor]}"
        api = token_api(world.keys[actor])
    else:
        client.force_login(world.users[actor])
        cookies[django_settings.SESSION_COOKIE_NAME] = client.cookies[django_settings.SESSION_COOKIE_NAME].value
        api = client
    real = real_rows(schema, api)
    read, failures = set(), []
    for operation in operations(schema):
        if operation.method.upper() != "GET":
            continue
        if "{" in operation.path:
            calls = [{"path_parameters": parameters} for parameters in real.parameters[operation.path]]
        elif any(parameter.name == "page_size" for parameter in operation.query):
            calls = [{"query": {"page_size": 200}}]
        else:
            calls = [{}]
        for call in calls:
            case = operation.Case(**call)
            response = case.call(headers=headers, cookies=cookies)
            assert response.status_code == 200, (operation.label, call, response.text)
            try:
                case.validate_response(response, checks=CHECKS)
            except schemathesis.errors.FailureGroup as failure:  # every failure at once, not only the first
                failures.append(f"{operation.label} {call}: {failure}")
            read.add(operation.path)
    assert not failures, "\n\n".join(failures)
    if actor in TOKENS:  # the tokens the generated requests use see a row of every resource
        gets = {operation.path for operation in operations(schema) if operation.method.upper() == "GET"}
        assert read == gets, sorted(gets - read)


def test_the_schema_generates_valid_and_without_warnings(tmp_path):
    from django.core.management import call_command

    # Fails (SystemExit) on any drf-spectacular warning, e.g. a field whose type it had to guess.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "/api/v1/placements/" in (tmp_path / "schema.yaml").read_text()
