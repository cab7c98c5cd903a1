"""The planner's time budget: one clock passed down to every phase and every solver call.

:func:`provide.core.planning.solve.solve_plan` makes one :class:`Budget` from its time limit
and hands each phase a sub-budget cut from it: :meth:`Budget.share` for the planner's phases
(their shares of the whole are :data:`SHARES`, in this module and nowhere else),
:meth:`Budget.at_most`, :meth:`Budget.keeping` and :meth:`Budget.rest` for the slices inside
a phase. Every solver call is bounded by the budget it is given: CP-SAT's
``max_time_in_seconds``, GLOP's and CBC's time limits, the labelling loops of pricing and
the search's own loop all read it.

A sub-budget starts when it is cut and ends at a fixed point on its parent's clock, never
after its parent's end, so what one phase leaves unused passes to the next; one cut after
that point is empty.

The clock is a parameter (default :func:`time.monotonic`, seconds): tests drive a budget
with a fake clock and so never depend on how fast the machine is. Code that reads the
system's clock itself (the compiled labelling, in C) gets :meth:`Budget.monotonic_deadline`.

Example
-------
>>> ticks = iter([0.0, 0.0, 1.0, 1.0, 4.0])
>>> budget = Budget(10.0, clock=lambda: next(ticks))  # starts at 0
>>> search = budget.share("search")                   # cut at 0, ends at 1.5
>>> search.remaining(), search.expired()              # read at 1
(0.5, False)
>>> budget.remaining()                                # read at 4
6.0
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Final, Literal

__all__ = [
    "BOUND_MOST_SECONDS",
    "EXACT_TRAVEL_MIN_SECONDS",
    "MASTER_IP_SECONDS",
    "MIN_SOLVER_SECONDS",
    "PACKING_QUICK_SECONDS",
    "PACKING_SAT_SHARE",
    "PACKING_WITHOUT_ROW_SHARE",
    "PRICING_RESERVE_SECONDS",
    "RESULT_SECONDS",
    "SHARES",
    "Budget",
    "Phase",
]

Phase = Literal["bound", "search", "search alone", "columns", "closing", "exact"]
"""A named phase of :func:`~provide.core.planning.solve.solve_plan`."""

SHARES: Final[dict[Phase, float]] = {
    "bound": 0.10,
    "search": 0.15,
    "search alone": 0.95,
    "columns": 0.90,
    "closing": 1.00,
    "exact": 1.00,
}
"""By what share of the whole budget each phase must have ended (phases run in this order).

* ``bound``: the linear relaxation over travel arcs (GLOP), or the knapsack relaxation if
  GLOP fails, which give the search its target;
* ``search``: the large-neighbourhood search when column generation and CP-SAT follow;
  ``search alone`` when nothing follows (problems too large for the exact phases);
* ``columns``: column generation (pricing, the master LP, the master IP);
* ``closing``: closing the gap (enumeration and packing), and ``exact``: CP-SAT, both less
  :data:`RESULT_SECONDS`.
"""

RESULT_SECONDS: Final = 0.25
"""Seconds kept at the end of the whole budget to turn the routes into a result."""

BOUND_MOST_SECONDS: Final = 0.5
"""The knapsack relaxation, when it stands in for GLOP, takes at most this long."""

PRICING_RESERVE_SECONDS: Final = 0.6
"""Column generation stops heuristic pricing this long before the end of its phase, to keep
time for the last exact pricing and the master IP."""

MASTER_IP_SECONDS: Final = 0.3
"""Exact pricing stops this long before the end of the column phase, for the master IP (the
best plan from the columns), which gets at most twice this when closing the gap follows."""

EXACT_TRAVEL_MIN_SECONDS: Final = 0.2
"""CP-SAT, once it has proven the best total priority, minimises travel only if at least this
much of its budget is left."""

PACKING_QUICK_SECONDS: Final = 0.2
"""A packing first gives CBC, with "worth at least" as a row, this long: it often settles
it at once."""

PACKING_SAT_SHARE: Final = 0.15
"""Then CP-SAT gets this share of the packing's time..."""

PACKING_WITHOUT_ROW_SHARE: Final = 0.3
"""...then CBC without the "worth at least" row this share; CBC with the row the rest."""

MIN_SOLVER_SECONDS: Final = 0.05
"""A solver is never given a time limit below this (OR-Tools' linear solvers read a limit of
0 as "no limit"), so one started with less left may run this long; the planner does not
start CP-SAT's exact model, a packing or the column phase with less than this left."""


class Budget:
    """A span of time on a clock: when it started, how long it lasts, how much is left.

    Parameters
    ----------
    seconds : float
        Length of the budget, seconds (finite, >= 0).
    clock : callable, default :func:`time.monotonic`
        Returns the current time in seconds; only differences are used.
    start : float or None
        When the budget starts, on ``clock``; default now (``clock()``).

    Raises
    ------
    ValueError
        If ``seconds`` is negative, infinite or not a number.
    """

    __slots__ = ("clock", "seconds", "start")

    def __init__(
        self,
        seconds: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        start: float | None = None,
    ) -> None:
        if not (math.isfinite(seconds) and seconds >= 0):
            raise ValueError(f"a budget lasts a finite, non-negative time, not {seconds!r} s")
        self.clock = clock
        self.start = clock() if start is None else start
        self.seconds = float(seconds)

    def __repr__(self) -> str:
        return f"Budget({self.seconds:g} s from {self.start:g})"

    @property
    def end(self) -> float:
        """When the budget ends, on its clock."""
        return self.start + self.seconds

    def elapsed(self) -> float:
        """Seconds since the budget started."""
        return self.clock() - self.start

    def remaining(self) -> float:
        """Seconds left (0 once the budget has ended)."""
        return max(0.0, self.end - self.clock())

    def expired(self) -> bool:
        """Has the budget ended?"""
        return self.clock() >= self.end

    def share(self, phase: Phase) -> Budget:
        """The budget of ``phase``: from now until its share (:data:`SHARES`) of this budget
        has passed since this budget started."""
        return self._until(self.start + SHARES[phase] * self.seconds)

    def at_most(self, seconds: float) -> Budget:
        """From now for at most ``seconds``, and not after this budget ends."""
        return self._until(self.clock() + max(0.0, seconds))

    def keeping(self, seconds: float) -> Budget:
        """From now until ``seconds`` before this budget ends (time kept back for what
        follows)."""
        return self._until(self.end - seconds)

    def rest(self) -> Budget:
        """What is left of this budget, as a budget starting now."""
        return self._until(self.end)

    def solver_seconds(self) -> float:
        """The time limit to give a solver: the time left, at least
        :data:`MIN_SOLVER_SECONDS`."""
        return max(MIN_SOLVER_SECONDS, self.remaining())

    def solver_milliseconds(self) -> int:
        """:meth:`solver_seconds` in whole milliseconds (OR-Tools' linear solvers)."""
        return max(round(MIN_SOLVER_SECONDS * 1000), int(self.remaining() * 1000))

    def monotonic_deadline(self) -> float:
        """The end of this budget as a :func:`time.monotonic` value, for code that reads the
        system's monotonic clock itself (the compiled labelling)."""
        return time.monotonic() + self.remaining()

    def _until(self, end: float) -> Budget:
        """From now until ``end``, cut at this budget's end; a slice cut too late starts
        and ends there, with nothing in it."""
        end = min(end, self.end)
        start = min(self.clock(), end)
        return Budget(end - start, clock=self.clock, start=start)
