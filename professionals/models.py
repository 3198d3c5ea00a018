import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.dates import date_at_age

from .querysets import ProfessionalOwnedQuerySet, ProfessionalQuerySet

# ---------------------------------------------------------------------------------------------
# Reference data: grades, categories, retirement ages and titles differ by country, so they are
# rows that division staff edit, not constants.


class GradeCategory(models.Model):
    """A position category (Bhutan: EX, ES, P, SS, S, O). Retirement ages hang off it."""

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=80)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name_plural = "grade categories"

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class Grade(models.Model):
    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=80, blank=True)
    category = models.ForeignKey(GradeCategory, on_delete=models.PROTECT, related_name="grades")
    rank = models.PositiveSmallIntegerField(
        unique=True, help_text="Seniority: higher ranks are more senior. Grades ranking alike need distinct numbers."
    )

    class Meta:
        ordering = ["-rank"]

    def __str__(self) -> str:
        return self.code


class RetirementAgeRule(models.Model):
    """Superannuation age for a category from a date on: a table, because ages change by law."""

    category = models.ForeignKey(GradeCategory, on_delete=models.PROTECT, related_name="retirement_rules")
    age = models.PositiveSmallIntegerField()
    effective_from = models.DateField()
    source = models.CharField(max_length=200, blank=True, help_text="The rule's legal source, for the record.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["category__sort_order", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "effective_from"],
                name="one_retirement_rule_per_category_and_date",
                violation_error_message="This category already has a retirement age from that date.",
            ),
            models.CheckConstraint(
                condition=Q(age__gte=40, age__lte=80),
                name="retirement_age_plausible",
                violation_error_message="A retirement age is between 40 and 80.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category.code}: {self.age} from {self.effective_from:%Y-%m-%d}"


class PositionTitle(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120, unique=True)
    min_grade = models.ForeignKey(
        Grade,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Lowest grade usually holding this title (optional).",
    )
    max_grade = models.ForeignKey(
        Grade,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Highest grade usually holding this title (optional).",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.min_grade and self.max_grade and self.min_grade.rank > self.max_grade.rank:
            raise ValidationError({"max_grade": "The highest grade ranks below the lowest grade."})


# ---------------------------------------------------------------------------------------------
# The professional and their history.


class Gender(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    OTHER = "X", "Other / not stated"


class EmploymentType(models.TextChoices):
    REGULAR = "regular", "Regular"
    PROBATION = "probation", "On probation"
    CONTRACT = "contract", "Contract"
    DEPUTATION = "deputation", "On deputation"


class Status(models.TextChoices):
    ACTIVE = "active", "In service"
    EOL = "eol", "On extraordinary leave"
    STUDY_LEAVE = "study_leave", "On study leave"
    SECONDED = "seconded", "On secondment"
    RESIGNED = "resigned", "Resigned"
    RETIRED = "retired", "Retired"
    TERMINATED = "terminated", "Terminated"
    DECEASED = "deceased", "Deceased"
    LEFT_CADRE = "left_cadre", "Left the ICT cadre"


# Groupings used by queries and services: still on the payroll, or gone.
IN_SERVICE_STATUSES = (Status.ACTIVE, Status.EOL, Status.STUDY_LEAVE, Status.SECONDED)
EXITED_STATUSES = (Status.RESIGNED, Status.RETIRED, Status.TERMINATED, Status.DECEASED, Status.LEFT_CADRE)


NAME_ORDER = ["first_name", "last_name", "employee_id"]
# What the list's ordered indexes carry besides their keys (the id, and the columns it filters on).
LIST_FILTER_COLUMNS = [
    "id",
    "status",
    "current_agency",
    "grade",
    "track",
    "position_title",
    "employment_type",
]


class Professional(models.Model):
    employee_id = models.CharField(max_length=20, unique=True, help_text="Civil-service employee id.")
    national_id = models.CharField(max_length=20, unique=True, help_text="National identity (CID) number.")
    first_name = models.CharField(max_length=80)
    middle_name = models.CharField(max_length=80, blank=True)
    last_name = models.CharField(max_length=80, blank=True)
    gender = models.CharField(max_length=1, choices=Gender.choices)
    date_of_birth = models.DateField()
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    first_appointment_date = models.DateField(help_text="First appointment in the civil service.")
    employment_type = models.CharField(max_length=20, choices=EmploymentType.choices, default=EmploymentType.REGULAR)
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="professionals")
    position_title = models.ForeignKey(
        PositionTitle, null=True, blank=True, on_delete=models.PROTECT, related_name="professionals"
    )
    track = models.ForeignKey(
        "competencies.Track", null=True, blank=True, on_delete=models.PROTECT, related_name="professionals"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    # Stored (not computed per query) so that lists can filter and sort by years to retirement
    # at 50,000 rows; services recompute it whenever the birth date, the grade or a rule changes.
    superannuation_date = models.DateField(null=True, blank=True, editable=False)
    # The agency of the open placement, stored so that scoping ("the people in my agencies") and
    # the agency filters are one indexed column instead of a join through every placement: at
    # 50,000 people that join cost 15-40 ms a page. Only placements.models.current_agency_sync
    # writes it, whenever a placement is saved or deleted; `save()` below never does.
    current_agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The current agency is derived from the placements, whose own history records every move.
    history = HistoricalRecords(excluded_fields=["current_agency"])
    objects = ProfessionalQuerySet.as_manager()

    class Meta:
        ordering = NAME_ORDER
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["last_name", "first_name"]),
            # The professionals list in its two indexed orders: by name (the default; backwards
            # for Z–A) and by superannuation date, soonest first (latest first, with people
            # without a date last, has its own index on PostgreSQL, migration 0006: SQLite cannot
            # index NULLS LAST). Each carries the columns the list filters on, so PostgreSQL walks
            # it in the sort's order, tests the filters on the index entries and stops at the
            # page's 50 rows without reading the table. Name search uses trigram indexes on
            # PostgreSQL (migration 0002).
            models.Index(
                fields=NAME_ORDER,
                # With what a name search also reads, so that the page of a search is found from
                # this index alone too.
                include=[*LIST_FILTER_COLUMNS, "superannuation_date", "middle_name", "national_id"],
                name="professional_name_order",
            ),
            models.Index(
                fields=["superannuation_date", *NAME_ORDER],
                include=LIST_FILTER_COLUMNS,
                name="professional_superannuation",
            ),
            # The list's filters, each with the status that every list applies (in service by
            # default), so that a filter's count reads one index range.
            models.Index(fields=["employment_type", "status"]),
            models.Index(fields=["current_agency", "status"]),
            models.Index(fields=["grade", "status"]),
            models.Index(fields=["track", "status"]),
            models.Index(fields=["position_title", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_appointment_date__gt=F("date_of_birth")),
                name="appointed_after_birth",
                violation_error_message="The first appointment must come after the date of birth.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.employee_id})"

    def save(self, *args, **kwargs):
        # An instance read before a placement moved holds the old current agency: writing every
        # field back would undo the move. Updates write everything but that column.
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "current_agency"
            ]
        super().save(*args, **kwargs)

    @property
    def in_service(self) -> bool:
        """Serving now (active, on leave or seconded), as opposed to having left."""
        return self.status in IN_SERVICE_STATUSES

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.middle_name, self.last_name) if part)

    def clean(self) -> None:
        errors = {}
        today = timezone.localdate()
        if self.date_of_birth and self.date_of_birth > today:
            errors["date_of_birth"] = "The date of birth is in the future."
        elif self.date_of_birth and date_at_age(self.date_of_birth, 15) > today:  # (on any day, 29 Feb too)
            errors["date_of_birth"] = "A civil servant is at least 15 years old; check the date of birth."
        if self.first_appointment_date and self.first_appointment_date > today + dt.timedelta(days=366):
            errors["first_appointment_date"] = "The first appointment is more than a year in the future."
        if self.date_of_birth and self.first_appointment_date and self.first_appointment_date <= self.date_of_birth:
            errors["first_appointment_date"] = "The first appointment must come after the date of birth."
        if errors:
            raise ValidationError(errors)


