"""Workforce figures computed in SQL, shared by the dashboard, the agency pages and the reports.

Every function takes a queryset that the caller has already scoped with `visible_to(user)`, so
the same figure means the same thing on every screen and in every file. Each runs a fixed number
of queries whatever the number of rows: counts and sums are grouped in the database (`annotate`,
conditional `Count`); Python at most combines the grouped rows (hundreds), never people.

Establishment and vacancy figures are not computed here: `placements.establishment` owns the one
formula (sanctioned - filled - approved incoming + approved outgoing, per agency and title) that
the dashboard, the agency pages, these reports and the transfer rules share.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import ExtractYear

from agencies.models import Agency, SanctionedPost
from core.dates import add_months
from placements.establishment import Establishment
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
# Establishment and vacancies (the figures: placements.establishment)


def most_short_staffed(agencies: QuerySet[Agency], *, establishment: Establishment, limit: int = 5) -> list[Agency]:
    """The active agencies with the most vacant posts, most first, each with its own `figures`
    from `establishment` (read for those agencies, or more) set on it. One query."""
    short = [agency_id for agency_id, figures in establishment.by_agency().items() if figures["vacant"] > 0]
    found = establishment.set_on(list(agencies.filter(dissolved_on__isnull=True, pk__in=short).select_related("kind")))
    found.sort(key=lambda agency: (-agency.vacant, agency.name))
    return found[:limit]


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
    until = add_months(today, months)
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
    `today`, oldest first, every year present. One query, on the same exit events as the
    attrition report (`exit_events`).

    `professionals` limits to those people; `agencies` to people who left while placed in one of
    those agencies (an exit ends the current placement on its date), which is how an agency
    head's figures are scoped: people who have left are no longer placed anywhere.
    """
    first_year = today.year - years + 1
    selection = Selection(agency_ids=agencies.values("id") if agencies is not None else None)
    events = exit_events(first_year, today.year, selection).filter(effective_date__lte=today)
    if professionals is not None:
        events = events.filter(professional__in=professionals.values("id"))
    rows = events.values("year", "kind").annotate(n=Count("id")).values_list("year", "kind", "n")
    result = {
        year: YearExits(year, dict.fromkeys(("resignation", "retirement", "other"), 0))
        for year in range(first_year, today.year + 1)
    }
    for year, kind, n in rows:  # at most years x 5 grouped rows, not one per person
        result[year].counts[EXIT_GROUPS[kind]] += n
    return list(result.values())


# ---------------------------------------------------------------------------------------------
# Attrition: headcounts at year ends, exits by reason, extraordinary leave, per year and group.
#
# Definitions (also printed on the report, see reports/documents.py):
# - In service at the end of a year: placed in an agency on 31 December (placement started on or
#   before that day and not ended by it; an exit ends the placement on its effective date, the
#   first day out of service). Headcount at the start of a year = headcount at the end of the
#   year before, so start + joiners - exits = end, and someone leaving on 1 January left that year.
# - Exits: resignation, retirement (superannuation), termination, death and leaving the ICT cadre,
#   by the effective date of the event, counted where the person was placed the day before.
#   Transfers and extraordinary leave are not exits.
# - Attrition rate of a year: exits / average of the headcounts at its start and end.


EXIT_REASONS = (
    (StatusEventKind.RESIGNATION, "Resignation"),
    (StatusEventKind.RETIREMENT, "Retirement"),
    (StatusEventKind.TERMINATION, "Termination"),
    (StatusEventKind.DEATH, "Death"),
    (StatusEventKind.LEFT_CADRE, "Left the ICT cadre"),
)
# (upper bound of completed years of service, label): the first band whose bound is not passed.
SERVICE_BANDS = (
    (2, "Under 3 years"),
    (5, "3-5 years"),
    (10, "6-10 years"),
    (20, "11-20 years"),
    (None, "Over 20 years"),
)
ATTRITION_DIMENSIONS = (
    ("agency_kind", "Agency kind"),
    ("agency", "Agency"),
    ("track", "Track"),
    ("category", "Grade category"),
    ("service", "Years of service"),
)


