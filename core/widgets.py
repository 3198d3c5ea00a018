"""Form widgets shared by the portal's apps."""

from __future__ import annotations

from html import escape

from django import forms
from django.utils.safestring import mark_safe


def _attributes(attrs: dict) -> str:
    """` name="value"` for each attribute; True writes the bare name, False and None leave it out."""
    parts = []
    for name, value in attrs.items():
        if value is True:
            parts.append(f" {escape(name)}")
        elif value is not False and value is not None:
            parts.append(f' {escape(name)}="{escape(str(value))}"')
    return "".join(parts)


class QuickSelect(forms.Select):
    """A <select> written out in Python instead of through the form renderer's templates.

    Django renders each <option> through a template include, which costs about 20 µs an option;
    the professionals list has seven dropdowns with some 200 options, so that alone took longer
    than the rest of the page. The HTML is the same as Django's `Select` writes, escaped the same
    way (the standard library's `html.escape`, which Django's `escape` also uses).
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{escape(widget["name"])}"{_attributes(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'<optgroup label="{escape(str(group_name))}">')
            for option in options:
                value = "" if option["value"] is None else escape(str(option["value"]))
                label = escape(str(option["label"]))
                parts.append(f'<option value="{value}"{_attributes(option["attrs"])}>{label}</option>')
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))
