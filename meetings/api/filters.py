import django_filters
from django.utils import timezone

from agencies.api.filters import visible_agencies
from agencies.querysets import subtree_ids
from core.api_filters import BooleanFilter, CodeFilter, WholeNumberFilter
from meetings.models import OPEN_ACTION_STATUSES, ActionItem, ActionStatus, Event, EventKind, EventStatus


class EventFilter(django_filters.FilterSet):
    kind = CodeFilter(queryset=EventKind.objects.all(), noun="kind of event", help_text="The kind's code.")
    status = django_filters.ChoiceFilter(choices=EventStatus.choices)
    starts_from = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__gte", help_text="Events starting on or after this day (YYYY-MM-DD)."
    )
    starts_until = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__lte", help_text="Events starting on or before this day (YYYY-MM-DD)."
    )

    class Meta:
        model = Event
        fields = []


class ActionItemFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices)
    open = BooleanFilter(method="filter_open", help_text="true: open or in progress; false: done or dropped.")
    overdue = BooleanFilter(method="filter_overdue", help_text="true: open items past their due date.")
    agency = CodeFilter(
        queryset=visible_agencies,
        noun="agency",
        method="filter_agency",
        help_text="Items owned by this agency (code) or any agency below it.",
    )
    owner = WholeNumberFilter(
        field_name="owner_professional_id",
        min_value=1,
        max_value=2**63 - 1,
        help_text="Items owned by the professional with this id.",
    )
    event = WholeNumberFilter(
        field_name="event_id", min_value=1, max_value=2**63 - 1, help_text="Items from the event with this id."
    )

    class Meta:
        model = ActionItem
        fields = []

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.open() if value else queryset.exclude(status__in=OPEN_ACTION_STATUSES)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = queryset.overdue(timezone.localdate())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))

    def filter_agency(self, queryset, name, agency):
        return queryset.filter(owner_agency_id__in=subtree_ids([agency.id]))
