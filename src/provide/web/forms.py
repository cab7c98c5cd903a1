from __future__ import annotations

from django import forms


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to open this record?",
        help_text="This person is outside your area. Your reason is recorded and reviewed.",
        min_length=10,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AuditSearchForm(forms.Form):
    username = forms.CharField(label="User name", required=False, max_length=150)
    person = forms.CharField(
        label="Person", required=False, max_length=200,
        help_text="A name, or the person's record id",
    )
    date_from = forms.DateField(label="From (YYYY-MM-DD)", required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    date_to = forms.DateField(label="To (YYYY-MM-DD)", required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"])

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:  # type: ignore[operator]
            self.add_error("date_to", "The end date must be on or after the start date")
        return data
