"""Forms of the agency pages: an agency's ICT unit and its establishment (sanctioned posts).

They only validate input; the services in `agencies.services` save it, with the audit entry.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q

from professionals.models import IN_SERVICE_STATUSES, PositionTitle, Professional

from .models import Agency, ICTUnit, SanctionedPost


class ICTUnitForm(forms.ModelForm):
    class Meta:
        model = ICTUnit
        fields = ["kind", "name", "head", "email", "terms_of_reference"]
        labels = {"kind": "Kind of unit", "name": "Name of the unit", "email": "Unit email"}
        help_texts = {
            "head": "Among the professionals placed in this agency now.",
            "terms_of_reference": "What the unit is responsible for. A blank line starts a new paragraph.",
        }
        widgets = {"terms_of_reference": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        placed_here = Q(status__in=IN_SERVICE_STATUSES, placements__agency=agency, placements__end_date__isnull=True)
        current_head = Q(pk=self.instance.head_id) if self.instance.head_id else Q(pk__in=[])
        self.fields["head"].queryset = (
            Professional.objects.filter(placed_here | current_head)
            .select_related("grade")
            .distinct()
            .order_by("first_name", "last_name")
        )
        self.fields["head"].label_from_instance = lambda p: f"{p.full_name} ({p.grade.code}, {p.employee_id})"
        self.fields["head"].empty_label = "No head named"


class EstablishmentRowForm(forms.Form):
    """One position title's sanctioned posts in the establishment table."""

    title = forms.ModelChoiceField(queryset=PositionTitle.objects.all(), widget=forms.HiddenInput)
    number = forms.IntegerField(
        label="Sanctioned posts",
        min_value=0,
        max_value=999,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the number of posts (0 for none).",
            "invalid": "Enter a whole number of posts.",
            "min_value": "The number of posts cannot be negative.",
            "max_value": "At most 999 posts of one title.",
        },
    )
    notes = forms.CharField(label="Notes", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        title = self.initial.get("title")
        if title is not None:
            # Each row's inputs are named after their title, for screen readers and voice control.
            self.fields["number"].label = f"{title.name}: sanctioned posts"
            self.fields["notes"].label = f"{title.name}: notes"


class BaseEstablishmentFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        titles = [form.cleaned_data.get("title") for form in self.forms if form.cleaned_data]
        if len(titles) != len(set(titles)):
            raise forms.ValidationError("Each position title appears once in the establishment.")


EstablishmentFormSet = forms.formset_factory(
    EstablishmentRowForm, formset=BaseEstablishmentFormSet, extra=0, max_num=200, validate_max=True
)


def establishment_initial(*, agency: Agency, titles: list[PositionTitle]) -> list[dict]:
    """One row per position title with the agency's current number (0 when it has none)."""
    posts = {p.position_title_id: p for p in SanctionedPost.objects.filter(agency=agency)}
    return [
        {
            "title": title,
            "number": posts[title.pk].number if title.pk in posts else 0,
            "notes": posts[title.pk].notes if title.pk in posts else "",
        }
        for title in titles
    ]
