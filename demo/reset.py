"""What is already in the database, and how --reset removes it.

Deleting through the ORM would fetch every row (django-simple-history listens to post_delete,
which rules out Django's fast delete) and write a "-" audit row for each: minutes for 50,000
people, and audit rows that are then thrown away. So the domain tables and their audit tables
are emptied with plain DELETE statements, children first. Rows of other apps that point at them
(meetings, requests, ...) go through the ORM first, so their own cascades and nulling still apply.
"""

from __future__ import annotations

from django.db import connection

from accounts.models import Role, User
from agencies.models import Agency, ICTUnit, SanctionedPost
from placements.models import (
    OfficeOrder,
    OfficeOrderEntry,
    Placement,
    TransferRequest,
    TransferRequestEvent,
    TransferRuleOverride,
)
from professionals.models import GradeChange, PendingStatusChange, Professional, Qualification, StatusEvent

from .competencies import delete_demo_competencies
from .meetings import delete_demo_meetings

# Children before parents.
DOMAIN_MODELS = [
    TransferRequestEvent,
    TransferRuleOverride,
    TransferRequest,
    OfficeOrderEntry,
    OfficeOrder,
    PendingStatusChange,
    Placement,
    StatusEvent,
    GradeChange,
    Qualification,
    ICTUnit,
    SanctionedPost,
    Professional,
    Agency,
]


def existing_data() -> dict[str, int]:
    """Counts of what seeding would collide with; all zero means an empty database."""
    return {
        "professionals": Professional.objects.count(),
        "agencies": Agency.objects.count(),
        "user accounts": User.objects.filter(is_superuser=False).count(),
    }


def _history_models() -> list:
    return [model.history.model for model in DOMAIN_MODELS if hasattr(model, "history")]


def _clear_other_references() -> None:
    """Rows outside the demo tables that point into them: null the optional links, delete the rest."""
    ours = set(DOMAIN_MODELS) | set(_history_models()) | {User}
    for model in DOMAIN_MODELS:
        for relation in model._meta.related_objects:
            other = relation.related_model
            if other in ours:
                continue
            if relation.many_to_many:
                relation.through._base_manager.all().delete()
            elif relation.field.null:
                other._base_manager.exclude(**{relation.field.name: None}).update(**{relation.field.name: None})
            else:
                other._base_manager.all().delete()


def delete_demo_data() -> None:
    """Remove every agency, professional and their history, and every account but superusers'.

    Reference data (grades, kinds, tracks ...) stays; the seed reloads it in place.
    """
    # Meetings and competency rows need their professionals and agencies: they go first, whole.
    delete_demo_meetings()
    delete_demo_competencies()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for history in _history_models():
            cursor.execute(f"DELETE FROM {quote(history._meta.db_table)}")
    # Superusers stay. Their links into the demo data go; a superuser sees everything anyway, so
    # one whose role needs an agency or a record (the check constraints) becomes division staff.
    superusers = User.objects.filter(is_superuser=True)
    superusers.filter(role__in=[Role.AGENCY_HEAD, Role.PROFESSIONAL]).update(role=Role.DIVISION)
    superusers.update(agency=None, professional=None)
    User.objects.filter(is_superuser=False).delete()
    _clear_other_references()
    Agency.objects.update(parent=None, successor=None)
    with connection.cursor() as cursor:
        for model in DOMAIN_MODELS:
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")
