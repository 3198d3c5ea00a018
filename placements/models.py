from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .querysets import OfficeOrderQuerySet, PlacementQuerySet, TransferRequestQuerySet


class PlacementKind(models.TextChoices):
    APPOINTMENT = "appointment", "Appointment"
    TRANSFER = "transfer", "Transfer"
    SECONDMENT = "secondment", "Secondment"
    RESTRUCTURING = "restructuring", "Restructuring"


class Placement(models.Model):
    """A posting of one professional to one agency for a period; `end_date` empty means current.

    The database refuses a second open placement for a person (a partial unique index, every
    backend) and, on PostgreSQL, any two placements of one person whose periods overlap (an
    exclusion constraint added in migration 0002). End dates are exclusive: a placement ending
    on 1 March and the next starting on 1 March do not overlap.
    """

    professional = models.ForeignKey("professionals.Professional", on_delete=models.PROTECT, related_name="placements")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="placements")
    position_title = models.ForeignKey(
        "professionals.PositionTitle", null=True, blank=True, on_delete=models.PROTECT, related_name="placements"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Empty while the placement is current.")
    kind = models.CharField(max_length=20, choices=PlacementKind.choices, default=PlacementKind.APPOINTMENT)
    office_order_number = models.CharField(max_length=40, blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["professional_id", "-start_date"]
        indexes = [
            models.Index(fields=["professional", "start_date"]),
            models.Index(
                fields=["agency", "position_title"], condition=Q(end_date__isnull=True), name="current_placement_agency"
            ),
            models.Index(fields=["start_date"]),
            models.Index(fields=["end_date"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["professional"],
                condition=Q(end_date__isnull=True),
                name="one_open_placement_per_professional",
                violation_error_message="This professional already has a current placement; end it first.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=F("start_date")),
                name="placement_ends_after_start",
                violation_error_message="A placement must end after it starts.",
            ),
        ]

    def __str__(self) -> str:
        until = f"{self.end_date:%Y-%m-%d}" if self.end_date else "now"
        return f"{self.professional} at {self.agency} ({self.start_date:%Y-%m-%d} – {until})"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        current_agency_sync([self.professional_id, getattr(self, "_loaded_professional_id", None)])
        self._loaded_professional_id = self.professional_id

    def delete(self, *args, **kwargs):
        professional_id = self.professional_id
        result = super().delete(*args, **kwargs)
        current_agency_sync([professional_id])
        return result

    @classmethod
    def from_db(cls, db, field_names, values):
        placement = super().from_db(db, field_names, values)
        # Whose placement it was when read, so a save that moves it to another person resyncs both.
        placement._loaded_professional_id = placement.__dict__.get("professional_id")
        return placement

    @property
    def is_current(self) -> bool:
        return self.end_date is None

    def clean(self) -> None:
        if self.end_date and self.start_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": "The end date must come after the start date."})
        if (
            self.agency_id
            and self.start_date
            and self.agency.dissolved_on
            and self.start_date >= self.agency.dissolved_on
        ):
            raise ValidationError(
                {
                    "agency": f"{self.agency.name} was dissolved on {self.agency.dissolved_on:%d %b %Y}; "
                    "place the person with its successor."
                }
            )
        if not (self.professional_id and self.start_date):
            return
        others = Placement.objects.filter(professional_id=self.professional_id).exclude(pk=self.pk)
        overlapping = others.filter(Q(end_date__isnull=True) | Q(end_date__gt=self.start_date))
        if self.end_date:
            overlapping = overlapping.filter(start_date__lt=self.end_date)
        clash = overlapping.select_related("agency").first()
        if clash:
            raise ValidationError(
                {
                    "start_date": f"This period overlaps the placement at {clash.agency} from "
                    f"{clash.start_date:%d %b %Y}{' (current)' if clash.end_date is None else ''}."
                }
            )


def current_agency_sync(professional_ids=None) -> int:
    """Set `Professional.current_agency` from the open placements: of these professionals, or
    of everyone when `professional_ids` is None (after bulk writes, which bypass `save()`).
    One UPDATE; returns the number of rows it touched."""
    from professionals.models import Professional

    professionals = Professional.objects.all()
    if professional_ids is not None:
        ids = {pk for pk in professional_ids if pk is not None}
        if not ids:
            return 0
        professionals = professionals.filter(pk__in=ids)
    open_placement = Placement.objects.filter(professional_id=models.OuterRef("pk"), end_date__isnull=True)
    return professionals.update(current_agency_id=models.Subquery(open_placement.values("agency_id")[:1]))


# ---------------------------------------------------------------------------------------------
# Transfer requests: the division places and transfers professionals at the request of agency
# ICT heads (or the professional), under rules that are data (TransferRule).


class TransferKind(models.TextChoices):
    TRANSFER = "transfer", "Transfer"
    PLACEMENT = "placement", "Placement (first posting)"
    SECONDMENT = "secondment", "Secondment"


# The placement a request opens when it is effected.
PLACEMENT_KIND_FOR = {
    TransferKind.TRANSFER: PlacementKind.TRANSFER,
    TransferKind.PLACEMENT: PlacementKind.APPOINTMENT,
    TransferKind.SECONDMENT: PlacementKind.SECONDMENT,
}


class TransferState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    CONCURRED = "concurred", "Concurred"
    APPROVED = "approved", "Approved"
    EFFECTED = "effected", "Effected"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CANCELLED = "cancelled", "Cancelled"


OPEN_STATES = (TransferState.DRAFT, TransferState.SUBMITTED, TransferState.CONCURRED, TransferState.APPROVED)
CLOSED_STATES = (TransferState.EFFECTED, TransferState.REJECTED, TransferState.WITHDRAWN, TransferState.CANCELLED)


class TransferAction(models.TextChoices):
    CREATE = "create", "Created"
    SUBMIT = "submit", "Submitted"
    CONCUR = "concur", "Concurred"
    APPROVE = "approve", "Approved"
    EFFECT = "effect", "Effected"
    REJECT = "reject", "Rejected"
    WITHDRAW = "withdraw", "Withdrawn"
    CANCEL = "cancel", "Cancelled"
    OVERRIDE = "override", "Rule overridden"
    RESTRUCTURE = "restructure", "Moved by restructuring"


# The state machine, owned by the model: action -> (states it may start from, state it leads to).
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    TransferAction.SUBMIT: ((TransferState.DRAFT,), TransferState.SUBMITTED),
    TransferAction.CONCUR: ((TransferState.SUBMITTED,), TransferState.CONCURRED),
    TransferAction.APPROVE: ((TransferState.SUBMITTED, TransferState.CONCURRED), TransferState.APPROVED),
    TransferAction.EFFECT: ((TransferState.APPROVED,), TransferState.EFFECTED),
    TransferAction.REJECT: ((TransferState.SUBMITTED, TransferState.CONCURRED), TransferState.REJECTED),
    TransferAction.WITHDRAW: (
        (TransferState.DRAFT, TransferState.SUBMITTED, TransferState.CONCURRED),
        TransferState.WITHDRAWN,
    ),
    TransferAction.CANCEL: ((TransferState.APPROVED,), TransferState.CANCELLED),
}


class RequesterSide(models.TextChoices):
    RELEASING = "releasing", "ICT head of the releasing agency"
    RECEIVING = "receiving", "ICT head of the receiving agency"
    DIVISION = "division", "ICT Management Division"
    PROFESSIONAL = "professional", "The professional"


class RuleCode(models.TextChoices):
    """The rules the code knows how to check; their numbers and whether they apply are data."""

    MIN_SERVICE = "min_service", "Minimum service since first appointment"
    MIN_IN_POST = "min_in_post", "Minimum time in the current post"
    NEAR_SUPERANNUATION = "near_superannuation", "Not close to superannuation"
    EMPLOYMENT_TYPE = "employment_type", "Employment type eligible"
    VACANCY = "vacancy", "Vacant sanctioned post at the destination"
    ONE_OPEN_REQUEST = "one_open_request", "One open request per professional"


class TransferRule(models.Model):
    """One rule checked at submission and again at approval, with its country-specific values.

    Bhutan's values come from `load_reference_data` (placements.reference_data); division staff
    edit them in the administration. A rule switched off is not checked at all.
    """

    code = models.CharField(max_length=30, choices=RuleCode.choices, unique=True)
    is_active = models.BooleanField("checked", default=True)
    months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="For the time rules: months since first appointment, in the current post, or before superannuation.",
    )
    employment_types = models.CharField(
        max_length=200,
        blank=True,
        help_text="For the employment-type rule: the types NOT eligible, comma-separated (e.g. contract).",
    )
    applies_to_transfer = models.BooleanField(default=True)
    applies_to_placement = models.BooleanField(default=True)
    applies_to_secondment = models.BooleanField(default=True)
    source = models.CharField(max_length=200, blank=True, help_text="Where the rule comes from, for the record.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.get_code_display()

    @property
    def excluded_employment_types(self) -> list[str]:
        return [part.strip() for part in self.employment_types.split(",") if part.strip()]

    def applies_to(self, kind: str) -> bool:
        return getattr(self, f"applies_to_{kind}", False)

    def clean(self) -> None:
        from professionals.models import EmploymentType

        time_rules = (RuleCode.MIN_SERVICE, RuleCode.MIN_IN_POST, RuleCode.NEAR_SUPERANNUATION)
        if self.code in time_rules and self.months is None:
            raise ValidationError({"months": "This rule counts months: give the number."})
        unknown = set(self.excluded_employment_types) - set(EmploymentType.values)
        if unknown:
            raise ValidationError(
                {
                    "employment_types": f"Unknown employment type {', '.join(sorted(unknown))}; use "
                    f"{', '.join(EmploymentType.values)}."
                }
            )


class OfficeOrderKind(models.TextChoices):
    TRANSFER = "transfer", "Transfer order"
    RESTRUCTURING = "restructuring", "Restructuring order"


class OfficeOrder(models.Model):
    """An office order with its yearly number (e.g. ICT/2026/017) and, once rendered, its PDF.

    The PDF is produced by a Celery task into `file`; it is served only through the scoped
    download view (never from MEDIA_URL). Rows without a file (e.g. the demo's) are rendered
    on first download.
    """

    number = models.CharField(max_length=40, unique=True)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=OfficeOrderKind.choices, default=OfficeOrderKind.TRANSFER)
    issued_on = models.DateField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField(help_text="The order's text above the list of people concerned.")
    file = models.FileField(upload_to="office-orders/%Y/", blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    render_error = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = OfficeOrderQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="one_office_order_number_per_year"),
        ]

    def __str__(self) -> str:
        return self.number


