from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.access import professional_create_refusal, scope_for
from core.paging import Represented
from professionals.models import Grade, GradeChange, PositionTitle, Professional, StatusEvent
from professionals.services import professional_create, professional_update, status_event_record

from .filters import GradeFilter, ProfessionalFilter
from .serializers import (
    GradeSerializer,
    PositionTitleSerializer,
    ProfessionalCreateSerializer,
    ProfessionalSerializer,
    ProfessionalUpdateSerializer,
    StatusEventCreateSerializer,
    StatusEventSerializer,
    professional_representations,
)


@extend_schema_view(
    list=extend_schema(summary="Professionals the account may see", tags=["professionals"]),
    retrieve=extend_schema(summary="One professional, by id", tags=["professionals"]),
    create=extend_schema(
        summary="Add a professional",
        tags=["professionals"],
        request=ProfessionalCreateSerializer,
        responses={201: ProfessionalSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a professional's details",
        tags=["professionals"],
        request=ProfessionalUpdateSerializer,
        responses={200: ProfessionalSerializer},
    ),
)
class ProfessionalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """ICT professionals within the account's scope. Writes go through the same services as the portal
    and the admin (professionals.services), with the account named in the audit history."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    serializer_class = ProfessionalSerializer
    filterset_class = ProfessionalFilter
    ordering_fields = {
        "name": ("first_name", "last_name", "employee_id"),
        "employee_id": "employee_id",
        "grade": "grade__rank",
        "first_appointment_date": "first_appointment_date",
        "superannuation_date": "superannuation_date",
        "updated_at": "updated_at",
    }
    ordering = ["name"]

    def get_queryset(self):
        # Only to find the rows: what a response shows is read by professional_representations.
        return Professional.objects.visible_to(self.request.user)

    def get_search_fields(self, request):
        fields = ["first_name", "middle_name", "last_name", "^employee_id"]
        if scope_for(request.user).sees_national_ids:
            fields.append("=national_id")
        return fields

    search_fields = ["first_name", "middle_name", "last_name", "employee_id"]  # for the schema and the backends

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["sees_national_ids"] = scope_for(self.request.user).sees_national_ids
        return context

    def _representations(self, professionals) -> list[dict]:
        user = self.request.user
        sees_national_ids = scope_for(user).sees_national_ids
        return professional_representations(professionals, user=user, sees_national_ids=sees_national_ids)

    def _respond(self, professional_id: int, code=status.HTTP_200_OK) -> Response:
        return Response(self._representations(Professional.objects.filter(pk=professional_id))[0], status=code)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(Represented(self.filter_queryset(self.get_queryset()), self._representations))
        return self.get_paginated_response(page)

    def retrieve(self, request, *args, **kwargs):
        return self._respond(self.get_object().pk)

    def create(self, request, *args, **kwargs):
        refusal = professional_create_refusal(request.user)
        if refusal is not None:
            raise PermissionDenied(refusal)
        serializer = ProfessionalCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        reason = fields.pop("reason", "") or "Created through the API"
        professional = professional_create(actor=request.user, reason=reason, **fields)
        return self._respond(professional.pk, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        professional = self.get_object()
        serializer = ProfessionalUpdateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        reason = changes.pop("reason", "") or "Edited through the API"
        professional_update(
            professional_id=professional.pk,
            actor=request.user,
            reason=reason,
            grade_effective_date=changes.pop("grade_effective_date", None),
            grade_change_reason=changes.pop("grade_change_reason", GradeChange.Reason.PROMOTION),
            **changes,
        )
        return self._respond(professional.pk)

    @extend_schema(
        summary="One professional, by employee id",
        tags=["professionals"],
        responses=ProfessionalSerializer,
        filters=False,
    )
    @action(detail=False, methods=["get"], url_path=r"by-employee-id/(?P<employee_id>[^/]+)")
    def by_employee_id(self, request, employee_id: str):
        professional = get_object_or_404(self.get_queryset(), employee_id=employee_id)
        return self._respond(professional.pk)

    @extend_schema(
        methods=["GET"],
        summary="A professional's status history (leave, returns, exits)",
        tags=["professionals"],
        responses=StatusEventSerializer(many=True),
        filters=False,
    )
    @extend_schema(
        methods=["POST"],
        summary="Record leave, a return or an exit",
        description="Moves the professional's status; an exit also ends their current placement.",
        tags=["professionals"],
        request=StatusEventCreateSerializer,
        responses={201: OpenApiResponse(StatusEventSerializer)},
    )
    @action(detail=True, methods=["get", "post"], url_path="status-events", pagination_class=None)
    def status_events(self, request, pk=None):
        professional = self.get_object()
        if request.method == "GET":
            events = StatusEvent.objects.visible_to(request.user).filter(professional=professional)
            events = events.order_by("effective_date", "id")
            return Response(StatusEventSerializer(events, many=True).data)
        serializer = StatusEventCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = status_event_record(professional_id=professional.pk, actor=request.user, **serializer.validated_data)
        return Response(StatusEventSerializer(event).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Grades", tags=["reference data"]),
    retrieve=extend_schema(summary="One grade, by code", tags=["reference data"]),
)
class GradeViewSet(viewsets.ReadOnlyModelViewSet):
    """Grades and their categories: public reference data for any signed-in account."""

    queryset = Grade.objects.select_related("category")
    serializer_class = GradeSerializer
    filterset_class = GradeFilter
    lookup_field = "code"
    search_fields = ["code", "name"]
    ordering_fields = {"rank": "rank", "code": "code"}
    ordering = ["-rank"]


@extend_schema_view(
    list=extend_schema(summary="Position titles", tags=["reference data"]),
    retrieve=extend_schema(summary="One position title, by code", tags=["reference data"]),
)
class PositionTitleViewSet(viewsets.ReadOnlyModelViewSet):
    """Position titles: public reference data for any signed-in account."""

    queryset = PositionTitle.objects.select_related("min_grade", "max_grade")
    serializer_class = PositionTitleSerializer
    lookup_field = "code"
    search_fields = ["code", "name"]
    ordering_fields = {"name": "name", "code": "code"}
    ordering = ["name"]
