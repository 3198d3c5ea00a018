"""Filter backends shared by every API list: strict about what they are given.

A typo in a parameter name or value must not quietly return every row: unknown query parameters,
unknown filter values and unknown ordering fields answer 400 with the accepted ones listed.
"""

from __future__ import annotations

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field
from rest_framework import filters
from rest_framework.exceptions import ValidationError

# Parameters DRF itself reads on every endpoint (the browsable API's ?format=json).
GLOBAL_PARAMETERS = {"format"}


class KnownQueryParameters:
    """Refuses query parameters the endpoint does not read, and NUL characters (which PostgreSQL
    refuses in any string), before any other backend runs. Put it first in DEFAULT_FILTER_BACKENDS."""

    def filter_queryset(self, request, queryset, view):
        known = set(GLOBAL_PARAMETERS)
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is not None:
            known |= set(filterset_class.base_filters)
        if getattr(view, "search_fields", None):
            known.add(filters.SearchFilter.search_param)
        if getattr(view, "ordering_fields", None):
            known.add(filters.OrderingFilter.ordering_param)
        paginator = getattr(view, "paginator", None)
        if paginator is not None and getattr(view, "action", None) == "list":
            known |= {paginator.page_query_param, getattr(paginator, "page_size_query_param", None)} - {None}
        errors = {}
        for name, values in request.query_params.lists():
            if name not in known:
                errors[name] = [f"Unknown query parameter. This endpoint reads: {', '.join(sorted(known))}."]
            elif any("\x00" in value for value in values):
                errors[name] = ["The value contains a NUL character, which no field can hold."]
        if errors:
            raise ValidationError(errors)
        return queryset

    def get_schema_operation_parameters(self, view):
        return []


class SearchFilter(filters.SearchFilter):
    """?search= over the view's `search_fields`, or over `view.get_search_fields(request)` when the
    view has it (fields some users may not search, such as national ids)."""

    def get_search_fields(self, view, request):
        if hasattr(view, "get_search_fields"):
            return view.get_search_fields(request)
        return super().get_search_fields(view, request)


class OrderingFilter(filters.OrderingFilter):
    """?ordering=name,-start_date over the view's `ordering_fields`, a dict from the names clients
    use to the model lookups they sort by. An unknown name is refused; `id` always breaks ties, so
    that pages do not overlap or skip rows."""

    def _choices(self, view) -> dict[str, tuple[str, ...]]:
        return {
            name: (lookups,) if isinstance(lookups, str) else tuple(lookups)
            for name, lookups in getattr(view, "ordering_fields", {}).items()
        }

    def get_ordering(self, request, queryset, view):
        choices = self._choices(view)
        raw = request.query_params.get(self.ordering_param, "")
        terms = [term.strip() for term in raw.split(",") if term.strip()] or list(getattr(view, "ordering", []))
        unknown = [term for term in terms if term.lstrip("-") not in choices]
        if unknown:
            raise ValidationError(
                {
                    self.ordering_param: [
                        f"Cannot order by {', '.join(unknown)}. Choose from {', '.join(choices)}, "
                        "each optionally preceded by '-' for descending, separated by commas."
                    ]
                }
            )
        ordering = []
        for term in terms:
            descending = term.startswith("-")
            ordering += [f"-{lookup}" if descending else lookup for lookup in choices[term.lstrip("-")]]
        return [*ordering, "id"]

    def filter_queryset(self, request, queryset, view):
        if not getattr(view, "ordering_fields", None):
            return queryset
        return queryset.order_by(*self.get_ordering(request, queryset, view))

    def get_schema_operation_parameters(self, view):
        choices = list(self._choices(view))
        if not choices:
            return []
        default = ", ".join(getattr(view, "ordering", [])) or "id"
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": f"Sort by one of these (or several, separated by commas; '-' for descending). "
                f"Default: {default}.",
                "schema": {"type": "string", "enum": [*choices, *(f"-{name}" for name in choices)]},
            }
        ]


# ---------------------------------------------------------------------------------------------
# Filters the apps' FilterSets share.


class CodeFilter(django_filters.ModelChoiceFilter):
    """A reference by its code (?grade=P4, ?agency=MOH), refused with a message naming the code."""

    def __init__(self, *args, noun: str, **kwargs):
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault(
            "error_messages", {"invalid_choice": f"There is no {noun} with the code %(value)s (codes are exact)."}
        )
        kwargs.setdefault("help_text", f"The {noun}'s code.")
        super().__init__(*args, **kwargs)
        # The schema says what the parameter is even when a method does the filtering.
        extend_schema_field({"type": "string", "description": str(kwargs["help_text"])})(self)


class StrictBooleanField(forms.Field):
    def to_python(self, value):
        if value in (None, ""):
            return None
        lowered = str(value).strip().lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
        # The value goes in as a parameter: django-filter %-formats every message with its params,
        # so a "%" typed into the address must never be part of the message itself.
        raise forms.ValidationError(
            "Use true or false, not %(value)s.", code="invalid", params={"value": repr(str(value)[:40])}
        )


class BooleanFilter(django_filters.BooleanFilter):
    """true/false; anything else is refused (django-filter's own ignores it and returns every row)."""

    field_class = StrictBooleanField


class WholeNumberFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, min_value: int, max_value: int, **kwargs):
        super().__init__(*args, min_value=min_value, max_value=max_value, **kwargs)
        schema = {"type": "integer", "minimum": min_value, "maximum": max_value}
        extend_schema_field({**schema, "description": str(kwargs.get("help_text", ""))})(self)
