"""Writes on professionals and their history. Every write goes through here, with an audit entry."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from accounts.audit import actor_user, stamp
from core.cache import figures_changed

from .models import (
    EXIT_EVENTS,
    IN_SERVICE_STATUSES,
    LEAVE_EVENTS,
    STATUS_AFTER_EVENT,
    GradeChange,
    PendingStatusChange,
    Professional,
    RetirementAgeRule,
    Status,
    StatusEvent,
    StatusEventKind,
)
from .retirement import AgeRule, superannuation_date

PROFESSIONAL_FIELDS = {
    "employee_id",
    "national_id",
    "first_name",
    "middle_name",
    "last_name",
    "gender",
    "date_of_birth",
    "email",
    "phone",
    "first_appointment_date",
    "employment_type",
    "grade",
    "position_title",
    "track",
}


def retirement_rules_by_category() -> dict[int, list[AgeRule]]:
    rules: dict[int, list[AgeRule]] = defaultdict(list)
    for category_id, age, effective_from in RetirementAgeRule.objects.values_list(
        "category_id", "age", "effective_from"
    ):
        rules[category_id].append(AgeRule(age=age, effective_from=effective_from))
    return rules


def superannuation_date_for(*, date_of_birth: dt.date, category_id: int, rules=None) -> dt.date | None:
    rules = retirement_rules_by_category() if rules is None else rules
    return superannuation_date(date_of_birth, rules.get(category_id, []))


@transaction.atomic
def professional_create(*, actor, reason: str = "Created", **fields) -> Professional:
    """Create a professional, with the grade of appointment in their grade history."""
    unknown = set(fields) - PROFESSIONAL_FIELDS
    if unknown:
        raise TypeError(f"Unknown professional fields: {', '.join(sorted(unknown))}")
    professional = Professional(**fields)
    professional.full_clean()
    professional.superannuation_date = superannuation_date_for(
        date_of_birth=professional.date_of_birth, category_id=professional.grade.category_id
    )
    stamp(professional, actor, reason)
    professional.save()
    grade_change = GradeChange(
        professional=professional,
        grade=professional.grade,
        effective_date=professional.first_appointment_date,
        reason=GradeChange.Reason.APPOINTMENT,
    )
    stamp(grade_change, actor, reason)
    grade_change.save()
    return professional


@transaction.atomic
def professional_update(
    *,
    professional_id: int,
    actor,
    reason: str = "Edited",
    grade_effective_date: dt.date | None = None,
    grade_change_reason: str = GradeChange.Reason.PROMOTION,
    **changes,
) -> Professional:
    """Change a professional's details. A grade change also enters the grade history, dated
    `grade_effective_date` (default today) with `grade_change_reason`; a new birth date or grade
    recomputes the superannuation date."""
    unknown = set(changes) - PROFESSIONAL_FIELDS
    if unknown:
        raise TypeError(f"Unknown professional fields: {', '.join(sorted(unknown))}")
    professional = Professional.objects.select_for_update().get(pk=professional_id)
    old_grade_id = professional.grade_id
    changed = [name for name, value in changes.items() if getattr(professional, name) != value]
    if not changed:
        return professional
    for name in changed:
        setattr(professional, name, changes[name])
    professional.full_clean()
    update_fields = [*changed, "updated_at"]
    if {"date_of_birth", "grade"} & set(changed):
        professional.superannuation_date = superannuation_date_for(
            date_of_birth=professional.date_of_birth, category_id=professional.grade.category_id
        )
        update_fields.append("superannuation_date")
    stamp(professional, actor, reason)
    professional.save(update_fields=update_fields)
    if professional.grade_id != old_grade_id:
        grade_change = GradeChange(
            professional=professional,
            grade=professional.grade,
            effective_date=grade_effective_date or timezone.localdate(),
            reason=grade_change_reason,
        )
        grade_change.full_clean()
        stamp(grade_change, actor, reason)
        grade_change.save()
    return professional


def status_event_check(professional: Professional, kind: str, effective_date: dt.date, expected_end) -> None:
    """Raise ValidationError if this event cannot follow the professional's history; forms call it
    to show the problem before anything is written."""
    status = professional.status
    if status not in IN_SERVICE_STATUSES:
        raise ValidationError(
            f"{professional.full_name} has already left the service ({professional.get_status_display().lower()}); "
            "no further status change can be recorded."
        )
    if kind == StatusEventKind.RETURN and status == Status.ACTIVE:
        raise ValidationError(
            {"kind": f"{professional.full_name} is already in service; there is nothing to return from."}
        )
    if kind in LEAVE_EVENTS:
        if status != Status.ACTIVE:
            raise ValidationError(
                {
                    "kind": f"{professional.full_name} is {professional.get_status_display().lower()}; record their "
                    "return before a new leave or secondment."
                }
            )
        if expected_end is None:
            raise ValidationError({"expected_end": "Leave and secondment need an expected end date."})
    elif expected_end is not None:
        raise ValidationError({"expected_end": "Only leave and secondment have an expected end."})
    if expected_end is not None and expected_end <= effective_date:
        raise ValidationError({"expected_end": "The expected end must come after the start."})
    if effective_date < professional.first_appointment_date:
        raise ValidationError({"effective_date": "The date comes before the person's first appointment."})
    if kind in EXIT_EVENTS:
        current = professional.placements.filter(end_date__isnull=True).select_related("agency").first()
        if current is not None and effective_date <= current.start_date:
            raise ValidationError(
                {
                    "effective_date": f"The current placement at {current.agency} started on "
                    f"{current.start_date:%d %b %Y}; the exit must come after that day."
                }
            )
    last = professional.status_events.order_by("-effective_date", "-id").first()
    if last and effective_date < last.effective_date:
        raise ValidationError(
            {
                "effective_date": f"The last status change was on {last.effective_date:%d %b %Y}; "
                "a new one cannot come before it."
            }
        )


@transaction.atomic
def status_event_record(
    *,
    professional_id: int,
    kind: str,
    effective_date: dt.date,
    actor,
    expected_end: dt.date | None = None,
    reference: str = "",
    notes: str = "",
    reason: str = "",
) -> StatusEvent:
    """Record leave, a return or an exit, and move the professional's status with it.

    An exit ends the current placement on its date. Open pending items the event answers (a
    leave that ended, a superannuation reached) are resolved by it.
    """
    from placements.services import placement_end_current

    professional = Professional.objects.select_for_update().get(pk=professional_id)
    status_event_check(professional, kind, effective_date, expected_end)
    event = StatusEvent(
        professional=professional,
        kind=kind,
        effective_date=effective_date,
        expected_end=expected_end,
        reference=reference,
        notes=notes,
    )
    event.full_clean()
    label = StatusEventKind(kind).label
    # The audit reason: the kind of event, and where it came from when a caller says (an import).
    reason = f"{label}: {reason}" if reason else label
    stamp(event, actor, reason)
    event.save()

    professional.status = STATUS_AFTER_EVENT[StatusEventKind(kind)]
    stamp(professional, actor, reason)
    professional.save(update_fields=["status", "updated_at"])

    if kind in EXIT_EVENTS:
        placement_end_current(professional_id=professional.pk, end_date=effective_date, actor=actor, reason=reason)

    answered = []
    if kind == StatusEventKind.RETURN:
        answered.append(PendingStatusChange.Kind.LEAVE_ENDED)
    if kind in EXIT_EVENTS:
        answered += [PendingStatusChange.Kind.LEAVE_ENDED, PendingStatusChange.Kind.SUPERANNUATION]
    if answered:
        PendingStatusChange.objects.filter(
            professional=professional, kind__in=answered, state=PendingStatusChange.State.OPEN
        ).update(
            state=PendingStatusChange.State.RESOLVED,
            resolved_by=actor_user(actor),
            resolved_at=timezone.now(),
            note=f"Answered by: {label} on {effective_date:%d %b %Y}",
        )
    return event


@transaction.atomic
def pending_status_changes_close(*, ids: list[int], state: str, actor, note: str = "") -> int:
    """Resolve or dismiss open pending status changes; items already closed stay as they were."""
    if state not in (PendingStatusChange.State.RESOLVED, PendingStatusChange.State.DISMISSED):
        raise ValidationError(f"A pending change can be resolved or dismissed, not set to {state!r}.")
    return PendingStatusChange.objects.filter(id__in=ids, state=PendingStatusChange.State.OPEN).update(
        state=state, resolved_by=actor, resolved_at=timezone.now(), note=note
    )


def superannuation_dates_recompute(*, category_ids: list[int] | None = None, batch_size: int = 2000) -> int:
    """Recompute stored superannuation dates after a retirement rule changed; returns how many moved.

    Runs in batches so that 50,000 professionals do not sit in memory at once.
    """
    rules = retirement_rules_by_category()
    queryset = Professional.objects.only("id", "date_of_birth", "grade__category_id", "superannuation_date")
    queryset = queryset.select_related("grade")
    if category_ids is not None:
        queryset = queryset.filter(grade__category_id__in=category_ids)
    moved = 0
    pending: list[Professional] = []
    for professional in queryset.order_by("id").iterator(chunk_size=batch_size):
        new_date = superannuation_date(professional.date_of_birth, rules.get(professional.grade.category_id, []))
        if new_date != professional.superannuation_date:
            professional.superannuation_date = new_date
            pending.append(professional)
        if len(pending) >= batch_size:
            moved += _flush_superannuation(pending)
    moved += _flush_superannuation(pending)
    return moved


def _flush_superannuation(pending: list[Professional]) -> int:
    count = len(pending)
    if count:
        with transaction.atomic():
            Professional.objects.bulk_update(pending, ["superannuation_date"])
            figures_changed()  # bulk_update sends no signals
        pending.clear()
    return count


def status_changes_due_record(*, today: dt.date) -> dict[str, int]:
    """Queue for division staff the status changes that have fallen due by `today`.

    - a professional on leave or secondment whose latest leave's expected end has passed;
    - a professional still in service whose superannuation date has come.
    Nothing is edited: each becomes a PendingStatusChange, once (re-running adds nothing).
    """
    latest_event = StatusEvent.objects.filter(professional=OuterRef("pk")).order_by("-effective_date", "-id")
    on_leave = (
        Professional.objects.filter(status__in=[Status.EOL, Status.STUDY_LEAVE, Status.SECONDED])
        .annotate(
            leave_id=Subquery(latest_event.values("id")[:1]),
            leave_kind=Subquery(latest_event.values("kind")[:1]),
            leave_end=Subquery(latest_event.values("expected_end")[:1]),
        )
        .filter(leave_kind__in=[k.value for k in LEAVE_EVENTS], leave_end__lte=today)
        .values_list("id", "leave_id", "leave_end")
    )
    leave_rows = [
        PendingStatusChange(
            professional_id=pid, status_event_id=event_id, due_date=end, kind=PendingStatusChange.Kind.LEAVE_ENDED
        )
        for pid, event_id, end in on_leave
    ]
    retiring = Professional.objects.filter(status__in=IN_SERVICE_STATUSES, superannuation_date__lte=today).values_list(
        "id", "superannuation_date"
    )
    retirement_rows = [
        PendingStatusChange(professional_id=pid, due_date=due, kind=PendingStatusChange.Kind.SUPERANNUATION)
        for pid, due in retiring
    ]
    before = PendingStatusChange.objects.count()
    with transaction.atomic():
        PendingStatusChange.objects.bulk_create(leave_rows + retirement_rows, ignore_conflicts=True, batch_size=1000)
    created = PendingStatusChange.objects.count() - before
    return {"leave_ended": len(leave_rows), "superannuation": len(retirement_rows), "created": created}
