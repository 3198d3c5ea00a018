"""Report runs (a file produced by a Celery task, polled by its page), the planning assumptions
division staff enter for the capacity projection, and the monthly workforce snapshots."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .querysets import ReportRunQuerySet


class ReportKind(models.TextChoices):
    ATTRITION = "attrition", "Attrition"
    PROJECTION = "projection", "Capacity projection"
    HEADCOUNT = "headcount", "Headcount and vacancies"
    ROSTER = "roster", "Roster"


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Excel"
    CSV = "csv", "CSV"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Ready"
    FAILED = "failed", "Failed"


class ReportRun(models.Model):
    """One requested report: its parameters, how far its task got, and the file it produced.

    The task (reports.tasks.run_report) takes the run's id, moves it queued -> running ->
    succeeded or failed, bumps `heartbeat_at` with each progress step, and stores the file under
    MEDIA_ROOT; the file is served only by the scoped download view. A run whose worker died
    stays "running" without heartbeat until the periodic sweep marks it failed.
    """

    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    format = models.CharField(max_length=10, choices=ReportFormat.choices, default=ReportFormat.PDF)
    parameters = models.JSONField(default=dict, help_text="The checked parameters, as agency/track/grade codes.")
    # Identical requests of one person within a few minutes reuse the run (see services).
    fingerprint = models.CharField(max_length=64, editable=False)
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    progress_note = models.CharField(max_length=200, blank=True)
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)
    worker = models.CharField(
        max_length=200, blank=True, help_text="The Celery worker running it, so that the sweep can tell it died."
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="report_runs"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ReportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["requested_by", "fingerprint", "requested_at"]),
            models.Index(fields=["status", "heartbeat_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_format_display()}) #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)

    @property
    def filename(self) -> str:
        return f"{self.kind}-report-{self.pk}.{self.format}"


class PlannedRecruitment(models.Model):
    """People the division plans to recruit into an agency (and track) in a year: added to the
    supply of the capacity projection."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="planned_recruitment")
    track = models.ForeignKey(
        "competencies.Track", null=True, blank=True, on_delete=models.PROTECT, related_name="planned_recruitment"
    )
    year = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField()
    note = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "agency__name"]
        verbose_name_plural = "planned recruitment"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "track", "year"],
                name="one_recruitment_plan_per_agency_track_year",
                violation_error_message="This agency already has planned recruitment for that track and year.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.number} into {self.agency}"


class PlannedGrowth(models.Model):
    """Posts an agency is planned to gain (or lose, negative) in a year, on top of its sanctioned
    posts: the demand side of the capacity projection."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="planned_growth")
    year = models.PositiveSmallIntegerField()
    posts = models.SmallIntegerField(help_text="Posts added that year (negative: posts abolished).")
    note = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "agency__name"]
        verbose_name_plural = "planned growth"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year"],
                name="one_growth_plan_per_agency_year",
                violation_error_message="This agency already has planned growth for that year.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.posts:+d} posts at {self.agency}"


class WorkforceSnapshot(models.Model):
    """The government-wide headcount and trailing twelve-month attrition at the end of a month,
    recorded by Celery beat, so that the trend survives later corrections of the history."""

    month = models.DateField(unique=True, help_text="The month's last day.")
    in_service = models.PositiveIntegerField()
    on_eol = models.PositiveIntegerField()
    exits_12_months = models.PositiveIntegerField()
    attrition_rate_12_months = models.DecimalField(max_digits=5, decimal_places=2, help_text="Per cent.")
    by_agency_kind = models.JSONField(default=dict)
    by_track = models.JSONField(default=dict)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"Workforce on {self.month:%Y-%m-%d}"
