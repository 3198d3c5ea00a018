"""Paging for lists that read their rows in their own way."""

from __future__ import annotations


class Represented:
    """A filtered, ordered queryset as a paginator (Django's or DRF's) sees it: counted in SQL,
    and each page passed as a sliced queryset to `represent`, which returns the page's rows as
    the page shows them: read as plain values, say, or as other rows found through these."""

    def __init__(self, queryset, represent):
        self.queryset = queryset
        self.represent = represent

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, page: slice) -> list:
        return self.represent(self.queryset[page])
