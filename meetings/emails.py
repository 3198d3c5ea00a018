"""The emails of meetings: invitations (with the .ics file and the signed answer link) and the
action-item reminders. Built here, sent by the tasks in `meetings.tasks`."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from agencies.models import SiteSettings

from .ics import event_calendar
from .models import ActionItem, EventStatus, Invitation
from .rsvp import rsvp_token


def portal_url(path: str) -> str:
    """An absolute link for emails: settings.PORTAL_URL names the portal's address."""
    return settings.PORTAL_URL.rstrip("/") + path


def rsvp_url(invitation_id: int) -> str:
    return portal_url(reverse("meetings:rsvp_link", kwargs={"token": rsvp_token(invitation_id)}))


def invitation_message(invitation: Invitation, *, site: SiteSettings) -> EmailMessage:
    """The invitation (or its update or cancellation) to one invitee, with the event as an .ics file."""
    event = invitation.event
    link = rsvp_url(invitation.pk)
    context = {
        "invitation": invitation,
        "event": event,
        "rsvp_link": link,
        "event_link": portal_url(reverse("meetings:event_detail", kwargs={"pk": event.pk})),
        "site": site,
        "time_zone": settings.TIME_ZONE,
        "cancelled": event.status == EventStatus.CANCELLED,
        "update": invitation.emailed_at is not None,
    }
    subject = " ".join(render_to_string("meetings/email/invitation_subject.txt", context).split())
    message = EmailMessage(
        subject=subject,
        body=render_to_string("meetings/email/invitation.txt", context),
        to=[invitation.email],
    )
    method = "CANCEL" if context["cancelled"] else "REQUEST"
    message.attach(
        "invitation.ics",
        event_calendar(event, invitation=invitation, rsvp_link=link),
        f"text/calendar; charset=utf-8; method={method}",
    )
    return message


def reminder_message(email: str, *, due_soon: list[ActionItem], overdue: list[ActionItem], today: dt.date, site):
    """One email to one owner listing their items due within a week and those overdue."""
    context = {
        "due_soon": due_soon,
        "overdue": overdue,
        "today": today,
        "site": site,
        "board_link": portal_url(reverse("meetings:action_items")),
    }
    subject = (
        f"{len(overdue)} overdue action item{'s' if len(overdue) != 1 else ''}"
        if overdue
        else f"{len(due_soon)} action item{'s' if len(due_soon) != 1 else ''} due within a week"
    )
    return EmailMessage(
        subject=f"{subject} – {site.parent_agency_name}",
        body=render_to_string("meetings/email/reminder.txt", context),
        to=[email],
    )
