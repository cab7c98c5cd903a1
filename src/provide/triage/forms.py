"""Input validation for the sergeant's decision and the administrator's policy editor."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django import forms

from provide.core.triage import (
    EligibilityRules,
    Grade,
    Policy,
    Thresholds,
    Weights,
    policy_problems,
)
from provide.core.triage.policy import WEIGHT_LABELS
from provide.triage.models import TriageDecision

GRADE_CHOICES = [(grade.value, grade.label) for grade in Grade]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=TriageDecision.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a decision", "invalid_choice": "Choose a decision"},
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you override the policy, for a consultation, or when the victim is "
        "supported elsewhere. Otherwise the policy's reason is recorded.",
        error_messages={"max_length": "The reason must be 2000 characters or fewer"},
    )


class BoardFilterForm(forms.Form):
    date = forms.DateField(
        label="Board date (YYYY-MM-DD)",
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": "Enter a real date, like 2023-01-10"},
    )
    bcu = forms.CharField(label="BCU", required=False, max_length=60)


def _whole(label: str, minimum: int = 0) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=minimum,
        error_messages={
            "required": f"Enter {label.lower()}",
            "invalid": f"{label} must be a whole number",
            "min_value": f"{label} must be {minimum} or more",
        },
    )


THRESHOLD_LABELS = {
    "target_hours": "Target from first police visit (hours)",
    "warning_hours": "Warn when fewer than this many hours are left",
    "custody_release_soon_hours": "Custody window closing: release within (hours)",
    "da_events_cap": "Most previous DA events that earn points",
    "vulnerability_cap": "Most vulnerabilities that earn points",
    "board_cutoff_hour": "Morning board cut-off (hour, 0 to 23)",
    "retry_after_hours": "After a visit that did not see the victim, try again after (hours)",
    "escalate_after_attempts": "Tell the sergeant after this many visits without seeing the victim",
}


class PolicyForm(forms.Form):
    """Every setting of a policy version. Validation is the core's ``policy_problems``."""

    name = forms.CharField(
        label="Name of this version",
        max_length=100,
        error_messages={"required": "Enter a name for this version"},
    )
    notes = forms.CharField(
        label="What changed and why",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded with the new version and in the audit log.",
        error_messages={"required": "Say what changed and why"},
    )
    look_back_hours = _whole("Look-back (hours)", 0)
    monday_covers_weekend = forms.BooleanField(
        label="On Mondays, also cover the weekend", required=False
    )
    eligible_always = forms.MultipleChoiceField(
        label="Always eligible",
        choices=GRADE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    eligible_with_need = forms.MultipleChoiceField(
        label="Eligible with a vulnerability, health need or escalation",
        choices=GRADE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    escalation_events_12_months = _whole("Escalation: DA events in 12 months", 0)
    must_attend = forms.MultipleChoiceField(
        label="Must attend: the planner plans these before any other case where a team can reach them",
        choices=GRADE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    rank_high_risk_first = forms.BooleanField(
        label="Rank every eligible high-risk case above every other case, whatever the points",
        required=False,
    )
    escalate_high_risk_no_contact = forms.BooleanField(
        label="Tell the sergeant at once when a visit to a high-risk victim finds no one",
        required=False,
    )

    weight_names = tuple(f.name for f in dataclasses.fields(Weights))
    threshold_names = tuple(THRESHOLD_LABELS)

    def __init__(self, *args: Any, bcus: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.weight_names:
            self.fields[f"weight_{name}"] = _whole(WEIGHT_LABELS[name], 0)
        for name, label in THRESHOLD_LABELS.items():
            self.fields[name] = _whole(label, 0)
        self.fields["preview_bcu"] = forms.ChoiceField(
            label="Preview on today's board for",
            required=False,
            choices=[(name, f"{name} BCU") for name in (bcus or [])],
        )

    @classmethod
    def initial_for(cls, policy: Policy, name: str) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "name": name,
            "look_back_hours": policy.look_back_hours,
            "monday_covers_weekend": policy.thresholds.monday_covers_weekend,
            "eligible_always": [g.value for g in Grade if g in policy.eligibility.always],
            "eligible_with_need": [g.value for g in Grade if g in policy.eligibility.with_need],
            "escalation_events_12_months": policy.eligibility.escalation_events_12_months,
            "must_attend": [g.value for g in Grade if g in policy.eligibility.must_attend],
            "rank_high_risk_first": policy.thresholds.rank_high_risk_first,
            "escalate_high_risk_no_contact": policy.thresholds.escalate_high_risk_no_contact,
        }
        initial.update({f"weight_{n}": getattr(policy.weights, n) for n in cls.weight_names})
        initial.update({n: getattr(policy.thresholds, n) for n in cls.threshold_names})
        return initial

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[f"weight_{name}"] for name in self.weight_names]

    def flag_fields(self) -> list[forms.BoundField]:
        """The ranking and failed-visit switches, shown as single checkboxes."""
        return [self["rank_high_risk_first"], self["escalate_high_risk_no_contact"]]

    def threshold_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.threshold_names]

    def to_policy(self) -> Policy:
        data = self.cleaned_data
        return Policy(
            version=0,
            name=data["name"],
            look_back_hours=data["look_back_hours"],
            weights=Weights(**{n: data[f"weight_{n}"] for n in self.weight_names}),
            thresholds=Thresholds(
                monday_covers_weekend=bool(data["monday_covers_weekend"]),
                rank_high_risk_first=bool(data["rank_high_risk_first"]),
                escalate_high_risk_no_contact=bool(data["escalate_high_risk_no_contact"]),
                **{n: data[n] for n in self.threshold_names},
            ),
            eligibility=EligibilityRules(
                always=frozenset(Grade(g) for g in data["eligible_always"]),
                with_need=frozenset(Grade(g) for g in data["eligible_with_need"]),
                escalation_events_12_months=data["escalation_events_12_months"],
                must_attend=frozenset(Grade(g) for g in data["must_attend"]),
            ),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        for problem in policy_problems(self.to_policy()):
            self.add_error(problem.field if problem.field in self.fields else None, problem.message)
        return data


def parse_board_date(value: str | None) -> dt.date | None:
    form = BoardFilterForm({"date": value or ""})
    return form.cleaned_data["date"] if form.is_valid() else None