class StatusEventKind(models.TextChoices):
    EOL = "eol", "Extraordinary leave"
    STUDY_LEAVE = "study_leave", "Study leave"
    SECONDMENT = "secondment", "Secondment"
    RETURN = "return", "Return to duty"
    RESIGNATION = "resignation", "Resignation"
    RETIREMENT = "retirement", "Retirement (superannuation)"
    TERMINATION = "termination", "Termination"
    DEATH = "death", "Death"
    LEFT_CADRE = "left_cadre", "Left the ICT cadre"


# What each event makes of the professional's status.
STATUS_AFTER_EVENT = {
    StatusEventKind.EOL: Status.EOL,
    StatusEventKind.STUDY_LEAVE: Status.STUDY_LEAVE,
    StatusEventKind.SECONDMENT: Status.SECONDED,
    StatusEventKind.RETURN: Status.ACTIVE,
    StatusEventKind.RESIGNATION: Status.RESIGNED,
    StatusEventKind.RETIREMENT: Status.RETIRED,
    StatusEventKind.TERMINATION: Status.TERMINATED,
    StatusEventKind.DEATH: Status.DECEASED,
    StatusEventKind.LEFT_CADRE: Status.LEFT_CADRE,
}
LEAVE_EVENTS = (StatusEventKind.EOL, StatusEventKind.STUDY_LEAVE, StatusEventKind.SECONDMENT)
EXIT_EVENTS = (
    StatusEventKind.RESIGNATION,
    StatusEventKind.RETIREMENT,
    StatusEventKind.TERMINATION,
    StatusEventKind.DEATH,
    StatusEventKind.LEFT_CADRE,
)


