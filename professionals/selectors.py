"""Reads on professionals for the portal: the list (shared by its page, its htmx fragment and the
exports) and the professional's page.

Every read starts from `Professional.objects.visible_to(user)`; a record the user may not see
answers 404 (`professional_get`), whatever the page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import CharField, F, FilteredRelation, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from accounts.access import is_division, scope_for
from agencies.models import Agency, AgencyKind, Region
from competencies.models import Track
from core.cache import cached_figures
from placements.models import Placement

from .models import (
    Grade,
    GradeCategory,
    GradeChange,
    PendingStatusChange,
    PositionTitle,
    Professional,
    Qualification,
    Status,
    StatusEvent,
)

# ---------------------------------------------------------------------------------------------
# The list


def professional_list_queryset(*, user) -> QuerySet[Professional]:
    """The professionals `user` may see. Nothing is joined: the count of a 50,000-row list reads
    only the professionals' own indexes, the agency filters and sort use the stored current
    agency, a page's rows are read as values (`list_rows`) and the exports join the current
    placement (`with_current_placement`)."""
    return Professional.objects.visible_to(user)


CURRENT_PLACEMENT_COLUMNS = {
    "current_agency_code": "agency__code",
    "current_agency_name": "agency__name",
    "current_region_name": "agency__region__name",
    "current_since": "start_date",
}


def with_current_placement(queryset: QuerySet[Professional]) -> QuerySet[Professional]:
    """`queryset` with the current placement's columns on every row, through one LEFT JOIN: the
    database allows one open placement per person, so the join never duplicates a row."""
    return queryset.annotate(
        current=FilteredRelation("placements", condition=Q(placements__end_date__isnull=True))
    ).annotate(**{name: F(f"current__{path}") for name, path in CURRENT_PLACEMENT_COLUMNS.items()})


@dataclass(slots=True)
class ListRow:
    """One row of the professionals list: only what the row shows, read as plain values (building
    50 model instances, each with its grade, category, title and track, cost more than the query)."""

    pk: int
    employee_id: str
    national_id: str
    first_name: str
    middle_name: str
    last_name: str
    status: str
    superannuation_date: dt.date | None
    grade_code: str
    grade_category_name: str
    title_name: str | None
    track_name: str | None
    current_agency_code: str | None
    current_agency_name: str | None
    current_region_name: str | None
    url: str = ""

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.middle_name, self.last_name) if part)

    def get_status_display(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


STATUS_LABELS = dict(Status.choices)
LIST_ROW_VALUES = (
    "pk",
    "employee_id",
    "national_id",
    "first_name",
    "middle_name",
    "last_name",
    "status",
    "superannuation_date",
    "grade_id",
    "position_title_id",
    "track_id",
    "current_agency_id",
)


@dataclass(frozen=True)
class ReferenceLabels:
    """The codes and names of the reference rows that lists show, by id, so that a page of 50
    rows reads its own columns only. Joined to the rows instead, grade, category, title, track,
    agency and region made PostgreSQL spend 2.6 ms planning the page's query alone."""

    grades: dict[int, tuple[str, str, str]]  # id -> code, category code, category name
    titles: dict[int, tuple[str, str]]  # id -> code, name
    tracks: dict[int, tuple[str, str]]  # id -> code, name
    agencies: dict[int, tuple[str, str, str | None]]  # id -> code, name, region name

    def covers(self, *, grades=(), titles=(), tracks=(), agencies=()) -> bool:
        tables = ((self.grades, grades), (self.titles, titles), (self.tracks, tracks), (self.agencies, agencies))
        return all(pk is None or pk in table for table, ids in tables for pk in ids)


def _read_reference_labels() -> ReferenceLabels:
    """Every label in one query (a UNION ALL of the four tables)."""
    text = CharField()

    def rows(queryset, kind: str, code: str, name: str, extra: str | None = None):
        return (
            queryset.order_by()
            .annotate(
                ref_kind=Value(kind, output_field=text),
                ref_code=F(code),
                ref_name=F(name),
                ref_extra=F(extra) if extra else Value("", output_field=text),
            )
            .values_list("ref_kind", "pk", "ref_code", "ref_name", "ref_extra")
        )

    tables: dict[str, dict] = {"grade": {}, "title": {}, "track": {}, "agency": {}}
    union = rows(Grade.objects.all(), "grade", "code", "category__name", "category__code").union(
        rows(PositionTitle.objects.all(), "title", "code", "name"),
        rows(Track.objects.all(), "track", "code", "name"),
        rows(Agency.objects.all(), "agency", "code", "name", "region__name"),
        all=True,
    )
    for kind, pk, code, name, extra in union:
        tables[kind][pk] = (code, extra, name) if kind == "grade" else (code, name, extra or None)
    return ReferenceLabels(
        grades=tables["grade"],
        titles={pk: (code, name) for pk, (code, name, _) in tables["title"].items()},
        tracks={pk: (code, name) for pk, (code, name, _) in tables["track"].items()},
        agencies=tables["agency"],
    )


