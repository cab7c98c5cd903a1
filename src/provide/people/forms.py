from __future__ import annotations

from django import forms

from provide.audit.break_glass import (
    REASON_MISSING,
    BreakGlassReasonInvalid,
    clean_break_glass_reason,
)


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
    safe_contact_times = forms.CharField(label="Safe times to contact", required=False, max_length=120,
                                         help_text="For example: weekdays 09:00 to 12:00")  # fmt: skip
    no_messages = forms.BooleanField(label="Do not leave messages", required=False)
    suspect_may_answer = forms.BooleanField(
        label="The suspect may answer the phone", required=False
    )
    no_letters = forms.BooleanField(label="Do not send letters", required=False)
    no_sms = forms.BooleanField(label="Do not send text messages", required=False)

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
