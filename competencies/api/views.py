from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from competencies.models import Track

from .serializers import TrackSerializer


@extend_schema_view(
    list=extend_schema(summary="Career tracks", tags=["reference data"]),
    retrieve=extend_schema(summary="One career track, by code", tags=["reference data"]),
)
class TrackViewSet(viewsets.ReadOnlyModelViewSet):
    """Career tracks: public reference data for any signed-in account."""

    queryset = Track.objects.all()
    serializer_class = TrackSerializer
    lookup_field = "code"
    search_fields = ["code", "name"]
    ordering_fields = {"name": ("sort_order", "name"), "code": "code"}
    ordering = ["name"]
