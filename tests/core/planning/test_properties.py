"""Property tests: on small random problems the planner matches an exhaustive search.

The brute force below shares no code with the planner. For each team it finds every set of
visits that the team can make, by dynamic programming over (set, last visit) keeping the
earliest departure (leaving earlier never hurts, so this is exact), then tries every way of
giving disjoint sets to the teams.
"""

from itertools import product

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provide.core.planning.problem import Location, PlanningProblem, Team, TimeWindow, VisitRequest
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


def brute_force_best(problem: PlanningProblem) -> float:
    per_team = [sorted(feasible_sets(problem, team)) for team in problem.teams]
    best = 0.0
    for combo in product(*per_team):
        union = 0
        clash = False
        for mask in combo:
            if union & mask:
                clash = True
                break
            union |= mask
        if not clash:
            value = sum(v.priority for j, v in enumerate(problem.visits) if union >> j & 1)
            best = max(best, value)
    return best


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
