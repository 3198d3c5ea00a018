"""The portal's import pages: upload, dry-run report, commit; templates and exports; division only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.factories import UserFactory
from accounts.models import Role
from agencies.models import Agency
from imports.models import ImportRun, ImportState
from imports.reading import MAX_BYTES
from professionals.factories import ProfessionalFactory
from professionals.models import Professional

from .helpers import PROFESSIONAL_HEADERS, csv_bytes, professional_row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _run_tasks_after_commit(monkeypatch, django_capture_on_commit_callbacks):
    """The views queue their tasks once the request's writes are committed: run them at the end
    of each POST, as a worker would (tasks are eager without REDIS_URL)."""
    from django.test import Client

    post = Client.post

    def post_then_run_tasks(self, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            response = post(self, *args, **kwargs)
        return response

    monkeypatch.setattr(Client, "post", post_then_run_tasks)


def upload(client, rows, *, kind="professionals", name="staff-2026.csv", data=None):
    data = data if data is not None else csv_bytes(rows)
    return client.post("/imports/", {"kind": kind, "file": SimpleUploadedFile(name, data, "text/csv")})


def test_division_staff_upload_see_the_dry_run_and_commit(division_client, division_user, agency_tree, ref):
    response = upload(division_client, [PROFESSIONAL_HEADERS, professional_row(1), professional_row(2)])
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{run.pk}/"
    assert run.state == ImportState.CHECKED and run.report["ok"] and run.report["counts"]["create"] == 2
    assert not Professional.objects.exists()

    page = division_client.get(f"/imports/{run.pk}/").content.decode()
    assert 'data-testid="clean"' in page and "Import 2 changes" in page and "201500001" in page

    assert division_client.post(f"/imports/{run.pk}/commit/").status_code == 302
    run.refresh_from_db()
    assert run.state == ImportState.COMMITTED and run.committed_by == division_user
    assert Professional.objects.count() == 2
    assert Professional.history.filter(history_change_reason="Imported from staff-2026.csv").count() == 2
    assert 'data-testid="committed"' in division_client.get(f"/imports/{run.pk}/").content.decode()


def test_a_file_with_errors_shows_them_highlighted_and_cannot_be_committed(division_client, agency_tree, ref):
    upload(division_client, [PROFESSIONAL_HEADERS, professional_row(1, **{"Agency code": "MOHH"})])
    run = ImportRun.objects.get()
    page = division_client.get(f"/imports/{run.pk}/").content.decode()
    assert 'data-testid="has-errors"' in page and 'class="table-danger"' in page
    assert "No agency has the code or name “MOHH”. Did you mean MOH?" in page
    assert 'data-testid="commit"' not in page
    response = division_client.post(f"/imports/{run.pk}/commit/", follow=True)
    assert "Only a checked file without errors can be imported." in response.content.decode()
    assert not Professional.objects.exists()


def test_a_committed_run_is_not_committed_twice(division_client, agency_tree, ref):
    upload(division_client, [PROFESSIONAL_HEADERS, professional_row(1)])
    run = ImportRun.objects.get()
    division_client.post(f"/imports/{run.pk}/commit/")
    response = division_client.post(f"/imports/{run.pk}/commit/", follow=True)
    assert "This file has already been imported." in response.content.decode()


def test_the_commit_rechecks_and_writes_nothing_when_the_data_changed_since_the_dry_run(division_client, ref):
    upload(division_client, [["Code", "Name", "Kind", "Parent code"], ["DOIT", "Dept of IT", "Department", "MOICT"]],
           kind="agencies")  # fmt: skip
    run = ImportRun.objects.get()
    assert not run.report["ok"]  # the parent does not exist yet
    Agency.objects.create(code="MOICT", name="Ministry of ICT", kind=ref.kinds["ministry"])
    upload(division_client, [["Code", "Name", "Kind", "Parent code"], ["DOIT", "Dept of IT", "Department", "MOICT"]],
           kind="agencies")  # fmt: skip
    clean = ImportRun.objects.first()
    assert clean.report["ok"]
    Agency.objects.filter(code="MOICT").delete()  # gone before the commit
    division_client.post(f"/imports/{clean.pk}/commit/")
    clean.refresh_from_db()
    assert clean.state == ImportState.CHECKED and not clean.report["ok"]
    assert not Agency.objects.filter(code="DOIT").exists()


def test_a_file_over_the_size_limit_is_refused_before_it_is_stored(division_client, ref):
    response = upload(division_client, [], data=b"a" * (MAX_BYTES + 30 * 1024 * 1024), name="big.csv")
    assert response.status_code == 200
    assert "The file is 50 MB; the limit is 20 MB." in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_gets_a_clear_message(division_client, ref):
    upload(division_client, [], data=b"%PDF-1.4 binary", name="staff.xlsx")
    run = ImportRun.objects.get()
    assert "This is a PDF document, not a spreadsheet." in division_client.get(f"/imports/{run.pk}/").content.decode()


def test_the_running_page_polls_with_htmx_and_shows_progress(division_client, division_user):
    run = ImportRun.objects.create(kind="professionals", filename="x.csv", created_by=division_user)
    page = division_client.get(f"/imports/{run.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and 'data-testid="progress"' in page
    fragment = division_client.get(f"/imports/{run.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith("{% load") is False and 'id="run-body"' in fragment and "<html" not in fragment


@pytest.mark.parametrize(
    "kind", ["agencies", "professionals", "ict-units", "sanctioned-posts", "placements", "status-events"]
)
def test_templates_and_exports_download(division_client, ref, kind):
    template = division_client.get(f"/imports/templates/{kind}.xlsx")
    assert template.status_code == 200 and template.content.startswith(b"PK")
    export = division_client.get(f"/imports/export/{kind}.csv")
    assert export.status_code == 200 and export["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize("role", [Role.HR_OFFICER, Role.AGENCY_HEAD, Role.PROFESSIONAL])
def test_everyone_but_division_staff_gets_404(client, division_user, role, agency_tree):
    run = ImportRun.objects.create(kind="professionals", filename="x.csv", created_by=division_user)
    client.force_login(
        UserFactory(
            role=role,
            agency=agency_tree["MOH"] if role == Role.AGENCY_HEAD else None,
            professional=ProfessionalFactory() if role == Role.PROFESSIONAL else None,
        )
    )
    for path in ("/imports/", f"/imports/{run.pk}/", f"/imports/{run.pk}/file/", "/imports/templates/agencies.xlsx",
                 "/imports/export/professionals.csv"):  # fmt: skip
        assert client.get(path).status_code == 404, path
    assert client.post(f"/imports/{run.pk}/commit/").status_code == 404


def test_read_only_division_staff_may_look_but_not_upload(client, ref):
    client.force_login(UserFactory(role=Role.DIVISION, read_only=True))
    assert client.get("/imports/").status_code == 200
    assert upload(client, [["Code"]], kind="agencies").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get("/imports/")["Location"].startswith("/accounts/login/")


def test_commit_is_refused_on_get(division_client, division_user):
    run = ImportRun.objects.create(kind="professionals", filename="x.csv", created_by=division_user)
    assert division_client.get(f"/imports/{run.pk}/commit/").status_code == 405