@dataclass(frozen=True)
class Selection:
    """Whom a report covers. `agency_ids` is the literal list of agencies (sub-agencies already
    expanded, see agencies.querysets.subtree_ids; None: every agency), `track_ids` and
    `grade_ids` limit people by their track and grade (None: all)."""

    agency_ids: tuple[int, ...] | None = None
    track_ids: tuple[int, ...] | None = None
    grade_ids: tuple[int, ...] | None = None

    def people(self, prefix: str = "") -> Q:
        q = Q()
        if self.track_ids is not None:
            q &= Q(**{f"{prefix}track_id__in": self.track_ids})
        if self.grade_ids is not None:
            q &= Q(**{f"{prefix}grade_id__in": self.grade_ids})
        return q

    def professionals_in(self, professionals: QuerySet[Professional]) -> QuerySet[Professional]:
        """`professionals` of the selection's tracks and grades, placed now in its agencies when it
        names some."""
        professionals = professionals.filter(self.people())
        if self.agency_ids is not None:
            professionals = professionals.filter(current_agency_id__in=self.agency_ids)
        return professionals

    def placements_in(self, placements: QuerySet[Placement]) -> QuerySet[Placement]:
        """`placements` of people of the selection's tracks and grades, in its agencies when it
        names some."""
        placements = placements.filter(self.people("professional__"))
        if self.agency_ids is not None:
            placements = placements.filter(agency_id__in=self.agency_ids)
        return placements


def service_band(years: int) -> str:
    for bound, label in SERVICE_BANDS:
        if bound is None or years <= bound:
            return label
    raise AssertionError("unreachable")


def _year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def _placements_in_period(selection: Selection, *, first_year: int, last_year: int) -> QuerySet[Placement]:
    """The selection's placements that overlap the years, in its agencies when it names some."""
    return selection.placements_in(
        Placement.objects.filter(start_date__lte=_year_end(last_year))
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=_year_end(first_year - 1)))
        .order_by()
    )


def _placed_on(day: dt.date) -> Q:
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gt=day))


def _agency_the_day_before():
    """On a StatusEvent: the agency where the person was placed the day before the event (an
    exit ends the placement on the event's date, so the placement ending that day counts)."""
    return Subquery(
        Placement.objects.filter(professional_id=OuterRef("professional_id"), start_date__lt=OuterRef("effective_date"))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("effective_date")))
        .order_by("-start_date")
        .values("agency_id")[:1]
    )


def _agency_on_the_day():
    """On a StatusEvent: the agency where the person was placed on the event's date."""
    return Subquery(
        Placement.objects.filter(
            professional_id=OuterRef("professional_id"), start_date__lte=OuterRef("effective_date")
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=OuterRef("effective_date")))
        .order_by("-start_date")
        .values("agency_id")[:1]
    )


def exit_events(first_year: int, last_year: int, selection: Selection, *, with_agency: bool = False) -> QuerySet:
    """The exits of the selection dated in those years, annotated with `year` (and with
    `agency_then`, where the person was placed when leaving, when `with_agency` or when the
    selection names agencies)."""
    events = StatusEvent.objects.filter(
        kind__in=EXIT_EVENTS,
        effective_date__gte=dt.date(first_year, 1, 1),
        effective_date__lte=_year_end(last_year),
    ).filter(selection.people("professional__"))
    if with_agency or selection.agency_ids is not None:
        events = events.annotate(agency_then=_agency_the_day_before())
    if selection.agency_ids is not None:
        events = events.filter(agency_then__in=selection.agency_ids)
    return events.annotate(year=ExtractYear("effective_date")).order_by()


