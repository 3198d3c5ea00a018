from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from agencies.models import Agency

from .filters import AgencyFilter
from .serializers import AgencySerializer


@extend_schema_view(
    list=extend_schema(summary="Agencies the account may see", tags=["agencies"]),
    retrieve=extend_schema(summary="One agency", tags=["agencies"]),
)
class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    """The agencies of the hierarchy (ministries, departments, dzongkhags, ...), within the account's scope."""

    serializer_class = AgencySerializer
    filterset_class = AgencyFilter
    search_fields = ["name", "short_name", "code"]
    ordering_fields = {"name": "name", "code": "code", "kind": ("kind__sort_order", "kind__name")}
    ordering = ["name"]

    def get_queryset(self):
        return Agency.objects.visible_to(self.request.user).select_related(
            "kind", "parent", "region", "successor", "ict_unit__kind"
        )
