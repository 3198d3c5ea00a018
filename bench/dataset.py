"""The benchmark's data set: built with seed_demo when the database has none, else reused."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.management import call_command
from django.db import connection


@dataclass
class Dataset:
    professionals: int
    in_service: int
    placements: int
    agencies: int
    seed_seconds: float | None  # None: reused

    def describe(self) -> str:
        how = f"built in {self.seed_seconds:.1f} s" if self.seed_seconds is not None else "reused"
        return (
            f"{how}: {self.professionals:,} professionals ({self.in_service:,} in service), "
            f"{self.placements:,} placements, {self.agencies} agencies"
        )

    def as_dict(self) -> dict:
        return {
            "professionals": self.professionals,
            "in_service": self.in_service,
            "placements": self.placements,
            "agencies": self.agencies,
            "seed_seconds": self.seed_seconds,
        }


def ensure(*, professionals: int, years: int, reseed: bool) -> Dataset:
    """Migrate, then seed `professionals` (in service) with `years` of history unless the database
    already has professionals and no reseed was asked for."""
    call_command("migrate", interactive=False, verbosity=0)
    from professionals.models import Professional

    seconds = None
    if reseed or not Professional.objects.exists():
        started = time.perf_counter()
        call_command(
            "seed_demo", professionals=professionals, years=years, reset=reseed, verbosity=0, stdout=_Discard()
        )
        seconds = round(time.perf_counter() - started, 1)
    else:
        # A reused data set starts clean: earlier runs' rolled-back writes leave dead rows.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return counts(seed_seconds=seconds)


def counts(*, seed_seconds: float | None) -> Dataset:
    from agencies.models import Agency
    from placements.models import Placement
    from professionals.models import IN_SERVICE_STATUSES, Professional

    return Dataset(
        professionals=Professional.objects.count(),
        in_service=Professional.objects.filter(status__in=IN_SERVICE_STATUSES).count(),
        placements=Placement.objects.count(),
        agencies=Agency.objects.count(),
        seed_seconds=seed_seconds,
    )


def collect_static() -> None:
    """Production settings serve hashed static files from STATIC_ROOT (WhiteNoise's manifest)."""
    call_command("collectstatic", interactive=False, verbosity=0)


def server_version() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0].split()[0]


class _Discard:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass
