from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import PlannedGrowth, PlannedRecruitment, ReportRun, WorkforceSnapshot


@admin.register(PlannedRecruitment)
class PlannedRecruitmentAdmin(SimpleHistoryAdmin):
    """The division's recruitment plan: added to the supply of the capacity projection."""

    list_display = ("year", "agency", "track", "number", "note")
    list_filter = ("year", "track")
    search_fields = ("agency__name", "agency__code")
    autocomplete_fields = ("agency",)
    list_select_related = ("agency", "track")


@admin.register(PlannedGrowth)
class PlannedGrowthAdmin(SimpleHistoryAdmin):
    """Posts each agency is planned to gain or lose: added to the demand of the projection."""

    list_display = ("year", "agency", "posts", "note")
    list_filter = ("year",)
    search_fields = ("agency__name", "agency__code")
    autocomplete_fields = ("agency",)
    list_select_related = ("agency",)


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin):
    """Runs are made by the reports page and the API; the administration only shows them."""

    list_display = ("id", "kind", "format", "status", "progress", "requested_by", "requested_at", "finished_at")
    list_filter = ("kind", "format", "status")
    list_select_related = ("requested_by",)
    readonly_fields = [field.name for field in ReportRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WorkforceSnapshot)
class WorkforceSnapshotAdmin(admin.ModelAdmin):
    list_display = ("month", "in_service", "on_eol", "exits_12_months", "attrition_rate_12_months")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
