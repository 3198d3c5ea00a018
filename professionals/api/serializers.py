from django.utils import timezone
from rest_framework import serializers

from accounts.access import scope_for
from agencies.api.serializers import AgencyBriefSerializer
from competencies.models import Track
from core.api_serializers import StrictInputSerializer, code_field, text_or_empty
from placements.models import Placement
from professionals.models import (
    EmploymentType,
    Gender,
    Grade,
    GradeChange,
    PositionTitle,
    Professional,
    StatusEvent,
    StatusEventKind,
)

# ---------------------------------------------------------------------------------------------
# Reference data


class GradeSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The category's code.")
    category_name = serializers.CharField(source="category.name", read_only=True)

    class Meta:
        model = Grade
        fields = ["code", "name", "category", "category_name", "rank"]
        read_only_fields = fields


class PositionTitleSerializer(serializers.ModelSerializer):
    min_grade = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    max_grade = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = PositionTitle
        fields = ["code", "name", "min_grade", "max_grade"]
        read_only_fields = fields


# ---------------------------------------------------------------------------------------------
# Professionals: output


class CurrentPlacementSerializer(serializers.ModelSerializer):
    agency = AgencyBriefSerializer(read_only=True)
    position_title = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Placement
        fields = ["id", "agency", "position_title", "start_date", "kind", "office_order_number"]
        read_only_fields = fields


class CurrentPlacementField(CurrentPlacementSerializer):
    """The professional's open placement, or null."""

    def get_attribute(self, professional):
        current = professional.placements.filter(end_date__isnull=True).select_related("agency", "position_title")
        return current.first()


class ProfessionalSerializer(serializers.ModelSerializer):
    """A professional as the API shows them. `national_id` appears only to accounts that may see it.

    The declaration the schema documents; responses are built by professional_representations,
    which a test holds to this serializer's output."""

    # Not read-only, and not required: the schema then says it may be absent from a response.
    national_id = serializers.CharField(required=False, help_text="Only for accounts that may see national ids.")
    full_name = serializers.CharField(read_only=True)
    email = text_or_empty("An email address, or empty.")
    grade = serializers.SlugRelatedField(slug_field="code", read_only=True)
    grade_category = serializers.CharField(source="grade.category.code", read_only=True)
    position_title = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    track = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    current_placement = CurrentPlacementField(read_only=True, allow_null=True)

    class Meta:
        model = Professional
        fields = [
            "id",
            "employee_id",
            "national_id",
            "first_name",
            "middle_name",
            "last_name",
            "full_name",
            "gender",
            "date_of_birth",
            "email",
            "phone",
            "first_appointment_date",
            "employment_type",
            "grade",
            "grade_category",
            "position_title",
            "track",
            "status",
            "superannuation_date",
            "current_placement",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [name for name in fields if name != "national_id"]

    def to_representation(self, professional):
        data = super().to_representation(professional)
        if not self.context.get("sees_national_ids", False):
            data.pop("national_id", None)
        return data


# The columns behind ProfessionalSerializer's fields, read as plain values for the responses; the
# codes of grade, category, title and track come from reference_labels.
RELATED_IDS = {"grade": "grade_id", "position_title": "position_title_id", "track": "track_id"}
PROFESSIONAL_COLUMNS = tuple(
    RELATED_IDS.get(name, name)
    for name in ProfessionalSerializer.Meta.fields
    if name not in ("full_name", "current_placement", "grade_category")
)
CURRENT_PLACEMENT_COLUMNS = (
    "professional_id",
    "id",
    "agency_id",
    "position_title_id",
    "start_date",
    "kind",
    "office_order_number",
)


def _date(value):
    return None if value is None else value.isoformat()


def professional_representations(professionals, *, user, sees_national_ids: bool) -> list[dict]:
    """What ProfessionalSerializer shows for each professional of `professionals` (a queryset,
    ordered and possibly sliced to a page), in its order, from two queries of plain values: the
    rows (the page's ids found in a subquery) and their current placements.

    A page of 50 built as model instances (each with its grade, category, title, track, current
    placement, agency and the placement's title) and passed through the serializer's fields cost
    about 7 ms of the list's 22 at 50,000 professionals; this costs under 1. The codes and names
    of grade, category, title, track and agency come from reference_labels, not from joins (which
    cost more to plan than the rows cost to read). The serializer stays the declaration the
    schema documents, and a test holds the two to the same output."""
    from placements.models import Placement
    from professionals.models import Professional
    from professionals.selectors import reference_labels

    rows = list(
        Professional.objects.filter(pk__in=professionals.values("pk"))
        .order_by(*professionals.query.order_by)
        .values(*PROFESSIONAL_COLUMNS)
    )
    ids = [row["id"] for row in rows]
    placements = (
        Placement.objects.visible_to(user)
        .current()
        .filter(professional_id__in=ids)
        .order_by()
        .values(*CURRENT_PLACEMENT_COLUMNS)
    )
    current = {row["professional_id"]: row for row in placements} if ids else {}
    labels = reference_labels(
        grades={row["grade_id"] for row in rows},
        titles={row["position_title_id"] for row in [*rows, *current.values()]},
        tracks={row["track_id"] for row in rows},
        agencies={row["agency_id"] for row in current.values()},
    )

    def code(table, pk):
        return None if pk is None else table[pk][0]

    zone = timezone.get_current_timezone()

    def moment(value):  # as DRF's DateTimeField: in the current time zone, UTC as "Z"
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    out = []
    for row in rows:
        pk = row["id"]
        placement = current.get(pk)
        data = {"id": pk, "employee_id": row["employee_id"]}
        if sees_national_ids:
            data["national_id"] = row["national_id"]
        names = (row["first_name"], row["middle_name"], row["last_name"])
        data.update(
            first_name=names[0],
            middle_name=names[1],
            last_name=names[2],
            full_name=" ".join(part for part in names if part),
            gender=row["gender"],
            date_of_birth=_date(row["date_of_birth"]),
            email=row["email"],
            phone=row["phone"],
            first_appointment_date=_date(row["first_appointment_date"]),
            employment_type=row["employment_type"],
            grade=code(labels.grades, row["grade_id"]),
            grade_category=labels.grades[row["grade_id"]][1],
            position_title=code(labels.titles, row["position_title_id"]),
            track=code(labels.tracks, row["track_id"]),
            status=row["status"],
            superannuation_date=_date(row["superannuation_date"]),
            current_placement=None
            if placement is None
            else {
                "id": placement["id"],
                "agency": {
                    "id": placement["agency_id"],
                    "code": labels.agencies[placement["agency_id"]][0],
                    "name": labels.agencies[placement["agency_id"]][1],
                },
                "position_title": code(labels.titles, placement["position_title_id"]),
                "start_date": _date(placement["start_date"]),
                "kind": placement["kind"],
                "office_order_number": placement["office_order_number"],
            },
            created_at=moment(row["created_at"]),
            updated_at=moment(row["updated_at"]),
        )
        out.append(data)
    return out


# ---------------------------------------------------------------------------------------------
# Professionals: input


class NationalIdMixin:
    """Only an account that may see national ids may set one (else a refused duplicate would tell it
    which numbers exist)."""

    def validate_national_id(self, value):
        request = self.context.get("request")
        if request is not None and not scope_for(request.user).sees_national_ids:
            raise serializers.ValidationError(
                "This account may not see national id numbers, so it may not set them either. Ask the ICT "
                "Management Division to grant it national ids."
            )
        return value


READ_ONLY_HINTS = {
    "status": "The status changes only through status events: POST /api/v1/professionals/{id}/status-events/.",
    "superannuation_date": "The superannuation date is computed from the date of birth, the grade and the "
    "retirement rules.",
    "current_placement": "Placements change through POST /api/v1/placements/.",
}


class ProfessionalCreateSerializer(NationalIdMixin, StrictInputSerializer):
    read_only_hints = READ_ONLY_HINTS

    employee_id = serializers.CharField(max_length=20)
    national_id = serializers.CharField(max_length=20)
    first_name = serializers.CharField(max_length=80)
    middle_name = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    gender = serializers.ChoiceField(choices=Gender.choices)
    date_of_birth = serializers.DateField()
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    first_appointment_date = serializers.DateField()
    employment_type = serializers.ChoiceField(choices=EmploymentType.choices, default=EmploymentType.REGULAR)
    grade = code_field(Grade.objects.all(), "grade")
    position_title = code_field(PositionTitle.objects.all(), "position title", required=False, allow_null=True)
    track = code_field(Track.objects.all(), "track", required=False, allow_null=True)
    reason = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="Why; kept in the record's audit history."
    )


