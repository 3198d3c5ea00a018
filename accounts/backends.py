"""Django permissions (the admin's add/change/delete/view) that follow `User.role`.

Who may see which rows is decided in `accounts.access`; this backend only answers Django's
per-model permission questions, so that the admin needs no hand-kept groups:

- ICT Management Division staff: every permission on the project's apps and on imports, and may
  look at the scheduled and finished background tasks (django-celery-beat and -results), read-only.
- HR officers: view permissions on the project's apps.
- Other roles: nothing from their role (they do not use the admin).

Permissions granted explicitly to a user or their groups still count, except that an account
that may not write (`scope_for(user).may_write` is false: HR officers, professionals and any
`read_only` account) keeps only the view permissions, whatever it was granted. Superusers keep
everything (Django answers their `has_perm` before asking any backend).
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from .access import scope_for
from .models import Role

PROJECT_APPS = ("accounts", "agencies", "professionals", "placements", "competencies", "meetings", "reports")
TASK_APPS = ("django_celery_beat", "django_celery_results")

# role -> (app labels, view permissions only?)
# Imports (their runs and settings) are the division's alone: HR officers get nothing of them.
DIVISION_APPS = ("imports",)
ROLE_GRANTS: dict[str, tuple[tuple[tuple[str, ...], bool], ...]] = {
    Role.DIVISION: ((PROJECT_APPS + DIVISION_APPS, False), (TASK_APPS, True)),
    Role.HR_OFFICER: ((PROJECT_APPS, True),),
}


def _is_view(perm: str) -> bool:
    return perm.partition(".")[2].startswith("view_")


def role_permissions(role: str) -> set[str]:
    """The permissions ("app_label.codename") that `role` brings by itself."""
    grants = ROLE_GRANTS.get(role, ())
    if not grants:
        return set()
    view_only = {label: only_view for labels, only_view in grants for label in labels}
    rows = Permission.objects.filter(content_type__app_label__in=view_only).values_list(
        "content_type__app_label", "codename"
    )
    return {f"{label}.{codename}" for label, codename in rows if not view_only[label] or codename.startswith("view_")}


class RolePermissionBackend(ModelBackend):
    """Authenticates like ModelBackend; permissions come from the role as described above."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_role_perm_cache"):
            perms = set(super().get_all_permissions(user_obj)) | role_permissions(user_obj.role)
            if not user_obj.is_superuser and not scope_for(user_obj).may_write:
                perms = {perm for perm in perms if _is_view(perm)}
            user_obj._role_perm_cache = perms
        return user_obj._role_perm_cache
