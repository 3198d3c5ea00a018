"""The benchmark run: data set, server, measurements, table, JSON, exit status."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "bench-results.json"


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=(
            "Measure the portal, the API and the computations at national scale on PostgreSQL "
            "(the DATABASE_URL given). Builds the data set when the database has no professionals, "
            "else reuses it."
        ),
    )
    parser.add_argument("--professionals", type=int, default=50_000, help="size of the data set to build (50000)")
    parser.add_argument("--years", type=int, default=10, help="years of history to build (10)")
    parser.add_argument("--reseed", action="store_true", help="replace the data set even if the database has one")
    parser.add_argument("--requests", type=int, default=60, help="timed requests per page (at least 50; 60)")
    parser.add_argument("--warmup", type=int, default=10, help="untimed requests per page first (10)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where to write the JSON results")
    parser.add_argument("--only", metavar="NAME", action="append", help="measure only cases whose name contains NAME")
    args = parser.parse_args(argv)
    if args.requests < 50:
        parser.error("--requests must be at least 50, so that the median and p95 mean something.")
    return args


def fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def configure_environment() -> dict[str, str]:
    """Production settings, as the gunicorn server will run them; returns the server's environment."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "ictmgmt.settings.production"
    # Both this process (which signs in and counts queries) and the server must share the key, so
    # the session cookies made here are valid there. A fresh key per run; nothing is kept.
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(64)
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ.setdefault("CONN_MAX_AGE", "600")
    # The hashed static files the server needs, collected where no other process reads them.
    os.environ["STATIC_ROOT"] = str(Path(tempfile.gettempdir()) / f"ictmgmt-bench-static-{os.getuid()}")
    # The benchmark sends thousands of requests on one account; the throttle is not what is measured.
    os.environ["API_RATE_CLIENT"] = "1000000/hour"
    os.environ["API_RATE_USER"] = "1000000/hour"
    # Reports and emails run in-process; the benchmark needs no broker.
    os.environ.pop("REDIS_URL", None)
    return dict(os.environ)


@dataclass
class Result:
    name: str
    kind: str  # "page", "api" or "computation"
    target_ms: float | None
    query_limit: int | None = None
    queries: int | None = None
    median_ms: float | None = None
    p95_ms: float | None = None
    samples: int = 0
    status: str = "ok"  # ok, queries over limit, http <code>, not built yet
    note: str = ""
    path: str = ""  # the request measured, for pages and API calls

    @property
    def failed(self) -> bool:
        return self.status not in ("ok", "not built yet")


@dataclass
class Report:
    date: str
    machine: dict
    dataset: dict
    server: dict
    results: list[Result] = field(default_factory=list)


