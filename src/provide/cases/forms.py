"""Forms for raising a live incident and closing a case (phone-first GOV.UK pages)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import timezone

GRADES = [("high", "High"), ("medium", "Medium"), ("standard", "Standard")]


class IncidentForm(forms.Form):
    first_name = forms.CharField(
        label="Victim's first name",
        max_length=100,
        error_messages={"required": "Enter the victim's first name"},
    )
    last_name = forms.CharField(
        label="Victim's last name",
        max_length=100,
        error_messages={"required": "Enter the victim's last name"},
    )
    date_of_birth = forms.DateField(
        label="Date of birth (optional)",
        required=False,
        help_text="For example 1990-01-31",
        error_messages={"invalid": "Enter the date of birth as year-month-day"},
    )
    postcode = forms.CharField(label="Postcode (optional)", max_length=10, required=False)
    address = forms.CharField(
        label="Where the victim is now (optional)", max_length=200, required=False
    )
    risk_grade = forms.ChoiceField(
        label="Risk grade",
        choices=GRADES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the risk grade"},
    )
    occurred_at = forms.DateTimeField(
        label="When it happened",
        required=False,
        help_text="Leave blank for now, or write 2026-12-04 09:30",
        error_messages={"invalid": "Enter the time as year-month-day hours:minutes"},
    )
    summary = forms.CharField(
        label="What happened, in a few words (optional)", max_length=200, required=False
    )
    bcu = forms.ChoiceField(
        label="BCU", required=True, error_messages={"required": "Choose the BCU"}
    )

    def __init__(self, *args: Any, bcus: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["bcu"]).choices = [(name, name) for name in bcus]
        if len(bcus) == 1:
            self.fields["bcu"].initial = bcus[0]

    def clean_occurred_at(self) -> dt.datetime:
        value = self.cleaned_data.get("occurred_at")
        return value or timezone.now()


class CloseForm(forms.Form):
    reason = forms.CharField(
        label="Why are you closing this case?",
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"required": "Give a reason for closing the case"},
    )
