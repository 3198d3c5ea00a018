"""The importer framework: columns, rows read cell by cell, the per-row outcome and the report.

An importer names its columns (header, whether required, help, an example) and says, for each row,
what it would create, update or leave unchanged and what is wrong. Two ways to do that:

- `ServiceImporter`: each row goes through the app's own service functions (the ones the portal
  uses), in a savepoint. The dry run does exactly what the commit does and then rolls back, so it
  can never disagree with it. For reference data and events: hundreds of rows, not tens of
  thousands. An importer for assessments, certifications or training records is one such class
  (columns, `lookup_key`, `apply_row`, `export_rows`) registered in `imports.registry`.
- `Importer` subclasses that check in memory and write in bulk (professionals, placements), for
  10,000 rows in seconds.

The runner (`imports.services.import_run_file`) opens the one transaction and rolls it back after a
dry run or when anything is wrong.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.audit import actor_user

from ..reading import Sheet, SheetRow
from ..values import CellError, Lookup, parse_date, parse_integer, parse_yes_no

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"
ACTIONS = (CREATE, UPDATE, UNCHANGED, ERROR)
ProgressFn = Callable[[int, int], None]


def header_key(text) -> str:
    """Headers match whatever their case, spacing and punctuation: 'Employee ID' = 'employee_id'."""
    return re.sub(r"[^0-9a-z]", "", str(text or "").casefold())


@dataclass(frozen=True)
class Column:
    header: str
    required: bool = False
    help: str = ""
    example: str = ""
    aliases: tuple[str, ...] = ()
    width: int = 16

    def header_keys(self) -> set[str]:
        return {header_key(self.header), *(header_key(alias) for alias in self.aliases)}


@dataclass
class RowOutcome:
    number: int
    key: str = ""
    action: str = UNCHANGED
    changes: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column header or "", message)

    def error(self, column: str, message: str) -> None:
        self.errors.append((column, message))
        self.action = ERROR

    def to_dict(self) -> dict:
        return {
            "n": self.number,
            "key": self.key,
            "action": self.action,
            "changes": self.changes,
            "errors": self.errors,
        }


@dataclass
class ImportReport:
    kind: str
    filename: str
    notes: list[str] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    rows: list[RowOutcome] = field(default_factory=list)
    committed: bool = False

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(ACTIONS, 0)
        for row in self.rows:
            counts[row.action] += 1
        return counts

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + sum(len(row.errors) for row in self.rows)

    @property
    def ok(self) -> bool:
        return not self.file_errors and not any(row.errors for row in self.rows) and bool(self.rows)

    def to_dict(self) -> dict:
        # Unchanged rows are only counted: a re-imported 10,000-row file stores a few bytes.
        return {
            "kind": self.kind,
            "filename": self.filename,
            "notes": self.notes,
            "file_errors": self.file_errors,
            "counts": self.counts,
            "error_count": self.error_count,
            "ok": self.ok,
            "committed": self.committed,
            "rows": [row.to_dict() for row in self.rows if row.action != UNCHANGED],
        }

    def lines(self) -> Iterator[str]:
        """The report as text, for the command line."""
        yield from (f"Note: {note}" for note in self.notes)
        yield from (f"Error: {error}" for error in self.file_errors)
        for row in self.rows:
            if row.errors:
                for column, message in row.errors:
                    yield f"Row {row.number}{f', {column}' if column else ''}: {message}"
            elif row.action != UNCHANGED:
                detail = f": {'; '.join(row.changes)}" if row.changes else ""
                yield f"Row {row.number} ({row.key}): {row.action}{detail}"
        counts = self.counts
        yield (
            f"{counts[CREATE]} to create, {counts[UPDATE]} to update, {counts[UNCHANGED]} unchanged, "
            f"{self.error_count} error(s)."
        )


class Row:
    """One data row, read cell by cell; every problem lands on the outcome under its column."""

    def __init__(self, sheet_row: SheetRow, columns: dict[str, int], outcome: RowOutcome):
        self.number = sheet_row.number
        self._values = sheet_row.values
        self._columns = columns  # header -> index in the file
        self.outcome = outcome
        for index, problem in sheet_row.problems.items():
            header = next((name for name, at in columns.items() if at == index), "")
            if header or index < len(sheet_row.values):
                outcome.error(header, problem)

    def has(self, header: str) -> bool:
        return header in self._columns

    def raw(self, header: str):
        index = self._columns.get(header)
        if index is None or index >= len(self._values):
            return None
        return self._values[index]

    def error(self, header: str, message: str) -> None:
        self.outcome.error(header, message)

    def _read(self, header: str, required: bool, parse):
        value = self.raw(header)
        if value is None or value == "":
            if required:
                self.error(header, f"{header} is empty; it is required.")
            return None
        try:
            return parse(value)
        except CellError as error:
            self.error(header, str(error))
            return None

    def text(self, header: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self._read(header, required, lambda v: v if isinstance(v, str) else str(v))
        if value and max_length and len(value) > max_length:
            self.error(header, f"{header} is {len(value)} characters long; at most {max_length} fit.")
        return value or ""

    def date(self, header: str, *, required: bool = False):
        return self._read(header, required, parse_date)

    def integer(self, header: str, *, required: bool = False, **limits):
        return self._read(header, required, lambda v: parse_integer(v, **limits))

    def yes_no(self, header: str) -> bool:
        return bool(self._read(header, False, parse_yes_no))

    def ref(self, header: str, lookup: Lookup, *, required: bool = False):
        return self._read(header, required, lookup.find)

    def choice(self, header: str, choices, *, required: bool = False, default=None):
        """A value of a TextChoices: its code or its label, any case."""
        options = {}
        for value, label in choices:
            options[header_key(value)] = value
            options[header_key(label)] = value

        def parse(value):
            found = options.get(header_key(value))
            if found is None:
                written = ", ".join(str(label) for _value, label in choices)
                raise CellError(f"“{value}” is not one of: {written}.")
            return found

        found = self._read(header, required, parse)
        return default if found is None and self.raw(header) in (None, "") else found


def validation_errors(error: ValidationError, fields: dict[str, str]) -> list[tuple[str, str]]:
    """A model or service ValidationError as (column, message) pairs, columns named by `fields`
    (model field -> header); what belongs to no column goes on the row."""
    if hasattr(error, "error_dict"):
        return [
            (fields.get(name, ""), message) for name, messages in error.message_dict.items() for message in messages
        ]
    return [("", message) for message in error.messages]


def changes_between(instance, values: dict, labels: dict[str, str]) -> list[str]:
    """'Label: old → new' for each field of `values` that differs on `instance`."""
    changes = []
    for name, new in values.items():
        old = getattr(instance, name)
        if old != new:
            changes.append(f"{labels.get(name, name)}: {_show(old)} → {_show(new)}")
    return changes


def _show(value) -> str:
    if value is None or value == "":
        return "(empty)"
    if hasattr(value, "strftime"):
        return value.strftime("%d %b %Y")
    return str(getattr(value, "code", None) or value)


class Importer(ABC):
    """One kind of import. Subclasses set `kind`, `label`, `columns` and implement `run` (or use
    ServiceImporter) and `export_rows` (or override `export`)."""

    kind: str = ""
    label: str = ""
    description: str = ""
    columns: list[Column] = []
    informational: tuple[str, ...] = ()  # headers of our exports that the import reads past

    def __init__(self, *, actor, reason: str):
        self.actor = actor
        self.reason = reason

    # -- headers -----------------------------------------------------------------------------

    def match_headers(self, sheet: Sheet, report: ImportReport) -> dict[str, int] | None:
        """Our headers -> their column index in the file, or None after reporting what is missing."""
        wanted = {key: column for column in self.columns for key in column.header_keys()}
        informational = {header_key(h) for h in self.informational}
        found: dict[str, int] = {}
        ignored = []
        for index, header in enumerate(sheet.headers):
            key = header_key(header)
            if not key:
                continue
            column = wanted.get(key)
            if column is None:
                if key not in informational:
                    ignored.append(header)
                continue
            if column.header in found:
                report.file_errors.append(
                    f"The column “{column.header}” appears twice (columns {_letter(found[column.header])} and "
                    f"{_letter(index)}); keep one."
                )
                continue
            found[column.header] = index
        for column in self.columns:
            if column.required and column.header not in found:
                close = _closest(column.header, ignored)
                hint = f" The file has a column “{close}”: is that it? Rename it to “{column.header}”." if close else ""
                report.file_errors.append(f"The required column “{column.header}” is missing.{hint}")
        if ignored:
            report.notes.append(f"Column(s) not used by this import: {', '.join(f'“{h}”' for h in ignored)}.")
        return None if report.file_errors else found

    # -- running -----------------------------------------------------------------------------

    def rows(self, sheet: Sheet, found: dict[str, int], report: ImportReport) -> list[Row]:
        rows = []
        for sheet_row in sheet.rows:
            outcome = RowOutcome(number=sheet_row.number)
            report.rows.append(outcome)
            rows.append(Row(sheet_row, found, outcome))
        return rows

    @abstractmethod
    def run(self, rows: list[Row], *, write: bool, progress: ProgressFn) -> None: ...

    def history_options(self) -> dict:
        """The user and reason of the history rows that bulk writes create."""
        return {"default_user": actor_user(self.actor), "default_change_reason": self.reason[:100]}

    # -- files -------------------------------------------------------------------------------

    def sheet_columns(self) -> list:
        """The importer's own columns as spreadsheet columns (templates and exports)."""
        from professionals.exports import Column as ExportColumn

        return [ExportColumn(c.header, "", c.width) for c in self.columns]

    def export_rows(self) -> Iterable[list]:
        """Every record of the kind, one list of cell values per row in the order of `columns`.
        Not abstract: an importer may override `export` instead (professionals)."""
        raise NotImplementedError

    def export(self):
        """(columns, rows) of the file that `export_rows` makes: the importer's own columns, so that
        the export can be imported back unchanged."""
        return self.sheet_columns(), self.export_rows()


