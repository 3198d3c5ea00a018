"""Reference data (frameworks, levels, competencies, tracks, requirements, programmes) is edited
here. Assessments, requests, memberships and deployments follow rules that span rows, so they are
read-only here and changed in the portal or the API, through the services."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Assessment,
    Certification,
    Competency,
    Deployment,
    ExpertPool,
    ExpertPoolMembership,
    Framework,
    ProficiencyLevel,
    ProgrammeCompetency,
    Requirement,
    Track,
    TrainingProgramme,
    TrainingRecord,
    TrainingRequest,
)
from .services import level_check, requirement_errors


class ProficiencyLevelInline(admin.TabularInline):
    model = ProficiencyLevel
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "is_default")
    inlines = [ProficiencyLevelInline]


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "category", "framework")
    list_filter = ("framework", "category")
    search_fields = ("code", "name")


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "framework", "sort_order")
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}
    ordering = ("sort_order", "name")
    filter_horizontal = ("competencies",)


class RequirementForm(forms.ModelForm):
    class Meta:
        model = Requirement
        fields = ["track", "position_title", "min_grade", "max_grade", "competency", "level"]

    def _post_clean(self):
        # Django copies the form's values onto the instance here: checked in clean(), a new
        # requirement had no competency yet (an error page) and an edited one was checked with
        # the values it had before the edit.
        super()._post_clean()
        if not self.errors:
            for name, message in requirement_errors(self.instance).items():
                self.add_error(name, message)


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    form = RequirementForm
    list_display = ("track", "position_title", "min_grade", "max_grade", "competency", "level")
    list_filter = ("track", "position_title")
    list_select_related = ("track", "position_title", "min_grade", "max_grade", "competency")


class ProgrammeCompetencyForm(forms.ModelForm):
    class Meta:
        model = ProgrammeCompetency
        fields = ["programme", "competency", "level"]

    def clean(self):
        data = super().clean()
        if data.get("competency") and data.get("level"):
            level_check(data["competency"].framework, data["level"])
        return data


class ProgrammeCompetencyInline(admin.TabularInline):
    model = ProgrammeCompetency
    form = ProgrammeCompetencyForm
    extra = 1


@admin.register(TrainingProgramme)
class TrainingProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ("title", "provider", "mode", "start_date", "end_date", "seats")
    list_filter = ("mode",)
    search_fields = ("title", "provider")
    date_hierarchy = "start_date"
    inlines = [ProgrammeCompetencyInline]


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ("professional", "competency", "kind", "level", "assessed_on", "confirmed_at")
    list_filter = ("kind",)
    search_fields = ("professional__employee_id", "professional__first_name", "competency__code")
    list_select_related = ("professional", "competency")


@admin.register(TrainingRequest)
class TrainingRequestAdmin(ReadOnlyAdmin):
    list_display = ("id", "programme", "agency", "state", "created_at")
    list_filter = ("state",)
    list_select_related = ("programme", "agency")


@admin.register(TrainingRecord)
class TrainingRecordAdmin(ReadOnlyAdmin):
    list_display = ("professional", "programme", "attended", "result")
    list_filter = ("result",)
    list_select_related = ("professional", "programme")


@admin.register(Certification)
class CertificationAdmin(ReadOnlyAdmin):
    list_display = ("professional", "name", "issuer", "issued_on", "expires_on")
    search_fields = ("name", "issuer", "professional__employee_id")
    list_select_related = ("professional",)


@admin.register(ExpertPool)
class ExpertPoolAdmin(SimpleHistoryAdmin):
    list_display = ("name", "track")
    list_filter = ("track",)
    search_fields = ("name",)
    filter_horizontal = ("competencies",)


@admin.register(ExpertPoolMembership)
class ExpertPoolMembershipAdmin(ReadOnlyAdmin):
    list_display = ("pool", "professional", "role", "state", "since", "until")
    list_filter = ("pool", "state", "role")
    list_select_related = ("pool", "professional")


@admin.register(Deployment)
class DeploymentAdmin(ReadOnlyAdmin):
    list_display = ("pool", "agency", "start_date", "end_date")
    list_select_related = ("pool", "agency")
