"""Forms for division staff editing professionals and their status, in the admin and the portal.

They check before saving what the services would refuse, so the user gets the message on the
field concerned; the services check again under row locks.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from core.forms import DATE_INPUT, add_service_errors

from .models import LEAVE_EVENTS, GradeChange, Professional, StatusEvent, StatusEventKind
from .services import PROFESSIONAL_FIELDS, status_event_check


class ChangeRecordFields(forms.Form):
    """What an edit of a professional says about itself, in the admin and the portal alike: why
    (for the history) and, when the grade changes, why and from when (for the grade history)."""

    grade_change_reason = forms.ChoiceField(
        label="Why the grade changes",
        choices=GradeChange.Reason.choices,
        initial=GradeChange.Reason.PROMOTION,
        required=False,
        help_text="Only used when the grade changes; it goes into the grade history.",
    )
    grade_effective_date = forms.DateField(
        label="New grade effective from",
        required=False,
        widget=DATE_INPUT,
        help_text="Only used when the grade changes; today if left empty.",
    )
    change_reason = forms.CharField(
        label="Reason for the change",
        required=False,
        max_length=100,
        help_text="Kept in the record's history, e.g. the office order number.",
    )


class ProfessionalAdminForm(ChangeRecordFields, forms.ModelForm):
    class Meta:
        model = Professional
        fields = sorted(PROFESSIONAL_FIELDS)
        error_messages = {
            "employee_id": {"unique": "Another professional already has this employee id."},
            "national_id": {"unique": "Another professional already has this national id number."},
        }


class StatusEventAdminForm(forms.ModelForm):
    """A new status event is checked against the professional's current status and history."""

    class Meta:
        model = StatusEvent
        fields = ["professional", "kind", "effective_date", "expected_end", "reference", "notes"]

    def clean(self):
        cleaned_data = super().clean()
        if not self.instance._state.adding:
            return cleaned_data
        professional = cleaned_data.get("professional")
        kind = cleaned_data.get("kind")
        effective_date = cleaned_data.get("effective_date")
        expected_end = cleaned_data.get("expected_end")
        if expected_end and effective_date and expected_end <= effective_date:
            self.add_error("expected_end", "The expected end must come after the start.")
        elif professional and kind and effective_date:
            try:
                status_event_check(professional, kind, effective_date, expected_end)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data


# ---------------------------------------------------------------------------------------------
# Portal forms (division staff). Views save through the services and put what they refuse on
# the fields (`add_service_errors`).

# The order the fields appear in, grouped on the page by PROFESSIONAL_FORM_SECTIONS.
PROFESSIONAL_FORM_SECTIONS = [
    ("Identity", ["employee_id", "national_id", "first_name", "middle_name", "last_name", "gender", "date_of_birth"]),
    ("Contact", ["email", "phone"]),
    ("Service", ["first_appointment_date", "employment_type", "grade", "position_title", "track"]),
]


class ProfessionalForm(forms.ModelForm):
    """Create a professional. The view saves with professional_create, not form.save()."""

    class Meta:
        model = Professional
        fields = [name for _, names in PROFESSIONAL_FORM_SECTIONS for name in names]
        widgets = {"date_of_birth": DATE_INPUT, "first_appointment_date": DATE_INPUT}
        error_messages = ProfessionalAdminForm.Meta.error_messages

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].queryset = self.fields["grade"].queryset.select_related("category")
        self.fields["grade"].label_from_instance = lambda grade: f"{grade.code} ({grade.category.code})"
        self.fields["position_title"].empty_label = "No title yet"
        self.fields["track"].empty_label = "No track yet"

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}


class ProfessionalChangeForm(ChangeRecordFields, ProfessionalForm):
    """Edit a professional. The view saves the changed fields with professional_update."""

    def changed_service_fields(self) -> dict:
        return {name: value for name, value in self.service_fields().items() if name in self.changed_data}


class StatusEventForm(forms.Form):
    """Record leave, a return or an exit for one professional.

    Checks what status_event_record would refuse, so the message lands on the field concerned;
    the service checks again under a row lock.
    """

    kind = forms.ChoiceField(label="What happened", choices=[("", "Choose…"), *StatusEventKind.choices])
    effective_date = forms.DateField(label="Effective from", widget=DATE_INPUT)
    expected_end = forms.DateField(
        label="Expected end",
        required=False,
        widget=DATE_INPUT,
        help_text="Required for extraordinary leave, study leave and secondment: when the person is due back.",
    )
    reference = forms.CharField(
        label="Office order or letter number",
        max_length=StatusEvent._meta.get_field("reference").max_length,
        required=False,
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, professional: Professional, **kwargs):
        super().__init__(*args, **kwargs)
        self.professional = professional

    def clean(self):
        cleaned_data = super().clean()
        kind = cleaned_data.get("kind")
        effective_date = cleaned_data.get("effective_date")
        expected_end = cleaned_data.get("expected_end")
        if not kind or not effective_date or "expected_end" in self.errors:
            return cleaned_data
        if kind in LEAVE_EVENTS and expected_end is None:
            self.add_error("expected_end", f"{StatusEventKind(kind).label} needs an expected end date.")
            return cleaned_data
        try:
            status_event_check(self.professional, kind, effective_date, expected_end)
        except ValidationError as error:
            add_service_errors(self, error)
        return cleaned_data
