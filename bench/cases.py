"""What the benchmark measures: each case names a request (or a computation), who makes it, its
pinned query limit and its target median.

The query limits here are the same as the tests pin on small data; a count that grows with the
data set shows up here first. Targets are what a user should wait at most on this kind of machine
(2 cores); they are printed next to the measurement, not asserted.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bench.run import Result

DIVISION, HEAD, API = "division", "head", "api"


@dataclass
class World:
    """The accounts and records the cases use, found in (or added to) the data set."""

    cookies: dict[str, str]  # who -> session id
    api_key: str
    agency_code: str  # a large agency with sub-agencies: the head's scope and the subtree filter
    track_code: str
    grade_code: str
    professional_id: int
    search: str

    @classmethod
    def build(cls) -> World:
        from accounts.models import Role, User
        from accounts.services import api_client_create, api_token_issue
        from agencies.models import Agency
        from placements.models import Placement
        from professionals.models import IN_SERVICE_STATUSES, Professional

        parents = dict(Agency.objects.values_list("id", "parent_id"))
        here = Counter(
            Placement.objects.filter(end_date__isnull=True, professional__status__in=IN_SERVICE_STATUSES)
            .values_list("agency_id", flat=True)
            .order_by()
        )
        subtree_size: Counter = Counter()
        for agency_id, count in here.items():
            node = agency_id
            while node is not None:
                subtree_size[node] += count
                node = parents.get(node)
        has_children = {parent for parent in parents.values() if parent is not None}
        # The largest top-level agency with sub-agencies (a ministry), so the head's scope and the
        # subtree filter span several agencies; on a tiny data set, whichever agency is largest.
        candidates = [a for a in subtree_size if a in has_children and parents.get(a) is None] or list(subtree_size)
        agency_id = max(candidates, key=lambda agency: (subtree_size[agency], -agency))
        agency = Agency.objects.get(pk=agency_id)
        in_agency = Professional.objects.filter(
            status__in=IN_SERVICE_STATUSES, placements__end_date__isnull=True, placements__agency_id=agency_id
        )
        track_code = Counter(in_agency.values_list("track__code", flat=True).order_by()).most_common(1)[0][0]
        grade_code = Counter(
            Professional.objects.filter(status__in=IN_SERVICE_STATUSES).values_list("grade__code", flat=True).order_by()
        ).most_common(1)[0][0]
        # The in-service professional of that agency with the longest history: the heaviest page.
        professional = (
            Professional.objects.filter(pk__in=in_agency.values("pk"))
            .annotate(moves=Count("placements"))
            .order_by("-moves", "id")
            .values_list("id", "first_name")
            .first()
        )

        division, _ = User.objects.update_or_create(
            username="bench-division", defaults={"role": Role.DIVISION, "agency": None, "first_name": "Bench"}
        )
        head, _ = User.objects.update_or_create(
            username="bench-head", defaults={"role": Role.AGENCY_HEAD, "agency": agency, "first_name": "Bench"}
        )
        client_user = User.objects.filter(username="bench-api").first()
        if client_user is None:
            _client, _token, api_key = api_client_create(name="bench-api", agency=None)
        else:
            _token, api_key = api_token_issue(client=client_user, name="bench run")
        cookies = {}
        for who, user in ((DIVISION, division), (HEAD, head)):
            client = Client()
            client.force_login(user)
            cookies[who] = client.cookies[settings.SESSION_COOKIE_NAME].value
        return cls(
            cookies=cookies,
            api_key=api_key,
            agency_code=agency.code,
            track_code=track_code,
            grade_code=grade_code,
            professional_id=professional[0],
            search=professional[1],
        )

    def headers(self, who: str, extra: dict | None = None) -> dict[str, str]:
        headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
        if who == API:
            headers["Authorization"] = f"Token {self.api_key}"
            headers["Accept"] = "application/json"
        else:
            headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={self.cookies[who]}"
        headers.update(extra or {})
        return headers


@dataclass
class Case:
    name: str
    kind: str  # page, api, computation
    who: str
    url_name: str
    target_ms: float | None
    query_limit: int | None
    args: tuple = ()
    params: dict | None = None
    extra_headers: dict | None = None
    pending: str = ""  # what has to be built before this case can run
    compute: Callable[[World], object] | None = None  # for computations: what to time
    repeat: int = 5  # for computations: how many timed runs

    def path(self) -> str:
        path = reverse(self.url_name, args=self.args)
        return f"{path}?{urlencode(self.params)}" if self.params else path

    def request(self, world: World) -> tuple[str, dict[str, str]]:
        return self.path(), world.headers(self.who, self.extra_headers)

    def result(self) -> Result:
        return Result(name=self.name, kind=self.kind, target_ms=self.target_ms, query_limit=self.query_limit)

    def count_queries(self, world: World) -> Result:
        """One request in this process, to count its SQL queries (and check that it answers 200)."""
        result = self.result()
        if self.pending:
            result.status, result.note = "not built yet", self.pending
            return result
        if self.compute is not None:
            with CaptureQueriesContext(connection) as queries:
                self.compute(world)
            result.queries = len(queries.captured_queries)
            if self.query_limit is not None and result.queries > self.query_limit:
                result.status = "queries over limit"
            return result
        try:
            path, headers = self.request(world)
        except NoReverseMatch:
            result.status, result.note = "not built yet", self.url_name
            return result
        client = Client(headers={k: v for k, v in headers.items() if k not in ("Host", "Cookie")})
        if self.who != API:
            client.cookies[settings.SESSION_COOKIE_NAME] = world.cookies[self.who]
        client.get(path, secure=True)  # warm caches (site settings, content types) as a server would be
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, secure=True)
        result.queries = len(queries.captured_queries)
        result.path = path
        if response.status_code != 200:
            result.status = f"http {response.status_code}"
        elif self.query_limit is not None and result.queries > self.query_limit:
            result.status = "queries over limit"
        return result

    def time_computation(self, world: World) -> list[float]:
        samples = []
        for _ in range(self.repeat):
            started = time.perf_counter()
            self.compute(world)
            samples.append(time.perf_counter() - started)
        return samples


def dashboard_figures(world: World) -> None:
    """The division dashboard's figures computed afresh, as after any change to the records."""
    from accounts.access import scope_for
    from accounts.models import User
    from reports.dashboard import workforce_figures

    user = User.objects.get(username="bench-division")
    workforce_figures(user, scope_for(user), timezone.localdate())


