from django.contrib import admin

from accounts.admin import RecordHistoryAdmin

from .models import Agency, AgencyKind, ICTUnit, ICTUnitKind, Region, SanctionedPost, SiteSettings
from .services import agency_save


@admin.register(AgencyKind)
class AgencyKindAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "plural_name", "is_local_government", "sort_order")
    list_filter = ("is_local_government",)
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}
    ordering = ("sort_order", "name")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}
    ordering = ("name",)


@admin.register(ICTUnitKind)
class ICTUnitKindAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}
    ordering = ("name",)


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    """One row for the whole installation: it can be edited, never added twice or deleted."""

    list_display = ("parent_agency_name", "country_name", "region_label", "region_label_plural", "office_order_prefix")

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class DissolvedFilter(admin.SimpleListFilter):
    title = "existence"
    parameter_name = "dissolved"

    def lookups(self, request, model_admin):
        return [("no", "Still exists"), ("yes", "Dissolved")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(dissolved_on__isnull=True)
        if self.value() == "yes":
            return queryset.filter(dissolved_on__isnull=False)
        return queryset


class ICTUnitInline(admin.StackedInline):
    model = ICTUnit
    extra = 1
    autocomplete_fields = ("head",)


class SanctionedPostInline(admin.TabularInline):
    model = SanctionedPost
    extra = 0
    autocomplete_fields = ("position_title",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("position_title")


@admin.register(Agency)
class AgencyAdmin(RecordHistoryAdmin):
    list_display = (
        "code",
        "name",
        "kind",
        "parent",
        "region",
        "critical_information_infrastructure",
        "dissolved_on",
    )
    list_display_links = ("code", "name")
    list_filter = ("kind", "region", "critical_information_infrastructure", DissolvedFilter)
    list_select_related = ("kind", "parent", "region")
    search_fields = ("code", "name", "short_name")
    autocomplete_fields = ("parent", "successor", "region")
    ordering = ("name",)
    fieldsets = (
        (None, {"fields": ("code", "name", "short_name", "kind", "parent", "region")}),
        ("Role", {"fields": ("is_parent_agency", "critical_information_infrastructure", "digital_maturity")}),
        ("Contact", {"fields": ("email", "phone", "address")}),
        ("Life", {"fields": ("established_on", "dissolved_on", "successor")}),
    )
    inlines = (ICTUnitInline, SanctionedPostInline)

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def save_model(self, request, obj, form, change):
        # The form has already run the model's checks; the service runs them again and stamps
        # the audit entry.
        agency_save(agency=obj, actor=request.user, reason="Edited in the admin" if change else "Created in the admin")


@admin.register(ICTUnit)
class ICTUnitAdmin(RecordHistoryAdmin):
    list_display = ("name", "agency", "kind", "head", "email", "established_on")
    list_filter = ("kind", "agency__kind")
    list_select_related = ("agency", "kind", "head")
    search_fields = ("name", "agency__code", "agency__name")
    autocomplete_fields = ("agency", "head")
    ordering = ("agency__name",)

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(SanctionedPost)
class SanctionedPostAdmin(RecordHistoryAdmin):
    list_display = ("agency", "position_title", "number", "notes")
    list_filter = ("agency__kind", "position_title")
    list_select_related = ("agency", "position_title")
    search_fields = ("agency__code", "agency__name", "position_title__name")
    autocomplete_fields = ("agency", "position_title")
    ordering = ("agency__name", "position_title__name")

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)
