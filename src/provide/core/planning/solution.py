"""Output types of the visit planner: routes with timetables, left-out visits with reasons.

A :class:`PlanResult` is plain data: it can be rendered, stored as JSON
(:func:`plan_result_to_dict`) or checked with
:func:`provide.core.planning.validate.validate_plan`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "LeftOutVisit",
    "PlanResult",
    "PlanStatus",
    "RouteStop",
    "SolverStatistics",
    "TeamRoute",
    "plan_result_to_dict",
]


class PlanStatus(enum.Enum):
    """Overall outcome of a planning run."""

    OPTIMAL = "optimal"
    """The plan is proven to have the highest possible total priority."""
    FEASIBLE = "feasible"
    """A valid plan; not proven best."""
    MANDATORY_LEFT_OUT = "mandatory_left_out"
    """A valid timetable, but at least one mandatory visit could not be placed."""


@dataclass(frozen=True)
class RouteStop:
    """One stop on a team's route.

    Attributes
    ----------
    kind : str
        ``"visit"`` or ``"break"``.
    visit_id : str or None
        The visit request id (None for a break).
    arrival_minute, start_minute, departure_minute : int
        When the team arrives, starts (after any wait) and leaves, in minutes.
    travel_minutes_from_previous : int
        Travel from the previous stop (or the team's start) to here.
    """

    kind: str
    visit_id: str | None
    arrival_minute: int
    start_minute: int
    departure_minute: int
    travel_minutes_from_previous: int


@dataclass(frozen=True)
class TeamRoute:
    """A team's route: leave base, make the stops in order, return.

    Attributes
    ----------
    team_id : str
    departure_minute : int
        When the team leaves its start location.
    stops : tuple of RouteStop
    return_minute : int
        When the team is back at its end location.
    travel_minutes : int
        Total driving in the route.
    priority : float
        Total priority of the visits made.
    """

    team_id: str
    departure_minute: int
    stops: tuple[RouteStop, ...]
    return_minute: int
    travel_minutes: int
    priority: float

    @property
    def visit_ids(self) -> tuple[str, ...]:
        """Ids of the visits in route order (breaks left out)."""
        return tuple(s.visit_id for s in self.stops if s.visit_id is not None)


@dataclass(frozen=True)
class LeftOutVisit:
    """A visit request that is not in the plan, and why, in plain English."""

    visit_id: str
    reason: str
    mandatory: bool = False


@dataclass(frozen=True)
class SolverStatistics:
    """How the answer was found.

    Attributes
    ----------
    method : str
        The phases that ran: ``"search"`` (large-neighbourhood search), then
        ``"+columns"`` (column generation and closing the gap) and ``"+cp-sat"``.
    seconds : float
        Time spent, seconds, on the planner's clock (the wall clock unless a caller passed
        another to :func:`~provide.core.planning.solve.solve_plan`).
    iterations : int
        Destroy-and-repair iterations of the search.
    seed : int
    time_limit_seconds : float
    stopped_by_clock : bool
        True if the time limit, not the work budget, ended the search (then the run may not
        repeat exactly).
    notes : tuple of str
    """

    method: str
    seconds: float
    iterations: int
    seed: int
    time_limit_seconds: float
    stopped_by_clock: bool
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanResult:
    """The plan for one shift.

    Attributes
    ----------
    status : PlanStatus
    objective : float
        Total priority of the visits made (the primary objective).
    travel_minutes : int
        Total driving over all routes (the secondary objective).
    routes : tuple of TeamRoute
        One per team, in the problem's team order (possibly with no stops).
    left_out : tuple of LeftOutVisit
        Every visit request not in the plan, with the reason.
    statistics : SolverStatistics
    proven_optimal : bool
        True if no plan has a higher total priority.
    bound : float or None
        A proven upper bound on total priority, if known.
    """

    status: PlanStatus
    objective: float
    travel_minutes: int
    routes: tuple[TeamRoute, ...]
    left_out: tuple[LeftOutVisit, ...]
    statistics: SolverStatistics
    proven_optimal: bool = False
    bound: float | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def gap(self) -> float | None:
        """Relative gap ``(bound - objective) / bound`` (0 when proven optimal), if known."""
        if self.proven_optimal:
            return 0.0
        if self.bound is None or self.bound <= 0:
            return None
        return max(0.0, (self.bound - self.objective) / self.bound)


def plan_result_to_dict(result: PlanResult) -> dict[str, Any]:
    """A JSON-ready dictionary of a plan (the format ``provide plan-file --json`` writes).

    Parameters
    ----------
    result : PlanResult

    Returns
    -------
    dict
        Keys ``status, objective, travel_minutes, proven_optimal, bound, gap, routes,
        left_out, statistics``.
    """
    return {
        "status": result.status.value,
        "objective": result.objective,
        "travel_minutes": result.travel_minutes,
        "proven_optimal": result.proven_optimal,
        "bound": result.bound,
        "gap": result.gap,
        "routes": [
            {
                "team_id": route.team_id,
                "departure_minute": route.departure_minute,
                "return_minute": route.return_minute,
                "travel_minutes": route.travel_minutes,
                "priority": route.priority,
                "stops": [
                    {
                        "kind": stop.kind,
                        "visit_id": stop.visit_id,
                        "arrival_minute": stop.arrival_minute,
                        "start_minute": stop.start_minute,
                        "departure_minute": stop.departure_minute,
                        "travel_minutes_from_previous": stop.travel_minutes_from_previous,
                    }
                    for stop in route.stops
                ],
            }
            for route in result.routes
        ],
        "left_out": [
            {"visit_id": item.visit_id, "reason": item.reason, "mandatory": item.mandatory}
            for item in result.left_out
        ],
        "statistics": {
            "method": result.statistics.method,
            "seconds": round(result.statistics.seconds, 3),
            "iterations": result.statistics.iterations,
            "seed": result.statistics.seed,
            "time_limit_seconds": result.statistics.time_limit_seconds,
            "stopped_by_clock": result.statistics.stopped_by_clock,
            "notes": list(result.statistics.notes),
        },
    }
