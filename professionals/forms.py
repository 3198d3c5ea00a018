"""Forms for division staff editing professionals and their status in the admin.

They check before saving what the services would refuse, so the user gets the message on the
field concerned; the services check again under row locks.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from .models import GradeChange, Professional, StatusEvent
from .services import PROFESSIONAL_FIELDS, status_event_check


class ProfessionalAdminForm(forms.ModelForm):
    change_reason = forms.CharField(
        label="Reason for the change",
        required=False,
        max_length=100,
        help_text="Kept in the record's history.",
    )
    grade_change_reason = forms.ChoiceField(
        label="Why the grade changes",
        choices=GradeChange.Reason.choices,
        initial=GradeChange.Reason.PROMOTION,
        required=False,
        help_text="Used only when the grade changes; entered in the grade history.",
    )
    grade_effective_date = forms.DateField(
        label="Grade effective from",
        required=False,
        help_text="Used only when the grade changes; today if left empty.",
    )

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
