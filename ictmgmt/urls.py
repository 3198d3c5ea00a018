from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core.views import healthz
from reports.dashboard import home

admin.site.site_header = "ICT workforce management"
admin.site.site_title = "ICT workforce administration"
admin.site.index_title = "Records and reference data"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("agencies/", include("agencies.urls")),
    path("professionals/", include("professionals.urls")),
    path("transfers/", include("placements.urls")),
    path("", include("meetings.urls")),  # /events/ and /action-items/
    path("reports/", include("reports.urls")),
    path("imports/", include("imports.urls")),
    path("", include("competencies.urls")),  # /competencies/, /training/, /expert-pools/
    path("admin/", admin.site.urls),
    path("api/v1/", include("ictmgmt.api_router")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
# Stored files (office orders, reports) are served only through views that check who may see
# them, never from MEDIA_URL, not even in DEBUG.
