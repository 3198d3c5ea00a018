"""The Jinja2 environment, for the few templates that render hundreds of values a request.

Django's template language costs several microseconds a value; the professionals list shows some
850 values on a page of 50, which took longer than everything else the page does. Its rows, and
those of an agency's staff list, are Jinja2 templates (compiled to Python, escaping with
markupsafe), rendered into the Django pages. Everything else stays in Django templates.
"""

from __future__ import annotations

from jinja2 import Environment

from professionals.templatetags.professional_tags import status_badge, status_short, years_left


def short_date(day) -> str:
    """ "05 Mar 2031", as Django's `date:"d M Y"` writes it."""
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
    )
    return env
