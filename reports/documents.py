"""Each report kind as a `Document`: a summary in plain words, the definitions and assumptions it
rests on, its charts and its tables. The same document is rendered to PDF, Excel and CSV
(reports/rendering.py), so the three formats never disagree.

The figures come from `reports.analytics` (grouped SQL); building the tables only combines the
grouped rows, except the roster, which is the list of people itself (read with one query for the
people and one for their placements).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from agencies.models import SiteSettings
from placements.establishment import establishment_for, figures_empty

from . import analytics
from .analytics import ATTRITION_DIMENSIONS, EXIT_REASONS, Selection
from .charts import StackedBarChart, stacked_bar_chart
from .models import ReportKind

TEXT, INT, DECIMAL, PERCENT, DATE = "text", "int", "decimal", "percent", "date"


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = INT
    width: int = 12


@dataclass
class Table:
    """One table: a sheet in Excel, a section in the PDF. PERCENT values are per cent (13.1), stored
    in Excel as the fraction (0.131) with a percentage format."""

    key: str  # the sheet's name
    title: str
    columns: list[Column]
    rows: list[list]
    note: str = ""
    in_pdf: bool = True


@dataclass
class Document:
    kind: str
    title: str
    scope: str  # whom it covers, in words
    period: str
    summary: list[str]
    definitions: list[tuple[str, str]]
    tables: list[Table]
    charts: list[StackedBarChart] = field(default_factory=list)
    assumptions: list[tuple[str, str]] = field(default_factory=list)
    generated_at: dt.datetime = field(default_factory=timezone.now)

    @property
    def main_table(self) -> Table:
        return self.tables[0]


def describe_selection(user, params: dict) -> str:
    """The selection in words: "Ministry of Health (MOH) with sub-agencies; tracks: Cybersecurity"."""
    from accounts.access import scope_for

    parts = []
    if params.get("agencies"):
        sub = " with sub-agencies" if params.get("include_sub_agencies", True) else " only"
        parts.append(", ".join(params["agencies"]) + sub)
    elif scope_for(user).everything:
        parts.append("The whole government")
    else:
        parts.append(f"{user.agency.name} and the agencies below it")
    if params.get("tracks"):
        parts.append("tracks: " + ", ".join(params["tracks"]))
    if params.get("grades"):
        parts.append("grades: " + ", ".join(params["grades"]))
    return "; ".join(parts)


def build_document(kind: str, *, user, params: dict, selection: Selection, today: dt.date, progress) -> Document:
    builder = {
        ReportKind.ATTRITION: _attrition_document,
        ReportKind.PROJECTION: _projection_document,
        ReportKind.HEADCOUNT: _headcount_document,
        ReportKind.ROSTER: _roster_document,
    }[kind]
    return builder(user=user, params=params, selection=selection, today=today, progress=progress)


# ---------------------------------------------------------------------------------------------
# Attrition

ATTRITION_DEFINITIONS = [
    (
        "In service",
        "Placed in an agency on the day. Extraordinary leave, study leave and secondment keep the placement: "
        "people on leave are in service.",
    ),
    (
        "Headcount at the start and end of a year",
        "In service on 31 December of the year before, and of the year. Start + joiners - exits = end.",
    ),
    (
        "Exit",
        "Resignation, retirement (superannuation), termination, death or leaving the ICT cadre, counted in the year "
        "of its effective date (the first day out of service) and where the person was placed the day before. "
        "Transfers between agencies and extraordinary leave are not exits.",
    ),
    ("Attrition rate", "Exits of the year divided by the average of the headcounts at its start and end."),
    (
        "EOL starts and returns",
        "Extraordinary leave that started in the year, and returns to duty that ended an extraordinary leave.",
    ),
    (
        "Groups",
        "Agency and agency kind: where the person was placed at the time. Track and grade: the person's latest "
        "(for those who left, when they left). Years of service: calendar years since first appointment, at the "
        "year's end.",
    ),
]


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def attrition_summary(report: analytics.Attrition, today: dt.date) -> str:
    """One sentence on the period's last year, compared with the year before."""
    last = report.years[-1]
    so_far = f" (to {today:%-d %B})" if last.year == today.year else ""
    if last.rate is None:
        return f"Nobody in this selection was in service in {last.year}."
    sentence = (
        f"In {last.year}{so_far}, {last.total_exits} of {last.average_headcount:g} ICT professionals "
        f"(average headcount) left: {last.rate:.1f}%"
    )
    if len(report.years) > 1 and report.years[-2].rate is not None:
        before = report.years[-2].rate
        trend = "up from" if last.rate > before else "down from" if last.rate < before else "as in"
        sentence += f", {trend} {before:.1f}% in {last.year - 1}"
    if last.total_exits:
        reasons = dict(EXIT_REASONS)
        kind, count = max(last.exits.items(), key=lambda item: (item[1], item[0]))
        grade, by_grade = max(report.exits_by_grade[last.year].items(), key=lambda item: (item[1], item[0]))
        track, by_track = max(report.exits_by_track[last.year].items(), key=lambda item: (item[1], item[0]))
        sentence += (
            f"; most exits were {reasons[kind].lower()}s ({count})" if kind != "left_cadre" else "; most left the cadre"
        )
        sentence += f", most often at {grade} ({by_grade}) and in {track} ({by_track})"
    return sentence + "."


