from rest_framework import serializers

from agencies.models import Agency, ICTUnit
from core.api_serializers import text_or_empty


class AgencyBriefSerializer(serializers.Serializer):
    """An agency as other resources name it."""

    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class ICTUnitSerializer(serializers.ModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True)
    email = text_or_empty("An email address, or empty.")

    class Meta:
        model = ICTUnit
        fields = ["name", "kind", "email", "established_on"]


class AgencySerializer(serializers.ModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The kind's code.")
    parent = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="The parent agency's code."
    )
    region = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="The region's (dzongkhag's) code."
    )
    successor = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="For a dissolved agency: where its staff and functions went.",
    )
    email = text_or_empty("An email address, or empty.")
    ict_unit = ICTUnitSerializer(read_only=True, allow_null=True, help_text="The agency's ICT unit, if it has one.")

    class Meta:
        model = Agency
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "region",
            "is_parent_agency",
            "critical_information_infrastructure",
            "digital_maturity",
            "email",
            "phone",
            "address",
            "established_on",
            "dissolved_on",
            "successor",
            "ict_unit",
        ]
        read_only_fields = fields
