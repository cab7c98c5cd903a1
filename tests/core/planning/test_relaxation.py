"""The relaxation's pieces hold for every plan: a visit some route makes is never ruled out,
every set of visits a team can make satisfies its rows, and every leg it drives is an arc."""

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provide.core.planning.columns import drivable_route
from provide.core.planning.compiled import FLOATING, compile_problem
from provide.core.planning.problem import PlanningProblem
from provide.core.planning.relaxation import (
    budget_rows,
    flow_arcs,
    makeable,
    may_make,
    shortest_paths,
)
from tests.core.planning.builders import line_travel, team, visit
from tests.core.planning.test_properties import (
    feasible_sets,
    feasible_sets_with_break,
    small_problems,
    small_problems_with_breaks,
)

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _sets(problem, team_):
    if team_.break_rule is not None:
        return feasible_sets_with_break(problem, team_)
    return feasible_sets(problem, team_)


@SETTINGS
@given(st.lists(st.lists(st.integers(0, 50), min_size=4, max_size=4), min_size=4, max_size=4))
def test_shortest_paths_are_no_longer_than_any_way_round(rows):
    travel = tuple(
        tuple(0 if i == j else v for j, v in enumerate(row)) for i, row in enumerate(rows)
    )
    shortest = shortest_paths(travel)
    n = len(travel)
    for a, b in itertools.product(range(n), repeat=2):
        assert shortest[a][b] <= travel[a][b]
        assert all(shortest[a][b] <= shortest[a][m] + shortest[m][b] for m in range(n))
    assert shortest_paths(()) == []


@SETTINGS
@given(st.one_of(small_problems(), small_problems_with_breaks()))
def test_a_visit_some_route_makes_is_never_ruled_out(problem):
    cp = compile_problem(problem)
    shortest = shortest_paths(cp.travel)
    possible = makeable(cp)
    for k, team_ in enumerate(problem.teams):
        for mask in _sets(problem, team_):
            for j in range(cp.n_visits):
                if mask >> j & 1:
                    assert may_make(cp, k, j, shortest), (k, j)
                    assert possible[j]


@SETTINGS
@given(st.one_of(small_problems(), small_problems_with_breaks()))
def test_every_set_a_team_can_make_satisfies_its_rows(problem):
    cp = compile_problem(problem)
    teams_of, rows = budget_rows(cp)
    for k, team_ in enumerate(problem.teams):
        for mask in _sets(problem, team_):
            made = [j for j in range(cp.n_visits) if mask >> j & 1]
            assert all(k in teams_of[j] for j in made)
            for row in rows:
                if row.team == k:
                    assert sum(row.coef.get(j, 0) for j in made) <= row.rhs, (row, made)


@SETTINGS
@given(st.one_of(small_problems(), small_problems_with_breaks()))
def test_every_leg_of_a_drivable_route_is_an_arc(problem):
    cp = compile_problem(problem)
    shortest = shortest_paths(cp.travel)
    teams_of, _ = budget_rows(cp)
    for k, team_ in enumerate(problem.teams):
        visits = [j for j, teams in enumerate(teams_of) if k in teams]
        s, e, length, arcs = flow_arcs(cp, k, visits, shortest)
        assert (s, e) == (cp.start_node[k], cp.end_node[k])
        legs = {(i, j) for i, j, _ in arcs}
        for mask in _sets(problem, team_):
            made = frozenset(j for j in range(cp.n_visits) if mask >> j & 1)
            nodes = drivable_route(cp, k, made)
            assert nodes is not None
            stops = [n for n in nodes if cp.loc[n] != FLOATING]
            if len(stops) > 2:
                assert set(itertools.pairwise(stops)) <= legs
                service = sum(cp.service[j] for j in made)
                travel = sum(cp.travel[cp.loc[a]][cp.loc[b]] for a, b in itertools.pairwise(stops))
                assert service + travel <= length


def test_a_visit_no_team_can_reach_in_time_is_ruled_out():
    problem = PlanningProblem(
        teams=(team(shift=(480, 600)),),
        visits=(visit("near", 1), visit("late", 2, windows=((900, 960),))),
        travel_function=line_travel,
    )
    cp = compile_problem(problem)
    assert makeable(cp) == [True, False]
