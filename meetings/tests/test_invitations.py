"""Inviting by each selector: the right people, nobody twice, and an email with the .ics file each."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from meetings.models import EventStatus, Invitation, InvitationSource
from meetings.services import InviteeSelection, invitations_add

pytestmark = pytest.mark.django_db


def invite(world, event, source, **options):
    return invitations_add(
        event_id=event.pk, actor=world.users["division"], selection=InviteeSelection(source=source, **options)
    )


def invited(event) -> dict[str, str | None]:
    rows = Invitation.objects.filter(event=event).select_related("professional", "agency")
    return {row.invitee_name: (row.agency.code if row.agency else None) for row in rows}


def test_all_ict_heads_are_the_heads_of_the_units_each_for_their_agency(
    world, event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ids = invite(world, event, InvitationSource.ICT_HEADS)
    heads = {world.people[f"head-{code}"].full_name: code for code in ("MOH", "JDWNRH", "MOF", "DZ-PARO")}
    assert invited(event) == heads
    assert len(ids) == 4
    assert sorted(message.to[0] for message in mail.outbox) == [
        "head.dz-paro@example.gov.bt",
        "head.jdwnrh@example.gov.bt",
        "head.mof@example.gov.bt",
        "head.moh@example.gov.bt",
    ]
    assert all(message.attachments[0][0] == "invitation.ics" for message in mail.outbox)


def test_by_agency_invites_its_staff_and_optionally_those_below(world, event):
    invite(world, event, InvitationSource.AGENCY, agency=world.agencies["MOH"])
    assert {name.split()[0] for name in invited(event)} == {"Head-MOH", "Staff-MOH"}
    invite(world, event, InvitationSource.AGENCY, agency=world.agencies["MOH"], include_subagencies=True)
    assert {name.split()[0] for name in invited(event)} == {
        "Head-MOH", "Staff-MOH", "Head-DMS", "Staff-DMS", "Head-JDWNRH", "Staff-JDWNRH",
    }  # fmt: skip
    assert Invitation.objects.filter(event=event).count() == 6


def test_by_track_invites_those_in_service_on_the_track(world, event):
    invite(world, event, InvitationSource.TRACK, track_id=world.ref.tracks["cybersecurity"].pk)
    assert {name.split()[0] for name in invited(event)} == {f"Head-{code}" for code in world.agencies}


def test_by_expert_pool_invites_the_members_still_in_service(world, event):
    invite(world, event, InvitationSource.EXPERT_POOL, pool_id=world.pool.pk)
    assert invited(event) == {
        world.people["staff-MOF"].full_name: "MOF",
        world.people["staff-DZ-PARO"].full_name: "DZ-PARO",
    }


def test_orientation_invites_everyone_appointed_since_a_date(world, kinds):
    from meetings.factories import EventFactory

    orientation = EventFactory(kind=kinds["orientation"], title="Orientation of new ICT professionals")
    invite(world, orientation, InvitationSource.APPOINTED_SINCE, appointed_since=dt.date(2024, 1, 1))
    assert {name.split()[0] for name in invited(orientation)} == {f"Staff-{code}" for code in world.agencies}


def test_by_hand_and_guests(world, event):
    person = world.people["staff-MOF"]
    invite(world, event, InvitationSource.BY_HAND, professional_ids=(person.pk,))
    invite(world, event, InvitationSource.GUEST, guest_name="Dr Jane Roe", guest_email="Jane.Roe@example.org")
    assert invited(event) == {person.full_name: "MOF", "Dr Jane Roe": None}
    guest = Invitation.objects.get(event=event, professional__isnull=True)
    assert guest.guest_email == "jane.roe@example.org"


def test_overlapping_selectors_invite_nobody_twice(world, event):
    first = invite(world, event, InvitationSource.ICT_HEADS)
    second = invite(world, event, InvitationSource.TRACK, track_id=world.ref.tracks["cybersecurity"].pk)
    third = invite(world, event, InvitationSource.BY_HAND, professional_ids=(world.people["head-MOF"].pk,))
    assert len(first) == 4
    assert len(second) == 1  # only the DMS head has no unit of their own
    assert third == []
    assert Invitation.objects.filter(event=event).count() == 5


def test_a_guest_invited_twice_is_refused(world, event):
    invite(world, event, InvitationSource.GUEST, guest_name="Jane Roe", guest_email="jane@example.org")
    with pytest.raises(ValidationError, match="already invited"):
        invite(world, event, InvitationSource.GUEST, guest_name="J. Roe", guest_email="JANE@example.org")


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"source": InvitationSource.AGENCY}, "agency"),
        ({"source": InvitationSource.TRACK}, "track"),
        ({"source": InvitationSource.EXPERT_POOL}, "pool"),
        ({"source": InvitationSource.APPOINTED_SINCE}, "appointed_since"),
        ({"source": InvitationSource.BY_HAND}, "professionals"),
        ({"source": InvitationSource.GUEST, "guest_name": "X"}, "guest_email"),
    ],
)
def test_a_selector_without_its_argument_is_refused(world, event, options, field):
    with pytest.raises(ValidationError) as error:
        invitations_add(event_id=event.pk, actor=world.users["division"], selection=InviteeSelection(**options))
    assert field in error.value.message_dict
    assert not Invitation.objects.exists()


def test_a_retired_professional_cannot_be_invited_by_hand(world, event):
    with pytest.raises(ValidationError, match="left the service"):
        invite(world, event, InvitationSource.BY_HAND, professional_ids=(world.people["retired"].pk,))


def test_a_cancelled_event_takes_no_invitations(world, event):
    event.status = EventStatus.CANCELLED
    event.save()
    with pytest.raises(ValidationError, match="cancelled"):
        invite(world, event, InvitationSource.ICT_HEADS)


@pytest.mark.parametrize("actor", ["hr", "head", "professional"])
def test_only_division_staff_invite(world, event, actor):
    with pytest.raises(PermissionDenied):
        invitations_add(
            event_id=event.pk, actor=world.users[actor], selection=InviteeSelection(source=InvitationSource.ICT_HEADS)
        )
    assert not Invitation.objects.exists()


def test_the_invitation_email_carries_the_event_and_a_signed_answer_link(
    world, event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(world, event, InvitationSource.BY_HAND, professional_ids=(world.people["head-MOF"].pk,))
    (message,) = mail.outbox
    assert message.subject.startswith("Invitation: ICT Heads' meeting, second quarter")
    assert "Dear Head-MOF" in message.body
    assert "/events/rsvp/" in message.body
    assert "Asia/Thimphu" in message.body
    assert message.attachments[0][2].startswith("text/calendar")
    assert Invitation.objects.get().emailed_at is not None