def reference_labels(**required) -> ReferenceLabels:
    """The labels, from the cache while no reference row has changed (core/cache.py), read
    afresh when the cached ones lack an id in `required` (grades=, titles=, tracks=, agencies=):
    a row added in another process before this one's cache learned of it."""
    labels = cached_figures("reference-labels", timezone.localdate(), _read_reference_labels)
    return labels if labels.covers(**required) else _read_reference_labels()


def list_rows(page: QuerySet[Professional]) -> list[ListRow]:
    """A page of the list's queryset as rows, reading only the professionals' own columns (the
    labels of their grade, title, track and agency come from `reference_labels`). One query.

    The page's ids are found in a subquery, in order and cut to the page, from the list's
    indexes; the outer query reads those 50 rows and sorts them the same way. Joined before the
    sort, PostgreSQL joined every row that matched and then kept 50: 50 ms for a filter that
    matches 15,000 people, against 5 ms this way."""
    values = list(
        Professional.objects.filter(pk__in=page.values("pk"))
        .order_by(*page.query.order_by)
        .values_list(*LIST_ROW_VALUES)
    )
    labels = reference_labels(
        grades={v[8] for v in values},
        titles={v[9] for v in values},
        tracks={v[10] for v in values},
        agencies={v[11] for v in values},
    )
    rows = []
    for *own, grade_id, title_id, track_id, agency_id in values:
        grade = labels.grades[grade_id]
        agency = labels.agencies.get(agency_id, (None, None, None))
        rows.append(
            ListRow(
                *own,
                grade_code=grade[0],
                grade_category_name=grade[2],
                title_name=labels.titles[title_id][1] if title_id is not None else None,
                track_name=labels.tracks[track_id][1] if track_id is not None else None,
                current_agency_code=agency[0],
                current_agency_name=agency[1],
                current_region_name=agency[2],
            )
        )
    # One reverse() for the page: the professional's address is this prefix and their id.
    prefix = reverse("professionals:detail", args=[0]).removesuffix("0/")
    for row in rows:
        row.url = f"{prefix}{row.pk}/"
    return rows


def professional_list(*, user, params, region_label: str = "Region"):
    """The filtered, sorted list for `user` from the query string `params`.

    Returns the bound ProfessionalFilterSet: `.qs` is the queryset (every page, in order),
    `.form` the filter form, `.ignored` the filter values it could not use. The page, its htmx
    fragment and both exports call this, so they always agree on rows and order.
    """
    from .filters import ProfessionalFilterSet

    return ProfessionalFilterSet(
        params,
        queryset=professional_list_queryset(user=user),
        user=user,
        options=filter_options(user=user),
        region_label=region_label,
    )


class ListPaginator(Paginator):
    """Django's paginator over the filtered list, with the list's count kept like the dashboard's
    figures (see `list_count`)."""

    def __init__(self, filterset, per_page: int):
        super().__init__(filterset.qs, per_page)
        self.filterset = filterset

    @cached_property
    def count(self) -> int:
        return list_count(self.filterset)


def list_count(filterset) -> int:
    """How many professionals the filtered list holds, kept in the cache with the workforce
    figures (core/cache.py): any change to the records behind them drops it. Paging through a
    search, sorting it another way or coming back to it does not count again; the first view of
    a filter does (7 ms for a name that 3,000 of the 50,000 professionals share).

    The key is the scope, whether national ids are searched, and the filters applied (not the
    sort); values the list ignored are not among them, as they do not narrow it."""
    cleaned = filterset.form.cleaned_data
    applied = sorted((k, str(v)) for k, v in cleaned.items() if k != "sort" and v not in ("", None))
    scope = scope_for(filterset.user)
    digest = hashlib.sha256(urlencode(applied).encode()).hexdigest()[:32]
    key = f"list-count:{scope.key}:{int(scope.sees_national_ids)}:{digest}"
    return cached_figures(key, timezone.localdate(), filterset.qs.count)


@dataclass(frozen=True)
class Option:
    pk: int
    code: str
    label: str
    group: str = ""


