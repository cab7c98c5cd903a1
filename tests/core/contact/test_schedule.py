"""Weekly safe-contact ranges: the rules of a day's safe periods, set arithmetic, words, JSON."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from provide.core.contact.schedule import (
    EVERY_DAY,
    WEEKDAYS,
    WEEKEND,
    ContactSchedule,
    WeeklyRange,
    clock,
    days_in_words,
    intersect,
    subtract,
)

MONDAY = dt.date(2026, 12, 7)
SUNDAY = dt.date(2026, 12, 6)


def test_no_ranges_means_no_restriction() -> None:
    assert ContactSchedule().periods_on(MONDAY) is None
    assert not ContactSchedule().restricts


def test_safe_ranges_are_the_only_safe_times_and_a_day_they_miss_has_none() -> None:
    schedule = ContactSchedule((WeeklyRange(WEEKDAYS, 540, 720),))
    assert schedule.periods_on(MONDAY) == ((540, 720),)
    assert schedule.periods_on(SUNDAY) == ()


def test_unsafe_ranges_alone_leave_the_rest_of_the_day_and_always_cut_safe_ones() -> None:
    unsafe_only = ContactSchedule((WeeklyRange(EVERY_DAY, 900, 1080, safe=False),))
    assert unsafe_only.periods_on(SUNDAY) == ((0, 900), (1080, 1440))
    both = ContactSchedule(
        (WeeklyRange(WEEKDAYS, 540, 1200), WeeklyRange(frozenset({0}), 600, 660, safe=False))
    )
    assert both.periods_on(MONDAY) == ((540, 600), (660, 1200))
    assert both.unsafe_periods_on(MONDAY) == ((600, 660),)
    assert both.periods_on(dt.date(2026, 12, 8)) == ((540, 1200),)  # Tuesday: no cut


@pytest.mark.parametrize(
    ("days", "start", "end"),
    [(frozenset(), 0, 60), (frozenset({7}), 0, 60), (WEEKDAYS, 60, 60), (WEEKDAYS, 120, 60),
     (WEEKDAYS, -1, 60), (WEEKDAYS, 0, 1441)],
)  # fmt: skip
def test_a_range_that_makes_no_sense_is_refused(days: frozenset[int], start: int, end: int) -> None:
    with pytest.raises(ValueError):
        WeeklyRange(days, start, end)


def test_words_and_json_round_trip() -> None:
    schedule = ContactSchedule(
        (WeeklyRange(WEEKEND, 0, 1440), WeeklyRange(WEEKDAYS, 1080, 1440, safe=False))
    )
    assert schedule.in_words() == [
        "Saturday and Sunday, 00:00 to 24:00",
        "not safe: Monday to Friday, 18:00 to 24:00",
    ]
    assert ContactSchedule.from_json(schedule.to_json()) == schedule
    assert ContactSchedule.from_json(None) == ContactSchedule()
    assert days_in_words([0, 2]) == "Monday and Wednesday"
    assert days_in_words([0, 2, 4]) == "Monday, Wednesday, Friday"
    assert days_in_words(range(7)) == "every day"
    assert clock(1440) == "24:00" and clock(555) == "09:15"


def test_subtract_and_intersect() -> None:
    assert subtract([(0, 600)], [(100, 200), (500, 700)]) == ((0, 100), (200, 500))
    assert subtract([(0, 100)], [(0, 100)]) == ()
    assert intersect([(0, 600), (700, 800)], [(300, 750)]) == ((300, 600), (700, 750))
    assert intersect([(0, 100)], [(100, 200)]) == ()


ranges = st.builds(
    lambda days, a, b, safe: WeeklyRange(frozenset(days), min(a, b), max(a, b) + 1, safe),
    st.sets(st.integers(0, 6), min_size=1),
    st.integers(0, 1438),
    st.integers(0, 1438),
    st.booleans(),
)


@given(st.lists(ranges, max_size=6), st.integers(0, 6))
def test_no_safe_period_touches_an_unsafe_range_and_each_lies_in_a_safe_one(
    chosen: list[WeeklyRange], offset: int
) -> None:
    day = MONDAY + dt.timedelta(days=offset)
    schedule = ContactSchedule(tuple(chosen))
    periods = schedule.periods_on(day)
    if not chosen:
        assert periods is None
        return
    assert periods is not None
    weekday = day.weekday()
    safe = [r for r in chosen if r.safe and weekday in r.days]
    has_safe = any(r.safe for r in chosen)
    for start, end in periods:
        assert start < end
        for r in chosen:
            if not r.safe and weekday in r.days:
                assert end <= r.start or r.end <= start
        if has_safe:
            assert any(r.start <= start and end <= r.end for r in _joined(safe))


def _joined(safe: list[WeeklyRange]) -> list[WeeklyRange]:
    """Touching safe ranges joined, as periods_on joins them."""
    spans = sorted((r.start, r.end) for r in safe)
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [WeeklyRange(EVERY_DAY, a, b) for a, b in merged]
