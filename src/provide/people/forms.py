from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from provide.audit.break_glass import (
    REASON_MISSING,
    BreakGlassReasonInvalid,
    clean_break_glass_reason,
)
from provide.core.contact import read_contact_times
from provide.people.models import ContactMethod
from provide.shared.dates import validate_day_in_range


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to open this record?",
        help_text="This person is outside your area. Your reason is recorded and reviewed.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": REASON_MISSING},
    )

    def clean_reason(self) -> str:
        """The one break-glass rule (:mod:`provide.audit.break_glass`), as the API applies it."""
        try:
            return clean_break_glass_reason(self.cleaned_data["reason"])
        except BreakGlassReasonInvalid as invalid:
            raise forms.ValidationError(str(invalid)) from None


class SafeContactForm(forms.Form):
    safe_phone = forms.CharField(label="Safe phone number", required=False, max_length=30)
    safe_contact_times = forms.CharField(
        label="Safe times to contact", required=False, max_length=120,
        help_text="Days and times, parts separated by ';'. For example: weekdays 09:00-12:00; "
                  "not 15:00-18:00; after 18:00; Saturday 10:00-12:00; any time")  # fmt: skip
    safe_contact_method = forms.ChoiceField(
        label="How to make contact", required=False,
        choices=[("", "Not recorded"), *ContactMethod.choices])  # fmt: skip
    no_messages = forms.BooleanField(label="Do not leave messages", required=False)
    suspect_may_answer = forms.BooleanField(
        label="The suspect may answer the phone", required=False
    )
    no_letters = forms.BooleanField(label="Do not send letters", required=False)
    no_sms = forms.BooleanField(label="Do not send text messages", required=False)

    def clean_safe_contact_times(self) -> str:
        """Times Provide cannot read are refused here, so the plan never has to guess them."""
        text: str = " ".join(self.cleaned_data["safe_contact_times"].split())
        unread = read_contact_times(text).unread
        if unread:
            raise forms.ValidationError(
                f"Provide cannot read “{unread[0]}”. Write days and times like "
                "'weekdays 09:00-12:00', 'after 18:00' or 'not 15:00-18:00'"
            )
        return text

    def clean_safe_phone(self) -> str:
        phone: str = self.cleaned_data["safe_phone"].strip()
        digits = [ch for ch in phone if ch.isdigit()]
        if phone and (len(digits) < 10 or any(ch not in "0123456789 +()-" for ch in phone)):
            raise forms.ValidationError("Enter a phone number, like 07700 900 982")
        return phone


class MatchDecisionForm(forms.Form):
    decision = forms.ChoiceField(label="Are these the same person?", widget=forms.RadioSelect,
                                 choices=[("merge", "Yes, the same person: merge the newer record into the older"),
                                          ("distinct", "No, different people")],
                                 error_messages={"required": "Select whether these are the same person"})  # fmt: skip
    reason = forms.CharField(label="Reason", required=False, max_length=500)


class UnmergeForm(forms.Form):
    reason = forms.CharField(label="Why are you undoing this merge?", max_length=500,
                             error_messages={"required": "Give a reason for undoing the merge"})  # fmt: skip


class AvailabilityForm(forms.Form):
    """A time the victim said she can be seen, on one day."""

    on_date = forms.DateField(label="Date", help_text="For example, 2026-12-07",
                              error_messages={"required": "Enter the date",
                                              "invalid": "Enter a real date, like 2026-12-07"},
                              validators=[validate_day_in_range])  # fmt: skip
    starts = forms.TimeField(label="From", help_text="For example, 10:00",
                             error_messages={"required": "Enter the time she is available from",
                                             "invalid": "Enter a time, like 10:00"})  # fmt: skip
    ends = forms.TimeField(label="Until", help_text="For example, 12:00",
                           error_messages={"required": "Enter the time she is available until",
                                           "invalid": "Enter a time, like 12:00"})  # fmt: skip

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, starts, ends = cleaned.get("on_date"), cleaned.get("starts"), cleaned.get("ends")
        if day is not None and starts is not None and ends is not None:
            zone = timezone.get_current_timezone()
            cleaned["starts_at"] = dt.datetime.combine(day, starts, tzinfo=zone)
            cleaned["ends_at"] = dt.datetime.combine(day, ends, tzinfo=zone)
        return cleaned
