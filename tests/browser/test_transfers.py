"""A transfer from request to office order in a real browser: the releasing head fills in the form
and watches the rule checks (htmx), the receiving head concurs, division staff approve and open the
office order. Screenshots land in test-artifacts/."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.factories import UserFactory
from accounts.models import Role
from agencies.factories import SanctionedPostFactory
from placements.factories import PlacementFactory
from placements.models import TransferRequest
from professionals.factories import ProfessionalFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_transfer_from_request_to_office_order(sign_in, live_server, page, screenshot, agency_tree, ref, chromium):
    moh, mof = agency_tree["MOH"], agency_tree["MOF"]
    officer = ref.titles["ict-officer"]
    SanctionedPostFactory(agency=moh, position_title=officer, number=1)
    person = ProfessionalFactory(
        first_name="Karma", last_name="Wangchuk", employee_id="E900001", position_title=officer,
        first_appointment_date=dt.date(2012, 1, 1),
    )  # fmt: skip
    PlacementFactory(professional=person, agency=mof, position_title=officer, start_date=dt.date(2018, 1, 1))
    UserFactory(username="head-mof", role=Role.AGENCY_HEAD, agency=mof)
    UserFactory(username="head-moh", role=Role.AGENCY_HEAD, agency=moh)
    UserFactory(username="deki", role=Role.DIVISION, is_staff=True)

    sign_in("head-mof")
    page.get_by_test_id("main-nav").get_by_role("link", name="Transfers").click()
    page.get_by_test_id("new-request").click()
    page.get_by_label("Employee id").fill("E900001")
    page.get_by_label("Receiving agency").select_option("MOH")
    page.get_by_label("Position title at the destination").select_option("ict-officer")
    page.get_by_label("Proposed effective date").fill((timezone.localdate() + dt.timedelta(days=30)).isoformat())
    page.get_by_label("Reason").fill("Health information system")
    page.get_by_label("Reason").blur()
    checks = page.get_by_test_id("rule-checks")
    expect(checks.get_by_test_id("checked-person")).to_contain_text("Karma Wangchuk")
    expect(checks.get_by_test_id("all-clear")).to_be_visible()
    screenshot("transfer-form-checks")
    page.get_by_test_id("submit-request").click()
    expect(page.get_by_test_id("state")).to_have_text("Submitted")
    request = TransferRequest.objects.get()

    moh_page = chromium.new_context().new_page()
    sign_in("head-moh", on=moh_page)
    moh_page.goto(f"{live_server.url}/transfers/{request.pk}/")
    moh_page.get_by_role("button", name="Concur").click()
    expect(moh_page.get_by_test_id("state")).to_have_text("Concurred")

    division = chromium.new_context().new_page()
    sign_in("deki", on=division)
    division.goto(f"{live_server.url}/transfers/")
    division.get_by_role("link", name=request.reference).click()
    division.get_by_role("button", name="Approve").click()
    expect(division.get_by_test_id("state")).to_have_text("Approved")
    expect(division.get_by_test_id("office-order")).to_contain_text(f"ICT/{timezone.localdate().year}/001")
    expect(division.get_by_test_id("timeline")).to_contain_text("Concurred")
    with division.expect_download() as download:
        division.get_by_test_id("office-order").click()
    assert download.value.suggested_filename.endswith(".pdf")
