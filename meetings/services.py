"""Writes on events, invitations, attendance, minutes and action items.

Each write takes the acting user, checks what it may do, validates, saves in one transaction with
an audit entry (events, minutes and action items keep a history), and queues email for after the
commit. Every refusal is a ValidationError (or PermissionDenied) with a message a person can act on;
the portal shows it on the form and the API answers 400 (or 403) with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone

from accounts.audit import actor_user, stamp
from agencies.models import Agency, ICTUnit
from placements.models import Placement
from professionals.models import IN_SERVICE_STATUSES, Professional

from .models import (
    ActionItem,
    ActionItemNote,
    ActionStatus,
    AgendaItem,
    Event,
    EventStatus,
    Invitation,
    InvitationSource,
    Minutes,
    MinutesStatus,
    Rsvp,
)
from .permissions import require_action_item_updater, require_event_manager

EVENT_FIELDS = {
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "venue",
    "online_url",
    "organiser",
    "description",
    "capacity",
}


def _queue_invitation_emails(invitation_ids: list[int]) -> None:
    if invitation_ids:
        from .tasks import send_invitations

        transaction.on_commit(lambda: send_invitations.delay(invitation_ids))


# ---------------------------------------------------------------------------------------------
# Events and agenda


@transaction.atomic
def event_create(*, actor, reason: str = "Created", **fields) -> Event:
    """Plan an event. The organiser defaults to the acting user."""
    require_event_manager(actor)
    unknown = set(fields) - EVENT_FIELDS
    if unknown:
        raise TypeError(f"Unknown event fields: {', '.join(sorted(unknown))}")
    fields.setdefault("organiser", actor_user(actor))
    event = Event(**fields)
    event.full_clean()
    stamp(event, actor, reason)
    event.save()
    return event


@transaction.atomic
def event_update(*, event_id: int, actor, reason: str = "Edited", **changes) -> Event:
    require_event_manager(actor)
    unknown = set(changes) - EVENT_FIELDS
    if unknown:
        raise TypeError(f"Unknown event fields: {', '.join(sorted(unknown))}")
    event = Event.objects.select_for_update().get(pk=event_id)
    changed = [name for name, value in changes.items() if getattr(event, name) != value]
    if not changed:
        return event
    if event.status == EventStatus.CANCELLED:
        raise ValidationError("This event was cancelled; plan a new event instead of changing it.")
    for name in changed:
        setattr(event, name, changes[name])
    event.full_clean()
    if "capacity" in changed and event.capacity is not None:
        accepted = event.invitations.filter(rsvp=Rsvp.ACCEPTED).count()
        if accepted > event.capacity:
            raise ValidationError(
                {"capacity": f"{accepted} invitees have already accepted; the capacity cannot be below that."}
            )
    stamp(event, actor, reason)
    event.save(update_fields=[*changed, "updated_at"])
    if {"starts_at", "ends_at", "venue", "online_url", "title"} & set(changed):
        # Invitees' calendars get the new time or place (same UID, higher sequence).
        _queue_invitation_emails(list(event.invitations.values_list("id", flat=True)))
    return event


@transaction.atomic
def event_set_status(*, event_id: int, status: str, actor) -> Event:
    """Mark an event held or cancelled (or planned again). Cancelling tells the invitees."""
    require_event_manager(actor)
    if status not in EventStatus.values:
        raise ValidationError({"status": f"An event is planned, held or cancelled, not {status!r}."})
    event = Event.objects.select_for_update().get(pk=event_id)
    if event.status == status:
        return event
    if status == EventStatus.HELD and timezone.localdate(event.starts_at) > timezone.localdate():
        raise ValidationError(
            {"status": f"The event starts on {timezone.localtime(event.starts_at):%d %b %Y}; it cannot be held yet."}
        )
    if status == EventStatus.CANCELLED and event.invitations.filter(attended=True).exists():
        raise ValidationError({"status": "Attendance has been recorded for this event; it was held, not cancelled."})
    event.status = status
    stamp(event, actor, f"Marked {EventStatus(status).label.lower()}")
    event.save(update_fields=["status", "updated_at"])
    if status == EventStatus.CANCELLED:
        _queue_invitation_emails(list(event.invitations.values_list("id", flat=True)))
    return event


@transaction.atomic
def agenda_item_add(
    *, event_id: int, actor, title: str, presenter: str = "", duration_minutes: int | None = None
) -> AgendaItem:
    """Add an item at the end of the event's agenda."""
    require_event_manager(actor)
    event = Event.objects.select_for_update().get(pk=event_id)
    last = event.agenda_items.aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem(
        event=event, position=last + 1, title=title, presenter=presenter, duration_minutes=duration_minutes
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def agenda_item_move(*, item_id: int, actor, offset: int) -> None:
    """Move an agenda item up (offset -1) or down (+1) by swapping it with its neighbour."""
    require_event_manager(actor)
    item = AgendaItem.objects.select_for_update().get(pk=item_id)
    items = list(AgendaItem.objects.select_for_update().filter(event_id=item.event_id).order_by("position"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index + offset
    if not 0 <= target < len(items):
        return
    moving, other = items[index], items[target]
    # Through position 0 (never used: positions start at 1), so (event, position) stays unique.
    AgendaItem.objects.filter(pk=moving.pk).update(position=0)
    AgendaItem.objects.filter(pk=other.pk).update(position=moving.position)
    AgendaItem.objects.filter(pk=moving.pk).update(position=other.position)


@transaction.atomic
def agenda_item_remove(*, item_id: int, actor) -> None:
    require_event_manager(actor)
    item = AgendaItem.objects.select_for_update().get(pk=item_id)
    event_id, position = item.event_id, item.position
    item.delete()
    for later in AgendaItem.objects.filter(event_id=event_id, position__gt=position).order_by("position"):
        AgendaItem.objects.filter(pk=later.pk).update(position=later.position - 1)


# ---------------------------------------------------------------------------------------------
# Invitations


@dataclass(frozen=True)
class InviteeSelection:
    """Whom to invite: one selector and its argument."""

    source: str
    agency: Agency | None = None
    include_subagencies: bool = False
    track_id: int | None = None
    pool_id: int | None = None
    professional_ids: tuple[int, ...] = ()
    appointed_since: dt.date | None = None
    guest_name: str = ""
    guest_email: str = ""
    guest_organisation: str = ""


def _current_agencies(professional_ids: Iterable[int]) -> dict[int, int]:
    return dict(
        Placement.objects.filter(professional_id__in=list(professional_ids), end_date__isnull=True).values_list(
            "professional_id", "agency_id"
        )
    )


def invitees_select(selection: InviteeSelection) -> list[tuple[int, int | None]]:
    """(professional id, agency id represented) for everyone the selection names, in service today.

    ICT heads represent the agency whose unit they head; everyone else their current placement.
    """
    from agencies.querysets import subtree_ids

    in_service = Professional.objects.filter(status__in=IN_SERVICE_STATUSES)
    source = selection.source
    if source == InvitationSource.ICT_HEADS:
        heads = (
            ICTUnit.objects.filter(
                agency__dissolved_on__isnull=True, head__isnull=False, head__status__in=IN_SERVICE_STATUSES
            )
            .order_by("agency__name")
            .values_list("head_id", "agency_id")
        )
        # A person heading two units is invited once, for the first.
        chosen: dict[int, int] = {}
        for head_id, agency_id in heads:
            chosen.setdefault(head_id, agency_id)
        return list(chosen.items())
    if source == InvitationSource.AGENCY:
        if selection.agency is None:
            raise ValidationError({"agency": "Choose the agency whose ICT staff to invite."})
        agencies = subtree_ids([selection.agency.pk]) if selection.include_subagencies else [selection.agency.pk]
        rows = Placement.objects.filter(
            end_date__isnull=True, agency_id__in=agencies, professional__status__in=IN_SERVICE_STATUSES
        ).values_list("professional_id", "agency_id")
        return list(rows)
    if source == InvitationSource.TRACK:
        if selection.track_id is None:
            raise ValidationError({"track": "Choose the career track whose professionals to invite."})
        people = in_service.filter(track_id=selection.track_id)
    elif source == InvitationSource.EXPERT_POOL:
        if selection.pool_id is None:
            raise ValidationError({"pool": "Choose the expert pool whose members to invite."})
        from competencies.models import ExpertPoolMembership

        members = ExpertPoolMembership.objects.current().filter(pool_id=selection.pool_id)
        people = in_service.filter(pk__in=members.values("professional_id"))
    elif source == InvitationSource.APPOINTED_SINCE:
        if selection.appointed_since is None:
            raise ValidationError({"appointed_since": "Give the date: everyone first appointed on or after it."})
        if selection.appointed_since > timezone.localdate():
            raise ValidationError({"appointed_since": "The date is in the future: nobody was appointed since then."})
        people = in_service.filter(first_appointment_date__gte=selection.appointed_since)
    elif source == InvitationSource.BY_HAND:
        wanted = set(selection.professional_ids)
        if not wanted:
            raise ValidationError({"professionals": "Choose at least one professional to invite."})
        people = Professional.objects.filter(pk__in=wanted)
        found = dict(people.values_list("id", "status"))
        missing = wanted - set(found)
        if missing:
            raise ValidationError({"professionals": f"There is no professional with the id {min(missing)}."})
        gone = [pk for pk, status in found.items() if status not in IN_SERVICE_STATUSES]
        if gone:
            name = Professional.objects.get(pk=gone[0]).full_name
            raise ValidationError({"professionals": f"{name} has left the service and cannot be invited."})
    else:
        raise ValidationError({"source": f"Unknown way to choose invitees: {source!r}."})
    ids = list(people.values_list("id", flat=True).distinct())
    agencies_by_person = _current_agencies(ids)
    return [(pk, agencies_by_person.get(pk)) for pk in ids]


@transaction.atomic
def invitations_add(*, event_id: int, actor, selection: InviteeSelection, send_email: bool = True) -> list[int]:
    """Invite the people `selection` names who are not invited yet; returns the new invitations' ids.

    Each new invitee is emailed the invitation with an .ics file and a signed answer link.
    """
    require_event_manager(actor)
    event = Event.objects.select_for_update().get(pk=event_id)
    if event.status != EventStatus.PLANNED:
        raise ValidationError(f"This event is {event.get_status_display().lower()}; invitations go to planned events.")
    if selection.source == InvitationSource.GUEST:
        invitation = _guest_invitation(event, selection)
        new_ids = [invitation.pk]
    else:
        candidates = invitees_select(selection)
        already = set(event.invitations.filter(professional__isnull=False).values_list("professional_id", flat=True))
        rows = [
            Invitation(event=event, professional_id=pk, agency_id=agency_id, source=selection.source)
            for pk, agency_id in candidates
            if pk not in already
        ]
        created = Invitation.objects.bulk_create(rows, batch_size=1000)
        new_ids = [row.pk for row in created]
        if new_ids and new_ids[0] is None:  # a backend that does not return ids (not SQLite or PostgreSQL)
            new_ids = list(
                event.invitations.filter(professional_id__in=[row.professional_id for row in rows]).values_list(
                    "id", flat=True
                )
            )
    stamp(event, actor, f"Invited {len(new_ids)} ({InvitationSource(selection.source).label.lower()})")
    event.save(update_fields=["updated_at"])
    if send_email:
        _queue_invitation_emails(new_ids)
    return new_ids


def _guest_invitation(event: Event, selection: InviteeSelection) -> Invitation:
    name, email = selection.guest_name.strip(), selection.guest_email.strip().lower()
    errors = {}
    if not name:
        errors["guest_name"] = "Give the guest's name."
    if not email:
        errors["guest_email"] = "Give the guest's email: the invitation and the calendar file go there."
    if errors:
        raise ValidationError(errors)
    if event.invitations.filter(professional__isnull=True, guest_email=email).exists():
        raise ValidationError({"guest_email": f"A guest with the email {email} is already invited."})
    invitation = Invitation(
        event=event,
        guest_name=name,
        guest_email=email,
        guest_organisation=selection.guest_organisation.strip(),
        source=InvitationSource.GUEST,
    )
    invitation.full_clean()
    invitation.save()
    return invitation


@transaction.atomic
def invitation_remove(*, invitation_id: int, actor) -> None:
    require_event_manager(actor)
    invitation = Invitation.objects.select_for_update().select_related("event").get(pk=invitation_id)
    if invitation.attended is not None:
        raise ValidationError("Attendance was recorded for this invitee; the invitation stays on the record.")
    invitation.delete()


@transaction.atomic
def invitation_rsvp(*, invitation_id: int, answer: str, actor=None) -> Invitation:
    """Record the invitee's answer. `actor` is None for an answer through the signed email link.

    An acceptance counts against the event's capacity; the event row is locked first so that two
    last-seat acceptances cannot both pass.
    """
    if answer not in (Rsvp.ACCEPTED, Rsvp.DECLINED, Rsvp.TENTATIVE):
        raise ValidationError({"rsvp": "Answer attending, not attending or maybe."})
    event_id = Invitation.objects.values_list("event_id", flat=True).get(pk=invitation_id)
    event = Event.objects.select_for_update().get(pk=event_id)
    invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
    if event.status == EventStatus.CANCELLED:
        raise ValidationError("This event was cancelled; there is nothing to answer.")
    if event.ends_at <= timezone.now():
        raise ValidationError("This event is over; answers are no longer taken.")
    if answer == Rsvp.ACCEPTED and invitation.rsvp != Rsvp.ACCEPTED and event.capacity is not None:
        accepted = event.invitations.filter(rsvp=Rsvp.ACCEPTED).count()
        if accepted >= event.capacity:
            raise ValidationError(
                f"The event is full: all {event.capacity} places are taken. Answer 'maybe' and the ICT Management "
                "Division will tell you if a place frees up."
            )
    invitation.rsvp = answer
    invitation.rsvp_at = timezone.now()
    invitation.save(update_fields=["rsvp", "rsvp_at"])
    return invitation


# ---------------------------------------------------------------------------------------------
# Attendance


def _attendance_check(event: Event) -> None:
    if event.status == EventStatus.CANCELLED:
        raise ValidationError("This event was cancelled; there is no attendance to record.")
    if timezone.localdate(event.starts_at) > timezone.localdate():
        raise ValidationError(
            f"The event starts on {timezone.localtime(event.starts_at):%d %b %Y}; attendance is taken from that day on."
        )


@transaction.atomic
def attendance_record(
    *,
    event_id: int,
    actor,
    attended: bool,
    invitation_id: int | None = None,
    professional_id: int | None = None,
) -> Invitation:
    """Tick (or untick) one invitee as present, by invitation or by professional.

    Only invitees can be marked: someone who came uninvited is invited first, then ticked. The
    first attendance recorded marks a planned event as held.
    """
    require_event_manager(actor)
    event = Event.objects.select_for_update().get(pk=event_id)
    _attendance_check(event)
    invitations = Invitation.objects.select_for_update().filter(event=event)
    if invitation_id is not None:
        invitation = invitations.filter(pk=invitation_id).first()
    elif professional_id is not None:
        invitation = invitations.filter(professional_id=professional_id).first()
    else:
        raise ValidationError("Name the invitation or the professional whose attendance to record.")
    if invitation is None:
        who = "This person"
        if professional_id is not None:
            person = Professional.objects.filter(pk=professional_id).first()
            who = person.full_name if person else f"No professional with the id {professional_id} and"
        raise ValidationError(
            f"{who} was not invited to {event.title}; invite them first, then record their attendance."
        )
    invitation.attended = attended
    invitation.attendance_recorded_at = timezone.now()
    invitation.save(update_fields=["attended", "attendance_recorded_at"])
    if attended and event.status == EventStatus.PLANNED:
        event.status = EventStatus.HELD
        stamp(event, actor, "Held: attendance recorded")
        event.save(update_fields=["status", "updated_at"])
    return invitation


# ---------------------------------------------------------------------------------------------
# Minutes


@transaction.atomic
def minutes_save(*, event_id: int, actor, text: str) -> Minutes:
    """Write or revise the draft minutes. Approved minutes are final."""
    require_event_manager(actor)
    event = Event.objects.select_for_update().get(pk=event_id)
    if event.status == EventStatus.CANCELLED:
        raise ValidationError("This event was cancelled; it has no minutes.")
    text = text.strip()
    if not text:
        raise ValidationError({"text": "The minutes are empty; write what was discussed and decided."})
    minutes = Minutes.objects.select_for_update().filter(event=event).first()
    if minutes is None:
        minutes = Minutes(event=event, text=text)
        stamp(minutes, actor, "Drafted")
        minutes.save()
        return minutes
    if minutes.status == MinutesStatus.APPROVED:
        raise ValidationError("These minutes were approved and can no longer be changed.")
    if minutes.text != text:
        minutes.text = text
        stamp(minutes, actor, "Revised")
        minutes.save(update_fields=["text", "updated_at"])
    return minutes


@transaction.atomic
def minutes_approve(*, event_id: int, actor) -> Minutes:
    require_event_manager(actor)
    minutes = Minutes.objects.select_for_update().filter(event_id=event_id).first()
    if minutes is None:
        raise ValidationError("There are no minutes to approve yet; write the draft first.")
    if minutes.status == MinutesStatus.APPROVED:
        raise ValidationError("These minutes are already approved.")
    minutes.status = MinutesStatus.APPROVED
    minutes.approved_by = actor_user(actor)
    minutes.approved_at = timezone.now()
    stamp(minutes, actor, "Approved")
    minutes.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    return minutes


# ---------------------------------------------------------------------------------------------
# Action items


@transaction.atomic
def action_item_create(
    *,
    event_id: int,
    actor,
    title: str,
    due_date: dt.date,
    owner_agency: Agency | None = None,
    owner_professional: Professional | None = None,
    description: str = "",
) -> ActionItem:
    """Record a follow-up decided at the event."""
    require_event_manager(actor)
    event = Event.objects.select_for_update().get(pk=event_id)
    errors = {}
    if event.status == EventStatus.CANCELLED:
        raise ValidationError("This event was cancelled; action items come from events that are held or planned.")
    if due_date < timezone.localdate():
        errors["due_date"] = f"The due date {due_date:%d %b %Y} is in the past; give today or a later day."
    if owner_agency is None and owner_professional is None:
        errors["owner_agency"] = "Give the owner: an agency, a person or both."
    if owner_agency is not None and owner_agency.dissolved_on is not None:
        errors["owner_agency"] = f"{owner_agency.name} was dissolved; give its successor or another agency."
    if owner_professional is not None and owner_professional.status not in IN_SERVICE_STATUSES:
        errors["owner_professional"] = f"{owner_professional.full_name} has left the service; give another owner."
    if errors:
        raise ValidationError(errors)
    item = ActionItem(
        event=event,
        title=title.strip(),
        description=description.strip(),
        owner_agency=owner_agency,
        owner_professional=owner_professional,
        due_date=due_date,
        created_by=actor_user(actor),
    )
    item.full_clean()
    stamp(item, actor, "Created")
    item.save()
    return item


def _visible_item_for_update(item_id: int, actor) -> ActionItem:
    require_action_item_updater(actor)
    item = ActionItem.objects.visible_to(actor).select_for_update(of=("self",)).filter(pk=item_id).first()
    if item is None:
        raise Http404("No such action item among those this account may see.")
    return item


@transaction.atomic
def action_item_set_status(*, item_id: int, actor, status: str, note: str = "") -> ActionItem:
    """Move an item along open -> in progress -> done (or dropped); dropping needs a reason."""
    item = _visible_item_for_update(item_id, actor)
    if not status:
        raise ValidationError({"status": "Choose the new status."})
    if status not in ActionStatus.values:
        raise ValidationError({"status": f"An action item is open, in progress, done or dropped, not {status!r}."})
    if status == item.status:
        raise ValidationError({"status": f"The item is already {item.get_status_display().lower()}."})
    if status not in item.allowed_statuses():
        allowed = ", ".join(ActionStatus(s).label.lower() for s in item.allowed_statuses())
        raise ValidationError(
            {"status": f"An item that is {item.get_status_display().lower()} can become {allowed}, not {status}."}
        )
    note = note.strip()
    if status == ActionStatus.DROPPED and not note:
        raise ValidationError({"note": "Say why the item is dropped: the reason stays on the record."})
    previous = item.status
    item.status = status
    item.closed_on = timezone.localdate() if status in (ActionStatus.DONE, ActionStatus.DROPPED) else None
    stamp(item, actor, f"{ActionStatus(previous).label} -> {ActionStatus(status).label}")
    item.save(update_fields=["status", "closed_on", "updated_at"])
    ActionItemNote.objects.create(
        action_item=item,
        author=actor_user(actor),
        text=note or f"Marked {ActionStatus(status).label.lower()}.",
        status_from=previous,
        status_to=status,
    )
    return item


@transaction.atomic
def action_item_note_add(*, item_id: int, actor, text: str) -> ActionItemNote:
    """A progress note, without a change of status."""
    item = _visible_item_for_update(item_id, actor)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "The note is empty; write what has progressed."})
    note = ActionItemNote.objects.create(action_item=item, author=actor_user(actor), text=text)
    stamp(item, actor, "Progress note")
    item.save(update_fields=["updated_at"])
    return note


# ---------------------------------------------------------------------------------------------
# Email: invitations and reminders (run by meetings.tasks)

DUE_SOON_DAYS = 7
OVERDUE_EVERY_DAYS = 7


def invitations_email(*, invitation_ids: list[int]) -> int:
    """Send the invitation (or its update or cancellation) to each invitee with an email address;
    returns how many went out. Invitees without an address are skipped (the portal still shows them)."""
    from django.core.mail import get_connection

    from agencies.models import SiteSettings

    from .emails import invitation_message

    site = SiteSettings.load()
    invitations = list(
        Invitation.objects.filter(pk__in=invitation_ids)
        .select_related("event", "event__kind", "professional")
        .order_by("id")
    )
    sendable = [invitation for invitation in invitations if invitation.email]
    messages = [invitation_message(invitation, site=site) for invitation in sendable]
    sent = get_connection().send_messages(messages) if messages else 0
    Invitation.objects.filter(pk__in=[invitation.pk for invitation in sendable]).update(emailed_at=timezone.now())
    return sent or 0


def _reminder_recipients(items: list[ActionItem]) -> dict[int, set[str]]:
    """Item id -> the addresses to remind: the owner person, and the owning agency's ICT head
    accounts (or, when it has none with an address, its ICT unit's address)."""
    from accounts.models import Role, User

    agency_ids = {item.owner_agency_id for item in items if item.owner_agency_id}
    heads: dict[int, set[str]] = {}
    for agency_id, email in (
        User.objects.filter(role=Role.AGENCY_HEAD, agency_id__in=agency_ids, is_active=True)
        .exclude(email="")
        .values_list("agency_id", "email")
    ):
        heads.setdefault(agency_id, set()).add(email.lower())
    units = dict(ICTUnit.objects.filter(agency_id__in=agency_ids).exclude(email="").values_list("agency_id", "email"))
    recipients: dict[int, set[str]] = {}
    for item in items:
        addresses = set()
        if item.owner_professional_id and item.owner_professional.email:
            addresses.add(item.owner_professional.email.lower())
        if item.owner_agency_id:
            found = heads.get(item.owner_agency_id) or (
                {units[item.owner_agency_id].lower()} if item.owner_agency_id in units else set()
            )
            addresses |= found
        recipients[item.pk] = addresses
    return recipients


def action_item_reminders_send(*, today: dt.date) -> dict[str, int]:
    """Email owners about open items due within the next week (once per item) and about overdue
    items (once a week per item). One email per address lists all of its items.

    The items are marked reminded in the same transaction that picks them, with their rows locked,
    so two runs on the same day (a retry, a second beat) do not send twice.
    """
    from django.core.mail import get_connection

    from agencies.models import SiteSettings

    from .emails import reminder_message

    with transaction.atomic():
        base = (
            ActionItem.objects.open()
            .select_for_update(of=("self",))
            .select_related("event", "owner_agency", "owner_professional")
        )
        due_soon = list(
            base.filter(
                due_date__gte=today,
                due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
                due_soon_reminded_on__isnull=True,
            ).order_by("due_date", "id")
        )
        overdue = list(
            base.filter(due_date__lt=today)
            .filter(
                models.Q(overdue_reminded_on__isnull=True)
                | models.Q(overdue_reminded_on__lte=today - dt.timedelta(days=OVERDUE_EVERY_DAYS))
            )
            .order_by("due_date", "id")
        )
        ActionItem.objects.filter(pk__in=[item.pk for item in due_soon]).update(due_soon_reminded_on=today)
        ActionItem.objects.filter(pk__in=[item.pk for item in overdue]).update(overdue_reminded_on=today)
        recipients = _reminder_recipients(due_soon + overdue)
        by_address: dict[str, tuple[list, list]] = {}
        for group, items in ((0, due_soon), (1, overdue)):
            for item in items:
                for address in sorted(recipients[item.pk]):
                    by_address.setdefault(address, ([], []))[group].append(item)
        site = SiteSettings.load()
        messages = [
            reminder_message(address, due_soon=soon, overdue=late, today=today, site=site)
            for address, (soon, late) in sorted(by_address.items())
        ]
        # Sent inside the transaction: if sending fails, the marks roll back and the next run retries.
        sent = get_connection().send_messages(messages) if messages else 0
    return {"due_soon": len(due_soon), "overdue": len(overdue), "emails": sent or 0}
