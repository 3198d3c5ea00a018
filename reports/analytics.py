"""Workforce figures computed in SQL, shared by the dashboard, the agency pages and the reports.

Every function takes a queryset that the caller has already scoped with `visible_to(user)`, so
the same figure means the same thing on every screen and in every file. Each runs a fixed number
of queries whatever the number of rows: counts and sums are grouped in the database (`annotate`,
conditional `Count`, correlated subqueries), never summed over model instances in Python.

Vacancies follow the establishment per position title: an agency with 3 sanctioned ICT Officer
posts and 1 ICT Officer placed has 2 vacant posts, whatever other titles it holds; placing more
people of a title than sanctioned counts as "over" the establishment and does not fill another
title's vacancy. Approved incoming transfers are not subtracted yet (they arrive with the
transfer workflow).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear, Greatest

from agencies.models import Agency, SanctionedPost
from placements.models import Placement
from professionals.models import (
    EXIT_EVENTS,
    IN_SERVICE_STATUSES,
    LEAVE_EVENTS,
    Professional,
    Status,
    StatusEvent,
    StatusEventKind,
)

ZERO = Value(0, output_field=IntegerField())


@dataclass(frozen=True)
class Bucket:
    """One bar of a breakdown: a key (code or id), what people read, and how many."""

    key: str | int | None
    label: str
    count: int


# ---------------------------------------------------------------------------------------------
# Headcount


def headcount_totals(professionals: QuerySet[Professional]) -> dict[str, int]:
    """People in service and how many of them are on leave, in one query."""
    return professionals.aggregate(
        in_service=Count("id", filter=Q(status__in=IN_SERVICE_STATUSES)),
        active=Count("id", filter=Q(status=Status.ACTIVE)),
        eol=Count("id", filter=Q(status=Status.EOL)),
        study_leave=Count("id", filter=Q(status=Status.STUDY_LEAVE)),
        seconded=Count("id", filter=Q(status=Status.SECONDED)),
    )


# dimension -> (key field, label field, ordering) on Professional
_PROFESSIONAL_DIMENSIONS = {
    "grade": ("grade__code", "grade__code", ("-grade__rank",)),
    "category": ("grade__category__code", "grade__category__name", ("grade__category__sort_order",)),
    "track": ("track__code", "track__name", ("track__sort_order", "track__name")),
    "position_title": ("position_title__code", "position_title__name", ("position_title__name",)),
}
UNSET_LABELS = {
    "grade": "No grade",
    "category": "No category",
    "track": "No track yet",
    "position_title": "No title recorded",
    "agency_kind": "Not placed",
}


def headcount_by(professionals: QuerySet[Professional], dimension: str) -> list[Bucket]:
    """In-service headcount grouped by `dimension`: "agency_kind" (of the current placement),
    "grade", "category", "track" or "position_title". One query."""
    people = professionals.filter(status__in=IN_SERVICE_STATUSES)
    if dimension == "agency_kind":
        # Those placed nowhere (none in service, normally) are left out, as before.
        rows = (
            people.filter(current_agency__isnull=False)
            .order_by()
            .values(
                "current_agency__kind__code", "current_agency__kind__plural_name", "current_agency__kind__sort_order"
            )
            .annotate(n=Count("id"))
            .order_by("current_agency__kind__sort_order")
        )
        return [Bucket(r["current_agency__kind__code"], r["current_agency__kind__plural_name"], r["n"]) for r in rows]
    key, label, ordering = _PROFESSIONAL_DIMENSIONS[dimension]
    rows = people.order_by().values(key, label, *(o.lstrip("-") for o in ordering)).annotate(n=Count("id"))
    # Those without a value (no track yet) come last on every database.
    rows = rows.order_by(
        *(F(o[1:]).desc(nulls_last=True) if o.startswith("-") else F(o).asc(nulls_last=True) for o in ordering)
    )
    return [Bucket(r[key], r[label] or UNSET_LABELS[dimension], r["n"]) for r in rows]


@dataclass
class HeadcountSummary:
    totals: dict[str, int]
    by_agency_kind: list[Bucket]
    by_track: list[Bucket]
    by_grade: list[Bucket]


def headcount_summary(professionals: QuerySet[Professional]) -> HeadcountSummary:
    """`headcount_totals` and `headcount_by` agency kind, track and grade together, from ONE scan
    of the people in service grouped by status, agency kind, track and grade (at most a few
    thousand groups, summed here), plus the three small tables that name the groups. Four
    separate aggregates read the 50,000 rows four times (about 100 ms); this reads them once."""
    from agencies.models import AgencyKind
    from competencies.models import Track
    from professionals.models import Grade

    groups = (
        professionals.filter(status__in=IN_SERVICE_STATUSES)
        .order_by()
        .values_list("status", "current_agency__kind_id", "track_id", "grade_id")
        .annotate(n=Count("id"))
    )
    totals = dict.fromkeys(("in_service", "active", "eol", "study_leave", "seconded"), 0)
    kinds: dict[int, int] = {}
    tracks: dict[int | None, int] = {}
    grades: dict[int, int] = {}
    for status, kind_id, track_id, grade_id, n in groups:
        totals["in_service"] += n
        totals[status] += n
        if kind_id is not None:  # placed nowhere: left out, as headcount_by does
            kinds[kind_id] = kinds.get(kind_id, 0) + n
        tracks[track_id] = tracks.get(track_id, 0) + n
        grades[grade_id] = grades.get(grade_id, 0) + n
    track_rows = sorted(Track.objects.filter(pk__in=[t for t in tracks if t]), key=lambda t: (t.sort_order, t.name))
    by_track = [Bucket(t.code, t.name, tracks[t.pk]) for t in track_rows]
    if None in tracks:
        by_track.append(Bucket(None, UNSET_LABELS["track"], tracks[None]))
    return HeadcountSummary(
        totals=totals,
        by_agency_kind=[
            Bucket(k.code, k.plural_name, kinds[k.pk])
            for k in AgencyKind.objects.filter(pk__in=kinds).order_by("sort_order", "pk")
        ],
        by_track=by_track,
        by_grade=[Bucket(g.code, g.code, grades[g.pk]) for g in Grade.objects.filter(pk__in=grades).order_by("-rank")],
    )


def current_agency_name():
    """An annotation: the name of the agency where a professional is placed now (or None)."""
    return F("current_agency__name")


# ---------------------------------------------------------------------------------------------
# Establishment and vacancies


def _filled_subquery(**outer):
    """Current placements counted per agency (and title), correlated on the outer row."""
    return Coalesce(
        Subquery(
            Placement.objects.filter(end_date__isnull=True, **outer)
            .order_by()
            .values("agency_id")
            .annotate(c=Count("id"))
            .values("c"),
            output_field=IntegerField(),
        ),
        ZERO,
    )


def with_establishment(agencies: QuerySet[Agency]) -> QuerySet[Agency]:
    """Annotate each agency with its own (not its sub-agencies') `sanctioned` posts, `filled`
    posts (current placements), `vacant` posts (shortfall per title, summed) and `over`
    (people placed beyond the establishment of their title)."""
    sanctioned = Coalesce(
        Subquery(
            SanctionedPost.objects.filter(agency_id=OuterRef("pk"))
            .order_by()
            .values("agency_id")
            .annotate(s=Sum("number"))
            .values("s"),
            output_field=IntegerField(),
        ),
        ZERO,
    )
    per_title_shortfall = (
        SanctionedPost.objects.filter(agency_id=OuterRef("pk"))
        .order_by()
        .values("agency_id")
        .annotate(v=Sum(_title_shortfall()))
        .values("v")
    )
    return agencies.annotate(
        sanctioned=sanctioned,
        filled=_filled_subquery(agency_id=OuterRef("pk")),
        vacant=Coalesce(Subquery(per_title_shortfall, output_field=IntegerField()), ZERO),
    ).annotate(
        # Sum over titles of min(sanctioned, filled) is sanctioned - vacant; the rest is over.
        over=F("filled") - (F("sanctioned") - F("vacant")),
    )


def _title_shortfall():
    """On a SanctionedPost row: how many of its posts no one fills (never below zero)."""
    filled = _filled_subquery(agency_id=OuterRef("agency_id"), position_title_id=OuterRef("position_title_id"))
    return Greatest(F("number") - filled, ZERO)


@dataclass
class Establishment:
    """Sanctioned posts and current placements of a set of agencies, per (agency, title): two
    grouped queries, whatever the number of people. Agencies and titles number in the hundreds at
    most, so combining the groups here costs less than the correlated subqueries that did it in SQL
    (those took 40-90 ms on the 50,000-professional data set)."""

    sanctioned: dict[tuple[int, int], int]
    filled: dict[tuple[int, int | None], int]
    title_names: dict[int, str]

    @classmethod
    def of(cls, agency_ids) -> Establishment:
        sanctioned, filled, names = {}, {}, {}
        for agency_id, title_id, title_name, number in (
            SanctionedPost.objects.filter(agency_id__in=agency_ids)
            .order_by()
            .values_list("agency_id", "position_title_id", "position_title__name")
            .annotate(n=Sum("number"))
        ):
            sanctioned[agency_id, title_id] = number
            names[title_id] = title_name
        for agency_id, title_id, title_name, count in (
            Placement.objects.filter(end_date__isnull=True, agency_id__in=agency_ids)
            .order_by()
            .values_list("agency_id", "position_title_id", "position_title__name")
            .annotate(n=Count("id"))
        ):
            filled[agency_id, title_id] = count
            if title_id is not None:
                names[title_id] = title_name
        return cls(sanctioned=sanctioned, filled=filled, title_names=names)

    def figures(self, agency_id: int | None = None) -> dict[str, int]:
        """Sanctioned, filled, vacant (shortfall per title, summed) and over (people beyond their
        title's establishment) for one agency, or for all of them together."""

        def mine(key):
            return agency_id is None or key[0] == agency_id

        sanctioned = sum(n for key, n in self.sanctioned.items() if mine(key))
        filled = sum(n for key, n in self.filled.items() if mine(key))
        vacant = sum(max(n - self.filled.get(key, 0), 0) for key, n in self.sanctioned.items() if mine(key))
        return {"sanctioned": sanctioned, "filled": filled, "vacant": vacant, "over": filled - (sanctioned - vacant)}

    def by_agency(self) -> dict[int, dict[str, int]]:
        agency_ids = {key[0] for key in self.sanctioned} | {key[0] for key in self.filled}
        return {agency_id: self.figures(agency_id) for agency_id in agency_ids}

    def by_title(self, agency_id: int) -> list[EstablishmentRow]:
        """The agency's own establishment per position title, by title name: every title with a
        sanctioned row or someone placed in it, then those placed without a title."""
        title_ids = {title for agency, title in self.sanctioned if agency == agency_id} | {
            title for agency, title in self.filled if agency == agency_id and title is not None
        }
        rows = sorted(
            (
                EstablishmentRow(
                    title_id,
                    self.title_names[title_id],
                    self.sanctioned.get((agency_id, title_id), 0),
                    self.filled.get((agency_id, title_id), 0),
                )
                for title_id in title_ids
            ),
            key=lambda row: (row.title, row.title_id),
        )
        untitled = self.filled.get((agency_id, None), 0)
        if untitled:
            rows.append(EstablishmentRow(None, UNSET_LABELS["position_title"], 0, untitled))
        return rows


def vacancy_totals(agencies: QuerySet[Agency]) -> dict[str, int]:
    """Sanctioned, filled, vacant and over for a set of agencies together, in two queries."""
    return Establishment.of(agencies.values("id")).figures()


def most_short_staffed(
    agencies: QuerySet[Agency], *, limit: int = 5, establishment: Establishment | None = None
) -> list[Agency]:
    """The agencies with the most vacant posts, most first, each with `sanctioned`, `filled`,
    `vacant` and `over` set as `with_establishment` annotates them. Three queries, or one when
    given the `establishment` of those agencies already read."""
    agencies = agencies.filter(dissolved_on__isnull=True)
    by_agency = (establishment or Establishment.of(agencies.values("id"))).by_agency()
    short = {agency_id: figures for agency_id, figures in by_agency.items() if figures["vacant"] > 0}
    found = list(agencies.filter(pk__in=short).select_related("kind"))
    for agency in found:
        for name, value in short[agency.pk].items():
            setattr(agency, name, value)
    found.sort(key=lambda agency: (-agency.vacant, agency.name))
    return found[:limit]


@dataclass(frozen=True)
class EstablishmentRow:
    title_id: int | None
    title: str
    sanctioned: int
    filled: int

    @property
    def difference(self) -> int:
        """Positive: posts vacant; negative: people placed over the establishment."""
        return self.sanctioned - self.filled

    @property
    def vacant(self) -> int:
        return max(self.difference, 0)

    @property
    def over(self) -> int:
        return max(-self.difference, 0)


def establishment_by_title(agency: Agency) -> list[EstablishmentRow]:
    """One agency's establishment per position title (see `Establishment.by_title`). Two queries."""
    return Establishment.of([agency.pk]).by_title(agency.pk)


# ---------------------------------------------------------------------------------------------
# Leave, superannuation, exits


def on_leave_returning(
    professionals: QuerySet[Professional], *, today: dt.date, within_days: int = 90, limit: int = 8
) -> list[Professional]:
    """People on leave or secondment due back within `within_days` (or overdue), soonest first,
    annotated with `expected_back`, `leave_kind` and `agency_name`. One query."""
    latest_leave = StatusEvent.objects.filter(professional_id=OuterRef("pk"), kind__in=LEAVE_EVENTS).order_by(
        "-effective_date", "-id"
    )
    return list(
        professionals.filter(status__in=(Status.EOL, Status.STUDY_LEAVE, Status.SECONDED))
        .annotate(
            expected_back=Subquery(latest_leave.values("expected_end")[:1]),
            leave_kind=Subquery(latest_leave.values("kind")[:1]),
            agency_name=current_agency_name(),
        )
        .filter(expected_back__lte=today + dt.timedelta(days=within_days))
        .order_by("expected_back", "first_name")[:limit]
    )


def superannuating_within(professionals: QuerySet[Professional], *, today: dt.date, months: int = 12):
    """In-service people whose superannuation date falls in the next `months` months."""
    until = _add_months(today, months)
    return professionals.filter(
        status__in=IN_SERVICE_STATUSES, superannuation_date__gte=today, superannuation_date__lt=until
    )


def superannuation_list(professionals: QuerySet[Professional], *, today: dt.date, months: int = 12, limit: int = 8):
    """The first `limit` of them, soonest first, with grade and current agency name."""
    return list(
        superannuating_within(professionals, today=today, months=months)
        .select_related("grade", "position_title")
        .annotate(agency_name=current_agency_name())
        .order_by("superannuation_date", "first_name")[:limit]
    )


@dataclass
class YearExits:
    year: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


EXIT_GROUPS = {
    # The chart shows three series: the two that planning cares about, and the rest.
    StatusEventKind.RESIGNATION: "resignation",
    StatusEventKind.RETIREMENT: "retirement",
    StatusEventKind.TERMINATION: "other",
    StatusEventKind.DEATH: "other",
    StatusEventKind.LEFT_CADRE: "other",
}


def exits_per_year(
    *,
    years: int,
    today: dt.date,
    professionals: QuerySet[Professional] | None = None,
    agencies: QuerySet[Agency] | None = None,
) -> list[YearExits]:
    """Exits (resignation, retirement, other) per calendar year for the last `years` years up to
    `today`, oldest first, every year present. One query.

    `professionals` limits to those people; `agencies` to people who left while placed in one of
    those agencies (an exit ends the current placement on its date), which is how an agency
    head's figures are scoped: people who have left are no longer placed anywhere.
    """
    first_year = today.year - years + 1
    events = StatusEvent.objects.filter(
        kind__in=EXIT_EVENTS, effective_date__gte=dt.date(first_year, 1, 1), effective_date__lte=today
    )
    if professionals is not None:
        events = events.filter(professional__in=professionals.values("id"))
    if agencies is not None:
        events = events.filter(
            Exists(
                Placement.objects.filter(
                    professional_id=OuterRef("professional_id"),
                    end_date=OuterRef("effective_date"),
                    agency__in=agencies.values("id"),
                )
            )
        )
    rows = (
        events.annotate(year=ExtractYear("effective_date"))
        .order_by()
        .values("year", "kind")
        .annotate(n=Count("id"))
        .values_list("year", "kind", "n")
    )
    result = {
        year: YearExits(year, dict.fromkeys(("resignation", "retirement", "other"), 0))
        for year in range(first_year, today.year + 1)
    }
    for year, kind, n in rows:  # at most years x 5 grouped rows, not one per person
        result[year].counts[EXIT_GROUPS[kind]] += n
    return list(result.values())


def _add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it has fewer days."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
