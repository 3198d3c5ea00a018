"""The dashboard, the navigation and the sign-in lock-out in a real browser (Debian's Chromium).
Screenshots land in test-artifacts/."""

import re

import pytest
from playwright.sync_api import expect

from accounts.factories import UserFactory
from accounts.models import Role
from tests.browser.conftest import PASSWORD
from tests.workforce_data import build_workforce

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def w(agency_tree, ref):
    return build_workforce(agency_tree, ref)


def test_division_staff_see_the_government_wide_dashboard(sign_in, live_server, page, screenshot, w):
    UserFactory(username="deki", role=Role.DIVISION, first_name="Deki", is_staff=True)
    sign_in("deki")
    expect(page.locator("h1")).to_have_text("Welcome, Deki")
    expect(page.get_by_test_id("professionals-in-service")).to_have_text("7")
    expect(page.get_by_test_id("vacant-posts")).to_have_text("7")
    expect(page.get_by_test_id("pending-count")).to_have_text("2")
    expect(page.get_by_test_id("short-staffed").locator("li").first).to_contain_text("Ministry of Finance")
    chart = page.get_by_test_id("exits-chart")
    expect(chart).to_be_visible()
    assert chart.locator("rect").count() == 2  # one resignation, one retirement
    nav = page.get_by_test_id("main-nav")
    expect(nav.get_by_role("link")).to_have_text(["Dashboard", "Professionals", "Agencies", "Transfers", "Reports"])
    # The other sections sit in menus, so that the navigation fits one line on a laptop.
    expect(nav.get_by_role("button")).to_have_text(["Skills", "Meetings", "Data"])
    nav.get_by_role("button", name="Data").click()
    expect(nav.get_by_role("link", name="Administration")).to_be_visible()
    page.keyboard.press("Escape")
    expect(nav.get_by_role("link", name="Dashboard")).to_have_attribute("aria-current", "page")
    # The numbers behind the chart, for those who cannot see it.
    page.get_by_text("Show the numbers").click()
    expect(page.get_by_test_id("exits-table")).to_be_visible()
    screenshot("dashboard-division")
    # Printed, the page keeps its figures and drops the navigation and buttons.
    page.emulate_media(media="print")
    expect(page.locator("header.portal-header")).to_be_hidden()
    expect(page.get_by_role("link", name="Review all 2")).to_be_hidden()
    expect(page.get_by_test_id("professionals-in-service")).to_be_visible()


def test_an_agency_head_sees_their_subtree_on_the_dashboard(sign_in, live_server, page, screenshot, w):
    UserFactory(username="head-moh", role=Role.AGENCY_HEAD, agency=w.MOH, first_name="Choki")
    sign_in("head-moh")
    expect(page.get_by_test_id("scope-line")).to_contain_text("Ministry of Health and the agencies under it")
    expect(page.get_by_test_id("professionals-in-service")).to_have_text("5")
    expect(page.get_by_test_id("vacant-posts")).to_have_text("4")
    expect(page.get_by_test_id("staff-changes-due")).to_have_text("1")
    expect(page.locator("main")).not_to_contain_text("Ministry of Finance")
    nav = page.get_by_test_id("main-nav")
    expect(nav.get_by_role("link")).to_have_text(["Dashboard", "My agency", "Professionals", "Transfers", "Reports"])
    expect(nav.get_by_role("button")).to_have_text(["Skills", "Meetings"])
    screenshot("dashboard-agency-head")
    nav.get_by_role("link", name="My agency").click()
    expect(page.locator("h1")).to_have_text("Ministry of Health")
    expect(nav.get_by_role("link", name="My agency")).to_have_attribute("aria-current", "page")


def test_the_navigation_collapses_behind_a_menu_button_on_a_phone(sign_in, live_server, chromium, w):
    from tests.browser.conftest import ARTIFACTS

    UserFactory(username="deki", role=Role.DIVISION, first_name="Deki", is_staff=True)
    context = chromium.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    phone = context.new_page()
    try:
        sign_in("deki", on=phone)
        nav_link = phone.get_by_test_id("main-nav").get_by_role("link", name="Agencies")
        expect(nav_link).to_be_hidden()
        toggler = phone.get_by_role("button", name="Show or hide the menu")
        expect(toggler).to_be_visible()
        expect(toggler).to_have_attribute("aria-expanded", "false")
        toggler.click()
        expect(nav_link).to_be_visible()
        expect(phone.locator("#portal-nav")).to_have_class(re.compile(r"\bshow\b"))  # the slide has ended
        expect(toggler).to_have_attribute("aria-expanded", "true")
        ARTIFACTS.mkdir(exist_ok=True)
        phone.screenshot(path=str(ARTIFACTS / "nav-phone-open.png"))
        # Nothing is wider than the screen.
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        nav_link.click()
        phone.wait_for_url(re.compile(r"/agencies/$"))
        expect(phone.locator("h1")).to_have_text("Agencies")
        phone.screenshot(path=str(ARTIFACTS / "agencies-phone.png"), full_page=True)
    finally:
        context.close()


def test_the_keyboard_reaches_a_skip_link_first_with_a_visible_focus(sign_in, live_server, page, w):
    UserFactory(username="deki", role=Role.DIVISION, is_staff=True)
    sign_in("deki")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")


def test_repeated_failed_sign_ins_lock_the_account(live_server, page, screenshot, settings):
    settings.AXES_ENABLED = True
    UserFactory(username="deki", role=Role.DIVISION)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "deki")
        page.fill("#id_password", "not-my-password")
        page.click("main button[type=submit]")
    expect(page.get_by_test_id("locked-out")).to_contain_text("Too many failed sign-in attempts")
    screenshot("login-locked-out")
    # The right password no longer opens the door while the lock lasts.
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "deki")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.get_by_test_id("locked-out")).to_be_visible()
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
