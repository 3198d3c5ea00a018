"""One shape for every API error: {"detail": "<what went wrong, to act on>", "errors": {field: [...]}}.

`detail` is always a sentence a person can act on; `errors` names each field (or query parameter)
that was refused, with `non_field_errors` for problems of the request as a whole, and is empty for
errors that concern no field (401, 403, 404, 429 ...).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

NOT_AUTHENTICATED = (
    "Authentication credentials were not provided. Send your API token as 'Authorization: Token <key>', "
    "or sign in to the portal first."
)


def flatten_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error structure as {"field" or "field.sub" or "items.0.field": [messages]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            name = api_settings.NON_FIELD_ERRORS_KEY if key == NON_FIELD_ERRORS else str(key)
            for sub, messages in flatten_errors(value, f"{prefix}.{name}" if prefix else name).items():
                flat.setdefault(sub, []).extend(messages)
    elif isinstance(detail, list | tuple):
        for index, value in enumerate(detail):
            if isinstance(value, Mapping | list | tuple):
                for sub, messages in flatten_errors(value, f"{prefix}.{index}" if prefix else str(index)).items():
                    flat.setdefault(sub, []).extend(messages)
            else:
                flat.setdefault(prefix or api_settings.NON_FIELD_ERRORS_KEY, []).append(str(value))
    else:
        flat.setdefault(prefix or api_settings.NON_FIELD_ERRORS_KEY, []).append(str(detail))
    return flat


def summarise(errors: dict[str, list[str]]) -> str:
    """One sentence listing every problem: 'grade: There is no grade with the code XYZ.; ...'."""
    parts = []
    for field, messages in errors.items():
        for message in messages:
            parts.append(message if field == api_settings.NON_FIELD_ERRORS_KEY else f"{field}: {message}")
    return " ".join(part if part.endswith(".") else f"{part}." for part in parts) or "The request is not valid."


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        # A service refused the change (a rule spanning rows, a uniqueness, a race): a 400 like any other.
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    elif isinstance(exc, IntegrityError):
        # The database constraints are the backstop behind the services' checks: a concurrent change won.
        exc = exceptions.APIException(
            "The change conflicts with another change made at the same time. Fetch the record again and retry."
        )
        exc.status_code = status.HTTP_409_CONFLICT
    elif isinstance(exc, exceptions.NotAuthenticated):
        # Keep the exception (it carries the WWW-Authenticate challenge); say how to authenticate.
        exc.detail = exceptions.ErrorDetail(NOT_AUTHENTICATED, code="not_authenticated")
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = flatten_errors(exc.detail)
        response.data = {"detail": summarise(errors), "errors": errors}
    else:
        data = response.data
        detail = data.get("detail") if isinstance(data, Mapping) else data
        response.data = {"detail": str(detail), "errors": {}}
    return response


@csrf_exempt  # answers 404 to every method; a CSRF refusal would hide that behind an HTML 403
def not_found(request, *args, **kwargs):
    """Any path under /api/v1/ that names no endpoint: a JSON 404 rather than the portal's page."""
    return JsonResponse(
        {
            "detail": f"There is no API endpoint at {request.path}. The list of endpoints is at /api/v1/ "
            "and their documentation at /api/docs/.",
            "errors": {},
        },
        status=404,
    )


ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error answers in this shape.",
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, in a sentence a person can act on."},
        "errors": {
            "type": "object",
            "description": "Per field or query parameter (non_field_errors for the request as a whole): "
            "the messages. Empty when the error concerns no field.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["detail", "errors"],
}

ERROR_RESPONSES = {
    "400": "The request is not valid: a field, query parameter or page size was refused (see errors).",
    "401": "No credentials, or the token is not valid, expired or revoked.",
    "403": "The account may not do this (e.g. a read-only client writing).",
    "404": "No such record among those the account may see, or no such page.",
    "405": "The endpoint does not accept this HTTP method.",
    "406": "The Accept header asks for a format the API does not produce (it speaks JSON).",
    "409": "A concurrent change won; fetch the record again and retry.",
    "415": "The body is not JSON (send Content-Type: application/json).",
    "429": "Too many requests from this account; wait for the number of seconds in Retry-After.",
}


def document_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation documents the error shape."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_RESPONSES.items():
                if code in ("409", "415") and method not in ("post", "put", "patch"):
                    continue
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                )
    return result
