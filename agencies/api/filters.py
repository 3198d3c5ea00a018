import django_filters

from agencies.models import Agency, AgencyKind, Region
from core.api_filters import BooleanFilter, CodeFilter


def visible_agencies(request):
    if request is None:
        return Agency.objects.none()
    return Agency.objects.visible_to(request.user)


class AgencyFilter(django_filters.FilterSet):
    parent = CodeFilter(queryset=visible_agencies, noun="agency", help_text="Direct children of this agency (code).")
    subtree_of = CodeFilter(
        queryset=visible_agencies,
        noun="agency",
        method="filter_subtree_of",
        help_text="This agency (code) and every agency below it, at any depth.",
    )
    kind = CodeFilter(queryset=AgencyKind.objects.all(), noun="kind of agency")
    region = CodeFilter(queryset=Region.objects.all(), noun="region (dzongkhag)")
    code = django_filters.CharFilter(help_text="Exactly this code.")
    dissolved = BooleanFilter(
        field_name="dissolved_on", lookup_expr="isnull", exclude=True, help_text="true: dissolved ones only."
    )
    critical_information_infrastructure = BooleanFilter()

    class Meta:
        model = Agency
        fields = []

    def filter_subtree_of(self, queryset, name, agency):
        return queryset.subtree(agency.id)
