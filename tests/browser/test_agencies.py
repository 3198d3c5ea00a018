"""The agency tree and an agency page in a real browser: finding an agency, its figures, and
division staff editing its establishment in place (htmx). Screenshots land in test-artifacts/."""

import pytest
from playwright.sync_api import expect

from accounts.factories import UserFactory
from accounts.models import Role
from agencies.models import SanctionedPost
from tests.workforce_data import build_workforce

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def w(agency_tree, ref):
    return build_workforce(agency_tree, ref, with_moh_unit=True)


def test_division_staff_find_an_agency_in_the_tree_and_open_it(sign_in, live_server, page, screenshot, w):
    UserFactory(username="deki", role=Role.DIVISION, is_staff=True)
    sign_in("deki")
    page.get_by_test_id("main-nav").get_by_role("link", name="Agencies").click()
    expect(page.locator("h1")).to_have_text("Agencies")
    hospital = page.get_by_role("link", name="National Referral Hospital")
    expect(hospital).to_be_hidden()  # inside the collapsed Ministry of Health
    page.get_by_role("button", name="Expand all").click()
    expect(hospital).to_be_visible()
    page.get_by_role("button", name="Collapse all").click()
    page.get_by_label("Find an agency").fill("referral")
    expect(hospital).to_be_visible()
    expect(page.get_by_role("link", name="Ministry of Finance")).to_be_hidden()
    page.get_by_label("Find an agency").fill("")
    expect(page.get_by_role("link", name="Ministry of Finance")).to_be_visible()
    screenshot("agencies-tree")

    page.get_by_role("link", name="Ministry of Health").click()
    expect(page.locator("h1")).to_have_text("Ministry of Health")
    expect(page.get_by_test_id("agency-headcount")).to_have_text("5")
    expect(page.get_by_test_id("agency-vacant")).to_have_text("4")
    expect(page.get_by_test_id("unit-head")).to_have_text("Karma Test")
    expect(page.get_by_test_id("terms-of-reference").locator("p")).to_have_count(2)
    expect(page.get_by_test_id("establishment")).to_contain_text("1 over")
    expect(page.get_by_test_id("staff").locator("tbody tr")).to_have_count(5)
    expect(page.get_by_test_id("sub-agencies")).to_contain_text("Department of Medical Services")
    screenshot("agency-page-division")


def test_division_staff_edit_the_establishment_with_errors_on_the_fields(sign_in, live_server, page, screenshot, w):
    UserFactory(username="deki", role=Role.DIVISION, is_staff=True)
    sign_in("deki")
    page.goto(f"{live_server.url}/agencies/MOH/")
    page.get_by_role("link", name="Edit establishment").click()
    officer = page.get_by_role("spinbutton", name="ICT Officer: sanctioned posts", exact=True)
    expect(officer).to_have_value("3")
    officer.fill("-2")
    page.get_by_role("button", name="Save the establishment").click()
    expect(page.locator("#establishment-form .invalid-feedback").first).to_be_visible()
    expect(officer).to_have_value("-2")
    expect(officer).to_have_attribute("aria-invalid", "true")
    screenshot("establishment-form-errors")
    officer.fill("6")
    page.get_by_role("button", name="Save the establishment").click()
    page.wait_for_url(f"{live_server.url}/agencies/MOH/")
    expect(page.get_by_role("status")).to_contain_text("The establishment of Ministry of Health is saved")
    assert SanctionedPost.objects.get(agency=w.MOH, position_title__name="ICT Officer").number == 6
    expect(page.get_by_test_id("establishment")).to_contain_text("4 vacant")


def test_an_agency_head_sees_their_agency_without_edit_buttons(sign_in, live_server, page, screenshot, w):
    UserFactory(username="head-moh", role=Role.AGENCY_HEAD, agency=w.MOH)
    sign_in("head-moh")
    page.goto(f"{live_server.url}/agencies/MOH/")
    expect(page.locator("h1")).to_have_text("Ministry of Health")
    expect(page.get_by_role("link", name="Edit establishment")).to_have_count(0)
    screenshot("agency-page-agency-head")
    response = page.goto(f"{live_server.url}/agencies/MOF/")
    assert response.status == 404