@dataclass
class FilterOptions:
    """The options of the list's dropdowns, by filter name, each a list of Option."""

    by_source: dict[str, list[Option]] = field(default_factory=dict)

    def options(self, source: str) -> list[Option]:
        return self.by_source.get(source, [])

    def choices(self, source: str) -> list:
        """Choices for a ChoiceField, in <optgroup>s when the options have groups."""
        options = self.options(source)
        if not any(option.group for option in options):
            return [(option.code, option.label) for option in options]
        groups: dict[str, list] = {}
        for option in options:
            groups.setdefault(option.group, []).append((option.code, option.label))
        return list(groups.items())

    def pk(self, source: str, code: str) -> int | None:
        return next((option.pk for option in self.options(source) if option.code == code), None)


def _option_rows(queryset, source: str, *, label, group=None, sort_a=None, sort_b=None, sort_c="name"):
    text, number = CharField(), IntegerField()
    return (
        queryset.order_by()
        .annotate(
            opt_source=Value(source, output_field=text),
            opt_code=F("code"),
            opt_label=label,
            opt_group=group if group is not None else Value("", output_field=text),
            opt_sort_a=sort_a if sort_a is not None else Value(0, output_field=number),
            opt_sort_b=sort_b if sort_b is not None else Value(0, output_field=number),
            opt_sort_c=F(sort_c),
        )
        .values_list("opt_source", "pk", "opt_code", "opt_label", "opt_group", "opt_sort_a", "opt_sort_b", "opt_sort_c")
    )


def filter_options(*, user) -> FilterOptions:
    """Every dropdown of the list, from the cache while the reference data and agencies have not
    changed (core/cache.py), else in ONE query (a UNION ALL of the reference tables).

    Agencies are those `user` may see, so an agency head's dropdown offers only their subtree
    (and any other code is refused as unknown).
    """
    key = f"list-options:{scope_for(user).key}"
    return cached_figures(key, timezone.localdate(), lambda: _filter_options(user=user))


def _filter_options(*, user) -> FilterOptions:
    agencies = _option_rows(
        Agency.objects.visible_to(user).active(),
        "agency",
        label=F("name"),
        group=F("kind__plural_name"),
        sort_a=F("kind__sort_order"),
    )
    parts = [
        _option_rows(AgencyKind.objects.all(), "agency_kind", label=F("name"), sort_a=F("sort_order")),
        _option_rows(Region.objects.all(), "region", label=F("name")),
        _option_rows(
            Grade.objects.all(),
            "grade",
            label=F("code"),
            group=Concat(F("category__code"), Value(" – "), F("category__name"), output_field=CharField()),
            sort_a=F("category__sort_order"),
            # Most senior first within a category.
            sort_b=F("rank") * -1,
            sort_c="code",
        ),
        _option_rows(
            GradeCategory.objects.all(),
            "category",
            label=Concat(F("code"), Value(" – "), F("name"), output_field=CharField()),
            sort_a=F("sort_order"),
            sort_c="code",
        ),
        _option_rows(PositionTitle.objects.all(), "title", label=F("name")),
        _option_rows(Track.objects.all(), "track", label=F("name"), sort_a=F("sort_order")),
    ]
    rows = agencies.union(*parts, all=True).order_by("opt_source", "opt_sort_a", "opt_sort_b", "opt_sort_c")
    by_source: dict[str, list[Option]] = defaultdict(list)
    for source, pk, code, label, group, *_ in rows:
        by_source[source].append(Option(pk=pk, code=code, label=label, group=group or ""))
    return FilterOptions(by_source=dict(by_source))


# ---------------------------------------------------------------------------------------------
# One professional


def professional_get(*, user, pk: int) -> Professional:
    """The professional `pk` if `user` may see them, with grade, title and track; 404 otherwise."""
    professional = (
        Professional.objects.visible_to(user)
        .select_related("grade", "grade__category", "position_title", "track")
        .filter(pk=pk)
        .first()
    )
    if professional is None:
        raise Http404("No such professional.")
    return professional


def may_change_professionals(user) -> bool:
    """In the portal, division staff (not read-only accounts) create and change records."""
    return is_division(user) and scope_for(user).may_write


def professional_get_for_change(*, user, pk: int) -> Professional:
    """The professional `pk` for a form that changes them: 404 when `user` may not see them,
    403 when they may see but not change them."""
    professional = professional_get(user=user, pk=pk)
    if not may_change_professionals(user):
        raise PermissionDenied("Only ICT Management Division staff change professionals' records.")
    return professional


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class AuditEntry:
    when: dt.datetime
    who: str
    record: str
    action: str
    reason: str
    changes: tuple[FieldChange, ...] = ()


@dataclass
class ProfessionalProfile:
    professional: Professional
    placements: list[Placement]
    current_placement: Placement | None
    grade_changes: list[GradeChange]
    status_events: list[StatusEvent]
    qualifications: list[Qualification]
    sees_national_id: bool
    may_change: bool
    pending_changes: list[PendingStatusChange] = field(default_factory=list)
    audit_trail: list[AuditEntry] | None = None


