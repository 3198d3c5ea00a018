"""Cached workforce figures.

The dashboard's figures aggregate every professional, placement and exit the user may see: about
0.3 s of SQL on the 50,000-professional data set, for numbers that change a few times an hour.
They are kept in the cache per scope and day and thrown away whenever the data behind them
changes: each save or delete of a professional, placement, transfer request (approved moves count
in the vacancies), status event, agency, sanctioned post or reference row replaces the "figures
version" (a signal, see `ReportsConfig.ready`), and so do the bulk writes that bypass signals
(`figures_changed` is called by them). A time limit (FIGURES_CACHE_SECONDS) bounds what any write
made outside the application could leave stale.
The professionals list keeps its dropdown options and the count of each filter the same way.

With REDIS_URL set, the cache is Redis, shared by every web worker; without it, each process has
its own and the time limit is what keeps other processes in step.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "workforce-figures:version"
T = TypeVar("T")


def figures_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    return version


def _replace_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def figures_changed(**_signal_kwargs) -> None:
    """The data behind the figures changed: drop them now, and again once the transaction
    commits, so that a page computed meanwhile from the old rows is not kept either."""
    _replace_version()
    transaction.on_commit(_replace_version)


def cached_figures(scope_key: str, day, compute: Callable[[], T]) -> T:
    """`compute()` for this scope and day, from the cache while the data has not changed. The
    key names what is computed as well as for whom, e.g. "dashboard:agency-12"."""
    key = f"workforce-figures:{figures_version()}:{scope_key}:{day.isoformat()}"
    figures = cache.get(key)
    if figures is None:
        figures = compute()
        cache.set(key, figures, settings.FIGURES_CACHE_SECONDS)
    return figures