def main(argv=None) -> int:
    args = parse_args(argv)
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url:
        return fail(
            "DATABASE_URL is not set. The benchmark runs on PostgreSQL only, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench make bench (create the database first)."
        )
    if not database_url.startswith(("postgres://", "postgresql://", "pgsql://")):
        return fail(
            f"DATABASE_URL points at {urlsplit(database_url).scheme or 'an unknown'} database; the benchmark measures "
            "the production setup and runs on PostgreSQL only (postgres://user@host:5432/dbname)."
        )
    server_env = configure_environment()

    import django

    from ictmgmt.startup import config_error_message

    try:
        django.setup()
        from django.db import connection

        connection.ensure_connection()
    except Exception as error:  # noqa: BLE001 - explained in one line, or re-raised
        message = config_error_message(error)
        if message is None:
            raise
        return fail(message)
    from bench import cases, dataset

    print(f"Data set: {args.professionals:,} professionals, {args.years} years of history …", flush=True)
    data = dataset.ensure(professionals=args.professionals, years=args.years, reseed=args.reseed)
    print(f"  {data.describe()}", flush=True)
    dataset.collect_static()

    world = cases.World.build()
    plan = [case for case in cases.plan(world) if not args.only or any(part in case.name for part in args.only)]

    # Pages first, computations after: the import's commit writes 10,000 rows and rolls them back,
    # which leaves dead rows that slow every count until the next VACUUM.
    plan.sort(key=lambda case: case.kind == "computation")
    results: list[Result] = []
    print("Counting the pages' queries in-process …", flush=True)
    for case in plan:
        results.append(case.result() if case.kind == "computation" else case.count_queries(world))

    port = free_port()
    with Server(port=port, workers=args.workers, env=server_env):
        print(f"Timing {len(plan)} cases under gunicorn ({args.workers} workers) on port {port} …", flush=True)
        for case, result in zip(plan, results, strict=True):
            if result.failed or result.status == "not built yet" or case.kind == "computation":
                continue
            samples = time_requests(port, case.request(world), warmup=args.warmup, count=args.requests)
            if isinstance(samples, str):
                result.status = samples
                continue
            summarise(result, samples)
    print("Counting and timing computations in-process …", flush=True)
    for index, case in enumerate(plan):
        if case.kind != "computation":
            continue
        result = results[index] = case.count_queries(world)
        if not result.failed and result.status != "not built yet":
            summarise(result, case.time_computation(world))

    report = Report(
        date=dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        machine={
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(terse=True),
            "postgresql": dataset.server_version(),
        },
        dataset=data.as_dict(),
        server={"gunicorn_workers": args.workers, "requests_per_case": args.requests, "warmup": args.warmup},
        results=results,
    )
    print_table(report)
    args.output.write_text(json.dumps(asdict(report), indent=2) + "\n")
    print(f"\nResults written to {args.output}")
    failed = [result for result in results if result.failed]
    if failed:
        print(f"\n{len(failed)} case(s) failed: " + "; ".join(f"{r.name}: {r.status}" for r in failed), file=sys.stderr)
        return 1
    return 0


def summarise(result: Result, samples: list[float]) -> None:
    ordered = sorted(samples)
    result.samples = len(ordered)
    result.median_ms = round(statistics.median(ordered) * 1000, 1)
    result.p95_ms = round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000, 1)


def time_requests(port: int, request, *, warmup: int, count: int) -> list[float] | str:
    """Wall-clock seconds of `count` GETs over one keep-alive connection, after `warmup` untimed
    ones; or a status string when the server does not answer 200."""
    path, headers = request
    connection = HTTPConnection("127.0.0.1", port, timeout=120)
    samples = []
    try:
        for index in range(warmup + count):
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            if response.status != 200:
                return f"http {response.status}"
            if index >= warmup:
                samples.append(elapsed)
    finally:
        connection.close()
    return samples


class Server:
    """gunicorn serving the portal with production settings on a loopback port."""

    def __init__(self, *, port: int, workers: int, env: dict[str, str]):
        self.port, self.workers, self.env = port, workers, env
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
        self.process = subprocess.Popen(
            [
                gunicorn,
                "ictmgmt.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--keep-alive",
                "30",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(fail(f"gunicorn exited with status {self.process.returncode} at start"))
            try:
                connection = HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    connection.close()
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__(None, None, None)
        raise SystemExit(fail("gunicorn did not answer /healthz within 60 seconds"))

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def _cell(value, unit="") -> str:
    return "–" if value is None else f"{value}{unit}"


def print_table(report: Report) -> None:
    data = report.dataset
    print()
    print(
        f"{report.date} · {report.machine['cores']} cores · PostgreSQL {report.machine['postgresql']} · "
        f"{data['professionals']:,} professionals ({data['in_service']:,} in service), "
        f"{data['placements']:,} placements · seed {data['seed_seconds'] or 'reused'}"
        + ("s" if data["seed_seconds"] else "")
    )
    header = ("case", "median ms", "p95 ms", "target ms", "queries", "limit", "status")
    rows = [
        (
            r.name,
            _cell(r.median_ms),
            _cell(r.p95_ms),
            _cell(r.target_ms),
            _cell(r.queries),
            _cell(r.query_limit),
            r.status + (f" ({r.note})" if r.note else ""),
        )
        for r in report.results
    ]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print(
            "  ".join(
                str(cell).ljust(width) if i in (0, 6) else str(cell).rjust(width)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            )
        )
