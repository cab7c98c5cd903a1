"""Time a route whose order a person chose, and say why it does not work if it does not.

Used when a sergeant pins or reorders visits by hand: the planner's own routes come from
:func:`provide.core.planning.solve.solve_plan`; this module only checks and times a given
order, with earliest-start scheduling (each visit starts as soon as the team arrives and the
visit's window allows). Breaks are not inserted here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from provide.core.planning.problem import PlanningProblem, VisitRequest
from provide.core.planning.solution import RouteStop, TeamRoute
from provide.core.planning.validate import travel_minutes_between

__all__ = ["FixedRouteResult", "schedule_fixed_route"]


@dataclass(frozen=True)
class FixedRouteResult:
    """A timed route (``None`` if the order cannot be timed) and the problems found.

    Attributes
    ----------
    route : TeamRoute or None
        The timed route, present even when ``problems`` lists a late return, so a person can
        see how late; ``None`` only when a visit can be reached in none of its windows.
    problems : tuple of str
        Plain-English reasons the order is not feasible; empty when it is.
    """

    route: TeamRoute | None
    problems: tuple[str, ...]

    @property
    def feasible(self) -> bool:
        return not self.problems


def _earliest_start(visit: VisitRequest, arrival: int, default_end: int) -> int | None:
    windows = visit.time_windows or ()
    if not windows:
        return arrival if arrival <= default_end else None
    for window in sorted(windows, key=lambda w: w.start_minute):
        start = max(arrival, window.start_minute)
        if start <= window.end_minute:
            return start
    return None


def schedule_fixed_route(
    problem: PlanningProblem,
    team_id: str,
    visit_ids: Sequence[str],
    *,
    depart_minute: int | None = None,
) -> FixedRouteResult:
    """Time ``visit_ids`` in the given order for team ``team_id``.

    Parameters
    ----------
    problem : PlanningProblem
        Teams, visits and travel times (minutes from the problem's origin).
    team_id : str
        The team that makes the visits.
    visit_ids : sequence of str
        Visit ids in the order to make them.
    depart_minute : int, optional
        When the team leaves its start; default the start of its shift.

    Returns
    -------
    FixedRouteResult
        The timed route and the reasons it breaks the rules (window missed, skill missing,
        back after the end of the shift).

    Raises
    ------
    KeyError
        If ``team_id`` or a visit id is not in the problem.
    """
    team = next((t for t in problem.teams if t.id == team_id), None)
    if team is None:
        raise KeyError(team_id)
    visits = {visit.id: visit for visit in problem.visits}
    clock = team.shift.start_minute if depart_minute is None else depart_minute
    departure = clock
    place = team.start
    stops: list[RouteStop] = []
    problems: list[str] = []
    travel_total = 0
    priority = 0.0
    for visit_id in visit_ids:
        visit = visits[visit_id]
        step = travel_minutes_between(problem, place, visit.location)
        arrival = clock + step
        start = _earliest_start(visit, arrival, team.shift.end_minute)
        if start is None:
            problems.append(
                f"visit {visit_id} cannot start in any of its time windows in this order"
            )
            return FixedRouteResult(None, tuple(problems))
        if not visit.required_skills <= team.skills:
            missing = ", ".join(sorted(visit.required_skills - team.skills))
            problems.append(f"visit {visit_id} needs {missing}, which this team does not have")
        stops.append(
            RouteStop(
                kind="visit",
                visit_id=visit_id,
                arrival_minute=arrival,
                start_minute=start,
                departure_minute=start + visit.duration_minutes,
                travel_minutes_from_previous=step,
            )
        )
        travel_total += step
        priority += visit.priority
        clock = start + visit.duration_minutes
        place = visit.location
    back = travel_minutes_between(problem, place, team.end)
    travel_total += back
    return_minute = clock + back
    if return_minute > team.shift.end_minute:
        problems.append(
            f"the team would be back {return_minute - team.shift.end_minute} minutes after the shift ends"
        )
    route = TeamRoute(
        team_id=team_id,
        departure_minute=departure,
        stops=tuple(stops),
        return_minute=return_minute,
        travel_minutes=travel_total,
        priority=priority,
    )
    return FixedRouteResult(route, tuple(problems))
