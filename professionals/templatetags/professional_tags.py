"""Small display helpers of the professionals pages."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.html import format_html

register = template.Library()

STATUS_BADGES = {
    "active": "text-bg-success",
    "eol": "text-bg-warning",
    "study_leave": "text-bg-info",
    "seconded": "text-bg-primary",
    "deceased": "text-bg-dark",
}


@register.filter
def status_badge(status: str) -> str:
    """Bootstrap badge classes for a professional's status: exits are grey."""
    return STATUS_BADGES.get(status, "text-bg-secondary")


# Shorter labels for the list's narrow status column; the full label is the badge's tooltip.
STATUS_SHORT = {
    "eol": "On EOL",
    "study_leave": "Study leave",
    "seconded": "Seconded",
    "left_cadre": "Left cadre",
}


@register.filter
def status_short(professional) -> str:
    return STATUS_SHORT.get(professional.status) or professional.get_status_display()


def months_between(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def _plural(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


@register.filter
def years_left(day: dt.date | None, style: str = "long") -> str:
    """How long until `day`: "14 years, 2 months" (or "14 y" with style "short"); "reached" once past."""
    if day is None:
        return ""
    today = timezone.localdate()
    if day <= today:
        return "reached"
    years, months = divmod(months_between(today, day), 12)
    if style == "short":
        return f"{years} y" if years else f"{months} m" if months else "< 1 m"
    parts = [_plural(years, "year")] if years else []
    if months:
        parts.append(_plural(months, "month"))
    return ", ".join(parts) or "less than a month"


@register.filter
def duration_since(day: dt.date | None, until: dt.date | None = None) -> str:
    """ "3 years, 2 months" from `day` to `until` (default today)."""
    if day is None:
        return ""
    end = until or timezone.localdate()
    years, months = divmod(max(months_between(day, end), 0), 12)
    parts = [_plural(years, "year")] if years else []
    if months or not parts:
        parts.append(_plural(months, "month"))
    return ", ".join(parts)


@register.simple_tag
def career_progress(first_appointment: dt.date | None, superannuation: dt.date | None) -> int | None:
    """How far through their career someone is, in percent (first appointment to superannuation)."""
    if not first_appointment or not superannuation or superannuation <= first_appointment:
        return None
    today = timezone.localdate()
    total = (superannuation - first_appointment).days
    done = (min(today, superannuation) - first_appointment).days
    return max(0, min(100, round(100 * done / total)))


@register.filter
def initials(name: str) -> str:
    parts = [part for part in (name or "").split() if part]
    return "".join(part[0] for part in parts[:2]).upper() or "?"


@register.filter
def elided_pages(paginator, number: int):
    """Page numbers around the current one, with Paginator.ELLIPSIS for the gaps."""
    return paginator.get_elided_page_range(number, on_each_side=1, on_ends=1)


@register.filter
def email_break(address: str):
    """An e-mail address that wraps after its "@" in a narrow column, not mid-word."""
    local, at, domain = (address or "").partition("@")
    return format_html("{}<wbr>@{}", local, domain) if at else address
