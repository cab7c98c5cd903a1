"""Property tests: on small random problems the planner matches an exhaustive search.

The brute force below shares no code with the planner. For each team it finds every set of
visits that the team can make, by dynamic programming over (set, last visit) keeping the
earliest departure (leaving earlier never hurts, so this is exact), then tries every way of
giving disjoint sets to the teams.
"""

from collections.abc import Iterator
from dataclasses import replace
from itertools import product

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provide.core.planning.budget import Budget
from provide.core.planning.compiled import compile_problem
from provide.core.planning.cpsat import budget_bound
from provide.core.planning.lp_bound import flow_bound
from provide.core.planning.problem import (
    BreakRule,
    Location,
    PlanningProblem,
    Team,
    TimeWindow,
    VisitRequest,
)
from provide.core.planning.solve import solve_plan
from provide.core.planning.validate import validate_plan


def manhattan(a: Location, b: Location) -> int:
    return round(abs(a.lat - b.lat) + abs(a.lon - b.lon))


def feasible_sets(problem: PlanningProblem, team: Team) -> set[int]:
    visits = problem.visits
    n = len(visits)
    allowed = [v.required_skills <= team.skills for v in visits]
    best: dict[tuple[int, int], int] = {}
    frontier = [(0, -1, team.shift.start_minute)]
    sets = {0}
    while frontier:
        mask, last, leave = frontier.pop()
        here = team.start if last < 0 else visits[last].location
        for j in range(n):
            if mask >> j & 1 or not allowed[j]:
                continue
            arrive = leave + manhattan(here, visits[j].location)
            windows = visits[j].time_windows or (team.shift,)
            starts = [max(arrive, w.start_minute) for w in windows if arrive <= w.end_minute]
            if not starts:
                continue
            done = min(starts) + visits[j].duration_minutes
            if done + manhattan(visits[j].location, team.end) > team.shift.end_minute:
                continue
            key = (mask | 1 << j, j)
            if key in best and best[key] <= done:
                continue
            best[key] = done
            sets.add(mask | 1 << j)
            frontier.append((mask | 1 << j, j, done))
    return sets


def disjoint_unions(per_team: list[list[int]]) -> Iterator[int]:
    """The visits (a bit mask) of every way of giving each team one of its sets, no visit
    made twice."""
    for combo in product(*per_team):
        union = 0
        for mask in combo:
            if union & mask:
                break
            union |= mask
        else:
            yield union


def brute_force_best(problem: PlanningProblem) -> float:
    per_team = [sorted(feasible_sets(problem, team)) for team in problem.teams]
    return max(
        sum(v.priority for j, v in enumerate(problem.visits) if union >> j & 1)
        for union in disjoint_unions(per_team)
    )


@st.composite
def small_problems(draw: st.DrawFn) -> PlanningProblem:
    n_teams = draw(st.integers(1, 2))
    teams = []
    for k in range(n_teams):
        start = draw(st.integers(0, 60))
        teams.append(
            Team(
                id=f"T{k}",
                start=Location(0, 0),
                end=Location(0, 0),
                shift=TimeWindow(start, start + draw(st.integers(60, 240))),
                skills=frozenset(draw(st.sets(st.sampled_from(["a", "b"]), max_size=2))),
            )
        )
    visits = []
    for j in range(draw(st.integers(1, 7))):
        windows = []
        for _ in range(draw(st.integers(0, 2))):
            a = draw(st.integers(0, 240))
            windows.append(TimeWindow(a, a + draw(st.integers(0, 90))))
        visits.append(
            VisitRequest(
                id=f"v{j}",
                location=Location(draw(st.integers(-40, 40)), draw(st.integers(-40, 40))),
                duration_minutes=draw(st.integers(0, 40)),
                priority=draw(st.integers(0, 10)),
                time_windows=tuple(windows),
                required_skills=frozenset(draw(st.sets(st.sampled_from(["a", "b"]), max_size=1))),
            )
        )
    return PlanningProblem(teams=tuple(teams), visits=tuple(visits), travel_function=manhattan)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_search_alone_is_valid_and_never_beats_the_optimum(problem):
    result = solve_plan(problem, time_limit_seconds=5, seed=3, work_budget=5_000, exact=False)
    assert validate_plan(problem, result) == []
    optimum = brute_force_best(problem)
    assert result.objective <= optimum + 1e-9
    assert result.bound is None or result.bound >= optimum - 1e-9


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_planner_finds_the_optimum(problem):
    result = solve_plan(problem, time_limit_seconds=20, seed=1, work_budget=20_000)
    assert validate_plan(problem, result) == []
    assert result.objective == brute_force_best(problem)
    assert result.proven_optimal


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_relaxation_bounds_are_never_below_the_optimum(problem):
    cp = compile_problem(problem)
    optimum = brute_force_best(problem)
    flow = flow_bound(cp, Budget(60))
    assert flow is not None
    assert flow >= optimum - 1e-9
    assert budget_bound(cp, Budget(5)) >= optimum - 1e-9


