"""The board's window: which hours of police work a day's triage board covers."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from provide.core.triage import DEFAULT_POLICY, board_window

LONDON = ZoneInfo("Europe/London")


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


def test_docstring_examples_run() -> None:
    import doctest

    from provide.core.triage import clock, eligibility, policy, rules, scoring, stale, window

    for module in (clock, eligibility, policy, rules, scoring, stale, window):
        result = doctest.testmod(module)
        assert result.failed == 0, module.__name__
