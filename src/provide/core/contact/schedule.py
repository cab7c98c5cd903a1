"""When it is safe to contact a victim: weekly ranges, safe or not, and the periods they leave
on one day.

A victim's safe-contact schedule is a set of weekly ranges. A *safe* range says when contact is
safe ("Monday to Friday, 09:00 to 12:00"); an *unsafe* range says when it is not ("every day,
15:00 to 18:00", when the suspect is home). On a given day:

* with no ranges at all, there is no restriction (:meth:`ContactSchedule.periods_on` returns
  ``None``);
* with safe ranges, only they are safe: a day none of them covers has no safe period;
* with unsafe ranges only, the whole day is safe except them;
* unsafe ranges are always taken away from the safe ones.

Times are minutes after local midnight, ``0`` to ``1440`` (``1440`` is the end of the day,
written ``24:00``). A range never crosses midnight: "22:00 to 02:00" is two ranges.

Examples
--------
>>> import datetime as dt
>>> weekday_mornings = WeeklyRange(days=WEEKDAYS, start=540, end=720)
>>> ContactSchedule((weekday_mornings,)).periods_on(dt.date(2026, 12, 7))  # a Monday
((540, 720),)
>>> ContactSchedule((weekday_mornings,)).periods_on(dt.date(2026, 12, 6))  # a Sunday
()
>>> not_after_school = WeeklyRange(days=EVERY_DAY, start=900, end=1080, safe=False)
>>> ContactSchedule((not_after_school,)).periods_on(dt.date(2026, 12, 6))
((0, 900), (1080, 1440))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DAY_NAMES",
    "EVERY_DAY",
    "MINUTES_IN_DAY",
    "WEEKDAYS",
    "WEEKEND",
    "ContactSchedule",
    "WeeklyRange",
    "clock",
    "intersect",
    "subtract",
]

MINUTES_IN_DAY = 1440
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS = frozenset(range(5))
WEEKEND = frozenset({5, 6})
EVERY_DAY = frozenset(range(7))

Period = tuple[int, int]
"""A stretch of one day, ``(start, end)`` in minutes after midnight, ``start < end``."""


def clock(minute: int) -> str:
    """``HH:MM`` for a minute of the day (``1440`` is ``24:00``)."""
    hours, minutes = divmod(minute, 60)
    return f"{hours:02d}:{minutes:02d}"


def _minute(text: str) -> int:
    hours, _, minutes = text.partition(":")
    return int(hours) * 60 + int(minutes or 0)


@dataclass(frozen=True)
class WeeklyRange:
    """A range of time on some days of every week.

    Parameters
    ----------
    days : frozenset of int
        The days it applies to, 0 (Monday) to 6 (Sunday); at least one.
    start, end : int
        Minutes after midnight, ``0 <= start < end <= 1440``.
    safe : bool
        True when contact is safe in this range, False when it is not.

    Raises
    ------
    ValueError
        For no days, a day outside 0-6, or a range that is empty, inverted or outside the day.
    """

    days: frozenset[int]
    start: int
    end: int
    safe: bool = True

    def __post_init__(self) -> None:
        if not self.days:
            raise ValueError("a range needs at least one day")
        if not self.days <= EVERY_DAY:
            raise ValueError(f"days are 0 (Monday) to 6 (Sunday), not {sorted(self.days)}")
        if not 0 <= self.start < self.end <= MINUTES_IN_DAY:
            raise ValueError(
                f"a range must start before it ends, within the day: "
                f"{clock(self.start)} to {clock(self.end)}"
            )

    def in_words(self) -> str:
        """``"Monday to Friday, 09:00 to 12:00"``, with ``"not safe: "`` before unsafe ranges."""
        words = f"{days_in_words(self.days)}, {clock(self.start)} to {clock(self.end)}"
        return words if self.safe else f"not safe: {words}"

    def to_json(self) -> dict[str, Any]:
        return {
            "days": sorted(self.days),
            "start": clock(self.start),
            "end": clock(self.end),
            "safe": self.safe,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WeeklyRange:
        return cls(
            days=frozenset(int(day) for day in data["days"]),
            start=_minute(str(data["start"])),
            end=_minute(str(data["end"])),
            safe=bool(data.get("safe", True)),
        )


def days_in_words(days: Iterable[int]) -> str:
    """``"every day"``, ``"Monday to Friday"``, ``"Saturday and Sunday"``, ``"Monday, Wednesday"``."""
    chosen = sorted(set(days))
    if set(chosen) == EVERY_DAY:
        return "every day"
    if len(chosen) > 2 and chosen == list(range(chosen[0], chosen[-1] + 1)):
        return f"{DAY_NAMES[chosen[0]]} to {DAY_NAMES[chosen[-1]]}"
    if len(chosen) == 2:
        return f"{DAY_NAMES[chosen[0]]} and {DAY_NAMES[chosen[1]]}"
    return ", ".join(DAY_NAMES[day] for day in chosen)


def _merge(periods: Iterable[Period]) -> tuple[Period, ...]:
    """Sorted, with overlapping and touching periods joined."""
    merged: list[list[int]] = []
    for start, end in sorted(periods):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((start, end) for start, end in merged)


def subtract(periods: Iterable[Period], taken: Iterable[Period]) -> tuple[Period, ...]:
    """``periods`` with every minute of ``taken`` removed.

    >>> subtract([(0, 600)], [(100, 200), (500, 700)])
    ((0, 100), (200, 500))
    """
    left = list(_merge(periods))
    for cut_start, cut_end in _merge(taken):
        kept: list[Period] = []
        for start, end in left:
            if cut_end <= start or end <= cut_start:
                kept.append((start, end))
                continue
            if start < cut_start:
                kept.append((start, cut_start))
            if cut_end < end:
                kept.append((cut_end, end))
        left = kept
    return tuple(left)


def intersect(periods: Iterable[Period], within: Iterable[Period]) -> tuple[Period, ...]:
    """The minutes that lie both in ``periods`` and in ``within``.

    >>> intersect([(0, 600)], [(300, 900)])
    ((300, 600),)
    """
    result = [
        (max(a, c), min(b, d))
        for a, b in _merge(periods)
        for c, d in _merge(within)
        if max(a, c) < min(b, d)
    ]
    return _merge(result)


@dataclass(frozen=True)
class ContactSchedule:
    """A victim's weekly safe-contact ranges (see the module's rules)."""

    ranges: tuple[WeeklyRange, ...] = ()

    @property
    def restricts(self) -> bool:
        """True when the schedule says anything (some range, safe or not)."""
        return bool(self.ranges)

    def periods_on(self, day: dt.date) -> tuple[Period, ...] | None:
        """The safe periods of ``day``, in order; ``None`` when nothing restricts contact."""
        if not self.ranges:
            return None
        weekday = day.weekday()
        safe = [r for r in self.ranges if r.safe]
        if safe:
            base = _merge((r.start, r.end) for r in safe if weekday in r.days)
        else:
            base = ((0, MINUTES_IN_DAY),)
        unsafe = [(r.start, r.end) for r in self.ranges if not r.safe and weekday in r.days]
        return subtract(base, unsafe)

    def unsafe_periods_on(self, day: dt.date) -> tuple[Period, ...]:
        """The periods of ``day`` an unsafe range names."""
        weekday = day.weekday()
        return _merge((r.start, r.end) for r in self.ranges if not r.safe and weekday in r.days)

    def in_words(self) -> list[str]:
        """One line a range, safe ranges first: what a person reads on the record."""
        ordered = sorted(self.ranges, key=lambda r: (not r.safe, min(r.days), r.start))
        return [r.in_words() for r in ordered]

    def to_json(self) -> list[dict[str, Any]]:
        return [r.to_json() for r in self.ranges]

    @classmethod
    def from_json(cls, data: Sequence[dict[str, Any]] | None) -> ContactSchedule:
        """The schedule stored as :meth:`to_json` wrote it (``None`` or ``[]``: no ranges)."""
        return cls(tuple(WeeklyRange.from_json(item) for item in data or ()))
