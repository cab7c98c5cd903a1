"""GLOP's linear relaxations: bounds at least the best plan, prices that prove the master's
value, and nothing claimed when the budget runs out."""

import itertools
import random

import pytest
from hypothesis import HealthCheck, given, settings

from provide.core.planning.budget import Budget
from provide.core.planning.columns import _Columns
from provide.core.planning.compiled import compile_problem
from provide.core.planning.lp_bound import IncrementalMasterLP, flow_bound, master_lp
from provide.core.planning.pricing import best_routes
from provide.core.planning.solve import solve_plan
from provide.core.planning.team_groups import team_groups
from tests.core.planning.clocks import FakeClock
from tests.core.planning.realistic import programme_problem, realistic_problem
from tests.core.planning.test_properties import brute_force_best, small_problems

GENEROUS = 60.0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_flow_bound_is_never_below_the_optimum(problem):
    bound = flow_bound(compile_problem(problem), Budget(GENEROUS))
    assert bound is not None and bound >= brute_force_best(problem) - 1e-9


@pytest.mark.parametrize("make", [programme_problem, realistic_problem])
def test_flow_bound_is_at_least_the_planners_plan(make):
    problem = make(seed=2, n_visits=40)
    bound = flow_bound(compile_problem(problem), Budget(GENEROUS, clock=FakeClock()))
    plan = solve_plan(problem, time_limit_seconds=30, seed=0, exact=False, work_budget=50_000)
    assert bound is not None and bound >= plan.objective
    assert bound <= sum(v.priority for v in problem.visits)


def test_flow_bound_with_its_budget_spent_claims_nothing():
    cp = compile_problem(programme_problem(seed=2, n_visits=40))
    assert flow_bound(cp, Budget(0.0, clock=FakeClock())) is None


def test_flow_bound_stops_writing_its_model_when_the_budget_runs_out():
    """One second passes at every reading of the clock: the budget of 2.5 s runs out while
    the model is being written, which then stops (one reading per team at most)."""
    cp = compile_problem(programme_problem(seed=2, n_visits=40))
    clock = FakeClock(step=1.0)
    assert flow_bound(cp, Budget(2.5, clock=clock)) is None
    assert clock.readings <= cp.n_teams + 2


def _columns(cp, groups, rounds, seed=3):
    columns = _Columns(cp, groups)
    rng = random.Random(seed)
    for _ in range(rounds):
        gains = {j: cp.profit[j] * rng.uniform(0.2, 1.0) for j in range(cp.n_visits)}
        for g, group in enumerate(groups):
            for route in best_routes(cp, group.network, gains, exact=False, keep=4).routes:
                columns.add(g, route.nodes)
    return columns


def test_the_master_value_equals_what_its_prices_prove():
    """LP duality: the optimum is the sum of the prices times the rows' right-hand sides
    (1 per visit, the number of teams per group), so the prices are the right ones."""
    cp = compile_problem(programme_problem(seed=4, n_visits=14))
    groups = team_groups(cp)
    columns = _columns(cp, groups, rounds=4)
    master = master_lp(cp, groups, columns.columns, Budget(GENEROUS))
    assert master is not None
    proven = sum(master.visit_prices) + sum(
        price * len(group.teams) for price, group in zip(master.group_prices, groups, strict=True)
    )
    assert master.value == pytest.approx(proven, abs=1e-6)
    assert all(price >= -1e-9 for price in [*master.visit_prices, *master.group_prices])


def test_the_master_value_is_at_least_the_best_packing_of_its_columns():
    cp = compile_problem(programme_problem(seed=5, n_visits=10, n_teams=2))
    groups = team_groups(cp)
    columns = _columns(cp, groups, rounds=2).columns
    master = master_lp(cp, groups, columns, Budget(GENEROUS))
    assert master is not None
    best = 0.0
    for size in range(cp.n_teams + 1):
        for choice in itertools.combinations(columns, size):
            made = [j for c in choice for j, _ in c.visits]
            per_group = [sum(c.group == g for c in choice) for g in range(len(groups))]
            if len(made) == len(set(made)) and all(
                n <= len(group.teams) for n, group in zip(per_group, groups, strict=True)
            ):
                best = max(best, sum(c.priority for c in choice))
    assert master.value >= best - 1e-9


def test_incremental_master_gives_what_a_fresh_master_gives():
    cp = compile_problem(programme_problem(seed=4, n_visits=14))
    groups = team_groups(cp)
    columns = _Columns(cp, groups)
    incremental = IncrementalMasterLP()
    budget = Budget(GENEROUS)
    rng = random.Random(3)
    for _ in range(6):  # grow one list: the model is extended, not rebuilt
        gains = {j: cp.profit[j] * rng.uniform(0.2, 1.0) for j in range(cp.n_visits)}
        for g, group in enumerate(groups):
            for route in best_routes(cp, group.network, gains, exact=False, keep=4).routes:
                columns.add(g, route.nodes)
        fresh = master_lp(cp, groups, columns.columns, budget)
        kept = incremental(cp, groups, columns.columns, budget)
        assert fresh is not None and kept is not None
        assert kept.value == pytest.approx(fresh.value, abs=1e-6)
    shorter = columns.columns[: len(columns.columns) // 2]  # another list: rebuilt
    rebuilt = incremental(cp, groups, shorter, budget)
    again = master_lp(cp, groups, shorter, budget)
    assert rebuilt is not None and again is not None
    assert rebuilt.value == pytest.approx(again.value, abs=1e-6)
