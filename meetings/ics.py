"""The iCalendar (.ics, RFC 5545) file sent with each invitation, built with the icalendar library."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, vCalAddress
from icalendar import Event as CalendarEvent

from .models import Event, EventStatus, Invitation, Rsvp

PARTSTAT = {
    Rsvp.PENDING: "NEEDS-ACTION",
    Rsvp.ACCEPTED: "ACCEPTED",
    Rsvp.DECLINED: "DECLINED",
    Rsvp.TENTATIVE: "TENTATIVE",
}


def event_uid(event: Event) -> str:
    """Stable across updates, so calendars replace the entry instead of adding a second one."""
    return f"event-{event.pk}@ictmgmt"


def event_calendar(event: Event, *, invitation: Invitation | None = None, rsvp_link: str = "") -> bytes:
    """The event as an iCalendar file, addressed to `invitation`'s invitee when given.

    Times go out in UTC (DTSTART:...Z); every calendar shows them in its user's own time zone.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//ICT workforce management//meetings//EN")
    calendar.add("version", "2.0")
    cancelled = event.status == EventStatus.CANCELLED
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    entry = CalendarEvent()
    entry.add("uid", event_uid(event))
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", event.starts_at.astimezone(dt.UTC))
    entry.add("dtend", event.ends_at.astimezone(dt.UTC))
    entry.add("summary", event.title)
    if event.where:
        entry.add("location", event.where)
    description = event.description
    if event.online_url:
        description = f"{description}\n\nOnline: {event.online_url}".strip()
    if rsvp_link:
        description = f"{description}\n\nAnswer the invitation: {rsvp_link}".strip()
    if description:
        entry.add("description", description)
    if event.online_url:
        entry.add("url", event.online_url)
    entry.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    # Calendars apply an update only when its sequence is higher: the time of the last change grows.
    entry.add("sequence", int(event.updated_at.timestamp()) if event.updated_at else 0)
    organiser = vCalAddress(f"mailto:{_address(settings.DEFAULT_FROM_EMAIL)}")
    organiser.params["cn"] = _display_name(settings.DEFAULT_FROM_EMAIL)
    entry.add("organizer", organiser)
    if invitation is not None and invitation.email:
        attendee = vCalAddress(f"mailto:{invitation.email}")
        attendee.params["cn"] = invitation.invitee_name
        attendee.params["role"] = "REQ-PARTICIPANT"
        attendee.params["partstat"] = PARTSTAT[Rsvp(invitation.rsvp)]
        attendee.params["rsvp"] = "TRUE"
        entry.add("attendee", attendee)
    calendar.add_component(entry)
    return calendar.to_ical()


def _address(from_email: str) -> str:
    return from_email.rsplit("<", 1)[-1].rstrip(">").strip()


def _display_name(from_email: str) -> str:
    return from_email.split("<", 1)[0].strip() or _address(from_email)
