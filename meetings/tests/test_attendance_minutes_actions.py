"""Attendance (only of invitees, from the day of the event), attendance rates, minutes, action-item
transitions and the reminders task (each reminder sent once)."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from meetings.factories import ActionItemFactory, EventFactory, InvitationFactory
from meetings.models import ActionItem, ActionItemNote, ActionStatus, EventStatus, Minutes, MinutesStatus
from meetings.selectors import attendance_rates
from meetings.services import (
    action_item_create,
    action_item_note_add,
    action_item_set_status,
    attendance_record,
    event_create,
    minutes_approve,
    minutes_save,
)
from meetings.tasks import send_action_item_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture
def today_event(world):
    now = timezone.now()
    return EventFactory(kind=world.kinds["ict-heads-meeting"], starts_at=now - dt.timedelta(hours=1))


def test_an_event_ending_before_it_starts_is_refused(world):
    starts = timezone.now() + dt.timedelta(days=3)
    with pytest.raises(ValidationError) as error:
        event_create(
            actor=world.users["division"],
            kind=world.kinds["ict-conference"],
            title="ICT conference",
            starts_at=starts,
            ends_at=starts - dt.timedelta(hours=1),
        )
    assert "ends before it starts" in str(error.value.message_dict["ends_at"])


def test_attendance_is_ticked_for_invitees_and_marks_the_event_held(world, today_event):
    invitation = InvitationFactory(event=today_event, professional=world.people["head-MOF"])
    attendance_record(
        event_id=today_event.pk, actor=world.users["division"], attended=True, invitation_id=invitation.pk
    )
    invitation.refresh_from_db()
    today_event.refresh_from_db()
    assert invitation.attended is True and invitation.attendance_recorded_at is not None
    assert today_event.status == EventStatus.HELD
    attendance_record(
        event_id=today_event.pk,
        actor=world.users["division"],
        attended=False,
        professional_id=invitation.professional_id,
    )
    invitation.refresh_from_db()
    assert invitation.attended is False


def test_attendance_for_someone_not_invited_is_refused_and_nothing_changes(world, today_event):
    stranger = world.people["staff-MOF"]
    with pytest.raises(ValidationError, match="was not invited"):
        attendance_record(
            event_id=today_event.pk, actor=world.users["division"], attended=True, professional_id=stranger.pk
        )
    today_event.refresh_from_db()
    assert today_event.status == EventStatus.PLANNED
    assert not today_event.invitations.exists()


def test_attendance_waits_for_the_day_of_the_event(world, event):
    invitation = InvitationFactory(event=event, professional=world.people["head-MOF"])
    with pytest.raises(ValidationError, match="attendance is taken from that day on"):
        attendance_record(event_id=event.pk, actor=world.users["division"], attended=True, invitation_id=invitation.pk)


@pytest.mark.parametrize("actor", ["hr", "head", "professional"])
def test_only_division_staff_take_attendance(world, today_event, actor):
    invitation = InvitationFactory(event=today_event, professional=world.people["head-MOF"])
    with pytest.raises(PermissionDenied):
        attendance_record(event_id=today_event.pk, actor=world.users[actor], attended=True, invitation_id=invitation.pk)


def _held(world, year, month, attendance: dict[str, bool]):
    event = EventFactory(
        kind=world.kinds["ict-heads-meeting"],
        starts_at=timezone.make_aware(dt.datetime(year, month, 10, 9)),
        ends_at=timezone.make_aware(dt.datetime(year, month, 10, 13)),
        status=EventStatus.HELD,
    )
    for key, came in attendance.items():
        person = world.people[key]
        InvitationFactory(event=event, professional=person, agency=world.agencies[key.split("-", 1)[1]], attended=came)
    return event


def test_attendance_rates_per_agency_and_year(world):
    year = timezone.localdate().year
    _held(world, year - 1, 3, {"head-MOF": True, "staff-MOF": False, "head-MOH": True})
    _held(world, year - 1, 9, {"head-MOF": True, "head-MOH": False})
    _held(world, year, 3, {"head-MOF": False, "head-MOH": True, "head-DMS": True})
    planned = EventFactory(kind=world.kinds["ict-heads-meeting"])
    InvitationFactory(event=planned, professional=world.people["head-MOF"], agency=world.agencies["MOF"])
    table = attendance_rates(user=world.users["division"], years=2)
    assert table.years == [year - 1, year]
    rates = {
        code: ([(r.invited, r.attended) if r else None for r in per_year], total.rate)
        for code, _, per_year, total in table.rows
    }
    assert rates == {
        "DMS": ([None, (1, 1)], 100),
        "MOF": ([(3, 2), (1, 0)], 50),
        "MOH": ([(2, 1), (1, 1)], 67),
    }
    # An agency head sees their subtree's rates only.
    head_rows = attendance_rates(user=world.users["head"], years=2).rows
    assert [code for code, *_ in head_rows] == ["DMS", "MOH"]


def test_minutes_go_from_draft_to_approved_and_then_stay(world, event):
    division = world.users["division"]
    with pytest.raises(ValidationError, match="empty"):
        minutes_save(event_id=event.pk, actor=division, text="   ")
    minutes = minutes_save(event_id=event.pk, actor=division, text="1. Budget\n\nAgreed.")
    assert minutes.status == MinutesStatus.DRAFT
    minutes_save(event_id=event.pk, actor=division, text="1. Budget\n\nAgreed with changes.")
    approved = minutes_approve(event_id=event.pk, actor=division)
    assert approved.status == MinutesStatus.APPROVED and approved.approved_by == division
    with pytest.raises(ValidationError, match="approved"):
        minutes_save(event_id=event.pk, actor=division, text="Rewritten")
    assert Minutes.objects.get().text == "1. Budget\n\nAgreed with changes."
    assert [h.history_change_reason for h in approved.history.order_by("history_date")] == [
        "Drafted",
        "Revised",
        "Approved",
    ]


def test_a_new_action_item_due_in_the_past_is_refused(world, event):
    with pytest.raises(ValidationError) as error:
        action_item_create(
            event_id=event.pk,
            actor=world.users["division"],
            title="Share the draft ICT master plan",
            owner_agency=world.agencies["MOF"],
            due_date=timezone.localdate() - dt.timedelta(days=1),
        )
    assert "in the past" in error.value.message_dict["due_date"][0]
    assert not ActionItem.objects.exists()


def test_an_action_item_needs_an_owner(world, event):
    with pytest.raises(ValidationError, match="owner"):
        action_item_create(
            event_id=event.pk, actor=world.users["division"], title="Anything", due_date=timezone.localdate()
        )


def test_action_item_transitions_with_notes_and_history(world, event):
    division, head = world.users["division"], world.users["head"]
    item = action_item_create(
        event_id=event.pk,
        actor=division,
        title="Nominate two officers for the cybersecurity course",
        owner_agency=world.agencies["DMS"],
        due_date=timezone.localdate() + dt.timedelta(days=20),
    )
    action_item_set_status(item_id=item.pk, actor=head, status=ActionStatus.IN_PROGRESS, note="Names collected.")
    action_item_note_add(item_id=item.pk, actor=head, text="Waiting for the secretary's approval.")
    action_item_set_status(item_id=item.pk, actor=head, status=ActionStatus.DONE)
    item.refresh_from_db()
    assert item.status == ActionStatus.DONE and item.closed_on == timezone.localdate()
    with pytest.raises(ValidationError, match="can become in progress, not dropped"):
        action_item_set_status(item_id=item.pk, actor=head, status=ActionStatus.DROPPED, note="x")
    action_item_set_status(item_id=item.pk, actor=division, status=ActionStatus.IN_PROGRESS, note="Reopened.")
    with pytest.raises(ValidationError, match="Say why"):
        action_item_set_status(item_id=item.pk, actor=division, status=ActionStatus.DROPPED)
    notes = list(ActionItemNote.objects.values_list("status_from", "status_to", "author__username"))
    assert notes == [
        ("open", "in_progress", "head-moh"),
        ("", "", "head-moh"),
        ("in_progress", "done", "head-moh"),
        ("done", "in_progress", "division-staff"),
    ]
    assert item.history.count() == 5  # created, three moves, a note


def test_who_may_update_an_action_item(world, event):
    item = ActionItemFactory(event=event, owner_agency=world.agencies["MOF"])
    with pytest.raises(Http404):  # MOH's head does not see MOF's items
        action_item_set_status(item_id=item.pk, actor=world.users["head"], status=ActionStatus.DONE)
    for actor in ("hr", "professional"):
        with pytest.raises(PermissionDenied):
            action_item_note_add(item_id=item.pk, actor=world.users[actor], text="x")
    action_item_set_status(item_id=item.pk, actor=world.users["head_mof"], status=ActionStatus.DONE)


def test_reminders_go_once_for_due_soon_and_weekly_for_overdue(world, event):
    today = timezone.localdate()
    soon = ActionItemFactory(event=event, owner_agency=world.agencies["MOF"], due_date=today + dt.timedelta(days=5))
    ActionItemFactory(event=event, owner_agency=world.agencies["MOF"], due_date=today + dt.timedelta(days=30))
    late = ActionItemFactory(
        event=event, owner_professional=world.people["staff-DZ-PARO"], due_date=today - dt.timedelta(days=3)
    )
    ActionItemFactory(
        event=event, owner_agency=world.agencies["MOF"], due_date=today - dt.timedelta(days=3), status="done"
    )

    result = send_action_item_reminders.delay(today.isoformat()).get()
    assert result == {"due_soon": 1, "overdue": 1, "emails": 2}
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"head@mof.gov.bt", "staff.dz-paro@example.gov.bt"}
    assert soon.title in by_address["head@mof.gov.bt"].body
    assert late.title in by_address["staff.dz-paro@example.gov.bt"].body
    assert "overdue" in by_address["staff.dz-paro@example.gov.bt"].subject

    # The same day again, and every day up to the due date of the first: nothing more.
    for days in range(0, 6):
        send_action_item_reminders.delay((today + dt.timedelta(days=days)).isoformat())
    assert len(mail.outbox) == 2

    def overdue_on(days):
        return send_action_item_reminders.delay((today + dt.timedelta(days=days)).isoformat()).get()["overdue"]

    # The day after its due date the first item is overdue: reminded as such, once.
    assert overdue_on(6) == 1
    # A week after its first overdue reminder, the late item is reminded again.
    assert overdue_on(7) == 1
    assert overdue_on(8) == 0
    assert overdue_on(13) == 1


def test_an_agency_without_a_head_account_is_reminded_at_its_ict_unit(world, event):
    today = timezone.localdate()
    ActionItemFactory(event=event, owner_agency=world.agencies["DZ-PARO"], due_date=today + dt.timedelta(days=1))
    send_action_item_reminders.delay(today.isoformat())
    assert [message.to for message in mail.outbox] == [["ict@dz-paro.gov.bt"]]
