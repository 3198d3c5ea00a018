from rest_framework import serializers

from agencies.api.serializers import AgencyBriefSerializer
from agencies.models import Agency
from core.api_serializers import StrictInputSerializer, code_field
from placements.models import RuleCode, TransferKind, TransferRequest, TransferRuleOverride
from placements.permissions import allowed_actions
from professionals.models import PositionTitle, Professional

from .serializers import ProfessionalBriefSerializer


class RuleResultSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=RuleCode.choices)
    name = serializers.CharField()
    passed = serializers.BooleanField()
    message = serializers.CharField()
    overridden = serializers.BooleanField()
    override_reason = serializers.CharField()


class OverrideSerializer(serializers.ModelSerializer):
    overridden_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = TransferRuleOverride
        fields = ["rule", "reason", "overridden_by", "overridden_at"]
        read_only_fields = fields


class OfficeOrderBriefSerializer(serializers.Serializer):
    number = serializers.CharField(read_only=True)
    issued_on = serializers.DateField(read_only=True)


class TransferRequestSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    professional = ProfessionalBriefSerializer(read_only=True)
    releasing_agency = AgencyBriefSerializer(read_only=True, allow_null=True)
    receiving_agency = AgencyBriefSerializer(read_only=True)
    position_title = serializers.SlugRelatedField(slug_field="code", read_only=True)
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    rule_results = RuleResultSerializer(many=True, read_only=True)
    overrides = OverrideSerializer(many=True, read_only=True)
    office_order = OfficeOrderBriefSerializer(read_only=True, allow_null=True)
    office_order_pdf = serializers.SerializerMethodField(help_text="Where to download the office order's PDF.")

    class Meta:
        model = TransferRequest
        fields = [
            "id",
            "reference",
            "kind",
            "state",
            "professional",
            "releasing_agency",
            "receiving_agency",
            "position_title",
            "reason",
            "proposed_effective_date",
            "effective_date",
            "requested_by",
            "requester_side",
            "concurrence_from",
            "rule_results",
            "overrides",
            "office_order",
            "office_order_pdf",
            "effected_placement",
            "effect_error",
            "submitted_at",
            "decided_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_office_order_pdf(self, request) -> str | None:
        if not request.office_order_id:
            return None
        return f"/api/v1/transfer-requests/{request.pk}/office-order/"


class TransferRequestDetailSerializer(TransferRequestSerializer):
    allowed_actions = serializers.SerializerMethodField(help_text="The actions this account may take now.")

    class Meta(TransferRequestSerializer.Meta):
        fields = [*TransferRequestSerializer.Meta.fields, "allowed_actions"]
        read_only_fields = fields

    def get_allowed_actions(self, request) -> list[str]:
        return allowed_actions(self.context["request"].user, request)


OVERRIDES_HELP = (
    "Division staff only: rules to set aside, as {rule code: written reason}, e.g. "
    '{"vacancy": "Post created in the 2027 budget"}.'
)


def overrides_field():
    return serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=2000),
        required=False,
        default=dict,
        help_text=OVERRIDES_HELP,
    )


class TransferRequestCreateSerializer(StrictInputSerializer):
    """Ask for a placement, transfer or secondment; with "submit": true it is submitted at once."""

    kind = serializers.ChoiceField(choices=TransferKind.choices, default=TransferKind.TRANSFER)
    professional = serializers.PrimaryKeyRelatedField(
        queryset=Professional.objects.none(),
        error_messages={
            "does_not_exist": "There is no professional with the id {pk_value} among those this account may see.",
            "incorrect_type": "The professional is given by their id, a whole number.",
        },
    )
    receiving_agency = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Agency.objects.all(),
        error_messages={
            "does_not_exist": "There is no agency with the code {value}; the codes are at /api/v1/agencies/."
        },
        help_text="The receiving agency's code (any agency: requests go out of one's own agency too).",
    )
    position_title = code_field(
        PositionTitle.objects.all(), "position title", help_text="The title at the destination."
    )
    reason = serializers.CharField(max_length=4000)
    proposed_effective_date = serializers.DateField()
    submit = serializers.BooleanField(default=False, help_text="Submit at once instead of keeping a draft.")
    overrides = overrides_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["professional"].queryset = Professional.objects.visible_to(request.user)


class SubmitSerializer(StrictInputSerializer):
    overrides = overrides_field()


class ConcurSerializer(StrictInputSerializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ApproveSerializer(StrictInputSerializer):
    effective_date = serializers.DateField(required=False, help_text="Default: the proposed effective date.")
    overrides = overrides_field()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReasonSerializer(StrictInputSerializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class EmptySerializer(StrictInputSerializer):
    pass
