"""Exports of the professionals list: exactly the rows of the list (every page, same order).

The rows are read with one query through a server-side cursor (`iterator()`), so 50,000 rows
never sit in memory as model instances: CSV streams as it is written (50,000 rows in about a
second); Excel uses openpyxl's write-only mode and is sent when complete (an agency's list in well
under a second, all 50,000 in several seconds: a background report is the better tool for that).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.spreadsheets import safe_text

from .models import EmploymentType, Gender, Status

CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Column:
    header: str
    path: str  # a field or annotation of the list's queryset
    width: int = 16


def export_columns(*, sees_national_ids: bool, region_label: str = "Region") -> list[Column]:
    columns = [
        Column("Employee id", "employee_id", 14),
        Column("National id", "national_id", 14),
        Column("First name", "first_name"),
        Column("Middle name", "middle_name"),
        Column("Last name", "last_name"),
        Column("Gender", "gender", 10),
        # The professionals import needs it to create a person: with it, this file imports back unchanged.
        Column("Date of birth", "date_of_birth", 12),
        Column("Grade", "grade__code", 8),
        Column("Grade category", "grade__category__code", 10),
        Column("Position title", "position_title__name", 28),
        Column("Track", "track__name", 28),
        Column("Agency code", "current_agency_code", 12),
        Column("Agency", "current_agency_name", 40),
        Column(region_label, "current_region_name", 16),
        Column("Placed since", "current_since", 12),
        Column("Status", "status", 18),
        Column("Employment type", "employment_type", 16),
        Column("First appointment", "first_appointment_date", 12),
        Column("Superannuation date", "superannuation_date", 12),
        Column("Email", "email", 28),
        Column("Phone", "phone", 16),
    ]
    if not sees_national_ids:
        columns = [column for column in columns if column.path != "national_id"]
    return columns


LABELS = {
    "gender": dict(Gender.choices),
    "status": dict(Status.choices),
    "employment_type": dict(EmploymentType.choices),
}


def export_rows(queryset: QuerySet, columns: list[Column]) -> Iterator[list]:
    """The list's rows as plain values (choice labels, real dates), in the list's order."""
    paths = [column.path for column in columns]
    labels = [LABELS.get(path) for path in paths]
    for values in queryset.values_list(*paths).iterator(chunk_size=CHUNK_SIZE):
        yield [
            label.get(value, value) if label is not None else value for value, label in zip(values, labels, strict=True)
        ]


class _Echo:
    """A file-like object whose write() returns the line, for csv.writer in a streaming response."""

    def write(self, value: str) -> str:
        return value


def csv_lines(columns: list[Column], rows: Iterable[list]) -> Iterator[str]:
    # A byte-order mark, so that Excel reads the file as UTF-8 and keeps non-ASCII names intact.
    yield "\ufeff"
    writer = csv.writer(_Echo())
    yield writer.writerow([column.header for column in columns])
    for row in rows:
        yield writer.writerow(
            [
                value.isoformat() if isinstance(value, dt.date) else "" if value is None else safe_text(value)
                for value in row
            ]
        )


def xlsx_bytes(columns: list[Column], rows: Iterable[list], *, title: str = "Professionals") -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title)
    for index, column in enumerate(columns):
        sheet.column_dimensions[get_column_letter(index + 1)].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    # openpyxl stores a date as a real date cell (number format yyyy-mm-dd) by itself.
    for row in rows:
        sheet.append([safe_text(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
