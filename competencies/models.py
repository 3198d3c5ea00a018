"""Competency frameworks, career tracks, requirements, assessments, training, certifications and
expert pools (issue 6).

Levels are stored as their number within the framework (1 = lowest) so that gaps are plain SQL
arithmetic; which numbers a framework has is checked by the services (`competencies.services`)
and by `clean()`, since a composite foreign key (framework, number) is beyond Django.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from .querysets import (
    AssessmentQuerySet,
    CertificationQuerySet,
    DeploymentQuerySet,
    MembershipQuerySet,
    TrainingRequestQuerySet,
)

# ---------------------------------------------------------------------------------------------
# The framework: levels, competencies, tracks and what each position needs.


class Framework(models.Model):
    """A competency framework: its ordered proficiency levels and its competencies. The default
    one (seven levels of responsibility) is used by tracks that name none."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    is_default = models.BooleanField(default=False, help_text="Used for tracks (and people) that name no framework.")

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="one_default_framework",
                violation_error_message="Only one framework can be the default.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def default(cls) -> Framework | None:
        return cls.objects.filter(is_default=True).first()


class ProficiencyLevel(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField(help_text="Order within the framework: 1 is the lowest level.")
    code = models.CharField(max_length=10, help_text='How the level is written, e.g. "3" or "e-3".')
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="one_level_per_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="level_number_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Competency(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="competencies")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=120)
    category = models.CharField(max_length=80, blank=True)
    description = models.TextField(blank=True, help_text="Our own short description (licensed text is never copied).")

    class Meta:
        ordering = ["category", "code"]
        verbose_name_plural = "competencies"
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"],
                name="one_competency_code_per_framework",
                violation_error_message="This framework already has a competency with this code.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Track(models.Model):
    """A career track (Application Development, Cybersecurity, ...) with its competencies."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    sort_order = models.PositiveSmallIntegerField(default=100)
    framework = models.ForeignKey(
        Framework,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tracks",
        help_text="Empty: the default framework.",
    )
    competencies = models.ManyToManyField(Competency, blank=True, related_name="tracks")

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Requirement(models.Model):
    """The level a competency needs for a position title (and optionally a grade band) within a
    track. Bands of one (track, title, competency) may not overlap, so at most one requirement
    applies to a person for each competency (checked by `requirement_save`)."""

    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="requirements")
    position_title = models.ForeignKey(
        "professionals.PositionTitle", on_delete=models.CASCADE, related_name="competency_requirements"
    )
    min_grade = models.ForeignKey(
        "professionals.Grade",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Lowest grade of the band (empty: no lower bound).",
    )
    max_grade = models.ForeignKey(
        "professionals.Grade",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Highest grade of the band (empty: no upper bound).",
    )
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="requirements")
    level = models.PositiveSmallIntegerField(help_text="The level number needed, within the competency's framework.")

    class Meta:
        ordering = ["track", "position_title", "competency"]
        indexes = [models.Index(fields=["track", "position_title"])]
        constraints = [models.CheckConstraint(condition=Q(level__gte=1), name="requirement_level_from_one")]

    def __str__(self) -> str:
        return f"{self.track}: {self.position_title} needs {self.competency.code} at {self.level}"


# ---------------------------------------------------------------------------------------------
# Assessments and the current level.


class AssessmentKind(models.TextChoices):
    SELF = "self", "Self-assessment"
    SUPERVISOR = "supervisor", "Supervisor (agency ICT head)"
    DIVISION = "division", "ICT Management Division"
    TRAINING = "training", "Training result"


class Assessment(models.Model):
    """One judgement of a professional's level in one competency. Self-assessments count once a
    supervisor or the division confirms them; the others are confirmed when recorded."""

    professional = models.ForeignKey(
        "professionals.Professional", on_delete=models.CASCADE, related_name="competency_assessments"
    )
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="assessments")
    kind = models.CharField(max_length=20, choices=AssessmentKind.choices)
    level = models.PositiveSmallIntegerField()
    assessed_on = models.DateField()
    evidence = models.TextField(blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [
            models.Index(fields=["professional", "competency", "assessed_on"]),
            models.Index(fields=["kind", "assessed_on"]),
        ]
        constraints = [models.CheckConstraint(condition=Q(level__gte=1), name="assessment_level_from_one")]

    def __str__(self) -> str:
        return f"{self.competency.code} at {self.level} ({self.get_kind_display()}, {self.assessed_on:%Y-%m-%d})"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class CompetencyLevel(models.Model):
    """The professional's current level in a competency: their latest confirmed assessment.

    Written only by `competencies.services.current_level_refresh` (the one definition of the
    rule), kept so that the gap heatmap is one grouped query instead of a "latest row" search
    per person and competency."""

    professional = models.ForeignKey(
        "professionals.Professional", on_delete=models.CASCADE, related_name="competency_levels"
    )
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="current_levels")
    level = models.PositiveSmallIntegerField()
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    assessed_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["professional", "competency"], name="one_current_level_per_competency")
        ]
        indexes = [models.Index(fields=["competency", "level"])]

    def __str__(self) -> str:
        return f"{self.competency.code}: {self.level}"


# ---------------------------------------------------------------------------------------------
# Training.


class TrainingMode(models.TextChoices):
    CLASSROOM = "classroom", "Classroom"
    ONLINE = "online", "Online"
    BLENDED = "blended", "Blended"
    ATTACHMENT = "attachment", "Attachment / on the job"
    ABROAD = "abroad", "Abroad"


class TrainingProgramme(models.Model):
    title = models.CharField(max_length=200)
    provider = models.CharField(max_length=160)
    mode = models.CharField(max_length=20, choices=TrainingMode.choices, default=TrainingMode.CLASSROOM)
    start_date = models.DateField()
    end_date = models.DateField()
    seats = models.PositiveIntegerField(help_text="How many people it can take.")
    description = models.TextField(blank=True)
    competencies = models.ManyToManyField(Competency, through="ProgrammeCompetency", related_name="programmes")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "title"]
        indexes = [models.Index(fields=["start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="programme_ends_after_start",
                violation_error_message="A programme ends on or after its first day.",
            ),
            models.CheckConstraint(
                condition=Q(seats__gte=1),
                name="programme_has_seats",
                violation_error_message="Seats must be 1 or more.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_date:%b %Y})"


class ProgrammeCompetency(models.Model):
    """A competency a programme develops, and the level a participant who passes reaches."""

    programme = models.ForeignKey(TrainingProgramme, on_delete=models.CASCADE, related_name="developed")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(help_text="The level a participant who passes is assessed at.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "competency"], name="one_level_per_programme_competency")
        ]

    def __str__(self) -> str:
        return f"{self.competency.code} to {self.level}"


class TrainingRequestState(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    COMPLETED = "completed", "Completed"


class TrainingAction(models.TextChoices):
    APPROVE = "approve", "Approved"
    REJECT = "reject", "Rejected"
    WITHDRAW = "withdraw", "Withdrawn"
    COMPLETE = "complete", "Completed"


# The state machine: action -> (states it may start from, state it leads to).
TRAINING_TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    TrainingAction.APPROVE: ((TrainingRequestState.SUBMITTED,), TrainingRequestState.APPROVED),
    TrainingAction.REJECT: ((TrainingRequestState.SUBMITTED,), TrainingRequestState.REJECTED),
    TrainingAction.WITHDRAW: ((TrainingRequestState.SUBMITTED,), TrainingRequestState.WITHDRAWN),
    TrainingAction.COMPLETE: ((TrainingRequestState.APPROVED,), TrainingRequestState.COMPLETED),
}


class TrainingRequest(models.Model):
    """A request that one or several professionals attend a programme, from an agency ICT head
    (for their people) or a professional (for themselves), decided by the division."""

    programme = models.ForeignKey(TrainingProgramme, on_delete=models.PROTECT, related_name="requests")
    professionals = models.ManyToManyField("professionals.Professional", related_name="training_requests")
    agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_requests",
        help_text="The asking agency (the professionals' agency when a professional asks).",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField()
    state = models.CharField(
        max_length=20, choices=TrainingRequestState.choices, default=TrainingRequestState.SUBMITTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = TrainingRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "created_at"]), models.Index(fields=["agency", "state"])]

    def __str__(self) -> str:
        return f"{self.reference}: {self.programme.title}"

    @property
    def reference(self) -> str:
        return f"TR-{self.pk}"

    def may(self, action: str) -> bool:
        return self.state in TRAINING_TRANSITIONS[action][0]

    def next_state(self, action: str) -> str:
        """The state `action` leads to; a ValidationError saying why when it may not happen now."""
        sources, target = TRAINING_TRANSITIONS[action]
        if self.state not in sources:
            raise ValidationError(
                f"Training request {self.reference} is {self.get_state_display().lower()}; it can be "
                f"{TrainingAction(action).label.lower()} only when it is "
                f"{' or '.join(TrainingRequestState(s).label.lower() for s in sources)}.",
                code="illegal_transition",
            )
        return target


class TrainingResult(models.TextChoices):
    PASSED = "passed", "Passed"
    FAILED = "failed", "Did not pass"
    ABSENT = "absent", "Did not attend"


class TrainingRecord(models.Model):
    """A professional's participation in a programme. A pass raises their assessments to the
    levels the programme develops (`training_request_complete`)."""

    professional = models.ForeignKey(
        "professionals.Professional", on_delete=models.CASCADE, related_name="training_records"
    )
    programme = models.ForeignKey(TrainingProgramme, on_delete=models.PROTECT, related_name="records")
    request = models.ForeignKey(
        TrainingRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="records"
    )
    attended = models.BooleanField(default=True)
    result = models.CharField(max_length=20, choices=TrainingResult.choices)
    certificate = models.CharField(max_length=200, blank=True, help_text="Certificate number or title, if any.")
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-programme__start_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["professional", "programme"],
                name="one_record_per_programme",
                violation_error_message="This professional already has a record for this programme.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme.title}: {self.get_result_display()}"


class Certification(models.Model):
    professional = models.ForeignKey(
        "professionals.Professional", on_delete=models.CASCADE, related_name="certifications"
    )
    name = models.CharField(max_length=160)
    issuer = models.CharField(max_length=160)
    issued_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True, help_text="Empty: does not expire.")
    credential_id = models.CharField(max_length=80, blank=True)
    # The smallest reminder threshold (days before expiry) already emailed: each is sent once.
    reminded_days = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    history = HistoricalRecords()
    objects = CertificationQuerySet.as_manager()

    class Meta:
        ordering = ["expires_on", "name"]
        indexes = [models.Index(fields=["expires_on"]), models.Index(fields=["name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("issued_on")),
                name="certification_expires_after_issue",
                violation_error_message="A certification expires after the day it was issued.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.issuer})"


# ---------------------------------------------------------------------------------------------
# Expert pools.


class ExpertPool(models.Model):
    """A pool of professionals the division calls on for their expertise (Infocomm security, ICT
    strategic planning, ...)."""

    name = models.CharField(max_length=120, unique=True)
    track = models.ForeignKey(Track, null=True, blank=True, on_delete=models.PROTECT, related_name="expert_pools")
    purpose = models.TextField(blank=True)
    competencies = models.ManyToManyField(Competency, blank=True, related_name="expert_pools")

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MembershipRole(models.TextChoices):
    LEAD = "lead", "Lead"
    MEMBER = "member", "Member"


class MembershipState(models.TextChoices):
    NOMINATED = "nominated", "Nominated"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    ENDED = "ended", "Ended"


OPEN_MEMBERSHIP_STATES = (MembershipState.NOMINATED, MembershipState.ACCEPTED)


class ExpertPoolMembership(models.Model):
    """A professional's place in a pool: nominated (by an agency head, the person or the division),
    then accepted or declined by the division; a member until `until`."""

    pool = models.ForeignKey(ExpertPool, on_delete=models.CASCADE, related_name="memberships")
    professional = models.ForeignKey(
        "professionals.Professional", on_delete=models.CASCADE, related_name="pool_memberships"
    )
    role = models.CharField(max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    state = models.CharField(max_length=10, choices=MembershipState.choices, default=MembershipState.NOMINATED)
    since = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    nominated_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["pool", "role", "professional__first_name"]
        indexes = [models.Index(fields=["professional", "state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["pool", "professional"],
                condition=Q(state__in=["nominated", "accepted"]),
                name="one_open_membership_per_pool",
                violation_error_message="This professional is already nominated to or a member of this pool.",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(since__isnull=True) | Q(until__gte=F("since")),
                name="membership_ends_after_start",
                violation_error_message="A membership ends on or after the day it started.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.professional} in {self.pool} ({self.get_state_display()})"


class Deployment(models.Model):
    """Experts of a pool assigned to an agency's request for a period, with what came of it."""

    pool = models.ForeignKey(ExpertPool, on_delete=models.PROTECT, related_name="deployments")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="expert_deployments")
    request = models.TextField(help_text="What the agency asked the experts for.")
    start_date = models.DateField()
    end_date = models.DateField()
    experts = models.ManyToManyField("professionals.Professional", related_name="deployments")
    outcome = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = DeploymentQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["start_date", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="deployment_ends_after_start",
                violation_error_message="A deployment ends on or after its first day.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.pool} at {self.agency.code}, {self.start_date:%d %b %Y}"
