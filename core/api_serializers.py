"""Base classes and fields for the API's input serializers."""

from __future__ import annotations

from collections.abc import Mapping

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
