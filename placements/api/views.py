from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from placements.models import Placement
from placements.services import placement_start

from .filters import PlacementFilter
from .serializers import PlacementCreateSerializer, PlacementSerializer


@extend_schema_view(
    list=extend_schema(summary="Placements (postings) the account may see", tags=["placements"]),
    retrieve=extend_schema(summary="One placement", tags=["placements"]),
    create=extend_schema(
        summary="Post a professional to an agency",
        description="Ends the professional's current placement on the start date "
        "(placements.services.placement_start).",
        tags=["placements"],
        request=PlacementCreateSerializer,
        responses={201: PlacementSerializer},
    ),
)
class PlacementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Postings of professionals to agencies, past and current, within the account's scope."""

    serializer_class = PlacementSerializer
    filterset_class = PlacementFilter
    ordering_fields = {"start_date": "start_date", "end_date": "end_date"}
    ordering = ["-start_date"]

    def get_queryset(self):
        return Placement.objects.visible_to(self.request.user).select_related(
            "professional", "agency", "position_title"
        )

    def create(self, request, *args, **kwargs):
        serializer = PlacementCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        placement = placement_start(professional_id=fields.pop("professional").pk, actor=request.user, **fields)
        placement = self.get_queryset().get(pk=placement.pk)
        return Response(self.get_serializer(placement).data, status=status.HTTP_201_CREATED)
