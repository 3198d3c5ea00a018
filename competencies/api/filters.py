import django_filters

from competencies.models import (
    Assessment,
    AssessmentKind,
    Certification,
    Competency,
    Framework,
    Track,
    TrainingMode,
    TrainingProgramme,
    TrainingRequest,
    TrainingRequestState,
)
from core.api_filters import BooleanFilter, CodeFilter, WholeNumberFilter

from .serializers import ID


class CompetencyFilter(django_filters.FilterSet):
    framework = CodeFilter(queryset=Framework.objects.all(), noun="framework")
    track = CodeFilter(queryset=Track.objects.all(), noun="track", field_name="tracks")
    category = django_filters.CharFilter(help_text="The competency area, exactly (e.g. Security and privacy).")

    class Meta:
        model = Competency
        fields = []


class AssessmentFilter(django_filters.FilterSet):
    professional = WholeNumberFilter(field_name="professional_id", help_text="The professional's id.", **ID)
    competency = django_filters.CharFilter(field_name="competency__code", help_text="The competency's code.")
    kind = django_filters.ChoiceFilter(choices=AssessmentKind.choices)
    confirmed = BooleanFilter(field_name="confirmed_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Assessment
        fields = []


class TrainingProgrammeFilter(django_filters.FilterSet):
    mode = django_filters.ChoiceFilter(choices=TrainingMode.choices)
    starts_after = django_filters.DateFilter(field_name="start_date", lookup_expr="gte")
    starts_before = django_filters.DateFilter(field_name="start_date", lookup_expr="lte")
    competency = django_filters.CharFilter(
        field_name="developed__competency__code", distinct=True, help_text="Programmes that develop it (code)."
    )

    class Meta:
        model = TrainingProgramme
        fields = []


class TrainingRequestFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=TrainingRequestState.choices)
    programme = WholeNumberFilter(field_name="programme_id", help_text="The programme's id.", **ID)
    professional = WholeNumberFilter(field_name="professionals", help_text="Requests naming this professional.", **ID)

    class Meta:
        model = TrainingRequest
        fields = []


class CertificationFilter(django_filters.FilterSet):
    professional = WholeNumberFilter(field_name="professional_id", help_text="The professional's id.", **ID)
    expires_before = django_filters.DateFilter(field_name="expires_on", lookup_expr="lte")
    expires_after = django_filters.DateFilter(field_name="expires_on", lookup_expr="gte")
    name = django_filters.CharFilter(lookup_expr="icontains", help_text="Name contains (any case).")

    class Meta:
        model = Certification
        fields = []
