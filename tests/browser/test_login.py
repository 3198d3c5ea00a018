import pytest

from accounts.factories import UserFactory
from accounts.models import Role
from placements.factories import PlacementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_division_user_signs_in_and_sees_the_home_page(live_server, page, screenshot, agency_tree):
    UserFactory(username="deki", role=Role.DIVISION, first_name="Deki")
    PlacementFactory(agency=agency_tree["MOH"])
    PlacementFactory(agency=agency_tree["MOF"])

    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    # The stylesheet comes from the app itself (installed from npm), not a CDN.
    css = page.evaluate("getComputedStyle(document.querySelector('.btn-primary')).backgroundColor")
    assert css not in ("", "rgba(0, 0, 0, 0)")
    screenshot("login")

    page.fill("#id_username", "deki")
    page.fill("#id_password", "pass-word-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Welcome, Deki"
    assert page.get_by_test_id("professionals-in-service").inner_text() == "2"
    screenshot("home-division")


def test_a_wrong_password_is_refused_with_a_message(live_server, page):
    UserFactory(username="deki", role=Role.DIVISION)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "deki")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    assert "correct username and password" in page.locator(".alert-danger").inner_text()
