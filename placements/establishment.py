"""Establishment and vacancy: the one place that says how many posts of a title an agency has
free. The dashboard, the agency pages, the headcount-and-vacancies report and the transfer rule
"vacant sanctioned post at the destination" all read it from here.

The vacancy of a position title at an agency on a day is

    sanctioned - filled - approved incoming + approved outgoing

- sanctioned: the title's posts in the agency's establishment (`SanctionedPost`);
- filled: the people placed there in that title now (open placements), whatever their status:
  people on leave or secondment keep their post;
- approved incoming: requests approved and not yet effected that bring someone to the agency in
  that title, WHATEVER their effective date: the post is promised from the approval on, and
  offering it to someone else would place one of the two over the establishment;
- approved outgoing: requests approved and not yet effected that take someone placed there in that
  title elsewhere, counted only when their effective date is ON OR BEFORE the day: the post is free
  from that day, and whoever leaves later still holds it until then.

So today's vacancy (dashboard, agency pages, reports) counts every approved arrival and the
departures due by today that the daily task has not effected yet; the transfer rule asks for the
vacancy on the move's effective date, so a departure approved for 1 July frees a post for a move
on or after 1 July, not for one on 1 June.

Per (agency, title) the difference is either vacant posts (positive) or people over the
establishment (negative: placed or arriving beyond the title's posts). A shortfall of one title is
never made up by a surplus of another, so an agency's or a set's `vacant` and `over` are the sums
of their titles' and `vacant - over = sanctioned - filled - incoming + outgoing` always holds.

Two queries whatever the number of people: the sanctioned posts grouped per (agency, title), and
one UNION of three grouped counts (current placements, approved incoming, approved outgoing).
Agencies and titles number in the hundreds, so the groups are combined here; correlated subqueries
doing it in SQL took 40-90 ms on the 50,000-professional data set.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, F, QuerySet, Sum, Value

from agencies.models import Agency, SanctionedPost

from .models import Placement, TransferRequest, TransferState

UNTITLED = "No title recorded"
FIGURES = ("sanctioned", "filled", "incoming", "outgoing", "vacant", "over")

# One establishment cell: (agency id, position title id); the title is None for people placed
# without one (never sanctioned, so always over).
Key = tuple[int, int | None]


def figures_empty() -> dict[str, int]:
    return dict.fromkeys(FIGURES, 0)


@dataclass(frozen=True)
class EstablishmentRow:
    """One title at one agency."""

    title_id: int | None
    title: str
    sanctioned: int
    filled: int
    incoming: int = 0
    outgoing: int = 0

    @property
    def difference(self) -> int:
        """Positive: posts vacant; negative: people placed or arriving over the establishment."""
        return self.sanctioned - self.filled - self.incoming + self.outgoing

    @property
    def vacant(self) -> int:
        return max(self.difference, 0)

    @property
    def over(self) -> int:
        return max(-self.difference, 0)

    def figures(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in FIGURES}


@dataclass
class Establishment:
    """Sanctioned, filled, approved incoming and approved outgoing per (agency, title) of a set of
    agencies on a day, read by `establishment_for`, with the vacancy they leave."""

    on: dt.date
    sanctioned: dict[Key, int]
    filled: dict[Key, int]
    incoming: dict[Key, int]
    outgoing: dict[Key, int]
    title_names: dict[int, str]

    def row(self, agency_id: int, title_id: int | None) -> EstablishmentRow:
        key = (agency_id, title_id)
        return EstablishmentRow(
            title_id,
            UNTITLED if title_id is None else self.title_names.get(title_id, ""),
            self.sanctioned.get(key, 0),
            self.filled.get(key, 0),
            self.incoming.get(key, 0),
            self.outgoing.get(key, 0),
        )

    @cached_property
    def _rows(self) -> dict[Key, EstablishmentRow]:
        keys = self.sanctioned.keys() | self.filled.keys() | self.incoming.keys() | self.outgoing.keys()
        return {key: self.row(*key) for key in keys}

    @staticmethod
    def _summed(rows: Iterable[EstablishmentRow]) -> dict[str, int]:
        total = figures_empty()
        for row in rows:
            for name in FIGURES:
                total[name] += getattr(row, name)
        return total

    @cached_property
    def _by_agency(self) -> dict[int, dict[str, int]]:
        rows: dict[int, list[EstablishmentRow]] = {}
        for (agency_id, _title_id), row in self._rows.items():
            rows.setdefault(agency_id, []).append(row)
        return {agency_id: self._summed(agency_rows) for agency_id, agency_rows in rows.items()}

    def figures(self, agency_id: int | None = None) -> dict[str, int]:
        """Sanctioned, filled, incoming, outgoing, vacant and over of one agency (its own posts,
        not its sub-agencies'), or of every agency read together."""
        if agency_id is None:
            return self._summed(self._rows.values())
        return dict(self._by_agency.get(agency_id) or figures_empty())

    def by_agency(self) -> dict[int, dict[str, int]]:
        """Each agency with any post, placement or approved move: its `figures`."""
        return {agency_id: dict(figures) for agency_id, figures in self._by_agency.items()}

    def by_title(self, agency_id: int) -> list[EstablishmentRow]:
        """The agency's own establishment per title, by title name: every title with a sanctioned
        post, someone placed or an approved move, then those placed without a title."""
        rows = sorted(
            (row for (agency, title), row in self._rows.items() if agency == agency_id and title is not None),
            key=lambda row: (row.title, row.title_id),
        )
        untitled = self._rows.get((agency_id, None))
        return rows + [untitled] if untitled else rows

    def figures_by_title(self) -> list[tuple[str, dict[str, int]]]:
        """Per title across all the agencies read, by title name: each agency's shortfall and
        surplus summed (a surplus in one agency fills no post in another)."""
        rows: dict[int | None, list[EstablishmentRow]] = {}
        for (_agency, title_id), row in self._rows.items():
            rows.setdefault(title_id, []).append(row)
        return sorted(
            ((title_rows[0].title, self._summed(title_rows)) for title_rows in rows.values()),
            key=lambda item: item[0],
        )

    def set_on(self, agencies: list[Agency]) -> list[Agency]:
        """Set each agency's own `figures` on it as attributes (`agency.vacant`, ...)."""
        for agency in agencies:
            for name, value in self.figures(agency.pk).items():
                setattr(agency, name, value)
        return agencies


def establishment_for(
    *, agency_ids: Iterable[int] | QuerySet, on: dt.date, exclude_request_id: int | None = None
) -> Establishment:
    """The establishment of these agencies (ids, or a `values("id")` queryset) on the day `on`,
    in two queries (see the module's docstring for what counts). `exclude_request_id` leaves one
    request out of the approved moves: the one whose own rules are being checked."""
    sanctioned, names = {}, {}
    for agency_id, title_id, title_name, number in (
        SanctionedPost.objects.filter(agency_id__in=agency_ids)
        .order_by()
        .values_list("agency_id", "position_title_id", "position_title__name")
        .annotate(n=Sum("number"))
    ):
        sanctioned[agency_id, title_id] = number
        names[title_id] = title_name

    approved = TransferRequest.objects.filter(state=TransferState.APPROVED)
    if exclude_request_id is not None:
        approved = approved.exclude(pk=exclude_request_id)
    filled = (
        Placement.objects.filter(end_date__isnull=True, agency_id__in=agency_ids)
        .order_by()
        .values_list("agency_id", "position_title_id", "position_title__name")
        # COUNT(*), not of the id: the partial index on (agency, title) answers it alone.
        .annotate(n=Count("*"), side=Value("filled"))
    )
    incoming = (
        approved.filter(receiving_agency_id__in=agency_ids)
        .order_by()
        .values_list("receiving_agency_id", "position_title_id", "position_title__name")
        .annotate(n=Count("*"), side=Value("incoming"))
    )
    # A leaver frees the post they hold now: their open placement at the releasing agency, in its
    # title (the request's title is the one at the destination).
    outgoing = (
        approved.filter(
            releasing_agency_id__in=agency_ids,
            effective_date__lte=on,
            professional__placements__end_date__isnull=True,
            professional__placements__agency_id=F("releasing_agency_id"),
        )
        .order_by()
        .values_list(
            "releasing_agency_id",
            "professional__placements__position_title_id",
            "professional__placements__position_title__name",
        )
        .annotate(n=Count("*"), side=Value("outgoing"))
    )
    counts: dict[str, dict[Key, int]] = {"filled": {}, "incoming": {}, "outgoing": {}}
    for agency_id, title_id, title_name, number, side in filled.union(incoming, outgoing, all=True):
        counts[side][agency_id, title_id] = number
        if title_id is not None:
            names[title_id] = title_name
    return Establishment(on=on, sanctioned=sanctioned, title_names=names, **counts)


def vacancy_at(
    *, agency_id: int, position_title_id: int, on: dt.date, exclude_request_id: int | None = None
) -> EstablishmentRow:
    """One title at one agency on the day `on` (the transfer rule's vacancy at the destination).
    Two queries."""
    establishment = establishment_for(agency_ids=[agency_id], on=on, exclude_request_id=exclude_request_id)
    return establishment.row(agency_id, position_title_id)
