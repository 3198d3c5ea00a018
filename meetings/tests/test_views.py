"""The meetings pages: who sees what (404 otherwise), the division's forms, the tick-list, the board,
the minutes PDF, and constant query counts."""

import datetime as dt
import html
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from meetings.factories import ActionItemFactory, EventFactory, InvitationFactory
from meetings.models import ActionItem, ActionStatus, Event, EventStatus, Invitation, Minutes, MinutesStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(world, event):
    """One event to which MOF and DMS are invited (not MOH itself, not PARO), with items."""
    InvitationFactory(event=event, professional=world.people["head-MOF"], agency=world.agencies["MOF"])
    InvitationFactory(event=event, professional=world.people["staff-DMS"], agency=world.agencies["DMS"])
    other = EventFactory(kind=world.kinds["review-committee"], title="Review of the e-Gov master plan")
    InvitationFactory(event=other, professional=world.people["head-DZ-PARO"], agency=world.agencies["DZ-PARO"])
    items = {
        "mof": ActionItemFactory(event=event, title="MOF item", owner_agency=world.agencies["MOF"]),
        "jdwnrh": ActionItemFactory(event=event, title="JDWNRH item", owner_agency=world.agencies["JDWNRH"]),
        "person": ActionItemFactory(event=event, title="DMS staff item", owner_professional=world.people["staff-DMS"]),
        "paro": ActionItemFactory(event=other, title="PARO item", owner_agency=world.agencies["DZ-PARO"]),
    }
    return {"event": event, "other": other, "items": items}


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def as_user(client, world, actor):
    client.force_login(world.users[actor])
    return client


@pytest.mark.parametrize(
    ("actor", "visible"),
    [
        ("division", {"event", "other"}),
        ("hr", {"event", "other"}),
        ("head", {"event"}),  # DMS, below MOH, is invited
        ("head_mof", {"event"}),
        ("professional", {"event"}),
    ],
)
def test_each_role_sees_exactly_its_events(client, world, scene, actor, visible):
    api = as_user(client, world, actor)
    listing = page_text(api.get("/events/", {"when": "all"}))
    for name in ("event", "other"):
        event = scene[name]
        assert (event.title in listing) == (name in visible), (actor, name)
        status = api.get(f"/events/{event.pk}/").status_code
        assert status == (200 if name in visible else 404), (actor, name)
        assert api.get(f"/events/{event.pk}/calendar.ics").status_code == status


@pytest.mark.parametrize(
    ("actor", "visible"),
    [
        ("division", {"mof", "jdwnrh", "person", "paro"}),
        ("hr", {"mof", "jdwnrh", "person", "paro"}),
        ("head", {"jdwnrh", "person"}),
        ("head_mof", {"mof"}),
        ("professional", {"person"}),
    ],
)
def test_each_role_sees_exactly_its_action_items(client, world, scene, actor, visible):
    api = as_user(client, world, actor)
    board = page_text(api.get("/action-items/"))
    for name, item in scene["items"].items():
        assert (item.title in board) == (name in visible), (actor, name)
        assert api.get(f"/action-items/{item.pk}/").status_code == (200 if name in visible else 404)


def test_an_agency_head_sees_only_their_agencies_invitees_on_the_event_page(client, world, scene):
    page = page_text(as_user(client, world, "head").get(f"/events/{scene['event'].pk}/"))
    assert world.people["staff-DMS"].full_name in page
    assert world.people["head-MOF"].full_name not in page
    assert "MOF item" not in page and "JDWNRH item" in page


