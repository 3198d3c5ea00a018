"""The reports page, a run's page with its polled progress, downloads, and the API: who may see
and ask for what, and that lists cost a fixed number of queries."""

import pytest
from django.utils import timezone

from accounts.factories import UserFactory
from accounts.models import Role
from reports.models import ReportRun, RunStatus
from tests.api_helpers import api_as, build_world

pytestmark = pytest.mark.django_db


def _post(client, data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/reports/", data)


def test_division_staff_run_a_report_from_the_page_and_download_it(
    h, division_client, django_capture_on_commit_callbacks
):
    response = _post(
        division_client,
        {"kind": "attrition", "format": "csv", "start_year": 2021, "end_year": 2023, "include_sub_agencies": "on"},
        django_capture_on_commit_callbacks,
    )
    run = ReportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/{run.pk}/"
    page = division_client.get(f"/reports/{run.pk}/")
    html = page.content.decode()
    assert 'data-status="succeeded"' in html and "hx-trigger" not in html  # finished: no more polling
    download = division_client.get(f"/reports/{run.pk}/download/")
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content).decode("utf-8-sig").startswith("Year,Headcount at start")


def test_the_run_page_polls_while_the_run_is_queued_or_running(h, division_client, division_user):
    run = ReportRun.objects.create(kind="roster", requested_by=division_user, status=RunStatus.RUNNING, progress=40)
    html = division_client.get(f"/reports/{run.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in html and 'aria-valuenow="40"' in html
    fragment = division_client.get(f"/reports/{run.pk}/", headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith('<div class="card shadow-sm" id="run-status"')
    assert division_client.get(f"/reports/{run.pk}/download/").status_code == 404  # no file yet


def test_the_page_shows_bad_parameters_on_the_form_and_queues_nothing(h, division_client):
    response = division_client.post("/reports/", {"kind": "attrition", "format": "pdf", "end_year": 2099})
    assert response.status_code == 400
    assert "in the future" in response.content.decode()
    assert not ReportRun.objects.exists()


def test_an_agency_head_sees_only_their_runs_and_agencies(h, head, client, division_user, agency_tree):
    theirs = ReportRun.objects.create(kind="roster", requested_by=head, status=RunStatus.FAILED, error="x")
    others = ReportRun.objects.create(kind="roster", requested_by=division_user, status=RunStatus.SUCCEEDED)
    client.force_login(head)
    page = client.get("/reports/")
    assert [run.pk for run in page.context["runs"]] == [theirs.pk]
    assert {code for code, _ in page.context["form"].fields["agencies"].choices} == {"MOH", "DMS", "JDWNRH"}
    assert client.get(f"/reports/{others.pk}/").status_code == 404
    assert client.get(f"/reports/{others.pk}/download/").status_code == 404
    refused = client.post("/reports/", {"kind": "roster", "format": "csv", "agencies": ["MOF"]})
    assert (
        refused.status_code == 400
        and not ReportRun.objects.filter(requested_by=head, kind="roster").exclude(pk=theirs.pk).exists()
    )


def test_professionals_find_no_reports(h, client):
    client.force_login(UserFactory(role=Role.PROFESSIONAL, professional=h.people.a))
    assert client.get("/reports/").status_code == 404


def test_the_runs_list_costs_a_fixed_number_of_queries(
    h, division_client, division_user, django_assert_max_num_queries
):
    for _ in range(3):
        ReportRun.objects.create(kind="roster", requested_by=division_user, requested_at=timezone.now())
    with django_assert_max_num_queries(12) as few:
        division_client.get("/reports/")
    for _ in range(20):
        ReportRun.objects.create(kind="attrition", requested_by=UserFactory(role=Role.HR_OFFICER))
    with django_assert_max_num_queries(len(few.captured_queries)):
        division_client.get("/reports/")


# ---------------------------------------------------------------------------------------------
# API


@pytest.fixture
def world(agency_tree, ref, division_user, hr_user):
    return build_world(agency_tree, ref, division_user, hr_user)


def test_the_api_requests_a_run_and_gives_its_status_and_download_link(world, django_capture_on_commit_callbacks):
    api = api_as(world, "client")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/reports/",
            {"kind": "headcount", "format": "xlsx", "parameters": {"agencies": ["MOH"]}},
            format="json",
        )
    assert response.status_code == 201, response.json()
    run_id = response.json()["id"]
    status = api.get(f"/api/v1/reports/{run_id}/").json()
    assert status["status"] == "succeeded" and status["progress"] == 100
    assert status["parameters"]["agencies"] == ["MOH"]
    assert status["download_url"].endswith(f"/api/v1/reports/{run_id}/download/")
    download = api.get(f"/api/v1/reports/{run_id}/download/")
    assert download.status_code == 200 and download["Content-Type"].startswith("application/vnd.openxmlformats")
    # A client may name the file's type in Accept (the schema documents the three).
    asked = api.get(f"/api/v1/reports/{run_id}/download/", HTTP_ACCEPT=download["Content-Type"])
    assert asked.status_code == 200 and asked["Content-Type"] == download["Content-Type"]
    with django_capture_on_commit_callbacks(execute=True):
        again = api.post(
            "/api/v1/reports/",
            {"kind": "headcount", "format": "xlsx", "parameters": {"agencies": ["MOH"]}},
            format="json",
        )
    assert again.status_code == 200 and again.json()["id"] == run_id  # reused


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"kind": "attrition", "parameters": {"start_year": 1990, "end_year": 2099}},
            "end_year: The period ends in 2099",
        ),
        ({"kind": "projection", "parameters": {"years": 40}}, "years: A plan lasts from 1 to 30 years, not 40."),
        ({"kind": "roster", "parameters": {"agencies": ["MOF"]}}, "agencies: Unknown agency: MOF."),
        ({"kind": "gossip"}, "kind:"),
    ],
)
def test_the_api_refuses_bad_input_with_a_message_before_queueing(world, body, message):
    response = api_as(world, "agency_client").post("/api/v1/reports/", body, format="json")
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not ReportRun.objects.exists()


def test_the_api_scopes_runs_and_refuses_professionals(world, division_user):
    run = ReportRun.objects.create(kind="roster", requested_by=division_user)
    assert api_as(world, "hr").get(f"/api/v1/reports/{run.pk}/").status_code == 200
    listed = api_as(world, "hr").get("/api/v1/reports/?status=queued&kind=roster").json()
    assert listed["count"] == 1, listed
    assert api_as(world, "hr").get("/api/v1/reports/?status=failed").json()["count"] == 0
    assert api_as(world, "agency_client").get(f"/api/v1/reports/{run.pk}/").status_code == 404
    assert api_as(world, "head").get("/api/v1/reports/").json()["results"] == []
    refused = api_as(world, "professional").post("/api/v1/reports/", {"kind": "roster"}, format="json")
    assert refused.status_code == 403 and "Reports are for" in refused.json()["detail"]


def test_the_api_list_costs_a_fixed_number_of_queries(world, division_user, django_assert_max_num_queries):
    api = api_as(world, "division")
    ReportRun.objects.create(kind="roster", requested_by=division_user)
    with django_assert_max_num_queries(8) as few:
        api.get("/api/v1/reports/")
    for _ in range(15):
        ReportRun.objects.create(kind="roster", requested_by=UserFactory(role=Role.HR_OFFICER))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert api.get("/api/v1/reports/").status_code == 200
