"""Files for the import tests, written the way clerks' tools write them."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook


def csv_bytes(rows: list[list], *, delimiter: str = ",", bom: bool = False, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows: list[list], *, title: str = "Staff", hidden: tuple[str, ...] = (), extra: tuple[str, ...] = ()):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for name in hidden:
        workbook.create_sheet(name).sheet_state = "hidden"
    for name in extra:
        workbook.create_sheet(name).append(["ignored"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


PROFESSIONAL_HEADERS = [
    "Employee id",
    "National id",
    "First name",
    "Last name",
    "Gender",
    "Date of birth",
    "Grade",
    "Position title",
    "Agency code",
    "Placed since",
    "First appointment",
    "Email",
]


def professional_row(n: int, **overrides) -> list:
    values = {
        "Employee id": f"2015{n:05d}",
        "National id": f"{11000000000 + n}",
        "First name": "Pema",
        "Last name": f"Wangmo{n}",
        "Gender": "Female",
        "Date of birth": "14 Mar 1990",
        "Grade": "P3",
        "Position title": "ICT Officer",
        "Agency code": "MOH",
        "Placed since": "2015-07-01",
        "First appointment": "01 Jul 2015",
        "Email": "pema@health.gov.bt",
    }
    values.update(overrides)
    return [values[h] for h in PROFESSIONAL_HEADERS]