class OfficeOrderEntry(models.Model):
    """One person an office order concerns: from where to where, as what, from when."""

    order = models.ForeignKey(OfficeOrder, on_delete=models.CASCADE, related_name="entries")
    professional = models.ForeignKey("professionals.Professional", on_delete=models.PROTECT, related_name="+")
    from_agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    position_title = models.ForeignKey(
        "professionals.PositionTitle", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    effective_date = models.DateField()

    class Meta:
        ordering = ["order_id", "id"]
        verbose_name_plural = "office order entries"

    def __str__(self) -> str:
        return f"{self.order}: {self.professional_id}"


class TransferRequest(models.Model):
    """A request to place, transfer or second one professional, and where it stands.

    draft -> submitted -> concurred (the other agency's ICT head agrees) -> approved (division)
    -> effected; or rejected, withdrawn, cancelled. Moves go through the services in
    `placements.transfer_services`, which check `TRANSITIONS` on the locked row.
    """

    kind = models.CharField(max_length=20, choices=TransferKind.choices, default=TransferKind.TRANSFER)
    professional = models.ForeignKey(
        "professionals.Professional", on_delete=models.PROTECT, related_name="transfer_requests"
    )
    releasing_agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outgoing_requests",
        help_text="Where the professional is placed now; empty for a first posting.",
    )
    receiving_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="incoming_requests")
    position_title = models.ForeignKey(
        "professionals.PositionTitle",
        on_delete=models.PROTECT,
        related_name="transfer_requests",
        help_text="The title of the post at the destination.",
    )
    reason = models.TextField()
    proposed_effective_date = models.DateField()
    effective_date = models.DateField(null=True, blank=True, help_text="Set by the approval.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="transfer_requests"
    )
    requester_side = models.CharField(max_length=20, choices=RequesterSide.choices)
    concurrence_from = models.CharField(
        max_length=20,
        choices=[(RequesterSide.RELEASING, "Releasing agency"), (RequesterSide.RECEIVING, "Receiving agency")],
        blank=True,
        help_text="Whose ICT head must concur; empty when the requester speaks for both sides.",
    )
    state = models.CharField(max_length=20, choices=TransferState.choices, default=TransferState.DRAFT)
    rule_results = models.JSONField(default=list, blank=True, help_text="The last rule check, as shown.")
    rules_checked_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    office_order = models.ForeignKey(
        OfficeOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="transfer_requests"
    )
    effected_placement = models.OneToOneField(
        Placement, null=True, blank=True, on_delete=models.PROTECT, related_name="transfer_request"
    )
    effect_error = models.TextField(blank=True, help_text="Why the daily task could not effect it, if it failed.")
    # A default rather than auto_now_add, so that imported and demo requests keep their real dates.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = TransferRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The queue's filters: status (with its default order), agency either side, kind, age.
            models.Index(fields=["state", "-created_at"], name="transfer_state_created"),
            models.Index(fields=["releasing_agency", "state"], name="transfer_releasing_state"),
            models.Index(fields=["receiving_agency", "state"], name="transfer_receiving_state"),
            models.Index(fields=["kind", "state"], name="transfer_kind_state"),
            models.Index(fields=["professional", "state"], name="transfer_professional_state"),
            models.Index(fields=["-created_at", "-id"], name="transfer_created"),
            # The daily task: approved requests that have fallen due.
            models.Index(fields=["effective_date"], condition=Q(state="approved"), name="transfer_approved_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(releasing_agency__isnull=True) | ~Q(releasing_agency=F("receiving_agency")),
                name="transfer_between_two_agencies",
                violation_error_message="The receiving agency must differ from the releasing agency.",
            ),
            models.CheckConstraint(
                condition=~Q(state="effected") | Q(effected_placement__isnull=False),
                name="effected_request_has_placement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.get_kind_display().lower()} of {self.professional_id}"

    @property
    def reference(self) -> str:
        return f"TR-{self.pk:05d}" if self.pk else "TR-new"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def may(self, action: str) -> bool:
        """Whether the state machine allows `action` from the current state (not who may do it)."""
        sources, _ = TRANSITIONS[action]
        return self.state in sources

    def next_state(self, action: str) -> str:
        """The state `action` leads to; a ValidationError that says why when it may not happen now."""
        sources, target = TRANSITIONS[action]
        if self.state not in sources:
            verb = TransferAction(action).label.lower()
            labels = [TransferState(s).label.lower() for s in sources]
            allowed = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"
            raise ValidationError(
                f"Request {self.reference} is {self.get_state_display().lower()}; it can be {verb} only when it is "
                f"{allowed}.",
                code="illegal_transition",
            )
        return target


class TransferRuleOverride(models.Model):
    """Division staff set a failing rule aside for one request, with a written reason kept for good."""

    request = models.ForeignKey(TransferRequest, on_delete=models.CASCADE, related_name="overrides")
    rule = models.CharField(max_length=30, choices=RuleCode.choices)
    reason = models.TextField()
    overridden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    overridden_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["request_id", "rule"]
        constraints = [
            models.UniqueConstraint(fields=["request", "rule"], name="one_override_per_rule_and_request"),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="override_has_reason",
                violation_error_message="An override needs a written reason.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_rule_display()} overridden"


class TransferRequestEvent(models.Model):
    """The request's timeline: each move, who made it, when, and what they wrote."""

    request = models.ForeignKey(TransferRequest, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=TransferAction.choices)
    from_state = models.CharField(max_length=20, choices=TransferState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=TransferState.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["request_id", "at", "id"]
        indexes = [models.Index(fields=["request", "at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} at {self.at:%Y-%m-%d %H:%M}"
