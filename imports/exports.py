"""Files the importers read: each kind's export (every record, in the importer's columns) and its
blank template (the headers and one example row)."""

from __future__ import annotations

from professionals.exports import csv_lines, xlsx_bytes

from .registry import importer_for


def export_file(kind: str, file_format: str) -> bytes:
    columns, rows = importer_for(kind).export()
    if file_format == "csv":
        return "".join(csv_lines(columns, rows)).encode("utf-8")
    return xlsx_bytes(columns, rows, title=kind)


def template_file(kind: str) -> bytes:
    """An .xlsx with the headers and one example row (`Column.example`)."""
    importer = importer_for(kind)
    return xlsx_bytes(importer.sheet_columns(), [[c.example for c in importer.columns]], title=kind)
