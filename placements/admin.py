from django.contrib import admin

from accounts.admin import RecordHistoryAdmin

from .models import Placement


class CurrentFilter(admin.SimpleListFilter):
    title = "current"
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", "Current"), ("no", "Ended")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(end_date__isnull=True)
        if self.value() == "no":
            return queryset.filter(end_date__isnull=False)
        return queryset


class AgencyKindFilter(admin.RelatedFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "agency kind"


@admin.register(Placement)
class PlacementAdmin(RecordHistoryAdmin):
    """For corrections by division staff. The form runs the model's checks (end after start, no
    overlap with the person's other placements); postings and transfers in the ordinary course go
    through the placement services and the transfer workflow."""

    list_display = (
        "professional",
        "agency",
        "position_title",
        "start_date",
        "end_date",
        "kind",
        "office_order_number",
    )
    list_filter = ("kind", CurrentFilter, ("agency__kind", AgencyKindFilter))
    list_select_related = ("professional", "agency", "position_title")
    search_fields = (
        "professional__employee_id",
        "professional__first_name",
        "professional__last_name",
        "agency__code",
        "agency__name",
        "office_order_number",
    )
    autocomplete_fields = ("professional", "agency", "position_title")
    date_hierarchy = "start_date"
    ordering = ("-start_date", "id")

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)
