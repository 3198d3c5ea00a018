"""The professionals list's filters, sort and search (django-filter).

Values in the URL are codes (`?agency=MOH&grade=P4`), so a bookmarked list reads well and
survives a database reload. A value the filter cannot use is dropped, never a 500: the list
shows what it ignored (`ignored`).
"""

from __future__ import annotations

from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils import timezone

from accounts.access import scope_for
from agencies.querysets import subtree_ids
from core.dates import years_from
from core.widgets import QuickSelect

from .models import EXITED_STATUSES, IN_SERVICE_STATUSES, EmploymentType, Professional, Status
from .selectors import FilterOptions

# The empty choice, the default, is everyone in service (on leave and seconded included), as on
# the dashboard.
STATUS_CHOICES = [
    ("all", "Any status"),
    ("exited", "Left the service"),
    (
        "One status",
        [(value, "In service, not on leave" if value == Status.ACTIVE else label) for value, label in Status.choices],
    ),
]
DEFAULT_STATUS_LABEL = "In service"

SUPERANNUATION_CHOICES = [
    ("reached", "Date already reached"),
    ("within_1", "Within 1 year"),
    ("1_5", "1–5 years"),
    ("5_10", "5–10 years"),
    ("over_10", "More than 10 years"),
]
# (more than N years from today, at most M years from today); None: unbounded.
SUPERANNUATION_RANGES = {
    "reached": (None, 0),
    "within_1": (0, 1),
    "1_5": (1, 5),
    "5_10": (5, 10),
    "over_10": (10, None),
}

NAME_ORDER = ("first_name", "last_name", "employee_id")
# The empty choice, the default, sorts by name.
DEFAULT_SORT_LABEL = "Name (A–Z)"
SORT_CHOICES = [
    ("-name", "Name (Z–A)"),
    ("employee_id", "Employee id"),
    ("grade", "Grade (senior first)"),
    ("-grade", "Grade (junior first)"),
    ("agency", "Agency (A–Z)"),
    ("superannuation", "Superannuation (soonest first)"),
    ("-superannuation", "Superannuation (latest first)"),
]
# Every order ends on the unique employee id, so pages never overlap or skip a row.
SORT_ORDERS = {
    "name": [*NAME_ORDER],
    "-name": [f"-{name}" for name in NAME_ORDER],
    "employee_id": ["employee_id"],
    "grade": [F("grade__rank").desc(), *NAME_ORDER],
    "-grade": [F("grade__rank").asc(), *NAME_ORDER],
    "agency": [F("current_agency__name").asc(nulls_last=True), *NAME_ORDER],
    "superannuation": [F("superannuation_date").asc(nulls_last=True), *NAME_ORDER],
    "-superannuation": [F("superannuation_date").desc(nulls_last=True), *NAME_ORDER],
}

MAX_SEARCH_WORDS = 5


@dataclass(frozen=True)
class IgnoredValue:
    name: str
    noun: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"Ignored {self.noun} '{self.value}': {self.reason}."


