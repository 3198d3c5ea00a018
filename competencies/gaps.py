"""Competency gaps: per person, and rolled up per agency (with its sub-agencies), per track and
government-wide.

A person *needs* a competency when a requirement of their track and position title covers their
grade (bands never overlap, so at most one applies); their *current level* is the stored latest
confirmed assessment (`CompetencyLevel`, none = 0). They are *below* when current < required, by
required - current levels (the shortfall).

The roll-up is one grouped SQL query over (professional x requirement) joined to the current
levels: at 50,000 people about 250,000 joined rows that PostgreSQL aggregates in a few hundred
milliseconds. Python only folds the grouped rows (one per agency and competency) into the rows of
the page, e.g. sub-agencies into their parent.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q
from django.http import Http404

from accounts.access import scope_for
from agencies.models import Agency
from agencies.querysets import scope_agency_ids, subtree_ids
from professionals.models import IN_SERVICE_STATUSES, Grade, Professional

from .models import Competency, CompetencyLevel, Requirement, Track, TrainingProgramme
from .permissions import may_see_heatmap

# ---------------------------------------------------------------------------------------------
# One person


@dataclass(frozen=True)
class PersonGap:
    competency: Competency
    required: int
    current: int  # 0: never assessed (or only self-assessed, unconfirmed)

    @property
    def gap(self) -> int:
        return max(self.required - self.current, 0)


def requirements_for(professional: Professional) -> list[Requirement]:
    """The requirements that apply to the professional: their track and title, a band holding
    their grade (empty bounds hold every grade)."""
    if professional.track_id is None or professional.position_title_id is None:
        return []
    rank = professional.grade.rank
    return list(
        Requirement.objects.filter(track_id=professional.track_id, position_title_id=professional.position_title_id)
        .filter(Q(min_grade__isnull=True) | Q(min_grade__rank__lte=rank))
        .filter(Q(max_grade__isnull=True) | Q(max_grade__rank__gte=rank))
        .select_related("competency")
        .order_by("competency__category", "competency__code")
    )


def person_gaps(professional: Professional) -> list[PersonGap]:
    """What the professional's title requires, against their current level, in two queries."""
    requirements = requirements_for(professional)
    levels = dict(
        CompetencyLevel.objects.filter(
            professional=professional, competency_id__in=[r.competency_id for r in requirements]
        ).values_list("competency_id", "level")
    )
    return [PersonGap(r.competency, r.level, levels.get(r.competency_id, 0)) for r in requirements]


def suggested_trainings(professional: Professional, gaps: list[PersonGap], *, today: dt.date, limit: int = 5):
    """Programmes not yet over that develop a competency the person falls short in to a level
    above their current one, most gap-closing first: (programme, competency codes it helps with)."""
    short = {g.competency.pk: g for g in gaps if g.gap}
    if not short:
        return []
    programmes = (
        TrainingProgramme.objects.filter(end_date__gte=today, developed__competency_id__in=list(short))
        .distinct()
        .prefetch_related("developed__competency")
        .order_by("start_date")[:50]
    )
    scored = []
    for programme in programmes:
        helps = [
            d
            for d in programme.developed.all()
            if d.competency_id in short and d.level > short[d.competency_id].current
        ]
        closed = sum(min(d.level, short[d.competency_id].required) - short[d.competency_id].current for d in helps)
        if helps:
            scored.append((-closed, programme.start_date, programme.pk, programme, [d.competency.code for d in helps]))
    scored.sort(key=lambda row: row[:3])
    return [(programme, codes) for *_, programme, codes in scored[:limit]]


# ---------------------------------------------------------------------------------------------
# Rolled up


@dataclass
class Cell:
    required: int = 0  # people who need the competency
    below: int = 0  # ... of whom below the level
    shortfall: int = 0  # levels missing, summed over those below

    def add(self, other: Cell) -> None:
        self.required += other.required
        self.below += other.below
        self.shortfall += other.shortfall

    @property
    def share_below(self) -> float:
        return self.below / self.required if self.required else 0.0

    @property
    def mean_shortfall(self) -> float:
        """Levels missing per person below (how far below they are, on average)."""
        return self.shortfall / self.below if self.below else 0.0

    @property
    def heat(self) -> int:
        """0-5 for the colour of the cell: the share of people below, in fifths."""
        return 0 if not self.required else min(5, 1 + int(self.share_below * 5))


