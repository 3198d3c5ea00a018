import datetime as dt

import django_filters
from django.db.models import Q
from django.utils import timezone

from agencies.api.filters import visible_agencies
from agencies.querysets import subtree_ids
from core.api_filters import CodeFilter, WholeNumberFilter
from placements.models import TransferKind, TransferRequest, TransferState


class TransferRequestFilter(django_filters.FilterSet):
    """The request queue's filters, shared by the portal page and the API (each indexed)."""

    state = django_filters.MultipleChoiceFilter(
        choices=TransferState.choices, help_text="One or more states, e.g. state=submitted&state=concurred."
    )
    kind = django_filters.ChoiceFilter(choices=TransferKind.choices)
    agency = CodeFilter(
        queryset=visible_agencies,
        noun="agency",
        method="filter_agency",
        help_text="Requests into or out of this agency (code) or any agency below it.",
    )
    professional = WholeNumberFilter(
        field_name="professional_id", min_value=1, max_value=2**63 - 1, help_text="The requests of this professional."
    )
    older_than_days = WholeNumberFilter(
        method="filter_older_than",
        min_value=0,
        max_value=36500,
        help_text="Only requests made at least this many days ago.",
    )

    class Meta:
        model = TransferRequest
        fields = []

    def filter_agency(self, queryset, name, agency):
        subtree = subtree_ids([agency.id])
        return queryset.filter(Q(releasing_agency_id__in=subtree) | Q(receiving_agency_id__in=subtree))

    def filter_older_than(self, queryset, name, days):
        return queryset.filter(created_at__lte=timezone.now() - dt.timedelta(days=days))
