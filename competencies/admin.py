from django.contrib import admin

from .models import ExpertPool, Track


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "sort_order")
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}
    ordering = ("sort_order", "name")


@admin.register(ExpertPool)
class ExpertPoolAdmin(admin.ModelAdmin):
    list_display = ("name", "track")
    list_filter = ("track",)
    search_fields = ("name",)
    autocomplete_fields = ("members",)
