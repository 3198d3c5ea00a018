import django_filters
from django.utils import timezone
from django_filters.fields import ModelChoiceField

from agencies.api.filters import visible_agencies
from agencies.models import AgencyKind, Region
from agencies.querysets import subtree_ids
from competencies.models import Track
from core.api_filters import BooleanFilter, CodeFilter, WholeNumberFilter
from core.dates import years_from
from professionals.models import (
    IN_SERVICE_STATUSES,
    EmploymentType,
    Grade,
    GradeCategory,
    PositionTitle,
    Professional,
    Status,
)
from professionals.selectors import filter_options


class OptionCodeField(ModelChoiceField):
    """A code answered by its id: from the portal list's dropdown options (cached per scope, so no
    query) when the code is among them, else from the filter's queryset (a dissolved agency, which
    the dropdown leaves out, or a refusal naming the unknown code)."""

    option_pk = None  # code -> id or None, set per request by OptionCodeFilter

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if self.option_pk is not None:
            pk = self.option_pk(str(value))
            if pk is not None:
                return pk
        return super().to_python(value).pk


class OptionCodeFilter(CodeFilter):
    """A CodeFilter whose value is the id of the object with that code (see OptionCodeField)."""

    field_class = OptionCodeField

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        field = super().field
        request = self.get_request()
        if request is not None and field.option_pk is None:
            options = self.parent.options()
            field.option_pk = lambda code: options.pk(self.source, code)
        return field


class ProfessionalFilter(django_filters.FilterSet):
    """Filters on the person and on their current placement. The database allows one open placement
    per person, so the joins on it add no duplicate rows."""

    agency = OptionCodeFilter(
        source="agency",
        queryset=visible_agencies,
        noun="agency",
        method="filter_agency",
        help_text="Currently placed in this agency (code) or any agency below it.",
    )
    agency_kind = OptionCodeFilter(
        source="agency_kind",
        queryset=AgencyKind.objects.all(),
        noun="kind of agency",
        method="filter_agency_kind",
        help_text="Currently placed in an agency of this kind (code, e.g. ministry, dzongkhag).",
    )
    region = OptionCodeFilter(
        source="region",
        queryset=Region.objects.all(),
        noun="region (dzongkhag)",
        method="filter_region",
        help_text="Currently placed in an agency of this region (Bhutan: dzongkhag), by code, e.g. paro.",
    )
    grade = OptionCodeFilter(source="grade", queryset=Grade.objects.all(), noun="grade")
    category = OptionCodeFilter(
        source="category", queryset=GradeCategory.objects.all(), noun="grade category", field_name="grade__category"
    )
    title = OptionCodeFilter(
        source="title", queryset=PositionTitle.objects.all(), noun="position title", field_name="position_title"
    )
    track = OptionCodeFilter(source="track", queryset=Track.objects.all(), noun="track")
    status = django_filters.ChoiceFilter(choices=Status.choices)
    in_service = BooleanFilter(
        method="filter_in_service", help_text="true: still in service (active, on leave or seconded); false: left."
    )
    employment_type = django_filters.ChoiceFilter(choices=EmploymentType.choices)
    employee_id = django_filters.CharFilter(help_text="Exactly this employee id.")
    years_to_superannuation_max = WholeNumberFilter(
        method="filter_years_max",
        min_value=0,
        max_value=100,
        help_text="At most this many whole years to the superannuation date (0: within the coming year; "
        "includes dates already past).",
    )
    years_to_superannuation_min = WholeNumberFilter(
        method="filter_years_min",
        min_value=0,
        max_value=100,
        help_text="At least this many whole years to the superannuation date.",
    )

    class Meta:
        model = Professional
        fields = []

    def options(self):
        """The portal list's dropdown options for this request's account, read once."""
        if not hasattr(self, "_options"):
            self._options = filter_options(user=self.request.user)
        return self._options

    def filter_agency(self, queryset, name, agency_id):
        return queryset.filter(current_agency_id__in=subtree_ids([agency_id]))

    def filter_agency_kind(self, queryset, name, kind_id):
        return queryset.filter(current_agency__kind_id=kind_id)

    def filter_region(self, queryset, name, region_id):
        return queryset.filter(current_agency__region_id=region_id)

    def filter_in_service(self, queryset, name, value):
        if value:
            return queryset.filter(status__in=IN_SERVICE_STATUSES)
        return queryset.exclude(status__in=IN_SERVICE_STATUSES)

    def filter_years_max(self, queryset, name, years):
        # Fewer than years + 1 whole years left <=> the date comes before today + (years + 1) years.
        return queryset.filter(superannuation_date__lt=years_from(timezone.localdate(), years + 1))

    def filter_years_min(self, queryset, name, years):
        return queryset.filter(superannuation_date__gte=years_from(timezone.localdate(), years))


class GradeFilter(django_filters.FilterSet):
    category = CodeFilter(queryset=GradeCategory.objects.all(), noun="grade category")

    class Meta:
        model = Grade
        fields = []
