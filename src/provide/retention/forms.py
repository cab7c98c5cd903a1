"""The retention page's forms: who a request or a hold is about, and the extract's dates."""

from __future__ import annotations

from django import forms

from provide.retention.extract import COARSENING

PERSON_HELP = {
    "police": "Their Provide id, or the force's person id.",
    "health": "Their Provide id, or their NHS number.",
}


class SubjectForm(forms.Form):
    person = forms.CharField(label="Who the request is about", max_length=64)


class HoldForm(forms.Form):
    person = forms.CharField(label="Who the hold is for", max_length=64)
    reason = forms.CharField(
        label="Why the records must be kept", max_length=2000, widget=forms.Textarea
    )


class ExtractForm(forms.Form):
    coarsen = forms.ChoiceField(
        label="Dates by",
        choices=[(value, value) for value in COARSENING],
        initial="week",
        required=False,
    )