def _attrition_document(*, user, params, selection, today, progress) -> Document:
    report = analytics.attrition(
        selection, first_year=params["start_year"], last_year=params["end_year"], progress=progress
    )
    reasons = [(kind.value, label) for kind, label in EXIT_REASONS]
    year_columns = [
        Column("Year", INT, 8),
        Column("Headcount at start"),
        Column("Headcount at end"),
        *(Column(label) for _, label in reasons),
        Column("Exits"),
        Column("Attrition rate (%)", PERCENT),
        Column("EOL started"),
        Column("Returned from EOL"),
    ]
    year_rows = [
        [
            y.year,
            y.start,
            y.end,
            *(y.exits[k] for k, _ in reasons),
            y.total_exits,
            _rate(y.rate),
            y.eol_starts,
            y.eol_returns,
        ]
        for y in report.years
    ]
    tables = [Table("Attrition by year", "Attrition by year", year_columns, year_rows)]
    years = [y.year for y in report.years]
    long_rows = []
    for dimension, name in ATTRITION_DIMENSIONS:
        groups = report.breakdowns[dimension]
        tables.append(
            Table(
                f"By {name.lower()}"[:31],
                f"Attrition rate by {name.lower()} (%)",
                [
                    Column(name, TEXT, 36),
                    *(Column(str(year), PERCENT, 8) for year in years),
                    Column("Exits in the period"),
                    Column("Average rate (%)", PERCENT),
                ],
                [[g.label, *(_rate(y.rate) for y in g.years), g.total_exits, _rate(g.average_rate)] for g in groups],
                note="Average rate: the period's exits over the sum of the years' average headcounts.",
            )
        )
        long_rows += [
            [name, g.label, y.year, y.start, y.end, *(y.exits[k] for k, _ in reasons), y.total_exits, _rate(y.rate)]
            for g in groups
            for y in g.years
        ]
    tables.append(
        Table(
            "Groups by year",
            "Every group, every year",
            [
                Column("Breakdown", TEXT, 18),
                Column("Group", TEXT, 36),
                Column("Year", INT, 8),
                Column("Headcount at start"),
                Column("Headcount at end"),
                *(Column(label) for _, label in reasons),
                Column("Exits"),
                Column("Attrition rate (%)", PERCENT),
            ],
            long_rows,
            in_pdf=False,
        )
    )
    chart = stacked_bar_chart(
        [(str(y.year), y.exits, y.year == today.year) for y in report.years],
        series=tuple(reasons),
        title="Exits per year by reason",
    )
    rates = ", ".join(f"{y.year}: {y.rate:.1f}%" for y in report.years if y.rate is not None)
    return Document(
        kind=ReportKind.ATTRITION,
        title="Attrition of ICT professionals",
        scope=describe_selection(user, params),
        period=f"{params['start_year']}-{params['end_year']}",
        summary=[attrition_summary(report, today), f"Attrition rate per year: {rates}."],
        definitions=ATTRITION_DEFINITIONS,
        tables=tables,
        charts=[chart],
    )


# ---------------------------------------------------------------------------------------------
# Capacity projection


