from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from .querysets import AgencyQuerySet, AgencyScopedQuerySet


class AgencyKind(models.Model):
    """A level or type of government body (ministry, dzongkhag, thromde, ...): data, so that a
    province/district or a barangay can be configured without code."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80, unique=True)
    plural_name = models.CharField(max_length=80)
    is_local_government = models.BooleanField(default=False)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """A first-level administrative area (Bhutan: a dzongkhag). The label is configured in
    SiteSettings.region_label."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    code = models.CharField(max_length=20, unique=True, help_text="Short unique code, e.g. MOH or DZ-PARO.")
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60, blank=True)
    kind = models.ForeignKey(AgencyKind, on_delete=models.PROTECT, related_name="agencies")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
        help_text="Where the agency sits (Bhutan: its dzongkhag).",
    )
    is_parent_agency = models.BooleanField(
        default=False, help_text="The central ICT parent agency that places and transfers professionals."
    )
    critical_information_infrastructure = models.BooleanField("critical information infrastructure", default=False)
    digital_maturity = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Digital maturity level, 1 (initial) to 5 (optimised)."
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    established_on = models.DateField(null=True, blank=True)
    dissolved_on = models.DateField(null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text="Where a dissolved agency's staff and functions went.",
    )

    history = HistoricalRecords()
    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        indexes = [models.Index(fields=["kind", "name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("id")),
                name="agency_not_own_parent",
                violation_error_message="An agency cannot be its own parent.",
            ),
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | Q(dissolved_on__isnull=False),
                name="agency_successor_only_when_dissolved",
                violation_error_message="Only a dissolved agency has a successor.",
            ),
            models.CheckConstraint(
                condition=Q(digital_maturity__isnull=True) | Q(digital_maturity__gte=1, digital_maturity__lte=5),
                name="agency_digital_maturity_1_to_5",
                violation_error_message="Digital maturity is a level from 1 to 5.",
            ),
            models.UniqueConstraint(
                fields=["is_parent_agency"],
                condition=Q(is_parent_agency=True),
                name="one_parent_agency",
                violation_error_message="Another agency is already the ICT parent agency.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": "An agency cannot be its own successor."})
        if self.pk and self.parent_id:
            # Walk up from the new parent: reaching self would make a cycle.
            seen, node = set(), self.parent
            while node is not None and node.pk not in seen:
                if node.pk == self.pk:
                    raise ValidationError(
                        {"parent": "This parent lies below the agency itself: that would make a loop."}
                    )
                seen.add(node.pk)
                node = node.parent
        if self.established_on and self.dissolved_on and self.dissolved_on < self.established_on:
            raise ValidationError({"dissolved_on": "An agency cannot be dissolved before it was established."})


class ICTUnitKind(models.Model):
    """ICT division, section, unit, cluster, Digital Transformation Unit ...: data, per country."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "ICT unit kind"

    def __str__(self) -> str:
        return self.name


class ICTUnit(models.Model):
    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="ict_unit")
    kind = models.ForeignKey(ICTUnitKind, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(max_length=200)
    terms_of_reference = models.TextField(blank=True)
    head = models.ForeignKey(
        "professionals.Professional", null=True, blank=True, on_delete=models.SET_NULL, related_name="heads_units"
    )
    email = models.EmailField(blank=True)
    established_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()
    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["agency__name"]
        verbose_name = "ICT unit"

    def __str__(self) -> str:
        return self.name


class SanctionedPost(models.Model):
    """The establishment: how many posts of one position title an agency may fill."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="sanctioned_posts")
    position_title = models.ForeignKey(
        "professionals.PositionTitle", on_delete=models.PROTECT, related_name="sanctioned_posts"
    )
    number = models.PositiveSmallIntegerField(help_text="Posts of this title the agency may fill.")
    notes = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()
    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["agency__name", "position_title__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "position_title"],
                name="one_establishment_row_per_title",
                violation_error_message="This agency already has a sanctioned-post row for this title.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency}: {self.number} x {self.position_title}"


class SiteSettings(models.Model):
    """Country-specific words for the whole installation: one row, edited by division staff."""

    parent_agency_name = models.CharField(max_length=200, default="ICT Management Division")
    country_name = models.CharField(max_length=100, default="Bhutan")
    region_label = models.CharField(max_length=40, default="Dzongkhag")
    region_label_plural = models.CharField(max_length=40, default="Dzongkhags")
    office_order_prefix = models.CharField(
        max_length=20,
        default="ICT",
        help_text="Office orders are numbered <prefix>/<year>/<number>, e.g. ICT/2026/017.",
    )

    class Meta:
        verbose_name = "site settings"
        verbose_name_plural = "site settings"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="site_settings_singleton")]

    def __str__(self) -> str:
        return f"Settings for {self.parent_agency_name}"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "SiteSettings":
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj
