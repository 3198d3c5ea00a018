"""A `Document` (reports/documents.py) as PDF (WeasyPrint, from an HTML template), Excel (one
sheet per table, numbers as numbers) or CSV (the main table). Text cells that a spreadsheet
would read as a formula are escaped as in professionals/exports.py."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from agencies.models import SiteSettings
from core.pdf import html_to_pdf
from core.spreadsheets import safe_text

from .documents import DATE, DECIMAL, INT, PERCENT, Document, Table
from .models import ReportFormat

CONTENT_TYPES = {
    ReportFormat.PDF: "application/pdf",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ReportFormat.CSV: "text/csv; charset=utf-8",
}
NUMBER_FORMATS = {INT: "#,##0", DECIMAL: "#,##0.0", PERCENT: "0.0%", DATE: "yyyy-mm-dd"}
TOC_FROM_TABLES = 3  # a table of contents once a report has this many sections of tables


def render(document: Document, format: str) -> bytes:
    return {ReportFormat.PDF: pdf_bytes, ReportFormat.XLSX: xlsx_bytes, ReportFormat.CSV: csv_bytes}[format](document)


def _display(value, kind: str) -> str:
    """A cell as printed in the PDF."""
    if value is None:
        return "–"
    if kind == PERCENT:
        return f"{value:.1f}"
    if kind == DECIMAL:
        return f"{value:,.1f}"
    if kind == INT and isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value)


def pdf_bytes(document: Document) -> bytes:
    tables = [
        {
            "table": table,
            "anchor": f"table-{index}",
            # A fixed layout from these shares lays long tables out several times faster than "auto".
            "widths": [round(100 * c.width / sum(c.width for c in table.columns), 2) for c in table.columns],
            "rows": [
                [
                    (_display(value, column.kind), column.kind not in ("text", DATE))
                    for value, column in zip(row, table.columns, strict=True)
                ]
                for row in table.rows
            ],
        }
        for index, table in enumerate(t for t in document.tables if t.in_pdf)
    ]
    wide = max((len(t["table"].columns) for t in tables), default=0) > 9
    html = render_to_string(
        "reports/report_pdf.html",
        {
            "doc": document,
            "tables": tables,
            "site": SiteSettings.load(),
            "toc": len(tables) >= TOC_FROM_TABLES,
            "landscape": wide,
        },
    )
    return html_to_pdf(html)


def _sheet_value(value, kind: str):
    if value is None:
        return None
    if kind == PERCENT:
        return round(value / 100, 6)
    if kind == DECIMAL:
        return round(float(value), 4)
    return safe_text(value)


def xlsx_bytes(document: Document) -> bytes:
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    about = workbook.create_sheet(title="About")
    about.column_dimensions["A"].width = 30
    about.column_dimensions["B"].width = 100
    site = SiteSettings.load()
    for label, text in [
        ("Report", document.title),
        ("Prepared by", site.parent_agency_name),
        ("Covers", document.scope),
        ("Period", document.period),
        ("Generated", document.generated_at.strftime("%Y-%m-%d %H:%M %Z")),
        *(("Summary", line) for line in document.summary),
        *document.assumptions,
        *document.definitions,
    ]:
        cell = WriteOnlyCell(about, value=safe_text(label))
        cell.font = bold
        text = WriteOnlyCell(about, value=safe_text(text))
        text.alignment = Alignment(wrap_text=True, vertical="top")
        about.append([cell, text])
    used = {"About"}
    for table in document.tables:
        _append_sheet(workbook, table, used)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _append_sheet(workbook: Workbook, table: Table, used: set[str]) -> None:
    name = "".join(ch for ch in table.key if ch not in "[]:*?/\\")[:31] or "Table"
    while name in used:
        name = f"{name[:28]} {len(used)}"
    used.add(name)
    sheet = workbook.create_sheet(title=name)
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(column.width, len(column.header) * 0.9)
    sheet.freeze_panes = "B2"
    bold = Font(bold=True)
    header = []
    for column in table.columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True)
        header.append(cell)
    sheet.append(header)
    formats = [NUMBER_FORMATS.get(column.kind) for column in table.columns]
    for row in table.rows:
        cells = []
        for value, column, number_format in zip(row, table.columns, formats, strict=True):
            cell = WriteOnlyCell(sheet, value=_sheet_value(value, column.kind))
            if number_format:
                cell.number_format = number_format
            cells.append(cell)
        sheet.append(cells)


def csv_bytes(document: Document) -> bytes:
    table = document.main_table
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so that Excel reads UTF-8 names intact
    writer = csv.writer(buffer)
    writer.writerow([column.header for column in table.columns])
    for row in table.rows:
        writer.writerow(
            [
                "" if value is None else value.isoformat() if isinstance(value, dt.date) else safe_text(value)
                for value in row
            ]
        )
    return buffer.getvalue().encode("utf-8")
