"""Input validation only: the services apply the rules again."""

from __future__ import annotations

from typing import Any

from django import forms

from provide.core.safeguarding import lifecycle
from provide.safeguarding.models import HandoverTask, ProtectiveMeasure, Referral, ReferralService

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DATETIME_FORMATS = ["%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known")]


class ReferralForm(forms.Form):
    target = forms.ChoiceField(
        label="Refer to",
        choices=[("", "Choose a service"), *ReferralService.Target.choices],
        error_messages={"required": "Choose the service you are referring to"},
    )
    consent = forms.ChoiceField(
        label="Has the victim consented to this referral?",
        choices=Referral.Consent.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the victim consented"},
    )
    victim_aware = forms.ChoiceField(
        label="Is the victim aware of the referral?",
        choices=YES_NO_UNKNOWN,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the victim is aware"},
    )
    lawful_basis = forms.CharField(
        label="Lawful basis for sharing without consent",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
        help_text="Needed unless the victim consented. For example: meets the MARAC threshold; "
        "DPA 2018 Schedule 1 paragraph 18, safeguarding of individuals at risk.",
    )
    reasons = forms.CharField(
        label="Reasons for the referral",
        required=False,
        max_length=4000,
        widget=forms.Textarea,
        help_text="For MARAC, the criterion and your reasons (strangulation, stalking, threats to kill ...).",
    )
    victim_wants = forms.CharField(
        label="What the victim wants from the referral",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
    )
    victim_fears = forms.CharField(
        label="Who the victim fears or trusts",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
    )
    idva_shared_summary = forms.CharField(
        label="Health-side information the victim agreed the IDVA may share",
        required=False,
        max_length=4000,
        widget=forms.Textarea,
        help_text="Leave empty to share nothing from the health-side record.",
    )

    def __init__(self, *args: Any, health: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not health:
            del self.fields["idva_shared_summary"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("target") == "marac" and not str(data.get("reasons", "")).strip():
            self.add_error("reasons", "Set out why this case should go to MARAC")
        consent = data.get("consent")
        if consent:
            problem = lifecycle.sharing_problem(
                lifecycle.Consent(consent), str(data.get("lawful_basis", ""))
            )
            if problem:
                self.add_error("lawful_basis", problem)
        aware = data.get("victim_aware")
        data["victim_aware"] = {"yes": True, "no": False}.get(str(aware)) if aware else None
        return data


class DraftReferralForm(ReferralForm):
    """Complete or change a draft: everything but the service it goes to."""

    def __init__(self, *args: Any, target: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.referral_target = target
        del self.fields["target"]

    def clean(self) -> dict[str, Any]:
        self.cleaned_data.setdefault("target", self.referral_target)
        data = super().clean()
        data.pop("target", None)
        return data

    @staticmethod
    def initial_from(referral: Any) -> dict[str, Any]:
        aware = {True: "yes", False: "no"}.get(referral.victim_aware, "unknown")
        return {
            "consent": referral.consent,
            "victim_aware": aware,
            "lawful_basis": referral.lawful_basis,
            "reasons": referral.reasons,
            "victim_wants": referral.victim_wants,
            "victim_fears": referral.victim_fears,
            "idva_shared_summary": referral.idva_shared_summary,
        }


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Why was the referral rejected?",
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"required": "Give the reason the referral was rejected"},
    )


class CompleteForm(forms.Form):
    outcome = forms.CharField(
        label="Outcome", required=False, max_length=2000, widget=forms.Textarea
    )


class MaracDateForm(forms.Form):
    date = forms.DateField(
        label="Meeting date (YYYY-MM-DD)", required=False, input_formats=DATE_FORMATS
    )


class MaracActionForm(forms.Form):
    agency = forms.CharField(
        label="Agency", max_length=80, error_messages={"required": "Enter the agency"}
    )
    action = forms.CharField(
        label="Action",
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"required": "Describe the action"},
    )
    owner = forms.CharField(label="Owner", required=False, max_length=120)
    due_on = forms.DateField(
        label="Due (YYYY-MM-DD)",
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": "Enter the due date as YYYY-MM-DD"},
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label="Minutes", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(
        label="Measure",
        choices=[("", "Choose a measure"), *ProtectiveMeasure.Kind.choices],
        error_messages={"required": "Choose the measure"},
    )
    issued_at = forms.DateTimeField(
        label="Served, made or requested (YYYY-MM-DD HH:MM)",
        input_formats=DATETIME_FORMATS,
        error_messages={
            "required": "Enter when it was served, made or requested",
            "invalid": "Enter the date and time as YYYY-MM-DD HH:MM",
        },
    )
    dvpo_days = forms.IntegerField(
        label="DVPO length in days (14 to 28)",
        required=False,
        error_messages={"invalid": "Enter a whole number of days"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        days = data.get("dvpo_days")
        if data.get("kind") == "dvpo" and (days is None or not 14 <= days <= 28):
            self.add_error("dvpo_days", "A DVPO lasts 14 to 28 days")
        return data


class HandoverForm(forms.Form):
    title = forms.CharField(
        label="What the safeguarding team needs to do",
        max_length=200,
        error_messages={"required": "Say what the safeguarding team needs to do"},
    )
    details = forms.CharField(
        label="Details", required=False, max_length=4000, widget=forms.Textarea
    )
    due_on = forms.DateField(
        label="Due (YYYY-MM-DD)",
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": "Enter the due date as YYYY-MM-DD"},
    )


class HandoverStatusForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=HandoverTask.Status.choices)


class VictimSearchForm(forms.Form):
    q = forms.CharField(
        label="Victim's name, person reference or investigation reference",
        max_length=80,
        help_text="For example: Westby, P-W-1 or WB/2026/000123. Only people in your area are found.",
        error_messages={"required": "Enter a name or a reference"},
    )
