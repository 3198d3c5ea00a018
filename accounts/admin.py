"""The admin for user accounts, and the base classes every app's admin builds on.

Division staff use the Django admin to keep reference data and records. Two rules hold for
every admin page:

- Writes go through the services, and a `ValidationError` a service raises (a rule spanning
  rows, or a race the form could not see) comes back as errors on the form, never a 500.
- The audit history (django-simple-history) names who changed what, and a user who may only
  view a record may not revert it from its history page either.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from .audit import stamp
from .models import ApiToken, Role, User
from .services import api_tokens_revoke


def add_validation_error(form, error: ValidationError) -> None:
    """Put `error` on the form: on its field when the form has that field, else on the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        if field == NON_FIELD_ERRORS or field in form.fields:
            form.add_error(None if field == NON_FIELD_ERRORS else field, errors)
        else:
            label = field.replace("_", " ").capitalize()
            form.add_error(None, [f"{label}: {message}" for e in errors for message in e.messages])


class ServiceErrorsAsFormErrors:
    """A ModelAdmin mixin: a ValidationError raised while saving re-renders the form with it.

    Forms check what they can before saving; services re-check under row locks. When a service
    still refuses, the admin's transaction has rolled back, and the view runs once more with a
    form that carries the service's errors, so nothing is written and the user sees why.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            if request.method != "POST" or hasattr(request, "_service_error"):
                raise
            request._service_error = error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        error = getattr(request, "_service_error", None)
        if error is None:
            return form_class

        class WithServiceErrors(form_class):
            def clean(self):
                cleaned_data = super().clean()
                add_validation_error(self, error)
                return cleaned_data

        WithServiceErrors.__name__ = form_class.__name__
        return WithServiceErrors


class RecordHistoryAdmin(ServiceErrorsAsFormErrors, SimpleHistoryAdmin):
    """Base admin for models with an audit history (`history = HistoricalRecords()`)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history lets anyone who may view the history POST a revert; only those who
        # may change the record may revert it.
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        stamp(obj, request.user, "Edited in the admin" if change else "Created in the admin")
        super().save_model(request, obj, form, change)


def copy_saved_fields(source, target) -> None:
    """After a service saved its own copy of a record, make the admin's instance that record, so
    that inlines and the admin log attach to it."""
    for field in type(source)._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    target._state.adding = False
    target._state.db = source._state.db


# ---------------------------------------------------------------------------------------------
# Users


class RoleScopeFormMixin:
    """Field-level messages for the rules the database enforces on a user's role and scope."""

    def clean(self):
        cleaned_data = super().clean()
        role = cleaned_data.get("role")
        if role == Role.AGENCY_HEAD and not cleaned_data.get("agency") and "agency" in self.fields:
            self.add_error("agency", "An agency ICT head must have an agency.")
        if (
            role == Role.PROFESSIONAL
            and not cleaned_data.get("professional")
            and cleaned_data.get("is_active", True)
            and "professional" in self.fields
        ):
            self.add_error("professional", "A professional's account must be linked to their record.")
        return cleaned_data


class UserChangeForm(RoleScopeFormMixin, DjangoUserAdmin.form):
    pass


class UserCreationForm(RoleScopeFormMixin, DjangoUserAdmin.add_form):
    pass


ROLE_FIELDS = ("role", "agency", "professional", "can_view_national_ids", "read_only")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        (
            "Role and scope",
            {
                "fields": ROLE_FIELDS,
                "description": "What the account may see and do follows from its role: division staff "
                "manage everything, HR officers read everything, agency ICT heads see their agency's "
                "subtree, professionals their own record.",
            },
        ),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Role and scope", {"fields": (*ROLE_FIELDS, "is_staff")}),
    )
    list_display = ("username", "first_name", "last_name", "role", "agency", "is_staff", "is_active", "last_login")
    list_filter = ("role", ("agency", admin.RelatedOnlyFieldListFilter), "is_staff", "is_active", "read_only")
    list_select_related = ("agency",)
    search_fields = ("username", "first_name", "last_name", "email")
    autocomplete_fields = ("agency", "professional")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Only a superuser makes superusers or grants permissions beyond a role.
            readonly += ["is_superuser", "groups", "user_permissions"]
        return readonly

    def has_change_permission(self, request, obj=None):
        # Division staff manage accounts, but not a superuser's (nor its password).
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


# ---------------------------------------------------------------------------------------------
# API tokens


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens of the API clients. They are issued by `manage.py create_api_client`, which shows the
    key once; here they can be reviewed and revoked. Only a hash of each key is kept, and not shown."""

    list_display = ("user", "name", "prefix", "state", "created_at", "expires_on", "revoked_at", "last_used_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), "expires_on")
    list_select_related = ("user",)
    search_fields = ("user__username", "name", "prefix")
    fields = ("user", "name", "prefix", "created_at", "expires_on", "revoked_at", "last_used_at")
    readonly_fields = fields
    ordering = ("user__username", "-created_at")
    actions = ("revoke",)

    def has_add_permission(self, request):
        # A token made here could not show its key once and safely: the command issues them.
        return False

    def has_delete_permission(self, request, obj=None):
        # Revoked tokens stay, so that what a client did can be traced to the token it used.
        return False

    @admin.display(description="state")
    def state(self, obj):
        return obj.state(timezone.localdate())

    @admin.action(description="Revoke the selected tokens", permissions=["change"])
    def revoke(self, request, queryset):
        revoked = api_tokens_revoke(token_ids=list(queryset.values_list("id", flat=True)))
        self.message_user(request, f"Revoked {revoked} token(s); requests with them now answer 401.", messages.SUCCESS)