@dataclass
class AttritionYear:
    """One year of one group (or of the whole selection)."""

    year: int
    start: int = 0
    end: int = 0
    exits: dict[str, int] = field(default_factory=lambda: {kind.value: 0 for kind, _ in EXIT_REASONS})
    eol_starts: int = 0
    eol_returns: int = 0

    @property
    def total_exits(self) -> int:
        return sum(self.exits.values())

    @property
    def average_headcount(self) -> float:
        return (self.start + self.end) / 2

    @property
    def rate(self) -> float | None:
        """Per cent, or None when nobody was in service."""
        average = self.average_headcount
        return 100 * self.total_exits / average if average else None


@dataclass
class AttritionGroup:
    key: str | int | None
    label: str
    years: list[AttritionYear]

    @property
    def total_exits(self) -> int:
        return sum(year.total_exits for year in self.years)

    @property
    def average_rate(self) -> float | None:
        """Exits of the period over the sum of the years' average headcounts, per cent: the
        average yearly rate weighted by headcount."""
        person_years = sum(year.average_headcount for year in self.years)
        return 100 * self.total_exits / person_years if person_years else None


@dataclass
class Attrition:
    first_year: int
    last_year: int
    years: list[AttritionYear]
    breakdowns: dict[str, list[AttritionGroup]]
    # The year's exits by grade code and by track name, for the summary's "most exits were ...".
    exits_by_grade: dict[int, dict[str, int]]
    exits_by_track: dict[int, dict[str, int]]


