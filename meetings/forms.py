"""Forms of the meetings pages. They only parse and check input; the views call the services."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone

from agencies.models import Agency
from competencies.models import ExpertPool, Track
from core.forms import DATE_INPUT, DATETIME_INPUT
from professionals.models import Professional

from .models import ActionItem, ActionStatus, Event, InvitationSource, Rsvp


class EventForm(forms.ModelForm):
    online_url = forms.URLField(
        assume_scheme="https", required=False, label="Online link", help_text="The video-conference link, if any."
    )

    class Meta:
        model = Event
        fields = ["kind", "title", "starts_at", "ends_at", "venue", "online_url", "capacity", "description"]
        widgets = {
            "starts_at": DATETIME_INPUT,
            "ends_at": DATETIME_INPUT,
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"starts_at": "Starts", "ends_at": "Ends"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        tz = timezone.get_current_timezone_name()
        for name in ("starts_at", "ends_at"):
            self.fields[name].help_text = f"Local time ({tz})."

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The event ends before it starts: the end must come after the start.")
        return data

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def changed_service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data if name in self.Meta.fields}


class AgendaItemForm(forms.Form):
    title = forms.CharField(max_length=200)
    presenter = forms.CharField(max_length=200, required=False)
    duration_minutes = forms.IntegerField(min_value=1, max_value=600, required=False, label="Duration (min)")


def professionals_by_employee_ids(text: str) -> list[Professional]:
    """Employee ids separated by commas, spaces or lines -> professionals, refusing unknown ids."""
    wanted = [token for token in re.split(r"[\s,;]+", text.strip()) if token]
    found = {p.employee_id: p for p in Professional.objects.filter(employee_id__in=wanted)}
    unknown = [token for token in wanted if token not in found]
    if unknown:
        raise forms.ValidationError(f"No professional has the employee id {', '.join(unknown[:5])}.")
    return [found[token] for token in dict.fromkeys(wanted)]


class InviteForm(forms.Form):
    source = forms.ChoiceField(choices=InvitationSource.choices, label="Invite", widget=forms.RadioSelect)
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), required=False, empty_label="Choose an agency")
    include_subagencies = forms.BooleanField(required=False, label="Include the agencies below it")
    track = forms.ModelChoiceField(queryset=Track.objects.all(), required=False, empty_label="Choose a track")
    pool = forms.ModelChoiceField(
        queryset=ExpertPool.objects.all(), required=False, empty_label="Choose an expert pool", label="Expert pool"
    )
    appointed_since = forms.DateField(required=False, widget=DATE_INPUT, label="First appointed on or after")
    employee_ids = forms.CharField(
        required=False,
        label="Employee ids",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Separated by commas or spaces.",
    )
    guest_name = forms.CharField(max_length=160, required=False, label="Guest's name")
    guest_email = forms.EmailField(required=False, label="Guest's email")
    guest_organisation = forms.CharField(max_length=200, required=False, label="Guest's organisation")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.active().order_by("name")

    def clean_employee_ids(self):
        text = self.cleaned_data["employee_ids"]
        if self.data.get("source") != InvitationSource.BY_HAND or not text.strip():
            return []
        return professionals_by_employee_ids(text)

    def selection(self):
        from .services import InviteeSelection

        data = self.cleaned_data
        return InviteeSelection(
            source=data["source"],
            agency=data["agency"],
            include_subagencies=data["include_subagencies"],
            track_id=data["track"].pk if data["track"] else None,
            pool_id=data["pool"].pk if data["pool"] else None,
            professional_ids=tuple(p.pk for p in data["employee_ids"]),
            appointed_since=data["appointed_since"],
            guest_name=data["guest_name"],
            guest_email=data["guest_email"],
            guest_organisation=data["guest_organisation"],
        )


# The service names fields after its arguments; the form's fields have these names.
INVITE_ERROR_FIELDS = {"pool": "pool", "track": "track", "professionals": "employee_ids"}


class RsvpForm(forms.Form):
    answer = forms.ChoiceField(choices=[(c, label) for c, label in Rsvp.choices if c != Rsvp.PENDING])


class MinutesForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 18}),
        label="Minutes",
        help_text="One paragraph per agenda item; decisions and who follows up. Blank lines separate paragraphs.",
    )


class ActionItemForm(forms.Form):
    title = forms.CharField(max_length=300, label="What")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    owner_agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(), required=False, empty_label="No agency", label="Owner agency"
    )
    owner_employee_id = forms.CharField(
        max_length=20, required=False, label="Owner (employee id)", help_text="Optional: the person who owns it."
    )
    due_date = forms.DateField(widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = Agency.objects.active().order_by("name")

    def clean_owner_employee_id(self):
        text = self.cleaned_data["owner_employee_id"].strip()
        if not text:
            return None
        people = professionals_by_employee_ids(text)
        if len(people) != 1:
            raise forms.ValidationError("Give one employee id: an item has one owner person.")
        return people[0]


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, item: ActionItem | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if item is not None:
            allowed = item.allowed_statuses()
            # No move is chosen for the user: the first option pre-selected would quietly send an
            # item "in progress" back to "open" when Save is pressed after a note.
            moves = [(c, label) for c, label in ActionStatus.choices if c in allowed]
            self.fields["status"].choices = [("", "Choose the new status")] + moves if moves else []


class ActionNoteForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Progress note")
