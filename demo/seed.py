"""Build the whole demo data set: reference data, agencies, a simulated history of the cadre,
ICT units, sanctioned posts and demo logins, in one transaction.

Each part draws from its own random stream derived from the seed, so that the same seed and the
same "today" give the same data, and a change to one part does not reshuffle the others.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

import agencies.reference_data
import competencies.reference_data
import meetings.reference_data
import placements.reference_data
import professionals.reference_data
from agencies.models import AgencyKind, ICTUnitKind, Region, SiteSettings
from competencies.models import Track
from core.cache import figures_changed
from professionals.models import Grade, PositionTitle, RetirementAgeRule, Status
from professionals.retirement import AgeRule
from professionals.services import status_changes_due_record

from . import HISTORY_REASON
from .agencies import PARENT_AGENCY_SETTING, agency_specs, create_agencies, create_ict_units, create_sanctioned_posts
from .competencies import create_demo_competencies
from .logins import Login, create_logins
from .meetings import create_demo_meetings
from .people import RANK, Person, Simulation
from .reset import delete_demo_data
from .store import insert_people
from .transfers import create_transfer_requests


@dataclass
class DemoSummary:
    today: dt.date
    agencies_by_kind: Counter
    ict_units: int
    sanctioned_posts: int
    statuses: Counter
    rows: dict[str, int]
    logins: list[Login] = field(default_factory=list)
    pending_changes: int = 0
    transfer_requests: int = 0
    meetings: object = None
    competencies: object = None
    seconds: float = 0.0

    @property
    def in_service(self) -> int:
        return sum(n for status, n in self.statuses.items() if status in ("active", "eol", "study_leave", "seconded"))

    @property
    def exited(self) -> int:
        return sum(self.statuses.values()) - self.in_service


def load_reference_data() -> None:
    agencies.reference_data.load()
    professionals.reference_data.load()
    competencies.reference_data.load()
    placements.reference_data.load()
    meetings.reference_data.load()


def _rules_by_category_code() -> dict[str, list[AgeRule]]:
    rules: dict[str, list[AgeRule]] = defaultdict(list)
    for code, age, effective_from in RetirementAgeRule.objects.values_list(
        "category__code", "age", "effective_from"
    ).order_by("category__code", "effective_from"):
        rules[code].append(AgeRule(age=age, effective_from=effective_from))
    return rules


def _unit_heads(people: list[Person]) -> dict[str, Person]:
    """The most senior person serving in each agency today, preferring those not on leave."""
    best: dict[str, tuple] = {}
    for person in people:
        if not person.in_service:
            continue
        agency = person.placements[-1][0]
        key = (person.status == Status.ACTIVE, RANK[person.grade], -person.appointed.toordinal(), person.employee_id)
        if agency not in best or key > best[agency][0]:
            best[agency] = (key, person)
    return {code: person for code, (_, person) in best.items()}


def seed_demo(*, professionals: int, years: int, seed: int, reset: bool = False, today=None) -> DemoSummary:
    """Create the demo data set; with `reset`, first delete all demo data that is there."""
    started = time.monotonic()
    today = today or timezone.localdate()
    with transaction.atomic():
        if reset:
            delete_demo_data()
        load_reference_data()
        site = SiteSettings.load()
        site.parent_agency_name = PARENT_AGENCY_SETTING
        site.save()

        kinds = dict(AgencyKind.objects.values_list("code", "id"))
        regions = dict(Region.objects.values_list("name", "id"))
        agency_rows = create_agencies(random.Random(f"{seed}:agencies"), kinds=kinds, regions=regions)
        agency_ids = {code: agency.pk for code, agency in agency_rows.items()}

        simulation = Simulation(
            random.Random(f"{seed}:people"),
            target=professionals,
            years=years,
            today=today,
            rules=_rules_by_category_code(),
            agencies=agency_specs(),
        )
        people = simulation.run()
        title_ids = dict(PositionTitle.objects.values_list("code", "id"))
        rows = insert_people(
            people,
            today=today,
            grade_ids=dict(Grade.objects.values_list("code", "id")),
            title_ids=title_ids,
            track_ids=dict(Track.objects.values_list("code", "id")),
            agency_ids=agency_ids,
            reason=HISTORY_REASON,
        )

        heads = _unit_heads(people)
        units = create_ict_units(
            random.Random(f"{seed}:units"),
            agencies=agency_rows,
            unit_kinds=dict(ICTUnitKind.objects.values_list("code", "id")),
            heads={code: person.pk for code, person in heads.items()},
        )
        filled = Counter((p.placements[-1][0], p.title) for p in people if p.in_service and p.title)
        posts = create_sanctioned_posts(
            random.Random(f"{seed}:posts"), agencies=agency_rows, filled=filled, title_ids=title_ids
        )
        unit_agencies = [spec.code for spec in agency_specs() if spec.unit_kind]
        logins = create_logins(
            random.Random(f"{seed}:logins"),
            agencies=agency_rows,
            unit_agencies=unit_agencies,
            heads=heads,
            people=people,
        )
        transfers = create_transfer_requests(
            random.Random(f"{seed}:transfers"), people=people, today=today, reason=HISTORY_REASON
        )
        competencies = create_demo_competencies(random.Random(f"{seed}:competencies"), today=today)
        meetings = create_demo_meetings(random.Random(f"{seed}:meetings"), today=today, years=years)
        # What the nightly job would have queued by today, so the demo shows pending items.
        pending = status_changes_due_record(today=today)["created"]
    if connection.vendor == "postgresql":
        # Planner statistics are stale after a bulk load; without them PostgreSQL picks plans
        # that were measured 5-10 times slower on the 50,000-professional data set. VACUUM also
        # marks the new pages all-visible, so that counts read the indexes alone (it cannot run
        # inside a transaction, as in the tests).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    figures_changed()
    kind_names = {spec.code: spec.kind for spec in agency_specs()}
    return DemoSummary(
        today=today,
        agencies_by_kind=Counter(kind_names.values()),
        ict_units=len(units),
        sanctioned_posts=len(posts),
        statuses=Counter(p.status for p in people),
        rows=rows,
        logins=logins,
        pending_changes=pending,
        transfer_requests=transfers,
        meetings=meetings,
        competencies=competencies,
        seconds=time.monotonic() - started,
    )
