from django.contrib import admin, messages

from accounts.access import scope_for
from accounts.admin import RecordHistoryAdmin, copy_saved_fields
from core.admin import ReadOnlyInline
from placements.models import Placement

from .forms import ProfessionalAdminForm, StatusEventAdminForm
from .models import (
    Grade,
    GradeCategory,
    GradeChange,
    PendingStatusChange,
    PositionTitle,
    Professional,
    Qualification,
    RetirementAgeRule,
    StatusEvent,
)
from .services import (
    PROFESSIONAL_FIELDS,
    pending_status_changes_close,
    professional_create,
    professional_update,
    status_event_record,
    superannuation_dates_recompute,
)

# ---------------------------------------------------------------------------------------------
# Reference data


def recompute_superannuation(model_admin, request, category_ids) -> None:
    """Recompute stored superannuation dates after retirement rules changed, and say so."""
    category_ids = sorted({pk for pk in category_ids if pk is not None})
    if not category_ids:
        return
    moved = superannuation_dates_recompute(category_ids=category_ids)
    codes = ", ".join(GradeCategory.objects.filter(pk__in=category_ids).values_list("code", flat=True))
    model_admin.message_user(
        request,
        f"Superannuation dates recomputed for category {codes}: {moved} professional(s) have a new date.",
        messages.INFO,
    )


class RetirementAgeRuleInline(admin.TabularInline):
    model = RetirementAgeRule
    extra = 0
    ordering = ("effective_from",)


class GradeInline(admin.TabularInline):
    model = Grade
    extra = 0
    fields = ("code", "name", "rank")
    ordering = ("-rank",)


@admin.register(GradeCategory)
class GradeCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "sort_order")
    search_fields = ("code", "name")
    ordering = ("sort_order", "code")
    inlines = (RetirementAgeRuleInline, GradeInline)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        rules_changed = any(
            formset.new_objects or formset.changed_objects or formset.deleted_objects
            for formset in formsets
            if formset.model is RetirementAgeRule
        )
        if rules_changed:
            recompute_superannuation(self, request, [form.instance.pk])


@admin.register(RetirementAgeRule)
class RetirementAgeRuleAdmin(RecordHistoryAdmin):
    list_display = ("category", "age", "effective_from", "source")
    list_filter = ("category",)
    list_select_related = ("category",)
    ordering = ("category__sort_order", "effective_from")

    def save_model(self, request, obj, form, change):
        old_category_id = RetirementAgeRule.objects.filter(pk=obj.pk).values_list("category_id", flat=True).first()
        super().save_model(request, obj, form, change)
        recompute_superannuation(self, request, [old_category_id, obj.category_id])

    def delete_model(self, request, obj):
        category_id = obj.category_id
        super().delete_model(request, obj)
        recompute_superannuation(self, request, [category_id])

    def delete_queryset(self, request, queryset):
        category_ids = list(queryset.values_list("category_id", flat=True))
        super().delete_queryset(request, queryset)
        recompute_superannuation(self, request, category_ids)


@admin.register(Grade)
class GradeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "category", "rank")
    list_filter = ("category",)
    list_select_related = ("category",)
    search_fields = ("code", "name")
    ordering = ("-rank",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "category" in form.changed_data:
            # The grade's holders now retire by another category's rules.
            recompute_superannuation(self, request, [form.initial.get("category"), obj.category_id])


@admin.register(PositionTitle)
class PositionTitleAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "min_grade", "max_grade")
    list_select_related = ("min_grade", "max_grade")
    search_fields = ("name", "code")
    autocomplete_fields = ("min_grade", "max_grade")
    prepopulated_fields = {"code": ("name",)}
    ordering = ("name",)


# ---------------------------------------------------------------------------------------------
# Professionals and their history


class PlacementInline(ReadOnlyInline):
    model = Placement
    fields = ("agency", "position_title", "start_date", "end_date", "kind", "office_order_number")
    ordering = ("-start_date",)
    verbose_name_plural = "placements (add and edit them under Placements)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agency", "position_title")


class StatusEventInline(ReadOnlyInline):
    model = StatusEvent
    fields = ("kind", "effective_date", "expected_end", "reference")
    ordering = ("-effective_date", "-id")
    verbose_name_plural = "status events (record new ones under Status events)"


class GradeChangeInline(ReadOnlyInline):
    model = GradeChange
    fields = ("grade", "effective_date", "reason", "reference")
    ordering = ("-effective_date", "-id")
    show_change_link = False
    verbose_name_plural = "grade history (a new grade on this page adds a row)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("grade")


class QualificationInline(admin.TabularInline):
    model = Qualification
    extra = 0


