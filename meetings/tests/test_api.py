"""/api/v1/events/ and /api/v1/action-items/: scoping for every role and client, the actions
calling the same services as the portal, clear 4xx errors, and constant query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.factories import make_api_client
from meetings.factories import ActionItemFactory, EventFactory, InvitationFactory
from meetings.models import ActionItem, ActionStatus, Event, Invitation
from tests.api_helpers import api_as, results

pytestmark = pytest.mark.django_db

EVENTS, ITEMS = "/api/v1/events/", "/api/v1/action-items/"


@pytest.fixture
def api_world(world):
    event = EventFactory(kind=world.kinds["ict-heads-meeting"], title="Heads Q2")
    InvitationFactory(event=event, professional=world.people["head-MOF"], agency=world.agencies["MOF"])
    InvitationFactory(event=event, professional=world.people["staff-DMS"], agency=world.agencies["DMS"])
    other = EventFactory(kind=world.kinds["review-committee"], title="Review")
    InvitationFactory(event=other, professional=world.people["head-DZ-PARO"], agency=world.agencies["DZ-PARO"])
    items = {
        "mof": ActionItemFactory(event=event, title="MOF item", owner_agency=world.agencies["MOF"]),
        "dms": ActionItemFactory(event=event, title="DMS item", owner_agency=world.agencies["DMS"]),
        "person": ActionItemFactory(event=event, title="Person item", owner_professional=world.people["staff-DMS"]),
        "paro": ActionItemFactory(event=other, title="PARO item", owner_agency=world.agencies["DZ-PARO"]),
    }
    clients = {
        "client": make_api_client("hr-system")[1],
        "agency_client": make_api_client("moh-portal", agency=world.agencies["MOH"])[1],
        "read_only_client": make_api_client("stats", read_only=True)[1],
    }
    world.events, world.items, world.keys = {"event": event, "other": other}, items, clients
    return world


SEES = {
    "division": ({"Heads Q2", "Review"}, {"MOF item", "DMS item", "Person item", "PARO item"}),
    "hr": ({"Heads Q2", "Review"}, {"MOF item", "DMS item", "Person item", "PARO item"}),
    "client": ({"Heads Q2", "Review"}, {"MOF item", "DMS item", "Person item", "PARO item"}),
    "read_only_client": ({"Heads Q2", "Review"}, {"MOF item", "DMS item", "Person item", "PARO item"}),
    "head": ({"Heads Q2"}, {"DMS item", "Person item"}),
    "agency_client": ({"Heads Q2"}, {"DMS item", "Person item"}),
    "head_mof": ({"Heads Q2"}, {"MOF item"}),
    "professional": ({"Heads Q2"}, {"Person item"}),
}


@pytest.mark.parametrize("actor", list(SEES))
def test_each_account_lists_and_reads_exactly_what_it_may_see(api_world, actor):
    api = api_as(api_world, actor)
    events, items = SEES[actor]
    assert {row["title"] for row in results(api.get(EVENTS))} == events
    assert {row["title"] for row in results(api.get(ITEMS))} == items
    for event in api_world.events.values():
        assert api.get(f"{EVENTS}{event.pk}/").status_code == (200 if event.title in events else 404)
    for item in api_world.items.values():
        assert api.get(f"{ITEMS}{item.pk}/").status_code == (200 if item.title in items else 404)


def test_an_event_comes_with_its_agenda_invitations_and_counts(api_world):
    event = api_world.events["event"]
    Invitation.objects.filter(event=event, professional=api_world.people["head-MOF"]).update(rsvp="accepted")
    body = api_as(api_world, "division").get(f"{EVENTS}{event.pk}/").json()
    assert body["invited_count"] == 2 and body["accepted_count"] == 1 and body["attended_count"] == 0
    assert {row["agency"]["code"] for row in body["invitations"]} == {"MOF", "DMS"}
    assert body["starts_at"].endswith("+06:00")  # shown in the portal's time zone
    head = api_as(api_world, "head").get(f"{EVENTS}{event.pk}/").json()
    assert [row["agency"]["code"] for row in head["invitations"]] == ["DMS"]
    assert head["invited_count"] == 2


def test_division_plans_invites_and_takes_attendance_through_the_api(api_world):
    api = api_as(api_world, "division")
    starts = timezone.localtime() - dt.timedelta(hours=1)
    response = api.post(
        EVENTS,
        {
            "kind": "ict-conference",
            "title": "ICT conference",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + dt.timedelta(hours=8)).isoformat(),
            "capacity": 120,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    event_id = response.json()["id"]
    invited = api.post(f"{EVENTS}{event_id}/invite/", {"source": "ict_heads"}, format="json")
    assert invited.status_code == 201 and len(invited.json()) == 4
    again = api.post(f"{EVENTS}{event_id}/invite/", {"source": "agency", "agency": "MOF"}, format="json")
    assert [row["professional"]["full_name"] for row in again.json()] == [api_world.people["staff-MOF"].full_name]
    mof_head = api_world.people["head-MOF"]
    ticked = api.post(f"{EVENTS}{event_id}/attendance/", {"professional": mof_head.pk, "attended": True}, format="json")
    assert ticked.status_code == 200 and ticked.json()["attended"] is True
    uninvited = api.post(
        f"{EVENTS}{event_id}/attendance/",
        {"professional": api_world.people["staff-DMS"].pk, "attended": True},
        format="json",
    )
    assert uninvited.status_code == 400
    assert "was not invited" in uninvited.json()["detail"]
    assert Event.objects.get(pk=event_id).status == "held"


def test_bad_input_answers_400_with_a_message_and_changes_nothing(api_world):
    api = api_as(api_world, "division")
    starts = timezone.localtime() + dt.timedelta(days=3)
    backwards = api.post(
        EVENTS,
        {"kind": "ict-conference", "title": "X", "starts_at": starts.isoformat(), "ends_at": starts.isoformat()},
        format="json",
    )
    assert backwards.status_code == 400 and "ends before it starts" in backwards.json()["errors"]["ends_at"][0]
    past = api.post(
        ITEMS,
        {
            "event": api_world.events["event"].pk,
            "title": "Too late",
            "owner_agency": "MOF",
            "due_date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        },
        format="json",
    )
    assert past.status_code == 400 and "in the past" in past.json()["errors"]["due_date"][0]
    unknown = api.post(f"{EVENTS}{api_world.events['event'].pk}/invite/", {"source": "everyone"}, format="json")
    assert unknown.status_code == 400 and "source" in unknown.json()["errors"]
    assert Event.objects.count() == 2 and ActionItem.objects.count() == 4


@pytest.mark.parametrize(
    ("starts_at", "message"),
    [
        # Bhutan's clocks kept local mean time (+05:58:36) until 1947: such a time cannot be written back.
        ("0115-11-24T03:13:51Z", "Events fall between 1950 and 2099; check the year (115)."),
        ("2150-03-01T09:30:00+06:00", "Events fall between 1950 and 2099; check the year (2150)."),
        # Read in the portal's time zone, the first minutes of year 1 fall before year 1 in UTC.
        ("0001-01-01T00:10:00", "Datetime value out of range."),
    ],
)
def test_an_event_in_an_impossible_year_answers_400(api_world, starts_at, message):
    api = api_as(api_world, "division")
    response = api.post(
        EVENTS,
        {"kind": "ict-conference", "title": "X", "starts_at": starts_at, "ends_at": starts_at[:11] + "23:00:00"},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert response.json()["errors"]["starts_at"] == [message]
    event = api_world.events["event"]
    moved = api.patch(f"{EVENTS}{event.pk}/", {"starts_at": starts_at}, format="json")
    assert moved.status_code == 400 and moved.json()["errors"]["starts_at"] == [message]
    assert Event.objects.count() == 2


def test_an_event_without_a_link_answers_an_empty_online_url(api_world):
    event = api_world.events["event"]
    Event.objects.filter(pk=event.pk).update(online_url="")
    api = api_as(api_world, "division")
    assert api.get(f"{EVENTS}{event.pk}/").json()["online_url"] == ""
    noted = api.post(f"{ITEMS}{api_world.items['mof'].pk}/notes/", {"text": "Started"}, format="json")
    assert noted.status_code == 201 and noted.json()["notes"][-1]["text"] == "Started"


def test_an_agency_head_moves_their_items_but_not_others(api_world):
    api = api_as(api_world, "head")
    dms = api_world.items["dms"]
    moved = api.post(f"{ITEMS}{dms.pk}/transition/", {"status": "in_progress", "note": "Started"}, format="json")
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"
    assert moved.json()["notes"][0]["text"] == "Started"
    noted = api.post(f"{ITEMS}{dms.pk}/notes/", {"text": "Half done"}, format="json")
    assert noted.status_code == 201
    illegal = api.post(f"{ITEMS}{dms.pk}/transition/", {"status": "dropped"}, format="json")
    assert illegal.status_code == 400 and "Say why" in illegal.json()["detail"]
    foreign = api.post(f"{ITEMS}{api_world.items['mof'].pk}/transition/", {"status": "done"}, format="json")
    assert foreign.status_code == 404
    assert ActionItem.objects.get(pk=api_world.items["mof"].pk).status == ActionStatus.OPEN


@pytest.mark.parametrize("actor", ["hr", "professional", "read_only_client", "head"])
def test_accounts_that_may_not_manage_events_get_403(api_world, actor):
    api = api_as(api_world, actor)
    event = api_world.events["event"]
    assert api.post(f"{EVENTS}{event.pk}/status/", {"status": "cancelled"}, format="json").status_code == 403
    assert api.post(f"{EVENTS}{event.pk}/invite/", {"source": "ict_heads"}, format="json").status_code == 403
    assert Event.objects.get(pk=event.pk).status == "planned" and event.invitations.count() == 2


def test_a_professional_answers_their_own_invitation_through_the_api(api_world):
    api = api_as(api_world, "professional")
    event = api_world.events["event"]
    own = Invitation.objects.get(event=event, professional=api_world.people["staff-DMS"])
    other = Invitation.objects.get(event=event, professional=api_world.people["head-MOF"])
    answered = api.post(f"{EVENTS}{event.pk}/rsvp/", {"invitation": own.pk, "answer": "declined"}, format="json")
    assert answered.status_code == 200 and answered.json()["rsvp"] == "declined"
    refused = api.post(f"{EVENTS}{event.pk}/rsvp/", {"invitation": other.pk, "answer": "declined"}, format="json")
    assert refused.status_code == 404


def test_action_item_filters(api_world):
    api = api_as(api_world, "division")
    ActionItem.objects.filter(pk=api_world.items["paro"].pk).update(
        due_date=timezone.localdate() - dt.timedelta(days=1)
    )
    overdue = results(api.get(ITEMS, {"overdue": "true"}))
    assert [row["title"] for row in overdue] == ["PARO item"] and overdue[0]["overdue"] is True
    assert {row["title"] for row in results(api.get(ITEMS, {"agency": "MOH"}))} == {"DMS item"}
    assert results(api.get(ITEMS))[0]["title"] == "PARO item"  # overdue first
    assert api.get(ITEMS, {"status": "late"}).status_code == 400


def _count(api, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [EVENTS, ITEMS])
@pytest.mark.parametrize("actor", ["division", "agency_client", "professional"])
def test_lists_run_the_same_queries_for_few_or_many_rows(api_world, url, actor):
    api = api_as(api_world, actor)
    api.get(url)
    few = _count(api, url, {"page_size": 200})
    for i in range(20):
        event = EventFactory(kind=api_world.kinds["ict-heads-meeting"], title=f"Extra {i}")
        InvitationFactory(event=event, professional=api_world.people["staff-DMS"], agency=api_world.agencies["DMS"])
        ActionItemFactory(
            event=event, owner_agency=api_world.agencies["DMS"], owner_professional=api_world.people["staff-DMS"]
        )
    assert _count(api, url, {"page_size": 200}) == few
    assert few <= 4  # (session + user | token), count, page


def test_an_event_detail_runs_the_same_queries_for_few_or_many_invitees(api_world):
    from professionals.factories import ProfessionalFactory

    api = api_as(api_world, "division")
    event = api_world.events["event"]
    few = _count(api, f"{EVENTS}{event.pk}/")
    for _ in range(20):
        InvitationFactory(event=event, professional=ProfessionalFactory(), agency=api_world.agencies["MOF"])
    assert _count(api, f"{EVENTS}{event.pk}/") == few