class ProfessionalUpdateSerializer(NationalIdMixin, StrictInputSerializer):
    """Any subset of the fields; a new grade enters the grade history."""

    read_only_hints = READ_ONLY_HINTS

    employee_id = serializers.CharField(max_length=20, required=False)
    national_id = serializers.CharField(max_length=20, required=False)
    first_name = serializers.CharField(max_length=80, required=False)
    middle_name = serializers.CharField(max_length=80, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=80, required=False, allow_blank=True)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    date_of_birth = serializers.DateField(required=False)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    first_appointment_date = serializers.DateField(required=False)
    employment_type = serializers.ChoiceField(choices=EmploymentType.choices, required=False)
    grade = code_field(Grade.objects.all(), "grade", required=False)
    position_title = code_field(PositionTitle.objects.all(), "position title", required=False, allow_null=True)
    track = code_field(Track.objects.all(), "track", required=False, allow_null=True)
    grade_effective_date = serializers.DateField(
        required=False, help_text="When the grade changes: from when (default today)."
    )
    grade_change_reason = serializers.ChoiceField(
        choices=GradeChange.Reason.choices, required=False, help_text="When the grade changes: why (default promotion)."
    )
    reason = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="Why; kept in the record's audit history."
    )


# ---------------------------------------------------------------------------------------------
# Status events


class StatusEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = StatusEvent
        fields = ["id", "kind", "effective_date", "expected_end", "reference", "notes", "recorded_at"]
        read_only_fields = fields


class StatusEventCreateSerializer(StrictInputSerializer):
    kind = serializers.ChoiceField(choices=StatusEventKind.choices)
    effective_date = serializers.DateField()
    expected_end = serializers.DateField(
        required=False, allow_null=True, help_text="For leave and secondment (required for them): the expected end."
    )
    reference = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
