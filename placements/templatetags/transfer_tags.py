from django import template

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
