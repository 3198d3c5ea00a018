"""Answering through the signed link (and refusing a changed, forged or old one), the capacity, and
the .ics file parsed back."""

import datetime as dt

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from meetings.emails import rsvp_url
from meetings.factories import InvitationFactory, local
from meetings.ics import event_calendar
from meetings.models import EventStatus, Invitation, InvitationSource, Rsvp
from meetings.rsvp import SALT, invitation_id_from_token, rsvp_token
from meetings.services import InviteeSelection, invitation_rsvp, invitations_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(world, event):
    return InvitationFactory(event=event, professional=world.people["head-MOF"], agency=world.agencies["MOF"])


def link_path(invitation) -> str:
    return rsvp_url(invitation.pk).removeprefix("http://127.0.0.1:8000")


def test_the_signed_link_shows_the_invitation_without_signing_in(client, invitation):
    response = client.get(link_path(invitation))
    assert response.status_code == 200
    assert "ICT Heads&#x27; meeting, second quarter" in response.content.decode()
    assert response["Referrer-Policy"] == "same-origin"


def test_answering_through_the_signed_link_records_the_answer(client, invitation):
    response = client.post(link_path(invitation), {"answer": "accepted"})
    assert response.status_code == 200
    assert "Your answer is recorded" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.rsvp == Rsvp.ACCEPTED and invitation.rsvp_at is not None


def test_a_tampered_link_is_refused_and_nothing_changes(client, invitation, world):
    other = InvitationFactory(event=invitation.event, professional=world.people["head-MOH"])
    token = rsvp_token(invitation.pk)
    # The same signature with another invitation's id.
    forged = f"{other.pk}{token[len(str(invitation.pk)) :]}"
    for bad in (forged, token[:-2] + "xx", "not-a-token"):
        response = client.post(f"/events/rsvp/{bad}/", {"answer": "declined"})
        assert response.status_code == 400
        assert "not valid" in response.content.decode()
    assert set(Invitation.objects.values_list("rsvp", flat=True)) == {Rsvp.PENDING}


def test_a_link_signed_with_another_key_is_refused(client, invitation):
    foreign = signing.TimestampSigner(key="another-installation", salt=SALT).sign(str(invitation.pk))
    response = client.get(f"/events/rsvp/{foreign}/")
    assert response.status_code == 400


def test_an_expired_link_is_refused_with_a_way_forward(client, invitation, settings):
    token = rsvp_token(invitation.pk)
    settings.MEETINGS_RSVP_LINK_DAYS = 0
    with pytest.raises(ValidationError, match="expired"):
        invitation_id_from_token(token)
    response = client.post(f"/events/rsvp/{token}/", {"answer": "accepted"})
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.rsvp == Rsvp.PENDING


def test_a_cancelled_or_past_event_takes_no_answers(invitation):
    event = invitation.event
    event.status = EventStatus.CANCELLED
    event.save()
    with pytest.raises(ValidationError, match="cancelled"):
        invitation_rsvp(invitation_id=invitation.pk, answer=Rsvp.ACCEPTED)
    event.status = EventStatus.PLANNED
    event.starts_at = timezone.now() - dt.timedelta(days=2)
    event.ends_at = timezone.now() - dt.timedelta(days=1)
    event.save()
    with pytest.raises(ValidationError, match="over"):
        invitation_rsvp(invitation_id=invitation.pk, answer=Rsvp.ACCEPTED)


def test_acceptances_stop_at_the_capacity(world, event):
    event.capacity = 1
    event.save()
    first = InvitationFactory(event=event, professional=world.people["head-MOF"])
    second = InvitationFactory(event=event, professional=world.people["head-MOH"])
    invitation_rsvp(invitation_id=first.pk, answer=Rsvp.ACCEPTED)
    with pytest.raises(ValidationError, match="full"):
        invitation_rsvp(invitation_id=second.pk, answer=Rsvp.ACCEPTED)
    invitation_rsvp(invitation_id=second.pk, answer=Rsvp.TENTATIVE)
    invitation_rsvp(invitation_id=first.pk, answer=Rsvp.ACCEPTED)  # answering again keeps one's place


def test_the_ics_file_parses_back_with_the_event_in_utc(world, event, invitation):
    event.starts_at = local(2026, 12, 15, 9, 30)
    event.ends_at = local(2026, 12, 15, 13, 0)
    event.online_url = "https://meet.gov.bt/ict-heads"
    event.save()
    calendar = Calendar.from_ical(event_calendar(event, invitation=invitation, rsvp_link="https://x/rsvp"))
    assert str(calendar["method"]) == "REQUEST"
    (entry,) = calendar.walk("VEVENT")
    assert str(entry["summary"]) == "ICT Heads' meeting, second quarter"
    # 09:30 in Thimphu (UTC+6) is 03:30 UTC.
    assert entry.decoded("dtstart") == dt.datetime(2026, 12, 15, 3, 30, tzinfo=dt.UTC)
    assert entry.decoded("dtend") == dt.datetime(2026, 12, 15, 7, 0, tzinfo=dt.UTC)
    assert str(entry["uid"]) == f"event-{event.pk}@ictmgmt"
    assert str(entry["location"]) == "GovTech conference hall, Thimphu and online"
    assert "https://x/rsvp" in str(entry["description"])
    attendee = entry["attendee"]
    assert str(attendee) == "mailto:head.mof@example.gov.bt"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    assert str(entry["status"]) == "CONFIRMED"


def test_the_emailed_ics_is_the_invitees_and_a_cancellation_cancels_it(
    world, event, django_capture_on_commit_callbacks
):
    from meetings.services import event_set_status

    division = world.users["division"]
    with django_capture_on_commit_callbacks(execute=True):
        invitations_add(
            event_id=event.pk,
            actor=division,
            selection=InviteeSelection(
                source=InvitationSource.BY_HAND, professional_ids=(world.people["head-MOH"].pk,)
            ),
        )
    calendar = Calendar.from_ical(mail.outbox[0].attachments[0][1])
    assert str(calendar.walk("VEVENT")[0]["attendee"]) == "mailto:head.moh@example.gov.bt"
    with django_capture_on_commit_callbacks(execute=True):
        event_set_status(event_id=event.pk, status=EventStatus.CANCELLED, actor=division)
    cancelled = mail.outbox[1]
    assert cancelled.subject.startswith("Cancelled:")
    calendar = Calendar.from_ical(cancelled.attachments[0][1])
    assert str(calendar["method"]) == "CANCEL"
    assert str(calendar.walk("VEVENT")[0]["status"]) == "CANCELLED"


def test_the_calendar_download_is_scoped(client, world, event, invitation):
    client.force_login(world.users["head_mof"])
    response = client.get(f"/events/{event.pk}/calendar.ics")
    assert response.status_code == 200
    assert Calendar.from_ical(response.content).walk("VEVENT")[0]["summary"] == event.title
    client.force_login(world.users["head"])  # MOH is not invited
    assert client.get(f"/events/{event.pk}/calendar.ics").status_code == 404
