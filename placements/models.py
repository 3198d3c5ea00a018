from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from .querysets import PlacementQuerySet


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
