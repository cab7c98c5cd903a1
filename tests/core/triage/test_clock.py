"""The 24-hour clock from the first police visit to the IDVA's contact."""

from __future__ import annotations

import datetime as dt

import pytest

from provide.core.triage import ClockState, Thresholds, clock_for
from tests.core.triage.builders import T0, case


@pytest.mark.parametrize(
    ("hours_ago", "state", "summary"),
    [
        (2, ClockState.ON_TIME, "22 h left"),
        (18.5, ClockState.DUE_SOON, "5 h left"),
        (23.9, ClockState.DUE_SOON, "6 min left"),
        (24, ClockState.BREACHED, "0 min over the target"),
        (27.5, ClockState.BREACHED, "3 h over the target"),
    ],
)
def test_clock_warns_before_and_flags_after_the_target(
    hours_ago: float, state: ClockState, summary: str
) -> None:
    clock = clock_for(
        case(first_police_visit_at=T0 - dt.timedelta(hours=hours_ago)), T0, Thresholds()
    )
    assert clock.state is state and clock.summary == summary


def test_live_incident_clock_has_not_started() -> None:
    clock = clock_for(case(first_police_visit_at=None), T0, Thresholds())
    assert (
        clock.state is ClockState.LIVE
        and clock.due_by is None
        and clock.summary == "Live: no police visit yet"
    )


def test_warning_margin_is_the_policy_s() -> None:
    visit = case(first_police_visit_at=T0 - dt.timedelta(hours=20))
    assert clock_for(visit, T0, Thresholds(warning_hours=3)).state is ClockState.ON_TIME
