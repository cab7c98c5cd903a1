from __future__ import annotations

from django import forms

from provide.planning.models import Shift


class PlanRunForm(forms.Form):
    on_date = forms.DateField(widget=forms.HiddenInput)
    pattern = forms.ChoiceField(choices=Shift.Pattern.choices, widget=forms.HiddenInput)


class LiveIncidentForm(forms.Form):
    decision = forms.UUIDField(
        label="Live incident to add",
        error_messages={
            "required": "Choose the live incident to add",
            "invalid": "Choose the live incident to add",
        },
    )
