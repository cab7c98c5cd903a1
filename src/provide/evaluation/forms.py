"""The dashboard's filter: BCU and an inclusive period (input validation only)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms

from provide.shared.dates import validate_day_in_range

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]


class EvaluationFilterForm(forms.Form):
    bcu = forms.ChoiceField(label="BCU", required=False)
    date_from = forms.DateField(
        label="From",
        required=False,
        input_formats=DATE_FORMATS,
        help_text="For example, 2023-04-01 or 01/04/2023",
        error_messages={"invalid": "Enter a real start date, like 2023-04-01"},
        validators=[validate_day_in_range],
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        input_formats=DATE_FORMATS,
        help_text="For example, 2024-03-31 or 31/03/2024",
        error_messages={"invalid": "Enter a real end date, like 2024-03-31"},
        validators=[validate_day_in_range],
    )

    def __init__(self, *args: Any, bcus: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["bcu"]).choices = [
            ("", "All BCUs"),
            *((name, name) for name in bcus),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and start > end:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return data

    def error_list(self) -> list[tuple[str, str]]:
        """(field id, message) pairs for the GOV.UK error summary."""
        return [
            (self[name].id_for_label, str(message))
            for name, errors in self.errors.items()
            for message in errors
        ]
