from django.contrib import admin

from .models import Track


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "sort_order")
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}
    ordering = ("sort_order", "name")
