from __future__ import annotations

from django import forms


class AuditSearchForm(forms.Form):
    username = forms.CharField(label="User name", required=False, max_length=150)
    person = forms.CharField(
        label="Person",
        required=False,
        max_length=200,
        help_text="A name, or the person's record id",
    )
    date_from = forms.DateField(
        label="From (YYYY-MM-DD)", required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"]
    )
    date_to = forms.DateField(
        label="To (YYYY-MM-DD)", required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"]
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be on or after the start date")
        return data