class FilterForm(forms.Form):
    """Bootstrap classes on every widget; the template lays the fields out."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for form_field in self.fields.values():
            widget = form_field.widget
            if type(widget) is forms.Select:
                widget = form_field.widget = QuickSelect(attrs=widget.attrs, choices=widget.choices)
            widget.attrs["class"] = "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control"


class ProfessionalFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label="Search",
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "placeholder": "Search…", "aria-describedby": "id_q_help"}
        ),
    )
    agency = django_filters.ChoiceFilter(method="filter_agency", label="Agency", empty_label="All agencies")
    agency_kind = django_filters.ChoiceFilter(
        method="filter_agency_kind", label="Agency kind", empty_label="All kinds of agency"
    )
    region = django_filters.ChoiceFilter(method="filter_region", label="Region", empty_label="All")
    track = django_filters.ChoiceFilter(method="filter_track", label="Track", empty_label="All tracks")
    grade = django_filters.ChoiceFilter(method="filter_grade", label="Grade", empty_label="All grades")
    category = django_filters.ChoiceFilter(
        method="filter_category", label="Grade category", empty_label="All categories"
    )
    title = django_filters.ChoiceFilter(method="filter_title", label="Position title", empty_label="All titles")
    status = django_filters.ChoiceFilter(
        method="filter_status", label="Status", choices=STATUS_CHOICES, empty_label=DEFAULT_STATUS_LABEL
    )
    employment_type = django_filters.ChoiceFilter(
        label="Employment type", choices=EmploymentType.choices, empty_label="All types"
    )
    superannuation = django_filters.ChoiceFilter(
        method="filter_superannuation",
        label="Years to superannuation",
        choices=SUPERANNUATION_CHOICES,
        empty_label="Any time",
    )
    sort = django_filters.ChoiceFilter(
        method="sort_by", label="Sort by", choices=SORT_CHOICES, empty_label=DEFAULT_SORT_LABEL
    )

    # How the "ignored" note names each filter.
    NOUNS = {
        "q": "search",
        "agency_kind": "agency kind",
        "category": "grade category",
        "title": "position title",
        "employment_type": "employment type",
        "superannuation": "range of years to superannuation",
        "sort": "sort order",
    }
    OPTION_FILTERS = ("agency", "agency_kind", "region", "track", "grade", "category", "title")

    class Meta:
        model = Professional
        fields: list[str] = []  # every filter is declared above
        form = FilterForm

    def __init__(self, data=None, queryset=None, *, user, options: FilterOptions, region_label="Region", **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.user = user
        self.options = options
        self.sees_national_ids = scope_for(user).sees_national_ids
        for name in self.OPTION_FILTERS:
            # A callable: the form deep-copies its fields, and these lists run to hundreds of options.
            self.filters[name].extra["choices"] = lambda name=name: options.choices(name)
        self.filters["region"].label = region_label
        self.region_label = region_label

    # -- what was ignored

    @property
    def ignored(self) -> list[IgnoredValue]:
        """The filter values that could not be used, for a note above the list."""
        ignored = []
        for name, errors in self.form.errors.items():
            if name not in self.filters:
                continue
            noun = self.region_label.lower() if name == "region" else self.NOUNS.get(name, name)
            value = self.data.get(name, "")
            is_choice = isinstance(self.filters[name], django_filters.ChoiceFilter)
            reason = f"not a known {noun}" if is_choice else " ".join(errors).rstrip(".").lower()
            ignored.append(IgnoredValue(name=name, noun=noun, value=value[:60], reason=reason))
        return ignored

    @property
    def active_count(self) -> int:
        """How many filters narrow the list beyond the defaults (shown on the phone's "Filters" button)."""
        if not self.is_bound:
            return 0
        cleaned = getattr(self.form, "cleaned_data", {})
        return sum(1 for name, value in cleaned.items() if value not in (None, "") and name != "sort")

    def filter_queryset(self, queryset):
        """The filters given, then the defaults for status and sort when they were left empty (or
        were invalid): the empty choice of each is the default, so it never shows in the address."""
        queryset = super().filter_queryset(queryset)
        cleaned = self.form.cleaned_data
        if not cleaned.get("status"):
            queryset = self.filter_status(queryset, "status", "in_service")
        if not cleaned.get("sort"):
            queryset = self.sort_by(queryset, "sort", "name")
        return queryset

    # -- filters

    def filter_search(self, queryset, name, value):
        """Every word must match a name part, the start of the employee id or, for users who may
        see them, the whole national id (a partial national id would let one guess numbers)."""
        for word in value.split()[:MAX_SEARCH_WORDS]:
            match = Q(first_name__icontains=word) | Q(middle_name__icontains=word) | Q(last_name__icontains=word)
            # A case-sensitive prefix, served by the employee id's B-tree (pattern) index; ids
            # with letters are matched as typed and in capitals.
            for prefix in dict.fromkeys([word, word.upper()]):
                match |= Q(employee_id__startswith=prefix)
            if self.sees_national_ids:
                match |= Q(national_id=word)
            queryset = queryset.filter(match)
        return queryset

    def filter_agency(self, queryset, name, value):
        return queryset.filter(current_agency_id__in=subtree_ids([self.options.pk("agency", value)]))

    def filter_agency_kind(self, queryset, name, value):
        return queryset.filter(current_agency__kind_id=self.options.pk("agency_kind", value))

    def filter_region(self, queryset, name, value):
        return queryset.filter(current_agency__region_id=self.options.pk("region", value))

    def filter_track(self, queryset, name, value):
        return queryset.filter(track_id=self.options.pk("track", value))

    def filter_grade(self, queryset, name, value):
        return queryset.filter(grade_id=self.options.pk("grade", value))

    def filter_category(self, queryset, name, value):
        return queryset.filter(grade__category_id=self.options.pk("category", value))

    def filter_title(self, queryset, name, value):
        return queryset.filter(position_title_id=self.options.pk("title", value))

    def filter_status(self, queryset, name, value):
        if value == "all":
            return queryset
        if value == "in_service":
            return queryset.filter(status__in=IN_SERVICE_STATUSES)
        if value == "exited":
            return queryset.filter(status__in=EXITED_STATUSES)
        return queryset.filter(status=value)

    def filter_superannuation(self, queryset, name, value):
        today = timezone.localdate()
        after, until = SUPERANNUATION_RANGES[value]
        if after is not None:
            queryset = queryset.filter(superannuation_date__gt=years_from(today, after))
        if until is not None:
            queryset = queryset.filter(superannuation_date__lte=years_from(today, until))
        return queryset

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORT_ORDERS[value])