def feasible_sets_with_break(problem: PlanningProblem, team: Team) -> set[int]:
    """Every set of visits the team can make, taking its break once (exhaustive search)."""
    rule = team.break_rule
    assert rule is not None
    visits = problem.visits
    sets: set[int] = set()

    def extend(mask: int, here: Location, clock: int, rested: bool) -> None:
        if rested and clock + manhattan(here, team.end) <= team.shift.end_minute:
            sets.add(mask)
        if not rested and clock <= rule.latest_start_minute:
            start = max(clock, rule.earliest_start_minute)
            extend(mask, here, start + rule.duration_minutes, True)
        for j, v in enumerate(visits):
            if mask >> j & 1 or not v.required_skills <= team.skills:
                continue
            arrive = clock + manhattan(here, v.location)
            windows = v.time_windows or (team.shift,)
            starts = [max(arrive, w.start_minute) for w in windows if arrive <= w.end_minute]
            if starts:
                extend(mask | 1 << j, v.location, min(starts) + v.duration_minutes, rested)

    extend(0, team.start, team.shift.start_minute, False)
    return sets


def brute_force_best_with_breaks(problem: PlanningProblem) -> float:
    """Best total priority when every team takes its break (exhaustive search)."""
    per_team = [sorted(feasible_sets_with_break(problem, team)) for team in problem.teams]
    return max(
        (
            sum(v.priority for j, v in enumerate(problem.visits) if union >> j & 1)
            for union in disjoint_unions(per_team)
        ),
        default=0.0,
    )


@st.composite
def small_problems_with_breaks(draw: st.DrawFn) -> PlanningProblem:
    base = draw(small_problems())
    teams = []
    for team in base.teams:
        shift = team.shift
        earliest = draw(st.integers(shift.start_minute, shift.end_minute))
        latest = draw(st.integers(earliest, shift.end_minute))
        duration = draw(st.integers(0, max(0, shift.end_minute - latest)))
        teams.append(replace(team, break_rule=BreakRule(earliest, latest, duration)))
    visits = base.visits[:6]
    return replace(base, teams=tuple(teams), visits=visits)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems_with_breaks())
def test_relaxation_bounds_hold_with_breaks(problem):
    cp = compile_problem(problem)
    optimum = brute_force_best_with_breaks(problem)
    flow = flow_bound(cp, Budget(60))
    assert flow is not None
    assert flow >= optimum - 1e-9
    assert budget_bound(cp, Budget(5)) >= optimum - 1e-9


def brute_force_mandatory_first(problem: PlanningProblem) -> tuple[int, float]:
    """Most mandatory visits made, then most priority (exhaustive search, no breaks)."""
    per_team = [sorted(feasible_sets(problem, team)) for team in problem.teams]
    best = (0, 0.0)
    for union in disjoint_unions(per_team):
        made = [v for j, v in enumerate(problem.visits) if union >> j & 1]
        best = max(best, (sum(v.mandatory for v in made), float(sum(v.priority for v in made))))
    return best


@st.composite
def small_problems_with_mandatory_visits(draw: st.DrawFn) -> PlanningProblem:
    base = draw(small_problems())
    flags = draw(st.lists(st.booleans(), min_size=len(base.visits), max_size=len(base.visits)))
    visits = tuple(replace(v, mandatory=flag) for v, flag in zip(base.visits, flags, strict=True))
    return replace(base, visits=visits)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems_with_mandatory_visits())
def test_mandatory_visits_first_then_priority_and_the_bound_holds(problem):
    result = solve_plan(problem, time_limit_seconds=20, seed=1, work_budget=20_000)
    problems = validate_plan(problem, result)
    assert all(message.startswith("mandatory visit") for message in problems), problems
    made_mandatory, priority = brute_force_mandatory_first(problem)
    left_out_mandatory = sum(item.mandatory for item in result.left_out)
    assert sum(v.mandatory for v in problem.visits) - left_out_mandatory == made_mandatory
    assert result.objective == priority
    assert result.bound is not None and result.bound >= priority - 1e-9
    assert result.proven_optimal
