"""The portal's forms. They read and tidy input; every rule is checked by the services they call."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from agencies.models import Agency
from core.forms import DATE_INPUT
from professionals.models import Professional

from .models import (
    AssessmentKind,
    Competency,
    ExpertPool,
    ExpertPoolMembership,
    MembershipRole,
    TrainingProgramme,
    TrainingResult,
)
from .permissions import DIVISION, HEAD, PROFESSIONAL, acting_as

DATE = DATE_INPUT  # ISO dates: a date input drops any other format, and with it the default


def people_by_employee_ids(user, text: str) -> list[Professional]:
    """The professionals named by employee ids (comma, space or line separated) whom `user` may
    see; an unknown or invisible id is refused by name."""
    ids = [part for part in text.replace(",", " ").split() if part]
    if not ids:
        raise forms.ValidationError("Give at least one employee id.")
    found = {p.employee_id: p for p in Professional.objects.visible_to(user).filter(employee_id__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise forms.ValidationError(f"No professional with the employee id {missing[0]} among those you may see.")
    return [found[i] for i in dict.fromkeys(ids)]


class EmployeeIdForm(forms.Form):
    """A form about one professional named by employee id (prefilled for a professional)."""

    employee_id = forms.CharField(label="Employee id", max_length=20)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if acting_as(user) == PROFESSIONAL:
            # A disabled field reads the form's initial data, which the page may fill from the
            # address: a professional's own id always wins.
            self.initial["employee_id"] = user.professional.employee_id
            self.fields["employee_id"].disabled = True

    def clean_employee_id(self):
        (self.professional,) = people_by_employee_ids(self.user, self.cleaned_data["employee_id"])
        return self.professional.employee_id


class AssessmentForm(EmployeeIdForm):
    competency = forms.ModelChoiceField(queryset=Competency.objects.select_related("framework"))
    kind = forms.ChoiceField(choices=())
    level = forms.IntegerField(min_value=1, help_text="The level number in the professional's framework.")
    assessed_on = forms.DateField(widget=DATE, initial=timezone.localdate)
    evidence = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        kinds = {PROFESSIONAL: AssessmentKind.SELF, HEAD: AssessmentKind.SUPERVISOR, DIVISION: AssessmentKind.DIVISION}
        kind = kinds.get(acting_as(user))
        self.fields["kind"].choices = [(kind.value, kind.label)] if kind else []
        self.fields["kind"].initial = kind


class TrainingRequestForm(forms.Form):
    programme = forms.ModelChoiceField(queryset=TrainingProgramme.objects.none())
    employee_ids = forms.CharField(
        label="Employee ids",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One or several, separated by commas or spaces.",
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = TrainingProgramme.objects.filter(
            end_date__gte=timezone.localdate()
        ).order_by("start_date")
        if acting_as(user) == PROFESSIONAL:
            # As in EmployeeIdForm: the page's initial data (from the address) must not empty it.
            self.initial["employee_ids"] = user.professional.employee_id
            self.fields["employee_ids"].disabled = True

    def clean_employee_ids(self):
        self.people = people_by_employee_ids(self.user, self.cleaned_data["employee_ids"])
        return self.cleaned_data["employee_ids"]


class ProgrammeForm(forms.ModelForm):
    develops = forms.ModelMultipleChoiceField(
        queryset=Competency.objects.all(), required=False, help_text="The competencies it develops."
    )
    level = forms.IntegerField(min_value=1, initial=3, help_text="The level a participant who passes reaches in each.")

    class Meta:
        model = TrainingProgramme
        fields = ["title", "provider", "mode", "start_date", "end_date", "seats", "description"]
        widgets = {"start_date": DATE, "end_date": DATE, "description": forms.Textarea(attrs={"rows": 3})}


class DecisionForm(forms.Form):
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CompletionForm(forms.Form):
    """One result per person of the request, passed by default."""

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        for person in people:
            self.fields[f"result_{person.pk}"] = forms.ChoiceField(
                label=person.full_name, choices=TrainingResult.choices, initial=TrainingResult.PASSED
            )

    def results(self) -> dict[int, str]:
        return {int(name.split("_")[1]): value for name, value in self.cleaned_data.items()}


class CertificationForm(EmployeeIdForm):
    name = forms.CharField(max_length=160)
    issuer = forms.CharField(max_length=160)
    issued_on = forms.DateField(widget=DATE)
    expires_on = forms.DateField(widget=DATE, required=False)
    credential_id = forms.CharField(max_length=80, required=False)


class NominationForm(EmployeeIdForm):
    role = forms.ChoiceField(choices=MembershipRole.choices, initial=MembershipRole.MEMBER)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Why this person")


class DeploymentForm(forms.Form):
    agency = forms.ModelChoiceField(queryset=Agency.objects.active().order_by("name"), to_field_name="code")
    request = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="What the agency asked for")
    start_date = forms.DateField(widget=DATE)
    end_date = forms.DateField(widget=DATE)
    experts = forms.ModelMultipleChoiceField(queryset=Professional.objects.none(), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, pool, **kwargs):
        super().__init__(*args, **kwargs)
        members = ExpertPoolMembership.objects.current().filter(pool=pool).values("professional_id")
        self.fields["experts"].queryset = Professional.objects.filter(pk__in=members).order_by("first_name")


class OutcomeForm(forms.Form):
    outcome = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class ExpertSearchForm(forms.Form):
    competency = forms.ModelChoiceField(queryset=Competency.objects.all(), required=False, to_field_name="code")
    min_level = forms.IntegerField(min_value=1, required=False, label="At least level")
    certification = forms.CharField(required=False, label="Certification (name contains)")
    agency = forms.ModelChoiceField(queryset=Agency.objects.order_by("name"), required=False, to_field_name="code")
    available_from = forms.DateField(widget=DATE, required=False, label="Free from")
    available_to = forms.DateField(widget=DATE, required=False, label="Free until")
    pool = forms.ModelChoiceField(queryset=None, required=False, label="Member of pool")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pool"].queryset = ExpertPool.objects.order_by("name")
