from rest_framework import serializers

from agencies.api.serializers import AgencyBriefSerializer


class ScopeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["everything", "agency", "own_record", "nothing"],
        help_text="everything; agency: the agency below and its whole subtree; own_record: one professional.",
    )
    agency = AgencyBriefSerializer(allow_null=True)
    professional_id = serializers.IntegerField(allow_null=True)
    may_write = serializers.BooleanField(help_text="May create and change professionals and placements.")
    may_create_professionals = serializers.BooleanField()
    write_refusal = serializers.CharField(allow_null=True, help_text="Why writes are refused, when they are.")
    sees_national_ids = serializers.BooleanField()


class TokenInfoSerializer(serializers.Serializer):
    name = serializers.CharField()
    prefix = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_on = serializers.DateField(allow_null=True)


class MeSerializer(serializers.Serializer):
    """Who the request acts as, and what that account may see and do."""

    username = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField()
    role_label = serializers.CharField()
    authenticated_by = serializers.ChoiceField(choices=["token", "session"])
    read_only = serializers.BooleanField()
    scope = ScopeSerializer()
    token = TokenInfoSerializer(allow_null=True, help_text="The token used, for API clients.")