def professional_profile(*, user, professional: Professional, audit_limit: int = 50) -> ProfessionalProfile:
    """Everything the professional's page shows, in a fixed number of queries.

    The audit trail (who changed what, when) is for division staff only.
    """
    scope = scope_for(user)
    division = is_division(user)
    placements = list(
        Placement.objects.visible_to(user)
        .filter(professional=professional)
        .select_related("agency", "agency__region", "position_title")
        .order_by("-start_date", "-id")
    )
    profile = ProfessionalProfile(
        professional=professional,
        placements=placements,
        current_placement=next((p for p in placements if p.end_date is None), None),
        grade_changes=list(
            GradeChange.objects.filter(professional=professional)
            .select_related("grade")
            .order_by("-effective_date", "-id")
        ),
        status_events=list(StatusEvent.objects.filter(professional=professional).order_by("-effective_date", "-id")),
        qualifications=list(
            Qualification.objects.filter(professional=professional).order_by("-year_completed", "level")
        ),
        sees_national_id=scope.sees_national_ids,
        may_change=may_change_professionals(user),
    )
    if division:
        profile.pending_changes = list(
            PendingStatusChange.objects.filter(professional=professional, state=PendingStatusChange.State.OPEN)
        )
        profile.audit_trail = professional_audit_trail(
            professional=professional, limit=audit_limit, hide_national_id=not scope.sees_national_ids
        )
    return profile


def _display(field_meta, value) -> str:
    if value is None or value == "":
        return "–"
    if getattr(field_meta, "choices", None):
        return str(dict(field_meta.flatchoices).get(value, value))
    if isinstance(value, dt.date):
        return f"{value:%d %b %Y}"
    return str(value)


@cache
def _history(model):
    """The historical rows of `model`. `Model.history` builds a manager class at every access
    (simple-history): 85 µs each, five times a profile page."""
    return model.history.model.objects


def _audit_sources(professional_id: int):
    """(history rows, how to name the record) for the professional and the rows of their history."""
    return [
        (
            _history(Professional)
            .filter(id=professional_id)
            .select_related("history_user", "grade", "position_title", "track"),
            lambda row: "Record",
        ),
        (
            _history(Placement)
            .filter(professional_id=professional_id)
            .select_related("history_user", "agency", "position_title"),
            lambda row: f"Placement at {row.agency.code if row.agency else 'a removed agency'}",
        ),
        (
            _history(StatusEvent).filter(professional_id=professional_id).select_related("history_user"),
            lambda row: f"Status: {row.get_kind_display()}",
        ),
        (
            _history(GradeChange).filter(professional_id=professional_id).select_related("history_user", "grade"),
            lambda row: f"Grade history: {row.grade or 'a removed grade'}",
        ),
        (
            _history(Qualification).filter(professional_id=professional_id).select_related("history_user"),
            lambda row: f"Qualification: {row.get_level_display()} in {row.field}",
        ),
    ]


ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


def professional_audit_trail(*, professional: Professional, limit: int = 50, hide_national_id: bool = False):
    """The latest `limit` changes to the professional, their placements, status events, grade
    history and qualifications, newest first: one query per kind of record.

    Each change lists the fields it changed (diffed against the previous version of the same
    row when that version is among the rows read).
    """
    excluded = ["national_id"] if hide_national_id else []
    entries: list[AuditEntry] = []
    for queryset, name in _audit_sources(professional.pk):
        # One row more than shown, so the oldest shown change can still be diffed.
        rows = list(queryset.order_by("-history_date", "-history_id")[: limit + 1])
        latest_seen: dict[int, object] = {}
        for row in reversed(rows):  # oldest first, so each row's previous version is known
            previous = latest_seen.get(row.id)
            latest_seen[row.id] = row
            changes: tuple[FieldChange, ...] = ()
            if row.history_type == "~" and previous is not None:
                delta = row.diff_against(previous, excluded_fields=excluded, foreign_keys_are_objs=True)
                changes = tuple(
                    FieldChange(
                        label=str(row._meta.get_field(change.field).verbose_name),
                        old=_display(row._meta.get_field(change.field), change.old),
                        new=_display(row._meta.get_field(change.field), change.new),
                    )
                    for change in delta.changes
                )
            user = row.history_user
            entries.append(
                AuditEntry(
                    when=row.history_date,
                    who=(user.get_full_name() or user.username) if user else "System",
                    record=name(row),
                    action=ACTIONS.get(row.history_type, row.history_type),
                    reason=row.history_change_reason or "",
                    changes=changes,
                )
            )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]
