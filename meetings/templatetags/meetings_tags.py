from django import template

from meetings.selectors import professional_meetings

register = template.Library()


@register.inclusion_tag("meetings/partials/professional_meetings.html", takes_context=True)
def professional_meetings_card(context, professional):
    """The events a professional attended and the action items they own, for their page."""
    request = context["request"]
    data = professional_meetings(user=request.user, professional_id=professional.pk)
    return {"data": data, "professional": professional, "today": context.get("today")}
