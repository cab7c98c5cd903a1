"""The sergeant's decision form, the board filter and the policy editor's form."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from provide.core.triage import DEFAULT_POLICY
from provide.triage.forms import DecisionForm, PolicyForm, parse_board_date


def form_data(initial: dict[str, Any]) -> dict[str, Any]:
    """What a browser posts for these initial values (unticked boxes are left out)."""
    data: dict[str, Any] = {}
    for name, value in initial.items():
        if value is False:
            continue
        data[name] = "on" if value is True else value
    return data


def test_a_decision_is_needed_and_the_reason_is_bounded() -> None:
    assert DecisionForm({}).errors["decision"] == ["Choose a decision"]
    assert DecisionForm({"decision": "maybe"}).errors["decision"] == ["Choose a decision"]
    assert DecisionForm({"decision": "consultation", "reason": "x" * 2001}).errors["reason"] == [
        "The reason must be 2000 characters or fewer"
    ]
    assert DecisionForm({"decision": "not_eligible"}).is_valid()


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2023-01-10", dt.date(2023, 1, 10)),
        ("10/01/2023", dt.date(2023, 1, 10)),
        ("2023-02-30", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_board_date(value: str | None, day: dt.date | None) -> None:
    assert parse_board_date(value) == day


def test_the_default_policy_goes_through_the_form_unchanged() -> None:
    initial = PolicyForm.initial_for(DEFAULT_POLICY, "Default again")
    form = PolicyForm({**form_data(initial), "notes": "No change"})
    assert form.is_valid(), form.errors
    assert form.to_policy() == dataclasses.replace(DEFAULT_POLICY, version=0, name="Default again")


def test_every_weight_and_threshold_has_a_field() -> None:
    form = PolicyForm(bcus=["West"])
    assert len(form.weight_fields()) == len(PolicyForm.weight_names) > 0
    assert [f.name for f in form.threshold_fields()] == list(PolicyForm.threshold_names)
    assert [f.name for f in form.flag_fields()] == [
        "rank_high_risk_first",
        "escalate_high_risk_no_contact",
    ]
    assert form.fields["preview_bcu"].choices == [("West", "West BCU")]  # type: ignore[attr-defined]


def test_negative_and_missing_numbers_are_named_in_words() -> None:
    initial = PolicyForm.initial_for(DEFAULT_POLICY, "Broken")
    data = {**form_data(initial), "notes": "x", "look_back_hours": "-1"}
    del data["target_hours"]
    form = PolicyForm(data)
    assert form.errors["look_back_hours"] == ["Look-back (hours) must be 0 or more"]
    assert form.errors["target_hours"] == ["Enter target from first police visit (hours)"]


def test_the_cores_policy_problems_are_shown_on_the_form() -> None:
    initial = PolicyForm.initial_for(DEFAULT_POLICY, "Late cut-off")
    late = PolicyForm({**form_data(initial), "notes": "x", "board_cutoff_hour": "24"})
    assert late.errors == {"board_cutoff_hour": ["The board cut-off must be an hour from 0 to 23"]}
    warning = PolicyForm({**form_data(initial), "notes": "x", "warning_hours": "30"})
    assert warning.errors == {
        "warning_hours": ["The warning must be 0 or more hours and shorter than the target"]
    }
