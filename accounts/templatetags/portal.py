"""Template tags of the portal's layout: the navigation each role sees, and form fields styled
with Bootstrap (label, widget, help and errors tied together for screen readers)."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms, template
from django.utils.safestring import mark_safe

from accounts.access import is_division, scope_for

register = template.Library()


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool
    children: tuple[NavItem, ...] = ()  # a menu of related sections


# Sections shown together under one menu when a user has more than one of them, so that the
# navigation of division staff (twelve sections) fits one line on a laptop screen.
NAV_MENUS = {
    "Competencies": "Skills",
    "Training": "Skills",
    "Expert pools": "Skills",
    "Events": "Meetings",
    "Action items": "Meetings",
    "Import": "Data",
    "Administration": "Data",
    "API documentation": "Data",
}


def _nav_links(user) -> list[tuple[str, str, bool]]:
    """(label, url, exact match) in the order shown. Plain paths, not reversed URL names, so
    the layout renders whichever apps' pages are installed yet."""
    scope = scope_for(user)
    links = [("Dashboard", "/", True)]
    if scope.everything:
        links += [("Professionals", "/professionals/", False), ("Agencies", "/agencies/", False)]
        links.append(("Transfers", "/transfers/", False))
    elif scope.agency_id is not None:
        links += [("My agency", f"/agencies/{user.agency.code}/", False), ("Professionals", "/professionals/", False)]
        links.append(("Transfers", "/transfers/", False))
    elif scope.professional_id is not None:
        links += [("My record", f"/professionals/{scope.professional_id}/", False)]
    if scope.everything or scope.agency_id is not None:
        links.append(("Competencies", "/competencies/", False))
    if not scope.nothing:
        links += [("Training", "/training/", False), ("Expert pools", "/expert-pools/", False)]
        links += [("Events", "/events/", False), ("Action items", "/action-items/", False)]
    if scope.everything or scope.agency_id is not None:
        links.append(("Reports", "/reports/", False))
    if is_division(user):
        links.append(("Import", "/imports/", False))
        links.append(("Administration", "/admin/", False))
        links.append(("API documentation", "/api/docs/", False))
    return links


@register.simple_tag(takes_context=True)
def nav_items(context) -> list[NavItem]:
    """The main navigation for the signed-in user, with the current section marked active."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    path = request.path
    links = _nav_links(request.user)
    menu_sizes: dict[str, int] = {}
    for label, _url, _exact in links:
        if label in NAV_MENUS:
            menu_sizes[NAV_MENUS[label]] = menu_sizes.get(NAV_MENUS[label], 0) + 1
    entries: list[NavItem | tuple[str, list[NavItem]]] = []
    menus: dict[str, list[NavItem]] = {}
    for label, url, exact in links:
        if label == "My agency":
            # An agency head browses their subtree from their own agency's page.
            active = path.startswith("/agencies/")
        else:
            active = path == url if exact else path.startswith(url)
        item = NavItem(label, url, active)
        menu = NAV_MENUS.get(label)
        if menu is None or menu_sizes[menu] < 2:
            entries.append(item)
            continue
        if menu not in menus:
            menus[menu] = []
            entries.append((menu, menus[menu]))
        menus[menu].append(item)
    return [
        entry
        if isinstance(entry, NavItem)
        else NavItem(entry[0], "", any(child.active for child in entry[1]), tuple(entry[1]))
        for entry in entries
    ]


def _widget_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "form-select"
    return "form-control"


@register.inclusion_tag("includes/field.html")
def form_field(field: forms.BoundField, **options):
    """Render one field: label, widget with Bootstrap classes, help text and errors, the widget
    described by both (aria-describedby) and marked invalid when the form rejected it."""
    widget = field.field.widget
    css = [_widget_class(widget), widget.attrs.get("class", "")]
    attrs = {}
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_help")
    if field.errors:
        css.append("is-invalid")
        attrs["aria-invalid"] = "true"
        described_by.append(f"{field.auto_id}_error")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if options.get("size") == "sm":
        css.append("form-control-sm" if "form-control" in css else "form-select-sm")
    attrs["class"] = " ".join(c for c in css if c)
    return {
        "field": field,
        "widget": field.as_widget(attrs=attrs),
        "is_checkbox": isinstance(widget, forms.CheckboxInput),
        "hide_label": options.get("hide_label", False),
        "compact": options.get("size") == "sm",
    }


@register.filter
def duration_words(value) -> str:
    """A timedelta in words a person reads at a glance: "30 minutes", "2 hours"."""
    minutes = round(value.total_seconds() / 60)
    if minutes < 120:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = round(minutes / 60)
    return f"{hours} hours"


@register.filter
def person(user, fallback: str = "–") -> str:
    """A user's full name, else their username; `fallback` when there is no user (an action that the
    system took, or an account since deleted)."""
    if user is None or user == "":
        return fallback
    return user.get_full_name() or user.username


_CSS_PLAIN = frozenset(" -_.,:;()/+%!?@#*=[]{}|~^$`")


@register.filter
def css_string(value) -> str:
    """`value` for the inside of a double-quoted CSS string (a PDF's page header): every ASCII
    character that is not a letter, digit or harmless punctuation becomes a CSS escape, so quotes,
    backslashes, new lines and `</style>` cannot end the string or the style sheet. (escapejs
    writes JavaScript escapes such as \\u002D, which CSS prints as they are.)"""
    text = "" if value is None else str(value)
    return mark_safe("".join(c if c.isalnum() or c in _CSS_PLAIN or ord(c) > 127 else f"\\{ord(c):x} " for c in text))
