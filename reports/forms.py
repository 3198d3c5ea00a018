"""The reports page's form: its choices come from what the user may see; the checks themselves
live in reports/parameters.py, shared with the API."""

from __future__ import annotations

from django import forms

from agencies.models import Agency

from .models import ReportFormat, ReportKind
from .parameters import DEFAULT_PLAN_YEARS


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label="Report", choices=ReportKind.choices, widget=forms.RadioSelect)
    format = forms.ChoiceField(choices=ReportFormat.choices, initial=ReportFormat.PDF, widget=forms.RadioSelect)
    start_year = forms.IntegerField(
        required=False, help_text="Attrition: first year of the period. Projection: first year of the plan."
    )
    end_year = forms.IntegerField(required=False, help_text="Attrition: last year of the period (this year at most).")
    years = forms.IntegerField(
        label="Plan years", required=False, initial=DEFAULT_PLAN_YEARS, help_text="Projection: length of the plan."
    )
    agencies = forms.MultipleChoiceField(
        required=False,
        help_text="None chosen: every agency you may see.",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    include_sub_agencies = forms.BooleanField(label="Include sub-agencies", required=False, initial=True)
    tracks = forms.MultipleChoiceField(required=False, widget=forms.SelectMultiple(attrs={"size": 6}))
    grades = forms.MultipleChoiceField(required=False, widget=forms.SelectMultiple(attrs={"size": 6}))
    attrition_rate = forms.DecimalField(
        label="Attrition rate (% a year)",
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text="Projection: replaces every track's trailing three-year rate. Empty: the rates from history.",
    )

    def __init__(self, *args, user, **kwargs):
        from competencies.models import Track
        from professionals.models import Grade

        super().__init__(*args, **kwargs)
        self.fields["agencies"].choices = [
            (code, f"{name} ({code})")
            for code, name in Agency.objects.visible_to(user).active().values_list("code", "name")
        ]
        self.fields["tracks"].choices = list(Track.objects.values_list("code", "name"))
        self.fields["grades"].choices = [(code, code) for code in Grade.objects.values_list("code", flat=True)]

    def parameters(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("kind", "format", "attrition_rate")}
        if self.cleaned_data.get("attrition_rate") is not None:
            data["attrition_rates"] = {"*": float(self.cleaned_data["attrition_rate"])}
        return data
