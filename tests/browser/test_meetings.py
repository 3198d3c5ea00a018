"""Meetings in a real browser: the event page, the attendance tick-list on a tablet (htmx, one tap
per person), the invite form showing the fields of the chosen selector, and the signed answer link.
Screenshots land in test-artifacts/."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.factories import UserFactory
from accounts.models import Role
from meetings.emails import rsvp_url
from meetings.factories import ActionItemFactory, EventFactory, InvitationFactory
from meetings.models import EventKind, Invitation
from placements.factories import PlacementFactory
from professionals.factories import ProfessionalFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def meeting(agency_tree, ref):
    kind = EventKind.objects.get(code="ict-heads-meeting")
    event = EventFactory(kind=kind, title="ICT Heads' meeting, Q4", starts_at=timezone.now() - dt.timedelta(minutes=30))
    people = []
    for code in ("MOH", "MOF", "DZ-PARO"):
        person = ProfessionalFactory(first_name=f"Head-{code}", email=f"{code.lower()}@example.gov.bt")
        PlacementFactory(professional=person, agency=agency_tree[code])
        InvitationFactory(event=event, professional=person, agency=agency_tree[code], rsvp="accepted")
        people.append(person)
    ActionItemFactory(event=event, title="Share the staffing plan", owner_agency=agency_tree["MOF"])
    return event, people


def test_division_staff_tick_attendance_on_a_tablet(sign_in, live_server, page, screenshot, meeting):
    event, people = meeting
    UserFactory(username="deki", role=Role.DIVISION, is_staff=True)
    page.set_viewport_size({"width": 820, "height": 1180})  # a tablet held upright
    sign_in("deki")
    page.goto(f"{live_server.url}/events/{event.pk}/")
    expect(page.locator("h1")).to_have_text("ICT Heads' meeting, Q4")
    expect(page.get_by_test_id("action-items")).to_contain_text("Share the staffing plan")
    screenshot("event-page-division")
    page.get_by_test_id("attendance-button").click()
    ticks = page.get_by_test_id("tick")
    expect(ticks).to_have_count(3)
    ticks.nth(1).click()
    expect(ticks.nth(1)).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("present-count")).to_have_text("1")
    page.get_by_label("Find a name").fill("paro")
    expect(page.locator("[data-tick-name]:visible")).to_have_count(1)
    screenshot("attendance-tick-list-tablet")
    assert Invitation.objects.filter(event=event, attended=True).count() == 1


def test_the_invite_form_shows_the_fields_of_the_chosen_selector(sign_in, live_server, page, meeting):
    event, _ = meeting
    event.starts_at = timezone.now() + dt.timedelta(days=10)
    event.ends_at = event.starts_at + dt.timedelta(hours=3)
    event.save()
    UserFactory(username="deki", role=Role.DIVISION, is_staff=True)
    sign_in("deki")
    page.goto(f"{live_server.url}/events/{event.pk}/invite/")
    expect(page.get_by_label("Expert pool", exact=True)).to_be_hidden()
    page.get_by_label("By expert pool").check()
    expect(page.get_by_label("Expert pool", exact=True)).to_be_visible()
    page.get_by_label("External guest").check()
    page.get_by_label("Guest's name").fill("Dr Jane Roe")
    page.get_by_label("Guest's email").fill("jane@example.org")
    page.get_by_role("button", name="Invite", exact=True).click()
    expect(page.get_by_test_id("invitees")).to_contain_text("Dr Jane Roe")


def test_an_invitee_answers_through_the_signed_link_without_signing_in(live_server, page, screenshot, meeting):
    event, people = meeting
    event.starts_at = timezone.now() + dt.timedelta(days=10)
    event.ends_at = event.starts_at + dt.timedelta(hours=3)
    event.save()
    invitation = Invitation.objects.get(professional=people[1])
    page.goto(live_server.url + rsvp_url(invitation.pk).removeprefix("http://127.0.0.1:8000"))
    page.get_by_role("button", name="Not attending").click()
    expect(page.get_by_test_id("rsvp-current")).to_have_text("Not attending")
    screenshot("rsvp-link")
    page.goto(f"{live_server.url}/events/rsvp/forged-token/")
    expect(page.get_by_test_id("rsvp-error")).to_contain_text("not valid")
