from django import template

from competencies.selectors import professional_competencies

register = template.Library()


@register.filter
def get_cell(mapping, key):
    """`mapping[key]` or None, without creating it (heatmap cells, seats taken, records by person)."""
    return mapping.get(key)


@register.filter
def level_badge(gap) -> str:
    return "text-bg-success" if not gap.gap else ("text-bg-warning" if gap.gap == 1 else "text-bg-danger")


@register.inclusion_tag("competencies/partials/professional_competencies.html", takes_context=True)
def professional_competencies_card(context, professional):
    """Competencies against the title's requirements, suggested training, training, certifications,
    pools and deployments, for the professional's page."""
    request = context["request"]
    from competencies.permissions import acting_as

    return {
        "data": professional_competencies(user=request.user, professional=professional),
        "professional": professional,
        "may_act": acting_as(request.user) is not None,
        "today": context.get("today"),
    }
