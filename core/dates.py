"""Calendar arithmetic on dates, the one implementation of each that the apps use."""

from __future__ import annotations

import calendar
import datetime as dt


def years_from(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (earlier when negative); 29 February becomes 28 February in a
    common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def date_at_age(born: dt.date, age: int) -> dt.date:
    """The day a person born on `born` turns `age`; a 29 February birthday falls on 28 February."""
    return years_from(born, age)


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1]))
