"""A large, clean professionals file for the benchmark and the speed test: `count` new people
spread over the existing agencies, grades and titles, as a clerk's workbook would hold them."""

from __future__ import annotations

import datetime as dt
import random

from agencies.models import Agency
from professionals.exports import Column, xlsx_bytes
from professionals.models import Grade, PositionTitle

from .importers.professionals import ProfessionalImporter

HEADERS = [c.header for c in ProfessionalImporter.columns if c.header not in ("Status", "Middle name")]


def professionals_workbook(count: int, *, seed: int = 10, prefix: str = "IMP") -> bytes:
    rng = random.Random(seed)
    agencies = list(Agency.objects.filter(dissolved_on__isnull=True).values_list("code", flat=True))
    grades = list(Grade.objects.filter(category__code__in=["P", "S", "SS"]).values_list("code", flat=True))
    titles = list(PositionTitle.objects.values_list("name", flat=True)) or [""]
    rows = []
    for n in range(count):
        born = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 30))
        appointed = born + dt.timedelta(days=365 * 22 + rng.randint(0, 365 * 8))
        values = {
            "Employee id": f"{prefix}{n:06d}",
            "National id": f"9{n:010d}",
            "First name": rng.choice(["Pema", "Karma", "Sonam", "Tshering", "Dorji", "Kinley", "Deki"]),
            "Last name": rng.choice(["Wangmo", "Dorji", "Lhamo", "Tobgay", "Penjor", ""]),
            "Gender": rng.choice(["Female", "Male"]),
            "Date of birth": born,
            "Grade": rng.choice(grades),
            "Position title": rng.choice(titles),
            "Track": "",
            "Agency code": rng.choice(agencies),
            "Placed since": appointed.strftime("%d %b %Y"),
            "Employment type": "Regular",
            "First appointment": appointed,
            "Email": f"person{n}@example.gov.bt",
            "Phone": f"17{n:06d}",
        }
        rows.append([values[h] for h in HEADERS])
    return xlsx_bytes([Column(h, "", 14) for h in HEADERS], rows, title="Staff")
