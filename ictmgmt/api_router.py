"""The one router of API v1. Each app registers its viewsets here from its own `api/` package."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()

urlpatterns = router.urls
