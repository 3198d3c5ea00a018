"""The API as a whole: who am I, write refusals, throttling, the error shape, schema and docs access."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from professionals.models import Professional
from tests.api_helpers import ACTORS, api_as, build_world, token_api

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(agency_tree, ref, division_user, hr_user):
    return build_world(agency_tree, ref, division_user, hr_user)


# ---------------------------------------------------------------------------------------------
# Who am I


@pytest.mark.parametrize(
    ("actor", "kind", "agency", "may_write", "may_create", "sees_ids", "by"),
    [
        ("division", "everything", None, True, True, True, "session"),
        ("hr", "everything", None, False, False, False, "session"),
        ("head", "agency", "MOH", False, False, False, "session"),
        ("professional", "own_record", None, False, False, True, "session"),
        ("client", "everything", None, True, True, True, "token"),
        ("agency_client", "agency", "MOH", True, False, False, "token"),
        ("read_only_client", "everything", None, False, False, False, "token"),
    ],
)
def test_me_tells_each_account_its_role_and_scope(world, actor, kind, agency, may_write, may_create, sees_ids, by):
    response = api_as(world, actor).get("/api/v1/me/")
    assert response.status_code == 200
    me = response.json()
    assert me["username"] == world.users[actor].username
    assert me["role"] == world.users[actor].role
    assert me["authenticated_by"] == by
    assert me["scope"]["kind"] == kind
    assert (me["scope"]["agency"] or {}).get("code") == agency
    assert me["scope"]["may_write"] is may_write
    assert me["scope"]["may_create_professionals"] is may_create
    assert me["scope"]["sees_national_ids"] is sees_ids
    assert (me["scope"]["write_refusal"] is None) is may_write
    assert (me["token"] is not None) is (by == "token")


def test_a_read_only_client_is_told_why_its_write_is_refused(world):
    response = api_as(world, "read_only_client").patch(
        f"/api/v1/professionals/{world.people['MOH'].id}/", {"phone": "1"}, format="json"
    )
    assert response.status_code == 403
    assert response.json() == {
        "detail": "This API client is read-only: it may read records but not create or change them.",
        "errors": {},
    }


@pytest.mark.parametrize("actor", ACTORS)
def test_reference_data_is_open_to_every_account(world, actor):
    api = api_as(world, actor)
    for url in ("/api/v1/grades/P4/", "/api/v1/position-titles/ict-officer/", "/api/v1/tracks/cybersecurity/"):
        assert api.get(url).status_code == 200, url
    assert api.get("/api/v1/grades/", {"category": "P"}).json()["count"] == 5
    assert api.get("/api/v1/grades/NOPE/").status_code == 404


def test_reference_data_cannot_be_written(world):
    api = api_as(world, "division")
    assert api.post("/api/v1/grades/", {"code": "X1"}, format="json").status_code == 405
    assert api.delete("/api/v1/tracks/cybersecurity/").status_code == 405


def test_portal_sessions_must_send_the_csrf_token_to_write(world):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(world.users["division"])
    assert api.get("/api/v1/me/").status_code == 200
    response = api.patch(f"/api/v1/professionals/{world.people['MOH'].id}/", {"phone": "1"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert Professional.objects.get(pk=world.people["MOH"].pk).phone == ""


# ---------------------------------------------------------------------------------------------
# Throttling


@pytest.fixture
def low_rates(settings):
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_client": "3/minute", "user": "5/minute"},
    }
    yield
    cache.clear()


def test_each_client_is_throttled_on_its_own_budget(world, low_rates):
    api = api_as(world, "client")
    assert [api.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 200]
    response = api.get("/api/v1/me/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert set(response.json()) == {"detail", "errors"} and "seconds" in response.json()["detail"]
    # Another client, and a portal user, still have their own.
    assert api_as(world, "agency_client").get("/api/v1/me/").status_code == 200
    division = api_as(world, "division")
    assert [division.get("/api/v1/me/").status_code for _ in range(6)] == [200] * 5 + [429]


def test_a_throttled_write_writes_nothing(world, low_rates):
    api = api_as(world, "client")
    for _ in range(3):
        api.get("/api/v1/me/")
    response = api.patch(f"/api/v1/professionals/{world.people['MOH'].id}/", {"phone": "1"}, format="json")
    assert response.status_code == 429
    assert Professional.objects.get(pk=world.people["MOH"].pk).phone == ""


# ---------------------------------------------------------------------------------------------
# Bad input: always 4xx, the same shape, nothing written


def test_malformed_json_is_a_400_and_nothing_is_written(world):
    response = api_as(world, "division").generic(
        "POST", "/api/v1/professionals/", '{"employee_id": "E1",', content_type="application/json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("JSON parse error") and body["errors"] == {}
    assert Professional.objects.count() == 6


@pytest.mark.parametrize("payload", ["[1, 2]", '"text"', "null", "42"])
def test_a_body_that_is_not_an_object_is_a_400(world, payload):
    response = api_as(world, "division").generic(
        "POST", "/api/v1/professionals/", payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"]
    assert Professional.objects.count() == 6


def test_a_form_encoded_body_is_a_415(world):
    response = api_as(world, "division").post(
        "/api/v1/professionals/", "first_name=X", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    assert set(response.json()) == {"detail", "errors"}


def test_an_unknown_endpoint_answers_a_json_404(world):
    api = api_as(world, "division")
    response = api.get("/api/v1/employees/")
    assert response.status_code == 404
    assert "/api/docs/" in response.json()["detail"]
    assert api.get("/api/v1/professionals/not-a-number/").status_code == 404


def test_an_id_too_large_for_the_database_is_a_404_not_a_500(world):
    response = api_as(world, "division").get("/api/v1/professionals/99999999999999999999999/")
    assert response.status_code == 404


def test_a_nul_character_in_a_query_is_a_400(world):
    response = api_as(world, "division").get("/api/v1/professionals/", {"search": "a\x00b"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["search"]


# ---------------------------------------------------------------------------------------------
# Schema and docs


def test_the_schema_and_docs_need_an_account(world):
    anonymous = APIClient()
    assert anonymous.get("/api/schema/").status_code == 401
    assert anonymous.get("/api/docs/").status_code == 401
    token = token_api(world.keys["read_only_client"])
    schema = token.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/v1/professionals/" in schema.json()["paths"]
    docs = api_as(world, "division").get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    assert b"cdn" not in docs.content.lower()  # the sidecar serves the UI: it works offline


@pytest.mark.parametrize("url", ["/api/v1/grades/", "/api/v1/position-titles/", "/api/v1/tracks/", "/api/v1/me/"])
def test_reference_lists_and_me_run_a_fixed_number_of_queries(world, url, django_assert_num_queries):
    api = api_as(world, "client")
    api.get(url)  # the token's first use records last_used_at
    # token (with its user), then for lists: count and page (grade category, min and max grade joined)
    with django_assert_num_queries(1 if url.endswith("/me/") else 3):
        assert api.get(url).status_code == 200