def attrition(selection: Selection, *, first_year: int, last_year: int, progress=None) -> Attrition:
    """Headcount at the start and end of each year, exits by reason, EOL starts and returns and
    the attrition rate, for the selection and broken down by agency kind, agency, track, grade
    category and years of service. Seven grouped queries (plus three that name the groups),
    whatever the number of people: Python only adds up the grouped rows."""
    from agencies.models import Agency
    from competencies.models import Track
    from professionals.models import Grade

    report = progress or (lambda percent, note: None)
    years = range(first_year, last_year + 1)
    boundaries = range(first_year - 1, last_year + 1)
    placements = _placements_in_period(selection, first_year=first_year, last_year=last_year)
    per_boundary = {f"y{y}": Count("id", filter=_placed_on(_year_end(y))) for y in boundaries}

    report(10, "Counting headcounts")
    # (agency, track, grade) -> {year end: headcount}
    heads = {
        (row["agency_id"], row["professional__track_id"], row["professional__grade_id"]): row
        for row in placements.values("agency_id", "professional__track_id", "professional__grade_id").annotate(
            **per_boundary
        )
    }
    appointed = ExtractYear("professional__first_appointment_date")
    heads_by_appointment = {
        row["appointed"]: row
        for row in placements.annotate(appointed=appointed).values("appointed").annotate(**per_boundary)
    }

    report(35, "Counting exits")
    exits = exit_events(first_year, last_year, selection, with_agency=True)
    exit_rows = list(
        exits.values_list("year", "kind", "agency_then", "professional__track_id", "professional__grade_id").annotate(
            n=Count("id")
        )
    )
    exit_rows_by_appointment = list(
        exit_events(first_year, last_year, selection)
        .annotate(appointed=ExtractYear("professional__first_appointment_date"))
        .values_list("year", "kind", "appointed")
        .annotate(n=Count("id"))
    )

    report(55, "Counting extraordinary leave")
    leave = _eol_starts_and_returns(first_year, last_year, selection)

    report(65, "Naming the groups")
    agency_ids = {key[0] for key in heads} | {row[2] for row in exit_rows if row[2] is not None}
    agencies = {
        a["id"]: a
        for a in Agency.objects.filter(pk__in=agency_ids).values(
            "id", "name", "code", "kind_id", "kind__plural_name", "kind__sort_order"
        )
    }
    grades = {
        g["id"]: g
        for g in Grade.objects.values("id", "code", "rank", "category_id", "category__name", "category__sort_order")
    }
    tracks = {t["id"]: t for t in Track.objects.values("id", "name", "sort_order")}

    def key_of(dimension, agency_id, track_id, grade_id):
        if dimension == "agency":
            return agency_id
        if dimension == "agency_kind":
            return agencies[agency_id]["kind_id"] if agency_id in agencies else None
        if dimension == "track":
            return track_id
        return grades[grade_id]["category_id"] if grade_id in grades else None

    groups: dict[str, dict] = {dimension: {} for dimension, _ in ATTRITION_DIMENSIONS}
    total = {y: AttritionYear(y) for y in years}

    def cell(dimension, key, year) -> AttritionYear:
        by_year = groups[dimension].get(key)
        if by_year is None:
            by_year = groups[dimension][key] = {y: AttritionYear(y) for y in years}
        return by_year[year]

    for (agency_id, track_id, grade_id), row in heads.items():
        keys = [(d, key_of(d, agency_id, track_id, grade_id)) for d in ("agency", "agency_kind", "track", "category")]
        for year in years:
            start, end = row[f"y{year - 1}"], row[f"y{year}"]
            if not (start or end):
                continue
            total[year].start += start
            total[year].end += end
            for dimension, key in keys:
                target = cell(dimension, key, year)
                target.start += start
                target.end += end
    for appointed, row in heads_by_appointment.items():
        for year in years:
            target = cell("service", service_band(year - appointed), year)
            target.start += row[f"y{year - 1}"]
            target.end += row[f"y{year}"]

    exits_by_grade: dict[int, dict[str, int]] = {y: {} for y in years}
    exits_by_track: dict[int, dict[str, int]] = {y: {} for y in years}
    for year, kind, agency_id, track_id, grade_id, n in exit_rows:
        total[year].exits[kind] += n
        for dimension in ("agency", "agency_kind", "track", "category"):
            cell(dimension, key_of(dimension, agency_id, track_id, grade_id), year).exits[kind] += n
        grade_code = grades[grade_id]["code"] if grade_id in grades else "?"
        exits_by_grade[year][grade_code] = exits_by_grade[year].get(grade_code, 0) + n
        track_name = tracks[track_id]["name"] if track_id in tracks else UNSET_LABELS["track"]
        exits_by_track[year][track_name] = exits_by_track[year].get(track_name, 0) + n
    for year, kind, appointed, n in exit_rows_by_appointment:
        cell("service", service_band(year - appointed), year).exits[kind] += n
    for year, kind, n in leave:
        if kind == StatusEventKind.EOL:
            total[year].eol_starts += n
        else:
            total[year].eol_returns += n

    def label(dimension, key) -> tuple[tuple, str]:
        """(sort key, label) of a group."""
        if dimension == "agency":
            a = agencies.get(key)
            return ((a is None, a["name"] if a else ""), f"{a['name']} ({a['code']})" if a else "Not placed")
        if dimension == "agency_kind":
            kind = next((a for a in agencies.values() if a["kind_id"] == key), None)
            return (
                (kind is None, kind["kind__sort_order"] if kind else 0),
                kind["kind__plural_name"] if kind else "Not placed",
            )
        if dimension == "track":
            t = tracks.get(key)
            return (
                (t is None, t["sort_order"] if t else 0, t["name"] if t else ""),
                t["name"] if t else UNSET_LABELS["track"],
            )
        if dimension == "category":
            g = next((g for g in grades.values() if g["category_id"] == key), None)
            return ((g is None, g["category__sort_order"] if g else 0), g["category__name"] if g else "No category")
        order = [band for _, band in SERVICE_BANDS]
        return ((order.index(key),), key)

    breakdowns = {}
    for dimension, by_key in groups.items():
        labelled = sorted(
            ((label(dimension, key), key, by_year) for key, by_year in by_key.items()), key=lambda g: g[0][0]
        )
        breakdowns[dimension] = [
            AttritionGroup(key, name, list(by_year.values())) for (_, name), key, by_year in labelled
        ]
    report(75, "Figures computed")
    return Attrition(
        first_year=first_year,
        last_year=last_year,
        years=list(total.values()),
        breakdowns=breakdowns,
        exits_by_grade=exits_by_grade,
        exits_by_track=exits_by_track,
    )


