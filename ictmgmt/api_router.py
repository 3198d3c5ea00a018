"""The one router of API v1. Each app registers its viewsets here from its own `api/` package."""

from django.urls import path, re_path
from rest_framework.routers import DefaultRouter

from accounts.api.views import MeView
from agencies.api.views import AgencyViewSet
from competencies.api.views import (
    AssessmentViewSet,
    CertificationViewSet,
    CompetencyViewSet,
    ExpertPoolViewSet,
    TrackViewSet,
    TrainingProgrammeViewSet,
    TrainingRequestViewSet,
)
from core.api_errors import not_found
from meetings.api.views import ActionItemViewSet, EventViewSet
from placements.api.transfer_views import TransferRequestViewSet
from placements.api.views import PlacementViewSet
from professionals.api.views import GradeViewSet, PositionTitleViewSet, ProfessionalViewSet
from reports.api.views import ReportRunViewSet


class Router(DefaultRouter):
    include_format_suffixes = False  # one URL per resource: the format is JSON (or ?format=api)


router = Router()
router.register("agencies", AgencyViewSet, basename="agencies")
router.register("professionals", ProfessionalViewSet, basename="professionals")
router.register("placements", PlacementViewSet, basename="placements")
router.register("transfer-requests", TransferRequestViewSet, basename="transfer-requests")
router.register("grades", GradeViewSet, basename="grades")
router.register("position-titles", PositionTitleViewSet, basename="position-titles")
router.register("tracks", TrackViewSet, basename="tracks")
router.register("competencies", CompetencyViewSet, basename="competencies")
router.register("assessments", AssessmentViewSet, basename="assessments")
router.register("training-programmes", TrainingProgrammeViewSet, basename="training-programmes")
router.register("training-requests", TrainingRequestViewSet, basename="training-requests")
router.register("certifications", CertificationViewSet, basename="certifications")
router.register("expert-pools", ExpertPoolViewSet, basename="expert-pools")
router.register("events", EventViewSet, basename="events")
router.register("action-items", ActionItemViewSet, basename="action-items")
router.register("reports", ReportRunViewSet, basename="reports")

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    *router.urls,
    re_path(r"^.*$", not_found, name="not-found"),
]
