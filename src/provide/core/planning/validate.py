"""Independent check that a :class:`PlanResult` is a valid plan for its problem.

Written without the solver's internal arrays: it reads the problem's own types and travel
data, so a solver bug cannot hide behind a shared helper. Every rule broken becomes one
plain-English line; an empty list means the plan is valid.

Rules checked: teams and visits exist and appear once; every visit is either made or left
out (not both); required skills; each visit starts inside one of its windows (or inside the
shift if it has none) and lasts its duration; arrivals equal the previous departure plus the
travel time; nobody leaves before the shift starts or returns after it ends; exactly one
break of the right length inside its interval for teams with a break rule, taken where the
team is; all mandatory visits made; reported objective and travel match the routes.
"""

from __future__ import annotations

from provide.core.planning.problem import Location, PlanningProblem, VisitRequest
from provide.core.planning.solution import PlanResult, TeamRoute
from provide.core.planning.travel import estimate_minutes

__all__ = ["travel_minutes_between", "validate_plan"]


def travel_minutes_between(
    problem: PlanningProblem, origin: Location, destination: Location
) -> int:
    """Travel time the problem defines between two of its locations, in minutes.

    Uses the problem's matrix if it has one, else its travel function, else the built-in
    estimate.

    Raises
    ------
    KeyError
        If the matrix does not cover a location.
    """
    if problem.travel_matrix is not None:
        index = problem.travel_matrix.index()
        return problem.travel_matrix.minutes[index[origin]][index[destination]]
    function = problem.travel_function or estimate_minutes
    return int(function(origin, destination))


def validate_plan(problem: PlanningProblem, result: PlanResult) -> list[str]:
    """List every way in which a plan breaks the problem's rules.

    Parameters
    ----------
    problem : PlanningProblem
    result : PlanResult

    Returns
    -------
    list of str
        One message per violation; empty if the plan is valid.

    Examples
    --------
    >>> from provide.core.planning.solve import solve_plan
    >>> from provide.core.planning.problem import Location, Team, TimeWindow
    >>> base = Location(53.48, -2.24)
    >>> problem = PlanningProblem(
    ...     teams=(Team(id="A", start=base, end=base, shift=TimeWindow(480, 1200)),),
    ...     visits=(VisitRequest(id="c1", location=base, duration_minutes=30, priority=1),),
    ... )
    >>> validate_plan(problem, solve_plan(problem, time_limit_seconds=1))
    []
    """
    problems: list[str] = []
    teams = {team.id: team for team in problem.teams}
    visits = {visit.id: visit for visit in problem.visits}
    seen_teams: set[str] = set()
    made: list[str] = []
    travel_total = 0
    priority_total = 0.0
    for route in result.routes:
        if route.team_id not in teams:
            problems.append(f"route for unknown team {route.team_id!r}")
            continue
        if route.team_id in seen_teams:
            problems.append(f"team {route.team_id!r} has more than one route")
        seen_teams.add(route.team_id)
        travel, priority = _check_route(problem, route, visits, problems)
        travel_total += travel
        priority_total += priority
        made.extend(route.visit_ids)
    for visit_id in made:
        if made.count(visit_id) > 1:
            problems.append(f"visit {visit_id!r} is made more than once")
    left = [item.visit_id for item in result.left_out]
    for visit_id in left:
        if visit_id in made:
            problems.append(f"visit {visit_id!r} is both made and left out")
        if visit_id not in visits:
            problems.append(f"left-out visit {visit_id!r} is not in the problem")
    for visit in problem.visits:
        if visit.id not in made and visit.id not in left:
            problems.append(f"visit {visit.id!r} is neither made nor listed as left out")
        if visit.mandatory and visit.id not in made:
            problems.append(f"mandatory visit {visit.id!r} is not made")
    if abs(priority_total - result.objective) > 1e-6:
        problems.append(
            f"objective {result.objective} differs from the routes' total priority {priority_total}"
        )
    if travel_total != result.travel_minutes:
        problems.append(
            f"travel {result.travel_minutes} min differs from the routes' total {travel_total} min"
        )
    return list(dict.fromkeys(problems))


def _check_route(
    problem: PlanningProblem,
    route: TeamRoute,
    visits: dict[str, VisitRequest],
    problems: list[str],
) -> tuple[int, float]:
    """Check one route; append violations; return its (travel minutes, priority)."""
    team = next(t for t in problem.teams if t.id == route.team_id)
    name = f"team {team.id!r}"
    if route.departure_minute < team.shift.start_minute:
        problems.append(f"{name} leaves at {route.departure_minute}, before its shift starts")
    place = team.start
    clock = route.departure_minute
    travel_total = 0
    priority = 0.0
    breaks = 0
    for stop in route.stops:
        if stop.kind == "break":
            breaks += 1
            rule = team.break_rule
            if rule is None:
                problems.append(f"{name} takes a break it has no rule for")
                continue
            if stop.travel_minutes_from_previous != 0 or stop.arrival_minute < clock:
                problems.append(f"{name} break does not follow on from the previous stop")
            if not rule.earliest_start_minute <= stop.start_minute <= rule.latest_start_minute:
                problems.append(f"{name} break starts at {stop.start_minute}, outside its interval")
            if stop.departure_minute - stop.start_minute != rule.duration_minutes:
                problems.append(f"{name} break is not {rule.duration_minutes} minutes long")
            if stop.start_minute < stop.arrival_minute:
                problems.append(f"{name} break starts before the team is free")
            clock = stop.departure_minute
            continue
        visit = visits.get(stop.visit_id or "")
        if visit is None:
            problems.append(f"{name} visits unknown request {stop.visit_id!r}")
            continue
        label = f"{name} visit {visit.id!r}"
        step = travel_minutes_between(problem, place, visit.location)
        travel_total += step
        if stop.travel_minutes_from_previous != step:
            problems.append(
                f"{label}: reported travel {stop.travel_minutes_from_previous} min, expected {step}"
            )
        if stop.arrival_minute < clock + step:
            problems.append(f"{label}: arrives at {stop.arrival_minute}, before it can get there")
        if stop.start_minute < stop.arrival_minute:
            problems.append(f"{label}: starts before arriving")
        windows = visit.time_windows or (team.shift,)
        if not any(w.contains(stop.start_minute) for w in windows):
            problems.append(f"{label}: starts at {stop.start_minute}, outside its time windows")
        if stop.departure_minute - stop.start_minute != visit.duration_minutes:
            problems.append(f"{label}: does not last {visit.duration_minutes} minutes")
        if not visit.required_skills <= team.skills:
            missing = sorted(visit.required_skills - team.skills)
            problems.append(f"{label}: team lacks skill '{missing[0]}'")
        priority += visit.priority
        place = visit.location
        clock = stop.departure_minute
    if team.break_rule is not None and breaks != 1:
        problems.append(f"{name} takes {breaks} breaks, must take exactly one")
    step = travel_minutes_between(problem, place, team.end)
    travel_total += step
    if route.return_minute < clock + step:
        problems.append(f"{name} returns at {route.return_minute}, before it can get back")
    if route.return_minute > team.shift.end_minute:
        problems.append(f"{name} returns at {route.return_minute}, after its shift ends")
    if route.travel_minutes != travel_total:
        problems.append(
            f"{name} reports {route.travel_minutes} min travel, routes add up to {travel_total}"
        )
    return travel_total, priority
