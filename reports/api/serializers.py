from django.urls import reverse
from rest_framework import serializers

from reports.models import ReportFormat, ReportKind, ReportRun, RunStatus


class ReportParametersSerializer(serializers.Serializer):
    """Shape only; the checks that need the data (periods, codes, scope) are the service's."""

    start_year = serializers.IntegerField(required=False, help_text="Attrition: first year. Projection: plan start.")
    end_year = serializers.IntegerField(required=False, help_text="Attrition: last year (this year at most).")
    years = serializers.IntegerField(required=False, help_text="Projection: plan length in years (default 5).")
    agencies = serializers.ListField(child=serializers.CharField(), required=False, help_text="Agency codes.")
    include_sub_agencies = serializers.BooleanField(required=False, default=True)
    tracks = serializers.ListField(child=serializers.CharField(), required=False, help_text="Track codes.")
    grades = serializers.ListField(child=serializers.CharField(), required=False, help_text="Grade codes.")
    attrition_rates = serializers.DictField(
        child=serializers.FloatField(),
        required=False,
        help_text='Projection: per cent a year by track code, "*" for every track, e.g. {"*": 8.5}.',
    )


class ReportRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    format = serializers.ChoiceField(choices=ReportFormat.choices, default=ReportFormat.PDF)
    parameters = ReportParametersSerializer(required=False, default=dict)


class ReportRunSerializer(serializers.ModelSerializer):
    requested_by = serializers.CharField(
        source="requested_by.username",
        default=None,
        read_only=True,
        allow_null=True,
        help_text="The requester's username; null once their account is deleted.",
    )
    download_url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportRun
        fields = [
            "id", "kind", "format", "parameters", "status", "progress", "progress_note", "error", "attempts",
            "requested_by", "requested_at", "started_at", "finished_at", "download_url", "page_url",
        ]  # fmt: skip

    def get_download_url(self, run) -> str | None:
        if run.status != RunStatus.SUCCEEDED or not run.file:
            return None
        return self.context["request"].build_absolute_uri(reverse("reports-download", args=[run.pk]))

    def get_page_url(self, run) -> str:
        return self.context["request"].build_absolute_uri(reverse("reports:run", args=[run.pk]))
