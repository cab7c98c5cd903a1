"""The CP-SAT models: the exact model proves the optimum, the knapsack bounds it, the master
IP packs columns into a plan; each is given what is left of its budget."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings

from provide.core.planning.budget import MIN_SOLVER_SECONDS, Budget
from provide.core.planning.columns import _Columns
from provide.core.planning.compiled import compile_problem
from provide.core.planning.cpsat import (
    _solver,
    _solving,
    budget_bound,
    master_ip,
    sat_packing,
    solve_exact,
)
from provide.core.planning.pricing import best_routes
from provide.core.planning.problem import PlanningProblem
from provide.core.planning.search import schedule_route, search_routes
from provide.core.planning.team_groups import empty_plan, team_groups
from tests.core.planning.builders import line_travel, team, visit
from tests.core.planning.clocks import FakeClock
from tests.core.planning.realistic import programme_problem
from tests.core.planning.test_properties import (
    brute_force_best,
    brute_force_best_with_breaks,
    small_problems,
    small_problems_with_breaks,
)


def _priority(cp, routes):
    return sum(cp.profit[n] for nodes in routes for n in nodes if n < cp.n_visits)


def _valid(cp, routes):
    made = [n for nodes in routes for n in nodes if n < cp.n_visits]
    return len(made) == len(set(made)) and all(
        schedule_route(cp, k, list(nodes)) is not None for k, nodes in enumerate(routes)
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_the_exact_model_proves_the_brute_force_optimum(problem):
    cp = compile_problem(problem)
    outcome = solve_exact(cp, budget=Budget(30.0), seed=0)
    optimum = brute_force_best(problem)
    assert outcome.routes is not None and _valid(cp, outcome.routes)
    assert outcome.proven_optimal
    assert _priority(cp, outcome.routes) == optimum
    assert outcome.priority_bound == optimum


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems_with_breaks())
def test_the_exact_model_keeps_breaks_and_never_beats_the_optimum(problem):
    cp = compile_problem(problem)
    if any(schedule_route(cp, k, nodes) is None for k, nodes in enumerate(empty_plan(cp))):
        return  # a break that cannot be taken: the planner refuses such problems
    optimum = brute_force_best_with_breaks(problem)
    outcome = solve_exact(cp, budget=Budget(30.0), seed=0, hint=empty_plan(cp))
    assert outcome.routes is not None and _valid(cp, outcome.routes)
    assert _priority(cp, outcome.routes) <= optimum
    assert outcome.priority_bound is not None and outcome.priority_bound >= optimum - 1e-9


def test_the_exact_model_does_not_start_without_time():
    cp = compile_problem(programme_problem(seed=0, n_visits=20))
    outcome = solve_exact(cp, budget=Budget(0.0, clock=FakeClock()), seed=0)
    assert (outcome.routes, outcome.proven_optimal, outcome.status) == (None, False, "NOT_STARTED")


def test_cpsat_is_given_what_is_left_of_its_budget():
    clock = FakeClock()
    budget = Budget(3.0, clock=clock)
    solver = _solver(budget, seed=5, workers=1)
    assert solver.parameters.max_time_in_seconds == 3.0
    assert (solver.parameters.random_seed, solver.parameters.num_workers) == (5, 1)
    clock.advance(2.5)
    assert _solver(budget, seed=0, workers=1).parameters.max_time_in_seconds == 0.5
    clock.advance(10.0)
    assert _solver(budget, seed=0, workers=1).parameters.max_time_in_seconds == MIN_SOLVER_SECONDS


def test_a_solve_gets_at_most_its_seconds_and_never_outlasts_its_budget():
    clock = FakeClock()
    budget = Budget(1.0, clock=clock)
    clock.advance(0.3)  # writing the model
    assert _solving(budget, 0.5).remaining() == 0.5
    assert _solving(budget, 2.0).remaining() == pytest.approx(0.7)
    assert _solving(budget, None).remaining() == pytest.approx(0.7)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_the_knapsack_bound_holds_even_when_its_budget_is_spent(problem):
    cp = compile_problem(problem)
    optimum = brute_force_best(problem)
    assert budget_bound(cp, Budget(10.0)) >= optimum - 1e-9
    assert budget_bound(cp, Budget(10.0), most_seconds=0.0) >= optimum - 1e-9
    assert budget_bound(cp, Budget(0.0, clock=FakeClock())) >= optimum - 1e-9


def test_the_master_ip_packs_the_best_plan_its_columns_allow():
    cp = compile_problem(programme_problem(seed=6, n_visits=10, n_teams=2))
    groups = team_groups(cp)
    columns = _Columns(cp, groups)
    for factor in (1.0, 0.7, 0.4):
        gains = {j: cp.profit[j] * factor for j in range(cp.n_visits)}
        for g, group in enumerate(groups):
            for route in best_routes(cp, group.network, gains, exact=False, keep=5).routes:
                columns.add(g, route.nodes)
    usable = [c for c in columns.columns if c.elementary]
    best = 0.0
    for size in range(cp.n_teams + 1):
        for choice in itertools.combinations(usable, size):
            made = [j for c in choice for j, _ in c.visits]
            per_group = [sum(c.group == g for c in choice) for g in range(len(groups))]
            if len(made) == len(set(made)) and all(
                n <= len(group.teams) for n, group in zip(per_group, groups, strict=True)
            ):
                best = max(best, sum(c.priority for c in choice))
    plan = master_ip(cp, groups, columns.columns, Budget(30.0))
    assert plan is not None and _valid(cp, plan)
    assert _priority(cp, plan) == best


def test_sat_packing_covers_mandatory_visits_and_proves_nothing_is_worth_more():
    visits = tuple(visit(f"v{j}", j + 1, priority=j + 1, mandatory=j == 0) for j in range(5))
    cp = compile_problem(
        PlanningProblem(teams=(team("A"), team("B")), visits=visits, travel_function=line_travel)
    )
    groups = team_groups(cp)
    sets = [(0, frozenset({3, 4})), (0, frozenset({1, 2})), (0, frozenset({0, 1}))]
    worth = [9.0, 5.0, 3.0]
    status, picked = sat_packing(cp, groups, sets, worth, 0, True, Budget(10.0))
    assert status == "optimal" and sorted(picked) == [0, 2]
    assert sat_packing(cp, groups, sets, worth, 13, True, Budget(10.0)) == ("infeasible", [])


@pytest.mark.parametrize("workers", [1, 2])
def test_the_exact_model_improves_on_its_hint_without_losing_it(workers):
    cp = compile_problem(programme_problem(seed=1, n_visits=12, n_teams=2))
    searched = search_routes(cp, budget=Budget(30.0, clock=FakeClock()), seed=0, work_budget=500)
    hint = searched.routes
    outcome = solve_exact(cp, budget=Budget(30.0), seed=0, hint=hint, workers=workers)
    assert outcome.routes is not None and _valid(cp, outcome.routes)
    assert _priority(cp, outcome.routes) >= _priority(cp, hint)
    assert outcome.priority_bound is not None
    assert outcome.priority_bound >= _priority(cp, outcome.routes)