@dataclass
class HeatmapRow:
    key: int | None
    label: str
    code: str = ""
    people: int = 0
    cells: dict[int, Cell] = field(default_factory=lambda: defaultdict(Cell))
    total: Cell = field(default_factory=Cell)
    drill: str = ""  # the agency code to drill into (agencies with sub-agencies)


@dataclass
class Heatmap:
    by: str
    competencies: list[Competency]
    rows: list[HeatmapRow]
    total: HeatmapRow
    root: Agency | None = None
    track: Track | None = None
    category: str = ""


def _in(values) -> tuple[str, list]:
    values = list(values)
    return ", ".join(["%s"] * len(values)), values


def gap_counts(
    *, group: str, agency_ids: list[int] | None = None, track_id: int | None = None, category: str = ""
) -> tuple[list[tuple[int | None, int, int, int, int]], dict[int | None, int]]:
    """The grouped figures: ([(group key, competency id, required, below, shortfall)], {group key:
    people who need anything}). `group` is "agency" (the current agency) or "track". Two queries."""
    column = {"agency": "p.current_agency_id", "track": "p.track_id"}[group]
    tables = {
        "p": Professional._meta.db_table,
        "g": Grade._meta.db_table,
        "r": Requirement._meta.db_table,
        "cl": CompetencyLevel._meta.db_table,
        "c": Competency._meta.db_table,
    }
    statuses, params = _in(IN_SERVICE_STATUSES)
    where = [f"p.status IN ({statuses})"]
    if agency_ids is not None:
        if not agency_ids:
            return [], {}
        marks, ids = _in(agency_ids)
        where.append(f"p.current_agency_id IN ({marks})")
        params += ids
    if track_id is not None:
        where.append("p.track_id = %s")
        params.append(track_id)
    if category:
        where.append("c.category = %s")
        params.append(category)
    joins = f"""
        FROM {tables["p"]} p
        JOIN {tables["g"]} g ON g.id = p.grade_id
        JOIN {tables["r"]} r ON r.track_id = p.track_id AND r.position_title_id = p.position_title_id
        JOIN {tables["c"]} c ON c.id = r.competency_id
        LEFT JOIN {tables["g"]} gmin ON gmin.id = r.min_grade_id
        LEFT JOIN {tables["g"]} gmax ON gmax.id = r.max_grade_id
    """
    conditions = f"""
        WHERE {" AND ".join(where)}
          AND (r.min_grade_id IS NULL OR gmin.rank <= g.rank)
          AND (r.max_grade_id IS NULL OR gmax.rank >= g.rank)
    """
    levels = f"LEFT JOIN {tables['cl']} cl ON cl.professional_id = p.id AND cl.competency_id = r.competency_id"
    counts_sql = f"""
        SELECT {column}, r.competency_id, COUNT(*),
               SUM(CASE WHEN COALESCE(cl.level, 0) < r.level THEN 1 ELSE 0 END),
               SUM(CASE WHEN COALESCE(cl.level, 0) < r.level THEN r.level - COALESCE(cl.level, 0) ELSE 0 END)
        {joins} {levels} {conditions}
        GROUP BY {column}, r.competency_id
    """
    # Each person once: a semi-join (EXISTS) instead of COUNT(DISTINCT) over the joined rows, which
    # cost as much as the figures themselves at 50,000 people.
    requirement_filter = [w for w in where if not w.startswith("c.")]
    category_filter = "AND c.category = %s" if category else ""
    people_sql = f"""
        SELECT {column}, COUNT(*) FROM {tables["p"]} p JOIN {tables["g"]} g ON g.id = p.grade_id
        WHERE {" AND ".join(requirement_filter)} AND EXISTS (
            SELECT 1 FROM {tables["r"]} r
            JOIN {tables["c"]} c ON c.id = r.competency_id
            LEFT JOIN {tables["g"]} gmin ON gmin.id = r.min_grade_id
            LEFT JOIN {tables["g"]} gmax ON gmax.id = r.max_grade_id
            WHERE r.track_id = p.track_id AND r.position_title_id = p.position_title_id
              AND (r.min_grade_id IS NULL OR gmin.rank <= g.rank)
              AND (r.max_grade_id IS NULL OR gmax.rank >= g.rank) {category_filter}
        )
        GROUP BY {column}
    """
    with connection.cursor() as cursor:
        cursor.execute(counts_sql, params)
        rows = [(key, cid, int(n), int(below or 0), int(short or 0)) for key, cid, n, below, short in cursor.fetchall()]
        cursor.execute(people_sql, params)
        people = {key: int(n) for key, n in cursor.fetchall()}
    return rows, people


