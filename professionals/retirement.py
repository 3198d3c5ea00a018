"""Superannuation dates from a table of retirement-age rules with effective dates.

The rule that applies is the one in force on the day the person reaches its age. Bhutan raised
the ages on 2023-04-22 (P 58 -> 60, EX/ES 60 -> 63, SS 58 -> 59, S/O 56 -> 57): an officer who
turned 58 on 2023-03-01 retired that day under the old rule, one who turned 58 on 2023-05-01
works on to 60.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from core.dates import date_at_age


@dataclass(frozen=True)
class AgeRule:
    age: int
    effective_from: dt.date


def superannuation_date(born: dt.date, rules: Sequence[AgeRule]) -> dt.date | None:
    """The first day on which the person has reached the age of the rule in force that day.

    Rules are taken in order of `effective_from`; the earliest one also covers the time before
    its own date. If a later rule lowers the age below someone's current age, they retire the
    day it takes effect. Returns None when there is no rule for the category.
    """
    ordered = sorted(rules, key=lambda r: r.effective_from)
    for index, rule in enumerate(ordered):
        window_start = rule.effective_from if index else dt.date.min
        window_end = ordered[index + 1].effective_from if index + 1 < len(ordered) else None
        candidate = max(date_at_age(born, rule.age), window_start)
        if window_end is None or candidate < window_end:
            return candidate
    return None
