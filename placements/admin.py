from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.admin import RecordHistoryAdmin
from core.admin import ReadOnlyInline

from .models import OfficeOrder, Placement, TransferRequest, TransferRequestEvent, TransferRule, TransferRuleOverride
from .transfer_services import transfer_request_approve, transfer_request_effect


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


@admin.register(TransferRule)
class TransferRuleAdmin(RecordHistoryAdmin):
    """The transfer rules are data: division staff change their numbers and switch them per kind of
    request. The checks themselves are code, so rules are neither added nor deleted here."""

    list_display = (
        "code",
        "is_active",
        "months",
        "employment_types",
        "applies_to_transfer",
        "applies_to_placement",
        "applies_to_secondment",
    )
    list_editable = (
        "is_active",
        "months",
        "employment_types",
        "applies_to_transfer",
        "applies_to_placement",
        "applies_to_secondment",
    )
    readonly_fields = ("code",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OverrideInline(ReadOnlyInline):
    model = TransferRuleOverride
    show_change_link = False
    fields = ("rule", "reason", "overridden_by", "overridden_at")
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = TransferRequestEvent
    show_change_link = False
    fields = ("at", "action", "from_state", "to_state", "actor", "note")
    readonly_fields = fields


def _run_for_each(modeladmin, request, queryset, service, done: str, **kwargs):
    """Call a transfer service on each selected request; report what happened and what was refused."""
    ok = 0
    for transfer in queryset.order_by("id"):
        try:
            service(request_id=transfer.pk, actor=request.user, **kwargs)
            ok += 1
        except (ValidationError, PermissionDenied) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            modeladmin.message_user(request, f"{transfer.reference}: {text}", messages.ERROR)
    if ok:
        modeladmin.message_user(request, f"{ok} request{'s' if ok != 1 else ''} {done}.", messages.SUCCESS)


class WrittenByServicesAdmin(RecordHistoryAdmin):
    """Rows the workflow writes: looked up here within the user's scope, never added or deleted."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TransferRequest)
class TransferRequestAdmin(WrittenByServicesAdmin):
    """Requests are made and moved in the portal or the API; here division staff look them up and
    may approve or effect several at once, through the same services."""

    list_display = ("reference", "kind", "professional", "releasing_agency", "receiving_agency", "state", "created_at")
    list_filter = ("state", "kind")
    list_select_related = ("professional", "releasing_agency", "receiving_agency")
    search_fields = ("professional__employee_id", "professional__first_name", "professional__last_name")
    date_hierarchy = "created_at"
    inlines = [OverrideInline, EventInline]
    actions = ["approve_selected", "effect_selected"]
    readonly_fields = [f.name for f in TransferRequest._meta.fields]

    @admin.action(description="Approve the selected requests (on their proposed date)")
    def approve_selected(self, request, queryset):
        _run_for_each(self, request, queryset, transfer_request_approve, "approved")

    @admin.action(description="Effect the selected approved requests whose date has come")
    def effect_selected(self, request, queryset):
        _run_for_each(self, request, queryset, transfer_request_effect, "effected")


@admin.register(OfficeOrder)
class OfficeOrderAdmin(WrittenByServicesAdmin):
    list_display = ("number", "kind", "issued_on", "subject", "rendered_at")
    list_filter = ("kind", "year")
    search_fields = ("number", "subject")
    readonly_fields = [f.name for f in OfficeOrder._meta.fields]
