"""Entry point of the visit planner: :func:`solve_plan`.

Pipeline (STYLE habit 8): compile the problem into arrays → bound (a linear relaxation,
:mod:`provide.core.planning.lp_bound`) → search (large-neighbourhood search,
:mod:`provide.core.planning.search`) → for small problems, column generation and closing the
gap (:mod:`provide.core.planning.columns`), then an exact CP-SAT model warm-started with the
best plan, which may improve it and proves optimality or a bound
(:mod:`provide.core.planning.cpsat`) → extract a :class:`PlanResult` with timetables and a
plain-English reason for every visit left out. Nothing prints.

One :class:`~provide.core.planning.budget.Budget` made from the time limit is shared out
among the phases (:data:`~provide.core.planning.budget.SHARES`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from provide.core.planning import native
from provide.core.planning.budget import (
    BOUND_MOST_SECONDS,
    MIN_SOLVER_SECONDS,
    RESULT_SECONDS,
    Budget,
)
from provide.core.planning.columns import generate_columns
from provide.core.planning.compiled import (
    FLOATING,
    CompiledProblem,
    compile_problem,
    mandatory_bonus,
)
from provide.core.planning.cpsat import budget_bound, solve_exact
from provide.core.planning.lp_bound import flow_bound
from provide.core.planning.problem import PlanningProblem, VisitRequest
from provide.core.planning.relaxation import makeable
from provide.core.planning.search import WORK_PER_SECOND, Route, schedule_route, search_routes
from provide.core.planning.solution import (
    LeftOutVisit,
    PlanResult,
    PlanStatus,
    RouteStop,
    SolverStatistics,
    TeamRoute,
)

__all__ = [
    "EXACT_MAX_TEAMS",
    "EXACT_MAX_VISITS",
    "REASON_NOT_ENOUGH_TIME",
    "REASON_OUTSIDE_SHIFTS",
    "solve_plan",
]

EXACT_MAX_VISITS = 60
"""Problems with at most this many visit requests also go to the exact CP-SAT model."""

EXACT_MAX_TEAMS = 4
"""...and at most this many teams."""

REASON_OUTSIDE_SHIFTS = "outside every team's shift"
REASON_NOT_ENOUGH_TIME = "not enough time in the shift for this and higher-priority visits"
REASON_TOO_LATE = "no team can get there before its time window closes"
REASON_CANNOT_RETURN = "no team can make this visit and be back before the end of its shift"


def solve_plan(
    problem: PlanningProblem,
    *,
    time_limit_seconds: float = 10.0,
    seed: int = 0,
    exact: bool | None = None,
    work_budget: int | None = None,
    cpsat_workers: int = 2,
    clock: Callable[[], float] = time.monotonic,
) -> PlanResult:
    """Plan the teams' routes: maximise total priority of visits made, then minimise travel.

    Parameters
    ----------
    problem : PlanningProblem
        Teams, visit requests and travel times.
    time_limit_seconds : float, default 10
        Time limit for the whole run, seconds (> 0), on ``clock``. The run stops earlier
        when the search's work budget is spent or the plan is proven optimal. The phases
        share it as :data:`provide.core.planning.budget.SHARES` says.
    seed : int, default 0
        Seed for the search and CP-SAT. The same seed gives the same plan as long as the
        work budget, not the clock, ends the search and CP-SAT proves optimality (see
        ``statistics.stopped_by_clock``).
    exact : bool or None
        Run the exact CP-SAT model after the search. None (default) runs it for problems
        with at most ``EXACT_MAX_VISITS`` visits and ``EXACT_MAX_TEAMS`` teams.
    work_budget : int or None
        Override the search's work budget (insertion evaluations).
    cpsat_workers : int, default 2
        Threads CP-SAT may use (the search itself is single-threaded).
    clock : callable, default :func:`time.monotonic`
        The clock the time limit is measured on (seconds); tests pass a fake one.

    Returns
    -------
    PlanResult
        Routes per team (in problem order), left-out visits with reasons, statistics,
        proven optimality and bound where known.

    Raises
    ------
    ValueError
        If the travel data do not cover the problem, a team cannot take its break inside
        its shift, or the time limit is negative or not finite.

    Examples
    --------
    >>> from provide.core.planning.problem import Location, Team, TimeWindow
    >>> base = Location(53.48, -2.24)
    >>> team = Team(id="A", start=base, end=base, shift=TimeWindow(480, 1200))
    >>> visit = VisitRequest(id="c1", location=Location(53.50, -2.20),
    ...                      duration_minutes=45, priority=5,
    ...                      time_windows=(TimeWindow(540, 720),))
    >>> plan = solve_plan(PlanningProblem(teams=(team,), visits=(visit,)),
    ...                   time_limit_seconds=2, seed=1)
    >>> plan.routes[0].visit_ids, plan.objective, plan.proven_optimal
    (('c1',), 5.0, True)
    """
    budget = Budget(time_limit_seconds, clock=clock)
    cp = compile_problem(problem)
    use_exact = (
        exact
        if exact is not None
        else (0 < cp.n_visits <= EXACT_MAX_VISITS and cp.n_teams <= EXACT_MAX_TEAMS)
    )
    bound = _reachable_bound(cp)
    if 0 < cp.n_visits <= EXACT_MAX_VISITS and 0 < cp.n_teams <= EXACT_MAX_TEAMS:
        bounding = budget.share("bound")
        relaxed = flow_bound(cp, bounding)
        if relaxed is None and not bounding.expired():  # pragma: no cover - GLOP failed
            relaxed = budget_bound(
                cp, bounding, most_seconds=BOUND_MOST_SECONDS, seed=seed, workers=cpsat_workers
            )
        if relaxed is not None:
            bound = min(bound, relaxed)
    searching = budget.share("search" if use_exact else "search alone")
    pool: dict[tuple[int, ...], None] = {}
    found = search_routes(
        cp,
        budget=searching,
        seed=seed,
        work_budget=(
            work_budget if work_budget is not None else int(searching.remaining() * WORK_PER_SECOND)
        ),
        target=bound,
        route_pool=pool if use_exact else None,
    )
    routes = found.routes
    method = "search"
    notes: list[str] = []
    proven = False
    column_phase = budget.share("columns")
    if (
        use_exact
        and cp.n_teams > 0
        and _value(cp, routes)[1] < bound - 1e-9
        and column_phase.remaining() >= MIN_SOLVER_SECONDS
    ):
        ranked, bonus = _mandatory_first(cp)
        outcome_columns = generate_columns(
            ranked,
            initial=routes,
            pool=list(pool),
            budget=column_phase,
            target=_value(ranked, routes)[1],
            closing=budget.share("closing").keeping(RESULT_SECONDS),
        )
        method = "search+columns"
        if not native.available():
            notes.append(f"pricing ran in Python, slower: {native.unavailable_reason()}")
        notes.extend(outcome_columns.notes)
        better = outcome_columns.routes
        if (
            better is not None
            and _all_feasible(cp, better)
            and _value(cp, better) > _value(cp, routes)
        ):
            routes = better
        if outcome_columns.bound is not None:
            # A bound on the mandatory-first worth; it bounds the priority of the plans
            # that make as many mandatory visits as this one, if no plan makes more.
            made = _value(cp, routes)[0]
            if not bonus or outcome_columns.bound < bonus * (made + 1):
                bound = min(bound, outcome_columns.bound - bonus * made)
    if use_exact and cp.n_teams > 0 and _value(cp, routes)[1] < bound - 1e-9:
        exact_phase = budget.share("exact").keeping(RESULT_SECONDS)
        if exact_phase.remaining() > 2 * _model_build_seconds(cp):
            outcome = solve_exact(
                cp, budget=exact_phase, seed=seed, hint=routes, workers=cpsat_workers
            )
            method += "+cp-sat"
            notes.append(f"cp-sat status {outcome.status} in {outcome.seconds:.2f} s")
            if outcome.routes is not None and _all_feasible(cp, outcome.routes):
                if _value(cp, outcome.routes) > _value(cp, routes):
                    routes = outcome.routes
                proven = outcome.proven_optimal
                if outcome.priority_bound is not None:
                    bound = min(bound, outcome.priority_bound)
    return _build_result(
        problem,
        cp,
        routes,
        proven=proven,
        bound=bound,
        statistics=SolverStatistics(
            method=method,
            seconds=budget.elapsed(),
            iterations=found.iterations,
            seed=seed,
            time_limit_seconds=time_limit_seconds,
            stopped_by_clock=found.stopped_by_clock,
            notes=tuple(notes),
        ),
    )


BUILD_SECONDS_PER_ARC = 1.5e-4
"""Measured cost of building the CP-SAT model, seconds per team-arc (generous)."""


def _model_build_seconds(cp: CompiledProblem) -> float:
    """Rough time to build the CP-SAT model; the exact phase runs only with twice that left."""
    arcs = sum(
        sum(1 for j in range(cp.n_visits) if k in cp.eligible[j]) ** 2 for k in range(cp.n_teams)
    )
    return 0.1 + BUILD_SECONDS_PER_ARC * arcs


def _value(cp: CompiledProblem, routes: list[list[int]]) -> tuple[float, float, int]:
    """(mandatory visits made, total priority, -travel) of a plan, for comparisons."""
    made = [n for nodes in routes for n in nodes if n < cp.n_visits]
    travel = 0
    for k, nodes in enumerate(routes):
        route = schedule_route(cp, k, list(nodes))
        travel += route.travel if route is not None else 0
    mandatory = sum(1.0 for n in made if cp.mandatory[n])
    return mandatory, sum(cp.profit[n] for n in made), -travel


def _mandatory_first(cp: CompiledProblem) -> tuple[CompiledProblem, float]:
    """The problem with each mandatory visit worth a bonus greater than all priorities
    together, so that "most priority" there means the planner's order: mandatory visits
    made first, then priority. Returns it and the bonus (0 if no visit is mandatory).
    Whole priorities stay whole. The visits stay flagged: the packing of
    :func:`.columns.close_gap` then requires them (it runs only for a plan making them
    all), which CBC solves much faster than the bonus alone (measured: 0.63 s -> 0.08 s)."""
    if not any(cp.mandatory):
        return cp, 0.0
    bonus = mandatory_bonus(cp)
    profit = tuple(
        p + bonus if j < cp.n_visits and cp.mandatory[j] else p for j, p in enumerate(cp.profit)
    )
    return replace(cp, profit=profit), bonus


def _all_feasible(cp: CompiledProblem, routes: list[list[int]]) -> bool:
    return all(schedule_route(cp, k, list(nodes)) is not None for k, nodes in enumerate(routes))


def _alone_ok(cp: CompiledProblem, k: int, j: int) -> bool:
    """Can team ``k`` make visit ``j`` and nothing else (break included)?"""
    s, e, brk = cp.start_node[k], cp.end_node[k], cp.break_node[k]
    if brk < 0:
        return schedule_route(cp, k, [s, j, e]) is not None
    return any(
        schedule_route(cp, k, nodes) is not None for nodes in ([s, brk, j, e], [s, j, brk, e])
    )


def _reachable_bound(cp: CompiledProblem) -> float:
    """Total priority of the visits that some team could make at all: an upper bound."""
    possible = makeable(cp)
    return sum(cp.profit[j] for j in range(cp.n_visits) if possible[j])


def _team_route(problem: PlanningProblem, cp: CompiledProblem, route: Route) -> TeamRoute:
    stops = []
    T = cp.travel
    for i in range(1, len(route.nodes) - 1):
        node = route.nodes[i]
        is_break = cp.loc[node] == FLOATING
        stops.append(
            RouteStop(
                kind="break" if is_break else "visit",
                visit_id=None if is_break else problem.visits[node].id,
                arrival_minute=route.arr[i],
                start_minute=route.start[i],
                departure_minute=route.start[i] + cp.service[node],
                travel_minutes_from_previous=0 if is_break else T[route.eloc[i - 1]][route.eloc[i]],
            )
        )
    departure = route.start[0]
    if stops and stops[0].kind == "visit" and stops[0].start_minute > stops[0].arrival_minute:
        # Leave base later instead of waiting outside the first address.
        wait = stops[0].start_minute - stops[0].arrival_minute
        departure += wait
        first = stops[0]
        stops[0] = RouteStop(
            first.kind,
            first.visit_id,
            first.start_minute,
            first.start_minute,
            first.departure_minute,
            first.travel_minutes_from_previous,
        )
    last = len(route.nodes) - 1
    return TeamRoute(
        team_id=problem.teams[route.team].id,
        departure_minute=departure,
        stops=tuple(stops),
        return_minute=route.arr[last],
        travel_minutes=route.travel,
        priority=route.profit,
    )


def _reason(problem: PlanningProblem, cp: CompiledProblem, j: int) -> str:
    visit: VisitRequest = problem.visits[j]
    if not cp.eligible[j]:
        held = set().union(*(team.skills for team in problem.teams)) if problem.teams else set()
        missing = sorted(visit.required_skills - held)
        if missing:
            return f"needs skill '{missing[0]}' that no team on shift has"
        skills = " and ".join(f"'{s}'" for s in sorted(visit.required_skills))
        return f"needs skills {skills} together, and no team on shift has them all"
    teams = [problem.teams[k] for k in cp.eligible[j]]
    if visit.time_windows and not any(
        window.overlaps(team.shift) for window in visit.time_windows for team in teams
    ):
        return REASON_OUTSIDE_SHIFTS
    if not any(_alone_ok(cp, k, j) for k in cp.eligible[j]):
        T = cp.travel
        late = True
        for k in cp.eligible[j]:
            s = cp.start_node[k]
            arrive = cp.windows[s][0][0] + T[cp.loc[s]][cp.loc[j]]
            if any(arrive <= we for _, we in cp.windows[j]):
                late = False
        if late:
            if visit.reason_context:
                return f"no team free before {visit.reason_context}"
            return REASON_TOO_LATE
        return REASON_CANNOT_RETURN
    return REASON_NOT_ENOUGH_TIME


def _build_result(
    problem: PlanningProblem,
    cp: CompiledProblem,
    routes: list[list[int]],
    *,
    proven: bool,
    bound: float | None,
    statistics: SolverStatistics,
) -> PlanResult:
    timed: list[Route] = []
    for k, nodes in enumerate(routes):
        route = schedule_route(cp, k, list(nodes))
        if route is None:  # pragma: no cover - every solver path returns feasible routes
            raise RuntimeError(f"internal error: route of team {k} is not feasible")
        timed.append(route)
    team_routes = tuple(_team_route(problem, cp, route) for route in timed)
    made = {n for route in timed for n in route.nodes if n < cp.n_visits}
    left_out = tuple(
        LeftOutVisit(visit_id=visit.id, reason=_reason(problem, cp, j), mandatory=visit.mandatory)
        for j, visit in enumerate(problem.visits)
        if j not in made
    )
    objective = sum(cp.profit[j] for j in made)
    if bound is not None and objective >= bound - 1e-9:
        proven = True
    if any(item.mandatory for item in left_out):
        status = PlanStatus.MANDATORY_LEFT_OUT
    else:
        status = PlanStatus.OPTIMAL if proven else PlanStatus.FEASIBLE
    return PlanResult(
        status=status,
        objective=objective,
        travel_minutes=sum(route.travel for route in timed),
        routes=team_routes,
        left_out=left_out,
        statistics=statistics,
        proven_optimal=proven,
        bound=bound,
    )
