"""Column generation: exact pricing against exhaustive search, and bounds that always hold."""

import itertools
import random
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provide.core.planning import cpsat, native
from provide.core.planning.columns import (
    drivable_route,
    empty_plan,
    generate_columns,
    team_groups,
)
from provide.core.planning.compiled import compile_problem
from provide.core.planning.cpsat import IncrementalMasterLP, master_ip, master_lp, packing_ip
from provide.core.planning.pricing import best_routes, enumerate_visit_sets
from provide.core.planning.search import schedule_route
from provide.core.planning.solve import solve_plan
from provide.core.planning.validate import validate_plan
from tests.core.planning.realistic import programme_problem, with_live_incidents
from tests.core.planning.test_properties import (
    brute_force_best,
    brute_force_best_with_breaks,
    feasible_sets,
    feasible_sets_with_break,
    small_problems,
    small_problems_with_breaks,
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(small_problems(), small_problems_with_breaks()), st.randoms())
def test_exact_pricing_finds_the_best_route(problem, rng):
    cp = compile_problem(problem)
    gains = {j: rng.choice([-3.0, 0.0, 0.5, 1.0, 2.5, 7.0]) for j in range(cp.n_visits)}
    for group in team_groups(cp):
        team = problem.teams[group.teams[0]]
        sets = (
            feasible_sets_with_break(problem, team)
            if team.break_rule is not None
            else feasible_sets(problem, team)
        )
        expected = max(
            sum(max(0.0, gains[j]) for j in range(cp.n_visits) if mask >> j & 1) for mask in sets
        ) if sets else 0.0
        elementary = best_routes(cp, group.network, gains, exact=True, keep=3)
        found = elementary.routes[0].value if elementary.routes else 0.0
        bound = elementary.bound
        assert bound is not None and found <= bound + 1e-9 and bound >= expected - 1e-9
        if team.break_rule is None:  # no relaxation: the best route itself, feasible
            assert abs(found - expected) < 1e-9 and abs(bound - expected) < 1e-9
            for route in elementary.routes:
                assert schedule_route(cp, group.teams[0], list(route.nodes)) is not None
        ng = best_routes(cp, group.network, gains, exact=True, memory=1)
        assert ng.bound is not None and ng.bound >= bound - 1e-9
        heuristic = best_routes(cp, group.network, gains, exact=False, breadth=2)
        assert all(route.value <= bound + 1e-9 for route in heuristic.routes)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(small_problems(), small_problems_with_breaks()), st.floats(0.0, 0.3))
def test_column_bound_never_falls_below_the_optimum(problem, seconds):
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
        cp,
        initial=empty,
        deadline=time.monotonic() + seconds,
        master_lp=master_lp,
        master_ip=master_ip,
        reserve=0.0,
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


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(small_problems(), small_problems_with_breaks()), st.randoms())
def test_enumeration_lists_every_drivable_set_worth_the_threshold(problem, rng):
    cp = compile_problem(problem)
    gains = {j: rng.choice([-2.0, -0.5, 0.0, 0.5, 1.0, 2.5, 7.0]) for j in range(cp.n_visits)}
    for group in team_groups(cp):
        exact = best_routes(cp, group.network, gains, exact=True, keep=1)
        assert exact.bound is not None
        threshold = exact.bound - rng.choice([0.0, 0.6, 2.0, 5.0])
        found = enumerate_visit_sets(
            group.network, gains, threshold=threshold, best=exact.bound, most=10**6, deadline=None
        )
        if found is None:
            assert not native.available()
            continue
        team = problem.teams[group.teams[0]]
        for mask in _drivable_sets(problem, team):
            visits = frozenset(j for j in range(cp.n_visits) if mask >> j & 1)
            if sum(gains[j] for j in visits) >= threshold - 1e-6 and visits:
                assert visits in found
        for visits in found:
            assert sum(gains[j] for j in visits) >= threshold - 1e-6


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems_with_breaks())
def test_closing_the_gap_proves_the_brute_force_optimum(problem):
    cp = compile_problem(problem)
    empty = empty_plan(cp)
    if any(schedule_route(cp, k, nodes) is None for k, nodes in enumerate(empty)):
        return  # a break that cannot be taken: the planner refuses such problems
    outcome = generate_columns(
        cp,
        initial=empty,
        deadline=time.monotonic() + 5,
        master_lp=master_lp,
        master_ip=lambda *args: None,  # closing alone must find the best plan
        packing_ip=packing_ip,
    )
    best = brute_force_best_with_breaks(problem)
    assert outcome.bound is not None and outcome.bound >= best - 1e-9
    if outcome.proven and native.available():
        plan = outcome.routes if outcome.routes is not None else empty
        assert sum(cp.profit[n] for nodes in plan for n in nodes if n < cp.n_visits) == best
        assert outcome.bound == best
        for k, nodes in enumerate(plan):
            assert schedule_route(cp, k, nodes) is not None