def _projection_document(*, user, params, selection, today, progress) -> Document:
    from competencies.models import Track

    codes = params.get("attrition_rates") or {}
    track_ids = dict(Track.objects.filter(code__in=codes).values_list("code", "id"))
    overrides: dict[int | None, float] = {track_ids[c]: rate for c, rate in codes.items() if c in track_ids}
    if "*" in codes:
        for track_id in [None, *Track.objects.values_list("id", flat=True)]:
            overrides.setdefault(track_id, codes["*"])
    projection = analytics.capacity_projection(
        selection,
        start_year=params["start_year"],
        years=params["years"],
        today=today,
        rate_overrides=overrides,
        progress=progress,
    )
    plan = [s for s in projection.total if s.year >= projection.start_year]
    total_columns = [
        Column("Year", INT, 8),
        Column("Supply at start", DECIMAL),
        Column("Superannuations"),
        Column("Expected other exits", DECIMAL),
        Column("Planned recruitment"),
        Column("Supply at end", DECIMAL),
        Column("Demand (posts)"),
        Column("Gap (posts unfilled)", DECIMAL),
    ]
    total_rows = [
        [s.year, s.start, s.superannuations, s.expected_exits, s.recruitment, s.end, s.demand, s.gap]
        for s in projection.total
    ]
    years = projection.plan_years
    agency_columns = [Column("Agency", TEXT, 40)]
    for year in years:
        agency_columns += [Column(f"{year} supply", DECIMAL, 9), Column(f"{year} demand", INT, 9)]
        agency_columns.append(Column(f"{year} gap", DECIMAL, 9))
    agency_rows = []
    for group in projection.by_agency:
        row = [group.label]
        for step in group.years:
            if step.year >= projection.start_year:
                row += [step.end, step.demand, step.gap]
        agency_rows.append(row)
    track_rows = [
        [group.label, *(s.end for s in group.years if s.year >= projection.start_year)] for group in projection.by_track
    ]
    rate_rows = [[r.label, round(r.rate, 2), r.source] for r in projection.rates]
    last = plan[-1] if plan else projection.total[-1]
    summary = [
        f"By the end of {last.year}, the supply of ICT professionals is projected at {last.end:.1f}"
        + (
            f" against {last.demand} posts: {abs(last.gap):.1f} posts {'unfilled' if last.gap >= 0 else 'over'}."
            if last.demand is not None
            else " (no demand shown: sanctioned posts are per position title, not per track or grade)."
        )
    ]
    if projection.demand_shown:
        short = sum(1 for g in projection.by_agency if g.years[-1].gap and g.years[-1].gap >= 0.5)
        summary.append(f"{short} of {len(projection.by_agency)} agencies would have at least one post unfilled.")
    first_rate, last_rate = projection.rate_window
    assumptions = [
        ("Plan period", f"{projection.start_year}-{projection.start_year + projection.years - 1}"),
        ("Supply at the start", f"People in service on {today:%-d %B %Y}, by their current agency and track."),
        (
            "Superannuations",
            "From dates of birth and the retirement-age rules, including rules that take effect within the period.",
        ),
        (
            "Expected other exits",
            f"Each track's rate of exits other than retirement over {first_rate}-{last_rate} "
            "(exits over person-years), applied to the supply left after superannuations; "
            "for the current year only the part still to come.",
        ),
        ("Planned recruitment", "As entered by the ICT Management Division per agency, track and year."),
        ("Demand", "Sanctioned posts today plus the planned growth entered per agency and year."),
    ]
    tables = [
        Table("Government by year", "The government, year by year", total_columns, total_rows),
        Table("By agency", "Supply, demand and gap at each year's end, by agency", agency_columns, agency_rows),
        Table(
            "By track",
            "Supply at each year's end, by track",
            [Column("Track", TEXT, 36), *(Column(str(y), DECIMAL, 9) for y in years)],
            track_rows,
        ),
        Table(
            "Attrition rates",
            "Attrition rates assumed (% a year)",
            [Column("Track", TEXT, 36), Column("Rate (%)", DECIMAL), Column("Source", TEXT, 50)],
            rate_rows,
        ),
    ]
    chart = stacked_bar_chart(
        [
            (str(s.year), {"supply": round(s.end), "gap": max(round(s.gap or 0), 0)}, s.year < projection.start_year)
            for s in projection.total
        ],
        series=(("supply", "Supply"), ("gap", "Posts unfilled")),
        title="Supply and unfilled posts at each year's end",
    )
    return Document(
        kind=ReportKind.PROJECTION,
        title="Capacity projection",
        scope=describe_selection(user, params),
        period=f"{projection.start_year}-{projection.start_year + projection.years - 1}",
        summary=summary,
        definitions=[
            ("Supply", "People projected in service at the end of each year (fractions are expected values)."),
            ("Demand", "Posts: sanctioned plus planned growth."),
            ("Gap", "Demand minus supply; positive means posts unfilled, negative more people than posts."),
        ],
        assumptions=assumptions,
        tables=tables,
        charts=[chart],
    )


