"""The 24-hour clock, the board's window, and the stale bands."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from provide.core.triage import (
    DEFAULT_POLICY,
    ClockState,
    Thresholds,
    board_window,
    clock_for,
    stale_band,
)
from provide.core.triage.stale import StaleBand
from tests.core.triage.builders import T0, case

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(("hours_ago", "state", "summary"), [
    (2, ClockState.ON_TIME, "22 h left"),
    (18.5, ClockState.DUE_SOON, "5 h left"),
    (23.9, ClockState.DUE_SOON, "6 min left"),
    (24, ClockState.BREACHED, "0 min over the target"),
    (27.5, ClockState.BREACHED, "3 h over the target"),
])
def test_clock_warns_before_and_flags_after_the_target(hours_ago: float, state: ClockState, summary: str) -> None:
    clock = clock_for(case(first_police_visit_at=T0 - dt.timedelta(hours=hours_ago)), T0, Thresholds())
    assert clock.state is state and clock.summary == summary


def test_live_incident_clock_has_not_started() -> None:
    clock = clock_for(case(first_police_visit_at=None), T0, Thresholds())
    assert clock.state is ClockState.LIVE and clock.due_by is None and clock.summary == "Live: no police visit yet"


def test_warning_margin_is_the_policy_s() -> None:
    visit = case(first_police_visit_at=T0 - dt.timedelta(hours=20))
    assert clock_for(visit, T0, Thresholds(warning_hours=3)).state is ClockState.ON_TIME


def test_tuesday_board_covers_24_hours_to_the_morning_cut_off() -> None:
    now = dt.datetime(2023, 1, 20, 12, tzinfo=dt.UTC)
    window = board_window(dt.date(2023, 1, 10), DEFAULT_POLICY, LONDON, now)
    assert window.starts_at == dt.datetime(2023, 1, 9, 7, tzinfo=dt.UTC)
    assert window.as_of == window.cutoff == dt.datetime(2023, 1, 10, 7, tzinfo=dt.UTC)


def test_monday_board_covers_the_weekend() -> None:
    now = dt.datetime(2023, 1, 20, 12, tzinfo=dt.UTC)
    window = board_window(dt.date(2023, 1, 9), DEFAULT_POLICY, LONDON, now)
    assert window.look_back_hours == 72
    assert window.starts_at == dt.datetime(2023, 1, 6, 7, tzinfo=dt.UTC)


def test_today_s_board_runs_on_to_now() -> None:
    now = dt.datetime(2023, 6, 13, 13, 30, tzinfo=dt.UTC)
    window = board_window(dt.date(2023, 6, 13), DEFAULT_POLICY, LONDON, now)
    assert window.as_of == now
    assert window.cutoff == dt.datetime(2023, 6, 13, 6, tzinfo=dt.UTC)  # 07:00 BST


def test_cut_off_is_local_time_across_the_clock_change() -> None:
    # The clocks went forward on Sunday 26 March 2023; Monday's board reaches back 72 true hours.
    now = dt.datetime(2023, 4, 1, tzinfo=dt.UTC)
    window = board_window(dt.date(2023, 3, 27), DEFAULT_POLICY, LONDON, now)
    assert window.cutoff == dt.datetime(2023, 3, 27, 6, tzinfo=dt.UTC)
    assert window.cutoff - window.starts_at == dt.timedelta(hours=72)


def test_future_board_and_naive_times_are_refused() -> None:
    now = dt.datetime(2023, 1, 10, 12, tzinfo=dt.UTC)
    with pytest.raises(ValueError, match="in the future"):
        board_window(dt.date(2023, 1, 11), DEFAULT_POLICY, LONDON, now)
    with pytest.raises(ValueError, match="timezone-aware"):
        board_window(dt.date(2023, 1, 10), DEFAULT_POLICY, LONDON, now.replace(tzinfo=None))


@pytest.mark.parametrize(("hours", "band"), [
    (23.9, None), (24, StaleBand.OVER_24_HOURS), (71.9, StaleBand.OVER_24_HOURS), (72, StaleBand.OVER_72_HOURS),
])
def test_stale_bands(hours: float, band: StaleBand | None) -> None:
    assert stale_band(T0, T0 + dt.timedelta(hours=hours)) is band


def test_docstring_examples_run() -> None:
    import doctest

    from provide.core.triage import clock, eligibility, policy, rules, scoring, stale, window

    for module in (clock, eligibility, policy, rules, scoring, stale, window):
        result = doctest.testmod(module)
        assert result.failed == 0, module.__name__