def _eol_starts_and_returns(first_year: int, last_year: int, selection: Selection) -> list[tuple[int, str, int]]:
    """(year, kind, n) of extraordinary leave started and of returns from it. One query: a return
    counts when the leave it ends (the person's latest leave before it) was extraordinary leave."""
    leave_before = (
        StatusEvent.objects.filter(
            professional_id=OuterRef("professional_id"),
            kind__in=LEAVE_EVENTS,
            effective_date__lte=OuterRef("effective_date"),
        )
        .exclude(pk=OuterRef("pk"))
        .order_by("-effective_date", "-id")
        .values("kind")[:1]
    )
    events = (
        StatusEvent.objects.filter(
            kind__in=(StatusEventKind.EOL, StatusEventKind.RETURN),
            effective_date__gte=dt.date(first_year, 1, 1),
            effective_date__lte=_year_end(last_year),
        )
        .filter(selection.people("professional__"))
        .annotate(ended=Subquery(leave_before))
        .filter(Q(kind=StatusEventKind.EOL) | Q(ended=StatusEventKind.EOL))
    )
    if selection.agency_ids is not None:
        events = events.annotate(agency_then=_agency_on_the_day()).filter(agency_then__in=selection.agency_ids)
    return list(
        events.annotate(year=ExtractYear("effective_date"))
        .order_by()
        .values_list("year", "kind")
        .annotate(n=Count("id"))
    )


# ---------------------------------------------------------------------------------------------
# Capacity projection: supply carried forward year by year against demand.

RATE_YEARS = 3  # the trailing window of the expected attrition rate


@dataclass
class ProjectionYear:
    year: int
    start: float = 0.0
    superannuations: int = 0
    expected_exits: float = 0.0
    recruitment: int = 0
    end: float = 0.0
    demand: int | None = None

    @property
    def gap(self) -> float | None:
        """Posts the supply leaves unfilled at the end of the year (negative: more people than posts)."""
        return None if self.demand is None else self.demand - self.end

    def add(self, other: ProjectionYear) -> None:
        self.start += other.start
        self.superannuations += other.superannuations
        self.expected_exits += other.expected_exits
        self.recruitment += other.recruitment
        self.end += other.end


@dataclass
class ProjectionGroup:
    key: int | None
    label: str
    years: list[ProjectionYear]


@dataclass(frozen=True)
class TrackRate:
    track_id: int | None
    label: str
    rate: float  # per cent a year
    exits: int
    person_years: float
    source: str


@dataclass
class Projection:
    start_year: int
    years: int
    today: dt.date
    rates: list[TrackRate]
    total: list[ProjectionYear]
    by_agency: list[ProjectionGroup]
    by_track: list[ProjectionGroup]
    demand_shown: bool
    rate_window: tuple[int, int]

    @property
    def plan_years(self) -> list[int]:
        return list(range(self.start_year, self.start_year + self.years))


def track_attrition_rates(
    selection: Selection, *, first_year: int, last_year: int
) -> tuple[dict[int | None, tuple[int, float]], tuple[int, float]]:
    """Exits other than retirement and person-years (sum of the years' average headcounts) per
    track over those years, and for all tracks together. Two grouped queries."""
    placements = _placements_in_period(selection, first_year=first_year, last_year=last_year)
    boundaries = range(first_year - 1, last_year + 1)
    heads = placements.values("professional__track_id").annotate(
        **{f"y{y}": Count("id", filter=_placed_on(_year_end(y))) for y in boundaries}
    )
    person_years: dict[int | None, float] = {}
    for row in heads:
        person_years[row["professional__track_id"]] = sum(
            (row[f"y{y - 1}"] + row[f"y{y}"]) / 2 for y in range(first_year, last_year + 1)
        )
    exits = dict(
        exit_events(first_year, last_year, selection)
        .exclude(kind=StatusEventKind.RETIREMENT)
        .values_list("professional__track_id")
        .annotate(n=Count("id"))
        .values_list("professional__track_id", "n")
    )
    per_track = {track: (exits.get(track, 0), person_years.get(track, 0.0)) for track in set(person_years) | set(exits)}
    overall = (sum(e for e, _ in per_track.values()), sum(p for _, p in per_track.values()))
    return per_track, overall


