"""Helpers for the admin tests of every app."""


def form_errors(response) -> dict:
    """The errors of the admin change form a response re-rendered."""
    return response.context["adminform"].form.errors
