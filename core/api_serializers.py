"""Base classes and shared fields of the API's serializers."""

from __future__ import annotations

from collections.abc import Mapping

from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers


class StrictInputSerializer(serializers.Serializer):
    """Refuses fields it does not know, naming them, instead of ignoring them: a misspelt field
    silently dropped would look to the client like a change that was made.

    `read_only_hints` maps fields clients see in responses but cannot write to the way to change them.
    """

    read_only_hints: dict[str, str] = {}

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            writable = [name for name, field in self.fields.items() if not field.read_only]
            unknown = [name for name in data if name not in writable]
            if unknown:
                listing = ", ".join(writable)
                raise serializers.ValidationError(
                    {
                        str(name)[:80]: [
                            self.read_only_hints.get(name, f"Unknown field: this request accepts {listing}.")
                        ]
                        for name in unknown
                    }
                )
        return super().to_internal_value(data)


class DateTimeInputField(serializers.DateTimeField):
    """DRF's DateTimeField, but a time so close to year 1 or 9999 that the portal's time zone takes
    it out of range is refused (400), where DRF lets the OverflowError through (a 500)."""

    def enforce_timezone(self, value):
        try:
            return super().enforce_timezone(value)
        except OverflowError:
            self.fail("overflow")


class StrictInputSchema(OpenApiSerializerExtension):
    """The schema says what StrictInputSerializer does: a field it does not know is refused
    (`additionalProperties: false`), so that clients, and generated requests, do not send one."""

    target_class = StrictInputSerializer
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema["additionalProperties"] = False
        return schema


def text_or_empty(help_text: str) -> serializers.CharField:
    """A read-only email address or link that may be empty.

    Empty text is "" in responses, never null, as for every other text field; "" is valid in
    neither the "email" nor the "uri" format, so the schema declares a plain string and
    `help_text` says the format in words (docs/api.md, "Empty values")."""
    return serializers.CharField(read_only=True, help_text=help_text)


def code_field(queryset, noun: str, **kwargs):
    """A related row written by its code; an unknown code is refused with where the codes are listed."""
    return serializers.SlugRelatedField(
        slug_field="code",
        queryset=queryset,
        error_messages={
            "does_not_exist": f"There is no {noun} with the code {{value}}; the codes are listed at "
            f"/api/v1/{noun.replace(' ', '-')}s/."
        },
        **kwargs,
    )
