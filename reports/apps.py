from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save

from core.cache import figures_changed

# The models whose rows the workforce figures count or name (see core/cache.py).
FIGURES_SOURCES = (
    "professionals.Professional",
    "professionals.StatusEvent",
    "professionals.Grade",
    "professionals.GradeCategory",
    "professionals.PositionTitle",
    "placements.Placement",
    "placements.TransferRequest",  # approved moves count in the vacancies
    "agencies.Agency",
    "agencies.AgencyKind",
    "agencies.Region",
    "agencies.SanctionedPost",
    "competencies.Track",
)


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self):
        from django.apps import apps

        for label in FIGURES_SOURCES:
            model = apps.get_model(label)
            post_save.connect(figures_changed, sender=model, dispatch_uid=f"figures-{label}-save")
            post_delete.connect(figures_changed, sender=model, dispatch_uid=f"figures-{label}-delete")
