"""The Jinja2 environment, for the few templates that render hundreds of values a request.

Django's template language costs several microseconds a value; the professionals list shows some
850 values on a page of 50, which took longer than everything else the page does. Its rows, an
agency's staff rows and the transfer queue's rows are Jinja2 templates (compiled to Python,
escaping with markupsafe), rendered into the Django pages. Everything else stays in Django
templates. The apps render them with `core.fragments.render_html`.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.timesince import timesince
from jinja2 import Environment

from placements.templatetags.transfer_tags import state_badge
from professionals.templatetags.professional_tags import status_badge, status_short, years_left


def short_date(day) -> str:
    """ "05 Mar 2031", as Django's `date:"d M Y"` writes it (a moment in the local time zone)."""
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day)
    return day.strftime("%d %b %Y") if day else ""


def month_year(day) -> str:
    """ "Mar 2031", as Django's `date:"M Y"` writes it."""
    return day.strftime("%b %Y") if day else ""


def environment(**options) -> Environment:
    env = Environment(**options)
    env.filters.update(
        status_badge=status_badge,
        status_short=status_short,
        years_left=years_left,
        short_date=short_date,
        month_year=month_year,
        state_badge=state_badge,
        timesince=timesince,
    )
    return env
