import regex
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

# A national id is checked against the pattern once a row: a pattern that backtracks without end
# (nested repetition such as (\d+)+) must neither hang an import nor be saved in the first place.
PATTERN_SECONDS = 0.05
PATTERN_PROBES = ("1" * 20 + "!", "a" * 20 + "!", "1a" * 10 + "!", "-" * 20 + "!", " " * 20 + "!")


class SlowPattern(Exception):
    """The national-id pattern took longer than PATTERN_SECONDS on one value."""


class ImportSettings(models.Model):
    """What an identity number looks like in this country: data, so that another government's
    format is a change in the administration, not in the code. One row."""

    national_id_pattern = models.CharField(
        max_length=200,
        default=r"\d{11}",
        help_text="A regular expression the whole national id must match. Bhutan's CID: 11 digits.",
    )
    national_id_description = models.CharField(
        max_length=200,
        default="11 digits, as on the citizenship identity card (CID)",
        help_text="How to describe the format to a clerk when a number does not match.",
    )

    class Meta:
        verbose_name = "import settings"
        verbose_name_plural = "import settings"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="import_settings_singleton")]

    def __str__(self) -> str:
        return "Import settings"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    def clean(self) -> None:
        try:
            compiled = regex.compile(self.national_id_pattern)
        except regex.error as error:
            raise ValidationError({"national_id_pattern": f"Not a valid regular expression: {error}."}) from None
        for probe in PATTERN_PROBES:
            try:
                compiled.fullmatch(probe, timeout=PATTERN_SECONDS)
            except TimeoutError:
                raise ValidationError(
                    {
                        "national_id_pattern": "This pattern takes too long to check a 20-character value: write it "
                        "without a repetition inside a repetition, e.g. \\d{11} rather than (\\d|\\d)+."
                    }
                ) from None

    def national_id_matches(self, value: str) -> bool:
        """Whether `value` is a national id of this country's format; raises SlowPattern rather
        than hang on a pattern that backtracks (one saved before patterns were checked)."""
        try:
            return regex.fullmatch(self.national_id_pattern, value, timeout=PATTERN_SECONDS) is not None
        except TimeoutError:
            raise SlowPattern(self.national_id_pattern) from None

    @classmethod
    def load(cls) -> "ImportSettings":
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj


class ImportState(models.TextChoices):
    CHECKING = "checking", "Checking (dry run)"
    CHECKED = "checked", "Checked"
    COMMITTING = "committing", "Importing"
    COMMITTED = "committed", "Imported"
    FAILED = "failed", "Failed"


class ImportRun(models.Model):
    """One uploaded file: its dry run, and its commit once the dry run is clean. The file is kept
    (under MEDIA_ROOT, downloaded only through a view for division staff) so that what is committed
    is exactly what was checked."""

    kind = models.CharField(max_length=40)
    file = models.FileField(upload_to="imports/%Y/%m/")
    filename = models.CharField(max_length=200)
    size = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=20, choices=ImportState.choices, default=ImportState.CHECKING)
    report = models.JSONField(null=True, blank=True, help_text="The last dry run's or the commit's report.")
    error = models.TextField(blank=True, help_text="Why the task failed, if it did.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at"])]

    def __str__(self) -> str:
        return f"{self.filename} ({self.kind})"

    @property
    def is_running(self) -> bool:
        return self.state in (ImportState.CHECKING, ImportState.COMMITTING)

    @property
    def may_commit(self) -> bool:
        return self.state == ImportState.CHECKED and bool(self.report and self.report.get("ok"))