class GradeCategoryFilter(admin.RelatedFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "grade category"


@admin.register(Professional)
class ProfessionalAdmin(RecordHistoryAdmin):
    """Creating and editing go through professional_create / professional_update, which validate,
    compute the superannuation date, keep the grade history and stamp the audit user.

    National id numbers appear (column, field, search, filter, history) only to users whose
    scope grants them.
    """

    form = ProfessionalAdminForm
    list_display = (
        "employee_id",
        "full_name",
        "grade",
        "position_title",
        "track",
        "current_agency_display",
        "status",
        "superannuation_date",
    )
    list_display_links = ("employee_id", "full_name")
    list_filter = (
        "status",
        "employment_type",
        ("grade__category", GradeCategoryFilter),
        "track",
        "gender",
    )
    list_select_related = ("grade", "position_title", "track", "current_agency")
    search_fields = ("employee_id", "national_id", "first_name", "middle_name", "last_name")
    autocomplete_fields = ("grade", "position_title", "track")
    readonly_fields = ("status", "superannuation_date", "created_at", "updated_at")
    ordering = ("first_name", "last_name", "employee_id")
    inlines = (PlacementInline, StatusEventInline, GradeChangeInline, QualificationInline)

    # -- who sees national ids

    @staticmethod
    def _sees_national_ids(request) -> bool:
        return scope_for(request.user).sees_national_ids

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        if self._sees_national_ids(request):
            columns.insert(columns.index("employee_id") + 1, "national_id")
        return columns

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        if self._sees_national_ids(request):
            return fields
        return [field for field in fields if field != "national_id"]

    def lookup_allowed(self, lookup, value, request=None):
        # A filter in the URL (?national_id__startswith=...) would let one guess numbers.
        if lookup.startswith("national_id") and (request is None or not self._sees_national_ids(request)):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_fieldsets(self, request, obj=None):
        identity = ["employee_id", "national_id", "first_name", "middle_name", "last_name", "gender", "date_of_birth"]
        if obj is not None and not self._sees_national_ids(request):
            identity.remove("national_id")
        service = ["first_appointment_date", "employment_type", "grade", "position_title", "track"]
        fieldsets = [
            ("Identity", {"fields": identity}),
            ("Contact", {"fields": ["email", "phone"]}),
        ]
        if obj is None:
            fieldsets.append(("Service", {"fields": service}))
            return fieldsets
        fieldsets += [
            (
                "Service",
                {
                    "fields": [
                        *service,
                        "grade_change_reason",
                        "grade_effective_date",
                        "status",
                        "superannuation_date",
                    ],
                    "description": "The status changes only through status events; the superannuation date "
                    "follows from the date of birth, the grade and the retirement rules.",
                },
            ),
            ("Record", {"fields": ["change_reason", "created_at", "updated_at"]}),
        ]
        return fieldsets

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        if self._sees_national_ids(request):
            return super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current, excluded_fields=["national_id"], foreign_keys_are_objs=foreign_keys_are_objs
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    # -- lists

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    @admin.display(description="name", ordering="first_name")
    def full_name(self, obj):
        return obj.full_name

    @admin.display(description="current agency", ordering="current_agency__name")
    def current_agency_display(self, obj):
        return obj.current_agency.name if obj.current_agency else "–"

    def get_inlines(self, request, obj):
        # A new professional has no history yet; the services start it.
        return self.inlines if obj is not None else (QualificationInline,)

    # -- writes

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in PROFESSIONAL_FIELDS if name in form.cleaned_data}
        reason = form.cleaned_data.get("change_reason", "")
        if change:
            changes = {name: value for name, value in fields.items() if name in form.changed_data}
            saved = professional_update(
                professional_id=obj.pk,
                actor=request.user,
                reason=reason or "Edited in the admin",
                grade_effective_date=form.cleaned_data.get("grade_effective_date"),
                grade_change_reason=form.cleaned_data.get("grade_change_reason") or GradeChange.Reason.PROMOTION,
                **changes,
            )
        else:
            saved = professional_create(actor=request.user, reason=reason or "Created in the admin", **fields)
        copy_saved_fields(saved, obj)


@admin.register(StatusEvent)
class StatusEventAdmin(RecordHistoryAdmin):
    """New events go through status_event_record (which checks the sequence, moves the status and
    ends the placement on an exit). Recorded events keep their kind and dates; only the reference
    and notes may be corrected."""

    form = StatusEventAdminForm
    list_display = ("professional", "kind", "effective_date", "expected_end", "reference", "recorded_at")
    list_filter = ("kind", "effective_date")
    list_select_related = ("professional",)
    search_fields = ("professional__employee_id", "professional__first_name", "professional__last_name", "reference")
    autocomplete_fields = ("professional",)
    date_hierarchy = "effective_date"
    ordering = ("-effective_date", "-id")

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ("recorded_at",)
        return ("professional", "kind", "effective_date", "expected_end", "recorded_at")

    def has_delete_permission(self, request, obj=None):
        # Deleting an event would leave the professional's status without its reason.
        return False

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        event = status_event_record(
            professional_id=obj.professional_id,
            kind=obj.kind,
            effective_date=obj.effective_date,
            expected_end=obj.expected_end,
            reference=obj.reference,
            notes=obj.notes,
            actor=request.user,
        )
        copy_saved_fields(event, obj)


@admin.register(PendingStatusChange)
class PendingStatusChangeAdmin(admin.ModelAdmin):
    list_display = ("professional", "kind", "due_date", "state", "resolved_by", "resolved_at")
    list_filter = ("state", "kind")
    list_select_related = ("professional", "resolved_by")
    search_fields = ("professional__employee_id", "professional__first_name", "professional__last_name")
    date_hierarchy = "due_date"
    ordering = ("due_date", "id")
    fields = ("professional", "kind", "due_date", "status_event", "state", "resolved_by", "resolved_at", "note")
    readonly_fields = ("professional", "kind", "due_date", "status_event", "state", "resolved_by", "resolved_at")
    actions = ("mark_resolved", "dismiss")

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request):
        # The daily task raises these; people answer them.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Mark resolved", permissions=["change"])
    def mark_resolved(self, request, queryset):
        count = pending_status_changes_close(
            ids=list(queryset.values_list("id", flat=True)),
            state=PendingStatusChange.State.RESOLVED,
            actor=request.user,
        )
        self.message_user(request, f"{count} pending change(s) marked resolved.", messages.SUCCESS)

    @admin.action(description="Dismiss", permissions=["change"])
    def dismiss(self, request, queryset):
        count = pending_status_changes_close(
            ids=list(queryset.values_list("id", flat=True)),
            state=PendingStatusChange.State.DISMISSED,
            actor=request.user,
        )
        self.message_user(request, f"{count} pending change(s) dismissed.", messages.SUCCESS)