IMPORT_ROWS = 10_000


@cache
def _professionals_file() -> bytes:
    from imports.samples import professionals_workbook

    return professionals_workbook(IMPORT_ROWS)


def import_dry_run(world: World) -> None:
    """The dry run of a 10,000-professional workbook (every row new, placed in an agency)."""
    from imports.services import import_file

    report = import_file(kind="professionals", data=_professionals_file(), filename="bench.xlsx", actor=None)
    assert report.ok and report.counts["create"] == IMPORT_ROWS, report.to_dict()["file_errors"]


def import_commit(world: World) -> None:
    """The same file committed (professionals, grade history, placements, history rows, current
    agencies), then rolled back so that the data set stays as it was."""
    from django.db import transaction

    from imports.services import import_file

    with transaction.atomic():
        report = import_file(
            kind="professionals", data=_professionals_file(), filename="bench.xlsx", actor=None, commit=True
        )
        assert report.committed, report.to_dict()["file_errors"]
        transaction.set_rollback(True)


def attrition_ten_years(world: World) -> None:
    """The attrition report's figures for the whole government over the last ten years."""
    from reports.analytics import Selection, attrition

    today = timezone.localdate()
    attrition(Selection(), first_year=today.year - 9, last_year=today.year)


def projection_five_years(world: World) -> None:
    """The capacity projection of every agency and track for a five-year plan from next year."""
    from reports.analytics import Selection, capacity_projection

    today = timezone.localdate()
    capacity_projection(Selection(), start_year=today.year + 1, years=5, today=today)


