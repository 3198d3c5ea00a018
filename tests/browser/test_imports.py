"""The import page in a real browser: a file with an error, its report, the corrected file, the commit."""

import pytest
from playwright.sync_api import expect

from accounts.factories import UserFactory
from accounts.models import Role
from imports.tests.helpers import PROFESSIONAL_HEADERS, csv_bytes, professional_row
from professionals.models import Professional

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_division_staff_check_a_file_read_its_errors_and_import_the_corrected_one(
    sign_in, live_server, page, screenshot, agency_tree, ref, tmp_path
):
    UserFactory(username="deki", role=Role.DIVISION, first_name="Deki")
    sign_in("deki")
    nav = page.get_by_test_id("main-nav")
    nav.get_by_role("button", name="Data").click()
    nav.get_by_role("link", name="Import").click()
    expect(page.locator("h1")).to_have_text("Import data from spreadsheets")

    wrong = tmp_path / "staff-2026.csv"
    wrong.write_bytes(
        csv_bytes(
            [PROFESSIONAL_HEADERS, professional_row(1), professional_row(2, **{"Date of birth": "03/04/1990"})],
            delimiter=";",
            bom=True,
        )
    )
    page.select_option("#id_kind", "professionals")
    page.set_input_files("#id_file", str(wrong))
    page.click("text=Upload and check")
    expect(page.get_by_test_id("has-errors")).to_be_visible()
    error_row = page.get_by_test_id("error-table").locator("tbody tr")
    expect(error_row).to_have_count(1)
    expect(error_row).to_have_class("table-danger")
    expect(error_row).to_contain_text("3")
    expect(error_row).to_contain_text("Date of birth")
    expect(error_row).to_contain_text("could be 03 Apr 1990 or 04 Mar 1990")
    expect(page.get_by_test_id("commit")).to_have_count(0)
    screenshot("import-errors")

    right = tmp_path / "staff-2026-corrected.csv"
    right.write_bytes(csv_bytes([PROFESSIONAL_HEADERS, professional_row(1), professional_row(2)], delimiter=";"))
    page.goto(f"{live_server.url}/imports/")
    page.select_option("#id_kind", "professionals")
    page.set_input_files("#id_file", str(right))
    page.click("text=Upload and check")
    expect(page.get_by_test_id("counts")).to_contain_text("2 to create")
    expect(page.get_by_test_id("change-table").locator("tbody tr")).to_have_count(2)
    assert not Professional.objects.exists()
    screenshot("import-dry-run")

    page.get_by_test_id("commit").click()
    expect(page.get_by_test_id("committed")).to_be_visible()
    assert Professional.objects.filter(current_agency__code="MOH").count() == 2
    screenshot("import-committed")

    with page.expect_download() as download:
        page.goto(f"{live_server.url}/imports/")
        page.get_by_test_id("template-professionals").click()
    assert download.value.suggested_filename == "import-professionals-template.xlsx"
