from rest_framework import serializers

from competencies.models import (
    Assessment,
    AssessmentKind,
    Certification,
    Competency,
    Deployment,
    ExpertPool,
    ExpertPoolMembership,
    MembershipRole,
    Track,
    TrainingMode,
    TrainingProgramme,
    TrainingRequest,
    TrainingResult,
)

# Ids within what the database holds: a larger number would overflow the query, not miss a row.
ID = {"min_value": 1, "max_value": 2**63 - 1}
LEVEL = {"min_value": 1, "max_value": 100}


class TrackSerializer(serializers.ModelSerializer):
    class Meta:
        model = Track
        fields = ["code", "name", "description"]
        read_only_fields = fields


class CompetencySerializer(serializers.ModelSerializer):
    framework = serializers.CharField(source="framework.code", read_only=True)

    class Meta:
        model = Competency
        fields = ["id", "framework", "code", "name", "category", "description"]
        read_only_fields = fields


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    employee_id = serializers.CharField()
    name = serializers.CharField(source="full_name")


class AssessmentSerializer(serializers.ModelSerializer):
    professional = PersonSerializer(read_only=True)
    competency = serializers.CharField(source="competency.code", read_only=True)
    confirmed = serializers.BooleanField(read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "professional", "competency", "kind", "level", "assessed_on", "evidence", "confirmed"]
        read_only_fields = fields


class AssessmentCreateSerializer(serializers.Serializer):
    professional = serializers.IntegerField(**ID, help_text="The professional's id.")
    competency = serializers.IntegerField(**ID, help_text="The competency's id (see /competencies/).")
    kind = serializers.ChoiceField(choices=[k for k in AssessmentKind.choices if k[0] != AssessmentKind.TRAINING])
    level = serializers.IntegerField(**LEVEL)
    assessed_on = serializers.DateField(required=False)
    evidence = serializers.CharField(required=False, allow_blank=True, default="")


class DevelopsSerializer(serializers.Serializer):
    competency = serializers.CharField(source="competency.code")
    level = serializers.IntegerField()


class TrainingProgrammeSerializer(serializers.ModelSerializer):
    develops = DevelopsSerializer(source="developed", many=True, read_only=True)

    class Meta:
        model = TrainingProgramme
        fields = ["id", "title", "provider", "mode", "start_date", "end_date", "seats", "description", "develops"]
        read_only_fields = fields


class DevelopsInputSerializer(serializers.Serializer):
    competency = serializers.IntegerField(**ID, help_text="The competency's id.")
    level = serializers.IntegerField(**LEVEL)


class TrainingProgrammeCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    provider = serializers.CharField(max_length=160)
    mode = serializers.ChoiceField(choices=TrainingMode.choices, default=TrainingMode.CLASSROOM)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    seats = serializers.IntegerField(min_value=1, max_value=100000)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    develops = DevelopsInputSerializer(many=True, required=False, default=list)


class TrainingRequestSerializer(serializers.ModelSerializer):
    programme = serializers.PrimaryKeyRelatedField(read_only=True)
    programme_title = serializers.CharField(source="programme.title", read_only=True)
    agency = serializers.CharField(
        source="agency.code", read_only=True, default=None, allow_null=True, help_text="The asking agency's code."
    )
    professionals = PersonSerializer(many=True, read_only=True)

    class Meta:
        model = TrainingRequest
        fields = [
            "id",
            "reference",
            "programme",
            "programme_title",
            "agency",
            "professionals",
            "reason",
            "state",
            "decision_note",
            "decided_at",
            "completed_at",
            "created_at",
        ]
        read_only_fields = fields


class TrainingRequestCreateSerializer(serializers.Serializer):
    programme = serializers.IntegerField(**ID, help_text="The programme's id.")
    professionals = serializers.ListField(child=serializers.IntegerField(**ID), min_length=1, help_text="Their ids.")
    reason = serializers.CharField()


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CompleteSerializer(serializers.Serializer):
    results = serializers.DictField(
        child=serializers.ChoiceField(choices=TrainingResult.choices),
        required=False,
        default=dict,
        help_text="Professional id -> passed, failed or absent; everyone else passed.",
    )


class CertificationSerializer(serializers.ModelSerializer):
    professional = PersonSerializer(read_only=True)

    class Meta:
        model = Certification
        fields = ["id", "professional", "name", "issuer", "issued_on", "expires_on", "credential_id"]
        read_only_fields = fields


class CertificationCreateSerializer(serializers.Serializer):
    professional = serializers.IntegerField(**ID, help_text="The professional's id.")
    name = serializers.CharField(max_length=160)
    issuer = serializers.CharField(max_length=160)
    issued_on = serializers.DateField()
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    credential_id = serializers.CharField(required=False, allow_blank=True, default="")


class MembershipSerializer(serializers.ModelSerializer):
    professional = PersonSerializer(read_only=True)

    class Meta:
        model = ExpertPoolMembership
        fields = ["id", "professional", "role", "state", "since", "until", "note"]
        read_only_fields = fields


class DeploymentSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code", read_only=True)
    experts = PersonSerializer(many=True, read_only=True)

    class Meta:
        model = Deployment
        fields = ["id", "agency", "request", "start_date", "end_date", "experts", "outcome"]
        read_only_fields = fields


class ExpertPoolSerializer(serializers.ModelSerializer):
    competencies = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    members = MembershipSerializer(source="visible_memberships", many=True, read_only=True)
    deployments = DeploymentSerializer(source="visible_deployments", many=True, read_only=True)

    class Meta:
        model = ExpertPool
        fields = ["id", "name", "purpose", "competencies", "members", "deployments"]
        read_only_fields = fields


class NominateSerializer(serializers.Serializer):
    professional = serializers.IntegerField(**ID, help_text="The professional's id.")
    role = serializers.ChoiceField(choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DecideSerializer(serializers.Serializer):
    membership = serializers.IntegerField(**ID, help_text="The nomination's id (members[].id).")
    accept = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DeploymentCreateSerializer(serializers.Serializer):
    agency = serializers.CharField(help_text="The agency's code.")
    request = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    experts = serializers.ListField(child=serializers.IntegerField(**ID), min_length=1, help_text="Their ids.")


class ExpertSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    employee_id = serializers.CharField()
    name = serializers.CharField()
    agency = serializers.CharField(allow_null=True)
    level = serializers.IntegerField(allow_null=True, help_text="Their current level in the competency searched.")