# ---------------------------------------------------------------------------------------------
# Headcount and vacancies

ESTABLISHMENT_COLUMNS = [
    Column("Sanctioned"),
    Column("Filled"),
    Column("Approved incoming"),
    Column("Approved outgoing"),
    Column("Vacant"),
    Column("Over"),
]


def _headcount_document(*, user, params, selection, today, progress) -> Document:
    from agencies.models import Agency
    from professionals.models import Professional

    site = SiteSettings.load()
    progress(20, "Reading the establishment")
    agencies = Agency.objects.visible_to(user).active()
    if selection.agency_ids is not None:
        agencies = agencies.filter(pk__in=selection.agency_ids)
    agency_rows = list(
        agencies.order_by("name").values("id", "code", "name", "kind__plural_name", "kind__sort_order", "region__name")
    )
    establishment = establishment_for(agency_ids=[a["id"] for a in agency_rows], on=today)
    figures = establishment.by_agency()

    def counts(f):
        return [f["sanctioned"], f["filled"], f["incoming"], f["outgoing"], f["vacant"], f["over"]]

    def grouped(key) -> list[list]:
        sums: dict = {}
        for a in agency_rows:
            target = sums.setdefault(a[key] or f"No {site.region_label.lower()}", figures_empty())
            for name, value in figures.get(a["id"], figures_empty()).items():
                target[name] += value
        return [[name, *counts(f)] for name, f in sums.items()]

    title_rows = [[title, *counts(f)] for title, f in establishment.figures_by_title()]
    progress(50, "Counting people")
    people = selection.professionals_in(Professional.objects.visible_to(user))
    summary_figures = analytics.headcount_summary(people)
    total = establishment.figures()
    kind_order = {a["kind__plural_name"]: a["kind__sort_order"] for a in agency_rows}
    tables = [
        Table(
            "By agency",
            "Establishment by agency",
            [
                Column("Agency", TEXT, 40),
                Column("Code", TEXT, 12),
                Column("Kind", TEXT, 20),
                Column(site.region_label, TEXT, 18),
            ]
            + ESTABLISHMENT_COLUMNS,
            [
                [
                    a["name"],
                    a["code"],
                    a["kind__plural_name"],
                    a["region__name"] or "",
                    *counts(figures.get(a["id"], figures_empty())),
                ]
                for a in agency_rows
            ],
        ),
        Table(
            "By agency kind",
            "Establishment by agency kind",
            [Column("Agency kind", TEXT, 30), *ESTABLISHMENT_COLUMNS],
            sorted(grouped("kind__plural_name"), key=lambda r: kind_order.get(r[0], 0)),
        ),
        Table(
            f"By {site.region_label.lower()}"[:31],
            f"Establishment by {site.region_label.lower()}",
            [Column(site.region_label, TEXT, 30), *ESTABLISHMENT_COLUMNS],
            sorted(grouped("region__name"), key=lambda r: r[0]),
        ),
        Table(
            "By position title",
            "Establishment by position title",
            [Column("Position title", TEXT, 36), *ESTABLISHMENT_COLUMNS],
            title_rows,
        ),
        Table(
            "By track",
            "People in service by track",
            [Column("Track", TEXT, 36), Column("In service")],
            [[b.label, b.count] for b in summary_figures.by_track],
        ),
        Table(
            "By grade",
            "People in service by grade",
            [Column("Grade", TEXT, 12), Column("In service")],
            [[b.label, b.count] for b in summary_figures.by_grade],
        ),
    ]
    return Document(
        kind=ReportKind.HEADCOUNT,
        title="Headcount and vacancies",
        scope=describe_selection(user, params),
        period=f"On {today:%-d %B %Y}",
        summary=[
            f"{summary_figures.totals['in_service']} ICT professionals in service "
            f"({summary_figures.totals['eol']} on extraordinary leave) in {len(agency_rows)} agencies.",
            f"{total['sanctioned']} posts sanctioned, {total['filled']} filled, {total['incoming']} promised to "
            f"approved incoming moves and {total['outgoing']} freed by approved outgoing moves due by then: "
            f"{total['vacant']} vacant and {total['over']} over the establishment of their title.",
        ],
        definitions=[
            ("Sanctioned", "Posts each agency may fill, per position title (the establishment)."),
            ("Filled", "People placed now, whatever their status (people on leave keep their post)."),
            (
                "Approved incoming",
                "Moves approved and not yet made that bring someone to the post, whatever their effective date.",
            ),
            (
                "Approved outgoing",
                "Moves approved and not yet made that take someone away from the post, effective on or before "
                "the report's date.",
            ),
            (
                "Vacant",
                "Per agency and title, sanctioned minus filled minus approved incoming plus approved outgoing, "
                "where positive; summed.",
            ),
            ("Over", "Per agency and title, the same where negative: people placed or arriving beyond the posts."),
            ("Tracks and grades", "They limit the people counted by track and grade; posts have neither."),
        ],
        tables=tables,
    )


