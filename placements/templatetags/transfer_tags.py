from django import template

from placements.selectors import professional_transfer_requests

register = template.Library()

STATE_BADGES = {
    "draft": "text-bg-light border",
    "submitted": "text-bg-info",
    "concurred": "text-bg-primary",
    "approved": "text-bg-warning",
    "effected": "text-bg-success",
    "rejected": "text-bg-danger",
    "withdrawn": "text-bg-secondary",
    "cancelled": "text-bg-dark",
}

ACTION_LABELS = {
    "submit": "Submit",
    "concur": "Concur",
    "approve": "Approve",
    "effect": "Effect now",
    "reject": "Reject",
    "withdraw": "Withdraw",
    "cancel": "Cancel the move",
}


@register.filter
def state_badge(state: str) -> str:
    return STATE_BADGES.get(state, "text-bg-light border")


@register.filter
def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action.capitalize())


@register.inclusion_tag("placements/partials/professional_requests.html", takes_context=True)
def transfer_requests_card(context, professional, in_service: bool) -> dict:
    """The card of a professional's page listing the requests of theirs the user may see, so that
    the professionals app shows them without reading placements' selectors."""
    user = context["request"].user
    return {
        "user": user,
        "professional": professional,
        "in_service": in_service,
        "requests": list(professional_transfer_requests(user=user, professional=professional)),
    }
