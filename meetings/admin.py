from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ActionItem, ActionItemNote, AgendaItem, Event, EventKind, Invitation, Minutes


@admin.register(EventKind)
class EventKindAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "sort_order")
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "starts_at", "status", "capacity")
    list_filter = ("kind", "status")
    search_fields = ("title", "venue")
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline]
    raw_id_fields = ("organiser",)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "online_url":
            kwargs["assume_scheme"] = "https"  # video-conference links are https
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("event", "professional", "guest_name", "agency", "source", "rsvp", "attended")
    list_filter = ("source", "rsvp", "attended")
    search_fields = ("event__title", "professional__first_name", "professional__last_name", "guest_name")
    raw_id_fields = ("event", "professional", "agency")
    list_select_related = ("event", "professional", "agency")


@admin.register(Minutes)
class MinutesAdmin(SimpleHistoryAdmin):
    list_display = ("event", "status", "approved_at")
    list_filter = ("status",)
    raw_id_fields = ("event", "approved_by")


class ActionItemNoteInline(admin.TabularInline):
    model = ActionItemNote
    extra = 0
    readonly_fields = ("author", "status_from", "status_to", "created_at")


@admin.register(ActionItem)
class ActionItemAdmin(SimpleHistoryAdmin):
    list_display = ("title", "event", "owner_agency", "owner_professional", "due_date", "status")
    list_filter = ("status",)
    search_fields = ("title", "event__title")
    raw_id_fields = ("event", "owner_agency", "owner_professional", "created_by")
    list_select_related = ("event", "owner_agency", "owner_professional")
    inlines = [ActionItemNoteInline]
