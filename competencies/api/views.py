"""API v1 resources of competencies, training and expert pools. Every write and move calls the same
service as the portal (competencies.services); every list starts from `visible_to`."""

import datetime as dt

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from accounts.api.permissions import RecordAccess
from agencies.models import Agency
from competencies import services
from competencies.models import (
    Assessment,
    Certification,
    Competency,
    Deployment,
    ExpertPool,
    ExpertPoolMembership,
    Track,
    TrainingProgramme,
    TrainingRequest,
)
from competencies.permissions import READ_ONLY, acting_as
from competencies.selectors import expert_search
from professionals.models import Professional

from .filters import (
    AssessmentFilter,
    CertificationFilter,
    CompetencyFilter,
    TrainingProgrammeFilter,
    TrainingRequestFilter,
)
from .serializers import (
    AssessmentCreateSerializer,
    AssessmentSerializer,
    CertificationCreateSerializer,
    CertificationSerializer,
    CompetencySerializer,
    CompleteSerializer,
    DecideSerializer,
    DeploymentCreateSerializer,
    ExpertPoolSerializer,
    ExpertSerializer,
    NominateSerializer,
    NoteSerializer,
    TrackSerializer,
    TrainingProgrammeCreateSerializer,
    TrainingProgrammeSerializer,
    TrainingRequestCreateSerializer,
    TrainingRequestSerializer,
)


class CompetencyAccess(RecordAccess):
    """Reads: any signed-in account. Writes: accounts that act here at all (professionals for
    themselves included); which write on what is then decided by the services, with a 403 saying why."""

    def write_refusal(self, user):
        return None if acting_as(user) is not None else READ_ONLY


