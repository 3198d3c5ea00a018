"""The professionals pages in a real browser: filtering in place, a profile, a status change, scoping
and exports. Screenshots land in test-artifacts/."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from accounts.factories import UserFactory
from accounts.models import Role
from professionals.models import Status, StatusEvent
from professionals.tests.view_fixtures import make_roster

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def roster(agency_tree, ref):
    return make_roster(agency_tree, ref)


def rows(page):
    return page.locator("[data-testid=professionals-table] tbody tr")


def test_division_staff_filter_the_list_open_a_profile_and_record_extraordinary_leave(
    sign_in, live_server, page, screenshot, roster
):
    UserFactory(username="deki", role=Role.DIVISION, first_name="Deki")
    sign_in("deki")

    page.goto(f"{live_server.url}/professionals/")
    expect(page.get_by_test_id("result-count")).to_have_text("5")
    expect(rows(page)).to_have_count(5)
    screenshot("professionals-list")

    # A filter updates the list in place (htmx) and the address keeps it for a bookmark.
    page.select_option("#id_agency", "MOH")
    expect(page).to_have_url(re.compile(r"/professionals/\?.*agency=MOH"))
    expect(rows(page)).to_have_count(3)
    page.locator("#id_q").press_sequentially("pema", delay=30)
    expect(page).to_have_url(re.compile(r"q=pema"))
    expect(rows(page)).to_have_count(1)
    assert "status=" not in page.url  # empty and default filters stay out of the address
    expect(page.locator("#filter-form")).to_be_visible()  # the form was not replaced
    screenshot("professionals-list-filtered")

    # The bookmarked address gives the same list on a fresh load.
    page.goto(page.url)
    expect(rows(page)).to_have_count(1)
    expect(page.locator("#id_agency")).to_have_value("MOH")
    expect(page.locator("#id_q")).to_have_value("pema")

    page.click("text=Pema Dema")
    expect(page.locator("h1")).to_have_text("Pema Dema")
    expect(page.get_by_test_id("current-placement")).to_contain_text("Department of Medical Services")
    expect(page.get_by_test_id("national-id")).to_have_text("10000000002")
    screenshot("professional-profile")

    # Pema is already on leave: record the return, then Karma's extraordinary leave.
    page.click("[data-testid=record-status]")
    page.select_option("#id_kind", "return")
    page.fill("#id_effective_date", "2025-03-01")
    page.click("[data-testid=status-event-form] button[type=submit]")
    expect(page.get_by_test_id("status-badge")).to_have_text("In service")

    page.goto(f"{live_server.url}/professionals/{roster.karma.pk}/")
    page.click("[data-testid=record-status]")
    page.select_option("#id_kind", "eol")
    page.fill("#id_effective_date", "2025-04-01")
    page.fill("#id_reference", "RCSC/EOL/2025/14")
    page.click("[data-testid=status-event-form] button[type=submit]")
    # Leave needs an expected end: the error is on that field and what was typed stays.
    expect(page.locator("#id_expected_end")).to_have_class(re.compile("is-invalid"))
    expect(page.locator("#id_expected_end_error")).to_contain_text("needs an expected end date")
    expect(page.locator("#id_reference")).to_have_value("RCSC/EOL/2025/14")
    screenshot("status-event-form-error")

    page.fill("#id_expected_end", "2026-04-01")
    page.click("[data-testid=status-event-form] button[type=submit]")
    expect(page.get_by_test_id("status-badge")).to_have_text("On extraordinary leave")
    expect(page.get_by_role("status").first).to_contain_text("Recorded for Karma Wangchuk: extraordinary leave")
    expect(page.get_by_test_id("status-history")).to_contain_text("Expected back 01 Apr 2026")
    expect(page.get_by_test_id("audit-trail")).to_contain_text("Deki")
    screenshot("professional-profile-after-leave")
    roster.karma.refresh_from_db()
    assert roster.karma.status == Status.EOL
    assert StatusEvent.objects.get(professional=roster.karma, kind="eol").reference == "RCSC/EOL/2025/14"


def test_an_agency_head_sees_their_subtree_and_cannot_open_another_agencys_professional(
    sign_in, live_server, page, screenshot, roster
):
    sign_in("head-moh")
    page.goto(f"{live_server.url}/professionals/")
    expect(rows(page)).to_have_count(3)
    expect(page.locator("main")).to_contain_text("Ministry of Health and the agencies under it")
    expect(page.locator("main")).not_to_contain_text("Dorji Penjor")
    expect(page.locator("main")).not_to_contain_text("10000000001")  # no national ids unless granted
    screenshot("professionals-list-agency-head")

    response = page.goto(f"{live_server.url}/professionals/{roster.dorji.pk}/")
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text("Dorji")
    screenshot("professional-other-agency-404")

    response = page.goto(f"{live_server.url}/professionals/{roster.sonam.pk}/")
    assert response.status == 200
    expect(page.locator("h1")).to_have_text("Sonam Tobgay")
    expect(page.get_by_test_id("national-id")).to_contain_text("Hidden")
    expect(page.get_by_test_id("record-status")).to_have_count(0)


def test_an_export_holds_exactly_the_filtered_list(sign_in, live_server, page, screenshot, roster):
    UserFactory(username="hr-dawa", role=Role.HR_OFFICER)
    sign_in("hr-dawa")
    page.goto(f"{live_server.url}/professionals/")
    page.select_option("#id_title", "senior-ict-officer")
    expect(rows(page)).to_have_count(2)
    page.select_option("#id_sort", "-name")
    expect(page).to_have_url(re.compile(r"sort=-name"))
    listed = rows(page).locator("td:first-child a").all_inner_texts()
    screenshot("professionals-list-before-export")

    with page.expect_download() as download_info:
        page.click("[data-testid=export-csv]")
    download = download_info.value
    assert download.suggested_filename.startswith("professionals-")
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig") as exported:
        exported_rows = list(csv.DictReader(io.StringIO(exported.read())))
    assert (
        [f"{row['First name']} {row['Last name']}" for row in exported_rows] == listed == ["Pema Dema", "Dorji Penjor"]
    )
    assert "National id" not in exported_rows[0]

    with page.expect_download() as download_info:
        page.click("[data-testid=export-xlsx]")
    assert download_info.value.suggested_filename.endswith(".xlsx")


def test_the_list_works_without_javascript(sign_in, live_server, chromium, roster):
    UserFactory(username="deki", role=Role.DIVISION)
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 860})
    page = context.new_page()
    try:
        sign_in("deki", on=page)
        page.goto(f"{live_server.url}/professionals/")
        page.select_option("#id_grade", "P4")
        page.click("#filter-form button[type=submit]")
        expect(page).to_have_url(re.compile(r"grade=P4"))
        expect(rows(page)).to_have_count(1)
    finally:
        context.close()


def test_the_list_and_profile_fit_a_phone(sign_in, live_server, chromium, roster):
    UserFactory(username="deki", role=Role.DIVISION)
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        sign_in("deki", on=page)
        page.goto(f"{live_server.url}/professionals/")
        expect(page.locator("#filter-form")).to_be_hidden()  # folded behind the "Filters" button
        expect(rows(page)).to_have_count(5)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(_artifact("professionals-list-phone")), full_page=True)
        page.get_by_role("button", name="Filters").click()
        expect(page.locator("#filter-form")).to_be_visible()
        page.goto(f"{live_server.url}/professionals/{roster.karma.pk}/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(_artifact("professional-profile-phone")), full_page=True)
    finally:
        context.close()


def _artifact(name: str):
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / f"{name}.png"
