from django import forms
from django.core.exceptions import ValidationError

from agencies.models import Agency
from core.forms import DATE_INPUT
from professionals.models import PositionTitle, Professional

from .models import RuleCode, TransferKind


class TransferRequestForm(forms.Form):
    """A new request. The view saves it with transfer_request_create; the rules are shown live."""

    kind = forms.ChoiceField(choices=TransferKind.choices, initial=TransferKind.TRANSFER)
    employee_id = forms.CharField(
        label="Employee id", max_length=20, help_text="The civil-service employee id of the professional."
    )
    receiving_agency = forms.ModelChoiceField(
        queryset=Agency.objects.active().select_related("kind").order_by("kind__sort_order", "name"),
        to_field_name="code",
        empty_label="Choose the receiving agency",
        error_messages={"invalid_choice": "There is no such agency (or it was dissolved): choose one from the list."},
    )
    position_title = forms.ModelChoiceField(
        queryset=PositionTitle.objects.order_by("name"),
        to_field_name="code",
        label="Position title at the destination",
        empty_label="Choose a title",
        error_messages={"invalid_choice": "There is no such position title: choose one from the list."},
    )
    proposed_effective_date = forms.DateField(label="Proposed effective date", widget=DATE_INPUT)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)

    def __init__(self, *args, user, may_override: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.professional = None
        self.fields["receiving_agency"].label_from_instance = lambda a: f"{a.name} ({a.code})"
        if may_override:
            for code, label in RuleCode.choices:
                self.fields[f"override_{code}"] = forms.CharField(
                    label=f"Override “{label}” because", required=False, widget=forms.Textarea(attrs={"rows": 2})
                )

    def clean_employee_id(self):
        employee_id = self.cleaned_data["employee_id"].strip()
        professional = (
            Professional.objects.visible_to(self.user)
            .select_related("grade", "position_title")
            .filter(employee_id=employee_id)
            .first()
        )
        if professional is None:
            raise ValidationError(f"There is no professional with employee id {employee_id} among those you may see.")
        self.professional = professional
        return employee_id

    def overrides(self) -> dict[str, str]:
        return {
            code: self.cleaned_data[f"override_{code}"]
            for code in RuleCode.values
            if self.cleaned_data.get(f"override_{code}", "").strip()
        }


class RestructureForm(forms.Form):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.order_by("name"),
        to_field_name="code",
        label="Agency dissolved (or to dissolve)",
        error_messages={"invalid_choice": "There is no such agency: choose one from the list."},
    )
    successor = forms.ModelChoiceField(
        queryset=Agency.objects.active().order_by("name"),
        to_field_name="code",
        label="Successor",
        error_messages={"invalid_choice": "Choose an agency that still exists as the successor."},
    )
    effective_date = forms.DateField(widget=DATE_INPUT, help_text="The day the staff join the successor.")

    def clean(self):
        data = super().clean()
        if data.get("agency") and data.get("agency") == data.get("successor"):
            raise ValidationError({"successor": "The successor must be another agency."})
        return data
