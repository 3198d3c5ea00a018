"""Reading an uploaded file into a table of cells, whatever the clerk saved it as.

Accepted: Excel workbooks (.xlsx) and CSV text in UTF-8 (with or without the byte-order mark Excel
writes; UTF-16 "Unicode text" too), separated by commas, semicolons (Excel in many European
locales) or tabs. The type is sniffed from the bytes, never trusted from the file's name: an xlsx
is a zip holding the OOXML workbook parts; CSV must decode as text. Anything else is refused with
a message that says what the file is and what to do.

Workbooks: the first *visible* sheet is read. Hidden sheets are never read (a clerk cannot see
what they would import) and the report says they were skipped; so are further visible sheets.
Cells holding formulas are reported as errors on their row and column: the value a formula shows
depends on when the file was last recalculated, so the clerk types the value itself.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

MAX_BYTES = 20 * 1024 * 1024


class FileRejected(Exception):
    """The file cannot be read as a table at all; the message says why, for a clerk."""


@dataclass
class SheetRow:
    number: int  # the row number the clerk sees in their spreadsheet (the header is usually row 1)
    values: list  # str, datetime.date or None per column
    problems: dict[int, str] = field(default_factory=dict)  # column index -> what is wrong with the cell


@dataclass
class Sheet:
    headers: list[str]
    rows: list[SheetRow]
    notes: list[str] = field(default_factory=list)
    file_type: str = "csv"


def megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f} MB" if value >= 10 else f"{value:.1f} MB"


def read_sheet(data: bytes, *, max_bytes: int = MAX_BYTES) -> Sheet:
    """The table in `data` (the whole file). Raises FileRejected with a clerk's message."""
    if len(data) > max_bytes:
        raise FileRejected(
            f"The file is {megabytes(len(data))}; the limit is {megabytes(max_bytes)}. Split it into smaller files "
            "(e.g. one per agency) and import them one after another."
        )
    if not data.strip():
        raise FileRejected("The file is empty.")
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRejected(
            "This is an old Excel 97-2003 workbook (.xls) or a password-protected workbook. Open it in Excel, "
            "remove any password and save it as an Excel Workbook (.xlsx) or as CSV UTF-8."
        )
    if data.startswith(b"%PDF"):
        raise FileRejected("This is a PDF document, not a spreadsheet. Import an Excel workbook (.xlsx) or a CSV file.")
    return _read_csv(data)


def _read_csv(data: bytes) -> Sheet:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
    else:
        if b"\x00" in data[:8192]:
            raise FileRejected(
                "This file is not a spreadsheet: it holds binary data. Import an Excel workbook (.xlsx) or a CSV file."
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise FileRejected(
                f"The file is not UTF-8 text (line {line} has characters in another encoding). In Excel, use "
                "Save As > CSV UTF-8 (Comma delimited); in LibreOffice choose the character set Unicode (UTF-8)."
            ) from None
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = _delimiter(first)
    rows: list[SheetRow] = []
    headers: list[str] | None = None
    try:
        for number, record in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            values = [value.strip() or None for value in record]
            if not any(values):
                continue
            if headers is None:
                headers = [value or "" for value in values]
                continue
            values = [_unprotect(value) for value in values]
            rows.append(SheetRow(number=number, values=values, problems=_control_characters(values, number)))
    except csv.Error as error:
        raise FileRejected(f'The CSV file cannot be read: {error}. Check that every quote (") is closed.') from None
    names = {",": "commas", ";": "semicolons", "\t": "tabs"}
    return Sheet(headers=headers or [], rows=rows, notes=[f"Read as CSV text separated by {names[delimiter]}."])


def _delimiter(header_line: str) -> str:
    """The separator of the header line, counted outside quotes: headers rarely hold one."""
    counts = dict.fromkeys((",", ";", "\t"), 0)
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda char: counts[char])
    return best if counts[best] else ","


def _unprotect(value):
    """Our exports put an apostrophe before text that a spreadsheet would run as a formula
    (=, +, -, @); reading such a file back takes it off again."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in "=+-@":
        return value[1:]
    return value


def _read_xlsx(data: bytes) -> Sheet:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise FileRejected(
            "The file looks like an Excel workbook but is damaged (not a complete zip archive)."
        ) from None
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        what = "an OpenDocument spreadsheet (.ods)" if "content.xml" in names else "a zip archive"
        if "word/document.xml" in names:
            what = "a Word document"
        raise FileRejected(
            f"This is {what}, not an Excel workbook (.xlsx). Save the sheet as an Excel Workbook (.xlsx) "
            "or as CSV UTF-8."
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for damaged parts
        raise FileRejected(f"The Excel workbook cannot be read ({type(error).__name__}: {error}).") from None
    try:
        visible = [sheet for sheet in workbook.worksheets if sheet.sheet_state == "visible"]
        hidden = [sheet.title for sheet in workbook.worksheets if sheet.sheet_state != "visible"]
        if not visible:
            raise FileRejected("Every sheet of the workbook is hidden; unhide the sheet to import.")
        sheet = visible[0]
        notes = [f"Read the sheet “{sheet.title}”."]
        if hidden:
            notes.append(f"Hidden sheet(s) not read: {', '.join(f'“{t}”' for t in hidden)}.")
        if len(visible) > 1:
            notes.append(f"Only the first sheet is read; not read: {', '.join(f'“{s.title}”' for s in visible[1:])}.")
        headers, rows = _sheet_rows(sheet)
    finally:
        workbook.close()
    return Sheet(headers=headers, rows=rows, notes=notes, file_type="xlsx")


def _sheet_rows(sheet) -> tuple[list[str], list[SheetRow]]:
    headers: list[str] | None = None
    rows: list[SheetRow] = []
    for cells in sheet.iter_rows():
        values, problems = [], {}
        number = None
        for index, cell in enumerate(cells):
            value = getattr(cell, "value", None)
            number = number or getattr(cell, "row", None)
            if cell.data_type == "f":
                problems[index] = (
                    f"Cell {get_column_letter(index + 1)}{cell.row} holds a formula ({str(value)[:40]}); type the "
                    "value itself (in Excel: copy the column, then Paste Special > Values)."
                )
                value = None
            elif cell.data_type == "e":
                problems[index] = f"Cell {get_column_letter(index + 1)}{cell.row} shows the error {value}."
                value = None
            values.append(_cell_value(value))
        if not any(v is not None for v in values) and not problems:
            continue
        if headers is None:
            headers = ["" if v is None else str(v) for v in values]
            continue
        rows.append(SheetRow(number=number, values=values, problems=problems | _control_characters(values, number)))
    return headers or [], rows


# C0 control characters other than tab, line feed and carriage return: PostgreSQL refuses NUL in
# text, and none of them belongs in a record. A cell holding one is an error of its row (the value
# is dropped), reported in the dry run before anything is written.
_CONTROL = frozenset(chr(code) for code in (*range(0, 9), 11, 12, *range(14, 32), 127))


def _control_characters(values: list, number: int) -> dict[int, str]:
    problems = {}
    for index, value in enumerate(values):
        if isinstance(value, str) and not _CONTROL.isdisjoint(value):
            found = next(c for c in value if c in _CONTROL)
            name = "NUL" if found == "\0" else f"U+{ord(found):04X}"
            problems[index] = (
                f"Cell {get_column_letter(index + 1)}{number} holds an invisible control character ({name}) that "
                "cannot be stored; delete the cell's content and type the value again."
            )
            values[index] = None
    return problems


def _cell_value(value):
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return _unprotect(text) or None
