"""Exports of the list (/professionals/export.csv and .xlsx): the list's rows, every page, same order."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.factories import UserFactory
from accounts.models import Role
from professionals.factories import ProfessionalFactory

from .view_fixtures import make_roster

pytestmark = pytest.mark.django_db

LIST = reverse("professionals:list")
CSV = reverse("professionals:export_csv")
XLSX = reverse("professionals:export_xlsx")


@pytest.fixture
def roster(agency_tree, ref):
    return make_roster(agency_tree, ref)


def read_csv(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def read_xlsx(response) -> tuple[list[str], list[tuple]]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return list(rows[0]), rows[1:]


def listed_employee_ids(client, query: str) -> list[str]:
    response = client.get(f"{LIST}?{query}")
    return [person.employee_id for person in response.context["professionals"]]


@pytest.mark.parametrize(
    "query", ["", "agency=MOH", "status=all&sort=agency", "sort=-grade&category=P", "q=dema", "superannuation=1_5"]
)
def test_the_csv_has_the_same_rows_in_the_same_order_as_the_list(division_client, roster, query):
    response = division_client.get(f"{CSV}?{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="professionals-')
    rows = read_csv(response)
    assert [row["Employee id"] for row in rows] == listed_employee_ids(division_client, query)


def test_the_csv_has_readable_values(division_client, roster):
    rows = read_csv(division_client.get(f"{CSV}?grade=P3"))
    assert rows == [
        {
            "Employee id": "2001000002",
            "National id": "10000000002",
            "First name": "Pema",
            "Middle name": "",
            "Last name": "Dema",
            "Gender": "Female",
            "Date of birth": roster.pema.date_of_birth.isoformat(),
            "Grade": "P3",
            "Grade category": "P",
            "Position title": "Senior ICT Officer",
            "Track": "Cybersecurity",
            "Agency code": "DMS",
            "Agency": "Department of Medical Services",
            "Dzongkhag": "",
            "Placed since": "2018-03-01",
            "Status": "On extraordinary leave",
            "Employment type": "Regular",
            "First appointment": "2014-01-01",
            "Superannuation date": roster.pema.superannuation_date.isoformat(),
            "Email": "",
            "Phone": "",
        }
    ]


def test_the_excel_file_has_the_same_rows_and_real_dates(division_client, roster):
    response = division_client.get(f"{XLSX}?status=all&sort=superannuation")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].endswith('.xlsx"')
    header, rows = read_xlsx(response)
    assert header[:3] == ["Employee id", "National id", "First name"]
    assert [row[0] for row in rows] == listed_employee_ids(division_client, "status=all&sort=superannuation")
    superannuation = rows[0][header.index("Superannuation date")]
    assert isinstance(superannuation, dt.datetime)  # a date cell, not text
    assert superannuation.date() == roster.karma.superannuation_date


def test_an_export_covers_every_page_of_the_list(division_client, ref):
    ProfessionalFactory.create_batch(60, grade=ref.grades["P4"])
    assert len(read_csv(division_client.get(CSV))) == 60
    assert len(read_xlsx(division_client.get(XLSX))[1]) == 60


@pytest.mark.parametrize("url", [CSV, XLSX])
def test_hr_officers_get_no_national_id_column(client, hr_user, roster, url):
    client.force_login(hr_user)
    response = client.get(url)
    if url == CSV:
        rows = read_csv(response)
        header = list(rows[0])
        assert not any("10000000001" in value for row in rows for value in row.values())
    else:
        header = read_xlsx(response)[0]
    assert "National id" not in header
    assert len(header) == 20


def test_hr_officers_granted_national_ids_get_the_column(client, roster):
    client.force_login(UserFactory(role=Role.HR_OFFICER, can_view_national_ids=True))
    assert read_csv(client.get(CSV))[0]["National id"] == "10000000004"


@pytest.mark.parametrize("url", [CSV, XLSX])
def test_an_agency_heads_export_holds_only_their_subtree_whatever_the_filter(client, roster, url):
    client.force_login(roster.head)
    response = client.get(f"{url}?agency=MOF&status=all")
    if url == CSV:
        ids = [row["Employee id"] for row in read_csv(response)]
    else:
        ids = [row[0] for row in read_xlsx(response)[1]]
    assert ids == [roster.karma.employee_id, roster.pema.employee_id, roster.sonam.employee_id]


def test_a_professionals_export_holds_only_themselves(client, roster):
    client.force_login(roster.professional_user)
    assert [row["Employee id"] for row in read_csv(client.get(f"{CSV}?status=all"))] == [roster.karma.employee_id]


def test_an_empty_csv_export_is_a_valid_file_with_headers(division_client, roster):
    response = division_client.get(f"{CSV}?q=nobody-by-this-name")
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    lines = text.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Employee id,National id,First name")


def test_an_empty_excel_export_is_a_valid_file_with_headers(division_client, roster):
    header, rows = read_xlsx(division_client.get(f"{XLSX}?q=nobody-by-this-name"))
    assert header[0] == "Employee id"
    assert rows == []


def test_an_export_ignores_invalid_filters_like_the_list(division_client, roster):
    rows = read_csv(division_client.get(f"{CSV}?grade=XYZ&agency=DMS"))
    assert [row["First name"] for row in rows] == ["Pema", "Sonam"]


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(division_client, roster):
    roster.karma.last_name = "=HYPERLINK(1)"
    roster.karma.save(update_fields=["last_name"])
    assert read_csv(division_client.get(f"{CSV}?grade=P4"))[0]["Last name"] == "'=HYPERLINK(1)"
    header, rows = read_xlsx(division_client.get(f"{XLSX}?grade=P4"))
    assert rows[0][header.index("Last name")] == "'=HYPERLINK(1)"


def test_exports_need_a_login(client):
    assert client.get(CSV).status_code == 302
    assert client.get(XLSX).status_code == 302
