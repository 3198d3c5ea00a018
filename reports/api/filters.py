import django_filters

from reports.models import ReportFormat, ReportKind, ReportRun, RunStatus


class ReportRunFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ReportKind.choices)
    status = django_filters.ChoiceFilter(choices=RunStatus.choices)
    format = django_filters.ChoiceFilter(choices=ReportFormat.choices)

    class Meta:
        model = ReportRun
        fields = ["kind", "status", "format"]
