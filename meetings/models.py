"""Events the division convenes (ICT conference, ICT Heads' meetings, committees, orientation), who
was invited and came, what was minuted, and the action items that fall out of them.

Times are stored aware (UTC) and shown in settings.TIME_ZONE. Writes go through `services`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from .querysets import ActionItemQuerySet, EventQuerySet, EventScopedQuerySet, InvitationQuerySet


class EventKind(models.Model):
    """What kind of meeting an event is (ICT Heads' meeting, ICT conference, ...): data, so that
    division staff can add the kinds their government holds."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class EventStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


# The years events are planned and recorded in: a date outside them is a typing error. (Before 1947
# Bhutan's clocks kept local mean time, +05:58:36, an offset that ISO 8601 date-times cannot write.)
EVENT_YEARS = (1950, 2099)


class Event(models.Model):
    kind = models.ForeignKey(EventKind, on_delete=models.PROTECT, related_name="events")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    venue = models.CharField(max_length=200, blank=True, help_text="Where it takes place; empty for online only.")
    online_url = models.URLField("online link", blank=True, help_text="The video-conference link, if any.")
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="organised_events"
    )
    description = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=EventStatus.choices, default=EventStatus.PLANNED)
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many may attend; acceptances stop there. Empty: no limit."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "id"]
        indexes = [
            models.Index(fields=["starts_at"]),
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["kind", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="event_ends_after_it_starts",
                violation_error_message="An event must end after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="event_capacity_positive",
                violation_error_message="The capacity is at least 1 (leave it empty for no limit).",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        first, last = EVENT_YEARS
        if self.starts_at and not first <= self.starts_at.year <= last:
            raise ValidationError(
                {"starts_at": f"Events fall between {first} and {last}; check the year ({self.starts_at.year})."}
            )
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The event ends before it starts: the end must come after the start."})
        if self.starts_at and self.ends_at and self.ends_at - self.starts_at > dt.timedelta(days=14):
            raise ValidationError({"ends_at": "An event lasts at most 14 days; check the end date."})

    @property
    def where(self) -> str:
        if self.venue and self.online_url:
            return f"{self.venue} and online"
        return self.venue or ("Online" if self.online_url else "")


class AgendaItem(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    presenter = models.CharField(max_length=200, blank=True, help_text="Who presents, with their agency.")
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = EventScopedQuerySet.as_manager()

    class Meta:
        ordering = ["event_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "position"],
                name="one_agenda_item_per_position",
                violation_error_message="The agenda already has an item at this position.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class InvitationSource(models.TextChoices):
    ICT_HEADS = "ict_heads", "All agency ICT heads"
    AGENCY = "agency", "By agency"
    TRACK = "track", "By track"
    EXPERT_POOL = "expert_pool", "By expert pool"
    APPOINTED_SINCE = "appointed_since", "Appointed since a date"
    BY_HAND = "by_hand", "By hand"
    GUEST = "guest", "External guest"


class Rsvp(models.TextChoices):
    PENDING = "pending", "No answer yet"
    ACCEPTED = "accepted", "Attending"
    DECLINED = "declined", "Not attending"
    TENTATIVE = "tentative", "Maybe"


class Invitation(models.Model):
    """One invitee of one event: a professional (with the agency they represented on the day of
    the invitation, for attendance rates per agency) or an external guest by name and email."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    professional = models.ForeignKey(
        "professionals.Professional", null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations",
        help_text="The agency the invitee represents.",
    )
    guest_name = models.CharField(max_length=160, blank=True)
    guest_email = models.EmailField(blank=True)
    guest_organisation = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=20, choices=InvitationSource.choices)
    rsvp = models.CharField("RSVP", max_length=20, choices=Rsvp.choices, default=Rsvp.PENDING)
    rsvp_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True, blank=True, help_text="Empty until attendance is taken.")
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["event_id", "id"]
        indexes = [
            models.Index(fields=["event", "rsvp"]),
            models.Index(fields=["agency", "event"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "professional"],
                condition=Q(professional__isnull=False),
                name="one_invitation_per_professional",
                violation_error_message="This professional is already invited to the event.",
            ),
            models.UniqueConstraint(
                fields=["event", "guest_email"],
                condition=Q(professional__isnull=True),
                name="one_invitation_per_guest_email",
                violation_error_message="A guest with this email is already invited to the event.",
            ),
            models.CheckConstraint(
                condition=(Q(professional__isnull=False) & Q(guest_email=""))
                | (Q(professional__isnull=True) & ~Q(guest_email="") & ~Q(guest_name="")),
                name="invitation_is_a_professional_or_a_named_guest",
                violation_error_message="An invitation names a professional, or a guest with a name and an email.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invitee_name} to {self.event_id}"

    @property
    def invitee_name(self) -> str:
        return self.professional.full_name if self.professional_id else self.guest_name

    @property
    def email(self) -> str:
        return self.professional.email if self.professional_id else self.guest_email


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"


class Minutes(models.Model):
    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="minutes")
    text = models.TextField(help_text="What was discussed and decided, item by item.")
    status = models.CharField(max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = EventScopedQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "minutes"
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(approved_at__isnull=False),
                name="approved_minutes_have_a_date",
            )
        ]

    def __str__(self) -> str:
        return f"Minutes of {self.event}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)

# Which status may follow which: done and dropped items can be reopened, nothing else is refused.
ACTION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ActionStatus.OPEN: (ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.DROPPED),
    ActionStatus.IN_PROGRESS: (ActionStatus.OPEN, ActionStatus.DONE, ActionStatus.DROPPED),
    ActionStatus.DONE: (ActionStatus.IN_PROGRESS,),
    ActionStatus.DROPPED: (ActionStatus.OPEN,),
}


class ActionItem(models.Model):
    """A follow-up decided at an event, owned by an agency, a person or both, with a due date."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="action_items")
    title = models.CharField("what", max_length=300)
    description = models.TextField(blank=True)
    owner_agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="action_items"
    )
    owner_professional = models.ForeignKey(
        "professionals.Professional",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_items",
        verbose_name="owner (person)",
    )
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_on = models.DateField(null=True, blank=True, help_text="When it was done or dropped.")
    # The reminders task (meetings.tasks) sends "due in a week" once and "overdue" once a week.
    due_soon_reminded_on = models.DateField(null=True, blank=True, editable=False)
    overdue_reminded_on = models.DateField(null=True, blank=True, editable=False)

    history = HistoricalRecords()
    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["owner_agency", "status"]),
            models.Index(fields=["owner_professional", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_agency__isnull=False) | Q(owner_professional__isnull=False),
                name="action_item_has_an_owner",
                violation_error_message="An action item is owned by an agency, a person or both.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES

    def is_overdue(self, today: dt.date) -> bool:
        return self.is_open and self.due_date < today

    @property
    def owner_label(self) -> str:
        parts = [self.owner_agency.code if self.owner_agency_id else "", ""]
        if self.owner_professional_id:
            parts[1] = self.owner_professional.full_name
        return " · ".join(part for part in parts if part)

    def allowed_statuses(self) -> tuple[str, ...]:
        return ACTION_TRANSITIONS[self.status]


class ActionItemNote(models.Model):
    """A progress note on an action item; a status change is recorded with its note."""

    action_item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    status_from = models.CharField(max_length=20, choices=ActionStatus.choices, blank=True)
    status_to = models.CharField(max_length=20, choices=ActionStatus.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action_item_id", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]