def test_incremental_master_gives_what_a_fresh_master_gives():
    cp = compile_problem(programme_problem(seed=4, n_visits=14))
    groups = team_groups(cp)
    from provide.core.planning.columns import _Columns

    columns = _Columns(cp, groups)
    incremental = IncrementalMasterLP()
    rng = random.Random(3)
    for _ in range(6):  # grow one list: the model is extended, not rebuilt
        gains = {j: cp.profit[j] * rng.uniform(0.2, 1.0) for j in range(cp.n_visits)}
        for g, group in enumerate(groups):
            for route in best_routes(cp, group.network, gains, exact=False, keep=4).routes:
                columns.add(g, route.nodes)
        fresh = master_lp(cp, groups, columns.columns)
        kept = incremental(cp, groups, columns.columns)
        assert kept[0] == pytest.approx(fresh[0], abs=1e-6)
    shorter = columns.columns[: len(columns.columns) // 2]  # another list: rebuilt
    assert incremental(cp, groups, shorter)[0] == pytest.approx(
        master_lp(cp, groups, shorter)[0], abs=1e-6
    )


@pytest.mark.parametrize(
    "quick_seconds, sat_share, without_row_share",
    [(0.2, 0.15, 0.3), (0.0, 0.0, 1.0), (0.0, 0.0, 0.0), (0.0, 1.0, 0.0)],
)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(problem=small_problems(), data=st.data())
def test_packing_finds_the_best_choice_worth_enough(
    problem, data, quick_seconds, sat_share, without_row_share, monkeypatch
):
    """Every way of solving the packing (CBC with the 'worth at least' row, CP-SAT, CBC
    without the row) against every choice of sets."""
    monkeypatch.setattr(cpsat, "QUICK_SECONDS", quick_seconds)
    monkeypatch.setattr(cpsat, "SAT_SHARE", sat_share)
    monkeypatch.setattr(cpsat, "WITHOUT_ROW_SHARE", without_row_share)
    cp = compile_problem(problem)
    groups = team_groups(cp)
    visits = st.frozensets(st.integers(0, cp.n_visits - 1), min_size=1, max_size=3)
    sets = data.draw(
        st.lists(st.tuples(st.integers(0, len(groups) - 1), visits), max_size=8, unique=True)
    )
    at_least = data.draw(st.integers(0, 30))

    def worth(choice):
        return sum(cp.profit[j] for _, v in choice for j in v)

    best = -1.0
    for size in range(len(sets) + 1):
        for choice in itertools.combinations(sets, size):
            made = [j for _, v in choice for j in v]
            per_group = [sum(1 for g, _ in choice if g == h) for h in range(len(groups))]
            if len(made) == len(set(made)) and all(
                n <= len(group.teams) for n, group in zip(per_group, groups, strict=True)
            ):
                best = max(best, worth(choice))
    status, picked = packing_ip(cp, groups, sets, at_least, 5.0, False)
    if best < at_least:
        assert status == "infeasible"
    else:
        assert status == "optimal"
        assert worth([sets[i] for i in picked]) == best
