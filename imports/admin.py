from django.contrib import admin

from .models import ImportRun, ImportSettings


@admin.register(ImportSettings)
class ImportSettingsAdmin(admin.ModelAdmin):
    list_display = ("national_id_pattern", "national_id_description")

    def has_add_permission(self, request):
        # The one row may be added while there is none, by those whose role may change settings.
        return super().has_add_permission(request) and not ImportSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ("filename", "kind", "state", "created_by", "created_at", "committed_at")
    list_filter = ("kind", "state")
    readonly_fields = [field.name for field in ImportRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
