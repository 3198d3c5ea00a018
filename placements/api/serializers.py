from rest_framework import serializers

from agencies.api.serializers import AgencyBriefSerializer
from agencies.models import Agency
from core.api_serializers import StrictInputSerializer, code_field
from placements.models import Placement, PlacementKind
from professionals.models import PositionTitle, Professional


class ProfessionalBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    employee_id = serializers.CharField(read_only=True)
    full_name = serializers.CharField(read_only=True)


class PlacementSerializer(serializers.ModelSerializer):
    professional = ProfessionalBriefSerializer(read_only=True)
    agency = AgencyBriefSerializer(read_only=True)
    position_title = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = Placement
        fields = [
            "id",
            "professional",
            "agency",
            "position_title",
            "start_date",
            "end_date",
            "is_current",
            "kind",
            "office_order_number",
            "notes",
        ]
        read_only_fields = fields


class PlacementCreateSerializer(StrictInputSerializer):
    """Post a professional to an agency from a date; their current placement ends that day."""

    read_only_hints = {"end_date": "A placement ends when the next one starts or the person leaves the service."}

    professional = serializers.PrimaryKeyRelatedField(
        queryset=Professional.objects.none(),
        error_messages={
            "does_not_exist": "There is no professional with the id {pk_value} among those this account may see.",
            "incorrect_type": "The professional is given by their id, a whole number.",
        },
        help_text="The professional's id.",
    )
    agency = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Agency.objects.none(),
        error_messages={"does_not_exist": "There is no agency with the code {value} among those this account may see."},
        help_text="The agency's code.",
    )
    position_title = code_field(
        PositionTitle.objects.all(),
        "position title",
        required=False,
        allow_null=True,
        help_text="Default: the professional's own title.",
    )
    start_date = serializers.DateField()
    kind = serializers.ChoiceField(choices=PlacementKind.choices)
    office_order_number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # A client may place only the people it sees, only in the agencies it sees.
            self.fields["professional"].queryset = Professional.objects.visible_to(request.user)
            self.fields["agency"].queryset = Agency.objects.visible_to(request.user)