def roster_pdf_thousand(world: World) -> None:
    """A roster of 1,000 people with their placements, computed and rendered to PDF."""
    from accounts.models import User
    from professionals.models import IN_SERVICE_STATUSES, Professional
    from reports.analytics import Selection
    from reports.documents import build_document
    from reports.rendering import pdf_bytes

    user = User.objects.get(username="bench-division")
    agencies = list(
        Professional.objects.filter(status__in=IN_SERVICE_STATUSES, current_agency__isnull=False)
        .values_list("current_agency_id")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    chosen, total = [], 0
    for agency_id, n in agencies:  # the largest agencies until 1,000 people
        if total + n <= 1000:
            chosen.append(agency_id)
            total += n
    document = build_document(
        "roster", user=user, params={}, selection=Selection(agency_ids=tuple(chosen)),
        today=timezone.localdate(), progress=lambda percent, note: None,
    )  # fmt: skip
    pdf_bytes(document)


_clients: dict[str, Client] = {}


def list_first_view(params: dict | None = None) -> Callable[[World], None]:
    """The professionals list as the first visitor after a change to the records sees it: the
    cache emptied (the list's counts and dropdown options go with it), then one request by
    division staff, served in-process by Django's test client (one client for every run: a new
    one loads the middleware again, and WhiteNoise's scan of the static files takes 150 ms)."""

    def compute(world: World) -> None:
        from django.core.cache import cache

        cache.clear()
        if DIVISION not in _clients:
            _clients[DIVISION] = Client()
            _clients[DIVISION].cookies[settings.SESSION_COOKIE_NAME] = world.cookies[DIVISION]
        client = _clients[DIVISION]
        path = reverse("professionals:list") + (f"?{urlencode(params)}" if params else "")
        response = client.get(path, secure=True)
        assert response.status_code == 200, response.status_code

    return compute


def plan(world: World) -> list[Case]:
    agency, track, grade = world.agency_code, world.track_code, world.grade_code
    lists = "professionals:list"
    return [
        Case("list: no filter", "page", DIVISION, lists, 15, 12),
        Case(
            "list: agency subtree + track", "page", DIVISION, lists, 15, 12, params={"agency": agency, "track": track}
        ),
        Case(
            "list: grade + status + sort",
            "page",
            DIVISION,
            lists,
            15,
            12,
            params={"grade": grade, "status": "active", "sort": "-superannuation"},
        ),
        Case("list: search by name", "page", DIVISION, lists, 15, 12, params={"q": world.search}),
        # The pages above count their rows once, then keep the count until the records change;
        # these are the first views, counted afresh (in-process, so without gunicorn's share).
        Case("list first view: no filter", "computation", DIVISION, "", 15, 12, compute=list_first_view(), repeat=10),
        Case(
            "list first view: search by name",
            "computation",
            DIVISION,
            "",
            15,
            12,
            compute=list_first_view({"q": world.search}),
            repeat=10,
        ),
        Case(
            "list fragment (htmx): agency + track",
            "page",
            DIVISION,
            lists,
            15,
            12,
            params={"agency": agency, "track": track},
            extra_headers={"HX-Request": "true"},
        ),
        Case("list: agency head, no filter", "page", HEAD, lists, 15, 12),
        Case("professional page", "page", DIVISION, "professionals:detail", 25, 20, args=(world.professional_id,)),
        Case("agency page + establishment", "page", DIVISION, "agencies:detail", 25, 12, args=(agency,)),
        Case("dashboard: division", "page", DIVISION, "home", 50, 16),
        Case("dashboard: agency head", "page", HEAD, "home", 50, 16),
        Case("dashboard figures, uncached", "computation", DIVISION, "", None, 16, compute=dashboard_figures),
        Case("transfer-request queue", "page", DIVISION, "transfers:list", 15, 12),
        Case("transfer-request queue: agency head", "page", HEAD, "transfers:list", 15, 12),
        Case(
            "API professionals: agency + track",
            "api",
            API,
            "professionals-list",
            15,
            8,
            params={"agency": agency, "track": track},
        ),
        Case(
            "import 10,000 professionals: dry run",
            "computation",
            DIVISION,
            "",
            30000,
            40,
            compute=import_dry_run,
            repeat=2,
        ),
        Case(
            "import 10,000 professionals: commit",
            "computation",
            DIVISION,
            "",
            60000,
            400,
            compute=import_commit,
            repeat=2,
        ),
        Case("gap heatmap, government-wide", "page", DIVISION, "competencies:heatmap", 1000, 12),
        Case("gap heatmap by track", "page", DIVISION, "competencies:heatmap", 1000, 12, params={"by": "track"}),
        Case("gap heatmap: agency head", "page", HEAD, "competencies:heatmap", 1000, 12),
        Case("attrition, 10 years", "computation", DIVISION, "", 2000, 9, compute=attrition_ten_years),
        Case("capacity projection, 5 years", "computation", DIVISION, "", 5000, 12, compute=projection_five_years),
        Case("roster PDF, 1,000 people", "computation", DIVISION, "", 15000, 8, compute=roster_pdf_thousand, repeat=3),
    ]