# ---------------------------------------------------------------------------------------------
# Roster


def _roster_document(*, user, params, selection, today, progress) -> Document:
    from placements.models import Placement
    from professionals.models import IN_SERVICE_STATUSES, Professional, Status

    site = SiteSettings.load()
    progress(15, "Reading the people")
    people = selection.professionals_in(Professional.objects.visible_to(user).filter(status__in=IN_SERVICE_STATUSES))
    statuses = dict(Status.choices)
    rows = list(
        people.order_by("current_agency__name", "first_name", "last_name", "employee_id").values_list(
            "id",
            "employee_id",
            "first_name",
            "middle_name",
            "last_name",
            "grade__code",
            "position_title__name",
            "track__name",
            "current_agency__name",
            "current_agency__region__name",
            "status",
            "superannuation_date",
        )
    )
    progress(35, "Reading their placements")
    history: dict[int, list] = {}
    for professional_id, code, name, title, kind, start, end in (
        Placement.objects.filter(professional__in=people.values("id"))
        .order_by("professional_id", "start_date")
        .values_list(
            "professional_id", "agency__code", "agency__name", "position_title__name", "kind", "start_date", "end_date"
        )
        .iterator(chunk_size=2000)
    ):
        history.setdefault(professional_id, []).append((code, name, title, kind, start, end))
    roster, placements = [], []
    for pid, employee_id, first, middle, last, grade, title, track, agency, region, status, superannuation in rows:
        name = " ".join(part for part in (first, middle, last) if part)
        moves = history.get(pid, [])
        current = next((m for m in moves if m[5] is None), None)
        earlier = "; ".join(f"{m[0]} {m[4]:%Y-%m}–{m[5]:%Y-%m}" for m in moves if m[5] is not None)
        roster.append(
            [
                employee_id,
                name,
                grade,
                title or "",
                track or "",
                agency or "",
                region or "",
                statuses.get(status, status),
                current[4] if current else None,
                superannuation,
                earlier,
            ]
        )
        placements += [[employee_id, name, m[0], m[1], m[2] or "", m[3], m[4], m[5]] for m in moves]
    return Document(
        kind=ReportKind.ROSTER,
        title="Roster of ICT professionals",
        scope=describe_selection(user, params),
        period=f"On {today:%-d %B %Y}",
        summary=[f"{len(roster)} ICT professionals in service, by agency and name, with their placements."],
        definitions=[
            ("Placed since", "Start of the current placement."),
            ("Earlier placements", "Agency code and months of each earlier placement, oldest first."),
        ],
        tables=[
            Table(
                "Roster",
                "Roster",
                [
                    Column("Employee id", TEXT, 12),
                    Column("Name", TEXT, 28),
                    Column("Grade", TEXT, 7),
                    Column("Position title", TEXT, 24),
                    Column("Track", TEXT, 24),
                    Column("Agency", TEXT, 32),
                    Column(site.region_label, TEXT, 14),
                    Column("Status", TEXT, 14),
                    Column("Placed since", DATE),
                    Column("Superannuation", DATE),
                    Column("Earlier placements", TEXT, 40),
                ],
                roster,
            ),
            Table(
                "Placements",
                "Placements",
                [
                    Column("Employee id", TEXT, 12),
                    Column("Name", TEXT, 28),
                    Column("Agency code", TEXT, 12),
                    Column("Agency", TEXT, 32),
                    Column("Position title", TEXT, 24),
                    Column("Kind", TEXT, 14),
                    Column("Start", DATE),
                    Column("End", DATE),
                ],
                placements,
                in_pdf=False,
            ),
        ],
    )