def capacity_projection(
    selection: Selection,
    *,
    start_year: int,
    years: int,
    today: dt.date,
    rate_overrides: dict[int | None, float] | None = None,
    progress=None,
) -> Projection:
    """Supply and demand per agency and track for each year from the current one to the plan's
    end, with government totals. A dozen grouped queries whatever the number of people.

    Supply at the start = people in service now (by their current agency and track). Each year:
    minus the superannuations (stored superannuation dates, which follow the retirement-age rule
    in force on the day the person reaches its age, so a rule change within the period counts),
    minus expected other exits (the track's trailing three-year rate of exits other than
    retirement, times the supply left after superannuations; the current year only for the part
    of it still to come), plus planned recruitment. Demand = sanctioned posts plus planned growth
    up to that year; gap = demand - supply at the year's end.
    """
    from agencies.models import Agency
    from competencies.models import Track

    from .models import PlannedGrowth, PlannedRecruitment

    report = progress or (lambda percent, note: None)
    current_year = today.year
    last_year = start_year + years - 1
    projected = range(current_year, last_year + 1)
    rate_overrides = rate_overrides or {}

    report(10, "Reading the people in service")
    people = selection.professionals_in(
        Professional.objects.filter(status__in=IN_SERVICE_STATUSES, current_agency__isnull=False)
    ).order_by()
    heads = {
        (agency, track): n
        for agency, track, n in people.values_list("current_agency_id", "track_id").annotate(n=Count("id"))
    }
    supers: dict[tuple[int, int | None, int], int] = {}
    for agency, track, year, n in (
        people.filter(superannuation_date__lte=_year_end(last_year))
        .annotate(year=ExtractYear("superannuation_date"))
        .values_list("current_agency_id", "track_id", "year")
        .annotate(n=Count("id"))
    ):
        # Overdue superannuations (the person is still recorded in service) fall due this year.
        key = (agency, track, max(year, current_year))
        supers[key] = supers.get(key, 0) + n

    report(30, "Computing the trailing attrition rates")
    rate_window = (current_year - RATE_YEARS, current_year - 1)
    per_track, (all_exits, all_person_years) = track_attrition_rates(
        selection, first_year=rate_window[0], last_year=rate_window[1]
    )
    overall_rate = 100 * all_exits / all_person_years if all_person_years else 0.0

    report(50, "Reading the plans")
    recruitment: dict[tuple[int, int | None, int], int] = {}
    planned = PlannedRecruitment.objects.filter(year__gte=current_year, year__lte=last_year)
    if selection.track_ids is not None:
        planned = planned.filter(track_id__in=selection.track_ids)
    if selection.agency_ids is not None:
        planned = planned.filter(agency_id__in=selection.agency_ids)
    for agency, track, year, n in (
        planned.order_by().values_list("agency_id", "track_id", "year").annotate(n=Sum("number"))
    ):
        recruitment[agency, track, year] = n
    demand_shown = selection.track_ids is None and selection.grade_ids is None
    sanctioned: dict[int, int] = {}
    growth: dict[tuple[int, int], int] = {}
    agencies_in_plan = Agency.objects.active()
    if selection.agency_ids is not None:
        agencies_in_plan = agencies_in_plan.filter(pk__in=selection.agency_ids)
    if demand_shown:
        sanctioned = dict(
            SanctionedPost.objects.filter(agency__in=agencies_in_plan.values("id"))
            .order_by()
            .values_list("agency_id")
            .annotate(n=Sum("number"))
            .values_list("agency_id", "n")
        )
        for agency, year, n in (
            # Growth of past years is part of the sanctioned posts by now: only the years projected count.
            PlannedGrowth.objects.filter(
                agency__in=agencies_in_plan.values("id"), year__gte=current_year, year__lte=last_year
            )
            .order_by()
            .values_list("agency_id", "year")
            .annotate(n=Sum("posts"))
        ):
            growth[agency, year] = n

    report(65, "Carrying the supply forward")
    track_names = {t["id"]: t for t in Track.objects.values("id", "name", "sort_order")}
    rates: dict[int | None, float] = {}
    rate_rows = []
    for track in sorted(
        set(per_track) | {t for _, t in heads} | {t for _, t, _ in recruitment},
        key=lambda t: (t is None, track_names.get(t, {}).get("sort_order", 0), track_names.get(t, {}).get("name", "")),
    ):
        exits, person_years = per_track.get(track, (0, 0.0))
        label = track_names[track]["name"] if track in track_names else UNSET_LABELS["track"]
        if track in rate_overrides:
            rate, source = rate_overrides[track], "set for this run"
        elif person_years:
            rate, source = 100 * exits / person_years, f"{exits} exits over {person_years:g} person-years"
        else:
            rate, source = overall_rate, "no history in the window: the rate of all tracks"
        rates[track] = rate
        rate_rows.append(TrackRate(track, label, rate, exits, person_years, source))

    cells: dict[tuple[int, int | None], list[ProjectionYear]] = {}
    for agency, track in set(heads) | {(a, t) for a, t, _ in supers} | {(a, t) for a, t, _ in recruitment}:
        supply = float(heads.get((agency, track), 0))
        row = []
        for year in projected:
            if year == current_year:
                days = (_year_end(year) - dt.date(year, 1, 1)).days + 1
                share = ((_year_end(year) - today).days + 1) / days
            else:
                share = 1.0
            step = ProjectionYear(
                year,
                start=supply,
                superannuations=supers.get((agency, track, year), 0),
                recruitment=recruitment.get((agency, track, year), 0),
            )
            staying = max(supply - step.superannuations, 0.0)
            step.expected_exits = staying * rates.get(track, overall_rate) / 100 * share
            step.end = supply = max(staying - step.expected_exits + step.recruitment, 0.0)
            row.append(step)
        cells[agency, track] = row

    agency_ids = {a for a, _ in cells} | set(sanctioned)
    names = {a["id"]: a for a in Agency.objects.filter(pk__in=agency_ids).values("id", "name", "code")}

    def summed(keys) -> list[ProjectionYear]:
        out = [ProjectionYear(year) for year in projected]
        for key in keys:
            for target, step in zip(out, cells[key], strict=True):
                target.add(step)
        return out

    by_agency = []
    for agency in sorted(agency_ids, key=lambda a: (names[a]["name"], a)):
        row = summed([key for key in cells if key[0] == agency])
        if demand_shown:
            posts = sanctioned.get(agency, 0)
            for step in row:
                posts += growth.get((agency, step.year), 0)
                step.demand = posts
        by_agency.append(ProjectionGroup(agency, f"{names[agency]['name']} ({names[agency]['code']})", row))
    by_track = [
        ProjectionGroup(rate.track_id, rate.label, summed([key for key in cells if key[1] == rate.track_id]))
        for rate in rate_rows
    ]
    total = summed(list(cells))
    if demand_shown:
        base = sum(sanctioned.values())
        for step in total:
            base += sum(n for (_, year), n in growth.items() if year == step.year)
            step.demand = base
    report(75, "Projection computed")
    return Projection(
        start_year=start_year,
        years=years,
        today=today,
        rates=rate_rows,
        total=total,
        by_agency=by_agency,
        by_track=by_track,
        demand_shown=demand_shown,
        rate_window=rate_window,
    )
