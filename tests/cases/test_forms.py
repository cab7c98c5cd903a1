"""The live-incident form (the BCUs the user may choose, the time defaulting to now) and the
close form (a reason is required)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

from provide.cases.forms import CloseForm, IncidentForm

NOW = dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.UTC)
TYPED = {"first_name": "Dee", "last_name": "Example", "risk_grade": "high", "bcu": "West"}


def test_the_bcu_choices_are_the_ones_given_and_a_single_bcu_is_chosen_already() -> None:
    both = IncidentForm(bcus=["West", "East"])
    assert list(both.fields["bcu"].choices) == [("West", "West"), ("East", "East")]  # type: ignore[attr-defined]
    assert both.fields["bcu"].initial is None
    assert IncidentForm(bcus=["West"]).fields["bcu"].initial == "West"


def test_a_bcu_not_offered_is_refused() -> None:
    form = IncidentForm({**TYPED, "bcu": "East"}, bcus=["West"])
    assert not form.is_valid() and "bcu" in form.errors


@time_machine.travel(NOW, tick=False)
def test_a_blank_time_means_now() -> None:
    form = IncidentForm(TYPED, bcus=["West"])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["occurred_at"] == NOW


def test_a_typed_time_is_read_as_local_time() -> None:
    form = IncidentForm({**TYPED, "occurred_at": "2026-12-04 08:15"}, bcus=["West"])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["occurred_at"] == dt.datetime(
        2026, 12, 4, 8, 15, tzinfo=ZoneInfo("Europe/London")
    )


def test_each_problem_is_said_in_the_users_words() -> None:
    form = IncidentForm(
        {"occurred_at": "yesterday", "date_of_birth": "31/31/1990"}, bcus=["West", "East"]
    )
    assert not form.is_valid()
    assert form.errors == {
        "first_name": ["Enter the victim's first name"],
        "last_name": ["Enter the victim's last name"],
        "date_of_birth": ["Enter the date of birth as year-month-day"],
        "risk_grade": ["Choose the risk grade"],
        "occurred_at": ["Enter the time as year-month-day hours:minutes"],
        "bcu": ["Choose the BCU"],
    }


def test_closing_needs_a_reason() -> None:
    assert CloseForm({"reason": ""}).errors == {"reason": ["Give a reason for closing the case"]}
    form = CloseForm({"reason": "Victim moved out of area"})
    assert form.is_valid() and form.cleaned_data["reason"] == "Victim moved out of area"