def _agency_scope(user, agency_code: str | None) -> tuple[Agency | None, list[int] | None]:
    """The agency the heatmap is about (None: the government) and the agencies it counts (None:
    all). An agency the user may not see answers 404."""
    if not may_see_heatmap(user):
        raise Http404("No heatmap for this account.")
    scope = scope_for(user)
    if agency_code:
        root = Agency.objects.visible_to(user).filter(code=agency_code).first()
        if root is None:
            raise Http404(f"No agency {agency_code} among those you may see.")
        return root, subtree_ids([root.pk])
    if scope.agency_id is not None:
        return Agency.objects.get(pk=scope.agency_id), scope_agency_ids(user, scope.agency_id)
    return None, None


def heatmap(*, user, by: str = "agency", agency_code: str | None = None, track_code: str | None = None, category=""):
    """Rows (agencies or tracks) x competencies of gaps, within what `user` may see.

    By agency: without an agency, one row per top-level agency (each with everything below it);
    with one, a row for the people placed in it directly and one per sub-agency (with its subtree).
    """
    root, agency_ids = _agency_scope(user, agency_code)
    track = None
    if track_code:
        track = Track.objects.filter(code=track_code).first()
        if track is None:
            raise Http404(f"No track {track_code}.")
    counts, people = gap_counts(
        group="track" if by == "track" else "agency",
        agency_ids=agency_ids,
        track_id=track.pk if track else None,
        category=category,
    )
    if by == "track":
        rows = {t.pk: HeatmapRow(t.pk, t.name, t.code) for t in Track.objects.all()}
        fold = {key: key for key in people}
    else:
        rows, fold = _agency_rows(root)
    total = HeatmapRow(None, root.name if root else "Government-wide")
    for key, competency_id, required, below, shortfall in counts:
        cell = Cell(required, below, shortfall)
        target = rows.get(fold.get(key))
        if target is not None:
            target.cells[competency_id].add(cell)
            target.total.add(cell)
        total.cells[competency_id].add(cell)
        total.total.add(cell)
    for key, n in people.items():
        target = rows.get(fold.get(key))
        if target is not None:
            target.people += n
        total.people += n
    used = {cid for cid, cell in total.cells.items() if cell.required}
    competencies = list(Competency.objects.filter(pk__in=used).order_by("category", "code"))
    shown = [row for row in rows.values() if row.people]
    if by != "track":
        shown.sort(key=lambda row: (-row.total.share_below, row.label))
    return Heatmap(by=by, competencies=competencies, rows=shown, total=total, root=root, track=track, category=category)


def _agency_rows(root: Agency | None) -> tuple[dict[int, HeatmapRow], dict[int | None, int]]:
    """The display rows and, for every agency, the row its people count in (one query)."""
    agencies = list(Agency.objects.order_by().values_list("id", "parent_id", "code", "name"))
    parent = {pk: parent_id for pk, parent_id, _, _ in agencies}
    info = {pk: (code, name) for pk, _, code, name in agencies}
    has_children = set(parent.values())
    heads = [pk for pk, parent_id, _, _ in agencies if parent_id == (root.pk if root else None)]
    rows = {
        pk: HeatmapRow(pk, info[pk][1], info[pk][0], drill=info[pk][0] if pk in has_children else "") for pk in heads
    }
    if root is not None:
        rows[root.pk] = HeatmapRow(root.pk, f"{root.name} (placed directly)", root.code)
    fold: dict[int | None, int] = {}
    for pk in parent:
        node, seen = pk, 0
        while node is not None and node not in rows and seen < 1000:  # a cycle in bad data must not hang
            node, seen = parent.get(node), seen + 1
        if node is not None:
            fold[pk] = node
    return rows, fold


def heatmap_csv_rows(data: Heatmap):
    """The heatmap as rows for a CSV file: one line per row and competency."""
    yield ["row", "code", "people", "competency", "category", "need it", "below", "share below", "levels short"]
    for row in [*data.rows, data.total]:
        for competency in data.competencies:
            cell = row.cells.get(competency.pk)
            if cell is None or not cell.required:
                continue
            yield [
                row.label,
                row.code,
                row.people,
                competency.code,
                competency.category,
                cell.required,
                cell.below,
                f"{cell.share_below:.3f}",
                cell.shortfall,
            ]
