"""The search: timetables start every stop as early as possible; plans are valid, repeat for a
seed, and the search stops when its work or its time budget runs out, or at the target."""

from hypothesis import HealthCheck, given, settings

from provide.core.planning.budget import Budget
from provide.core.planning.compiled import compile_problem
from provide.core.planning.problem import BreakRule, PlanningProblem
from provide.core.planning.search import schedule_route, search_routes
from tests.core.planning.builders import line_travel, team, visit
from tests.core.planning.clocks import FakeClock
from tests.core.planning.realistic import programme_problem
from tests.core.planning.test_properties import brute_force_best, small_problems


def _compiled(*visits, teams=None):
    return compile_problem(
        PlanningProblem(
            teams=tuple(teams or (team(),)), visits=tuple(visits), travel_function=line_travel
        )
    )


def _valid(cp, routes):
    made = [n for nodes in routes for n in nodes if n < cp.n_visits]
    return len(made) == len(set(made)) and all(
        schedule_route(cp, k, list(nodes)) is not None for k, nodes in enumerate(routes)
    )


def _priority(cp, routes):
    return sum(cp.profit[n] for nodes in routes for n in nodes if n < cp.n_visits)


def test_a_route_is_timed_with_every_stop_as_early_as_possible():
    cp = _compiled(visit("a", 1, priority=2, windows=((540, 600),)), visit("b", 3, priority=5))
    route = schedule_route(cp, 0, [cp.start_node[0], 0, 1, cp.end_node[0]])
    assert route is not None
    assert route.arr == [480, 490, 590, 650]  # a waits for its window, 50 minutes of service
    assert route.start == [480, 540, 590, 650]
    assert route.travel == 10 + 20 + 30
    assert route.profit == 7


def test_a_route_that_misses_a_window_has_no_timetable():
    cp = _compiled(visit("a", 1, windows=((480, 485),)), visit("b", 5))
    assert schedule_route(cp, 0, [cp.start_node[0], 1, 0, cp.end_node[0]]) is None


def test_the_break_is_taken_where_the_team_is():
    rest = BreakRule(600, 700, 30)
    cp = _compiled(visit("a", 2, duration=60), teams=(team(break_rule=rest),))
    route = schedule_route(cp, 0, [cp.start_node[0], 0, cp.break_node[0], cp.end_node[0]])
    assert route is not None
    assert route.start[2] == 600  # waits for its interval after the visit (500-560)
    assert route.travel == 40  # the break adds no travel


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_the_search_gives_a_valid_plan_never_better_than_the_optimum(problem):
    cp = compile_problem(problem)
    found = search_routes(cp, budget=Budget(60.0, clock=FakeClock()), seed=2, work_budget=3_000)
    assert _valid(cp, found.routes)
    assert _priority(cp, found.routes) <= brute_force_best(problem)


def test_the_same_seed_and_work_give_the_same_plan():
    cp = compile_problem(programme_problem(seed=2, n_visits=30))
    runs = [
        search_routes(cp, budget=Budget(60.0, clock=FakeClock()), seed=4, work_budget=60_000)
        for _ in range(2)
    ]
    assert runs[0].routes == runs[1].routes
    assert not runs[0].stopped_by_clock and runs[0].iterations > 0


def test_a_spent_budget_stops_the_search_after_the_first_plan():
    cp = compile_problem(programme_problem(seed=2, n_visits=30))
    found = search_routes(cp, budget=Budget(0.0, clock=FakeClock()), seed=0, work_budget=10**6)
    assert found.stopped_by_clock and found.iterations == 0
    assert _valid(cp, found.routes) and _priority(cp, found.routes) > 0


def test_the_search_reads_its_budget_every_iteration():
    """One second passes at every reading of the clock: a 5-second budget allows a few
    iterations, however much work is left and however fast the machine is."""
    cp = compile_problem(programme_problem(seed=2, n_visits=30))
    clock = FakeClock(step=1.0)
    found = search_routes(cp, budget=Budget(5.0, clock=clock), seed=0, work_budget=10**9)
    assert found.stopped_by_clock
    assert 1 <= found.iterations <= 5
    assert _valid(cp, found.routes)


def test_the_search_stops_at_its_target():
    cp = _compiled(visit("a", 1, priority=2), visit("b", 2, priority=3))
    found = search_routes(
        cp, budget=Budget(60.0, clock=FakeClock()), seed=0, work_budget=10**6, target=5.0
    )
    assert _priority(cp, found.routes) == 5.0
    assert found.iterations == 0 and found.work < 10**6


def test_the_pool_keeps_every_accepted_route_and_the_start_plan_is_kept():
    cp = compile_problem(programme_problem(seed=3, n_visits=25))
    pool: dict[tuple[int, ...], None] = {}
    first = search_routes(
        cp, budget=Budget(60.0, clock=FakeClock()), seed=1, work_budget=20_000, route_pool=pool
    )
    assert pool
    for nodes in pool:
        assert schedule_route(cp, cp.team_of_node(nodes[0]), list(nodes)) is not None
    again = search_routes(
        cp, budget=Budget(60.0, clock=FakeClock()), seed=9, work_budget=2_000, initial=first.routes
    )
    assert _priority(cp, again.routes) >= _priority(cp, first.routes)
