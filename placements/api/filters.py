import django_filters

from agencies.api.filters import visible_agencies
from agencies.querysets import subtree_ids
from core.api_filters import BooleanFilter, CodeFilter, WholeNumberFilter
from placements.models import Placement, PlacementKind


class PlacementFilter(django_filters.FilterSet):
    professional = WholeNumberFilter(
        field_name="professional_id",
        min_value=1,
        max_value=2**63 - 1,
        help_text="The placements (history) of the professional with this id.",
    )
    employee_id = django_filters.CharFilter(
        field_name="professional__employee_id", help_text="The placements of the professional with this employee id."
    )
    agency = CodeFilter(
        queryset=visible_agencies,
        noun="agency",
        method="filter_agency",
        help_text="Placements in this agency (code) or any agency below it.",
    )
    kind = django_filters.ChoiceFilter(choices=PlacementKind.choices)
    current = BooleanFilter(
        field_name="end_date", lookup_expr="isnull", help_text="true: open placements only; false: ended ones only."
    )

    class Meta:
        model = Placement
        fields = []

    def filter_agency(self, queryset, name, agency):
        return queryset.filter(agency_id__in=subtree_ids([agency.id]))
