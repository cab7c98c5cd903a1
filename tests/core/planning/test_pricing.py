"""Pricing: the labelling finds the best route, lists every set worth enough, and stops when
its budget runs out with a bound that still holds."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provide.core.planning import native
from provide.core.planning.budget import Budget
from provide.core.planning.compiled import compile_problem
from provide.core.planning.pricing import best_routes, enumerate_visit_sets
from provide.core.planning.search import schedule_route
from provide.core.planning.team_groups import team_groups
from tests.core.planning.clocks import FakeClock
from tests.core.planning.realistic import programme_problem
from tests.core.planning.test_properties import (
    feasible_sets,
    feasible_sets_with_break,
    small_problems,
    small_problems_with_breaks,
)


def _drivable_sets(problem, team):
    if team.break_rule is not None:
        return feasible_sets_with_break(problem, team)
    return feasible_sets(problem, team)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(small_problems(), small_problems_with_breaks()), st.randoms())
def test_exact_pricing_finds_the_best_route(problem, rng):
    cp = compile_problem(problem)
    gains = {j: rng.choice([-3.0, 0.0, 0.5, 1.0, 2.5, 7.0]) for j in range(cp.n_visits)}
    for group in team_groups(cp):
        team = problem.teams[group.teams[0]]
        sets = _drivable_sets(problem, team)
        expected = (
            max(
                sum(max(0.0, gains[j]) for j in range(cp.n_visits) if mask >> j & 1)
                for mask in sets
            )
            if sets
            else 0.0
        )
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
            group.network, gains, threshold=threshold, best=exact.bound, most=10**6, budget=None
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


def _realistic_network():
    cp = compile_problem(programme_problem(seed=3, n_visits=20))
    group = max(team_groups(cp), key=lambda g: len(g.network.visits))
    gains = {j: cp.profit[j] * 0.6 for j in range(cp.n_visits)}
    return cp, group.network, gains


@pytest.mark.parametrize("use_native", [False, True])
def test_pricing_with_its_budget_spent_stops_with_a_bound_that_holds(use_native):
    if use_native and not native.available():
        pytest.skip(f"compiled pricing unavailable: {native.unavailable_reason()}")
    cp, network, gains = _realistic_network()
    full = best_routes(cp, network, gains, exact=True, keep=3, memory=8, use_native=use_native)
    assert full.finished and full.bound is not None
    spent = Budget(0.0, clock=FakeClock())
    cut = best_routes(
        cp, network, gains, exact=True, keep=3, memory=8, budget=spent, use_native=use_native
    )
    assert not cut.finished
    assert cut.labels < full.labels
    assert cut.bound is not None and cut.bound >= full.bound - 1e-9
    assert all(route.value <= full.bound + 1e-9 for route in cut.routes)


def test_the_python_labelling_reads_its_budget_as_it_goes():
    """A clock that moves one second a reading, with a budget of 3 s: the labelling stops
    after a few checks (one every 64 labels), however fast the machine is."""
    cp, network, gains = _realistic_network()
    full = best_routes(cp, network, gains, exact=True, keep=3, memory=8, use_native=False)
    clock = FakeClock(step=1.0)
    budget = Budget(3.0, clock=clock)
    cut = best_routes(
        cp, network, gains, exact=True, keep=3, memory=8, use_native=False, budget=budget
    )
    assert not cut.finished
    assert clock.readings <= 5  # the start, then at most one reading per 64 labels popped
    assert cut.bound is not None and full.bound is not None and cut.bound >= full.bound - 1e-9


def test_a_budget_that_is_not_spent_changes_nothing():
    cp, network, gains = _realistic_network()
    free = best_routes(cp, network, gains, exact=True, keep=3, memory=8, use_native=False)
    unspent = Budget(10, clock=FakeClock())
    budgeted = best_routes(
        cp, network, gains, exact=True, keep=3, memory=8, use_native=False, budget=unspent
    )
    assert budgeted.finished
    assert budgeted.bound == free.bound
    assert [r.value for r in budgeted.routes] == [r.value for r in free.routes]


def test_enumeration_gives_no_partial_list_when_its_budget_is_spent():
    if not native.available():
        pytest.skip(f"compiled pricing unavailable: {native.unavailable_reason()}")
    cp, network, gains = _realistic_network()
    exact = best_routes(cp, network, gains, exact=True, keep=1)
    assert exact.bound is not None
    common = {"threshold": exact.bound - 3.0, "best": exact.bound, "most": 10**6}
    assert enumerate_visit_sets(network, gains, budget=None, **common)
    assert (
        enumerate_visit_sets(network, gains, budget=Budget(0.0, clock=FakeClock()), **common)
        is None
    )