class ServiceImporter(Importer):
    """Rows applied one by one through the app's services, each in a savepoint: a failing row is
    rolled back alone and reported; the runner rolls the whole back after a dry run or any error.

    Subclasses implement `apply_row(row) -> (action, key, changes)` raising ValidationError or
    CellError for what is wrong, and may order the rows (`order`)."""

    fields: dict[str, str] = {}  # model field -> header, for the services' validation errors

    def prepare(self, rows: list[Row]) -> None:
        """Load the lookups the rows need, once."""

    def order(self, rows: list[Row]) -> list[Row]:
        return rows

    @abstractmethod
    def apply_row(self, row: Row) -> tuple[str, str, list[str]]: ...

    def run(self, rows: list[Row], *, write: bool, progress: ProgressFn) -> None:
        self.prepare(rows)
        ordered = self.order(rows)
        for done, row in enumerate(ordered, start=1):
            if not row.outcome.errors:
                self._apply(row)
            if done % 100 == 0:
                progress(done, len(ordered))

    def _apply(self, row: Row) -> None:
        before = len(row.outcome.errors)
        try:
            with transaction.atomic():
                action, key, changes = self.apply_row(row)
                if len(row.outcome.errors) > before:
                    raise _RowFailed
        except _RowFailed:
            return
        except CellError as error:
            row.error("", str(error))
            return
        except ValidationError as error:
            for column, message in validation_errors(error, self.fields):
                row.error(column, message)
            return
        except IntegrityError as error:
            row.error("", f"The database refused the row: {error}".splitlines()[0])
            return
        row.outcome.key = key or row.outcome.key
        row.outcome.action = action
        row.outcome.changes = changes


class _RowFailed(Exception):
    pass


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _closest(header: str, candidates: list[str]) -> str | None:
    import difflib

    keyed = {header_key(c): c for c in candidates}
    close = difflib.get_close_matches(header_key(header), list(keyed), n=1, cutoff=0.75)
    return keyed[close[0]] if close else None
