"""API v1 `reports`: POST to request a run, GET for its status and download link. The same
service as the portal's reports page (reports/services.py)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api.permissions import RecordAccess
from core.api_renderers import CSVRenderer, PDFRenderer, XLSXRenderer
from reports import services
from reports.models import ReportRun
from reports.permissions import report_refusal
from reports.views import run_file_response

from .filters import ReportRunFilter
from .serializers import ReportRequestSerializer, ReportRunSerializer

# A download is in the run's format, whatever the request asks for; these let `Accept` name it.
FILE_RENDERERS = [PDFRenderer, XLSXRenderer, CSVRenderer]


class ReportAccess(RecordAccess):
    """Reads: the runs `visible_to` the account. Requests: whoever may run reports (division
    staff, HR officers, agency heads, API clients), others get 403 with why."""

    def write_refusal(self, user) -> str | None:
        return report_refusal(user)


@extend_schema_view(
    list=extend_schema(summary="Report runs the account may see, newest first"),
    retrieve=extend_schema(summary="One run: status, progress, error, and the download link once ready"),
)
@extend_schema(tags=["reports"])
class ReportRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    http_method_names = ["get", "post", "head", "options"]
    permission_classes = [ReportAccess]
    serializer_class = ReportRunSerializer
    filterset_class = ReportRunFilter

    def get_queryset(self):
        return (
            ReportRun.objects.visible_to(self.request.user)
            .select_related("requested_by")
            .order_by("-requested_at", "-id")
        )

    @extend_schema(
        summary="Request a report run (an identical request of the last ten minutes answers its run, 200)",
        request=ReportRequestSerializer,
        responses={201: ReportRunSerializer, 200: ReportRunSerializer},
    )
    def create(self, request, *args, **kwargs):
        incoming = ReportRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        run, created = services.report_run_request(
            user=request.user, kind=data["kind"], format=data["format"], data=dict(data["parameters"])
        )
        run = self.get_queryset().get(pk=run.pk)
        body = ReportRunSerializer(run, context=self.get_serializer_context()).data
        response = Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
        response["Location"] = request.build_absolute_uri(f"{request.path.rstrip('/')}/{run.pk}/")
        return response

    @extend_schema(
        summary="The run's file (PDF, Excel or CSV), once it is ready",
        responses={
            (200, renderer.media_type): OpenApiResponse(OpenApiTypes.BINARY, description="The run's file.")
            for renderer in FILE_RENDERERS
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[renderers.JSONRenderer, *FILE_RENDERERS])
    def download(self, request, pk=None):
        return run_file_response(self.get_object())