def test_a_professional_answers_their_invitation_from_the_portal(client, world, scene):
    api = as_user(client, world, "professional")
    invitation = Invitation.objects.get(professional=world.people["staff-DMS"])
    other = Invitation.objects.get(professional=world.people["head-MOF"])
    response = api.post(f"/events/{scene['event'].pk}/rsvp/", {"invitation": invitation.pk, "answer": "accepted"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.rsvp == "accepted"
    refused = api.post(f"/events/{scene['event'].pk}/rsvp/", {"invitation": other.pk, "answer": "declined"})
    assert refused.status_code == 404
    other.refresh_from_db()
    assert other.rsvp == "pending"


def test_hr_officers_read_but_do_not_change(client, world, scene):
    api = as_user(client, world, "hr")
    event = scene["event"]
    assert api.get("/events/new/").status_code == 403
    assert api.get(f"/events/{event.pk}/attendance/").status_code == 403
    assert api.post(f"/events/{event.pk}/status/", {"status": "cancelled"}).status_code == 403
    item = scene["items"]["mof"]
    assert api.post(f"/action-items/{item.pk}/status/", {"status": "done"}).status_code == 403
    assert Event.objects.get(pk=event.pk).status == EventStatus.PLANNED
    assert ActionItem.objects.get(pk=item.pk).status == ActionStatus.OPEN


def test_anonymous_visitors_are_sent_to_sign_in(client, scene):
    for url in (
        "/events/",
        f"/events/{scene['event'].pk}/",
        "/action-items/",
        f"/events/{scene['event'].pk}/minutes.pdf",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_division_plans_an_event_in_local_time(division_client, world):
    response = division_client.post(
        "/events/new/",
        {
            "kind": world.kinds["ict-conference"].pk,
            "title": "National ICT conference",
            "starts_at": "2027-03-10T09:00",
            "ends_at": "2027-03-11T17:00",
            "venue": "Royal Institute of Management",
            "capacity": "150",
        },
    )
    event = Event.objects.get(title="National ICT conference")
    assert response.status_code == 302 and response["Location"] == f"/events/{event.pk}/"
    assert event.starts_at == dt.datetime(2027, 3, 10, 3, 0, tzinfo=dt.UTC)  # 09:00 in Thimphu
    assert event.organiser == world.users["division"]
    page = page_text(division_client.get(f"/events/{event.pk}/"))
    assert "Wednesday 10 March 2027, 09:00" in page


def test_an_event_ending_before_it_starts_is_refused_on_the_form(division_client, world):
    response = division_client.post(
        "/events/new/",
        {
            "kind": world.kinds["ict-conference"].pk,
            "title": "Backwards",
            "starts_at": "2027-03-10T09:00",
            "ends_at": "2027-03-10T08:00",
        },
    )
    assert response.status_code == 200
    assert "ends before it starts" in page_text(response)
    assert not Event.objects.filter(title="Backwards").exists()


def test_division_invites_from_the_form(division_client, world, scene):
    event = scene["event"]
    response = division_client.post(
        f"/events/{event.pk}/invite/", {"source": "by_hand", "employee_ids": world.people["staff-MOF"].employee_id}
    )
    assert response.status_code == 302
    assert event.invitations.filter(professional=world.people["staff-MOF"]).exists()
    unknown = division_client.post(f"/events/{event.pk}/invite/", {"source": "by_hand", "employee_ids": "E999999"})
    assert "No professional has the employee id E999999" in page_text(unknown)
    missing = division_client.post(f"/events/{event.pk}/invite/", {"source": "expert_pool"})
    assert "Choose the expert pool" in page_text(missing)


def test_the_tick_list_marks_attendance_with_htmx(division_client, world):
    event = EventFactory(kind=world.kinds["ict-heads-meeting"], starts_at=timezone.now() - dt.timedelta(minutes=30))
    invitation = InvitationFactory(event=event, professional=world.people["head-MOF"], agency=world.agencies["MOF"])
    page = division_client.get(f"/events/{event.pk}/attendance/")
    assert page.status_code == 200 and world.people["head-MOF"].full_name in page_text(page)
    response = division_client.post(
        f"/events/{event.pk}/attendance/{invitation.pk}/", {"attended": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'aria-pressed="true"' in page_text(response)
    invitation.refresh_from_db()
    assert invitation.attended is True


def test_the_tick_list_refuses_before_the_day(division_client, world, scene):
    invitation = Invitation.objects.get(professional=world.people["head-MOF"])
    response = division_client.post(
        f"/events/{scene['event'].pk}/attendance/{invitation.pk}/", {"attended": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert "attendance is taken from that day on" in page_text(response)
    invitation.refresh_from_db()
    assert invitation.attended is None


def test_an_agency_head_updates_their_agencys_item_from_the_page(client, world, scene):
    api = as_user(client, world, "head_mof")
    item = scene["items"]["mof"]
    response = api.post(f"/action-items/{item.pk}/status/", {"status": "in_progress", "note": "Drafting."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ActionStatus.IN_PROGRESS
    api.post(f"/action-items/{item.pk}/notes/", {"text": "Draft shared with the secretary."})
    page = page_text(api.get(f"/action-items/{item.pk}/"))
    assert "Drafting." in page and "Draft shared with the secretary." in page
    bad = api.post(f"/action-items/{item.pk}/status/", {"status": "dropped"}, follow=True)
    assert "Say why the item is dropped" in page_text(bad)


def test_the_board_puts_overdue_items_first(division_client, world, scene):
    late = scene["items"]["paro"]
    ActionItem.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - dt.timedelta(days=2))
    page = page_text(division_client.get("/action-items/"))
    assert page.index("PARO item") < page.index("MOF item")
    assert 'data-testid="overdue"' in page
    overdue_only = page_text(division_client.get("/action-items/", {"overdue": "1"}))
    assert "PARO item" in overdue_only and "MOF item" not in overdue_only


def test_minutes_pdf_has_the_minutes_and_open_actions(division_client, world, scene):
    event = scene["event"]
    division_client.post(f"/events/{event.pk}/minutes/", {"text": "1. Cloud policy\n\nThe heads endorsed the policy."})
    ActionItem.objects.filter(pk=scene["items"]["jdwnrh"].pk).update(status=ActionStatus.DONE)
    response = division_client.get(f"/events/{event.pk}/minutes.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Minutes: ICT Heads' meeting, second quarter" in text
    assert "The heads endorsed the policy." in text
    assert "Draft, not approved" in text
    assert "MOF item" in text and "DMS staff item" in text
    assert "JDWNRH item" not in text  # done: not an open action


def test_draft_minutes_are_for_division_staff_until_approved(client, world, scene):
    event = scene["event"]
    Minutes.objects.create(event=event, text="Secret draft")
    head = as_user(client, world, "head_mof")
    assert "Secret draft" not in page_text(head.get(f"/events/{event.pk}/"))
    assert head.get(f"/events/{event.pk}/minutes.pdf").status_code == 404
    Minutes.objects.filter(event=event).update(status=MinutesStatus.APPROVED, approved_at=timezone.now())
    assert "Secret draft" in page_text(head.get(f"/events/{event.pk}/"))
    assert head.get(f"/events/{event.pk}/minutes.pdf").status_code == 200
    other = scene["other"]
    Minutes.objects.create(event=other, text="x", status=MinutesStatus.APPROVED, approved_at=timezone.now())
    assert head.get(f"/events/{other.pk}/minutes.pdf").status_code == 404


def test_the_navigation_offers_events_and_action_items(client, world):
    for actor in ("division", "hr", "head", "professional"):
        page = page_text(as_user(client, world, actor).get("/"))
        assert 'href="/events/"' in page and 'href="/action-items/"' in page, actor


def test_a_professionals_page_lists_events_attended_and_items_owned(division_client, world, scene):
    person = world.people["staff-DMS"]
    Invitation.objects.filter(professional=person).update(attended=True)
    page = page_text(division_client.get(f"/professionals/{person.pk}/"))
    assert 'data-testid="events-attended"' in page and scene["event"].title in page
    assert scene["event"].kind.name in page and f"{timezone.localtime(scene['event'].starts_at):%d %b %Y}" in page
    assert "DMS staff item" in page


def _many(world, n):
    for i in range(n):
        event = EventFactory(kind=world.kinds["ict-heads-meeting"], title=f"Extra meeting {i}")
        InvitationFactory(event=event, professional=world.people["staff-DMS"], agency=world.agencies["DMS"])
        ActionItemFactory(event=event, owner_agency=world.agencies["DMS"], owner_professional=world.people["staff-DMS"])


@pytest.mark.parametrize("url", ["/events/?when=all", "/action-items/"])
@pytest.mark.parametrize("actor", ["division", "head", "professional"])
def test_lists_run_the_same_queries_for_few_or_many_rows(
    client, world, scene, django_assert_max_num_queries, url, actor
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = as_user(client, world, actor)
    with CaptureQueriesContext(connection) as few:
        api.get(url)
    _many(world, 15)
    with django_assert_max_num_queries(len(few)):
        response = api.get(url)
    assert "Extra meeting" in page_text(response) or "Follow-up" in page_text(response)


def test_the_event_page_runs_the_same_queries_for_few_or_many_invitees(division_client, world, scene):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from professionals.factories import ProfessionalFactory

    event = scene["event"]
    with CaptureQueriesContext(connection) as few:
        division_client.get(f"/events/{event.pk}/")
    for _ in range(20):
        InvitationFactory(event=event, professional=ProfessionalFactory(), agency=world.agencies["MOF"])
    with CaptureQueriesContext(connection) as many:
        division_client.get(f"/events/{event.pk}/")
    assert len(many) == len(few)


def test_the_status_form_of_an_item_in_progress_chooses_no_move_for_the_user(client, world):
    import re

    from meetings.factories import ActionItemFactory, EventFactory
    from meetings.models import ActionItem, ActionStatus

    item = ActionItemFactory(event=EventFactory(), owner_agency=world.agencies["DMS"], status=ActionStatus.IN_PROGRESS)
    client.force_login(world.users["division"])
    html = client.get(f"/action-items/{item.pk}/").content.decode()
    select = re.search(r'<select name="status".*?</select>', html, re.S).group(0)
    assert "selected" in re.search(r"<option[^>]*>Choose the new status</option>", select).group(0)
    assert "selected" not in select.replace(re.search(r"<option[^>]*>Choose", select).group(0), "")
    # Saving the form as it stands (a note typed, no status chosen) moves nothing and says why.
    response = client.post(f"/action-items/{item.pk}/status/", {"status": "", "note": "Still on it"}, follow=True)
    assert response.status_code == 200 and "Choose the new status." in response.content.decode()
    assert ActionItem.objects.get(pk=item.pk).status == ActionStatus.IN_PROGRESS