class StatusEvent(models.Model):
    """One change of a professional's status: leave with an expected end, a return, or an exit."""

    professional = models.ForeignKey(Professional, on_delete=models.CASCADE, related_name="status_events")
    kind = models.CharField(max_length=20, choices=StatusEventKind.choices)
    effective_date = models.DateField()
    expected_end = models.DateField(
        null=True, blank=True, help_text="For leave and secondment: when the person is due back."
    )
    reference = models.CharField(max_length=60, blank=True, help_text="Office order or letter number.")
    notes = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = ProfessionalOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["professional_id", "effective_date", "id"]
        indexes = [
            models.Index(fields=["kind", "effective_date"]),
            models.Index(fields=["professional", "effective_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_end__isnull=True) | Q(expected_end__gt=F("effective_date")),
                name="status_event_ends_after_start",
                violation_error_message="The expected end must come after the start.",
            ),
            models.CheckConstraint(
                condition=Q(expected_end__isnull=True) | Q(kind__in=[k.value for k in LEAVE_EVENTS]),
                name="only_leave_has_expected_end",
                violation_error_message="Only leave and secondment have an expected end.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.effective_date:%Y-%m-%d}"


class GradeChange(models.Model):
    class Reason(models.TextChoices):
        APPOINTMENT = "appointment", "Appointment"
        PROMOTION = "promotion", "Promotion"
        REDESIGNATION = "redesignation", "Re-designation"
        DEMOTION = "demotion", "Demotion"
        CORRECTION = "correction", "Correction"

    professional = models.ForeignKey(Professional, on_delete=models.CASCADE, related_name="grade_changes")
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="+")
    effective_date = models.DateField()
    reason = models.CharField(max_length=20, choices=Reason.choices, default=Reason.PROMOTION)
    reference = models.CharField(max_length=60, blank=True)

    history = HistoricalRecords()
    objects = ProfessionalOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["professional_id", "effective_date", "id"]
        indexes = [models.Index(fields=["professional", "effective_date"])]

    def __str__(self) -> str:
        return f"{self.grade} from {self.effective_date:%Y-%m-%d}"


class Qualification(models.Model):
    class Level(models.TextChoices):
        CERTIFICATE = "certificate", "Certificate"
        DIPLOMA = "diploma", "Diploma"
        BACHELOR = "bachelor", "Bachelor's degree"
        PG_DIPLOMA = "pg_diploma", "Postgraduate diploma"
        MASTER = "master", "Master's degree"
        DOCTORATE = "doctorate", "Doctorate"

    professional = models.ForeignKey(Professional, on_delete=models.CASCADE, related_name="qualifications")
    level = models.CharField(max_length=20, choices=Level.choices)
    field = models.CharField(max_length=120)
    institution = models.CharField(max_length=160, blank=True)
    country = models.CharField(max_length=80, blank=True)
    year_completed = models.PositiveSmallIntegerField(null=True, blank=True)

    history = HistoricalRecords()
    objects = ProfessionalOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["professional_id", "year_completed"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} in {self.field}"

    def clean(self) -> None:
        if self.year_completed and self.year_completed > timezone.localdate().year:
            raise ValidationError({"year_completed": "The year completed is in the future."})


class PendingStatusChange(models.Model):
    """A status change that has fallen due (a leave period ended, a superannuation date reached),
    waiting for division staff to confirm it: the system never edits a status silently."""

    class Kind(models.TextChoices):
        LEAVE_ENDED = "leave_ended", "Leave or secondment period ended"
        SUPERANNUATION = "superannuation", "Superannuation date reached"

    class State(models.TextChoices):
        OPEN = "open", "Waiting for action"
        RESOLVED = "resolved", "Resolved"
        DISMISSED = "dismissed", "Dismissed"

    professional = models.ForeignKey(Professional, on_delete=models.CASCADE, related_name="pending_changes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    due_date = models.DateField()
    status_event = models.ForeignKey(
        StatusEvent,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The leave whose expected end has come.",
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    objects = ProfessionalOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["state", "due_date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["professional", "kind", "due_date"],
                name="one_pending_change_per_due_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.professional} on {self.due_date:%Y-%m-%d}"
