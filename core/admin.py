"""Admin helpers shared by the apps' admin modules (core registers no model)."""

from django.contrib import admin


class ReadOnlyInline(admin.TabularInline):
    """History rows written by the services: shown on the parent's page, edited elsewhere."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
