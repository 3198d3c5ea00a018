from django import template

register = template.Library()


@register.filter
def get_cell(mapping, key):
    """`mapping[key]` or None, without creating it (heatmap cells, seats taken, records by person)."""
    return mapping.get(key)


@register.filter
def level_badge(gap) -> str:
    return "text-bg-success" if not gap.gap else ("text-bg-warning" if gap.gap == 1 else "text-bg-danger")


@register.inclusion_tag("competencies/partials/professional_competencies_loader.html")
def professional_competencies_card(professional):
    """A placeholder on the professional's page that htmx fills with the competencies card."""
    return {"professional": professional}
