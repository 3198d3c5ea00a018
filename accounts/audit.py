"""Who made a change and why, for django-simple-history.

In a web request the history middleware knows the user. Services also run from commands, Celery
tasks and the API, so they stamp the acting user and a reason on the instance before saving.
"""

from __future__ import annotations


def actor_user(actor):
    """The account to record as having acted: `actor` when it is a saved user, None for the
    system (commands, tasks, an anonymous caller)."""
    return actor if getattr(actor, "pk", None) is not None else None


def stamp(instance, actor, reason: str = ""):
    """Mark `instance` so that its next history row names `actor` and `reason`."""
    if actor_user(actor) is not None:
        instance._history_user = actor
    if reason:
        instance._change_reason = reason[:100]
    return instance
