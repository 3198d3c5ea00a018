from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from accounts.access import scope_for
from accounts.api.permissions import RecordAccess
from accounts.models import Role
from core.api_renderers import PDFRenderer
from core.downloads import private_file_response
from placements.models import TransferRequest
from placements.office_orders import office_order_file
from placements.transfer_services import (
    transfer_request_approve,
    transfer_request_cancel,
    transfer_request_concur,
    transfer_request_create,
    transfer_request_effect,
    transfer_request_reject,
    transfer_request_submit,
    transfer_request_withdraw,
)

from .transfer_filters import TransferRequestFilter
from .transfer_serializers import (
    ApproveSerializer,
    ConcurSerializer,
    EmptySerializer,
    ReasonSerializer,
    SubmitSerializer,
    TransferRequestCreateSerializer,
    TransferRequestDetailSerializer,
    TransferRequestSerializer,
)


class TransferRequestAccess(RecordAccess):
    """Reads: any signed-in account (rows come from `visible_to`). Writes: accounts that may act on
    requests at all, agency heads and professionals included; which move on which request is then
    decided by the services, with a 403 that says why (placements.permissions)."""

    def write_refusal(self, user) -> str | None:
        scope = scope_for(user)
        if scope.nothing:
            return "Your account has no access to requests. Ask the ICT Management Division to set its role."
        if not scope.may_write and user.role != Role.PROFESSIONAL:
            return "This account is read-only: it may read requests but not make or move them."
        return None


def _action_schema(summary: str, request_serializer, description: str = ""):
    return extend_schema(
        summary=summary,
        description=description,
        tags=["transfer requests"],
        request=request_serializer,
        responses={200: TransferRequestDetailSerializer},
    )


@extend_schema_view(
    list=extend_schema(summary="Transfer requests the account may see", tags=["transfer requests"]),
    retrieve=extend_schema(
        summary="One transfer request, with the actions this account may take",
        tags=["transfer requests"],
        responses=TransferRequestDetailSerializer,
    ),
    create=extend_schema(
        summary="Ask for a placement, transfer or secondment",
        description="Checks the basics at once (nothing is written if they fail); with submit=true the rules "
        "are checked and the request is submitted.",
        tags=["transfer requests"],
        request=TransferRequestCreateSerializer,
        responses={201: TransferRequestDetailSerializer},
    ),
)
class TransferRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Placement, transfer and secondment requests and their moves. Every action calls the same
    service as the portal and the admin (placements.transfer_services)."""

    permission_classes = [TransferRequestAccess]
    serializer_class = TransferRequestSerializer
    filterset_class = TransferRequestFilter
    ordering_fields = {"created_at": "created_at", "proposed_effective_date": "proposed_effective_date"}
    ordering = ["-created_at"]

    def get_queryset(self):
        return (
            TransferRequest.objects.visible_to(self.request.user)
            .select_related(
                "professional", "releasing_agency", "receiving_agency", "position_title", "requested_by", "office_order"
            )
            .prefetch_related("overrides__overridden_by")
        )

    def get_serializer_class(self):
        return TransferRequestDetailSerializer if self.action != "list" else TransferRequestSerializer

    def _respond(self, request_id: int, code=status.HTTP_200_OK) -> Response:
        transfer = self.get_queryset().get(pk=request_id)
        return Response(TransferRequestDetailSerializer(transfer, context=self.get_serializer_context()).data, code)

    def _act(self, serializer_class, service, **extra) -> Response:
        transfer = self.get_object()  # 404 for what the account may not see
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        data = {key: value for key, value in serializer.validated_data.items() if value not in ({}, None)}
        service(request_id=transfer.pk, actor=self.request.user, **data, **extra)
        return self._respond(transfer.pk)

    def create(self, request, *args, **kwargs):
        serializer = TransferRequestCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        transfer = transfer_request_create(actor=request.user, professional_id=fields.pop("professional").pk, **fields)
        return self._respond(transfer.pk, status.HTTP_201_CREATED)

    @_action_schema(
        "Submit a draft", SubmitSerializer, "The rules are checked; a failed rule blocks unless overridden."
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._act(SubmitSerializer, transfer_request_submit)

    @_action_schema("Concur (the other agency's ICT head agrees)", ConcurSerializer)
    @action(detail=True, methods=["post"])
    def concur(self, request, pk=None):
        return self._act(ConcurSerializer, transfer_request_concur)

    @_action_schema(
        "Approve (division staff)",
        ApproveSerializer,
        "Re-checks the rules and numbers an office order. An effective date of today or earlier effects the move "
        "at once; a later one is effected by the daily task on that day.",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._act(ApproveSerializer, transfer_request_approve)

    @_action_schema("Reject, with a reason", ReasonSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._act(ReasonSerializer, transfer_request_reject)

    @_action_schema("Withdraw", ReasonSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._act(ReasonSerializer, transfer_request_withdraw)

    @_action_schema("Cancel an approved request (division staff), with a reason", ReasonSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._act(ReasonSerializer, transfer_request_cancel)

    @_action_schema("Effect an approved request whose date has come (division staff)", EmptySerializer)
    @action(detail=True, methods=["post"])
    def effect(self, request, pk=None):
        return self._act(EmptySerializer, transfer_request_effect)

    @extend_schema(
        summary="The office order's PDF",
        tags=["transfer requests"],
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF.")},
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="office-order",
        renderer_classes=[renderers.JSONRenderer, PDFRenderer],
    )
    def office_order(self, request, pk=None):
        transfer = self.get_object()
        if not transfer.office_order_id:
            raise NotFound(f"Request {transfer.reference} has no office order yet: one is issued on approval.")
        return office_order_response(transfer.office_order)


def office_order_response(order) -> FileResponse:
    """The order's PDF as a private download (rendered now if it has no file yet)."""
    order = office_order_file(order)
    return private_file_response(
        order.file, filename=f"office-order-{order.number.replace('/', '-')}.pdf", content_type="application/pdf"
    )
