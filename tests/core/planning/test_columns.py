"""Column generation: bounds that always hold, plans that improve, gaps that close."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provide.core.planning import columns, native
from provide.core.planning.budget import Budget
from provide.core.planning.columns import drivable_route, generate_columns
from provide.core.planning.compiled import compile_problem
from provide.core.planning.search import schedule_route
from provide.core.planning.solve import solve_plan
from provide.core.planning.team_groups import empty_plan
from provide.core.planning.validate import validate_plan
from tests.core.planning.clocks import FakeClock
from tests.core.planning.realistic import programme_problem, with_live_incidents
from tests.core.planning.test_properties import (
    brute_force_best,
    brute_force_best_with_breaks,
    feasible_sets,
    feasible_sets_with_break,
    small_problems,
    small_problems_with_breaks,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(small_problems(), small_problems_with_breaks()),
    st.floats(0.0, 1.5),
    st.sampled_from([0.0, 0.001, 0.01]),
)
def test_column_bound_never_falls_below_the_optimum(problem, seconds, tick):
    """Whatever the budget and however fast it runs out (each reading of the fake clock
    moves it on by ``tick``), the bound holds and the plan is valid."""
    cp = compile_problem(problem)
    empty = empty_plan(cp)
    if any(schedule_route(cp, k, nodes) is None for k, nodes in enumerate(empty)):
        return  # a break that cannot be taken: the planner refuses such problems
    optimum = (
        brute_force_best_with_breaks(problem)
        if any(t.break_rule for t in problem.teams)
        else brute_force_best(problem)
    )
    outcome = generate_columns(
        cp, initial=empty, budget=Budget(seconds, clock=FakeClock(step=tick))
    )
    if outcome.bound is not None:
        assert outcome.bound >= optimum - 1e-9
    if outcome.routes is not None:
        assert all(schedule_route(cp, k, r) is not None for k, r in enumerate(outcome.routes))
        made = [n for r in outcome.routes for n in r if n < cp.n_visits]
        assert len(made) == len(set(made))
        assert sum(cp.profit[j] for j in made) <= optimum + 1e-9


def test_columns_improve_a_realistic_plan_and_prove_a_bound():
    problem = programme_problem(seed=0, n_visits=30)
    result = solve_plan(problem, time_limit_seconds=5, seed=0)
    assert validate_plan(problem, result) == []
    assert "columns" in result.statistics.method
    assert result.bound is not None and result.bound >= result.objective
    assert result.gap is not None and result.gap <= 0.05


@pytest.mark.parametrize("incidents", [0, 3])
def test_the_planner_proves_a_realistic_plan_optimal(incidents):
    """Column generation's bound reaches the result (also with live incidents, mandatory
    visits that its bound counts first); the generous limit keeps this about correctness,
    not speed."""
    problem = programme_problem(seed=1, n_visits=30)
    if incidents:
        problem = with_live_incidents(problem, count=incidents)
    result = solve_plan(problem, time_limit_seconds=10, seed=0)
    assert validate_plan(problem, result) == []
    assert not [item for item in result.left_out if item.mandatory]
    assert result.proven_optimal
    assert result.bound == result.objective


def _drivable_sets(problem, team):
    if team.break_rule is not None:
        return feasible_sets_with_break(problem, team)
    return feasible_sets(problem, team)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(small_problems(), small_problems_with_breaks()))
def test_drivable_route_finds_an_order_exactly_when_one_exists(problem):
    cp = compile_problem(problem)
    for k, team in enumerate(problem.teams):
        drivable = _drivable_sets(problem, team)
        allowed = [j for j in range(cp.n_visits) if k in cp.eligible[j]]
        for mask in range(1 << len(allowed)):
            visits = frozenset(j for i, j in enumerate(allowed) if mask >> i & 1)
            nodes = drivable_route(cp, k, visits)
            as_mask = sum(1 << j for j in visits)
            assert (nodes is not None) == (as_mask in drivable), visits
            if nodes is not None:
                assert schedule_route(cp, k, nodes) is not None
                assert sorted(n for n in nodes if n < cp.n_visits) == sorted(visits)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(problem=small_problems_with_breaks())
def test_closing_the_gap_proves_the_brute_force_optimum(problem, monkeypatch):
    cp = compile_problem(problem)
    empty = empty_plan(cp)
    if any(schedule_route(cp, k, nodes) is None for k, nodes in enumerate(empty)):
        return  # a break that cannot be taken: the planner refuses such problems
    # Closing alone must find the best plan: the master IP is left out.
    monkeypatch.setattr(columns, "master_ip", lambda *args, **kwargs: None)
    clock = FakeClock()  # stands still: the work, not the clock, ends every step
    outcome = generate_columns(
        cp, initial=empty, budget=Budget(5, clock=clock), closing=Budget(5, clock=clock)
    )
    best = brute_force_best_with_breaks(problem)
    assert outcome.bound is not None and outcome.bound >= best - 1e-9
    if outcome.proven and native.available():
        plan = outcome.routes if outcome.routes is not None else empty
        assert sum(cp.profit[n] for nodes in plan for n in nodes if n < cp.n_visits) == best
        assert outcome.bound == best
        for k, nodes in enumerate(plan):
            assert schedule_route(cp, k, nodes) is not None
