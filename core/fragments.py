"""Row fragments rendered by the Jinja2 engine (its environment: `ictmgmt/jinja2.py`)."""

from __future__ import annotations

from django.template import engines
from django.utils.safestring import SafeString, mark_safe


def render_html(template_name: str, context: dict) -> SafeString:
    """A `<app>/jinja2/` template rendered to HTML that Django templates print as it is: Jinja2
    escaped every value (autoescape is on in this environment)."""
    return mark_safe(engines["jinja2"].get_template(template_name).render(context))  # noqa: S308