def _input(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


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


@extend_schema_view(
    list=extend_schema(summary="Competencies of every framework", tags=["competencies"]),
    retrieve=extend_schema(summary="One competency", tags=["competencies"]),
)
class CompetencyViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Competency.objects.select_related("framework")
    serializer_class = CompetencySerializer
    filterset_class = CompetencyFilter
    search_fields = ["code", "name"]
    ordering_fields = {"code": "code", "category": ("category", "code")}
    ordering = ["category"]


@extend_schema_view(
    list=extend_schema(summary="Assessments the account may see", tags=["competencies"]),
    retrieve=extend_schema(summary="One assessment", tags=["competencies"]),
    create=extend_schema(
        summary="Record an assessment (self, supervisor or division, by the account's role)",
        tags=["competencies"],
        request=AssessmentCreateSerializer,
        responses={201: AssessmentSerializer},
    ),
)
class AssessmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [CompetencyAccess]
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter
    ordering_fields = {"assessed_on": ("assessed_on", "id")}
    ordering = ["-assessed_on"]

    def get_queryset(self):
        return Assessment.objects.visible_to(self.request.user).select_related("professional", "competency")

    def create(self, request):
        data = _input(AssessmentCreateSerializer, request)
        made = services.assessment_record(
            actor=request.user,
            professional_id=data["professional"],
            competency_id=data["competency"],
            kind=data["kind"],
            level=data["level"],
            assessed_on=data.get("assessed_on"),
            evidence=data["evidence"],
        )
        return Response(AssessmentSerializer(self.get_queryset().get(pk=made.pk)).data, status.HTTP_201_CREATED)

    @extend_schema(summary="Confirm a self-assessment", tags=["competencies"], request=None)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        assessment = self.get_object()
        services.assessment_confirm(actor=request.user, assessment_id=assessment.pk)
        return Response(AssessmentSerializer(self.get_queryset().get(pk=assessment.pk)).data)


@extend_schema_view(
    list=extend_schema(summary="Training programmes", tags=["training"]),
    retrieve=extend_schema(summary="One training programme", tags=["training"]),
    create=extend_schema(
        summary="Add a training programme (division)",
        tags=["training"],
        request=TrainingProgrammeCreateSerializer,
        responses={201: TrainingProgrammeSerializer},
    ),
)
class TrainingProgrammeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [CompetencyAccess]
    serializer_class = TrainingProgrammeSerializer
    filterset_class = TrainingProgrammeFilter
    search_fields = ["title", "provider"]
    ordering_fields = {"start_date": ("start_date", "id")}
    ordering = ["-start_date"]

    def get_queryset(self):
        return TrainingProgramme.objects.prefetch_related("developed__competency")

    def create(self, request):
        data = _input(TrainingProgrammeCreateSerializer, request)
        made = services.training_programme_create(
            actor=request.user,
            title=data["title"],
            provider=data["provider"],
            mode=data["mode"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            seats=data["seats"],
            description=data["description"],
            develops=[(d["competency"], d["level"]) for d in data["develops"]],
        )
        return Response(TrainingProgrammeSerializer(self.get_queryset().get(pk=made.pk)).data, status.HTTP_201_CREATED)


def _request_action(summary: str, body=None):
    return extend_schema(summary=summary, tags=["training"], request=body, responses={200: TrainingRequestSerializer})


@extend_schema_view(
    list=extend_schema(summary="Training requests the account may see", tags=["training"]),
    retrieve=extend_schema(summary="One training request", tags=["training"]),
    create=extend_schema(
        summary="Ask for training (agency heads for their people, a professional for themselves)",
        tags=["training"],
        request=TrainingRequestCreateSerializer,
        responses={201: TrainingRequestSerializer},
    ),
)
class TrainingRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [CompetencyAccess]
    serializer_class = TrainingRequestSerializer
    filterset_class = TrainingRequestFilter
    ordering_fields = {"created_at": ("created_at", "id")}
    ordering = ["-created_at"]

    def get_queryset(self):
        return (
            TrainingRequest.objects.visible_to(self.request.user)
            .select_related("programme", "agency")
            .prefetch_related(Prefetch("professionals", queryset=Professional.objects.order_by("id")))
        )

    def _respond(self, pk, code=status.HTTP_200_OK):
        return Response(TrainingRequestSerializer(self.get_queryset().get(pk=pk)).data, code)

    def create(self, request):
        data = _input(TrainingRequestCreateSerializer, request)
        made = services.training_request_create(
            actor=request.user,
            programme_id=data["programme"],
            professional_ids=data["professionals"],
            reason=data["reason"],
        )
        return self._respond(made.pk, status.HTTP_201_CREATED)

    @_request_action("Approve (division): submitted -> approved", NoteSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        pk = self.get_object().pk
        services.training_request_approve(
            actor=request.user, request_id=pk, note=_input(NoteSerializer, request)["note"]
        )
        return self._respond(pk)

    @_request_action("Reject (division) with a reason in note: submitted -> rejected", NoteSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        pk = self.get_object().pk
        services.training_request_reject(
            actor=request.user, request_id=pk, reason=_input(NoteSerializer, request)["note"]
        )
        return self._respond(pk)

    @_request_action("Withdraw (whoever asked): submitted -> withdrawn")
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        pk = self.get_object().pk
        services.training_request_withdraw(actor=request.user, request_id=pk)
        return self._respond(pk)

    @_request_action("Record the results (division): approved -> completed", CompleteSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        pk = self.get_object().pk
        results = _input(CompleteSerializer, request)["results"]
        services.training_request_complete(actor=request.user, request_id=pk, results=results)
        return self._respond(pk)


@extend_schema_view(
    list=extend_schema(summary="Certifications the account may see", tags=["training"]),
    retrieve=extend_schema(summary="One certification", tags=["training"]),
    create=extend_schema(
        summary="Record a certification",
        tags=["training"],
        request=CertificationCreateSerializer,
        responses={201: CertificationSerializer},
    ),
)
class CertificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [CompetencyAccess]
    serializer_class = CertificationSerializer
    filterset_class = CertificationFilter
    ordering_fields = {"expires_on": ("expires_on", "id")}
    ordering = ["expires_on"]

    def get_queryset(self):
        return Certification.objects.visible_to(self.request.user).select_related("professional")

    def create(self, request):
        data = _input(CertificationCreateSerializer, request)
        made = services.certification_add(actor=request.user, professional_id=data.pop("professional"), **data)
        return Response(CertificationSerializer(self.get_queryset().get(pk=made.pk)).data, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Expert pools, with the members and deployments the account may see", tags=["pools"]),
    retrieve=extend_schema(summary="One expert pool", tags=["pools"]),
)
class ExpertPoolViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [CompetencyAccess]
    serializer_class = ExpertPoolSerializer
    search_fields = ["name"]
    ordering_fields = {"name": "name"}
    ordering = ["name"]

    def get_queryset(self):
        user = self.request.user
        memberships = ExpertPoolMembership.objects.visible_to(user).select_related("professional")
        deployments = (
            Deployment.objects.visible_to(user)
            .select_related("agency")
            .prefetch_related(Prefetch("experts", queryset=Professional.objects.order_by("id")))
        )
        return ExpertPool.objects.prefetch_related(
            "competencies",
            Prefetch("memberships", queryset=memberships.order_by("role", "id"), to_attr="visible_memberships"),
            Prefetch("deployments", queryset=deployments.order_by("-start_date"), to_attr="visible_deployments"),
        )

    def _respond(self, pk, code=status.HTTP_200_OK):
        return Response(ExpertPoolSerializer(self.get_queryset().get(pk=pk)).data, code)

    @extend_schema(
        summary="Nominate a professional (answers the pool)",
        tags=["pools"],
        request=NominateSerializer,
        responses={201: ExpertPoolSerializer},
    )
    @action(detail=True, methods=["post"])
    def nominate(self, request, pk=None):
        pool = self.get_object()
        data = _input(NominateSerializer, request)
        services.pool_nominate(
            actor=request.user,
            pool_id=pool.pk,
            professional_id=data["professional"],
            role=data["role"],
            note=data["note"],
        )
        return self._respond(pool.pk, status.HTTP_201_CREATED)

    @extend_schema(summary="Accept or decline a nomination (division)", tags=["pools"], request=DecideSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        pool = self.get_object()
        data = _input(DecideSerializer, request)
        if not ExpertPoolMembership.objects.visible_to(request.user).filter(pk=data["membership"], pool=pool).exists():
            raise NotFound(f"Pool {pool.name} has no nomination {data['membership']} that you may see.")
        services.membership_decide(
            actor=request.user, membership_id=data["membership"], accept=data["accept"], note=data["note"]
        )
        return self._respond(pool.pk)

    @extend_schema(
        summary="Deploy experts of the pool to an agency (division; answers the pool)",
        tags=["pools"],
        request=DeploymentCreateSerializer,
        responses={201: ExpertPoolSerializer},
    )
    @action(detail=True, methods=["post"])
    def deployments(self, request, pk=None):
        pool = self.get_object()
        data = _input(DeploymentCreateSerializer, request)
        agency = Agency.objects.filter(code=data["agency"]).first()
        if agency is None:
            raise ValidationError({"agency": [f"There is no agency with the code {data['agency']}."]})
        services.deployment_create(
            actor=request.user,
            pool_id=pool.pk,
            agency_id=agency.pk,
            request=data["request"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            expert_ids=data["experts"],
        )
        return self._respond(pool.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Find experts by competency level, certification, agency, availability and pool",
        tags=["pools"],
        parameters=[
            OpenApiParameter("competency", str, description="Competency code"),
            OpenApiParameter("min_level", int),
            OpenApiParameter("certification", str, description="Certification name contains, valid today"),
            OpenApiParameter("agency", str, description="Agency code (with the agencies below it)"),
            OpenApiParameter("available_from", str, description="YYYY-MM-DD: not deployed from this day"),
            OpenApiParameter("available_to", str, description="YYYY-MM-DD: ... until this day"),
            OpenApiParameter("pool", int, description="A current member of this pool (id)"),
        ],
        responses={200: ExpertSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def search(self, request):
        params = request.query_params
        known = {"competency", "min_level", "certification", "agency", "available_from", "available_to", "pool"}
        unknown = sorted(set(params) - known - {"format"})
        if unknown:
            raise ValidationError(
                {unknown[0]: [f"Unknown query parameter. This endpoint reads: {', '.join(sorted(known))}."]}
            )
        if any("\x00" in value for value in params.values()):
            raise ValidationError({"non_field_errors": ["A value contains a NUL character, which no field can hold."]})
        criteria = _search_criteria(params)
        found = expert_search(user=request.user, **criteria)
        rows = [
            {
                "id": p.pk,
                "employee_id": p.employee_id,
                "name": p.full_name,
                "agency": p.current_agency.code if p.current_agency else None,
                "level": level,
            }
            for p, level in found
        ]
        return Response(ExpertSerializer(rows, many=True).data)


def _search_criteria(params) -> dict:
    errors, criteria = {}, {}
    if params.get("competency"):
        competency = Competency.objects.filter(code=params["competency"]).first()
        if competency is None:
            errors["competency"] = [f"There is no competency with the code {params['competency']}."]
        else:
            criteria["competency_id"] = competency.pk
    for name in ("min_level", "pool"):
        if params.get(name):
            if not params[name].isdigit() or not 0 < int(params[name]) < 2**63:
                errors[name] = ["A whole number from 1."]
            else:
                criteria["pool_id" if name == "pool" else name] = int(params[name])
    for name in ("available_from", "available_to"):
        if params.get(name):
            try:
                criteria[name] = dt.date.fromisoformat(params[name])
            except ValueError:
                errors[name] = ["A date as YYYY-MM-DD."]
    if params.get("agency"):
        agency = Agency.objects.filter(code=params["agency"]).first()
        if agency is None:
            errors["agency"] = [f"There is no agency with the code {params['agency']}."]
        else:
            criteria["agency_id"] = agency.pk
    if errors:
        raise ValidationError(errors)
    criteria["certification"] = params.get("certification", "")
    return criteria
