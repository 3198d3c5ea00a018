"""Reading one cell: dates, yes/no, numbers, and names of reference rows (agencies, grades, titles).

Dates, the rule (README, "Importing data"):
- ISO: 2024-12-31 (also 2024/12/31), and real date cells of a workbook.
- Day first with the month in words: 31 Dec 2024, 31 December 2024, 31-Dec-2024; also Dec 31, 2024.
- Day first in numbers: 31/12/2024, 31-12-2024, 31.12.2024. When both numbers are 12 or less
  and differ (03/04/2024), the date could be 3 April or 4 March: it is reported as ambiguous,
  never guessed; the clerk writes 03 Apr 2024 or 2024-04-03. A second number above 12
  (12/31/2024) is month-first, which this system does not read: reported with the same advice.
- Years have four digits: 31/12/24 is reported.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
ISO = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T]00:00(?::00)?)?$")
NUMERIC = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{2,4})$")
DAY_MONTH_WORD = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s-]+([a-z]+)\.?,?[\s-]+(\d{2,4})$")
MONTH_WORD_DAY = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{2,4})$")
SHORT = "%d %b %Y"


class CellError(ValueError):
    """The cell's value cannot be used; the message is for the clerk."""


def _build(year: int, month: int, day: int, text: str) -> dt.date:
    if year < 100:
        raise CellError(f"“{text}” has a two-digit year; write the year in full, e.g. 31 Dec 2024.")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(f"“{text}” is not a date in the calendar (day {day} of month {month}).") from None


def parse_date(value) -> dt.date:
    """A date from a workbook's date cell or from text in one of the accepted forms."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = " ".join(str(value).split()).lower()
    if match := ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
        return _build(year, month, day, value)
    if match := NUMERIC.match(text):
        first, _sep, second, year = match.groups()
        day, month, year = int(first), int(second), int(year)
        if month > 12:
            raise CellError(
                f"“{value}” reads month first; dates are written day first. Write it as "
                f"{_example(year, day, month)} to be unmistakable."
            )
        if day <= 12 and day != month:
            raise CellError(
                f"“{value}” could be {_words(year, month, day)} or {_words(year, day, month)}. Write the month in "
                f"words ({_words(year, month, day)}) or as {_iso(year, month, day)} so it cannot be misread."
            )
        return _build(year, month, day, value)
    if match := DAY_MONTH_WORD.match(text):
        day, month_name, year = match.groups()
        return _build(int(year), _month(month_name, value), int(day), value)
    if match := MONTH_WORD_DAY.match(text):
        month_name, day, year = match.groups()
        return _build(int(year), _month(month_name, value), int(day), value)
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        raise CellError(f"“{value}” is a spreadsheet date number; format the column as dates, e.g. 31 Dec 2024.")
    raise CellError(f"“{value}” is not a date. Write dates as 31 Dec 2024, 31/12/2024 or 2024-12-31.")


def _month(name: str, text) -> int:
    if name in MONTHS:
        return MONTHS[name]
    raise CellError(f"“{text}”: “{name}” is not a month name.")


def _words(year: int, month: int, day: int) -> str:
    try:
        return dt.date(year, month, day).strftime(SHORT)
    except ValueError:
        return f"{day:02d}/{month:02d}/{year}"


def _iso(year: int, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}"


def _example(year: int, month: int, day: int) -> str:
    return f"{_words(year, month, day)} or {_iso(year, month, day)}"


YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0", ""}


def parse_yes_no(value) -> bool:
    text = str(value or "").strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError(f"“{value}” is neither yes nor no.")


def parse_integer(value, *, minimum: int | None = None, maximum: int | None = None) -> int:
    text = str(value).strip().replace(",", "")
    if re.fullmatch(r"-?\d+(\.0+)?", text) is None:
        raise CellError(f"“{value}” is not a whole number.")
    number = int(float(text))
    if minimum is not None and number < minimum:
        raise CellError(f"{number} is below the lowest allowed, {minimum}.")
    if maximum is not None and number > maximum:
        raise CellError(f"{number} is above the highest allowed, {maximum}.")
    return number


def squash(text) -> str:
    """Names compared case- and space-insensitively: 'Ministry  of health ' = 'ministry of health'."""
    return " ".join(str(text).split()).casefold()


class Lookup:
    """Reference rows found by code or by exact name (case and spacing aside), with the closest
    match suggested when neither fits. `noun` names the thing in messages ("agency")."""

    def __init__(self, noun: str, items: Iterable[tuple[object, str, str]]):
        self.noun = noun
        self.by_code: dict[str, object] = {}
        self.by_name: dict[str, list[object]] = {}
        self.labels: dict[str, str] = {}  # squashed label -> how to write it
        for obj, code, name in items:
            if code:
                self.by_code[squash(code)] = obj
                self.labels[squash(code)] = code
            if name:
                self.by_name.setdefault(squash(name), []).append(obj)
                self.labels[squash(name)] = f"{name} ({code})" if code and squash(code) != squash(name) else name

    def add(self, obj, code: str, name: str = "") -> None:
        self.by_code[squash(code)] = obj
        self.labels[squash(code)] = code
        if name:
            self.by_name.setdefault(squash(name), []).append(obj)

    def find(self, value):
        key = squash(value)
        if key in self.by_code:
            return self.by_code[key]
        named = self.by_name.get(key, [])
        if len(named) == 1:
            return named[0]
        if len(named) > 1:
            raise CellError(f"{len(named)} {self.noun} records are named “{value}”; write the code instead.")
        close = difflib.get_close_matches(key, list(self.labels), n=1, cutoff=0.6)
        hint = f" Did you mean {self.labels[close[0]]}?" if close else ""
        raise CellError(f"No {self.noun} has the code or name “{value}”.{hint}")
