"""Fake clocks for the planner's time budgets: tests move time, the machine's speed does not."""

from __future__ import annotations


class FakeClock:
    """A clock that reads ``now`` and then moves on by ``step`` seconds (0: stands still
    until :meth:`advance` moves it)."""

    def __init__(self, now: float = 1000.0, step: float = 0.0) -> None:
        self.now = now
        self.step = step
        self.readings = 0

    def __call__(self) -> float:
        reading = self.now
        self.now += self.step
        self.readings += 1
        return reading

    def advance(self, seconds: float) -> None:
        self.now += seconds
